"""Facilities written over HTTP: created, changed and archived by the Caf of their department, their contact data
changed by their manager, actions linked to them; refusals typed, leaving nothing behind; changes in history in
the API's terms; a change to what a facility already holds changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import ctgs
from db.demo import organisations as org
from tests.auth.issuer import LocalIssuer
from tests.schema.writing import (
    as_named,
    client,
    codes,
    events,
    gid,
    mutate,
    one,
    organisation_id,
    own_demo,
    owner,
    query,
    row_id,
    scheme_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

FACILITY_FIELDS = "id version name kind status capacity email phone manager { id } commune { inseeCode }"
CREATE = f"""
mutation ($input: CreateFacilityInput!) {{ createFacility(input: $input) {{
  facility {{ {FACILITY_FIELDS} }} errors {{ field code message currentVersion }} }} }}
"""
UPDATE = f"""
mutation ($input: UpdateFacilityInput!) {{ updateFacility(input: $input) {{
  facility {{ {FACILITY_FIELDS} }} errors {{ field code message currentVersion }} }} }}
"""
ARCHIVE = """
mutation ($input: ArchiveFacilityInput!) { archiveFacility(input: $input) { archivedId errors { field code message } } }
"""
LINK = """
mutation ($input: LinkActionFacilityInput!) { linkActionFacility(input: $input) {
  facility { id version actions { edges { link node { id } } } } errors { field code message } } }
"""
UNLINK = """
mutation ($input: UnlinkActionFacilityInput!) { unlinkActionFacility(input: $input) {
  facility { id version actions { totalCount } } errors { field code message } } }
"""
HISTORY = """
query ($id: ID!) { node(id: $id) { ... on Facility { history(first: 100) { nodes {
  operation subject fields { field before after } } } } } }
"""

# Everything a facility write could leave behind, counted by the database's owner.
FOOTPRINT = """
SELECT (SELECT count(*) FROM facility) AS facilities, (SELECT sum(version) FROM facility) AS versions,
       (SELECT count(*) FROM facility WHERE archived_at IS NOT NULL) AS archived,
       (SELECT count(*) FROM facility_action) AS links, (SELECT sum(version) FROM facility_action) AS link_versions,
       (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM idempotency_key) AS keys
"""
NEW_FACILITY = """
INSERT INTO facility (kind, name, manager_id, commune_insee_code, status, email)
VALUES ('multi_accueil', :name, :manager, :commune, :status, 'accueil@creche.example') RETURNING id
"""
NEW_ACTION = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
SELECT :ctg, coalesce(max(number), 0) + 1, 'Action d''essai', 'youth', :carrier, '2026-01-01', 'draft'
FROM action WHERE ctg_id = :ctg RETURNING id
"""
BLAGNAC, NANTES = "31069", "44109"


async def write(engine: AsyncEngine, statement: str, **parameters: Any) -> list[dict[str, Any]]:
    """The rows a writing statement returns, committed by the owner."""
    async with engine.begin() as connection:
        result = await connection.execute(text(statement), parameters)
        return [dict(row) for row in result.mappings()]


async def _facility(owner: AsyncEngine, commune: str = BLAGNAC, status: str = "open") -> int:
    """A facility managed by the personas' association, made by the owner."""
    manager = await organisation_id(owner, org.PARENTS_ENSEMBLE)
    (row,) = await write(
        owner, NEW_FACILITY, name=f"Crèche d'essai {commune}", manager=manager, commune=commune, status=status
    )
    return int(row["id"])


async def _version(owner: AsyncEngine, facility_id: int) -> int:
    return int((await one(owner, "SELECT version FROM facility WHERE id = :id", id=facility_id))["version"])


async def _footprint(owner: AsyncEngine) -> dict[str, Any]:
    return await one(owner, FOOTPRINT)


