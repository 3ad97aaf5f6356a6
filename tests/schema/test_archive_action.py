"""archiveAction over HTTP: who may, and an archived action leaves every read, enters `deletedSince` and is
changed no more.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory
from tests.schema.action_writing import (
    WritableDemo,
    counts,
    events,
    mutate,
    node_id,
    one,
    refusals,
    row_id,
    send,
    writable_demo,
)

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


@pytest.fixture(scope="module")
async def demo(new_database: DatabaseFactory, graph_issuer: LocalIssuer) -> AsyncIterator[WritableDemo]:
    async with writable_demo(new_database, graph_issuer) as served:
        yield served


async def _new_action(demo: WritableDemo) -> dict[str, Any]:
    """A new action of the Toulouse Métropole CTG, carried by the association of the personas."""
    ctg = (await one(demo.owner, CTG))["id"]
    carrier = (await one(demo.owner, CARRIER))["id"]
    fields = {
        "ctgId": node_id("Ctg", ctg),
        "title": "Action à archiver",
        "theme": "YOUTH",
        "carrierId": node_id("Organisation", carrier),
        "periodStart": "2026-09-01",
    }
    created = (await mutate(demo, CREATE, "caf-31-agent", input=fields))["action"]
    return {"id": row_id(created["id"]), "version": created["version"], "ctg_id": ctg}


async def _passerelles(demo: WritableDemo) -> int:
    found: int = (await one(demo.owner, PASSERELLES))["id"]
    return found


async def _reads(demo: WritableDemo, persona: str, action: dict[str, Any], since: datetime) -> dict[str, Any]:
    variables = {"id": node_id("Action", action["id"]), "ctg": node_id("Ctg", action["ctg_id"]), "since": since}
    response, body = await send(demo, READS, persona, **{**variables, "since": since.isoformat()})
    assert response.status_code == 200, body
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("persona", ["caf-31-agent", "epci-coordinator"])
async def test_an_archived_action_leaves_every_read_and_enters_the_deletion_feed(
    demo: WritableDemo, persona: str
) -> None:
    # given an action the persona, and its carrier, read
    action = await _new_action(demo)
    since = datetime.now(UTC) - timedelta(minutes=1)
    global_id = node_id("Action", action["id"])
    for reader in (persona, "association-member"):
        assert (await _reads(demo, reader, action, since))["node"] == {"id": global_id}

    # when the persona archives it
    payload = await mutate(demo, ARCHIVE, persona, input={"id": global_id, "version": action["version"]})

    # then it is archived, recorded as such, gone from the reads of both, and listed as deleted for both
    assert payload == {"archivedId": global_id, "errors": []}
    stored = await one(demo.owner, ARCHIVED, id=action["id"])
    assert stored["archived_at"] is not None
    assert stored["version"] == action["version"] + 1
    (event,) = [event for event in await events(demo.owner, action["id"]) if event["operation"] == "archive"]
    assert list(event["changes"]) == ["archived_at"]
    for reader in (persona, "association-member"):
        reads = await _reads(demo, reader, action, since)
        assert reads["node"] is None
        assert global_id not in str(reads["ctg"])
        assert global_id not in str(reads["actions"])
        assert {"id": global_id, "typename": "Action"} in reads["deletedSince"]["nodes"]


async def test_an_archived_action_is_changed_no_more(demo: WritableDemo) -> None:
    # given an archived action, which had an indicator
    action = await _new_action(demo)
    global_id = node_id("Action", action["id"])
    indicator = await mutate(
        demo,
        ADD_INDICATOR,
        "caf-31-agent",
        input={"actionId": global_id, "version": action["version"], "name": "Jeunes accueillis", "unit": "jeunes"},
    )
    version = indicator["indicator"]["action"]["version"]
    archived = await mutate(demo, ARCHIVE, "caf-31-agent", input={"id": global_id, "version": version})
    before = await counts(demo.owner)

    # when it is archived again, updated, given a partner, or a value of its indicator is reported
    at_version = {"version": version + 1}
    outcomes = [
        await mutate(demo, ARCHIVE, "caf-31-agent", input={"id": global_id, **at_version}),
        await mutate(demo, UPDATE, "caf-31-agent", input={"id": global_id, **at_version, "title": "Revenue"}),
        await mutate(
            demo,
            ADD_PARTNER,
            "caf-31-agent",
            input={
                "actionId": global_id,
                **at_version,
                "organisationId": node_id("Organisation", await _passerelles(demo)),
            },
        ),
        await mutate(
            demo,
            REPORT,
            "association-member",
            input={
                "indicatorId": indicator["indicator"]["id"],
                "periodStart": "2027-01-01",
                "periodEnd": "2027-12-31",
                "value": "3",
            },
        ),
    ]

    # then each is refused as if the action were not there, and nothing changes
    assert archived["errors"] == []
    assert [refusals(payload) for payload in outcomes] == [
        [("NOT_FOUND", "id")],
        [("NOT_FOUND", "id")],
        [("NOT_FOUND", "actionId")],
        [("NOT_FOUND", "indicatorId")],
    ]
    assert await counts(demo.owner) == before


@pytest.mark.parametrize(("persona", "code"), REFUSED, ids=[str(persona) for persona, _code in REFUSED])
async def test_who_may_not_change_the_action_fully_archives_nothing(
    demo: WritableDemo, persona: str | None, code: str
) -> None:
    action = await _new_action(demo)
    before = await counts(demo.owner)

    payload = await mutate(
        demo, ARCHIVE, persona, input={"id": node_id("Action", action["id"]), "version": action["version"]}
    )

    assert payload["archivedId"] is None
    assert refusals(payload) == [(code, "id")]
    assert (await one(demo.owner, ARCHIVED, id=action["id"]))["archived_at"] is None
    assert await counts(demo.owner) == before


async def test_archiving_from_a_stale_version_is_a_conflict(demo: WritableDemo) -> None:
    action = await _new_action(demo)
    before = await counts(demo.owner)

    payload = await mutate(
        demo, ARCHIVE, "caf-31-agent", input={"id": node_id("Action", action["id"]), "version": action["version"] + 1}
    )

    assert [(e["code"], e["currentVersion"]) for e in payload["errors"]] == [("CONFLICT", action["version"])]
    assert await counts(demo.owner) == before
