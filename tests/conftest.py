"""Test fixtures: a real PostgreSQL, a fresh migrated database per run, the app over real HTTP.

The server is the one named by MAILLAGE_TEST_DATABASE_URL (any database on it: the tests create
their own), or else an embedded PostgreSQL started for the run in a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from rich.console import Console
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from bench.generate import generate
from db.demo import load_demo
from db.embedded import start_embedded
from db.engine import create_engine, database_url
from db.migrate import upgrade
from db.reference.territory_import import import_territories
from server.app import create_app
from server.settings import Settings

TEST_SERVER_VARIABLE = "MAILLAGE_TEST_DATABASE_URL"

# Every query the suite sends that the compiler covers is answered by both paths, and any difference is a
# 500 (server/compiled.py): the whole suite is the compiled reads' differential test.
os.environ.setdefault("MAILLAGE_COMPILED_READS", "verify")


def _dsn(url: URL) -> str:
    """The URL as asyncpg's own connect() takes it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    """A PostgreSQL server's maintenance database URL."""
    configured = os.environ.get(TEST_SERVER_VARIABLE)
    if configured:
        yield database_url(configured)
        return
    embedded = start_embedded(tmp_path_factory.mktemp("embedded"), database="postgres")
    try:
        yield embedded.url("postgres")
    finally:
        embedded.stop()


DatabaseFactory = Callable[[], Awaitable[URL]]


@pytest.fixture(scope="session")
async def new_database(server_url: URL) -> AsyncIterator[DatabaseFactory]:
    """Creates fresh databases on the test server; drops them all at the end of the run."""
    created: list[str] = []

    async def create() -> URL:
        name = f"maillage_test_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(_dsn(server_url))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        created.append(name)
        return server_url.set(database=name)

    yield create
    connection = await asyncpg.connect(_dsn(server_url))
    try:
        for name in created:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def database(new_database: DatabaseFactory) -> URL:
    """The run's shared database: migrated, with the national territory reference imported."""
    url = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=2)
    try:
        await import_territories(engine)
    finally:
        await engine.dispose()
    return url


async def new_demo_database(new_database: DatabaseFactory) -> URL:
    """A fresh database, migrated, with the territory reference and the demo data loaded."""
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
async def demo_database(new_database: DatabaseFactory) -> URL:
    """The run's demo database, shared by the tests that only read."""
    return await new_demo_database(new_database)


@pytest.fixture(scope="session")
async def national_sample(new_database: DatabaseFactory) -> URL:
    """The demo, then the national generator's data at a small scale (bench/generate.py), in a database of its own.

    The tests that use it only read, or write what no other of them reads back (an action's progress).
    """
    url = await new_demo_database(new_database)
    await generate(url.render_as_string(hide_password=False), 2026, 0.05, False, Console(quiet=True))
    return url


@pytest.fixture(scope="session")
async def engine(database: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database, pool_size=4)
    yield engine
    await engine.dispose()


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serves `app` with uvicorn on a free loopback port; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, for a server whose URL must be known before it serves."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def base_url_of(sock: socket.socket) -> str:
    port: int = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serve_on(app: ASGIApp, sock: socket.socket) -> AsyncIterator[str]:
    """Serves `app` with uvicorn on `sock` (from `loopback_socket`); yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield base_url_of(sock)
    finally:
        server.should_exit = True
        await task
        sock.close()


@asynccontextmanager
async def serve_app(database: URL) -> AsyncIterator[str]:
    """The application on `database`, served over real HTTP; yields its base URL."""
    settings = Settings(_env_file=None, database_url=database.render_as_string(hide_password=False))
    async with serve(create_app(settings, database)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
async def service(database: URL) -> AsyncIterator[str]:
    """The application served by uvicorn on a loopback port; yields its base URL."""
    async with serve_app(database) as base_url:
        yield base_url


@pytest.fixture
async def http(service: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=service, timeout=30) as client:
        yield client


@contextmanager
def recorded_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement `engine` runs inside the block."""
    seen: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
async def demo_sql(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    """An engine of the tests' own on the demo database: expected values come from SQL written in the tests."""
    engine = create_engine(demo_database, pool_size=1)
    yield engine
    await engine.dispose()
