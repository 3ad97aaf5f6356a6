"""Callers are remembered between their requests (server/callers.py) and checked, in a statement each request
makes anyway, against the generation of access: on both paths, compiled reads and resolvers, a habilitation
revoked in the database counts no more on the caller's next request, and a remembered caller's request takes
its scope in one statement."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import trusting
from tests.schema.writing import habilitated
from tests.server.test_observability import json_log_lines

# What the habilitated caller sees, as a compiled read and as a read the resolvers answer (the organisations of
# its memberships are not compiled).
READS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "compiled": ("query Seen { actions { totalCount } }", lambda data: data["actions"]["totalCount"] > 0),
    "resolvers": (
        "query Seen { viewer { memberships { role organisation { name } } } }",
        lambda data: data["viewer"]["memberships"] != [],
    ),
}


@pytest.fixture(scope="module")
async def base_url(own_demo: URL, server_issuer: LocalIssuer) -> AsyncIterator[str]:
    async with serve(create_app(trusting(server_issuer), own_demo)) as url:
        yield url


async def _data(client: httpx.AsyncClient, query: str, headers: dict[str, str]) -> Any:
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response.json()["data"]


@pytest.mark.parametrize("path", list(READS))
async def test_a_habilitation_revoked_in_the_database_counts_no_more_on_the_next_request(
    base_url: str, owner: AsyncEngine, server_issuer: LocalIssuer, path: str
) -> None:
    # given a habilitated caller, remembered after two requests
    query, sees = READS[path]
    headers = {"authorization": await habilitated(owner, server_issuer, f"remembered-{path}")}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        first, second = [await _data(client, query, headers) for _ in range(2)]

        # when its habilitation is revoked in the database, by no request of the service
        async with owner.begin() as connection:
            await connection.execute(
                text("UPDATE habilitation SET status = 'revoked' WHERE subject = :subject"),
                {"subject": f"remembered-{path}"},
            )
        after = await _data(client, query, headers)

    # then its next request no longer has the rights it gave
    assert sees(first)
    assert sees(second)
    assert not sees(after)


async def test_a_remembered_caller_takes_its_scope_in_one_statement_on_the_resolvers_path(
    base_url: str, owner: AsyncEngine, server_issuer: LocalIssuer
) -> None:
    # given a habilitated caller
    query, _ = READS["resolvers"]
    headers = {"authorization": await habilitated(owner, server_issuer, "counted")}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        # when it asks the same thing three times, and a habilitation of someone else is granted before the third
        with json_log_lines() as lines:
            for turn in range(3):
                if turn == 2:
                    await habilitated(owner, server_issuer, "someone-else")
                await _data(client, query, headers)
    counts = [line["sql_statements"] for line in lines if line.get("operation") == "Seen"]

    # then the first two took their scope in one statement, checking the generation in it (the compiled path,
    # which looks the caller up before it leaves the query to the resolvers, had remembered the caller), and the
    # third, the generation having moved, read the memberships again and took the scope they give; each then
    # loaded the organisation of the membership (one statement)
    assert counts == [1 + 1, 1 + 1, 3 + 1]
