"""Reporting the value of an action's indicator for a period: the carrier does, as do the Caf and the
CTG's local authority.

A period is known by the indicator and its first day (the table's unique key). The first report of a period
creates its value; later ones update it, from the version the client read, like any update. Each report is
recorded in the action's audit trail, as `indicator_value`: the value before (null for the first) → after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from auth.rules import Can
from db.graph.mapping import INDICATOR, _table
from db.graph.reads import rows_by_keys
from db.models import Action, IndicatorValue
from db.session import RequestDatabase
from db.writes.actions import campaigns
from db.writes.actions.changes import changeable
from db.writes.audit import Actor, plain, record
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import insert_new_unless_taken, update_row

_value, _action = _table(IndicatorValue), _table(Action)

# Constraints whose name does not say the input field at fault.
FIELDS = {
    "ck_indicator_value_period_ordered": "period_end",
    "uq_indicator_value_indicator_id_period_start": "period_start",
}
_RECORDED = ("id", "indicator_id", "period_start", "period_end", "value", "comment", "campaign_id")


def _entry(row: Any) -> dict[str, Any]:
    return {name: plain(row._mapping[name]) for name in _RECORDED}


def _already(row: Any) -> Outcome:
    return refused(Refusal.CONFLICT, "version", "indicator_value.already", row.version, periodStart=row.period_start)


@dataclass(frozen=True)
class Report:
    """A checked report: the indicator, the period, the value, and the campaign it answers if the caller names
    one (otherwise the one open campaign whose scope and period take it, if any); `version` is that of the
    value already reported for the period, if any."""

    indicator_id: int
    period_start: date
    period_end: date
    value: Decimal
    comment: str | None
    version: int | None
    campaign_id: int | None = None


async def report_value(database: RequestDatabase, report: Report, actor: Actor) -> Outcome:
    """Report the value for the period, meeting the action's period and beside the indicator's other periods;
    the value says who reported it and when, and the action moves on (`updatedAt`)."""
    missing = refused(Refusal.NOT_FOUND, "indicator_id", "not_found", type="Indicator")
    indicator = (await rows_by_keys(database, INDICATOR, [report.indicator_id]))[0]
    if indicator is None:
        return missing
    found = await changeable(database, indicator.action_id, "indicator_id", Can.REPORT, "report an indicator's values")
    if isinstance(found, Outcome):
        # An indicator of an archived action is gone with it.
        return missing if found.refusal is Refusal.NOT_FOUND else found
    action = found[0]
    # Reports of one action wait for each other from here: the checks below see every period reported before.
    await database.execute(update(_action).where(_action.c.id == action.id).values(updated_at=func.clock_timestamp()))
    misfit = _outside(action, report) or await _overlapping(database, report)
    if misfit is not None:
        return misfit
    campaign = await campaigns.answered(database, action.id, report.period_start, report.period_end, report.campaign_id)
    if isinstance(campaign, Outcome):
        return campaign
    key = {"indicator_id": report.indicator_id, "period_start": report.period_start}
    reported = {
        "period_end": report.period_end,
        "value": report.value,
        "comment": report.comment,
        "reported_by_issuer": actor.issuer,
        "reported_by_subject": actor.subject,
        "reported_at": func.clock_timestamp(),
    }
    existing = await _reported(database, report.indicator_id, report.period_start)
    if existing is None:
        if report.version is not None:
            return refused(Refusal.INVALID, "version", "indicator_value.none_yet")
        outcome = await _first_report(database, {**key, **reported, "campaign_id": campaign})
        before = None
    elif report.version is None:
        return _already(existing)
    else:
        # A value keeps the campaign it answered, unless the caller names another.
        tied = campaign if report.campaign_id is not None or existing.campaign_id is None else existing.campaign_id
        outcome = await update_row(
            database, _value, {"id": existing.id}, report.version, {**reported, "campaign_id": tied}, FIELDS
        )
        before = _entry(existing)
    if outcome.row is not None and before != _entry(outcome.row):
        changes = {"indicator_value": [before, _entry(outcome.row)]}
        await record(database, actor, "action", indicator.action_id, "update", changes)
    return outcome


def _outside(action: Any, report: Report) -> Outcome | None:
    """Why the period does not meet the action's, if it does not (an action starting in September reports on
    its calendar year all the same)."""
    if action.period_end is not None and report.period_start > action.period_end:
        return refused(Refusal.INVALID, "period_start", "indicator_value.after_action", actionEnd=action.period_end)
    if report.period_end < action.period_start:
        return refused(Refusal.INVALID, "period_end", "indicator_value.before_action", actionStart=action.period_start)
    return None


async def _overlapping(database: RequestDatabase, report: Report) -> Outcome | None:
    """Why the period meets another period of the indicator, if it does (its own, known by its first day, is
    reported again, not overlapped)."""
    rows = await database.rows(
        select(_value.c.period_start, _value.c.period_end)
        .where(
            _value.c.indicator_id == report.indicator_id,
            _value.c.period_start != report.period_start,
            _value.c.period_start <= report.period_end,
            _value.c.period_end >= report.period_start,
        )
        .order_by(_value.c.period_start)
        .limit(1)
    )
    if not rows:
        return None
    other = rows[0]
    return refused(
        Refusal.INVALID,
        "period_start",
        "indicator_value.overlap",
        otherStart=other.period_start,
        otherEnd=other.period_end,
    )


async def _reported(database: RequestDatabase, indicator_id: int, period_start: date) -> Any | None:
    rows = await database.rows(
        select(_value).where(_value.c.indicator_id == indicator_id, _value.c.period_start == period_start)
    )
    return rows[0] if rows else None


async def _first_report(database: RequestDatabase, values: dict[str, Any]) -> Outcome:
    """Insert the period's value; if a concurrent first report got there before, that is a conflict."""
    inserted = await insert_new_unless_taken(database, _value, values, ("indicator_id", "period_start"), FIELDS)
    if isinstance(inserted, Outcome):
        return inserted
    reported = await _reported(database, values["indicator_id"], values["period_start"])
    assert reported is not None, "the period's value, reported now or by the concurrent first report"
    return Outcome(row=reported) if inserted is not None else _already(reported)
