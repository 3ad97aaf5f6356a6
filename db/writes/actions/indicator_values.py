"""Reporting the value of an action's indicator for a period: the carrier does, as do the Caf and the
CTG's local authority.

A period is known by the indicator and its first day (the table's unique key). The first report of a period
creates its value; later ones update it, from the version the client read, like any update. Each report is
recorded in the action's audit trail, as `indicator_value`: the value before (null for the first) → after.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from auth.rules import Can
from db.graph.mapping import INDICATOR, _table
from db.graph.reads import rows_by_keys
from db.models import IndicatorValue
from db.session import RequestDatabase
from db.writes.actions.changes import changeable
from db.writes.audit import Actor, plain, record
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import insert_new_unless_taken, update_row

_value = _table(IndicatorValue)

# Constraints whose name does not say the input field at fault.
FIELDS = {
    "ck_indicator_value_period_ordered": "period_end",
    "uq_indicator_value_indicator_id_period_start": "period_start",
}
_RECORDED = ("id", "indicator_id", "period_start", "period_end", "value", "comment")


def _entry(row: Any) -> dict[str, Any]:
    return {name: plain(row._mapping[name]) for name in _RECORDED}


def _already(row: Any) -> Outcome:
    return refused(
        Refusal.CONFLICT,
        "version",
        f"a value is already reported for the period from {row.period_start}, at version {row.version}: "
        "read it, then send its version to change it",
        row.version,
    )


async def report_value(
    database: RequestDatabase,
    indicator_id: int,
    period_start: date,
    period_end: date,
    value: Decimal,
    comment: str | None,
    version: int | None,
    actor: Actor,
) -> Outcome:
    """Report `value` for the period; `version` is that of the value already reported for it, if any."""
    missing = refused(Refusal.NOT_FOUND, "indicator_id", "no such indicator")
    indicator = (await rows_by_keys(database, INDICATOR, [indicator_id]))[0]
    if indicator is None:
        return missing
    found = await changeable(database, indicator.action_id, "indicator_id", Can.REPORT, "report an indicator's values")
    if isinstance(found, Outcome):
        # An indicator of an archived action is gone with it.
        return missing if found.refusal is Refusal.NOT_FOUND else found
    key = {"indicator_id": indicator_id, "period_start": period_start}
    reported = {"period_end": period_end, "value": value, "comment": comment}
    existing = await _reported(database, indicator_id, period_start)
    if existing is None:
        if version is not None:
            return refused(Refusal.INVALID, "version", "no value is reported for this period yet: leave version out")
        outcome = await _first_report(database, {**key, **reported})
        before = None
    elif version is None:
        return _already(existing)
    else:
        outcome = await update_row(database, _value, {"id": existing.id}, version, reported, FIELDS)
        before = _entry(existing)
    if outcome.row is not None and before != _entry(outcome.row):
        changes = {"indicator_value": [before, _entry(outcome.row)]}
        await record(database, actor, "action", indicator.action_id, "update", changes)
    return outcome


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
