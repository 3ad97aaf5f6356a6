"""A database that freezes (SIGSTOP, a dead network path) rather than stops: requests get a 503 after
bounded waits, readiness turns false, and the service recovers once the database answers again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import URL

from server.app import create_app
from server.settings import Settings
from tests.conftest import serve
from tests.server.freezable_proxy import FreezableProxy

COMPILED_READ = {"query": '{ department(code: "31") { name } }'}
RESOLVERS_READ = {"query": '{ department(code: "31") { name } viewer { authenticated } }'}
# statement timeout 1 s, connect and acquire 1 s each: a request waits a few seconds at most.
BOUND_SECONDS = 6


@pytest.fixture
async def proxy(own_demo: URL) -> AsyncIterator[FreezableProxy]:
    if not own_demo.host:
        pytest.skip("the test PostgreSQL is reached over a socket folder, not TCP: no proxy in front of it")
    async with FreezableProxy(own_demo.host, own_demo.port or 5432).running() as running:
        yield running


async def test_a_frozen_database_gets_503s_within_bounded_waits_then_recovers(
    own_demo: URL, proxy: FreezableProxy
) -> None:
    # given the service reaching its database through the proxy, with short waits
    url = own_demo.set(host="127.0.0.1", port=proxy.port)
    settings = Settings(
        _env_file=None,
        database_url=url.render_as_string(hide_password=False),
        statement_timeout_ms=1000,
        database_connect_timeout_seconds=1,
        database_acquire_timeout_seconds=1,
        database_pool_size=2,
    )
    async with serve(create_app(settings, url)) as base_url, httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        assert (await client.post("/graphql", json=COMPILED_READ)).status_code == 200
        assert (await client.post("/graphql", json=RESOLVERS_READ)).status_code == 200
        # when the database freezes
        proxy.freeze()
        started = time.monotonic()
        async with asyncio.timeout(4 * BOUND_SECONDS):  # fail, rather than hang as long as the database does
            answers = await asyncio.gather(
                *(client.post("/graphql", json=body) for body in (COMPILED_READ, RESOLVERS_READ) * 3),
                client.get("/readyz"),
            )
        elapsed = time.monotonic() - started
        # then every request is refused as the database unavailable, within the bounds
        assert [answer.status_code for answer in answers] == [503] * 7
        assert all(
            answer.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE" for answer in answers[:-1]
        )
        assert elapsed < BOUND_SECONDS
        # and once it thaws, the service answers again without a restart
        proxy.thaw()
        for _ in range(50):
            if (await client.post("/graphql", json=RESOLVERS_READ)).status_code == 200:
                break
            await asyncio.sleep(0.2)
        assert (await client.post("/graphql", json=COMPILED_READ)).status_code == 200
        assert (await client.post("/graphql", json=RESOLVERS_READ)).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
