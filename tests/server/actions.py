"""A write the server's tests make: a carrier redescribing one of its actions through updateAction."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, sql

DESCRIBE = """
mutation Describe($input: UpdateActionInput!) {
  updateAction(input: $input) { action { version description } errors { code currentVersion } }
}
"""
CARRIER = BY_NAME["association-member"]
_CARRIED = """
SELECT a.id, a.version FROM action a JOIN organisation o ON o.id = a.carrier_id
WHERE o.ref = :ref ORDER BY a.id LIMIT 1
"""
_STATE = "SELECT version, description FROM action WHERE id = :id"
_EVENTS = "SELECT count(*) AS count FROM audit_event WHERE entity = 'action' AND entity_id = :id"


@dataclass
class CarriedAction:
    id: int
    version: int

    @property
    def global_id(self) -> str:
        return base64.urlsafe_b64encode(f"Action:{self.id}".encode()).decode().rstrip("=")

    def describe(self, description: str) -> dict[str, Any]:
        """The request body changing the action's description, at the version last seen."""
        fields = {"id": self.global_id, "version": self.version, "description": description}
        return {"query": DESCRIBE, "variables": {"input": fields}}


async def carried_action(owner: AsyncEngine) -> CarriedAction:
    (row,) = await sql(owner, _CARRIED, ref=CARRIER.organisation)
    return CarriedAction(row["id"], row["version"])


def carrier_headers(issuer: LocalIssuer) -> dict[str, str]:
    return as_persona(issuer, CARRIER)


async def state_of(owner: AsyncEngine, action: CarriedAction) -> tuple[int, str, int]:
    """(version, description, audit events) of the action as the database has it."""
    (row,) = await sql(owner, _STATE, id=action.id)
    (events,) = await sql(owner, _EVENTS, id=action.id)
    return row["version"], row["description"], events["count"]


async def describe(
    client: httpx.AsyncClient, issuer: LocalIssuer, action: CarriedAction, description: str
) -> httpx.Response:
    return await client.post("/graphql", json=action.describe(description), headers=carrier_headers(issuer))
