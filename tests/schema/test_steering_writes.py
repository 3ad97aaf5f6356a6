"""Steering a CTG, written: the rules that keep the data together (an action within its CTG's themes and
period, a done action a record, a report within its action's course and beside its other periods, a CTG under a
scheme in force, a nested input that patches), department-wide CTGs, the reasons of a validation, and reporting
campaigns opened, run and reminded by their Caf.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
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

_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _french(day: date) -> str:
    """A day as French messages write it: 31 décembre 2027."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


ACTION_PAYLOAD = """
action { id version status progress updatedAt history(last: 1) { nodes { reason fields { field after } } } }
errors { field code message }
"""
CREATE_ACTION = f"mutation ($input: CreateActionInput!) {{ createAction(input: $input) {{ {ACTION_PAYLOAD} }} }}"
UPDATE_ACTION = f"mutation ($input: UpdateActionInput!) {{ updateAction(input: $input) {{ {ACTION_PAYLOAD} }} }}"
TRANSITION = f"""
mutation ($input: TransitionActionInput!) {{
  transitionAction(input: $input) {{ {ACTION_PAYLOAD} }}
}}
"""
UPDATE_CTG = """
mutation ($input: UpdateCtgInput!) {
  updateCtg(input: $input) {
    ctg { version coordinator { name email organisation { name } } diagnostic { date summary } }
    errors { field code message }
  }
}
"""
CREATE_CTG = """
mutation ($input: CreateCtgInput!) {
  createCtg(input: $input) {
    ctg { id scope department { code } communes(first: 1) { totalCount } }
    errors { field code message }
  }
}
"""
REPORT = """
mutation ($input: ReportIndicatorValueInput!) {
  reportIndicatorValue(input: $input) {
    indicatorValue { id version reportedBySubject reportedAt campaign { title } }
    errors { field code message }
  }
}
"""
OPEN = """
mutation ($input: OpenReportingCampaignInput!) {
  openReportingCampaign(input: $input) {
    campaign { id version title status department { code } openedBy { name } ctgs(first: 10) { totalCount } }
    errors { field code message }
  }
}
"""
UPDATE_CAMPAIGN = """
mutation ($input: UpdateReportingCampaignInput!) {
  updateReportingCampaign(input: $input) { campaign { version periodEnd } errors { field code message } }
}
"""
CLOSE = """
mutation ($input: ReportingCampaignVersionInput!) {
  closeReportingCampaign(input: $input) { campaign { version status } errors { field code message } }
}
"""
REMIND = """
mutation ($input: RemindCampaignCarriersInput!) {
  remindCampaignCarriers(input: $input) { reminders { missing subject organisation { id name } } errors { field code } }
}
"""
OVERDUE = """
query ($id: ID!) {
  node(id: $id) {
    ... on ReportingCampaign { completion(per: CARRIER, overdueOnly: true) { carrier { id } missing } }
  }
}
"""

ACTION_OF = "SELECT a.id, a.version, a.ctg_id, a.status FROM action a WHERE a.ref = :ref"
# The Muretain's actions, carried by associations, under way: 2023–2027 CTG.
MURETAIN_ACTION = f"{ctgs.MURETAIN}:action:2"
DONE_ACTION = f"{ctgs.TOULOUSE_METROPOLE}:action:3"


async def _action(owner: AsyncEngine, ref: str) -> dict[str, Any]:
    return await one(owner, ACTION_OF, ref=ref)


def _new_action(ctg_id: int, carrier: int, **fields: Any) -> dict[str, Any]:
    return {
        "ctgId": gid("Ctg", ctg_id),
        "title": "Une action de plus",
        "theme": "PARENTING",
        "carrierId": gid("Organisation", carrier),
        "periodStart": "2026-01-01",
        **fields,
    }


# --- An action within its CTG ----------------------------------------------------------------------------------


