"""The caller's tasks, computed from the data under its scope: what ends, what is owed, what waits for it.

- a CTG it reads, signed or in force, whose period ends within the horizon;
- a reporting campaign still open, due within the horizon or overdue, for which the actions it reads still owe
  values (db/graph/campaigns.py counts them as the campaign's completion does);
- an action submitted for validation that the caller may validate (auth/rules.py: Can.VALIDATE);
- a habilitation it holds or manages, active, whose expiry falls within the horizon.

Every statement runs in the caller's transaction (row-level security on) and says the application's own scoping
again (db/graph/visibility.py), like every read. At most `LIMIT_PER_KIND` tasks of each kind, soonest first.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, cast, func, select
from sqlalchemy.types import Date

from auth.rules import Can, Grantor
from db.graph.campaigns import CompletionGrouping, completion
from db.graph.mapping import ACTION, CAMPAIGN, CTG, HABILITATION, NodeSpec
from db.graph.visibility import visible
from db.models.enums import ActionStatus, CampaignStatus, HabilitationStatus, SchemeStatus
from db.policies.conditions import may
from db.session import RequestDatabase

LIMIT_PER_KIND = 100
FRANCE = ZoneInfo("Europe/Paris")


class TaskKind(StrEnum):
    CTG_ENDING = "ctg_ending"
    REPORT_DUE = "report_due"
    ACTION_TO_VALIDATE = "action_to_validate"
    HABILITATION_EXPIRING = "habilitation_expiring"


@dataclass(frozen=True)
class TaskRow:
    kind: TaskKind
    type_name: str  # the node type it is about
    key: int
    due_on: date | None
    overdue: bool


def horizon(today: date, months: int) -> date:
    """The same day `months` months later (that month's last day when it is shorter)."""
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


async def _keyed(
    database: RequestDatabase,
    kind: TaskKind,
    spec: NodeSpec,
    due: ColumnElement[date] | None,
    today: date,
    *conditions: ColumnElement[bool],
) -> list[TaskRow]:
    columns = [spec.key_column] if due is None else [spec.key_column, due.label("due_on")]
    statement = (
        select(*columns)
        .select_from(spec.source)
        .where(*visible(spec, database.national), *conditions)
        .order_by(*([] if due is None else [due]), spec.key_column)
        .limit(LIMIT_PER_KIND)
    )
    rows = await database.rows(statement)
    return [
        TaskRow(kind, spec.type_name, row[0], row[1] if due is not None else None, due is not None and row[1] < today)
        for row in rows
    ]


async def ctgs_ending(database: RequestDatabase, today: date, until: date) -> list[TaskRow]:
    end = CTG.column("period_end")
    return await _keyed(
        database,
        TaskKind.CTG_ENDING,
        CTG,
        end,  # type: ignore[arg-type]
        today,
        CTG.column("status").in_([SchemeStatus.SIGNED.value, SchemeStatus.ACTIVE.value]),
        end >= today,
        end <= until,
    )


async def actions_to_validate(database: RequestDatabase, today: date) -> list[TaskRow]:
    return await _keyed(
        database,
        TaskKind.ACTION_TO_VALIDATE,
        ACTION,
        None,
        today,
        ACTION.column("status") == ActionStatus.SUBMITTED.value,
        may(Grantor.ACTION, Can.VALIDATE, ACTION.key_column),
    )


async def habilitations_expiring(database: RequestDatabase, today: date, until: date) -> list[TaskRow]:
    expires = HABILITATION.column("expires_at")
    on = cast(func.timezone("Europe/Paris", expires), Date)
    return await _keyed(
        database,
        TaskKind.HABILITATION_EXPIRING,
        HABILITATION,
        on,
        today,
        HABILITATION.column("status") == HabilitationStatus.ACTIVE.value,
        expires >= datetime.combine(today, time(), FRANCE),
        expires < datetime.combine(until + timedelta(days=1), time(), FRANCE),
    )


async def reports_due(database: RequestDatabase, today: date, until: date) -> list[TaskRow]:
    """Open campaigns due by `until` (overdue ones included) for which the actions the caller reads owe values."""
    due = CAMPAIGN.column("due_on")
    campaigns = await _keyed(
        database,
        TaskKind.REPORT_DUE,
        CAMPAIGN,
        due,  # type: ignore[arg-type]
        today,
        CAMPAIGN.column("status") == CampaignStatus.OPEN.value,
        due <= until,
    )
    if not campaigns:
        return []
    figures = await completion(database, [task.key for task in campaigns], CompletionGrouping.CTG, today)
    return [
        task
        for task in campaigns
        if sum(group.expected for group in figures[task.key]) > sum(group.reported for group in figures[task.key])
    ]


async def tasks(database: RequestDatabase, today: date, months: int) -> list[TaskRow]:
    """Every task of the caller, the overdue first, then by due date (none last), then by kind and key."""
    until = horizon(today, months)
    found = [
        *await ctgs_ending(database, today, until),
        *await reports_due(database, today, until),
        *await actions_to_validate(database, today),
        *await habilitations_expiring(database, today, until),
    ]
    return sorted(found, key=lambda task: (not task.overdue, task.due_on or date.max, task.kind.value, task.key))
