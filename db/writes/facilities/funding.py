"""Funding lines, written: one funder's money for one year and one type of funding, of an action or a facility.

Who writes them (auth/rules.py): an action's lines, whoever plans the action (its Caf, its CTG's local
authority); a facility's, its Caf. A Caf's amounts are the Caf's: the lines whose funder is a Caf, and every
line's amount granted, are set by the Caf only (Can.FUND). An action's `budget` and `caf_funding` are the totals
of its lines (a trigger keeps them); a change of the Caf's planned funding of a validated action sends it back
for validation (db/writes/actions/funding.py). Each change is recorded on the line's action or facility, as the
line before → after (`fundingLines`), with the totals it moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from auth.rules import WHO, Can, Grantor, Relation, allowed
from db.graph.mapping import FUNDING_LINE, ORGANISATION, _table
from db.graph.reads import rows_by_keys
from db.models import Action, FundingLine
from db.models.enums import OrganisationKind
from db.session import RequestDatabase
from db.writes import references
from db.writes.access import permits
from db.writes.actions.changes import action_with_relations, changeable
from db.writes.actions.funding import back_for_validation
from db.writes.audit import Actor, changes_between, plain, record
from db.writes.facilities.access import facility_for
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import changed, insert_new, update_row
from db.writes.versions import stale

_line, _action = _table(FundingLine), _table(Action)

ENTITY = "funding_line"
FIELDS = {
    "uq_funding_line_action": "year",
    "uq_funding_line_facility": "year",
    "ck_funding_line_planned_positive": "planned",
    "ck_funding_line_granted_positive": "granted",
    "ck_funding_line_paid_positive": "paid",
    "ck_funding_line_year_range": "year",
    "fk_funding_line_funder_id_organisation": "funder_id",
}
# What a line is, as history records it.
LINE = ("id", "year", "funder_id", "type", "planned", "granted", "paid")
CHANGEABLE = ("year", "funder_id", "type", "planned", "granted", "paid")


@dataclass(frozen=True)
class NewLine:
    """A checked addFundingLine input, in database terms: of an action or (exclusive) of a facility."""

    action_id: int | None
    facility_id: int | None
    year: int
    funder_id: int
    type: str
    planned: Decimal
    granted: Decimal | None = None
    paid: Decimal | None = None
    idempotency_key: str | None = field(default=None, compare=False)

    def values(self) -> dict[str, Any]:
        names = ("action_id", "facility_id", "year", "funder_id", "type", "planned", "granted", "paid")
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True)
class Owner:
    """The action or facility a line belongs to, as the caller sees it, and whether the caller is its Caf."""

    entity: str
    id: int
    row: Any
    funds: bool


async def line_row(database: RequestDatabase, line_id: int) -> Any | None:
    return (await rows_by_keys(database, FUNDING_LINE, [line_id]))[0]


async def _owner(
    database: RequestDatabase, action_id: int | None, facility_id: int | None, field_name: str
) -> Owner | Outcome:
    if action_id is not None:
        found = await changeable(database, action_id, field_name, Can.PLAN, "change an action's funding lines")
        if isinstance(found, Outcome):
            return found
        return Owner("action", action_id, found[0], permits(Grantor.ACTION, Can.FUND, found[1]))
    assert facility_id is not None, "a line is of an action or of a facility"
    found = await facility_for(database, facility_id, Can.FUND, "change a facility's funding lines", field_name)
    if isinstance(found, Outcome):
        return found
    return Owner("facility", facility_id, found[0], True)


async def _funded_by_a_caf(database: RequestDatabase, funder_id: int, field_name: str) -> bool | Outcome:
    """Whether the funder, an organisation the caller sees, is a Caf (NOT_FOUND on `field_name` if it sees none)."""
    funder = await references.one(database, ORGANISATION, funder_id, field_name, "organisation")
    if isinstance(funder, Outcome):
        return funder
    return bool(funder.kind == OrganisationKind.CAF.value)


def _cafs_own(owner: Owner, caf_line: bool, asked: dict[str, Any], first: str) -> Outcome | None:
    """Why the caller may not set the values `asked` of a line (`first` the first input field asked), if it may
    not: a Caf's line, and any line's amount granted, are the Caf's."""
    if owner.funds:
        return None
    if caf_line:
        return refused(Refusal.FORBIDDEN, first, "funding.caf_lines", who=_who(owner))
    if "granted" in asked:
        return refused(Refusal.FORBIDDEN, "granted", "funding.granted", who=_who(owner))
    return None


def _who(owner: Owner) -> list[str]:
    """Who may fund the action or facility: the relations the rule names (a message's `who`)."""
    funders = allowed(Grantor.ACTION if owner.entity == "action" else Grantor.FACILITY, Can.FUND)
    return [relation.value for relation in Relation if relation in funders and relation in WHO]


def _entry(row: Any) -> dict[str, Any]:
    return {name: plain(row._mapping[name]) for name in LINE}