async def test_an_action_keeps_to_its_ctgs_themes_and_period(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the Muretain's CTG (2023–2027; its themes in SQL) and a carrier of it
    ctg = await one(
        owner,
        "SELECT s.id, s.period_end, c.themes FROM scheme s JOIN ctg c ON c.scheme_id = s.id WHERE s.ref = :ref",
        ref=ctgs.MURETAIN,
    )
    carrier = (await one(owner, "SELECT id FROM organisation WHERE ref = :ref", ref=org.PARENTS_ENSEMBLE))["id"]
    outside = next(theme for theme in ("HOUSING", "SENIORS", "DISABILITY") if theme.lower() not in ctg["themes"])
    caf = as_named(graph_issuer, "caf-31-agent")
    before = await footprint(owner)

    # when the Caf creates actions with a theme it does not cover, running past its end, starting before it
    theme = await mutate(client, CREATE_ACTION, caf, **_new_action(ctg["id"], carrier, theme=outside))
    beyond = await mutate(
        client, CREATE_ACTION, caf, **_new_action(ctg["id"], carrier, periodStart="2031-01-01", periodEnd="2035-12-31")
    )
    ending = await mutate(client, CREATE_ACTION, caf, **_new_action(ctg["id"], carrier, periodEnd="2031-12-31"))
    early = await mutate(client, CREATE_ACTION, caf, **_new_action(ctg["id"], carrier, periodStart="2019-01-01"))

    # then each is refused on its field, and nothing was created
    assert codes(theme) == [("INVALID", "theme")]
    assert codes(beyond) == [("INVALID", "periodStart")]
    assert codes(ending) == [("INVALID", "periodEnd")]
    assert codes(early) == [("INVALID", "periodStart")]
    assert _french(ctg["period_end"]) in ending["errors"][0]["message"]
    assert await footprint(owner) == before

    # and an update moving an action out of its CTG is refused the same way
    action = await _action(owner, MURETAIN_ACTION)
    moved = await mutate(
        client, UPDATE_ACTION, caf, id=gid("Action", action["id"]), version=action["version"], periodEnd="2030-06-30"
    )
    assert codes(moved) == [("INVALID", "periodEnd")]
    assert await footprint(owner) == before


async def test_a_done_action_is_a_record_but_for_its_description(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a done action
    action = await _action(owner, DONE_ACTION)
    assert action["status"] == "done"
    caf = as_named(graph_issuer, "caf-31-agent")
    before = await footprint(owner)

    # when its progress changes, then its description
    progress = await mutate(
        client, UPDATE_ACTION, caf, id=gid("Action", action["id"]), version=action["version"], progress=40
    )
    assert codes(progress) == [("INVALID", "progress")]
    assert await footprint(owner) == before
    note = await mutate(
        client,
        UPDATE_ACTION,
        caf,
        id=gid("Action", action["id"]),
        version=action["version"],
        description="Bilan final : 63 séances.",
    )

    # then only the closing note is taken
    assert note["errors"] == []


async def test_a_validation_keeps_its_reason_and_an_action_done_is_done_whole(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a draft action of the Muretain's CTG, submitted by its carrier
    ctg = (await _action(owner, MURETAIN_ACTION))["ctg_id"]
    carrier = (await one(owner, "SELECT id FROM organisation WHERE ref = :ref", ref=org.PARENTS_ENSEMBLE))["id"]
    caf = as_named(graph_issuer, "caf-31-agent")
    created = await mutate(client, CREATE_ACTION, caf, **_new_action(ctg, carrier))
    action = created["action"]

    def move(status: str, **fields: Any) -> dict[str, Any]:
        return {"id": action["id"], "version": action["version"], "status": status, **fields}

    for status, reason in (
        ("SUBMITTED", None),
        ("VALIDATED", "Conforme au diagnostic : priorité du comité de pilotage du 10 mars."),
        ("IN_PROGRESS", None),
        ("DONE", None),
    ):
        fields = {"reason": reason} if reason else {}
        moved = await mutate(client, TRANSITION, caf, **move(status, **fields))
        assert moved["errors"] == [], moved
        action = moved["action"]
        if reason:
            # then the validation's history entry says why
            (entry,) = action["history"]["nodes"]
            assert entry["reason"] == reason
            assert {"field": "status", "after": "VALIDATED"} in entry["fields"]

    # and the action done is done whole
    assert (action["status"], action["progress"]) == ("DONE", 100)
    too_long = await mutate(client, TRANSITION, caf, **move("ABANDONED", reason="x" * 2001))
    assert codes(too_long) == [("INVALID", "reason")]


# --- CTGs ------------------------------------------------------------------------------------------------------


async def test_a_nested_coordinator_patches_what_it_names(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given Toulouse Métropole's CTG, its coordinator named, with an e-mail and an organisation
    ctg = await one(owner, "SELECT id, version FROM scheme WHERE ref = :ref", ref=ctgs.TOULOUSE_METROPOLE)
    caf = as_named(graph_issuer, "caf-31-agent")

    # when only the coordinator's e-mail changes, then only the diagnostic's summary
    email = await mutate(
        client,
        UPDATE_CTG,
        caf,
        id=gid("Ctg", ctg["id"]),
        version=ctg["version"],
        coordinator={"email": "coordination.ctg@toulouse-metropole.example"},
    )
    summary = await mutate(
        client,
        UPDATE_CTG,
        caf,
        id=gid("Ctg", ctg["id"]),
        version=email["ctg"]["version"],
        diagnostic={"summary": "Diagnostic actualisé en 2026."},
    )

    # then the name and the organisation stay, as does the diagnostic's date
    assert email["errors"] == summary["errors"] == []
    coordinator = email["ctg"]["coordinator"]
    assert coordinator["email"] == "coordination.ctg@toulouse-metropole.example"
    assert coordinator["name"] == "Claire Fabre"
    assert coordinator["organisation"]["name"] == "Toulouse Métropole"
    assert summary["ctg"]["diagnostic"]["date"] is not None
    assert summary["ctg"]["diagnostic"]["summary"] == "Diagnostic actualisé en 2026."
    # and a null nested input still clears it all
    cleared = await mutate(
        client, UPDATE_CTG, caf, id=gid("Ctg", ctg["id"]), version=summary["ctg"]["version"], coordinator=None
    )
    assert cleared["ctg"]["coordinator"] is None or cleared["ctg"]["coordinator"]["name"] is None


async def test_a_ctg_implements_a_scheme_in_force_when_it_starts(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the SDSF of Loire-Atlantique, which ended in 2022, and its education charter, still in force
    sdsf = await one(owner, "SELECT id, period_end FROM scheme WHERE ref = 'seed:sdsf:44:2018-2022'")
    charter = await one(owner, "SELECT id FROM scheme WHERE ref = 'seed:charte-politiques-educatives:44'")
    manager = as_named(graph_issuer, "caf-44-manager")
    fields = {
        "title": "Convention territoriale globale de Cap Atlantique",
        "periodStart": "2027-01-01",
        "periodEnd": "2031-12-31",
        "epciId": gid("Epci", "244400610"),
        "themes": ["YOUTH"],
    }
    before = await footprint(owner)

    # when its Caf creates a CTG for 2027 under each
    lapsed = await mutate(client, CREATE_CTG, manager, **fields, parentId=gid("Scheme", sdsf["id"]))
    assert await footprint(owner) == before
    in_force = await mutate(client, CREATE_CTG, manager, **fields, parentId=gid("Scheme", charter["id"]))

    # then only the scheme in force takes it
    assert codes(lapsed) == [("INVALID", "parentId")]
    assert _french(sdsf["period_end"]) in lapsed["errors"][0]["message"]
    assert in_force["errors"] == []


async def test_a_ctg_of_the_whole_department_is_signed_with_its_council(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the Caf of Loire-Atlantique and its department's communes, in SQL
    communes = (await one(owner, "SELECT count(*) AS n FROM commune WHERE department_code = '44'"))["n"]
    charter = await one(owner, "SELECT id FROM scheme WHERE ref = 'seed:charte-politiques-educatives:44'")
    manager = as_named(graph_issuer, "caf-44-manager")

    # when it creates a CTG of the whole department
    created = await mutate(
        client,
        CREATE_CTG,
        manager,
        title="Convention territoriale globale départementale de Loire-Atlantique",
        periodStart="2027-01-01",
        periodEnd="2031-12-31",
        parentId=gid("Scheme", charter["id"]),
        wholeDepartment=True,
        themes=["PARENTING", "SOCIAL_LIFE"],
    )
    both = await mutate(
        client,
        CREATE_CTG,
        manager,
        title="Convention mal bornée",
        periodStart="2027-01-01",
        parentId=gid("Scheme", charter["id"]),
        wholeDepartment=True,
        epciId=gid("Epci", "244400610"),
    )

    # then it covers every commune of the department; a CTG naming an EPCI too is refused
    assert created["errors"] == []
    ctg = created["ctg"]
    assert (ctg["scope"], ctg["department"]["code"]) == ("DEPARTMENT", "44")
    assert ctg["communes"]["totalCount"] == communes
    assert codes(both) == [("INVALID", "wholeDepartment")]

    # and signing it needs the departmental council among its signatories
    ctg_id = row_id(ctg["id"])
    caf_44 = (await one(owner, "SELECT id FROM organisation WHERE ref = 'caf:44'"))["id"]
    async with owner.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO signature (scheme_id, organisation_id, role, signed_on) "
                "VALUES (:ctg, :caf, 'Caf signataire', '2026-11-02')"
            ),
            {"ctg": ctg_id, "caf": caf_44},
        )
    version = (await one(owner, "SELECT version FROM scheme WHERE id = :id", id=ctg_id))["version"]
    sign = """
    mutation ($input: CtgStepInput!) { signCtg(input: $input) { ctg { status } errors { field code message } } }
    """
    unsigned = await mutate(client, sign, manager, id=ctg["id"], version=version)
    assert codes(unsigned) == [("INVALID", "signatures")]
    assert "conseil départemental" in unsigned["errors"][0]["message"]


# --- Reports ---------------------------------------------------------------------------------------------------


async def test_a_report_meets_its_actions_course_and_no_other_period_and_says_who_and_when(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given an indicator of an action of the Muretain (2023-09 – 2027-06) with its yearly values, and its carrier
    action = await _action(owner, f"{ctgs.MURETAIN}:action:4")
    indicator = await one(owner, "SELECT id FROM indicator WHERE action_id = :id ORDER BY id LIMIT 1", id=action["id"])
    member = as_named(graph_issuer, "association-member")
    before = await footprint(owner)

    def report(start: str, end: str, value: str = "12") -> dict[str, Any]:
        indicator_id = gid("Indicator", indicator["id"])
        return {"indicatorId": indicator_id, "periodStart": start, "periodEnd": end, "value": value}

    # when it reports on 2030, after the action, and on a half-year within a year already reported
    late = await mutate(client, REPORT, member, **report("2030-01-01", "2030-12-31"))
    early = await mutate(client, REPORT, member, **report("2020-01-01", "2020-12-31"))
    overlapping = await mutate(client, REPORT, member, **report("2024-07-01", "2024-12-31"))

    # then each is refused, and nothing changed
    assert codes(late) == [("INVALID", "periodStart")]
    assert codes(early) == [("INVALID", "periodEnd")]
    assert codes(overlapping) == [("INVALID", "periodStart")]
    assert "1 janvier 2024" in overlapping["errors"][0]["message"]
    assert await footprint(owner) == before

    # and a report of 2026 says who made it and when, answers the Caf's 2026 campaign, and moves the action on
    started = datetime.now(UTC)
    reported = await mutate(client, REPORT, member, **report("2026-01-01", "2026-12-31"))
    assert reported["errors"] == []
    value = reported["indicatorValue"]
    assert value["reportedBySubject"] == "dev-association-member"
    assert datetime.fromisoformat(value["reportedAt"]) >= started.replace(microsecond=0)
    assert value["campaign"] == {"title": "Bilans 2026 des actions des CTG de la Haute-Garonne"}
    moved = await _action(owner, f"{ctgs.MURETAIN}:action:4")
    assert moved["version"] == action["version"] + 1
    updated = await one(owner, "SELECT updated_at FROM action WHERE id = :id", id=action["id"])
    assert updated["updated_at"] >= started


# --- Campaigns -------------------------------------------------------------------------------------------------


async def test_a_caf_opens_a_campaign_on_some_ctgs_and_reminds_the_late_carriers(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the Caf of Haute-Garonne and two of its CTGs
    tm = await one(owner, "SELECT id FROM scheme WHERE ref = :ref", ref=ctgs.TOULOUSE_METROPOLE)
    muretain = await one(owner, "SELECT id FROM scheme WHERE ref = :ref", ref=ctgs.MURETAIN)
    caf = as_named(graph_issuer, "caf-31-agent")

    # when it opens a campaign of 2025 values on them, already past its deadline, then reminds who owes values
    opened = await mutate(
        client,
        OPEN,
        caf,
        title="Bilans 2025 complémentaires",
        departmentId=gid("Department", "31"),
        periodStart="2025-01-01",
        periodEnd="2025-12-31",
        dueOn="2026-01-31",
        ctgIds=[gid("Ctg", tm["id"]), gid("Ctg", muretain["id"])],
        idempotencyKey="bilans-2025-complementaires",
    )
    assert opened["errors"] == []
    campaign = opened["campaign"]
    overdue = (await query(client, OVERDUE, caf, id=campaign["id"]))["node"]["completion"]
    reminded = await mutate(client, REMIND, caf, id=campaign["id"])

    # then the campaign is the Caf's, on its two CTGs, and each late carrier got one reminder for what it owes
    assert (campaign["status"], campaign["department"], campaign["openedBy"]["name"]) == (
        "OPEN",
        {"code": "31"},
        "Caf de la Haute-Garonne",
    )
    assert campaign["ctgs"]["totalCount"] == 2
    assert overdue, "every value of this new campaign is owed"
    assert reminded["errors"] == []
    assert sorted((r["organisation"]["id"], r["missing"]) for r in reminded["reminders"]) == sorted(
        (row["carrier"]["id"], row["missing"]) for row in overdue
    )
    assert {r["subject"] for r in reminded["reminders"]} == {"dev-caf-31-agent"}

    # and a retry with the same key gets the same campaign
    again = await mutate(
        client,
        OPEN,
        caf,
        title="Bilans 2025 complémentaires",
        departmentId=gid("Department", "31"),
        periodStart="2025-01-01",
        periodEnd="2025-12-31",
        dueOn="2026-01-31",
        ctgIds=[gid("Ctg", muretain["id"]), gid("Ctg", tm["id"])],
        idempotencyKey="bilans-2025-complementaires",
    )
    assert again["campaign"]["id"] == campaign["id"]


async def test_a_campaign_keeps_the_values_given_and_a_closed_one_takes_no_more(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the Caf's 2026 campaign, a value given for it, and an action's indicator with no 2027 value
    campaign = await one(owner, "SELECT id, version FROM reporting_campaign WHERE ref = 'demo:campagne:31:2026'")
    given = await one(owner, "SELECT count(*) AS n FROM indicator_value WHERE campaign_id = :id", id=campaign["id"])
    assert given["n"] >= 1
    caf = as_named(graph_issuer, "caf-31-agent")
    before = await footprint(owner)

    # when its period is cut short before the values given, and another Caf or a carrier tries to close it
    cut = await mutate(
        client,
        UPDATE_CAMPAIGN,
        caf,
        id=gid("ReportingCampaign", campaign["id"]),
        version=campaign["version"],
        periodStart="2026-06-01",
    )
    stranger = await mutate(
        client,
        CLOSE,
        as_named(graph_issuer, "caf-44-manager"),
        id=gid("ReportingCampaign", campaign["id"]),
        version=campaign["version"],
    )
    carrier = await mutate(
        client,
        CLOSE,
        as_named(graph_issuer, "association-member"),
        id=gid("ReportingCampaign", campaign["id"]),
        version=campaign["version"],
    )

    # then each is refused, and nothing changed
    assert codes(cut) == [("INVALID", "periodStart")]
    assert codes(stranger) == [("FORBIDDEN", "id")]
    assert codes(carrier) == [("FORBIDDEN", "id")]
    assert await footprint(owner) == before

    # and once its Caf closes it, a report naming it is refused
    closed = await mutate(client, CLOSE, caf, id=gid("ReportingCampaign", campaign["id"]), version=campaign["version"])
    assert closed["campaign"]["status"] == "CLOSED"
    action = await _action(owner, f"{ctgs.MURETAIN}:action:2")
    indicator = await one(owner, "SELECT id FROM indicator WHERE action_id = :id ORDER BY id LIMIT 1", id=action["id"])
    late = await mutate(
        client,
        REPORT,
        as_named(graph_issuer, "caf-31-agent"),
        indicatorId=gid("Indicator", indicator["id"]),
        periodStart="2026-01-01",
        periodEnd="2026-12-31",
        value="3",
        campaignId=gid("ReportingCampaign", campaign["id"]),
    )
    assert codes(late) == [("INVALID", "campaignId")]


async def test_only_the_cnaf_opens_a_national_campaign(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = {
        "title": "Bilans nationaux 2026",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "dueOn": "2027-04-30",
    }
    before = await footprint(owner)

    by_a_caf = await mutate(client, OPEN, as_named(graph_issuer, "caf-31-agent"), **fields)
    elsewhere = await mutate(
        client, OPEN, as_named(graph_issuer, "caf-31-agent"), **fields, departmentId=gid("Department", "44")
    )
    assert codes(by_a_caf) == [("FORBIDDEN", "departmentId")]
    assert codes(elsewhere) == [("FORBIDDEN", "departmentId")]
    assert await footprint(owner) == before

    national = await mutate(client, OPEN, as_named(graph_issuer, "cnaf-manager"), **fields)
    assert national["errors"] == []
    assert national["campaign"]["department"] is None
    assert national["campaign"]["openedBy"]["name"] == "Caisse nationale des Allocations familiales"
