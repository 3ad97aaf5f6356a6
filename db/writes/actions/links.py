"""Changing what an action is made of: its partners, the objectives it serves, its indicators.

Only those who change the action fully (the Caf of the department, the CTG's local authority) may, as the
write policies of migration 0008 say again. Each change goes through the action's version: it moves the
action one version on, so concurrent changes from the same version cannot all succeed, and it is recorded
in the action's audit trail as the whole collection before → after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, delete, or_, select

from auth.rules import Can
from db.graph import mapping as m
from db.graph.mapping import _table
from db.graph.reads import rows_by_keys
from db.models import ActionObjective, ActionPartner, Indicator, Scheme, SchemeObjective
from db.session import RequestDatabase
from db.writes.actions.changes import changeable, touch_action
from db.writes.audit import Actor, plain, record
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import unseen
from db.writes.rows import insert_new, insert_rows

_partner, _served, _indicator = _table(ActionPartner), _table(ActionObjective), _table(Indicator)
_scheme, _objective = _table(Scheme), _table(SchemeObjective)

# Constraints whose name does not say the input field at fault.
PARTNER_FIELDS = {"pk_action_partner": "organisation_id"}
INDICATOR_FIELDS = {"uq_indicator_action_id_name": "name"}

Write = Callable[[list[Any]], Awaitable[Outcome | None]]


@dataclass(frozen=True)
class Collection:
    """One of an action's collections, as its audit trail records it under `name`: a list of
    {column: value} (of bare values, for one column), ordered by the first column."""

    name: str
    table: Table
    columns: tuple[str, ...]

    async def entries(self, database: RequestDatabase, action_id: int) -> list[Any]:
        table = self.table
        rows = await database.rows(
            select(*(table.c[name] for name in self.columns))
            .where(table.c.action_id == action_id)
            .order_by(table.c[self.columns[0]])
        )
        if len(self.columns) == 1:
            return [plain(row[0]) for row in rows]
        return [{name: plain(row._mapping[name]) for name in self.columns} for row in rows]


PARTNERS = Collection("partners", _partner, ("organisation_id", "role"))
OBJECTIVES = Collection("objectives_served", _served, ("objective_id",))
INDICATORS = Collection("indicators", _indicator, ("id", "name", "unit", "target"))


async def _recompose(
    database: RequestDatabase, actor: Actor, before: Any, version: int, collection: Collection, write: Write
) -> Outcome:
    """Move the action on from `version`, then `write` (given the collection as it is, under the action's
    row lock); record the collection before → after. The outcome is the written row if `write` returns
    one, otherwise the action as it now is."""
    touched = await touch_action(database, before, version, "action_id")
    if touched.refused:
        return touched
    current = await collection.entries(database, before.id)
    written = await write(current)
    if written is not None and written.refused:
        return written
    after = await collection.entries(database, before.id)
    if after != current:
        await record(database, actor, "action", before.id, "update", {collection.name: [current, after]})
    return written if written is not None else touched


async def _fully_changeable(database: RequestDatabase, action_id: int) -> Any:
    """The action, or the refusal when the caller does not change it fully."""
    found = await changeable(
        database, action_id, "action_id", Can.PLAN, "change an action's partners, objectives or indicators"
    )
    return found if isinstance(found, Outcome) else found[0]


async def add_partner(
    database: RequestDatabase, action_id: int, version: int, organisation_id: int, role: str | None, actor: Actor
) -> Outcome:
    """Make the organisation a partner of the action, in `role`."""
    before = await _fully_changeable(database, action_id)
    if isinstance(before, Outcome):
        return before
    hidden = await unseen(database, m.ORGANISATION, [("organisation_id", organisation_id)])
    if hidden:
        return hidden
    if organisation_id == before.carrier_id:
        return refused(Refusal.INVALID, "organisation_id", "action.carrier_partner")

    async def write(partners: list[Any]) -> Outcome | None:
        if any(partner["organisation_id"] == organisation_id for partner in partners):
            return refused(Refusal.INVALID, "organisation_id", "action.already_partner")
        values = {"action_id": action_id, "organisation_id": organisation_id, "role": role}
        return await insert_rows(database, _partner, [values], PARTNER_FIELDS)

    return await _recompose(database, actor, before, version, PARTNERS, write)


async def remove_partner(
    database: RequestDatabase, action_id: int, version: int, organisation_id: int, actor: Actor
) -> Outcome:
    """The organisation is no longer a partner of the action."""
    before = await _fully_changeable(database, action_id)
    if isinstance(before, Outcome):
        return before

    async def write(partners: list[Any]) -> Outcome | None:
        if not any(partner["organisation_id"] == organisation_id for partner in partners):
            return refused(Refusal.NOT_FOUND, "organisation_id", "action.not_partner")
        await database.execute(
            delete(_partner).where(_partner.c.action_id == action_id, _partner.c.organisation_id == organisation_id)
        )
        return None

    return await _recompose(database, actor, before, version, PARTNERS, write)


async def set_objectives(
    database: RequestDatabase, action_id: int, version: int, objectives: Sequence[tuple[str, int]], actor: Actor
) -> Outcome:
    """The action serves exactly these objectives, given as (input field, objective id)."""
    before = await _fully_changeable(database, action_id)
    if isinstance(before, Outcome):
        return before
    refusal = await objectives_refusal(database, before.ctg_id, objectives)
    if refusal:
        return refusal
    wanted = {key for _field, key in objectives}

    async def write(served: list[Any]) -> Outcome | None:
        gone = set(served) - wanted
        if gone:
            await database.execute(
                delete(_served).where(_served.c.action_id == action_id, _served.c.objective_id.in_(gone))
            )
        return await add_objectives(database, action_id, sorted(wanted - set(served)))

    return await _recompose(database, actor, before, version, OBJECTIVES, write)


async def add_objectives(database: RequestDatabase, action_id: int, objective_ids: Sequence[int]) -> Outcome | None:
    """The action serves these objectives too (None), or the database's refusal."""
    rows = [{"action_id": action_id, "objective_id": objective_id} for objective_id in objective_ids]
    return await insert_rows(database, _served, rows)