async def test_the_caf_creates_a_facility_once_per_key_and_history_tells_it(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a Caf 31 agent and a new facility's input in Blagnac
    caf = as_named(graph_issuer, "caf-31-agent")
    manager = gid("Organisation", await organisation_id(owner, org.PARENTS_ENSEMBLE))
    fields = {
        "kind": "MICRO_CRECHE",
        "name": "  Micro-crèche Les Lucioles ",
        "managerId": manager,
        "communeId": gid("Commune", BLAGNAC),
        "capacity": 12,
        "email": "lucioles@creche.example",
        "idempotencyKey": "create-lucioles",
    }

    # when it creates it, then retries the same request
    first = await mutate(client, CREATE, caf, **fields)
    again = await mutate(client, CREATE, caf, **fields)

    # then one facility, planned, trimmed, in its commune's department, and the retry gets it
    assert first["errors"] == []
    assert again["errors"] == []
    facility = first["facility"]
    assert again["facility"]["id"] == facility["id"]
    assert (facility["name"], facility["kind"], facility["status"], facility["capacity"]) == (
        "Micro-crèche Les Lucioles",
        "MICRO_CRECHE",
        "PLANNED",
        12,
    )
    stored = await one(
        owner, "SELECT department_code, epci_siren FROM facility WHERE id = :id", id=row_id(facility["id"])
    )
    assert stored == {"department_code": "31", "epci_siren": org.TOULOUSE_METROPOLE.siren}
    history = (await query(client, HISTORY, caf, id=facility["id"]))["node"]["history"]["nodes"]
    assert [change["operation"] for change in history] == ["CREATE"]
    created = {change["field"]: change["after"] for change in history[0]["fields"]}
    assert created["manager"] == manager
    assert created["commune"] == gid("Commune", BLAGNAC)
    assert created["kind"] == "MICRO_CRECHE"


async def test_a_facility_is_created_by_the_caf_of_its_department_only(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    manager = gid("Organisation", await organisation_id(owner, org.PARENTS_ENSEMBLE))
    fields = {"kind": "EVS", "name": "Espace de vie sociale", "managerId": manager}
    before = await _footprint(owner)

    # when callers who are not the Caf of the commune's department ask
    refusals = [
        codes(
            await mutate(client, CREATE, as_named(graph_issuer, persona), **fields, communeId=gid("Commune", commune))
        )
        for persona, commune in (
            ("caf-31-agent", NANTES),
            ("epci-coordinator", BLAGNAC),
            ("association-member", BLAGNAC),
            ("cnaf-manager", BLAGNAC),
        )
    ]

    # then each is refused on the commune, and nothing is written
    assert refusals == [[("FORBIDDEN", "communeId")]] * 4
    assert await _footprint(owner) == before


async def test_its_caf_changes_every_field_and_a_change_to_what_it_holds_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner, status="planned")
    caf = as_named(graph_issuer, "caf-31-agent")
    version = await _version(owner, facility_id)

    changed = await mutate(
        client,
        UPDATE,
        caf,
        id=gid("Facility", facility_id),
        version=version,
        name="Crèche des Ailes",
        capacity=40,
        status="OPEN",
        phone="05 61 00 00 00",
    )
    assert changed["errors"] == []
    assert changed["facility"]["version"] == version + 1
    assert (changed["facility"]["name"], changed["facility"]["capacity"], changed["facility"]["status"]) == (
        "Crèche des Ailes",
        40,
        "OPEN",
    )
    trail = await events(owner, "facility", facility_id)
    assert set(trail[-1]["changes"]) == {"name", "capacity", "status", "phone"}

    # when it sends the same values again
    before = await _footprint(owner)
    same = await mutate(
        client, UPDATE, caf, id=gid("Facility", facility_id), version=version + 1, name="Crèche des Ailes", capacity=40
    )

    # then nothing changes: same version, no history entry
    assert same["errors"] == []
    assert same["facility"]["version"] == version + 1
    assert await _footprint(owner) == before
    # and an unchanged request from a stale version is still a conflict
    stale = await mutate(client, UPDATE, caf, id=gid("Facility", facility_id), version=version, capacity=40)
    assert [(e["code"], e["field"], e["currentVersion"]) for e in stale["errors"]] == [
        ("CONFLICT", "version", version + 1)
    ]


async def test_its_manager_changes_its_contact_data_only(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner)
    manager = as_named(graph_issuer, "association-member")
    version = await _version(owner, facility_id)
    before = await _footprint(owner)

    # when the manager's member asks for its name, capacity or manager besides its e-mail
    refusals = [
        codes(await mutate(client, UPDATE, manager, id=gid("Facility", facility_id), version=version, **fields))
        for fields in (
            {"email": "nouveau@creche.example", "name": "Autre nom"},
            {"capacity": 99},
            {"managerId": gid("Organisation", await organisation_id(owner, org.CAF_31))},
            {"communeId": gid("Commune", "31555")},
        )
    ]

    # then each is refused on the field it may not change, and nothing is written
    assert refusals == [
        [("FORBIDDEN", "name")],
        [("FORBIDDEN", "capacity")],
        [("FORBIDDEN", "managerId")],
        [("FORBIDDEN", "communeId")],
    ]
    assert await _footprint(owner) == before

    # when it changes the e-mail and phone only, it may
    done = await mutate(
        client,
        UPDATE,
        manager,
        id=gid("Facility", facility_id),
        version=version,
        email="Nouveau@Creche.example",
        phone="05 61 11 22 33",
    )
    assert done["errors"] == []
    assert (done["facility"]["email"], done["facility"]["phone"]) == ("Nouveau@creche.example", "05 61 11 22 33")
    trail = await events(owner, "facility", facility_id)
    assert trail[-1]["subject"] == "dev-association-member"
    assert set(trail[-1]["changes"]) == {"email", "phone"}


async def test_those_who_only_read_a_facility_or_do_not_see_it_are_refused(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    open_facility = await _facility(owner)
    planned = await _facility(owner, status="planned")
    before = await _footprint(owner)

    outcomes = {
        (persona, facility_id): codes(
            await mutate(
                client,
                UPDATE,
                as_named(graph_issuer, persona),
                id=gid("Facility", facility_id),
                version=await _version(owner, facility_id),
                email="detourne@example.org",
            )
        )
        for persona, facility_id in (
            ("epci-coordinator", open_facility),  # its territory: reads it, changes nothing
            ("caf-44-manager", open_facility),  # another department: sees its public data only
            ("caf-44-manager", planned),  # ...and not a planned one at all
            (None, open_facility),
            ("cnaf-analyst", open_facility),
        )
    }

    assert outcomes == {
        ("epci-coordinator", open_facility): [("FORBIDDEN", "id")],
        ("caf-44-manager", open_facility): [("FORBIDDEN", "id")],
        ("caf-44-manager", planned): [("NOT_FOUND", "id")],
        (None, open_facility): [("FORBIDDEN", "id")],
        ("cnaf-analyst", open_facility): [("FORBIDDEN", "id")],
    }
    assert await _footprint(owner) == before


async def test_its_caf_keeps_it_in_its_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner)
    before = await _footprint(owner)

    moved = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Facility", facility_id),
        version=await _version(owner, facility_id),
        communeId=gid("Commune", NANTES),
    )

    assert codes(moved) == [("FORBIDDEN", "communeId")]
    assert await _footprint(owner) == before


