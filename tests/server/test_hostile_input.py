"""Anonymous requests built to make the service work without bound: each is refused, or answered cheaply,
with a typed error a client can act on, never a masked internal error."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import URL

from server.app import create_app
from server.compiled import CompiledQueries
from server.settings import Settings
from tests.conftest import serve, serve_app

COMMUNES = "query($search: String) { communes(filter: {search: $search}) { totalCount } }"
ORGANISATIONS = "query($search: String) { organisations(filter: {search: $search}) { totalCount } }"


@pytest.fixture(scope="module")
async def demo(demo_database: URL) -> AsyncIterator[str]:
    async with serve_app(demo_database) as base_url:
        yield base_url


@pytest.fixture(scope="module")
async def compiled_only(demo_database: URL) -> AsyncIterator[tuple[str, CompiledQueries]]:
    """The demo served with compiled reads on, as in production (the suite runs them in verify mode)."""
    settings = Settings(_env_file=None, database_url=demo_database.render_as_string(hide_password=False))
    settings.compiled_reads = "on"
    app = create_app(settings, demo_database)
    async with serve(app) as base_url:
        yield base_url, app.state.compiled


@pytest.fixture
async def client(demo: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=demo, timeout=30) as http:
        yield http


def _codes(response: httpx.Response) -> list[object]:
    return [error.get("extensions", {}).get("code") for error in response.json().get("errors", [])]


async def test_percent_and_underscore_in_a_territory_search_are_plain_characters(client: httpx.AsyncClient) -> None:
    for wildcard in ("%", "_", "%_%", "\\"):
        response = await client.post("/graphql", json={"query": COMMUNES, "variables": {"search": wildcard}})
        assert response.json() == {"data": {"communes": {"totalCount": 0}}}, wildcard
    # while a real part of a name still matches, accents and case ignored
    response = await client.post("/graphql", json={"query": COMMUNES, "variables": {"search": "TOULOUSE"}})
    assert response.json()["data"]["communes"]["totalCount"] >= 1


@pytest.mark.parametrize("query", [COMMUNES, ORGANISATIONS])
async def test_a_search_longer_than_the_cap_is_bad_input_answered_at_once(
    client: httpx.AsyncClient, query: str
) -> None:
    # given a 40 KB run of wildcards, and 90 KB of French stop-words
    for search in ("%_" * 20_000, "le la les de des du " * 4_500):
        started = time.monotonic()
        response = await client.post("/graphql", json={"query": query, "variables": {"search": search}})
        assert time.monotonic() - started < 1
        assert response.status_code == 200
        assert _codes(response) == ["BAD_USER_INPUT"]
        assert "data" not in response.json()


async def test_a_search_literal_over_the_cap_is_refused_like_a_variable(client: httpx.AsyncClient) -> None:
    query = '{ communes(filter: {search: "' + "a" * 201 + '"}) { totalCount } }'
    response = await client.post("/graphql", json={"query": query})
    assert _codes(response) == ["BAD_USER_INPUT"]


async def test_a_full_text_search_of_stop_words_within_the_cap_answers(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": ORGANISATIONS, "variables": {"search": "le la " * 33}})
    assert response.status_code == 200
    assert "errors" not in response.json()


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ region(code: "7\\u00006") { name } }', None),
        ("query($code: String!) { region(code: $code) { name } }", {"code": "7\x006"}),
        (COMMUNES, {"search": "Tou\x00louse"}),
        ("query($f: PlaceFilterInput) { communes(filter: $f) { totalCount } }", {"f": {"department": "3\x001"}}),
    ],
)
async def test_a_nul_character_in_a_read_argument_is_bad_input_not_an_internal_error(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, query: str, variables: dict[str, object] | None
) -> None:
    with caplog.at_level(logging.ERROR):
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    assert _codes(response) == ["BAD_USER_INPUT"]
    assert "NUL" in response.json()["errors"][0]["message"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; Charset=UTF-8"])
async def test_media_types_are_case_insensitive(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers={"content-type": content_type}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_thousand_duplicate_fields_get_a_coded_error(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join("__typename" for _ in range(1000)) + " }"
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert _codes(response) == ["OPERATION_TOO_COMPLEX"]


def _departments_with_epcis(aliases: int) -> str:
    page = "departments(first: 100) { nodes { code epcis(first: 15) { nodes { siren name } } } }"
    return "{ " + " ".join(f"a{i}: {page}" for i in range(aliases)) + " }"


async def test_many_aliases_of_nested_pages_are_answered_by_the_resolvers_not_one_statement(
    compiled_only: tuple[str, CompiledQueries],
) -> None:
    # given aliases that stay within every limit, each asking every department's first 15 EPCIs: one compiled
    # statement would run 28 x 100 correlated subqueries, as fast as the planner's statistics allow
    base_url, compiled = compiled_only
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answered = compiled.answered
        one = await client.post("/graphql", json={"query": _departments_with_epcis(1)})
        assert compiled.answered == answered + 1
        started = time.monotonic()
        many = await client.post("/graphql", json={"query": _departments_with_epcis(28)})
        elapsed = time.monotonic() - started
    # then one alias is a compiled read, 28 are left to the resolvers, and the answers agree
    assert compiled.answered == answered + 1
    assert many.status_code == 200
    assert "errors" not in many.json()
    assert all(many.json()["data"][f"a{i}"] == one.json()["data"]["a0"] for i in range(28))
    assert elapsed < 5
