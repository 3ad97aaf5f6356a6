"""archiveAction over HTTP: who may, and an archived action leaves every read, enters `deletedSince` and is
changed no more.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.writing import (
    as_named,
    client,
    codes,
    events,
    footprint,
    gid,
    mutate,
    one,
    own_demo,
    owner,
    row_id,
    send,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ARCHIVE = """
mutation Archive($input: ArchiveActionInput!) {
  archiveAction(input: $input) { archivedId errors { field code message currentVersion } }
}
"""
UPDATE = """
mutation Update($input: UpdateActionInput!) {
  updateAction(input: $input) { action { id } errors { field code } }
}
"""
ADD_PARTNER = """
mutation Add($input: AddActionPartnerInput!) {
  addActionPartner(input: $input) { action { id } errors { field code } }
}
"""
ADD_INDICATOR = """
mutation AddIndicator($input: AddActionIndicatorInput!) {
  addActionIndicator(input: $input) { indicator { id action { version } } errors { field code } }
}
"""
REPORT = """
mutation Report($input: ReportIndicatorValueInput!) {
  reportIndicatorValue(input: $input) { indicatorValue { id } errors { field code } }
}
"""
READS = """
query Reads($id: ID!, $ctg: ID!, $since: DateTime!) {
  node(id: $id) { id }
  ctg: node(id: $ctg) { ... on Ctg { actions(first: 100) { totalCount nodes { id } } } }
  actions(first: 100) { totalCount nodes { id } }
  deletedSince(since: $since) { nodes { id typename } }
}
"""

CREATE = """
mutation Create($input: CreateActionInput!) {
  createAction(input: $input) { action { id version } errors { field code } }
}
"""
CTG = "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = '243100518'"
CARRIER = "SELECT id FROM organisation WHERE ref = 'demo:association:parents-ensemble-31'"
PASSERELLES = "SELECT id FROM organisation WHERE ref = 'demo:association:centre-social-les-passerelles'"
ARCHIVED = "SELECT archived_at, version FROM action WHERE id = :id"

REFUSED = [
    ("association-member", "FORBIDDEN"),
    ("cnaf-analyst", "FORBIDDEN"),
    ("cnaf-manager", "FORBIDDEN"),
    ("caf-44-manager", "NOT_FOUND"),
    ("council-44-member", "NOT_FOUND"),
    (None, "NOT_FOUND"),
]


async def _new_action(client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer) -> dict[str, Any]:
    """A new action of the Toulouse Métropole CTG, carried by the association of the personas."""
    ctg = (await one(owner, CTG))["id"]
    carrier = (await one(owner, CARRIER))["id"]
    fields = {
        "ctgId": gid("Ctg", ctg),
        "title": "Action à archiver",
        "theme": "YOUTH",
        "carrierId": gid("Organisation", carrier),
        "periodStart": "2026-09-01",
    }
    created = (await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields))["action"]
    return {"id": row_id(created["id"]), "version": created["version"], "ctg_id": ctg}


async def _passerelles(owner: AsyncEngine) -> int:
    found: int = (await one(owner, PASSERELLES))["id"]
    return found


async def _reads(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    persona: str,
    action: dict[str, Any],
    since: datetime,
) -> dict[str, Any]:
    variables = {"id": gid("Action", action["id"]), "ctg": gid("Ctg", action["ctg_id"]), "since": since}
    response, body = await send(
        client, READS, as_named(graph_issuer, persona), **{**variables, "since": since.isoformat()}
    )
    assert response.status_code == 200, body
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("persona", ["caf-31-agent", "epci-coordinator"])
async def test_an_archived_action_leaves_every_read_and_enters_the_deletion_feed(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str
) -> None:
    # given an action the persona, and its carrier, read
    action = await _new_action(client, owner, graph_issuer)
    since = datetime.now(UTC) - timedelta(minutes=1)
    global_id = gid("Action", action["id"])
    for reader in (persona, "association-member"):
        assert (await _reads(client, owner, graph_issuer, reader, action, since))["node"] == {"id": global_id}

    # when the persona archives it
    payload = await mutate(client, ARCHIVE, as_named(graph_issuer, persona), id=global_id, version=action["version"])

    # then it is archived, recorded as such, gone from the reads of both, and listed as deleted for both
    assert payload == {"archivedId": global_id, "errors": []}
    stored = await one(owner, ARCHIVED, id=action["id"])
    assert stored["archived_at"] is not None
    assert stored["version"] == action["version"] + 1
    (event,) = [event for event in await events(owner, "action", action["id"]) if event["operation"] == "archive"]
    assert list(event["changes"]) == ["archived_at"]
    for reader in (persona, "association-member"):
        reads = await _reads(client, owner, graph_issuer, reader, action, since)
        assert reads["node"] is None
        assert global_id not in str(reads["ctg"])
        assert global_id not in str(reads["actions"])
        assert {"id": global_id, "typename": "Action"} in reads["deletedSince"]["nodes"]


async def test_an_archived_action_is_changed_no_more(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given an archived action, which had an indicator
    action = await _new_action(client, owner, graph_issuer)
    global_id = gid("Action", action["id"])
    indicator = await mutate(
        client,
        ADD_INDICATOR,
        as_named(graph_issuer, "caf-31-agent"),
        actionId=global_id,
        version=action["version"],
        name="Jeunes accueillis",
        unit="jeunes",
    )
    version = indicator["indicator"]["action"]["version"]
    archived = await mutate(client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), id=global_id, version=version)
    before = await footprint(owner)

    # when it is archived again, updated, given a partner, or a value of its indicator is reported
    at_version = {"version": version + 1}
    outcomes = [
        await mutate(client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), **{"id": global_id, **at_version}),
        await mutate(
            client,
            UPDATE,
            as_named(graph_issuer, "caf-31-agent"),
            **{"id": global_id, **at_version, "title": "Revenue"},
        ),
        await mutate(
            client,
            ADD_PARTNER,
            as_named(graph_issuer, "caf-31-agent"),
            **{
                "actionId": global_id,
                **at_version,
                "organisationId": gid("Organisation", await _passerelles(owner)),
            },
        ),
        await mutate(
            client,
            REPORT,
            as_named(graph_issuer, "association-member"),
            indicatorId=indicator["indicator"]["id"],
            periodStart="2027-01-01",
            periodEnd="2027-12-31",
            value="3",
        ),
    ]

    # then each is refused as if the action were not there, and nothing changes
    assert archived["errors"] == []
    assert [codes(payload) for payload in outcomes] == [
        [("NOT_FOUND", "id")],
        [("NOT_FOUND", "id")],
        [("NOT_FOUND", "actionId")],
        [("NOT_FOUND", "indicatorId")],
    ]
    assert await footprint(owner) == before


@pytest.mark.parametrize(("persona", "code"), REFUSED, ids=[str(persona) for persona, _code in REFUSED])
async def test_who_may_not_change_the_action_fully_archives_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str | None, code: str
) -> None:
    action = await _new_action(client, owner, graph_issuer)
    before = await footprint(owner)

    payload = await mutate(
        client, ARCHIVE, as_named(graph_issuer, persona), id=gid("Action", action["id"]), version=action["version"]
    )

    assert payload["archivedId"] is None
    assert codes(payload) == [(code, "id")]
    assert (await one(owner, ARCHIVED, id=action["id"]))["archived_at"] is None
    assert await footprint(owner) == before


async def test_archiving_from_a_stale_version_is_a_conflict(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    action = await _new_action(client, owner, graph_issuer)
    before = await footprint(owner)

    payload = await mutate(
        client,
        ARCHIVE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action["id"]),
        version=action["version"] + 1,
    )

    assert [(e["code"], e["currentVersion"]) for e in payload["errors"]] == [("CONFLICT", action["version"])]
    assert await footprint(owner) == before
