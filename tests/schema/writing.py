"""What the tests of the mutations share: a demo database of the test module's own, served over HTTP, read back
by its owner, requests sent as the development personas, and the footprint a refused write must leave as it was.

Test modules import the fixtures they use by name and list them in `__all__` (pytest finds them in the module's
namespace). Their scope is the module: each module writes on a database of its own, so that its writes cannot
change what another module reads.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from stdnum import luhn

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, new_demo_database, serve
from tests.schema.conftest import as_persona, sql, trusting

# Everything a write could leave behind, counted by the database's owner: how many rows each table a mutation
# writes holds, and the sum of the versions of the rows a mutation may update (any update moves one of them).
_FOOTPRINT = """
SELECT (SELECT count(*) FROM organisation) AS organisations,
       (SELECT coalesce(sum(version), 0) FROM organisation) AS organisation_versions,
       (SELECT count(*) FROM habilitation) AS habilitations,
       (SELECT coalesce(sum(version), 0) FROM habilitation) AS habilitation_versions,
       (SELECT count(*) FROM action) AS actions,
       (SELECT coalesce(sum(version), 0) FROM action) AS action_versions,
       (SELECT count(*) FROM action_partner) AS partners,
       (SELECT count(*) FROM action_objective) AS objectives_served,
       (SELECT count(*) FROM indicator) AS indicators,
       (SELECT count(*) FROM indicator_value) AS indicator_values,
       (SELECT coalesce(sum(version), 0) FROM indicator_value) AS value_versions,
       (SELECT count(*) FROM scheme) AS schemes,
       (SELECT max(version) FROM scheme) AS top_version,
       (SELECT coalesce(sum(version), 0) FROM scheme) AS scheme_versions,
       (SELECT count(*) FROM ctg) AS ctgs,
       (SELECT coalesce(sum(version), 0) FROM ctg) AS ctg_versions,
       (SELECT count(*) FROM scheme_commune) AS communes,
       (SELECT count(*) FROM signature) AS signatures,
       (SELECT coalesce(sum(version), 0) FROM signature) AS signature_versions,
       (SELECT count(*) FROM scheme_objective) AS objectives,
       (SELECT coalesce(sum(version), 0) FROM scheme_objective) AS objective_versions,
       (SELECT count(*) FROM governance_body) AS bodies,
       (SELECT coalesce(sum(version), 0) FROM governance_body) AS body_versions,
       (SELECT count(*) FROM reporting_campaign) AS campaigns,
       (SELECT coalesce(sum(version), 0) FROM reporting_campaign) AS campaign_versions,
       (SELECT count(*) FROM campaign_ctg) AS campaign_ctgs,
       (SELECT count(*) FROM campaign_reminder) AS reminders,
       (SELECT count(*) FROM audit_event) AS events,
       (SELECT count(*) FROM idempotency_key) AS keys
"""


@pytest.fixture(scope="module")
async def own_demo(new_database: DatabaseFactory) -> URL:
    return await new_demo_database(new_database)


@pytest.fixture(scope="module")
async def owner(own_demo: URL) -> AsyncIterator[AsyncEngine]:
    """The database as its owner reads it: every row, whatever the policies."""
    engine = create_engine(own_demo, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def writable(own_demo: URL, graph_issuer: LocalIssuer) -> AsyncIterator[str]:
    """The app on the module's database, served on loopback: its base URL."""
    async with serve(create_app(trusting(graph_issuer), own_demo)) as base_url:
        yield base_url


@pytest.fixture(scope="module")
async def client(writable: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=writable, timeout=60) as http:
        yield http


def as_named(issuer: LocalIssuer, name: str | None) -> dict[str, str]:
    """A development persona's bearer token (auth/dev_personas.py); None: anonymous."""
    return as_persona(issuer, BY_NAME[name]) if name else {}


async def send(
    client: httpx.AsyncClient, document: str, headers: dict[str, str], **variables: Any
) -> tuple[httpx.Response, dict[str, Any]]:
    """One POST of `document`: the response and its JSON body. The body is ASCII JSON, so that any string,
    even one no UTF-8 encoder takes (half of a surrogate pair), reaches the service as a client may send it."""
    content = json.dumps({"query": document, "variables": variables})
    response = await client.post("/graphql", content=content, headers={"content-type": "application/json", **headers})
    return response, response.json()


async def post(client: httpx.AsyncClient, document: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    """The body of a request the service answers with 200."""
    response, answer = await send(client, document, headers, **variables)
    assert response.status_code == 200, response.text
    return answer


async def query(client: httpx.AsyncClient, document: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    """The data of a request answered without a GraphQL error."""
    answer = await post(client, document, headers, **variables)
    assert "errors" not in answer, answer
    return answer["data"]  # type: ignore[no-any-return]


async def mutate(client: httpx.AsyncClient, document: str, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """The payload of the document's one mutation, given `fields` as its input; refusals are data, so the
    request must answer without a GraphQL error."""
    (payload,) = (await query(client, document, headers, input=fields)).values()
    return payload  # type: ignore[no-any-return]


def holds_nul(value: Any) -> bool:
    """Whether a GraphQL input holds a NUL character in any text, key or value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


def gid(type_name: str, key: Any) -> str:
    """The global ID of a row, as the graph gives it."""
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def key_of(global_id: str) -> str:
    """The row key inside a global ID."""
    return base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode().split(":", 1)[1]


def row_id(global_id: str) -> int:
    """The row id inside a global ID."""
    return int(key_of(global_id))


async def one(engine: AsyncEngine, statement: str, **parameters: Any) -> dict[str, Any]:
    (row,) = await sql(engine, statement, **parameters)
    return row


def codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(code, field) of each refusal of a payload."""
    return [(error["code"], error["field"]) for error in payload["errors"]]


async def footprint(owner: AsyncEngine) -> dict[str, Any]:
    return await one(owner, _FOOTPRINT)


async def events(owner: AsyncEngine, entity: str, entity_id: int) -> list[dict[str, Any]]:
    """The audit trail of a row, oldest first."""
    return await sql(
        owner,
        "SELECT subject, operation, changes FROM audit_event WHERE entity = :entity AND entity_id = :id ORDER BY id",
        entity=entity,
        id=entity_id,
    )


async def scheme_id(owner: AsyncEngine, ref: str) -> int:
    return int((await one(owner, "SELECT id FROM scheme WHERE ref = :ref", ref=ref))["id"])


async def organisation_id(owner: AsyncEngine, ref: str) -> int:
    return int((await one(owner, "SELECT id FROM organisation WHERE ref = :ref", ref=ref))["id"])


_sirens = itertools.count(90_000_000)


def new_siren() -> str:
    """A SIREN no other test uses, with its check digit."""
    base = str(next(_sirens))
    return base + luhn.calc_check_digit(base)


def siret_of(siren: str, establishment: str = "0001") -> str:
    base = siren + establishment
    return base + luhn.calc_check_digit(base)


async def habilitated(
    owner: AsyncEngine, issuer: LocalIssuer, subject: str, *, expires_in: timedelta | None = None
) -> str:
    """The headers of an identity whose only right is a habilitation, granted in SQL, as association member of an
    association carrying actions (expiring after `expires_in`, or never)."""
    async with owner.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO habilitation (issuer, subject, organisation_id, role, status, expires_at) "
                "SELECT :issuer, :subject, min(carrier_id), 'association_member', 'active', "
                "now() + :expires FROM action"
            ),
            {"issuer": issuer.url, "subject": subject, "expires": expires_in},
        )
    return f"Bearer {issuer.access_token(roles=[], sub=subject)}"
