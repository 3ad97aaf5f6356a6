"""The cost estimate on documents against Maillage's schema: page sizes multiply, connection plumbing is free."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from graphql.execution.values import get_variable_values

from db.graph.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema import schema
from server.limits import Fragments, operation_cost


def cost_of(document: str, **variables: Any) -> int:
    """The cost with the variables coerced as the service coerces them (their defaults filled in)."""
    node = parse(document)
    (operation,) = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
    coerced = get_variable_values(schema._schema, operation.variable_definitions or (), variables)
    assert not isinstance(coerced, list), coerced
    return operation_cost(
        schema._schema,
        operation,
        Fragments(node),
        coerced.coerced,
        default_page_size=DEFAULT_PAGE_SIZE,
        max_page_size=MAX_PAGE_SIZE,
    )


CTGS_AND_ACTIONS = "{ ctgs(first: 100) { nodes { actions(first: 100) { nodes { title } } } } }"
BY_VARIABLES = """
query ($ctgs: Int, $actions: Int = 50) {
  ctgs(first: $ctgs) { nodes { actions(first: $actions) { nodes { title } } } }
}
"""
EDGES = "{ ctgs(first: 10) { edges { cursor node { title epci { name } } } pageInfo { hasNextPage } totalCount } }"
IN_A_FRAGMENT = """
{ a: ctgs(first: 10) { ...Plan } b: ctgs(last: 5) { ...Plan } }
fragment Plan on CtgConnection { nodes { actions(first: 10) { totalCount } } }
"""


def test_nested_pages_multiply() -> None:
    # 100 CTGs, and 100 actions for each of them
    assert cost_of(CTGS_AND_ACTIONS) == 100 + 100 * 100


def test_a_connection_without_a_page_size_counts_the_default_page() -> None:
    assert cost_of("{ ctgs { nodes { title } } }") == DEFAULT_PAGE_SIZE


def test_page_sizes_come_from_the_variables_and_their_defaults() -> None:
    assert cost_of(BY_VARIABLES, ctgs=100) == 100 + 100 * 50
    assert cost_of(BY_VARIABLES, ctgs=10, actions=100) == 10 + 10 * 100
    assert cost_of(BY_VARIABLES) == DEFAULT_PAGE_SIZE + DEFAULT_PAGE_SIZE * 50


def test_edges_nodes_and_page_info_add_nothing_but_related_objects_count_per_node() -> None:
    # 10 CTGs, and one EPCI for each
    assert cost_of(EDGES) == 10 + 10


def test_fragments_cost_once_per_spread_with_their_parents_pages() -> None:
    assert cost_of(IN_A_FRAGMENT) == (10 + 10 * 10) + (5 + 5 * 10)


def test_scalars_and_single_objects_are_cheap() -> None:
    assert cost_of('{ department(code: "31") { name region { name } caf { name } } }') == 3


@pytest.mark.parametrize("size", [101, 100_000])
def test_a_page_size_over_the_maximum_counts_as_the_maximum(size: int) -> None:
    # The field refuses it with an error naming the argument: clearer than a cost refusal.
    assert cost_of("query ($n: Int) { ctgs(first: $n) { nodes { title } } }", n=size) == MAX_PAGE_SIZE


def test_a_list_of_ids_costs_as_many_objects_as_ids() -> None:
    assert cost_of('{ nodes(ids: ["a", "b", "c"]) { id } }') == 3
