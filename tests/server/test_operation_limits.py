"""Operation limits over HTTP: refused with a clear error naming the limit and the value, before any SQL runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from babel.numbers import format_decimal
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from tests.conftest import recorded_statements, serve

GRAPHQL_RESPONSE = "application/graphql-response+json"

TOO_DEEP = '{ department(code: "31") { region { departments(first: 1) { nodes { region { name } } } } } }'
ALIASES_IN_A_FRAGMENT = """
{ a: department(code: "31") { ...Names } b: department(code: "44") { ...Names } }
fragment Names on Department { x: name y: name }
"""
NESTED_PAGES = """
query Nested($n: Int) { departments(first: $n) { nodes { epcis(first: $n) { nodes { name } } } } }
"""
MANY_TOKENS = "{ " + " ".join(["__typename"] * 300) + " }"
INTROSPECTION = "{ __schema { types { name } } }"
MISSPELT = '{ departement(code: "31") { name } }'


@pytest.fixture(scope="module")
async def limited(database: URL) -> AsyncIterator[tuple[str, Starlette]]:
    settings = Settings(_env_file=None, max_depth=5, max_aliases=4, max_tokens=200, max_cost=5000)
    app = create_app(settings, database)
    async with serve(app) as base_url:
        yield base_url, app


@pytest.fixture
async def client(limited: tuple[str, Starlette]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=limited[0], timeout=30, headers={"accept": GRAPHQL_RESPONSE}) as http:
        yield http


@pytest.fixture
def statements(limited: tuple[str, Starlette]) -> Iterator[list[str]]:
    with recorded_statements(limited[1].state.engine) as seen:
        yield seen


def assert_over_limit(response: httpx.Response, limit: str, maximum: int, value: int) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"] == {
        "code": "OPERATION_TOO_COMPLEX",
        "limit": limit,
        "maximum": maximum,
        "value": value,
        "messageId": f"limit.{limit}",
        "parameters": {"maximum": maximum, "value": value},
    }
    # in French by default, numbers as French writes them
    assert format_decimal(maximum, locale="fr") in error["message"]
    assert "plus" in error["message"]


async def test_an_operation_within_every_limit_is_served(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.post("/graphql", json={"query": NESTED_PAGES, "variables": {"n": 10}})

    assert response.status_code == 200
    assert len(response.json()["data"]["departments"]["nodes"]) == 10
    assert statements  # the recorder sees what a served request runs


async def test_too_deep_is_refused_before_any_sql(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.post("/graphql", json={"query": TOO_DEEP})

    assert_over_limit(response, "depth", maximum=5, value=6)
    assert "sur 6 niveaux" in response.json()["errors"][0]["message"]
    assert statements == []


async def test_aliases_count_each_time_their_fragment_is_spread(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    # given 2 aliases at the root and 2 in a fragment spread twice: 6
    response = await client.post("/graphql", json={"query": ALIASES_IN_A_FRAGMENT})

    assert_over_limit(response, "aliases", maximum=4, value=6)
    assert statements == []


async def test_too_many_tokens_is_refused_before_any_sql(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.post("/graphql", json={"query": MANY_TOKENS})

    assert_over_limit(response, "tokens", maximum=200, value=201)
    assert statements == []


async def test_the_cost_follows_the_page_sizes_in_the_variables(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    # given the document served above with pages of 10, now with pages of 100: 100 + 100 × 100 objects
    response = await client.post("/graphql", json={"query": NESTED_PAGES, "variables": {"n": 100}})

    assert_over_limit(response, "cost", maximum=5000, value=100 + 100 * 100)
    assert statements == []


async def test_with_legacy_json_a_refusal_is_a_200_with_errors_only(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": TOO_DEEP}, headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["limit"] == "depth"


async def test_over_get_the_limits_apply_too(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.get("/graphql", params={"query": TOO_DEEP})

    assert_over_limit(response, "depth", maximum=5, value=6)
    assert statements == []


# -- production mode ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def production(database: URL) -> AsyncIterator[str]:
    settings = Settings(
        _env_file=None,
        environment="production",
        graphiql=False,
        database_url=database.render_as_string(hide_password=False),
        anonymous_only=True,
    )
    async with serve(create_app(settings, database)) as base_url:
        yield base_url


async def _post(base_url: str, query: str, **variables: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def test_in_production_introspection_is_refused(production: str, service: str) -> None:
    refused = await _post(production, INTROSPECTION)
    answered = await _post(service, INTROSPECTION)

    assert "data" not in refused
    assert "introspection" in refused["errors"][0]["message"].lower()
    assert answered["data"]["__schema"]["types"]


async def test_in_production_errors_suggest_no_names(production: str, service: str) -> None:
    refused = await _post(production, MISSPELT)
    in_development = await _post(service, MISSPELT)

    assert "departement" in refused["errors"][0]["message"]
    assert "Did you mean" not in refused["errors"][0]["message"]
    assert "Did you mean" in in_development["errors"][0]["message"]


async def test_in_production_bad_enum_variables_suggest_no_values(production: str, service: str) -> None:
    query = "query ($kinds: [SchemeKind!]) { schemes(filter: {kinds: $kinds}) { totalCount } }"

    refused = await _post(production, query, kinds=["SDAV"])
    in_development = await _post(service, query, kinds=["SDAV"])

    assert "SDAV" in refused["errors"][0]["message"]
    assert refused["errors"][0]["extensions"]["messageId"] == "input.enum"
    assert "suggestions" not in refused["errors"][0]["extensions"]["parameters"]
    assert "Vouliez-vous dire" not in refused["errors"][0]["message"]
    assert in_development["errors"][0]["extensions"]["messageId"] == "input.enum.suggested"
    assert in_development["errors"][0]["extensions"]["parameters"]["suggestions"]
    assert "Vouliez-vous dire" in in_development["errors"][0]["message"]
