"""Statements by shape (db/compiled/shapes.py): a recipe binds another read of the same shape exactly as
rendering that read would, and reads that differ by more than their values do not share a shape."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from auth.policy import Scope
from db.compiled import shapes
from db.compiled.render import render
from schema import schema
from schema.compiled.planner import Planner

PLANNER = Planner(schema)
NATIONAL = Scope(keys=frozenset({"public", "national"}))
CARRIER = Scope(keys=frozenset({"public", "org:12", "org:40", "epci:243100518"}))

PAGE = """
query ($d: String!, $first: Int, $after: String, $themes: [Theme!], $since: DateTime, $on: Date, $q: String) {
  actions(first: $first, after: $after,
          filter: {territory: {department: $d}, themes: $themes, updatedSince: $since, activeOn: $on, search: $q}) {
    totalCount nodes { title budget cafFunding ctg { title } partners(first: 3) { edges { role } } }
  }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on Ctg { title actions(last: 5) { nodes { number } } } } }"
STATISTICS = (
    "query ($d: String!) { actionStatistics(filter: {territory: {department: $d}}, groupBy: [THEME]) { theme } }"
)
COVERAGE = "query ($d: String, $on: Date!) { ctgCoverage(department: $d, on: $on) { communeRate on } }"


def _read(document: str, scope: Scope, **variables: Any) -> Any:
    return PLANNER.plan(PLANNER.executor(parse(document), variables, None), scope)


CASES = [
    (PAGE, NATIONAL, {"d": "31", "first": 5}, {"d": "2A", "first": 100, "after": "Y3Vyc29yOjQ"}),
    (
        PAGE,
        CARRIER,
        {"d": "31", "themes": ["YOUTH", "PARENTING"], "since": "2024-01-01T00:00:00Z", "on": "2024-06-01", "q": "x"},
        {
            "d": "44",
            "themes": ["HOUSING", "SENIORS"],
            "since": "2025-07-14T10:30:00+02:00",
            "on": "2020-02-29",
            "q": "y",
        },
    ),
    (NODE, NATIONAL, {"id": "Q3RnOjE"}, {"id": "Q3RnOjk5OTk"}),
    (STATISTICS, NATIONAL, {"d": "31"}, {"d": "974"}),
    (COVERAGE, CARRIER, {"d": "31", "on": "2024-01-01"}, {"d": "44", "on": "2019-12-31"}),
]


@pytest.mark.parametrize(("document", "scope", "first", "second"), CASES)
def test_a_recipe_binds_another_read_of_its_shape_as_rendering_it_would(
    document: str, scope: Scope, first: dict[str, Any], second: dict[str, Any]
) -> None:
    # given two reads of one shape with different values
    one, other = _read(document, scope, **first), _read(document, scope, **second)
    shape, _ = shapes.split(one)
    other_shape, values = shapes.split(other)

    # when the recipe made from the first binds the second's values
    recipe = shapes.recipe(one)

    # then the statement is exactly the one rendering the second read gives
    assert shape == other_shape
    assert recipe is not None
    assert recipe.statement(values) == render(other)
    assert recipe.statement(values) != render(one)


def test_reads_that_differ_by_more_than_values_have_other_shapes() -> None:
    base = _read(PAGE, NATIONAL, d="31")
    variants = [
        _read(PAGE, NATIONAL, d="31", q="crèche"),  # one more filter
        _read(PAGE, NATIONAL, d="31", themes=["YOUTH"]),  # a list of another length
        _read(PAGE, NATIONAL, d="31", themes=["YOUTH", "HOUSING"]),
        _read(PAGE, CARRIER, d="31"),  # budgets shown by another rule, rows filtered by scope
        _read(PAGE.replace("first: $first, after: $after", "last: $first, before: $after"), NATIONAL, d="31", first=3),
    ]
    shapes_seen = {shapes.split(read)[0] for read in [base, *variants]}
    assert len(shapes_seen) == len(variants) + 1
