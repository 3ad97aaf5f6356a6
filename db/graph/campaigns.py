"""A reporting campaign's completion, in one statement for every campaign of a page.

An action is in a campaign's scope when its CTG lies in the campaign's department (any, for a national
campaign) and among the campaign's CTGs if it names some, its theme is among the campaign's themes if it names
some, it is under way or done (validated, in progress, done), and its period meets the campaign's. Each of its
indicators whose unit the campaign asks for (any, if it names none) owes one value for the campaign; a value
counts once it names the campaign. The figures count the actions the caller reads, no others: a carrier sees
its own completion, the Caf its department's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, any_, exists, func, literal_column, or_, select

from db.graph.mapping import ACTION, _table
from db.graph.visibility import visible
from db.models import CampaignCtg, Indicator, IndicatorValue, ReportingCampaign, Scheme
from db.models.enums import ActionStatus
from db.session import RequestDatabase

_campaign, _campaign_ctg = _table(ReportingCampaign), _table(CampaignCtg)
_scheme, _indicator, _value = _table(Scheme), _table(Indicator), _table(IndicatorValue)
_action = ACTION.source

UNDER_WAY = (ActionStatus.VALIDATED.value, ActionStatus.IN_PROGRESS.value, ActionStatus.DONE.value)


class CompletionGrouping(StrEnum):
    """What a campaign's completion is counted per."""

    CTG = "ctg"
    CARRIER = "carrier"
    ACTION = "action"
    DEPARTMENT = "department"


@dataclass(frozen=True)
class Completion:
    """One group's figures: the values owed and given, the actions in scope and those complete."""

    campaign_id: int
    key: Any  # the CTG's or carrier's or action's id, the department's code
    expected: int
    reported: int
    actions: int
    complete_actions: int
    overdue: bool


def in_scope() -> list[ColumnElement[bool]]:
    """Whether the action (table `action`) of the CTG (table `scheme`) is in the campaign's (`reporting_campaign`)
    scope."""
    restricted = exists(
        select(literal_column("1")).where(_campaign_ctg.c.campaign_id == _campaign.c.id).correlate(_campaign)
    )
    listed = exists(
        select(literal_column("1"))
        .where(_campaign_ctg.c.campaign_id == _campaign.c.id, _campaign_ctg.c.ctg_id == _scheme.c.id)
        .correlate(_campaign, _scheme)
    )
    return [
        _scheme.c.kind == "CTG",
        _scheme.c.archived_at.is_(None),
        or_(_campaign.c.department_code.is_(None), _scheme.c.department_code == _campaign.c.department_code),
        or_(~restricted, listed),
        or_(func.cardinality(_campaign.c.themes) == 0, _action.c.theme == any_(_campaign.c.themes)),
        _action.c.status.in_(UNDER_WAY),
        _action.c.period_start <= _campaign.c.period_end,
        or_(_action.c.period_end.is_(None), _action.c.period_end >= _campaign.c.period_start),
    ]


_GROUP_KEYS = {
    CompletionGrouping.CTG: _action.c.ctg_id,
    CompletionGrouping.CARRIER: _action.c.carrier_id,
    CompletionGrouping.ACTION: _action.c.id,
    CompletionGrouping.DEPARTMENT: _scheme.c.department_code,
}


async def completion(
    database: RequestDatabase,
    campaign_ids: Sequence[int],
    per: CompletionGrouping,
    today: date,
    *,
    overdue_only: bool = False,
) -> dict[int, list[Completion]]:
    """Each campaign's completion per group, groups in key order; with `overdue_only`, the incomplete groups of
    campaigns past their deadline alone."""
    per_action = (
        select(
            _campaign.c.id.label("campaign_id"),
            _GROUP_KEYS[per].label("key"),
            _campaign.c.due_on,
            func.count(_indicator.c.id).label("expected"),
            func.count(func.distinct(_value.c.indicator_id)).label("reported"),
        )
        .select_from(
            _campaign.join(_scheme, _scheme.c.kind == "CTG")
            .join(_action, _action.c.ctg_id == _scheme.c.id)
            .join(
                _indicator,
                and_(
                    _indicator.c.action_id == _action.c.id,
                    or_(func.cardinality(_campaign.c.units) == 0, _indicator.c.unit == any_(_campaign.c.units)),
                ),
            )
            .outerjoin(_value, and_(_value.c.indicator_id == _indicator.c.id, _value.c.campaign_id == _campaign.c.id))
        )
        .where(
            _campaign.c.id.in_(campaign_ids),
            _campaign.c.archived_at.is_(None),
            *in_scope(),
            *visible(ACTION, database.national),
        )
        .group_by(_campaign.c.id, _action.c.id, _GROUP_KEYS[per])
        .subquery("per_action")
    )
    owed = func.sum(per_action.c.expected)
    given = func.sum(per_action.c.reported)
    late = per_action.c.due_on < today
    statement = (
        select(
            per_action.c.campaign_id,
            per_action.c.key,
            owed.label("expected"),
            given.label("reported"),
            func.count().label("actions"),
            func.count().filter(per_action.c.reported >= per_action.c.expected).label("complete_actions"),
            and_(late, given < owed).label("overdue"),
        )
        .group_by(per_action.c.campaign_id, per_action.c.key, per_action.c.due_on)
        .order_by(per_action.c.campaign_id, per_action.c.key)
    )
    if overdue_only:
        statement = statement.having(and_(late, given < owed))
    found: dict[int, list[Completion]] = {campaign_id: [] for campaign_id in campaign_ids}
    for row in await database.rows(statement):
        found[row.campaign_id].append(
            Completion(
                row.campaign_id,
                row.key,
                int(row.expected),
                int(row.reported),
                row.actions,
                row.complete_actions,
                bool(row.overdue),
            )
        )
    return found
