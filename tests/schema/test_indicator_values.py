"""addActionIndicator and reportIndicatorValue over HTTP: who may, versions, the audit trail, checked input.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import sql
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
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

REPORT = """
mutation Report($input: ReportIndicatorValueInput!) {
  reportIndicatorValue(input: $input) {
    indicatorValue { id periodStart periodEnd value comment version }
    errors { field code message currentVersion }
  }
}
"""
ADD_INDICATOR = """
mutation AddIndicator($input: AddActionIndicatorInput!) {
  addActionIndicator(input: $input) {
    indicator { id name unit target action { id version } }
    errors { field code message currentVersion }
  }
}
"""

# An indicator of an action of the Toulouse Métropole CTG carried by the association of the personas.
INDICATOR = """
SELECT i.id, i.action_id FROM indicator i JOIN action a ON a.id = i.action_id
JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = 'demo:association:parents-ensemble-31' AND s.epci_siren = '243100518'
ORDER BY i.id LIMIT 1
"""
# An indicator of an action the association partners without carrying it.
PARTNERED_INDICATOR = """
SELECT i.id FROM indicator i JOIN action a ON a.id = i.action_id
JOIN action_partner p ON p.action_id = a.id JOIN organisation o ON o.id = p.organisation_id
WHERE o.ref = 'demo:association:parents-ensemble-31' AND a.carrier_id <> o.id
ORDER BY i.id LIMIT 1
"""
ACTION = "SELECT id, version FROM action WHERE id = :id"
VALUE = (
    "SELECT period_end, value, comment, version FROM indicator_value WHERE indicator_id = :id AND period_start = :start"
)
INDICATORS = "SELECT name, unit, target FROM indicator WHERE action_id = :id ORDER BY id"

REFUSED = [
    ("cnaf-analyst", "FORBIDDEN"),
    ("cnaf-manager", "FORBIDDEN"),
    ("caf-44-manager", "NOT_FOUND"),
    ("council-44-member", "NOT_FOUND"),
    (None, "NOT_FOUND"),
]
REFUSED_IDS = ["Cnaf analyst", "Cnaf manager", "Caf 44", "council 44", "anonymous"]


@pytest.fixture(scope="module", autouse=True)
async def open_ended(owner: AsyncEngine) -> None:
    """The indicator's action runs on, its end not known: the tests report on years of their own, after the
    demo's values (a report meets the action's period, tested apart)."""
    indicator = await one(owner, INDICATOR)
    async with owner.begin() as connection:
        await connection.execute(
            text("UPDATE action SET period_end = NULL WHERE id = :id"), {"id": indicator["action_id"]}
        )


def _report(indicator: int, year: int, value: str, **fields: Any) -> dict[str, Any]:
    return {
        "indicatorId": gid("Indicator", indicator),
        "periodStart": f"{year}-01-01",
        "periodEnd": f"{year}-12-31",
        "value": value,
        **fields,
    }


@pytest.mark.parametrize(
    ("persona", "year"),
    [("association-member", 2031), ("association-admin", 2032), ("caf-31-agent", 2033), ("epci-coordinator", 2034)],
)
async def test_the_carrier_the_caf_and_the_local_authority_report_then_correct_a_value(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str, year: int
) -> None:
    # given an indicator with no value for the year
    indicator = await one(owner, INDICATOR)
    trail_before = await events(owner, "action", indicator["action_id"])

    # when the persona reports a value, then corrects it from the version it was given
    first = await mutate(
        client,
        REPORT,
        as_named(graph_issuer, persona),
        **_report(indicator["id"], year, "12.5", comment="Premier bilan"),
    )
    second = await mutate(
        client,
        REPORT,
        as_named(graph_issuer, persona),
        **_report(indicator["id"], year, "14", version=first["indicatorValue"]["version"]),
    )

    # then the value exists once, at its second version, and the action's trail shows each report
    assert first["errors"] == second["errors"] == []
    assert (first["indicatorValue"]["value"], first["indicatorValue"]["version"]) == ("12.50", 1)
    assert first["indicatorValue"]["id"] == second["indicatorValue"]["id"]
    assert (second["indicatorValue"]["value"], second["indicatorValue"]["version"]) == ("14.00", 2)
    stored = await one(owner, VALUE, id=indicator["id"], start=date(year, 1, 1))
    assert (str(stored["value"]), stored["comment"], stored["version"]) == ("14.00", None, 2)
    new_events = (await events(owner, "action", indicator["action_id"]))[len(trail_before) :]
    assert [event["operation"] for event in new_events] == ["update", "update"]
    created, corrected = (event["changes"]["indicator_value"] for event in new_events)
    assert created[0] is None
    assert (created[1]["value"], created[1]["comment"]) == ("12.50", "Premier bilan")
    assert created[1] == corrected[0]
    assert (corrected[1]["value"], corrected[1]["comment"]) == ("14.00", None)


@pytest.mark.parametrize(("persona", "code"), REFUSED, ids=REFUSED_IDS)
async def test_who_has_no_capacity_on_the_action_reports_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str | None, code: str
) -> None:
    indicator = await one(owner, INDICATOR)
    before = await footprint(owner)

    payload = await mutate(client, REPORT, as_named(graph_issuer, persona), **_report(indicator["id"], 2040, "1"))

    assert payload["indicatorValue"] is None
    assert codes(payload) == [(code, "indicatorId")]
    assert await footprint(owner) == before


async def test_a_partner_that_does_not_carry_the_action_reports_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    indicator = await one(owner, PARTNERED_INDICATOR)
    before = await footprint(owner)

    payload = await mutate(
        client, REPORT, as_named(graph_issuer, "association-member"), **_report(indicator["id"], 2040, "1")
    )

    assert codes(payload) == [("FORBIDDEN", "indicatorId")]
    assert await footprint(owner) == before


async def test_a_period_already_reported_is_changed_only_from_its_current_version(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a value reported for 2041
    indicator = await one(owner, INDICATOR)
    first = await mutate(client, REPORT, as_named(graph_issuer, "caf-31-agent"), **_report(indicator["id"], 2041, "3"))
    before = await footprint(owner)

    # when it is reported again without a version, or from a stale one, or a new period comes with a version
    again = await mutate(client, REPORT, as_named(graph_issuer, "caf-31-agent"), **_report(indicator["id"], 2041, "4"))
    stale = await mutate(
        client, REPORT, as_named(graph_issuer, "caf-31-agent"), **_report(indicator["id"], 2041, "4", version=7)
    )
    unknown = await mutate(
        client, REPORT, as_named(graph_issuer, "caf-31-agent"), **_report(indicator["id"], 2042, "4", version=1)
    )

    # then each is refused, the conflicts naming the version the value is at, and nothing changed
    assert first["errors"] == []
    version = first["indicatorValue"]["version"]
    assert [(e["code"], e["field"], e["currentVersion"]) for e in again["errors"]] == [("CONFLICT", "version", version)]
    assert [(e["code"], e["field"], e["currentVersion"]) for e in stale["errors"]] == [("CONFLICT", "version", version)]
    assert codes(unknown) == [("INVALID", "version")]
    assert await footprint(owner) == before


async def test_concurrent_first_reports_of_a_period_create_one_value(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    indicator = await one(owner, INDICATOR)
    trail_before = await events(owner, "action", indicator["action_id"])

    payloads = await asyncio.gather(
        *(
            mutate(client, REPORT, as_named(graph_issuer, "caf-31-agent"), **_report(indicator["id"], 2043, str(n)))
            for n in range(6)
        )
    )

    winners = [payload for payload in payloads if not payload["errors"]]
    assert len(winners) == 1
    assert {(e["code"], e["currentVersion"]) for p in payloads for e in p["errors"]} == {("CONFLICT", 1)}
    stored = await one(owner, VALUE, id=indicator["id"], start=date(2043, 1, 1))
    assert str(stored["value"]) == winners[0]["indicatorValue"]["value"]
    assert len(await events(owner, "action", indicator["action_id"])) == len(trail_before) + 1


INVALID_REPORTS = [
    ({"periodStart": "2044-06-01", "periodEnd": "2044-05-31"}, ("INVALID", "periodEnd")),
    ({"value": "-0.01"}, ("INVALID", "value")),
    ({"value": "Infinity"}, ("INVALID", "value")),
    ({"value": "0.125"}, ("INVALID", "value")),
    ({"value": "1e15"}, ("INVALID", "value")),
    ({"comment": "c" * 2001}, ("INVALID", "comment")),
    ({"indicatorId": gid("Action", 1)}, ("INVALID", "indicatorId")),
    ({"indicatorId": gid("Indicator", 10**12)}, ("NOT_FOUND", "indicatorId")),
]


@pytest.mark.parametrize(
    ("fields", "refusal"), INVALID_REPORTS, ids=[str(list(fields)) for fields, _refusal in INVALID_REPORTS]
)
async def test_an_invalid_report_is_refused_on_its_field_and_leaves_nothing(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    fields: dict[str, Any],
    refusal: tuple[str, str],
) -> None:
    indicator = await one(owner, INDICATOR)
    before = await footprint(owner)

    payload = await mutate(
        client, REPORT, as_named(graph_issuer, "association-member"), **_report(indicator["id"], 2044, "1") | fields
    )

    assert codes(payload) == [refusal]
    assert await footprint(owner) == before


def _indicator(action: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"actionId": gid("Action", action["id"]), "version": action["version"], "unit": "familles", **fields}


@pytest.mark.parametrize("persona", ["caf-31-agent", "epci-coordinator"])
async def test_those_who_change_the_action_fully_add_an_indicator(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str
) -> None:
    action = await one(owner, ACTION, id=(await one(owner, INDICATOR))["action_id"])
    indicators_before = await sql(owner, INDICATORS, id=action["id"])
    trail_before = await events(owner, "action", action["id"])

    payload = await mutate(
        client,
        ADD_INDICATOR,
        as_named(graph_issuer, persona),
        **_indicator(action, name=f"  Familles suivies ({persona}) ", target="40"),
    )

    assert payload["errors"] == []
    indicator = payload["indicator"]
    assert (indicator["name"], indicator["unit"], indicator["target"]) == (
        f"Familles suivies ({persona})",
        "familles",
        "40.00",
    )
    assert indicator["action"] == {"id": gid("Action", action["id"]), "version": action["version"] + 1}
    (event,) = (await events(owner, "action", action["id"]))[len(trail_before) :]
    before, after = event["changes"]["indicators"]
    assert [entry["name"] for entry in before] == [row["name"] for row in indicators_before]
    assert after[-1] | {"id": 0} == {
        "id": 0,
        "name": f"Familles suivies ({persona})",
        "unit": "familles",
        "target": "40.00",
    }


@pytest.mark.parametrize(
    ("persona", "fields", "refusal"),
    [
        ("association-member", {"name": "Par le porteur"}, ("FORBIDDEN", "actionId")),
        ("cnaf-manager", {"name": "Par la Cnaf"}, ("FORBIDDEN", "actionId")),
        ("caf-44-manager", {"name": "Par une autre Caf"}, ("NOT_FOUND", "actionId")),
        (None, {"name": "Anonyme"}, ("NOT_FOUND", "actionId")),
        ("caf-31-agent", {"name": " "}, ("INVALID", "name")),
        ("caf-31-agent", {"name": "n" * 201}, ("INVALID", "name")),
        ("caf-31-agent", {"name": "Unité trop longue", "unit": "u" * 51}, ("INVALID", "unit")),
        ("caf-31-agent", {"name": "Cible négative", "target": "-5"}, ("INVALID", "target")),
        ("caf-31-agent", {"name": "Version périmée", "version": 0}, ("CONFLICT", "version")),
    ],
    ids=["carrier", "Cnaf manager", "Caf 44", "anonymous", "blank", "long name", "long unit", "negative", "stale"],
)
async def test_an_indicator_is_added_by_those_who_may_with_a_valid_input_only(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    persona: str | None,
    fields: dict[str, Any],
    refusal: tuple[str, str],
) -> None:
    action = await one(owner, ACTION, id=(await one(owner, INDICATOR))["action_id"])
    before = await footprint(owner)

    payload = await mutate(client, ADD_INDICATOR, as_named(graph_issuer, persona), **_indicator(action) | fields)

    assert payload["indicator"] is None
    assert codes(payload) == [refusal]
    assert await footprint(owner) == before


async def test_an_action_has_one_indicator_of_a_name(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    action = await one(owner, ACTION, id=(await one(owner, INDICATOR))["action_id"])
    taken = (await sql(owner, INDICATORS, id=action["id"]))[0]["name"]
    before = await footprint(owner)

    payload = await mutate(
        client, ADD_INDICATOR, as_named(graph_issuer, "caf-31-agent"), **_indicator(action, name=taken)
    )

    assert codes(payload) == [("INVALID", "name")]
    assert await footprint(owner) == before
