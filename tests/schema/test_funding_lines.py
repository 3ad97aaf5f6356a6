"""Funding lines written over HTTP, and the Caf's validation of an action's funding holding.

An action's budget and Caf funding are the totals of its lines (a trigger keeps them). A Caf's lines, and every
line's amount granted, are the Caf's: anyone else is refused and nothing is written. A change of the Caf's planned
funding of a validated action — through its lines or through `updateAction` — sends the action back for
validation, the reason in its history: an EPCI once raised a validated action's Caf funding from 42,500 € to
80,000 € and nothing noticed.
"""

from __future__ import annotations

from decimal import Decimal
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
    scheme_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ACTION_FIELDS = "id version status budget cafFunding"
ADD = f"""
mutation ($input: AddFundingLineInput!) {{ addFundingLine(input: $input) {{
  fundingLine {{ id version year type planned granted paid funder {{ id }} }}
  action {{ {ACTION_FIELDS} }} facility {{ id version }} errors {{ field code message currentVersion }} }} }}
"""
UPDATE = f"""
mutation ($input: UpdateFundingLineInput!) {{ updateFundingLine(input: $input) {{
  fundingLine {{ id version planned granted paid }} action {{ {ACTION_FIELDS} }}
  errors {{ field code message currentVersion }} }} }}
"""
REMOVE = f"""
mutation ($input: RemoveFundingLineInput!) {{ removeFundingLine(input: $input) {{
  removedId action {{ {ACTION_FIELDS} }} errors {{ field code message currentVersion }} }} }}
"""
UPDATE_ACTION = f"""
mutation ($input: UpdateActionInput!) {{ updateAction(input: $input) {{
  action {{ {ACTION_FIELDS} }} errors {{ field code message }} }} }}
"""
HISTORY = """
query ($id: ID!) { node(id: $id) { ... on Action { history(first: 100) { nodes {
  operation reason fields { field before after } } } } } }
"""

NEW_ACTION = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status, budget, caf_funding)
SELECT :ctg, coalesce(max(number), 0) + 1, 'Extension du multi-accueil', 'early_childhood', :carrier, '2026-01-01',
       :status, :budget, :caf
FROM action WHERE ctg_id = :ctg RETURNING id
"""
NEW_LINE = """
INSERT INTO funding_line (action_id, facility_id, year, funder_id, type, planned, granted)
VALUES (:action, :facility, 2026, :funder, :type, :planned, :granted) RETURNING id
"""
NEW_FACILITY = """
INSERT INTO facility (kind, name, manager_id, commune_insee_code, status)
VALUES ('laep', 'Lieu d''accueil enfants-parents', :manager, '31069', 'open') RETURNING id
"""
ACTION_ROW = "SELECT status, version, budget, caf_funding FROM action WHERE id = :id"
FOOTPRINT = """
SELECT (SELECT count(*) FROM funding_line) AS lines, (SELECT sum(version) FROM funding_line) AS line_versions,
       (SELECT sum(planned) FROM funding_line) AS planned,
       (SELECT sum(coalesce(granted, 0)) FROM funding_line) AS granted,
       (SELECT sum(version) FROM action) AS action_versions,
       (SELECT count(*) FROM action WHERE status = 'validated') AS validated,
       (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM idempotency_key) AS keys
"""


async def write(engine: AsyncEngine, statement: str, **parameters: Any) -> list[dict[str, Any]]:
    async with engine.begin() as connection:
        result = await connection.execute(text(statement), parameters)
        return [dict(row) for row in result.mappings()]


async def _action(
    owner: AsyncEngine, status: str = "validated", budget: str | None = None, caf: str | None = None
) -> int:
    """An action of Toulouse Métropole's CTG (its EPCI's, of department 31), carried by the personas' association."""
    ctg = await scheme_id(owner, ctgs.TOULOUSE_METROPOLE)
    carrier = await organisation_id(owner, org.PARENTS_ENSEMBLE)
    (row,) = await write(owner, NEW_ACTION, ctg=ctg, carrier=carrier, status=status, budget=budget, caf=caf)
    return int(row["id"])


async def _line(
    owner: AsyncEngine,
    funder: str,
    planned: str,
    *,
    action: int | None = None,
    facility: int | None = None,
    kind: str = "prestation_de_service",
    granted: str | None = None,
) -> int:
    funder_id = await organisation_id(owner, funder)
    values = {"action": action, "facility": facility, "funder": funder_id, "type": kind}
    (row,) = await write(owner, NEW_LINE, **values, planned=planned, granted=granted)
    return int(row["id"])


