"""Depth and aliases of operations, measured on documents: fragments count where, and as often as, they are spread."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, get_introspection_query, parse

from server.app import operation_limits
from server.limits import Fragments, LimitExceeded, alias_count, operation_depth
from server.limits.introspection import nested_member_lists
from server.settings import Settings


def _measure(document: str) -> tuple[int, int]:
    node = parse(document)
    (operation,) = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = Fragments(node)
    return operation_depth(operation, fragments), alias_count(operation, fragments)


FLAT = "{ a b c }"
NESTED = "{ a { b { c { d } } } }"
INLINE = "{ a { ... on A { b { c } } } }"
THROUGH_FRAGMENTS = """
{ a { ...F } }
fragment F on A { b { ...G } }
fragment G on B { c { d } }
"""
ALIASES = "{ x: a y: a z: a { w: b } }"
ALIAS_SPREAD_THREE_TIMES = """
{ p: a { ...F } q: b { ...F } r: c { ...F } }
fragment F on T { one: f two: f }
"""
FRAGMENTS_SPREADING_FRAGMENTS = """
{ ...A }
fragment A on Query { ...B ...B }
fragment B on Query { ...C ...C }
fragment C on Query { x: f }
"""
CYCLE = """
{ ...A }
fragment A on Query { x: f ...B }
fragment B on Query { y: f ...A }
"""


@pytest.mark.parametrize(
    ("document", "depth"),
    [
        pytest.param(FLAT, 1, id="flat"),
        pytest.param(NESTED, 4, id="nested"),
        pytest.param(INLINE, 3, id="inline fragments add no level"),
        pytest.param(THROUGH_FRAGMENTS, 4, id="spread fragments nest where they are spread"),
    ],
)
def test_depth_counts_nested_fields(document: str, depth: int) -> None:
    assert _measure(document)[0] == depth


@pytest.mark.parametrize(
    ("document", "aliases"),
    [
        pytest.param(FLAT, 0, id="no alias"),
        pytest.param(ALIASES, 4, id="every alias, nested ones too"),
        pytest.param(ALIAS_SPREAD_THREE_TIMES, 3 + 3 * 2, id="a fragment's aliases once per spread"),
        pytest.param(FRAGMENTS_SPREADING_FRAGMENTS, 4, id="spreads multiply through fragments"),
    ],
)
def test_aliases_count_through_fragment_spreads(document: str, aliases: int) -> None:
    assert _measure(document)[1] == aliases


def test_a_fragment_cycle_ends_the_walk() -> None:
    # given fragments spreading each other (validation refuses the document, but it is measured first)
    depth, aliases = _measure(CYCLE)

    # then each fragment counts once, and the walk ends
    assert (depth, aliases) == (1, 2)


def test_fragments_doubling_at_each_level_are_measured_without_expanding_them() -> None:
    # given 30 levels of fragments, each spreading the next twice: 2**30 spreads if expanded
    levels = 30
    fragments = "\n".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    document = "{ ...F0 }\n" + fragments + f"\nfragment F{levels} on Query {{ x: f }}"

    _, aliases = _measure(document)

    assert aliases == 2**levels


def test_graphiqls_introspection_passes_the_default_limits() -> None:
    # given the introspection query GraphiQL and schema-aware tools send first, 15 levels deep
    document = parse(get_introspection_query(descriptions=True, input_value_deprecation=True))
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    limits = operation_limits(Settings(_env_file=None))
    # when / then: within the depth limit (the introspection root counts as one level) and the others
    limits.check_shape(operation, Fragments(document))
    assert operation_depth(operation, Fragments(document)) == 1
    assert nested_member_lists(operation, Fragments(document)) == 1


NESTED_MEMBERS = (
    "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
)


def test_introspection_nesting_lists_of_members_is_refused() -> None:
    document = parse(
        "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
    )
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    with pytest.raises(LimitExceeded) as refused:
        operation_limits(Settings(_env_file=None)).check_shape(operation, Fragments(document))
    assert refused.value.extensions == {
        "code": "OPERATION_TOO_COMPLEX",
        "limit": "introspection",
        "maximum": 3,
        "value": 4,
        "messageId": "limit.introspection",
        "parameters": {"maximum": 3, "value": 4},
    }


def test_domain_fields_below_introspection_depth_still_count() -> None:
    # a domain field named like a member list is not introspection, and the depth of domain fields still counts
    assert nested_member_lists(*_operation("{ a { fields { fields { fields { fields { x } } } } } }")) == 0
    assert operation_depth(*_operation("{ __typename a { b { c } } }")) == 3


def _operation(text: str) -> tuple[OperationDefinitionNode, Fragments]:
    document = parse(text)
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return operation, Fragments(document)
