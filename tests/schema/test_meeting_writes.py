"""Governance meetings, written: recorded once held by the CTG's Caf or local authority, with decisions about
actions of the same CTG; changed (a change of nothing is no change), archived; decisions added and removed; a
body meets once a day; a body that has met stays on its CTG. Refusals leave every row, version and history entry
as they were.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import ctgs
from tests.auth.issuer import LocalIssuer
from tests.schema.writing import (
    as_named,
    client,
    codes,
    footprint,
    gid,
    mutate,
    one,
    own_demo,
    owner,
    query,
    row_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

MEETING = """
meeting {
  id version heldOn attendees minutes body { id name } ctg { id }
  decisions(first: 20) { nodes { id position decision action { id number } } }
  history(first: 20) { nodes { operation fields { field before after } } }
}
errors { field code message }
"""
RECORD = f"mutation ($input: RecordMeetingInput!) {{ recordMeeting(input: $input) {{ {MEETING} }} }}"
UPDATE = f"mutation ($input: UpdateMeetingInput!) {{ updateMeeting(input: $input) {{ {MEETING} }} }}"
ARCHIVE = f"mutation ($input: ArchiveMeetingInput!) {{ archiveMeeting(input: $input) {{ {MEETING} }} }}"
DECISION = "decision { id position decision action { id } } meeting { id version } errors { field code message }"
ADD_DECISION = f"mutation ($input: AddMeetingDecisionInput!) {{ addMeetingDecision(input: $input) {{ {DECISION} }} }}"
REMOVE_DECISION = (
    f"mutation ($input: RemoveMeetingDecisionInput!) {{ removeMeetingDecision(input: $input) {{ {DECISION} }} }}"
)
ADD_BODY = """
mutation ($input: AddGovernanceBodyInput!) {
  addGovernanceBody(input: $input) { governanceBody { id } ctg { version } errors { field code } }
}
"""
REMOVE_BODY = """
mutation ($input: RemoveGovernanceBodyInput!) {
  removeGovernanceBody(input: $input) { governanceBody { id } ctg { version } errors { field code message } }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { id } }"

# What the generic footprint does not count: the meetings, their versions, their decisions.
MEETINGS_FOOTPRINT = """
SELECT (SELECT count(*) FROM governance_meeting) AS meetings,
       (SELECT coalesce(sum(version), 0) FROM governance_meeting) AS meeting_versions,
       (SELECT count(*) FROM governance_meeting WHERE archived_at IS NOT NULL) AS archived,
       (SELECT count(*) FROM meeting_decision) AS decisions,
       (SELECT coalesce(sum(version), 0) FROM meeting_decision) AS decision_versions,
       (SELECT string_agg(id || ':' || position, ',' ORDER BY id) FROM meeting_decision) AS positions
"""
BODY = """
SELECT b.id, b.name, b.ctg_id, s.version AS ctg_version FROM governance_body b JOIN scheme s ON s.id = b.ctg_id
WHERE s.ref = :ctg AND b.position = :position
"""
ACTION = "SELECT id, number FROM action WHERE ref = :ref"
DEMO_MEETING = "SELECT id, version, held_on FROM governance_meeting WHERE body_id = :body ORDER BY held_on LIMIT 1"


async def everything(owner: AsyncEngine) -> dict[str, Any]:
    return {**await footprint(owner), **await one(owner, MEETINGS_FOOTPRINT)}


async def _body(owner: AsyncEngine, ctg: str = ctgs.TOULOUSE_METROPOLE, position: int = 1) -> dict[str, Any]:
    return await one(owner, BODY, ctg=ctg, position=position)


async def _action(owner: AsyncEngine, ctg: str, number: int) -> dict[str, Any]:
    return await one(owner, ACTION, ref=f"{ctg}:action:{number}")


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    return {field["field"]: field for field in entry["fields"]}


