"""The actions that create, extend or fund a facility: linked and unlinked by the facility's Caf.

A link is part of the facility: each change moves the facility one version on (concurrent ones conflict) and is
recorded in its history as the link before → after. The action is one the caller sees, of a CTG of the
facility's department.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from auth.rules import Can
from db.graph.mapping import ACTION, _table
from db.models import Facility, FacilityAction, Scheme
from db.session import RequestDatabase
from db.writes import references
from db.writes.audit import Actor, record
from db.writes.facilities.access import facility_for
from db.writes.facilities.facilities import ENTITY, facility_row
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import insert_rows, update_row
from db.writes.versions import stale

_link, _scheme, _facility = _table(FacilityAction), _table(Scheme), _table(Facility)


def _entry(action_id: int, link: str) -> dict[str, Any]:
    return {"action_id": action_id, "link": link}


async def _current(database: RequestDatabase, facility_id: int, action_id: int) -> str | None:
    rows = await database.rows(
        select(_link.c.link).where(_link.c.facility_id == facility_id, _link.c.action_id == action_id)
    )
    return rows[0].link if rows else None


async def _touch(database: RequestDatabase, before: Any, version: int) -> Outcome:
    conflict = stale(version, before.version, noun="facility")
    if conflict is not None:
        return conflict
    return await update_row(database, _facility, {"id": before.id}, version, {"updated_at": func.clock_timestamp()})


async def link_action(
    database: RequestDatabase, facility_id: int, version: int, action_id: int, link: str, actor: Actor
) -> Outcome:
    """Say that the action creates, extends or funds the facility (a link already there takes the new kind)."""
    found = await facility_for(database, facility_id, Can.STEWARD, "link actions to a facility", "facility_id")
    if isinstance(found, Outcome):
        return found
    before = found[0]
    action = await references.one(database, ACTION, action_id, "action_id", "action")
    if isinstance(action, Outcome):
        return action
    (department,) = (await database.rows(select(_scheme.c.department_code).where(_scheme.c.id == action.ctg_id)))[0]
    if department != before.department_code:
        return refused(Refusal.INVALID, "action_id", "facility.action_department")
    current = await _current(database, facility_id, action_id)
    if current == link:
        return stale(version, before.version, field="version", noun="facility") or Outcome(row=before)
    touched = await _touch(database, before, version)
    if touched.row is None:
        return touched
    if current is None:
        refusal = await insert_rows(
            database, _link, [{"facility_id": facility_id, "action_id": action_id, "link": link}]
        )
        if refusal:
            return refusal
    else:
        await database.execute(
            update(_link).where(_link.c.facility_id == facility_id, _link.c.action_id == action_id).values(link=link)
        )
    previous = _entry(action_id, current) if current else None
    await record(database, actor, ENTITY, facility_id, "update", {"actions": [previous, _entry(action_id, link)]})
    return Outcome(row=await facility_row(database, facility_id))


async def unlink_action(
    database: RequestDatabase, facility_id: int, version: int, action_id: int, actor: Actor
) -> Outcome:
    """Say that the action no longer creates, extends or funds the facility."""
    found = await facility_for(database, facility_id, Can.STEWARD, "unlink actions from a facility", "facility_id")
    if isinstance(found, Outcome):
        return found
    before = found[0]
    current = await _current(database, facility_id, action_id)
    if current is None:
        return refused(Refusal.NOT_FOUND, "action_id", "facility.not_linked")
    touched = await _touch(database, before, version)
    if touched.row is None:
        return touched
    await database.execute(delete(_link).where(_link.c.facility_id == facility_id, _link.c.action_id == action_id))
    await record(database, actor, ENTITY, facility_id, "update", {"actions": [_entry(action_id, current), None]})
    return Outcome(row=await facility_row(database, facility_id))
