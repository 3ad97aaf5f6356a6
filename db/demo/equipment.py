"""Writing the demo's facilities, their links to actions, and the funding lines of actions and facilities."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from db.demo import actions_31, actions_44
from db.demo import organisations as org
from db.demo.facilities import CURRENT_YEAR, FACILITIES, funding_lines
from db.demo.lookup import ids_by_ref
from db.demo.report import DemoReport
from db.demo.upsert import Row, upsert
from db.models import Action, Facility, FacilityAction, FundingLine

_LINE_KEY = ("year", "funder_id", "type")


async def write_facilities(connection: AsyncConnection, organisations: dict[str, int], report: DemoReport) -> None:
    rows: list[Row] = [
        {
            "ref": f.ref,
            "kind": f.kind.value,
            "name": f.name,
            "capacity": f.capacity,
            "manager_id": organisations[f.manager],
            "commune_insee_code": f.commune,
            "address": f.address,
            "status": f.status.value,
            "opened_on": f.opened_on,
            "approved_from": f.approved_from,
        }
        for f in FACILITIES
    ]
    await upsert(connection, Facility, ("ref",), rows, report)
    facilities = await ids_by_ref(connection, Facility, (f.ref for f in FACILITIES))
    actions = await ids_by_ref(connection, Action, (a.ref for a in (*actions_31.ACTIONS, *actions_44.ACTIONS)))
    links = [
        {"facility_id": facilities[f.ref], "action_id": actions[action], "link": link.value}
        for f in FACILITIES
        for action, link in f.actions
    ]
    await upsert(connection, FacilityAction, ("facility_id", "action_id"), links, report)

    action_lines = [
        {
            "action_id": actions[line.action],
            "year": line.year,
            "funder_id": organisations[line.funder],
            "type": line.type.value,
            "planned": line.planned,
            "granted": line.granted,
            "paid": line.paid,
        }
        for caf, plan in ((org.CAF_31, actions_31.ACTIONS), (org.CAF_44, actions_44.ACTIONS))
        for action in plan
        for line in funding_lines(action, caf)
    ]
    await upsert(
        connection, FundingLine, ("action_id", *_LINE_KEY), action_lines, report, where="action_id IS NOT NULL"
    )
    facility_lines = [
        {
            "facility_id": facilities[f.ref],
            "year": year,
            "funder_id": organisations[funder],
            "type": kind.value,
            "planned": Decimal(planned),
            "granted": Decimal(planned) if year < CURRENT_YEAR else None,
            "paid": Decimal(planned) if year < CURRENT_YEAR else None,
        }
        for f in FACILITIES
        for year, funder, kind, planned in f.funding
    ]
    await upsert(
        connection, FundingLine, ("facility_id", *_LINE_KEY), facility_lines, report, where="facility_id IS NOT NULL"
    )
