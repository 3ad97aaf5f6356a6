"""Reporting campaigns, written: opened, changed, closed and reopened, archived by their steward (the Caf of their
department, the Cnaf's managers), who also reminds the carriers still owing values.

A campaign's scope (department, CTGs, themes, units) and period say which values it asks; a value names the
campaign it answers (db/writes/actions/campaigns.py). What it asks may change while it runs, but never so as to
leave out a value already given: its period keeps every value that names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select

from db.graph import campaigns as figures
from db.graph.mapping import CAMPAIGN, CTG, _table
from db.graph.reads import rows_by_keys
from db.graph.visibility import visible
from db.models import CampaignCtg, CampaignReminder, IndicatorValue, Organisation, ReportingCampaign
from db.models.enums import CampaignStatus
from db.policies.conditions import campaign_steward
from db.session import RequestDatabase
from db.writes.access import allows
from db.writes.audit import Actor, changes_between, plain, record
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import changed, insert_new, insert_rows, update_row
from db.writes.versions import stale

_campaign, _campaign_ctg = _table(ReportingCampaign), _table(CampaignCtg)
_reminder, _value, _organisation = _table(CampaignReminder), _table(IndicatorValue), _table(Organisation)

ENTITY = "reporting_campaign"
FIELDS = {
    "ck_reporting_campaign_period_ordered": "period_end",
    "ck_reporting_campaign_due_after_start": "due_on",
    "ck_reporting_campaign_themes_valid": "themes",
}
_RECORDED = ("title", "department_code", "themes", "units", "period_start", "period_end", "due_on", "status")


@dataclass(frozen=True)
class NewCampaign:
    """A checked openReportingCampaign input, in database terms."""

    title: str
    department_code: str | None
    period_start: date
    period_end: date
    due_on: date
    themes: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    ctg_ids: tuple[int, ...] = ()
    idempotency_key: str | None = field(default=None, compare=False)

    def request(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "department_code": self.department_code,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "due_on": self.due_on,
            "themes": sorted(self.themes),
            "units": sorted(self.units),
            "ctg_ids": sorted(self.ctg_ids),
        }


async def campaign_row(database: RequestDatabase, campaign_id: int) -> Any | None:
    return (await rows_by_keys(database, CAMPAIGN, [campaign_id]))[0]


async def _owner(database: RequestDatabase, department_code: str | None) -> int:
    """Whose campaign it is: the Caf of its department, or the Cnaf for a national one."""
    if department_code is None:
        condition = _organisation.c.kind == "cnaf"
    else:
        condition = (_organisation.c.kind == "caf") & (_organisation.c.department_code == department_code)
    return int((await database.rows(select(_organisation.c.id).where(condition)))[0][0])


async def _steward_refusal(database: RequestDatabase, department_code: str | None) -> Outcome | None:
    if await allows(database, campaign_steward, {"department_code": department_code}):
        return None
    if department_code is None:
        return refused(Refusal.FORBIDDEN, "department_id", "campaign.national_opener")
    return refused(
        Refusal.FORBIDDEN,
        "department_id",
        "campaign.opener",
        department=department_code,
    )


async def _ctgs_refusal(
    database: RequestDatabase, department_code: str | None, ctg_ids: tuple[int, ...]
) -> Outcome | None:
    """Why the CTGs named are not all CTGs of the campaign's department the caller sees, if they are not."""
    if not ctg_ids:
        return None
    rows = await database.rows(
        select(CTG.column("id"), CTG.column("department_code"))
        .select_from(CTG.source)
        .where(CTG.column("id").in_(ctg_ids), *visible(CTG, database.national))
    )
    found = {row.id: row.department_code for row in rows}
    for index, ctg_id in enumerate(ctg_ids):
        if ctg_id not in found:
            return refused(Refusal.NOT_FOUND, f"ctg_ids[{index}]", "not_found", type="Ctg")
        if department_code is not None and found[ctg_id] != department_code:
            return refused(Refusal.INVALID, f"ctg_ids[{index}]", "campaign.ctg_department", department=department_code)
    return None


