"""updateAction over HTTP: who may change what, optimistic concurrency, the audit trail, nothing half-written.

The tests write, so they run on a demo database of their own rather than the shared one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import sql
from tests.schema.writing import as_named, client, gid, own_demo, owner, writable

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

UPDATE = """
mutation Update($input: UpdateActionInput!) {
  updateAction(input: $input) {
    action { id version title description progress budget }
    errors { field code message currentVersion }
  }
}
"""

CARRIED = """
SELECT a.id, a.version FROM action a JOIN organisation o ON o.id = a.carrier_id
WHERE o.ref = :ref AND a.status NOT IN ('done', 'abandoned') ORDER BY a.id LIMIT 1
"""
PARTNERED_ONLY = """
SELECT a.id, a.version FROM action a
JOIN action_partner p ON p.action_id = a.id JOIN organisation o ON o.id = p.organisation_id
WHERE o.ref = :ref AND a.carrier_id <> o.id ORDER BY a.id LIMIT 1
"""
IN_DEPARTMENT = """
SELECT a.id, a.version FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE s.department_code = :department ORDER BY a.id LIMIT 1
"""
ROW = "SELECT title, description, progress, budget, caf_funding, version FROM action WHERE id = :id"
EVENTS = "SELECT subject, operation, changes FROM audit_event WHERE entity = 'action' AND entity_id = :id ORDER BY id"


async def _update(client: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": UPDATE, "variables": {"input": fields}}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]["updateAction"]  # type: ignore[no-any-return]


async def _one(engine: AsyncEngine, statement: str, **parameters: Any) -> dict[str, Any]:
    (row,) = await sql(engine, statement, **parameters)
    return row


async def test_the_carrier_updates_its_description_and_progress(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action the association carries
    carrier = BY_NAME["association-member"]
    action = await _one(owner, CARRIED, ref=carrier.organisation)
    before = await _one(owner, ROW, id=action["id"])

    # when its carrier changes its description and progress, at the version it read
    payload = await _update(
        client,
        as_named(graph_issuer, carrier.name),
        id=gid("Action", action["id"]),
        version=action["version"],
        description="Nouvelle description",
        progress=75,
    )

    # then the change is made, one version later, and recorded with who made it
    assert payload["errors"] == []
    assert payload["action"]["description"] == "Nouvelle description"
    assert payload["action"]["progress"] == 75
    after = await _one(owner, ROW, id=action["id"])
    assert after["version"] == before["version"] + 1
    assert (after["description"], after["progress"]) == ("Nouvelle description", 75)
    events = await sql(owner, EVENTS, id=action["id"])
    assert events[-1]["subject"] == carrier.subject
    assert events[-1]["operation"] == "update"
    assert events[-1]["changes"] == {
        "description": [before["description"], "Nouvelle description"],
        "progress": [before["progress"], 75],
    }


@pytest.mark.parametrize(
    ("persona", "finder", "code", "field"),
    [
        ("association-member", "carried-budget", "FORBIDDEN", "budget"),
        ("association-member", "partnered", "FORBIDDEN", "id"),
        ("caf-44-manager", "department-31", "NOT_FOUND", "id"),
        ("cnaf-analyst", "department-31", "FORBIDDEN", "id"),
        (None, "department-31", "NOT_FOUND", "id"),
    ],
    ids=["carrier changing a budget", "partner", "Caf of another department", "Cnaf (reads only)", "anonymous"],
)
async def test_a_caller_without_the_right_changes_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    persona: str | None,
    finder: str,
    code: str,
    field: str,
) -> None:
    association = BY_NAME["association-member"].organisation
    statement, parameters = {
        "carried-budget": (CARRIED, {"ref": association}),
        "partnered": (PARTNERED_ONLY, {"ref": association}),
        "department-31": (IN_DEPARTMENT, {"department": "31"}),
    }[finder]
    action = await _one(owner, statement, **parameters)
    before = await _one(owner, ROW, id=action["id"])
    events_before = await sql(owner, EVENTS, id=action["id"])
    fields: dict[str, Any] = {"budget": "1.00"} if finder == "carried-budget" else {"title": "Titre détourné"}

    payload = await _update(
        client,
        as_named(graph_issuer, persona) if persona else {},
        id=gid("Action", action["id"]),
        version=action["version"],
        **fields,
    )

    assert payload["action"] is None
    assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)]
    assert await _one(owner, ROW, id=action["id"]) == before
    assert await sql(owner, EVENTS, id=action["id"]) == events_before


async def test_the_caf_of_the_department_changes_anything(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _one(owner, IN_DEPARTMENT, department="31")

    payload = await _update(
        client,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action["id"]),
        version=action["version"],
        title="Retitré",
    )

    assert payload["errors"] == []
    assert (await _one(owner, ROW, id=action["id"]))["title"] == "Retitré"


async def test_a_stale_version_is_a_conflict_that_names_the_current_one(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _one(owner, IN_DEPARTMENT, department="44")
    before = await _one(owner, ROW, id=action["id"])

    payload = await _update(
        client,
        as_named(graph_issuer, "caf-44-manager"),
        id=gid("Action", action["id"]),
        version=action["version"] - 1,
        title="Trop tard",
    )

    assert payload["errors"] == [
        {
            "field": "version",
            "code": "CONFLICT",
            "message": payload["errors"][0]["message"],
            "currentVersion": before["version"],
        }
    ]
    assert await _one(owner, ROW, id=action["id"]) == before


async def test_concurrent_updates_of_one_version_let_exactly_one_through(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given one action and eight clients that all read the same version
    action = await _one(owner, IN_DEPARTMENT, department="44")
    headers = as_named(graph_issuer, "caf-44-manager")
    events_before = len(await sql(owner, EVENTS, id=action["id"]))

    # when they all update it at once
    payloads = await asyncio.gather(
        *(
            _update(client, headers, id=gid("Action", action["id"]), version=action["version"], title=f"Version {n}")
            for n in range(8)
        )
    )

    # then one wins, the others are told of the conflict, and the row and the trail agree
    winners = [payload for payload in payloads if not payload["errors"]]
    losers = [payload for payload in payloads if payload["errors"]]
    assert len(winners) == 1
    assert {error["code"] for payload in losers for error in payload["errors"]} == {"CONFLICT"}
    after = await _one(owner, ROW, id=action["id"])
    assert after["version"] == action["version"] + 1
    assert after["title"] == winners[0]["action"]["title"]
    events = await sql(owner, EVENTS, id=action["id"])
    assert len(events) == events_before + 1
    assert events[-1]["changes"]["title"][1] == after["title"]


async def test_a_change_the_database_refuses_is_a_typed_error_and_leaves_nothing(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _one(owner, IN_DEPARTMENT, department="31")
    before = await _one(owner, ROW, id=action["id"])

    payload = await _update(
        client,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action["id"]),
        version=before["version"],
        budget="100.00",
        cafFunding="500.00",
    )

    assert [(error["code"], error["field"]) for error in payload["errors"]] == [("INVALID", "cafFunding")]
    assert await _one(owner, ROW, id=action["id"]) == before


async def test_the_service_cannot_rewrite_the_audit_trail(own_demo: URL) -> None:
    engine = create_engine(own_demo, pool_size=1, role="maillage_service")
    try:
        for statement in ("UPDATE audit_event SET subject = 'someone else'", "DELETE FROM audit_event"):
            async with engine.connect() as connection:
                with pytest.raises(ProgrammingError, match="permission denied"):
                    await connection.execute(text(statement))
    finally:
        await engine.dispose()


INVALID_CHANGES = [
    ({"progress": 101}, "progress"),
    ({"progress": -1}, "progress"),
    ({"title": " \t "}, "title"),
    ({"budget": "12.345"}, "budget"),
    ({"budget": "-Infinity"}, "budget"),
    ({"budget": "10.00", "cafFunding": "10.01"}, "cafFunding"),
    ({"periodStart": "2027-01-02", "periodEnd": "2027-01-01"}, "periodEnd"),
    ({"periodStart": None}, "periodStart"),
]


@pytest.mark.parametrize(("fields", "field"), INVALID_CHANGES, ids=[str(fields) for fields, _field in INVALID_CHANGES])
async def test_an_invalid_change_is_refused_on_its_field_before_any_write(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, fields: dict[str, Any], field: str
) -> None:
    action = await _one(owner, IN_DEPARTMENT, department="31")
    before = await _one(owner, ROW, id=action["id"])

    payload = await _update(
        client,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action["id"]),
        version=before["version"],
        **fields,
    )

    assert [(error["code"], error["field"]) for error in payload["errors"]] == [("INVALID", field)]
    assert payload["errors"][0]["message"]
    assert await _one(owner, ROW, id=action["id"]) == before


async def test_a_title_is_stored_trimmed(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _one(owner, IN_DEPARTMENT, department="31")
    before = await _one(owner, ROW, id=action["id"])

    payload = await _update(
        client,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action["id"]),
        version=before["version"],
        title="  Net  ",
    )

    assert payload["errors"] == []
    assert (await _one(owner, ROW, id=action["id"]))["title"] == "Net"
