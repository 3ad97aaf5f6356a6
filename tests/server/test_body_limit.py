"""The request body limit: counted on the bytes received, refused with 413 before any SQL runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from babel.numbers import format_decimal
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from tests.conftest import recorded_statements, serve

LIMIT = 2048


@pytest.fixture(scope="module")
async def limited(database: URL) -> AsyncIterator[tuple[str, Starlette]]:
    app = create_app(Settings(_env_file=None, max_body_bytes=LIMIT), database)
    async with serve(app) as base_url:
        yield base_url, app


@pytest.fixture
async def client(limited: tuple[str, Starlette]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=limited[0], timeout=30) as http:
        yield http


@pytest.fixture
def statements(limited: tuple[str, Starlette]) -> Iterator[list[str]]:
    """Every SQL statement the limited app runs during the test."""
    with recorded_statements(limited[1].state.engine) as seen:
        yield seen


def _body_of(size: int) -> bytes:
    """A valid GraphQL request of exactly `size` bytes (its document padded with blanks, which GraphQL ignores)."""
    bare = json.dumps({"query": "{ __typename }"}).encode()
    padded = json.dumps({"query": "{ __typename }" + " " * (size - len(bare))}).encode()
    assert len(padded) == size
    return padded


def _chunks(body: bytes, size: int = 256) -> AsyncIterator[bytes]:
    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), size):
            yield body[start : start + size]

    return stream()


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "REQUEST_TOO_LARGE",
        "messageId": "server.body_too_large",
        "parameters": {"maximum": LIMIT},
    }
    assert format_decimal(LIMIT, locale="fr") in error["message"]


async def test_a_body_of_exactly_the_limit_is_served(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.post("/graphql", content=_body_of(LIMIT), headers={"content-type": "application/json"})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert statements  # the recorder sees what a served request runs


async def test_a_body_over_the_limit_is_413_before_any_sql(client: httpx.AsyncClient, statements: list[str]) -> None:
    response = await client.post("/graphql", content=_body_of(LIMIT + 1), headers={"content-type": "application/json"})

    assert_too_large(response)
    assert statements == []


async def test_a_chunked_body_over_the_limit_is_413_before_any_sql(
    client: httpx.AsyncClient, statements: list[str]
) -> None:
    # given a body streamed in chunks, with no Content-Length to judge it by
    request = client.build_request(
        "POST", "/graphql", content=_chunks(_body_of(LIMIT * 4)), headers={"content-type": "application/json"}
    )
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"

    response = await client.send(request)

    assert_too_large(response)
    assert statements == []


async def test_a_chunked_body_within_the_limit_reaches_graphql_whole(client: httpx.AsyncClient) -> None:
    request = client.build_request(
        "POST", "/graphql", content=_chunks(_body_of(LIMIT), size=100), headers={"content-type": "application/json"}
    )
    assert "content-length" not in request.headers

    response = await client.send(request)

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_the_limit_does_not_apply_to_urls(client: httpx.AsyncClient) -> None:
    # A GET carries its request in the URL, which uvicorn bounds on its own.
    response = await client.get("/graphql", params={"query": "{ __typename }" + " " * (LIMIT * 2)})

    assert response.status_code == 200


async def test_by_default_the_limit_is_100_kib(http: httpx.AsyncClient) -> None:
    headers = {"content-type": "application/json"}

    within = await http.post("/graphql", content=_body_of(100 * 1024), headers=headers)
    over = await http.post("/graphql", content=_body_of(100 * 1024 + 1), headers=headers)

    assert within.status_code == 200
    assert over.status_code == 413