async def open_campaign(database: RequestDatabase, new: NewCampaign, actor: Actor) -> Outcome:
    """Open the campaign, once per idempotency key."""

    async def create() -> Outcome:
        refusal = await _steward_refusal(database, new.department_code) or await _ctgs_refusal(
            database, new.department_code, new.ctg_ids
        )
        if refusal:
            return refusal
        values = {
            "title": new.title,
            "department_code": new.department_code,
            "opened_by_id": await _owner(database, new.department_code),
            "period_start": new.period_start,
            "period_end": new.period_end,
            "due_on": new.due_on,
            "themes": list(new.themes),
            "units": list(new.units),
            "status": CampaignStatus.OPEN.value,
        }
        campaign_id = await insert_new(database, _campaign, values, FIELDS)
        if isinstance(campaign_id, Outcome):
            return campaign_id
        links = [{"campaign_id": campaign_id, "ctg_id": ctg_id} for ctg_id in new.ctg_ids]
        refusal = await insert_rows(database, _campaign_ctg, links)
        if refusal:
            return refusal
        row = await campaign_row(database, campaign_id)
        assert row is not None, "everyone reads a live campaign"
        changes = changes_between(dict.fromkeys(_RECORDED), row._mapping, _RECORDED)
        if new.ctg_ids:
            changes["ctg_ids"] = [None, sorted(new.ctg_ids)]
        await record(database, actor, ENTITY, campaign_id, "create", changes)
        return Outcome(row=row)

    return await create_once(
        database,
        actor,
        new.idempotency_key,
        "openReportingCampaign",
        new.request(),
        ENTITY,
        create,
        lambda campaign_id: campaign_row(database, campaign_id),
    )


async def _steered(database: RequestDatabase, campaign_id: int) -> Any | Outcome:
    """The campaign if the caller runs it; otherwise the refusal (everyone sees a live campaign)."""
    row = await campaign_row(database, campaign_id)
    if row is None:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type="ReportingCampaign")
    if not await allows(database, campaign_steward, {"department_code": row.department_code}):
        return refused(Refusal.FORBIDDEN, "id", "campaign.steward")
    return row


async def _ctg_ids(database: RequestDatabase, campaign_id: int) -> list[int]:
    rows = await database.rows(
        select(_campaign_ctg.c.ctg_id)
        .where(_campaign_ctg.c.campaign_id == campaign_id)
        .order_by(_campaign_ctg.c.ctg_id)
    )
    return [row.ctg_id for row in rows]


async def _values_outside(database: RequestDatabase, campaign_id: int, start: date, end: date) -> bool:
    rows = await database.rows(
        select(func.count())
        .select_from(_value)
        .where(_value.c.campaign_id == campaign_id, (_value.c.period_start < start) | (_value.c.period_end > end))
    )
    return bool(rows[0][0])


async def update_campaign(
    database: RequestDatabase,
    campaign_id: int,
    version: int,
    changes: dict[str, Any],
    ctg_ids: tuple[int, ...] | None,
    actor: Actor,
) -> Outcome:
    """Change what the campaign asks and by when (`ctg_ids` given: its CTGs are these), if nobody changed it
    since `version`; the values already given stay within its period."""
    before = await _steered(database, campaign_id)
    if isinstance(before, Outcome):
        return before
    changes = changed(before, changes)
    ctgs_before = await _ctg_ids(database, campaign_id)
    ctgs_after = sorted(ctg_ids) if ctg_ids is not None else ctgs_before
    if not changes and ctgs_after == ctgs_before:
        return stale(version, before.version, noun="campaign") or Outcome(row=before)
    start = changes.get("period_start", before.period_start)
    end = changes.get("period_end", before.period_end)
    if {"period_start", "period_end"} & changes.keys() and await _values_outside(database, campaign_id, start, end):
        field = "period_start" if "period_start" in changes else "period_end"
        return refused(Refusal.INVALID, field, "campaign.values_outside")
    refusal = await _ctgs_refusal(database, before.department_code, tuple(ctgs_after))
    if refusal:
        return refusal
    # The row moves a version even when only its CTGs change: concurrent changes of them conflict.
    moved = changes or {"updated_at": func.clock_timestamp()}
    outcome = await update_row(database, _campaign, {"id": campaign_id}, version, moved, FIELDS)
    if outcome.row is None:
        return outcome
    if ctgs_after != ctgs_before:
        await database.execute(delete(_campaign_ctg).where(_campaign_ctg.c.campaign_id == campaign_id))
        refusal = await insert_rows(
            database, _campaign_ctg, [{"campaign_id": campaign_id, "ctg_id": ctg_id} for ctg_id in ctgs_after]
        )
        if refusal:
            return refusal
    after = await campaign_row(database, campaign_id)
    assert after is not None, "everyone reads a live campaign"
    recorded = changes_between(before._mapping, after._mapping, tuple(changes))
    if ctgs_after != ctgs_before:
        recorded["ctg_ids"] = [ctgs_before, ctgs_after]
    await record(database, actor, ENTITY, campaign_id, "update", recorded)
    return Outcome(row=after)