async def _funded(owner: AsyncEngine) -> tuple[int, int, int]:
    """A validated action funded in 2026 by the Caf 31 (42,500 €) and by Toulouse Métropole (20,000 €)."""
    action = await _action(owner)
    caf_line = await _line(owner, org.CAF_31, "42500.00", action=action)
    epci_line = await _line(
        owner, org.TOULOUSE_METROPOLE.ref, "20000.00", action=action, kind="subvention_fonctionnement"
    )
    return action, caf_line, epci_line


async def _line_version(owner: AsyncEngine, line: int) -> int:
    return int((await one(owner, "SELECT version FROM funding_line WHERE id = :id", id=line))["version"])


async def _footprint(owner: AsyncEngine) -> dict[str, Any]:
    return await one(owner, FOOTPRINT)


async def test_an_epci_cannot_raise_the_caf_funding_of_a_validated_action(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action the Caf validated with 42,500 € of Caf funding (no funding lines: figures of its own)
    action = await _action(owner, budget="100000.00", caf="42500.00")
    before = await one(owner, ACTION_ROW, id=action)
    footprint = await _footprint(owner)

    # when its CTG's EPCI raises the Caf funding to 80,000 €
    payload = await mutate(
        client,
        UPDATE_ACTION,
        as_named(graph_issuer, "epci-coordinator"),
        id=gid("Action", action),
        version=before["version"],
        cafFunding="80000.00",
    )

    # then it is refused on cafFunding, and nothing changed: still validated, at 42,500 €, no history entry
    assert codes(payload) == [("FORBIDDEN", "cafFunding")]
    assert "Caf" in payload["errors"][0]["message"]
    assert await one(owner, ACTION_ROW, id=action) == before
    assert await _footprint(owner) == footprint


async def test_the_cafs_own_change_of_its_funding_sends_a_validated_action_back_for_validation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _action(owner, budget="100000.00", caf="42500.00")
    version = (await one(owner, ACTION_ROW, id=action))["version"]

    payload = await mutate(
        client,
        UPDATE_ACTION,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Action", action),
        version=version,
        cafFunding="80000.00",
    )

    assert payload["errors"] == []
    assert (payload["action"]["status"], payload["action"]["cafFunding"]) == ("SUBMITTED", "80000.00")
    (change,) = (await query(client, HISTORY, as_named(graph_issuer, "caf-31-agent"), id=gid("Action", action)))[
        "node"
    ]["history"]["nodes"]
    assert {field["field"]: (field["before"], field["after"]) for field in change["fields"]} == {
        "cafFunding": ("42500.00", "80000.00"),
        "status": ("VALIDATED", "SUBMITTED"),
    }
    assert "42500.00 €" in change["reason"]
    assert "80000.00 €" in change["reason"]
    assert "validation" in change["reason"]


async def test_an_epci_cannot_touch_the_cafs_line_nor_any_amount_granted(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, caf_line, epci_line = await _funded(owner)
    epci = as_named(graph_issuer, "epci-coordinator")
    caf = gid("Organisation", await organisation_id(owner, org.CAF_31))
    before = await one(owner, ACTION_ROW, id=action)
    assert (before["budget"], before["caf_funding"]) == (Decimal("62500.00"), Decimal("42500.00"))
    footprint = await _footprint(owner)

    # when the EPCI raises the Caf's line, sets an amount granted, adds or removes a Caf line
    refusals = [
        codes(
            await mutate(
                client,
                UPDATE,
                epci,
                id=gid("FundingLine", caf_line),
                version=await _line_version(owner, caf_line),
                planned="80000.00",
            )
        ),
        codes(
            await mutate(
                client,
                UPDATE,
                epci,
                id=gid("FundingLine", epci_line),
                version=await _line_version(owner, epci_line),
                granted="20000.00",
            )
        ),
        codes(
            await mutate(
                client,
                UPDATE,
                epci,
                id=gid("FundingLine", epci_line),
                version=await _line_version(owner, epci_line),
                funderId=caf,
            )
        ),
        codes(
            await mutate(
                client,
                ADD,
                epci,
                actionId=gid("Action", action),
                year=2027,
                funderId=caf,
                type="PRESTATION_DE_SERVICE",
                planned="80000.00",
            )
        ),
        codes(
            await mutate(
                client, REMOVE, epci, id=gid("FundingLine", caf_line), version=await _line_version(owner, caf_line)
            )
        ),
    ]

    # then each is refused on the field at fault, and nothing is written
    assert refusals == [
        [("FORBIDDEN", "planned")],
        [("FORBIDDEN", "granted")],
        [("FORBIDDEN", "funderId")],
        [("FORBIDDEN", "funderId")],
        [("FORBIDDEN", "id")],
    ]
    assert await one(owner, ACTION_ROW, id=action) == before
    assert await _footprint(owner) == footprint


async def test_the_caf_changing_its_planned_line_sends_the_validated_action_back(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, caf_line, _epci_line = await _funded(owner)
    caf = as_named(graph_issuer, "caf-31-agent")

    payload = await mutate(
        client,
        UPDATE,
        caf,
        id=gid("FundingLine", caf_line),
        version=await _line_version(owner, caf_line),
        planned="80000.00",
    )

    assert payload["errors"] == []
    assert payload["fundingLine"]["planned"] == "80000.00"
    assert (payload["action"]["status"], payload["action"]["budget"], payload["action"]["cafFunding"]) == (
        "SUBMITTED",
        "100000.00",
        "80000.00",
    )
    change = (await query(client, HISTORY, caf, id=gid("Action", action)))["node"]["history"]["nodes"][-1]
    fields = {field["field"]: (field["before"], field["after"]) for field in change["fields"]}
    assert fields["status"] == ("VALIDATED", "SUBMITTED")
    assert fields["cafFunding"] == ("42500.00", "80000.00")
    assert fields["budget"] == ("62500.00", "100000.00")
    line_before, line_after = fields["fundingLines"]
    assert (line_before["planned"], line_after["planned"]) == ("42500.00", "80000.00")
    assert line_after["id"] == gid("FundingLine", caf_line)
    assert line_after["type"] == "PRESTATION_DE_SERVICE"
    assert "validation" in change["reason"]


async def test_other_lines_are_the_epcis_and_leave_the_validation_standing(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, _caf_line, epci_line = await _funded(owner)
    epci = as_named(graph_issuer, "epci-coordinator")
    commune = gid("Organisation", await organisation_id(owner, org.TOULOUSE_METROPOLE.ref))

    changed = await mutate(
        client,
        UPDATE,
        epci,
        id=gid("FundingLine", epci_line),
        version=await _line_version(owner, epci_line),
        planned="25000.00",
        paid="5000.00",
    )
    added = await mutate(
        client,
        ADD,
        epci,
        actionId=gid("Action", action),
        year=2027,
        funderId=commune,
        type="SUBVENTION_FONCTIONNEMENT",
        planned="10000.00",
        idempotencyKey="epci-2027",
    )
    retried = await mutate(
        client,
        ADD,
        epci,
        actionId=gid("Action", action),
        year=2027,
        funderId=commune,
        type="SUBVENTION_FONCTIONNEMENT",
        planned="10000.00",
        idempotencyKey="epci-2027",
    )

    assert changed["errors"] == []
    assert added["errors"] == []
    assert retried["fundingLine"]["id"] == added["fundingLine"]["id"]
    assert (added["action"]["status"], added["action"]["budget"], added["action"]["cafFunding"]) == (
        "VALIDATED",
        "77500.00",
        "42500.00",
    )
    # a second line of the same year, funder and type is not another one
    twice = await mutate(
        client,
        ADD,
        epci,
        actionId=gid("Action", action),
        year=2027,
        funderId=commune,
        type="SUBVENTION_FONCTIONNEMENT",
        planned="1.00",
    )
    assert codes(twice) == [("INVALID", "year")]


async def test_the_caf_grants_and_a_change_to_what_a_line_holds_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, _caf_line, epci_line = await _funded(owner)
    caf = as_named(graph_issuer, "caf-31-agent")
    version = await _line_version(owner, epci_line)

    granted = await mutate(client, UPDATE, caf, id=gid("FundingLine", epci_line), version=version, granted="18000.00")
    assert granted["errors"] == []
    assert granted["fundingLine"]["granted"] == "18000.00"
    assert granted["action"]["status"] == "VALIDATED"  # the Caf's planned funding did not move

    footprint = await _footprint(owner)
    same = await mutate(client, UPDATE, caf, id=gid("FundingLine", epci_line), version=version + 1, granted="18000.00")
    assert same["errors"] == []
    assert same["fundingLine"]["version"] == version + 1
    assert await _footprint(owner) == footprint
    stale = await mutate(client, UPDATE, caf, id=gid("FundingLine", epci_line), version=version, granted="18000.00")
    assert [(e["code"], e["field"], e["currentVersion"]) for e in stale["errors"]] == [
        ("CONFLICT", "version", version + 1)
    ]
    assert len(await events(owner, "action", action)) == 1


async def test_removing_the_cafs_line_moves_the_totals_and_the_validation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, caf_line, _epci_line = await _funded(owner)

    payload = await mutate(
        client,
        REMOVE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("FundingLine", caf_line),
        version=await _line_version(owner, caf_line),
    )

    assert payload["errors"] == []
    assert payload["removedId"] == gid("FundingLine", caf_line)
    assert (payload["action"]["status"], payload["action"]["budget"], payload["action"]["cafFunding"]) == (
        "SUBMITTED",
        "20000.00",
        "0.00",
    )
    (event,) = await events(owner, "action", action)
    assert event["changes"]["funding_lines"][1] is None


async def test_an_actions_totals_are_its_lines_not_figures_of_their_own(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action, _caf_line, _epci_line = await _funded(owner)
    before = await one(owner, ACTION_ROW, id=action)
    footprint = await _footprint(owner)

    payload = await mutate(
        client,
        UPDATE_ACTION,
        as_named(graph_issuer, "epci-coordinator"),
        id=gid("Action", action),
        version=before["version"],
        budget="999999.00",
    )

    assert codes(payload) == [("INVALID", "budget")]
    assert await _footprint(owner) == footprint


async def test_a_facilitys_lines_are_its_cafs(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    (facility,) = await write(owner, NEW_FACILITY, manager=await organisation_id(owner, org.PARENTS_ENSEMBLE))
    funder = gid("Organisation", await organisation_id(owner, org.CAF_31))
    fields = {
        "facilityId": gid("Facility", facility["id"]),
        "year": 2026,
        "funderId": funder,
        "type": "BONUS_TERRITOIRE",
        "planned": "12000.00",
    }
    footprint = await _footprint(owner)

    by_manager = await mutate(client, ADD, as_named(graph_issuer, "association-member"), **fields)
    by_epci = await mutate(client, ADD, as_named(graph_issuer, "epci-coordinator"), **fields)
    assert codes(by_manager) == [("FORBIDDEN", "facilityId")]
    assert codes(by_epci) == [("FORBIDDEN", "facilityId")]
    assert await _footprint(owner) == footprint

    added = await mutate(client, ADD, as_named(graph_issuer, "caf-31-agent"), **fields, granted="12000.00")
    assert added["errors"] == []
    assert added["facility"]["id"] == fields["facilityId"]
    assert added["action"] is None
    (event,) = await events(owner, "facility", facility["id"])
    assert event["changes"]["funding_lines"][1]["planned"] == "12000.00"


async def test_invalid_lines_are_refused_on_their_field(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    action = await _action(owner, status="draft")
    caf = as_named(graph_issuer, "caf-31-agent")
    funder = gid("Organisation", await organisation_id(owner, org.CAF_31))
    base = {"actionId": gid("Action", action), "year": 2026, "funderId": funder, "type": "INVESTISSEMENT"}
    footprint = await _footprint(owner)

    refusals = [
        codes(await mutate(client, ADD, caf, **{**base, **fields}))
        for fields in (
            {"planned": "-1.00"},
            {"planned": "10.001"},
            {"planned": "10.00", "year": 1900},
            {"planned": "10.00", "facilityId": gid("Facility", 1)},
            {"planned": "10.00", "funderId": gid("Organisation", 999999999)},
        )
    ]

    assert refusals == [
        [("INVALID", "planned")],
        [("INVALID", "planned")],
        [("INVALID", "year")],
        [("INVALID", "facilityId")],
        [("NOT_FOUND", "funderId")],
    ]
    assert await _footprint(owner) == footprint


async def test_an_epcis_first_line_may_not_wipe_the_cafs_funding_figure(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a validated action with figures of its own (no lines yet): 42,500 € of Caf funding
    action = await _action(owner, budget="100000.00", caf="42500.00")
    before = await one(owner, ACTION_ROW, id=action)
    footprint = await _footprint(owner)
    funder = gid("Organisation", await organisation_id(owner, org.TOULOUSE_METROPOLE.ref))

    # when its EPCI adds the action's first line, its own (its totals would become those of the lines: no Caf line)
    payload = await mutate(
        client,
        ADD,
        as_named(graph_issuer, "epci-coordinator"),
        actionId=gid("Action", action),
        year=2026,
        funderId=funder,
        type="SUBVENTION_FONCTIONNEMENT",
        planned="57500.00",
    )

    # then it is refused, and nothing is written: the Caf's funding is the Caf's
    assert codes(payload) == [("FORBIDDEN", "actionId")]
    assert await one(owner, ACTION_ROW, id=action) == before
    assert await _footprint(owner) == footprint
