"""Writing the CTGs' action plans: actions, their partners and objectives, indicators and their values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.demo.lookup import ids_by_ref
from db.demo.records import Action, ObjectiveRef
from db.demo.report import DemoReport
from db.demo.upsert import Row, table_of, upsert
from db.models import Action as ActionTable
from db.models import ActionObjective, ActionPartner, Indicator, IndicatorValue


def _numeric(amount: int | None) -> Decimal | None:
    return None if amount is None else Decimal(amount)


async def write_plans(
    connection: AsyncConnection,
    actions: Sequence[Action],
    schemes: dict[str, int],
    organisations: dict[str, int],
    objectives: dict[ObjectiveRef, int],
    campaign_of: Callable[[Action, int], int | None],
    report: DemoReport,
) -> dict[str, int]:
    """Write the plans; the actions' ids by ref. A value answers `campaign_of` its action and year."""
    rows: list[Row] = [
        {
            "ref": a.ref,
            "ctg_id": schemes[a.ctg],
            "number": a.number,
            "title": a.title,
            "description": a.description,
            "theme": a.theme.value,
            "objectives": a.objectives,
            "target_public": a.target_public,
            "carrier_id": organisations[a.carrier],
            "period_start": a.period_start,
            "period_end": a.period_end,
            "status": a.status.value,
            "progress": a.progress,
            "budget": _numeric(a.budget),
            # With a budget, the action has funding lines, whose Caf total is zero when no Caf funds it.
            "caf_funding": _numeric(a.caf_funding if a.caf_funding is not None or a.budget is None else 0),
        }
        for a in actions
    ]
    await upsert(connection, ActionTable, ("ref",), rows, report)
    ids = await ids_by_ref(connection, ActionTable, (a.ref for a in actions))

    partners = [
        {"action_id": ids[a.ref], "organisation_id": organisations[p.organisation], "role": p.role}
        for a in actions
        for p in a.partners
    ]
    await upsert(connection, ActionPartner, ("action_id", "organisation_id"), partners, report)
    served = [{"action_id": ids[a.ref], "objective_id": objectives[o]} for a in actions for o in a.serves]
    await upsert(connection, ActionObjective, ("action_id", "objective_id"), served, report)

    indicators = [
        {"action_id": ids[a.ref], "name": i.name, "unit": i.unit, "target": _numeric(i.target)}
        for a in actions
        for i in a.indicators
    ]
    await upsert(connection, Indicator, ("action_id", "name"), indicators, report)
    indicator_ids = await _indicator_ids(connection, ids)
    values = [
        {
            "indicator_id": indicator_ids[ids[a.ref], i.name],
            "period_start": r.period_start,
            "period_end": r.period_end,
            "value": Decimal(r.value),
            "comment": r.comment,
            "campaign_id": campaign_of(a, r.year),
        }
        for a in actions
        for i in a.indicators
        for r in i.readings
    ]
    await upsert(connection, IndicatorValue, ("indicator_id", "period_start"), values, report)
    return ids


async def _indicator_ids(connection: AsyncConnection, actions: dict[str, int]) -> dict[tuple[int, str], int]:
    table = table_of(Indicator)
    rows = await connection.execute(
        select(table.c.action_id, table.c.name, table.c.id).where(table.c.action_id.in_(actions.values()))
    )
    return {(action_id, name): id_ for action_id, name, id_ in rows}
