"""Facilities, written: created, changed and archived by the Caf of their department; their contact data
(FACILITY_CONTACT_FIELDS) also changed by their manager.

A facility lies in a commune, whose department and EPCI a trigger copies onto it: its Caf keeps it in its own
department. Its manager and commune are rows the caller sees (NOT_FOUND otherwise, as for a missing one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func

from auth.rules import FACILITY_CONTACT_FIELDS, Can, Grantor
from db.graph.mapping import COMMUNE, FACILITY, ORGANISATION, _table
from db.graph.reads import rows_by_keys
from db.models import Facility
from db.policies.conditions import TABLES
from db.session import RequestDatabase
from db.writes import references
from db.writes.access import allows, forbidden, permits
from db.writes.audit import Actor, changes_between, plain, record
from db.writes.facilities.access import facility_for
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, camel
from db.writes.rows import changed, insert_new, update_row
from db.writes.versions import stale

_facility = _table(Facility)

ENTITY = "facility"
# Constraints whose name does not say the input field at fault.
FIELDS = {
    "ck_facility_approval_ordered": "approved_until",
    "ck_facility_dates_ordered": "closed_on",
    "ck_facility_closed_has_date": "closed_on",
    "ck_facility_capacity_range": "capacity",
    "ck_facility_name_length": "name",
    "fk_facility_manager_id_organisation": "manager_id",
    "fk_facility_commune_insee_code_commune": "commune_id",
}
RECORDED = (
    "kind",
    "name",
    "capacity",
    "manager_id",
    "commune_insee_code",
    "address",
    "email",
    "phone",
    "approved_from",
    "approved_until",
    "opened_on",
    "closed_on",
    "status",
)
# The input field naming each column that is another row.
_INPUT = {"manager_id": "manager_id", "commune_insee_code": "commune_id"}


def input_field(column: str) -> str:
    return _INPUT.get(column, column)


@dataclass(frozen=True)
class NewFacility:
    """A checked createFacility input, in database terms."""

    kind: str
    name: str
    manager_id: int
    commune_insee_code: str
    status: str
    capacity: int | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    approved_from: date | None = None
    approved_until: date | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    idempotency_key: str | None = field(default=None, compare=False)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in RECORDED}


async def facility_row(database: RequestDatabase, facility_id: int) -> Any | None:
    return (await rows_by_keys(database, FACILITY, [facility_id]))[0]


async def _in_stewarded_department(database: RequestDatabase, insee_code: str, field_name: str) -> Outcome | None:
    """Why the caller may not keep a facility in this commune: NOT_FOUND for a commune that is not one, FORBIDDEN
    outside the department of the caller's Caf."""
    commune = await references.one(database, COMMUNE, insee_code, field_name, "commune")
    if isinstance(commune, Outcome):
        return commune
    rule = TABLES[ENTITY].insert
    assert rule is not None, "facilities are created under a rule"
    if await allows(database, rule, {"department_code": commune.department_code}):
        return None
    return forbidden(
        Grantor.FACILITY, Can.STEWARD, field_name, f"keep a facility in department {commune.department_code}"
    )


async def create_facility(database: RequestDatabase, new: NewFacility, actor: Actor) -> Outcome:
    """Create the facility, once per idempotency key: the Caf of its commune's department."""

    async def create() -> Outcome:
        refusal = await _in_stewarded_department(database, new.commune_insee_code, "commune_id")
        if refusal:
            return refusal
        manager = await references.one(database, ORGANISATION, new.manager_id, "manager_id", "organisation")
        if isinstance(manager, Outcome):
            return manager
        facility_id = await insert_new(database, _facility, new.values(), FIELDS)
        if isinstance(facility_id, Outcome):
            return facility_id
        row = await facility_row(database, facility_id)
        assert row is not None, "its Caf reads the facility it created"
        changes = changes_between(dict.fromkeys(RECORDED), row._mapping, RECORDED)
        await record(database, actor, ENTITY, facility_id, "create", changes)
        return Outcome(row=row)

    return await create_once(
        database,
        actor,
        new.idempotency_key,
        "createFacility",
        new.values(),
        ENTITY,
        create,
        lambda facility_id: facility_row(database, facility_id),
    )


async def update_facility(
    database: RequestDatabase, facility_id: int, version: int, changes: dict[str, Any], actor: Actor
) -> Outcome:
    """Apply `changes` if the caller may (its manager: FACILITY_CONTACT_FIELDS only), and if nobody changed the
    facility since `version`."""
    found = await facility_for(database, facility_id, Can.CHANGE_CONTACT, "change a facility")
    if isinstance(found, Outcome):
        return found
    before, held = found
    if not permits(Grantor.FACILITY, Can.STEWARD, held):
        for name in changes:
            if name not in FACILITY_CONTACT_FIELDS:
                field_name = input_field(name)
                return forbidden(Grantor.FACILITY, Can.STEWARD, field_name, f"change {camel(field_name)}")
    changes = changed(before, changes)
    if not changes:
        # Nothing would change: no new version, no history entry; a stale version is still a conflict.
        return stale(version, before.version, noun="facility") or Outcome(row=before)
    conflict = stale(version, before.version, noun="facility")
    if conflict is not None:
        return conflict
    if "commune_insee_code" in changes:
        refusal = await _in_stewarded_department(database, changes["commune_insee_code"], "commune_id")
        if refusal:
            return refusal
    if "manager_id" in changes:
        manager = await references.one(database, ORGANISATION, changes["manager_id"], "manager_id", "organisation")
        if isinstance(manager, Outcome):
            return manager
    outcome = await update_row(database, _facility, {"id": facility_id}, version, changes, FIELDS)
    if outcome.row is None:
        return outcome
    after = await facility_row(database, facility_id)
    assert after is not None, "whoever changed the facility reads it"
    await record(
        database, actor, ENTITY, facility_id, "update", changes_between(before._mapping, after._mapping, tuple(changes))
    )
    return Outcome(row=after)


async def archive_facility(database: RequestDatabase, facility_id: int, version: int, actor: Actor) -> Outcome:
    """Archive the facility (a mistake, a duplicate): it leaves every read, with its links and funding lines."""
    found = await facility_for(database, facility_id, Can.STEWARD, "archive a facility")
    if isinstance(found, Outcome):
        return found
    before = found[0]
    conflict = stale(version, before.version, noun="facility")
    if conflict is not None:
        return conflict
    outcome = await update_row(
        database, _facility, {"id": facility_id}, version, {"archived_at": func.clock_timestamp()}, FIELDS
    )
    if outcome.row is None:
        return outcome
    await record(
        database, actor, ENTITY, facility_id, "archive", {"archived_at": [None, plain(outcome.row.archived_at)]}
    )
    return Outcome(row=before)
