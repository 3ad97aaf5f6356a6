"""Which reporting campaign a report answers: the one the caller names, checked, or else the one open
campaign whose scope takes the action and whose period holds the report's (none if there is no such campaign,
or several: then the caller names one)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, literal_column, select

from db.graph.campaigns import in_scope
from db.graph.mapping import _table
from db.models import Action, ReportingCampaign, Scheme
from db.models.enums import CampaignStatus
from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused

_action, _campaign, _scheme = _table(Action), _table(ReportingCampaign), _table(Scheme)
_CAMPAIGN_ACTIONS = _campaign.join(_scheme, _scheme.c.kind == "CTG").join(_action, _action.c.ctg_id == _scheme.c.id)


def _taking(action_id: int) -> list[ColumnElement[bool]]:
    """The action is in the campaign's scope."""
    return [_action.c.id == action_id, _action.c.ctg_id == _scheme.c.id, *in_scope()]


async def answered(
    database: RequestDatabase, action_id: int, start: date, end: date, campaign_id: int | None
) -> int | Outcome | None:
    """The campaign a report of the action over [start, end] answers, or the refusal of the one named."""
    holds = and_(_campaign.c.period_start <= start, _campaign.c.period_end >= end)
    if campaign_id is None:
        rows = await database.rows(
            select(_campaign.c.id)
            .select_from(
                _campaign.join(_scheme, _scheme.c.kind == "CTG").join(_action, _action.c.ctg_id == _scheme.c.id)
            )
            .where(
                _campaign.c.status == CampaignStatus.OPEN.value,
                _campaign.c.archived_at.is_(None),
                holds,
                *_taking(action_id),
            )
            .limit(2)
        )
        return rows[0].id if len(rows) == 1 else None
    in_its_scope = exists(
        select(literal_column("1"))
        .select_from(_scheme.join(_action, _action.c.ctg_id == _scheme.c.id))
        .where(*_taking(action_id))
    )
    rows = await database.rows(
        select(_campaign.c.status, _campaign.c.period_start, _campaign.c.period_end, holds.label("holds"))
        .add_columns(in_its_scope.label("in_scope"))
        .where(_campaign.c.id == campaign_id, _campaign.c.archived_at.is_(None))
    )
    if not rows:
        return refused(Refusal.NOT_FOUND, "campaign_id", "not_found", type="ReportingCampaign")
    campaign = rows[0]
    if campaign.status != CampaignStatus.OPEN.value:
        return refused(Refusal.INVALID, "campaign_id", "campaign.closed")
    if not campaign.holds:
        return refused(
            Refusal.INVALID,
            "period_start",
            "campaign.period",
            start=campaign.period_start,
            end=campaign.period_end,
        )
    if not campaign.in_scope:
        return refused(Refusal.INVALID, "campaign_id", "campaign.action_outside")
    return campaign_id
