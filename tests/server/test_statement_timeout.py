"""The per-request statement timeout: a statement that would hold its connection longer is stopped by
PostgreSQL, and the request gets a clear error instead of a hang; nothing of it is written."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import trusting
from tests.server.actions import carried_action, describe, state_of

TIMEOUT_MS = 300


@pytest.fixture(scope="module")
async def impatient(own_demo: URL, server_issuer: LocalIssuer) -> AsyncIterator[str]:
    settings = trusting(server_issuer).model_copy(update={"statement_timeout_ms": TIMEOUT_MS})
    async with serve(create_app(settings, own_demo)) as base_url:
        yield base_url


async def test_a_statement_over_the_timeout_is_stopped_with_a_clear_error(
    impatient: str, owner: AsyncEngine, server_issuer: LocalIssuer
) -> None:
    # given an action whose row another transaction holds, so that an update of it waits
    action = await carried_action(owner)
    before = await state_of(owner, action)
    async with owner.connect() as holder, httpx.AsyncClient(base_url=impatient, timeout=30) as client:
        await holder.execute(text("SELECT 1 FROM action WHERE id = :id FOR UPDATE"), {"id": action.id})

        # when the carrier describes it
        response = await describe(client, server_issuer, action, "Décrite pendant le verrou")
        await holder.rollback()

    # then PostgreSQL stopped the waiting statement, the client is told so, and nothing was written
    assert response.status_code == 504, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "STATEMENT_TIMEOUT"
    assert f"{TIMEOUT_MS} ms" in error["message"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert await state_of(owner, action) == before


async def test_without_the_wait_the_same_write_is_made(
    impatient: str, owner: AsyncEngine, server_issuer: LocalIssuer
) -> None:
    action = await carried_action(owner)
    version, _, events = await state_of(owner, action)

    async with httpx.AsyncClient(base_url=impatient, timeout=30) as client:
        response = await describe(client, server_issuer, action, "Décrite sans attente")

    assert response.json()["data"]["updateAction"]["errors"] == []
    assert await state_of(owner, action) == (version + 1, "Décrite sans attente", events + 1)
