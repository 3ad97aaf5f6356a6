"""SIGTERM with a request in flight, on `maillage serve` in a subprocess, with one worker and with several:
readiness turns false while the service drains, then new connections are refused, the request in flight
finishes, the pool closes, and the process exits 0."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import AUDIENCE, LocalIssuer
from tests.schema.conftest import sql
from tests.server.actions import carried_action, describe, state_of
from tests.server.commands import MAILLAGE, environment

WAITING_ON_A_LOCK = """
SELECT count(*) AS count FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'maillage'
"""
# Bounds of the polling loops below: the test never waits for ever.
POLLS = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def _poll(check: Any) -> bool:
    for _ in range(POLLS):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


def _json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("workers", [1, 2], ids=["one worker", "two workers"])
async def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(
    own_demo: URL, owner: AsyncEngine, server_issuer: LocalIssuer, tmp_path: Path, workers: int
) -> None:
    action = await carried_action(owner)
    version_before, _, _ = await state_of(owner, action)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "service.log").open("w+")
    process = await asyncio.create_subprocess_exec(
        *MAILLAGE,
        "serve",
        "--no-prepare",
        "--port",
        str(port),
        cwd=tmp_path,
        env=environment(
            database_url=own_demo.render_as_string(hide_password=False),
            oidc_issuer=server_issuer.url,
            oidc_audience=AUDIENCE,
            oidc_organisation_claim="organisation",
            oidc_organisation_key="ref",
            shutdown_drain_seconds="1",
            statement_timeout_ms="0",
            graphiql="false",
            workers=str(workers),
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its workers with it: a failing test kills them all
    )
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

            async def ready() -> bool:
                try:
                    return (await client.get("/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

            assert await _poll(ready), "the service never became ready"

            # given a write in flight (a description of its own: the same one again would be no change, and
            # would not wait), waiting on a row another transaction holds
            async with owner.connect() as holder:
                await holder.execute(text("SELECT 1 FROM action WHERE id = :id FOR UPDATE"), {"id": action.id})
                in_flight = asyncio.create_task(
                    describe(client, server_issuer, action, f"Écrite pendant l'arrêt ({workers})")
                )

                async def waiting() -> bool:
                    return bool((await sql(owner, WAITING_ON_A_LOCK))[0]["count"] == 1)

                assert await _poll(waiting), "the write never reached the database"

                # when the service is told to stop
                process.send_signal(signal.SIGTERM)

                # then readiness turns false while it drains
                async def not_ready() -> bool:
                    async with httpx.AsyncClient(base_url=base_url, timeout=5) as fresh:
                        response = await fresh.get("/readyz")
                    return response.status_code == 503 and response.json() == {"status": "shutting_down"}

                assert await _poll(not_ready)

                # and then new connections are refused
                async def refused() -> bool:
                    try:
                        async with httpx.AsyncClient(base_url=base_url, timeout=5) as fresh:
                            await fresh.get("/healthz")
                    except httpx.ConnectError:
                        return True
                    return False

                assert await _poll(refused)
                assert not in_flight.done()
                await holder.rollback()

            # and the request in flight finishes, its write made
            response = await in_flight
        assert response.status_code == 200, response.text
        assert response.json()["data"]["updateAction"]["errors"] == []
        returncode = await asyncio.wait_for(process.wait(), 60)
    finally:
        if process.returncode is None:
            os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
    log.seek(0)
    output = log.read()
    log.close()

    # and the process exits 0 once the pool is closed
    assert returncode == 0, output
    assert "Traceback" not in output
    lines = _json_lines(output)
    # (each worker closes its own)
    assert sum(line["message"] == "database pool closed" for line in lines) == workers, output
    (written,) = [line for line in lines if line.get("operation") == "Describe"]
    assert (written["status"], written["outcome"]) == (200, "ok")
    assert (await state_of(owner, action))[0] == version_before + 1
