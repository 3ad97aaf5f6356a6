"""What the tests of scheme and CTG writes share: a demo database of their own, served over HTTP, read
back as its owner, and calls as the development personas.

Each test module that imports the fixtures (`from tests.schema.writing import FIXTURES` and the
`*_fixture` names) gets its own database (module scope), so that its writes cannot change what
another module reads.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, new_demo_database, serve
from tests.schema.conftest import as_persona, sql, trusting


@pytest.fixture(scope="module", name="own_demo")
async def own_demo_fixture(new_database: DatabaseFactory) -> URL:
    return await new_demo_database(new_database)


@pytest.fixture(scope="module", name="owner")
async def owner_fixture(own_demo: URL) -> AsyncIterator[AsyncEngine]:
    """The database as its owner reads it: every row, whatever the write policies."""
    engine = create_engine(own_demo, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module", name="writable")
async def writable_fixture(own_demo: URL, graph_issuer: LocalIssuer) -> AsyncIterator[str]:
    async with serve(create_app(trusting(graph_issuer), own_demo)) as base_url:
        yield base_url


@pytest.fixture(scope="module", name="client")
async def client_fixture(writable: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=writable, timeout=60) as http:
        yield http


class Caller:
    """Sends GraphQL documents as one persona (or anonymously)."""

    def __init__(self, client: httpx.AsyncClient, issuer: LocalIssuer, persona: str | None) -> None:
        self.client = client
        self.headers = as_persona(issuer, BY_NAME[persona]) if persona else {}
        self.persona = BY_NAME[persona] if persona else None

    async def body(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def mutate(self, query: str, **variables: Any) -> dict[str, Any]:
        """The one mutation's payload; the operation itself must not fail."""
        body = await self.body(query, **variables)
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        return payload  # type: ignore[no-any-return]


def gid(type_name: str, key: Any) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def key(global_id: str) -> str:
    padded = global_id + "=" * (-len(global_id) % 4)
    return base64.urlsafe_b64decode(padded).decode().split(":", 1)[1]


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]


async def one(engine: AsyncEngine, statement: str, **parameters: Any) -> dict[str, Any]:
    (row,) = await sql(engine, statement, **parameters)
    return row


async def scheme_id(engine: AsyncEngine, ref: str) -> int:
    return int((await one(engine, "SELECT id FROM scheme WHERE ref = :ref", ref=ref))["id"])


async def organisation_id(engine: AsyncEngine, ref: str) -> int:
    return int((await one(engine, "SELECT id FROM organisation WHERE ref = :ref", ref=ref))["id"])


# Everything a write could leave behind, to compare before and after a refused one.
TRACES = """
SELECT (SELECT count(*) FROM scheme) AS schemes, (SELECT max(version) FROM scheme) AS top_version,
       (SELECT sum(version) FROM scheme) AS versions, (SELECT count(*) FROM ctg) AS ctgs,
       (SELECT sum(version) FROM ctg) AS ctg_versions, (SELECT count(*) FROM scheme_commune) AS communes,
       (SELECT count(*) FROM signature) AS signatures, (SELECT sum(version) FROM signature) AS signature_versions,
       (SELECT count(*) FROM scheme_objective) AS objectives,
       (SELECT sum(version) FROM scheme_objective) AS objective_versions,
       (SELECT count(*) FROM governance_body) AS bodies, (SELECT sum(version) FROM governance_body) AS body_versions,
       (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM idempotency_key) AS keys
"""


async def traces(engine: AsyncEngine) -> dict[str, Any]:
    return await one(engine, TRACES)
