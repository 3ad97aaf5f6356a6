"""The database goes away under load and comes back: clear 503s meanwhile, readiness false, nothing
half-written, and the service recovers by itself, without a restart.

The service runs on an embedded PostgreSQL of its own, stopped and started again on the same data folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.embedded import EmbeddedPostgres, start_embedded
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import new_demo_database, serve
from tests.schema.conftest import trusting
from tests.server.actions import CarriedAction, carried_action, describe, state_of

READ = {"query": 'query Read { department(code: "31") { name ctgs(first: 5) { totalCount } } }'}
# Bounds of the traffic sent while the database stops: it never runs away.
MAX_ROUNDS = 400


@dataclass
class Traffic:
    """What the clients saw while the database went and came back."""

    responses: list[httpx.Response] = field(default_factory=list)
    confirmed_writes: int = 0


async def _round(client: httpx.AsyncClient, issuer: LocalIssuer, action: CarriedAction, traffic: Traffic) -> None:
    read = await client.post("/graphql", json=READ)
    write = await describe(client, issuer, action, f"Écrite au tour {len(traffic.responses)}")
    traffic.responses += [read, write]
    if write.status_code == 200:
        payload = write.json()["data"]["updateAction"]
        if payload["action"] is not None:
            action.version = payload["action"]["version"]
            traffic.confirmed_writes += 1
        elif payload["errors"][0]["currentVersion"] is not None:  # an answer lost in the outage: catch up
            action.version = payload["errors"][0]["currentVersion"]


async def _keep_sending(
    client: httpx.AsyncClient, issuer: LocalIssuer, action: CarriedAction, traffic: Traffic, stop: asyncio.Event
) -> None:
    for _ in range(MAX_ROUNDS):
        if stop.is_set():
            return
        await _round(client, issuer, action, traffic)
        await asyncio.sleep(0.01)


class OwnServer:
    """An embedded PostgreSQL the test may stop and start again on the same data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.running: EmbeddedPostgres | None = None

    async def start(self) -> URL:
        self.running = await asyncio.to_thread(start_embedded, self.data_dir)
        return self.running.url()

    async def stop(self) -> None:
        if self.running is not None:
            await asyncio.to_thread(self.running.stop)
            self.running = None


@pytest.fixture
async def own_server(tmp_path: Path) -> AsyncIterator[tuple[OwnServer, URL]]:
    """A migrated demo database on an embedded server of its own."""
    server = OwnServer(tmp_path / "state")
    url = await new_demo_database(server.start)
    try:
        yield server, url
    finally:
        await server.stop()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert "data" not in response.json()


async def _until_ready(client: httpx.AsyncClient) -> httpx.Response:
    for _ in range(200):
        ready = await client.get("/readyz")
        if ready.status_code == 200:
            return ready
        await asyncio.sleep(0.05)
    return ready


@pytest.mark.embedded
async def test_the_service_rides_out_a_database_restart(
    own_server: tuple[OwnServer, URL], server_issuer: LocalIssuer
) -> None:
    database, url = own_server
    owner: AsyncEngine = create_engine(url, pool_size=1)
    action = await carried_action(owner)
    version_before, _, events_before = await state_of(owner, action)
    await owner.dispose()
    traffic = Traffic()
    app = create_app(trusting(server_issuer), url)
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        # given a service serving reads and writes
        await _round(client, server_issuer, action, traffic)
        assert [response.status_code for response in traffic.responses] == [200, 200]

        # when its database stops while requests keep coming
        stop = asyncio.Event()
        load = asyncio.create_task(_keep_sending(client, server_issuer, action, traffic, stop))
        await asyncio.sleep(0.2)
        await database.stop()

        # then requests get a clear 503 to retry, and readiness says the service cannot serve
        during = Traffic()
        await _round(client, server_issuer, action, during)
        for response in during.responses:
            assert_unavailable(response)
        assert (await client.get("/readyz")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200

        # when the database starts again on the same data folder
        same_url = await database.start() == url
        stop.set()
        await load

        # then the same process serves again, reads and writes
        assert same_url
        assert (await _until_ready(client)).status_code == 200
        after = Traffic()
        await _round(client, server_issuer, action, after)
        assert [response.status_code for response in after.responses] == [200, 200]
        assert after.confirmed_writes == 1

    # and every answer was a success or a clear 503, never a 500
    for response in traffic.responses:
        if response.status_code != 200:
            assert_unavailable(response)
    # and nothing is half-written: every version the action went through has its audit event
    owner = create_engine(url, pool_size=1)
    version, _, events = await state_of(owner, action)
    await owner.dispose()
    assert version - version_before == events - events_before
    assert version - version_before >= traffic.confirmed_writes + after.confirmed_writes