async def set_status(
    database: RequestDatabase, campaign_id: int, version: int, status: CampaignStatus, actor: Actor
) -> Outcome:
    """Close the campaign (it takes no more values) or reopen it."""
    before = await _steered(database, campaign_id)
    if isinstance(before, Outcome):
        return before
    if before.status == status.value:
        return refused(Refusal.ILLEGAL_TRANSITION, "id", "campaign.already", status=status)
    return await update_campaign(database, campaign_id, version, {"status": status.value}, None, actor)


async def archive_campaign(database: RequestDatabase, campaign_id: int, version: int, actor: Actor) -> Outcome:
    """Archive a campaign opened by mistake: it leaves every read; values given keep their campaign."""
    before = await _steered(database, campaign_id)
    if isinstance(before, Outcome):
        return before
    conflict = stale(version, before.version, noun="campaign")
    if conflict is not None:
        return conflict
    outcome = await update_row(database, _campaign, {"id": campaign_id}, version, {"archived_at": func.now()}, FIELDS)
    if outcome.row is None:
        return outcome
    await record(
        database, actor, ENTITY, campaign_id, "archive", {"archived_at": [None, plain(outcome.row.archived_at)]}
    )
    return Outcome(row=before)


@dataclass(frozen=True)
class Reminded:
    """The outcome of a reminder: the reminders recorded, or the refusal."""

    reminders: tuple[Any, ...] = ()
    refusal: Outcome | None = None


async def remind_carriers(database: RequestDatabase, campaign_id: int, today: date, actor: Actor) -> Reminded:
    """Record a reminder to each carrier still owing values for the campaign (none once it is closed)."""
    found = await _steered(database, campaign_id)
    if isinstance(found, Outcome):
        return Reminded(refusal=found)
    if found.status != CampaignStatus.OPEN.value:
        return Reminded(refusal=refused(Refusal.INVALID, "id", "campaign.closed_reminder"))
    owing = [
        row
        for row in (await figures.completion(database, [campaign_id], figures.CompletionGrouping.CARRIER, today))[
            campaign_id
        ]
        if row.reported < row.expected
    ]
    rows = [
        {
            "campaign_id": campaign_id,
            "organisation_id": row.key,
            "missing": row.expected - row.reported,
            "issuer": actor.issuer,
            "subject": actor.subject,
        }
        for row in owing
    ]
    ids = []
    for row in rows:
        reminder_id = await insert_new(database, _reminder, row)
        if isinstance(reminder_id, Outcome):
            return Reminded(refusal=reminder_id)
        ids.append(reminder_id)
    if rows:
        reminded = [{"organisation_id": row["organisation_id"], "missing": row["missing"]} for row in rows]
        await record(database, actor, ENTITY, campaign_id, "update", {"reminders": [None, reminded]})
    reminders = await database.rows(select(_reminder).where(_reminder.c.id.in_(ids)).order_by(_reminder.c.id))
    return Reminded(reminders=tuple(reminders))