async def test_invalid_values_are_refused_on_their_field_before_any_write(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner)
    caf = as_named(graph_issuer, "caf-31-agent")
    version = await _version(owner, facility_id)
    before = await _footprint(owner)

    refusals = [
        codes(await mutate(client, UPDATE, caf, id=gid("Facility", facility_id), version=version, **fields))
        for fields in (
            {"name": "  "},
            {"capacity": -1},
            {"email": "pas une adresse"},
            {"approvedFrom": "2026-06-01", "approvedUntil": "2026-05-31"},
            {"status": "CLOSED"},  # a closed facility has the day it closed
            {"name": None},
        )
    ]

    assert refusals == [
        [("INVALID", "name")],
        [("INVALID", "capacity")],
        [("INVALID", "email")],
        [("INVALID", "approvedUntil")],
        [("INVALID", "closedOn")],
        [("INVALID", "name")],
    ]
    assert await _footprint(owner) == before


async def test_its_caf_archives_it_and_nobody_else_may(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner)
    version = await _version(owner, facility_id)
    before = await _footprint(owner)

    by_manager = await mutate(
        client, ARCHIVE, as_named(graph_issuer, "association-member"), id=gid("Facility", facility_id), version=version
    )
    assert codes(by_manager) == [("FORBIDDEN", "id")]
    assert await _footprint(owner) == before

    done = await mutate(
        client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), id=gid("Facility", facility_id), version=version
    )
    assert done == {"archivedId": gid("Facility", facility_id), "errors": []}
    assert (await events(owner, "facility", facility_id))[-1]["operation"] == "archive"
    again = await mutate(
        client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), id=gid("Facility", facility_id), version=version + 1
    )
    assert codes(again) == [("NOT_FOUND", "id")]


