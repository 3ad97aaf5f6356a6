"""A facility as the caller sees it, with the relations it grants the caller (auth/rules.py, Grantor.FACILITY)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from auth.rules import Can, Grantor, Relation
from db.graph.mapping import FACILITY, _table
from db.graph.visibility import visible
from db.models import Facility
from db.policies.conditions import relations_held
from db.session import RequestDatabase
from db.writes.access import forbidden, permits, relations
from db.writes.outcome import Outcome, Refusal, refused

_facility = _table(Facility)


async def facility_with_relations(
    database: RequestDatabase, facility_id: int
) -> tuple[Any, frozenset[Relation]] | None:
    """The facility as the caller sees it (None if it does not), and the relations it grants the caller."""
    rows = await database.rows(
        select(
            *[column.label(name) for name, column in FACILITY.columns.items()],
            relations_held(Grantor.FACILITY, _facility.c.id).label("relations"),
        ).where(_facility.c.id == facility_id, *visible(FACILITY, database.national))
    )
    if not rows:
        return None
    return rows[0], relations(rows[0].relations)


async def facility_for(
    database: RequestDatabase, facility_id: int, needs: Can, what: str, field: str = "id"
) -> tuple[Any, frozenset[Relation]] | Outcome:
    """The facility and the caller's relations to it, or the refusal on `field` (the input naming it): NOT_FOUND
    when the caller does not see it, FORBIDDEN when it may change nothing of it or not `needs`."""
    found = await facility_with_relations(database, facility_id)
    if found is None:
        return refused(Refusal.NOT_FOUND, field, "not_found", type="Facility")
    held = found[1]
    if not (permits(Grantor.FACILITY, Can.STEWARD, held) or permits(Grantor.FACILITY, Can.CHANGE_CONTACT, held)):
        return refused(Refusal.FORBIDDEN, field, "read_only", type="Facility")
    if not permits(Grantor.FACILITY, needs, held):
        return forbidden(Grantor.FACILITY, needs, field, what)
    return found
