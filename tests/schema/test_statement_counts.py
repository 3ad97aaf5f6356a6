"""A request's SQL statement count does not grow with the size of the pages it returns."""

from __future__ import annotations

import httpx
import pytest

from tests.schema.conftest import ACCESS_STATEMENTS, graphql

NESTED = """
query Nested($size: Int!) {
  ctgs(first: $size) {
    totalCount
    edges { node {
      title
      epci { name }
      signatures(first: $size) { nodes { role organisation { name } } }
      actions(first: $size) {
        totalCount
        nodes { title theme status carrier { name } partners { edges { role node { name } } } }
      }
    } }
  }
}
"""

DEPARTMENT_PAGE = """
query Department($size: Int!) {
  department(code: "44") {
    name caf { name }
    communes(first: $size) { totalCount nodes { name epci { name } } }
  }
}
"""

TYPICAL = [
    ('{ department(code: "31") { name region { name } caf { name } } }', 3),
    ("{ actions(first: 10) { totalCount nodes { title } } }", 1),
    ("{ ctgs(first: 5) { nodes { title actions(first: 3) { nodes { title carrier { name } } } } } }", 3),
    ("{ schemes(filter: {kinds: [SDAVS]}) { nodes { title signatures { nodes { organisation { name } } } } } }", 3),
]


async def _count(client: httpx.AsyncClient, statements: list[str], query: str, **variables: object) -> int:
    statements.clear()
    body = await graphql(client, query, **variables)
    assert "errors" not in body, body
    return len(statements)


async def test_a_three_level_page_costs_the_same_at_two_page_sizes(
    demo_http: httpx.AsyncClient, statements: list[str]
) -> None:
    small = await _count(demo_http, statements, NESTED, size=2)
    large = await _count(demo_http, statements, NESTED, size=50)

    assert small == large
    # ctgs, their EPCIs, signatures, signatories, actions, carriers, partners: one statement each
    assert large == ACCESS_STATEMENTS + 7


async def test_a_department_with_its_communes_and_their_epcis_is_constant(
    demo_http: httpx.AsyncClient, statements: list[str]
) -> None:
    assert await _count(demo_http, statements, DEPARTMENT_PAGE, size=5) == await _count(
        demo_http, statements, DEPARTMENT_PAGE, size=100
    )


@pytest.mark.parametrize(("query", "expected"), TYPICAL)
async def test_typical_queries_run_an_exact_number_of_statements(
    demo_http: httpx.AsyncClient, statements: list[str], query: str, expected: int
) -> None:
    assert await _count(demo_http, statements, query) == ACCESS_STATEMENTS + expected