async def add_indicator(
    database: RequestDatabase, action_id: int, version: int, values: dict[str, Any], actor: Actor
) -> Outcome:
    """Give the action a new indicator (`values`: name, unit, target); the outcome is the indicator."""
    before = await _fully_changeable(database, action_id)
    if isinstance(before, Outcome):
        return before

    async def write(indicators: list[Any]) -> Outcome | None:
        if any(indicator["name"] == values["name"] for indicator in indicators):
            return refused(Refusal.INVALID, "name", "action.indicator_name_taken")
        indicator_id = await insert_new(database, _indicator, {"action_id": action_id, **values}, INDICATOR_FIELDS)
        if isinstance(indicator_id, Outcome):
            return indicator_id
        return Outcome(row=(await rows_by_keys(database, m.INDICATOR, [indicator_id]))[0])

    return await _recompose(database, actor, before, version, INDICATORS, write)


async def objectives_refusal(
    database: RequestDatabase, ctg_id: int, references: Sequence[tuple[str, int]]
) -> Outcome | None:
    """Why an action of this CTG may not serve these objectives (None if it may): each must be one the caller
    sees, of the CTG itself or of a scheme above it (national, or of the CTG's department; not another CTG
    or CEJ)."""
    hidden = await unseen(database, m.OBJECTIVE, references)
    if hidden or not references:
        return hidden
    department = select(_scheme.c.department_code).where(_scheme.c.id == ctg_id).scalar_subquery()
    fitting = await database.rows(
        select(_objective.c.id)
        .select_from(_objective.join(_scheme, _scheme.c.id == _objective.c.scheme_id))
        .where(
            _objective.c.id.in_([key for _field, key in references]),
            or_(
                _scheme.c.id == ctg_id,
                and_(
                    _scheme.c.kind.not_in(("CTG", "CEJ")),
                    or_(_scheme.c.scope == "national", _scheme.c.department_code == department),
                ),
            ),
        )
    )
    fits = {row.id for row in fitting}
    for field, key in references:
        if key not in fits:
            return refused(Refusal.INVALID, field, "action.objective_outside")
    return None
