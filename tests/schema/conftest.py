"""Fixtures for the graph: a database with the demo loaded, served over HTTP, and a statement counter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import load_demo
from db.engine import create_engine
from db.migrate import upgrade
from db.reference.territory_import import import_territories
from server.app import create_app
from server.settings import Settings
from tests.conftest import DatabaseFactory, serve


@pytest.fixture(scope="session")
async def demo_database(new_database: DatabaseFactory) -> URL:
    url = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=1)
    try:
        await import_territories(engine)
        await load_demo(engine)
    finally:
        await engine.dispose()
    return url


@pytest.fixture(scope="session")
async def demo_app(demo_database: URL) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """The app on the demo database, served by uvicorn on loopback: (base URL, the app's engine)."""
    app = create_app(Settings(_env_file=None), demo_database)
    async with serve(app) as base_url:
        yield base_url, app.state.engine


@pytest.fixture
async def demo_http(demo_app: tuple[str, AsyncEngine]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=demo_app[0], timeout=30) as client:
        yield client


@pytest.fixture
def statements(demo_app: tuple[str, AsyncEngine]) -> Iterator[list[str]]:
    """Every SQL statement the served app runs while the test runs."""
    seen: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sync_engine = demo_app[1].sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(sync_engine, "before_cursor_execute", record)


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="session")
async def demo_sql(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    """An engine of the tests' own on the demo database: expected values come from SQL written in the tests."""
    engine = create_engine(demo_database, pool_size=1)
    yield engine
    await engine.dispose()


async def sql(engine: AsyncEngine, statement: str, **parameters: Any) -> list[dict[str, Any]]:
    """The rows of a read-only SQL statement, as dicts."""
    async with engine.connect() as connection:
        result = await connection.execute(text(statement), parameters)
        return [dict(row) for row in result.mappings()]


def assert_bad_input(body: dict[str, Any], argument: str) -> None:
    """The body reports one error, typed and naming `argument`, and tells nothing of the server's insides."""
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}, error
    assert argument in error["message"]
    assert "Traceback" not in str(body)
