"""What the tests of the action mutations share: a demo database of their own, served over HTTP, persona headers, a
mutation sent as one request, and the database read as its owner to see what a mutation left behind."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, new_demo_database, serve
from tests.schema.conftest import as_persona, sql, trusting

# Every table a mutation on actions may write: a refused one must leave each as it was.
COUNTS = """
SELECT (SELECT count(*) FROM action) AS action,
       (SELECT count(*) FROM action_partner) AS action_partner,
       (SELECT count(*) FROM action_objective) AS action_objective,
       (SELECT count(*) FROM indicator) AS indicator,
       (SELECT count(*) FROM indicator_value) AS indicator_value,
       (SELECT count(*) FROM audit_event) AS audit_event,
       (SELECT count(*) FROM idempotency_key) AS idempotency_key,
       (SELECT sum(version) FROM action) AS action_versions,
       (SELECT sum(version) FROM indicator_value) AS value_versions
"""


@dataclass(frozen=True)
class WritableDemo:
    """The demo served on a database of its own: `client` sends requests, `owner` reads as the tables' owner."""

    client: httpx.AsyncClient
    owner: AsyncEngine
    issuer: LocalIssuer

    def headers(self, persona: str | None) -> dict[str, str]:
        """A persona's bearer token (auth/dev_personas.py); None: anonymous."""
        return as_persona(self.issuer, BY_NAME[persona]) if persona else {}


@asynccontextmanager
async def writable_demo(new_database: DatabaseFactory, issuer: LocalIssuer) -> AsyncIterator[WritableDemo]:
    url = await new_demo_database(new_database)
    owner = create_engine(url, pool_size=2)
    try:
        async with (
            serve(create_app(trusting(issuer), url)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=60) as client,
        ):
            yield WritableDemo(client, owner, issuer)
    finally:
        await owner.dispose()


def node_id(type_name: str, key: int) -> str:
    """The global ID of a row, as the graph gives it."""
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def row_id(global_id: str) -> int:
    """The row id behind a global ID."""
    decoded = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    return int(decoded.split(":", 1)[1])


async def send(
    demo: WritableDemo, document: str, persona: str | None, **variables: Any
) -> tuple[httpx.Response, dict[str, Any]]:
    """One POST of `document`: the response and its JSON body. The body is ASCII JSON, so that any string,
    even one no UTF-8 encoder takes (half of a surrogate pair), reaches the service as a client may send it."""
    body = json.dumps({"query": document, "variables": variables})
    headers = {"content-type": "application/json", **demo.headers(persona)}
    response = await demo.client.post("/graphql", content=body, headers=headers)
    return response, response.json()


async def mutate(demo: WritableDemo, document: str, persona: str | None, **variables: Any) -> dict[str, Any]:
    """The payload of the document's one mutation, which must answer with data (refusals are data)."""
    response, body = await send(demo, document, persona, **variables)
    assert response.status_code == 200, response.text
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload  # type: ignore[no-any-return]


def refusals(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]


async def counts(owner: AsyncEngine) -> dict[str, Any]:
    """How many rows each table a mutation on actions may write holds, and the sum of the versions of the
    rows a mutation may update: any write changes one of them."""
    return await one(owner, COUNTS)


async def one(owner: AsyncEngine, statement: str, **parameters: Any) -> dict[str, Any]:
    (row,) = await sql(owner, statement, **parameters)
    return row


async def events(owner: AsyncEngine, action_id: int) -> list[dict[str, Any]]:
    """The action's audit trail, oldest first."""
    return await sql(
        owner,
        "SELECT subject, operation, changes FROM audit_event WHERE entity = 'action' AND entity_id = :id ORDER BY id",
        id=action_id,
    )