async def test_its_caf_links_actions_of_its_department_to_it(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    facility_id = await _facility(owner)
    carrier = await organisation_id(owner, org.PARENTS_ENSEMBLE)
    (toulouse,) = await write(owner, NEW_ACTION, ctg=await scheme_id(owner, ctgs.TOULOUSE_METROPOLE), carrier=carrier)
    (nantes,) = await write(owner, NEW_ACTION, ctg=await scheme_id(owner, ctgs.NANTES_METROPOLE), carrier=carrier)
    caf = as_named(graph_issuer, "caf-31-agent")
    facility, action = gid("Facility", facility_id), gid("Action", toulouse["id"])
    version = await _version(owner, facility_id)

    # the EPCI, which reads both, may not link them; an action of another department is not one of its own
    before = await _footprint(owner)
    by_epci = await mutate(
        client,
        LINK,
        as_named(graph_issuer, "epci-coordinator"),
        facilityId=facility,
        version=version,
        actionId=action,
        link="CREATES",
    )
    assert codes(by_epci) == [("FORBIDDEN", "facilityId")]
    elsewhere = await mutate(
        client,
        LINK,
        as_named(graph_issuer, "caf-44-manager"),
        facilityId=facility,
        version=version,
        actionId=gid("Action", nantes["id"]),
        link="FUNDS",
    )
    assert codes(elsewhere) == [("FORBIDDEN", "facilityId")]
    assert await _footprint(owner) == before

    # when the Caf links the action, then links it again as extending it, then again the same
    linked = await mutate(client, LINK, caf, facilityId=facility, version=version, actionId=action, link="CREATES")
    relinked = await mutate(
        client, LINK, caf, facilityId=facility, version=version + 1, actionId=action, link="EXTENDS"
    )
    middle = await _footprint(owner)
    same = await mutate(client, LINK, caf, facilityId=facility, version=version + 2, actionId=action, link="EXTENDS")

    assert linked["errors"] == relinked["errors"] == same["errors"] == []
    assert linked["facility"]["actions"]["edges"] == [{"link": "CREATES", "node": {"id": action}}]
    assert relinked["facility"]["actions"]["edges"] == [{"link": "EXTENDS", "node": {"id": action}}]
    assert same["facility"]["version"] == version + 2
    assert await _footprint(owner) == middle
    history = (await query(client, HISTORY, caf, id=facility))["node"]["history"]["nodes"]
    assert [change["fields"] for change in history[-2:]] == [
        [{"field": "actions", "before": None, "after": {"action": action, "link": "CREATES"}}],
        [
            {
                "field": "actions",
                "before": {"action": action, "link": "CREATES"},
                "after": {"action": action, "link": "EXTENDS"},
            }
        ],
    ]

    # and it unlinks it; unlinking it again finds no link
    unlinked = await mutate(client, UNLINK, caf, facilityId=facility, version=version + 2, actionId=action)
    assert unlinked["errors"] == []
    assert unlinked["facility"]["actions"]["totalCount"] == 0
    missing = await mutate(client, UNLINK, caf, facilityId=facility, version=version + 3, actionId=action)
    assert codes(missing) == [("NOT_FOUND", "actionId")]


async def test_an_action_of_another_department_is_not_linked(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a Caf 31 facility and an action of a CTG of 44 the Caf 31 partners (it sees it)
    facility_id = await _facility(owner)
    carrier = await organisation_id(owner, org.PARENTS_ENSEMBLE)
    (action,) = await write(owner, NEW_ACTION, ctg=await scheme_id(owner, ctgs.NOZAY), carrier=carrier)
    await write(
        owner,
        "INSERT INTO action_partner (action_id, organisation_id, role) VALUES (:a, :o, 'Appui') RETURNING action_id",
        a=action["id"],
        o=await organisation_id(owner, org.CAF_31),
    )
    before = await _footprint(owner)

    refused = await mutate(
        client,
        LINK,
        as_named(graph_issuer, "caf-31-agent"),
        facilityId=gid("Facility", facility_id),
        version=await _version(owner, facility_id),
        actionId=gid("Action", action["id"]),
        link="FUNDS",
    )

    assert codes(refused) == [("INVALID", "actionId")]
    assert await _footprint(owner) == before
