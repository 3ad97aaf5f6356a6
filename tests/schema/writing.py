"""What the tests of the organisation and habilitation mutations share: a served demo database of their
module's own (they write), its owner's engine to check what was written, and small helpers.

Test modules import the fixtures by name: pytest finds them in the module's namespace.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from stdnum import luhn

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, new_demo_database, serve
from tests.schema.conftest import as_persona, sql, trusting

# What a refused mutation must leave as it was, counted by the database's owner.
FOOTPRINT = """
SELECT (SELECT count(*) FROM organisation) AS organisations,
       (SELECT coalesce(sum(version), 0) FROM organisation) AS organisation_versions,
       (SELECT count(*) FROM habilitation) AS habilitations,
       (SELECT coalesce(sum(version), 0) FROM habilitation) AS habilitation_versions,
       (SELECT count(*) FROM audit_event) AS events,
       (SELECT count(*) FROM idempotency_key) AS keys
"""


@pytest.fixture(scope="module")
async def own_demo(new_database: DatabaseFactory) -> URL:
    return await new_demo_database(new_database)


@pytest.fixture(scope="module")
async def owner(own_demo: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(own_demo, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def writable(own_demo: URL, graph_issuer: LocalIssuer) -> AsyncIterator[str]:
    async with serve(create_app(trusting(graph_issuer), own_demo)) as base_url:
        yield base_url


@pytest.fixture
async def client(writable: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=writable, timeout=60) as http:
        yield http


def persona(issuer: LocalIssuer, name: str) -> dict[str, str]:
    return as_persona(issuer, BY_NAME[name])


def gid(type_name: str, key: Any) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def key_of(node_id: str) -> str:
    """The row key inside a global ID."""
    return base64.urlsafe_b64decode(node_id + "=" * (-len(node_id) % 4)).decode().split(":", 1)[1]


async def mutate(client: httpx.AsyncClient, document: str, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """The payload of the document's one mutation, which must answer 200 without a GraphQL error."""
    response = await client.post("/graphql", json={"query": document, "variables": {"input": fields}}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload  # type: ignore[no-any-return]


async def query(client: httpx.AsyncClient, document: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": document, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def one(engine: AsyncEngine, statement: str, **parameters: Any) -> dict[str, Any]:
    (row,) = await sql(engine, statement, **parameters)
    return row


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]


_sirens = itertools.count(90_000_000)


def new_siren() -> str:
    """A SIREN no other test uses, with its check digit."""
    base = str(next(_sirens))
    return base + luhn.calc_check_digit(base)


def siret_of(siren: str, establishment: str = "0001") -> str:
    base = siren + establishment
    return base + luhn.calc_check_digit(base)