async def _recorded(
    database: RequestDatabase,
    owner: Owner,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Actor,
    field_name: str,
) -> Outcome | None:
    """Record the line's change on its owner; for an action, with the totals it moved, and send the action back
    for validation when the Caf's planned funding of it changed once validated. A change that moves the Caf's
    funding of an action is the Caf's alone (an action's first line turns its figures into the totals of its
    lines): anyone else's is refused on `field_name`, and undone."""
    changes: dict[str, Any] = {"funding_lines": [before, after]}
    reason = None
    if owner.entity == "action":
        found = await action_with_relations(database, owner.id)
        assert found is not None, "whoever changes an action's lines reads the action"
        now = found[0]
        changes.update(changes_between(owner.row._mapping, now._mapping, ("budget", "caf_funding")))
        if "caf_funding" in changes and not owner.funds:
            return refused(
                Refusal.FORBIDDEN,
                field_name,
                "funding.caf_total",
                who=_who(owner),
            )
        back = back_for_validation(owner.row.status, owner.row.caf_funding, now.caf_funding)
        if back is not None:
            status, reason = back
            moved = await update_row(database, _action, {"id": owner.id}, now.version, {"status": status})
            if moved.row is None:
                return moved
            changes["status"] = [owner.row.status, status]
    await record(database, actor, owner.entity, owner.id, "update", changes, reason)
    return None


async def add_line(database: RequestDatabase, new: NewLine, actor: Actor) -> Outcome:
    """Add the line, once per idempotency key."""
    owner_field = "action_id" if new.action_id is not None else "facility_id"

    async def create() -> Outcome:
        owner = await _owner(database, new.action_id, new.facility_id, owner_field)
        if isinstance(owner, Outcome):
            return owner
        caf_line = await _funded_by_a_caf(database, new.funder_id, "funder_id")
        if isinstance(caf_line, Outcome):
            return caf_line
        granted = {"granted": new.granted} if new.granted is not None else {}
        refusal = _cafs_own(owner, caf_line, granted, "funder_id")
        if refusal:
            return refusal
        line_id = await insert_new(database, _line, new.values(), FIELDS)
        if isinstance(line_id, Outcome):
            return line_id
        row = await line_row(database, line_id)
        assert row is not None, "whoever adds a line reads it"
        refusal = await _recorded(database, owner, None, _entry(row), actor, owner_field)
        return refusal or Outcome(row=row)

    return await create_once(
        database,
        actor,
        new.idempotency_key,
        "addFundingLine",
        new.values(),
        ENTITY,
        create,
        lambda line_id: line_row(database, line_id),
    )


async def _line_and_owner(database: RequestDatabase, line_id: int) -> tuple[Any, Owner] | Outcome:
    row = await line_row(database, line_id)
    if row is None:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type="FundingLine")
    owner = await _owner(database, row.action_id, row.facility_id, "id")
    if isinstance(owner, Outcome):
        return owner
    return row, owner


async def update_line(
    database: RequestDatabase, line_id: int, version: int, asked: dict[str, Any], actor: Actor
) -> Outcome:
    """Apply `asked` to the line if the caller may, and if nobody changed it since `version`."""
    found = await _line_and_owner(database, line_id)
    if isinstance(found, Outcome):
        return found
    before, owner = found
    caf_line = await _funded_by_a_caf(database, before.funder_id, "id")
    if isinstance(caf_line, Outcome):
        return caf_line
    if "funder_id" in asked and not caf_line:
        becomes = await _funded_by_a_caf(database, asked["funder_id"], "funder_id")
        if isinstance(becomes, Outcome):
            return becomes
        if becomes and not owner.funds:
            return refused(Refusal.FORBIDDEN, "funder_id", "funding.caf_lines", who=_who(owner))
    refusal = _cafs_own(owner, caf_line, asked, next(iter(asked)))
    if refusal:
        return refusal
    changes = changed(before, asked)
    if not changes:
        return stale(version, before.version, noun="funding line") or Outcome(row=before)
    conflict = stale(version, before.version, noun="funding line")
    if conflict is not None:
        return conflict
    outcome = await update_row(database, _line, {"id": line_id}, version, changes, FIELDS)
    if outcome.row is None:
        return outcome
    after = await line_row(database, line_id)
    assert after is not None, "whoever changes a line reads it"
    refusal = await _recorded(database, owner, _entry(before), _entry(after), actor, next(iter(asked)))
    return refusal or Outcome(row=after)


async def remove_line(database: RequestDatabase, line_id: int, version: int, actor: Actor) -> Outcome:
    """Remove the line if the caller may, and if nobody changed it since `version`."""
    found = await _line_and_owner(database, line_id)
    if isinstance(found, Outcome):
        return found
    before, owner = found
    caf_line = await _funded_by_a_caf(database, before.funder_id, "id")
    if isinstance(caf_line, Outcome):
        return caf_line
    refusal = _cafs_own(owner, caf_line, {}, "id")
    if refusal:
        return refusal
    conflict = stale(version, before.version, noun="funding line")
    if conflict is not None:
        return conflict
    removed = await database.execute(delete(_line).where(_line.c.id == line_id, _line.c.version == version))
    if not removed:
        current = await database.rows(select(_line.c.version).where(_line.c.id == line_id))
        if not current:
            return refused(Refusal.NOT_FOUND, "id", "not_found", type="FundingLine")
        return stale(version, current[0].version, noun="funding line") or refused(
            Refusal.FORBIDDEN, "id", "funding.read_only"
        )
    refusal = await _recorded(database, owner, _entry(before), None, actor, "id")
    return refusal or Outcome(row=before)