async def test_the_caf_records_a_meeting_with_its_decisions_and_history_speaks_api_terms(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's steering committee and an action of its CTG
    body = await _body(owner)
    action = await _action(owner, ctgs.TOULOUSE_METROPOLE, 1)
    caf = as_named(graph_issuer, "caf-31-agent")
    before = await one(owner, MEETINGS_FOOTPRINT)

    # when the Caf records a meeting held, with a decision on the action and another on nothing
    recorded = await mutate(
        client,
        RECORD,
        caf,
        bodyId=gid("GovernanceBody", body["id"]),
        heldOn="2025-02-03",
        attendees=["  Coordinatrice CTG — Toulouse Métropole ", "Conseillère territoriale — Caf de la Haute-Garonne"],
        minutes="Revue du plan d'actions.",
        decisions=[
            {"decision": "Seconde section de la crèche confirmée", "actionId": gid("Action", action["id"])},
            {"decision": "Prochain comité en juin"},
        ],
    )

    # then the meeting is there, its attendees trimmed, its decisions in order, one about the action
    assert recorded["errors"] == []
    meeting = recorded["meeting"]
    assert (meeting["heldOn"], meeting["version"]) == ("2025-02-03", 1)
    assert meeting["attendees"][0] == "Coordinatrice CTG — Toulouse Métropole"
    assert meeting["body"]["id"] == gid("GovernanceBody", body["id"])
    assert meeting["ctg"]["id"] == gid("Ctg", body["ctg_id"])
    decisions = meeting["decisions"]["nodes"]
    assert [(d["position"], d["decision"]) for d in decisions] == [
        (1, "Seconde section de la crèche confirmée"),
        (2, "Prochain comité en juin"),
    ]
    assert decisions[0]["action"] == {"id": gid("Action", action["id"]), "number": action["number"]}
    assert decisions[1]["action"] is None
    after = await one(owner, MEETINGS_FOOTPRINT)
    assert (after["meetings"], after["decisions"]) == (before["meetings"] + 1, before["decisions"] + 2)
    # and its history names rows by global ID
    (entry,) = meeting["history"]["nodes"]
    assert entry["operation"] == "CREATE"
    fields = _fields(entry)
    assert fields["body"]["after"] == gid("GovernanceBody", body["id"])
    assert fields["ctg"]["after"] == gid("Ctg", body["ctg_id"])
    assert fields["heldOn"]["after"] == "2025-02-03"
    recorded_decisions = fields["decisions"]["after"]
    assert [item["id"] for item in recorded_decisions] == [d["id"] for d in decisions]
    assert recorded_decisions[0]["action"] == gid("Action", action["id"])
    assert recorded_decisions[1]["action"] is None


async def test_the_ctgs_local_authority_records_too_and_a_retry_gets_the_same_meeting(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's coordinator (its CTG's local authority)
    body = await _body(owner)
    coordinator = as_named(graph_issuer, "epci-coordinator")
    fields = {"bodyId": gid("GovernanceBody", body["id"]), "heldOn": "2025-04-07", "idempotencyKey": "comite-avril"}

    # when it records a meeting, then retries the same request
    first = await mutate(client, RECORD, coordinator, **fields)
    counted = await everything(owner)
    retry = await mutate(client, RECORD, coordinator, **fields)

    # then the retry gets the meeting the first recorded, and records nothing more
    assert first["errors"] == retry["errors"] == []
    assert retry["meeting"]["id"] == first["meeting"]["id"]
    assert await everything(owner) == counted


async def test_a_second_meeting_of_a_body_on_the_same_day_is_refused_on_the_day(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the demo meeting of Toulouse Métropole's steering committee, and one more of the committee
    body = await _body(owner)
    held = await one(owner, DEMO_MEETING, body=body["id"])
    caf = as_named(graph_issuer, "caf-31-agent")
    other = await mutate(client, RECORD, caf, bodyId=gid("GovernanceBody", body["id"]), heldOn="2025-05-12")
    assert other["errors"] == []
    before = await everything(owner)

    # when the Caf records another meeting of the committee that day, or moves the other one to that day
    twice = await mutate(
        client, RECORD, caf, bodyId=gid("GovernanceBody", body["id"]), heldOn=held["held_on"].isoformat()
    )
    moved = await mutate(
        client,
        UPDATE,
        caf,
        id=other["meeting"]["id"],
        version=other["meeting"]["version"],
        heldOn=held["held_on"].isoformat(),
    )

    # then both are refused on the day, naming the body, and nothing changed
    assert codes(twice) == codes(moved) == [("INVALID", "heldOn")]
    assert body["name"] in twice["errors"][0]["message"]
    assert await everything(owner) == before


async def test_a_decision_about_an_action_of_another_ctg_is_refused_on_its_field(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's committee, and an action of the Muretain's CTG (the same Caf sees both)
    body = await _body(owner)
    elsewhere = await _action(owner, ctgs.MURETAIN, 1)
    meeting = await one(owner, DEMO_MEETING, body=body["id"])
    caf = as_named(graph_issuer, "caf-31-agent")
    before = await everything(owner)

    # when the Caf records a meeting whose second decision is about it, or adds such a decision to a meeting
    recorded = await mutate(
        client,
        RECORD,
        caf,
        bodyId=gid("GovernanceBody", body["id"]),
        heldOn="2025-06-02",
        decisions=[
            {"decision": "Une décision du comité"},
            {"decision": "Une décision sur une autre convention", "actionId": gid("Action", elsewhere["id"])},
        ],
    )
    added = await mutate(
        client,
        ADD_DECISION,
        caf,
        meetingId=gid("GovernanceMeeting", meeting["id"]),
        meetingVersion=meeting["version"],
        decision="Une décision sur une autre convention",
        actionId=gid("Action", elsewhere["id"]),
    )

    # then each is refused on the field naming the action, and nothing changed
    assert codes(recorded) == [("INVALID", "decisions[1].actionId")]
    assert codes(added) == [("INVALID", "actionId")]
    assert await everything(owner) == before


async def test_a_meeting_is_recorded_once_held_and_by_whom_may(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's committee
    body = await _body(owner)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    fields = {"bodyId": gid("GovernanceBody", body["id"]), "heldOn": "2025-06-16"}
    before = await everything(owner)

    # when the Caf records a meeting to come, and others record one held
    future = await mutate(client, RECORD, as_named(graph_issuer, "caf-31-agent"), **{**fields, "heldOn": tomorrow})
    carrier = await mutate(client, RECORD, as_named(graph_issuer, "association-member"), **fields)
    analyst = await mutate(client, RECORD, as_named(graph_issuer, "cnaf-analyst"), **fields)
    elsewhere = await mutate(client, RECORD, as_named(graph_issuer, "caf-44-manager"), **fields)
    anonymous = await mutate(client, RECORD, {}, **fields)

    # then the day to come is invalid; whoever sees the CTG without recording its meetings is forbidden, and
    # whoever does not see it finds no such body
    assert codes(future) == [("INVALID", "heldOn")]
    assert codes(carrier) == codes(analyst) == [("FORBIDDEN", "bodyId")]
    assert codes(elsewhere) == codes(anonymous) == [("NOT_FOUND", "bodyId")]
    assert await everything(owner) == before


async def test_an_update_patches_moves_the_version_and_a_change_of_nothing_is_no_change(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a meeting just recorded
    body = await _body(owner)
    caf = as_named(graph_issuer, "caf-31-agent")
    recorded = await mutate(
        client,
        RECORD,
        caf,
        bodyId=gid("GovernanceBody", body["id"]),
        heldOn="2025-07-07",
        attendees=["Coordinatrice CTG — Toulouse Métropole"],
        minutes="Premier jet.",
    )
    meeting = recorded["meeting"]

    # when the Caf sends its minutes as they are
    before = await everything(owner)
    same = await mutate(client, UPDATE, caf, id=meeting["id"], version=meeting["version"], minutes="Premier jet.")

    # then nothing changed: no version, no history entry
    assert same["errors"] == []
    assert same["meeting"]["version"] == meeting["version"]
    assert await everything(owner) == before

    # when it changes the minutes only, then from a stale version
    changed = await mutate(client, UPDATE, caf, id=meeting["id"], version=meeting["version"], minutes="Compte rendu.")
    stale = await mutate(client, UPDATE, caf, id=meeting["id"], version=meeting["version"], minutes="Autre chose.")

    # then the minutes change, the rest is kept, and history says from what to what; the stale one conflicts
    assert changed["errors"] == []
    got = changed["meeting"]
    assert (got["version"], got["minutes"], got["attendees"]) == (
        meeting["version"] + 1,
        "Compte rendu.",
        ["Coordinatrice CTG — Toulouse Métropole"],
    )
    last = got["history"]["nodes"][-1]
    assert (last["operation"], last["fields"]) == (
        "UPDATE",
        [{"field": "minutes", "before": "Premier jet.", "after": "Compte rendu."}],
    )
    assert codes(stale) == [("CONFLICT", "version")]


async def test_decisions_are_added_and_removed_moving_the_meetings_version(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a meeting with three decisions
    body = await _body(owner)
    action = await _action(owner, ctgs.TOULOUSE_METROPOLE, 2)
    caf = as_named(graph_issuer, "caf-31-agent")
    recorded = await mutate(
        client,
        RECORD,
        caf,
        bodyId=gid("GovernanceBody", body["id"]),
        heldOn="2025-08-25",
        decisions=[{"decision": "Première"}, {"decision": "Deuxième"}, {"decision": "Troisième"}],
    )
    meeting = recorded["meeting"]
    first, second, third = meeting["decisions"]["nodes"]

    # when the Caf adds one about an action, then removes the second
    added = await mutate(
        client,
        ADD_DECISION,
        caf,
        meetingId=meeting["id"],
        meetingVersion=meeting["version"],
        decision="Quatrième",
        actionId=gid("Action", action["id"]),
    )
    removed = await mutate(client, REMOVE_DECISION, caf, id=second["id"], meetingVersion=added["meeting"]["version"])

    # then the added one comes last, each change moved the meeting's version, those after the removed one moved up
    assert added["errors"] == removed["errors"] == []
    assert (added["decision"]["position"], added["decision"]["action"]["id"]) == (4, gid("Action", action["id"]))
    assert added["meeting"]["version"] == meeting["version"] + 1
    assert removed["meeting"]["version"] == meeting["version"] + 2
    assert removed["decision"] is None
    data = await query(
        client,
        "query ($id: ID!) { node(id: $id) { ... on GovernanceMeeting { "
        "decisions(first: 10) { nodes { id position } } history(first: 10) { nodes { fields { field before after } } }"
        " } } }",
        caf,
        id=meeting["id"],
    )
    positions = [(node["id"], node["position"]) for node in data["node"]["decisions"]["nodes"]]
    assert positions == [(first["id"], 1), (third["id"], 2), (added["decision"]["id"], 3)]
    # and history records each decision, in API terms
    *_, add_entry, remove_entry = data["node"]["history"]["nodes"]
    assert add_entry["fields"][0]["field"] == "decisions"
    assert add_entry["fields"][0]["after"]["id"] == added["decision"]["id"]
    assert add_entry["fields"][0]["after"]["action"] == gid("Action", action["id"])
    assert remove_entry["fields"][0]["before"]["id"] == second["id"]
    assert remove_entry["fields"][0]["after"] is None

    # and a stale version is a conflict that changes nothing
    before = await everything(owner)
    stale = await mutate(client, REMOVE_DECISION, caf, id=first["id"], meetingVersion=meeting["version"])
    assert codes(stale) == [("CONFLICT", "meetingVersion")]
    assert await everything(owner) == before


async def test_an_archived_meeting_leaves_the_reads_and_still_holds_its_day(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a meeting recorded by mistake
    body = await _body(owner)
    caf = as_named(graph_issuer, "caf-31-agent")
    fields = {"bodyId": gid("GovernanceBody", body["id"]), "heldOn": "2025-09-08"}
    meeting = (await mutate(client, RECORD, caf, **fields, decisions=[{"decision": "Une décision"}]))["meeting"]
    decision = meeting["decisions"]["nodes"][0]["id"]

    # when the Caf archives it
    archived = await mutate(client, ARCHIVE, caf, id=meeting["id"], version=meeting["version"])

    # then it and its decision leave the reads, history says so, and the body's day stays taken
    assert archived["errors"] == []
    assert (await query(client, NODE, caf, id=meeting["id"]))["node"] is None
    assert (await query(client, NODE, caf, id=decision))["node"] is None
    entry = await one(
        owner,
        "SELECT operation FROM audit_event WHERE entity = 'governance_meeting' AND entity_id = :id ORDER BY id DESC "
        "LIMIT 1",
        id=row_id(meeting["id"]),
    )
    assert entry["operation"] == "archive"
    before = await everything(owner)
    again = await mutate(client, RECORD, caf, **fields)
    twice = await mutate(client, ARCHIVE, caf, id=meeting["id"], version=meeting["version"] + 1)
    assert codes(again) == [("INVALID", "heldOn")]
    assert codes(twice) == [("NOT_FOUND", "id")]
    assert await everything(owner) == before


async def test_a_body_that_has_met_is_in_use_and_one_that_has_not_is_removed(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the Muretain's bodies, the second with the demo's meeting, and a new one whose one meeting is archived
    met = await _body(owner, ctgs.MURETAIN, 2)
    caf = as_named(graph_issuer, "caf-31-agent")
    added = await mutate(
        client,
        ADD_BODY,
        caf,
        ctgId=gid("Ctg", met["ctg_id"]),
        ctgVersion=met["ctg_version"],
        name="Comité des familles",
    )
    assert added["errors"] == []
    new_body = added["governanceBody"]["id"]
    version = added["ctg"]["version"]
    meeting = (await mutate(client, RECORD, caf, bodyId=new_body, heldOn="2025-10-06"))["meeting"]
    assert (await mutate(client, ARCHIVE, caf, id=meeting["id"], version=meeting["version"]))["errors"] == []
    before = await everything(owner)

    # when the Caf removes either body
    in_use = await mutate(client, REMOVE_BODY, caf, id=gid("GovernanceBody", met["id"]), ctgVersion=version)
    archived_only = await mutate(client, REMOVE_BODY, caf, id=new_body, ctgVersion=version)

    # then both are in use (the archived meeting keeps its body too), and nothing changed
    assert codes(in_use) == codes(archived_only) == [("IN_USE", "id")]
    assert "réunions" in in_use["errors"][0]["message"]
    assert await everything(owner) == before

    # and a body that never met is removed
    spare = await mutate(
        client, ADD_BODY, caf, ctgId=gid("Ctg", met["ctg_id"]), ctgVersion=version, name="Groupe de travail"
    )
    removed = await mutate(
        client, REMOVE_BODY, caf, id=spare["governanceBody"]["id"], ctgVersion=spare["ctg"]["version"]
    )
    assert removed["errors"] == []


async def test_two_meetings_of_a_body_recorded_at_once_on_the_same_day_make_one(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's committee, and its Caf and coordinator
    body = await _body(owner)
    fields = {"bodyId": gid("GovernanceBody", body["id"]), "heldOn": "2025-11-03"}
    callers = [as_named(graph_issuer, "caf-31-agent"), as_named(graph_issuer, "epci-coordinator")] * 2
    before = await one(owner, MEETINGS_FOOTPRINT)

    # when both record the same meeting at once, twice each
    payloads = await asyncio.gather(*(mutate(client, RECORD, caller, **fields) for caller in callers))

    # then one meeting is recorded, and the others are refused on the day
    assert sorted(codes(payload) for payload in payloads) == [[]] + [[("INVALID", "heldOn")]] * 3
    assert (await one(owner, MEETINGS_FOOTPRINT))["meetings"] == before["meetings"] + 1
