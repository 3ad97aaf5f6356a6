"""Ordered links of a scheme — its objectives, a CTG's governance bodies — added, changed, moved, removed.

Positions run from 1 without gaps, in the scheme's own order. Every change moves the scheme's version
and is recorded on the scheme (`objectives` or `governanceBodies`: the item before → after); the items
it shifts are not recorded one by one, their order follows from the one recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, case, delete, func, select, update

from db.graph.mapping import CTG, GOVERNANCE_BODY, OBJECTIVE, SCHEME, NodeSpec, _table
from db.graph.reads import rows_by_keys
from db.models import ActionObjective, GovernanceBody, GovernanceMeeting, SchemeObjective
from db.session import RequestDatabase
from db.writes import checks
from db.writes.audit import Actor
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import one
from db.writes.rows import changed, insert_new, update_row
from db.writes.schemes.guards import LinkChange, Target, changeable, in_status, record_on, reload, snapshot, touch
from db.writes.schemes.lifecycle import Part

# Moved items wait above every real position, so that no two ever share one (the constraint is immediate).
_ASIDE = 1_000_000


@dataclass(frozen=True)
class OrderedLinks:
    """One kind of ordered link: its table, its parent, its texts and their lengths, how it is named."""

    table: Table
    spec: NodeSpec
    parent_column: str
    parent_spec: NodeSpec
    parent_field: str  # the input field naming the parent
    version_field: str  # the input field holding the parent's version
    audit_field: str
    part: Part
    noun: str
    plural: str
    texts: Mapping[str, tuple[int, int]]  # name → (fewest, most) characters; fewest ≥ 1: required
    needed_by: Callable[[RequestDatabase, int], Awaitable[Outcome | None]] | None = None  # IN_USE, or None

    def item(self, row: Any) -> dict[str, Any]:
        return snapshot(row, ("id", "position", *self.texts))


async def _served(database: RequestDatabase, objective_id: int) -> Outcome | None:
    """IN_USE while actions serve the objective."""
    link = _table(ActionObjective)
    (count,) = (await database.rows(select(func.count()).where(link.c.objective_id == objective_id)))[0]
    if count:
        return refused(Refusal.IN_USE, "id", "objective.in_use", count=count)
    return None


async def _met(database: RequestDatabase, body_id: int) -> Outcome | None:
    """IN_USE once the body has met: its meetings (archived ones too, which keep their day) name it. The body's
    row is locked first: a meeting being recorded for it is waited for and counted, or waits and finds it gone."""
    bodies, meetings = _table(GovernanceBody), _table(GovernanceMeeting)
    await database.rows(select(bodies.c.id).where(bodies.c.id == body_id).with_for_update())
    (count,) = (await database.rows(select(func.count()).where(meetings.c.body_id == body_id)))[0]
    if count:
        return refused(Refusal.IN_USE, "id", "body.in_use", count=count)
    return None


OBJECTIVES = OrderedLinks(
    table=_table(SchemeObjective),
    spec=OBJECTIVE,
    parent_column="scheme_id",
    parent_spec=SCHEME,
    parent_field="scheme_id",
    version_field="scheme_version",
    audit_field="objectives",
    part=Part.SIGNED_TEXT,
    noun="objective",
    plural="objectives",
    texts={"title": (1, 500), "description": (0, 5000)},
    needed_by=_served,
)
GOVERNANCE_BODIES = OrderedLinks(
    table=_table(GovernanceBody),
    spec=GOVERNANCE_BODY,
    parent_column="ctg_id",
    parent_spec=CTG,
    parent_field="ctg_id",
    version_field="ctg_version",
    audit_field="governance_bodies",
    part=Part.LIVING,
    noun="governance body",
    plural="governance bodies",
    texts={"name": (1, 200), "composition": (0, 2000), "meeting_frequency": (0, 100)},
    needed_by=_met,
)


def _texts(links: OrderedLinks, values: Mapping[str, Any]) -> dict[str, Any]:
    """The item's texts among `values`, checked, as stored: trimmed, blank optional ones none."""
    stored: dict[str, Any] = {}
    for name, (low, high) in links.texts.items():
        if name in values:
            if low:
                stored[name] = checks.text(name, checks.present(name, values[name]), high, minimum=low)
            else:
                stored[name] = checks.optional_text(name, values[name], high)
    return stored


async def _parent(
    database: RequestDatabase, links: OrderedLinks, parent_id: int, version: int, id_field: str
) -> Target | Outcome:
    """The parent, if the caller may change it and it is still at `version`; whether its status still lets
    its items change is `_frozen`'s question, asked of what changes."""
    return await changeable(
        database, parent_id, version, spec=links.parent_spec, id_field=id_field, version_field=links.version_field
    )


def _frozen(links: OrderedLinks, target: Target, id_field: str) -> Outcome | None:
    """The refusal when the parent's status no longer lets its items change."""
    return in_status(target, links.part, links.plural, id_field)


async def _order(database: RequestDatabase, links: OrderedLinks, parent_id: int) -> list[tuple[int, int]]:
    """(id, position) of the parent's items, in order."""
    table = links.table
    rows = await database.rows(
        select(table.c.id, table.c.position)
        .where(table.c[links.parent_column] == parent_id)
        .order_by(table.c.position, table.c.id)
    )
    return [(row.id, row.position) for row in rows]


def _position_problem(position: int | None, last: int) -> Outcome | None:
    if position is not None and not 1 <= position <= last:
        return refused(Refusal.INVALID, "position", "position.range", last=last)
    return None


async def _renumber(database: RequestDatabase, table: Table, current: list[tuple[int, int]], wanted: list[int]) -> None:
    """Give the items the positions 1, 2, ... in the order `wanted`, moving only those whose position changes."""
    was = dict(current)
    moves = {item: position for position, item in enumerate(wanted, start=1) if was.get(item) != position}
    if not moves:
        return
    moved = table.c.id.in_(list(moves))
    await database.execute(update(table).where(moved).values(position=table.c.position + _ASIDE))
    await database.execute(update(table).where(moved).values(position=case(moves, value=table.c.id)))


async def _done(database: RequestDatabase, links: OrderedLinks, target: Target, item_id: int | None) -> LinkChange:
    item = None
    if item_id is not None:
        (item,) = await rows_by_keys(database, links.spec, [item_id])
    return LinkChange(await reload(database, target.id, links.parent_spec), item)


async def add(
    database: RequestDatabase,
    links: OrderedLinks,
    parent_id: int,
    version: int,
    values: Mapping[str, Any],
    position: int | None,
    actor: Actor,
) -> Outcome:
    """Add an item at `position` (last when None), shifting those from there on."""
    texts = _texts(links, {name: values.get(name) for name in links.texts})
    target = await _parent(database, links, parent_id, version, links.parent_field)
    if isinstance(target, Outcome):
        return target
    frozen = _frozen(links, target, links.parent_field)
    if frozen:
        return frozen
    current = await _order(database, links, target.id)
    bad = _position_problem(position, len(current) + 1)
    if bad:
        return bad
    touched = await touch(database, target, version, links.version_field)
    if touched:
        return touched
    last = max((at for _, at in current), default=0)
    item_id = await insert_new(database, links.table, {links.parent_column: target.id, "position": last + 1, **texts})
    if isinstance(item_id, Outcome):
        return item_id
    wanted = [item for item, _ in current]
    wanted.insert((position or len(current) + 1) - 1, item_id)
    await _renumber(database, links.table, [*current, (item_id, last + 1)], wanted)
    done = await _done(database, links, target, item_id)
    await record_on(database, actor, target, "update", {links.audit_field: [None, links.item(done.item)]})
    return Outcome(row=done)


async def _item(
    database: RequestDatabase, links: OrderedLinks, item_id: int, version: int
) -> tuple[Any, Target] | Outcome:
    item = await one(database, links.spec, item_id, "id", links.noun)
    if isinstance(item, Outcome):
        return item
    target = await _parent(database, links, item._mapping[links.parent_column], version, "id")
    return target if isinstance(target, Outcome) else (item, target)


async def change(
    database: RequestDatabase,
    links: OrderedLinks,
    item_id: int,
    version: int,
    values: Mapping[str, Any],
    position: int | None,
    actor: Actor,
) -> Outcome:
    """Change an item's texts and, with `position`, move it. What changes nothing is no change: no new
    version, no history entry, whatever the parent's status."""
    texts = _texts(links, values)
    found = await _item(database, links, item_id, version)
    if isinstance(found, Outcome):
        return found
    before, target = found
    current = await _order(database, links, target.id)
    bad = _position_problem(position, len(current))
    changes = changed(before, texts)
    order = [item for item, _ in current]
    wanted = [item for item in order if item != before.id]
    if not bad:
        wanted.insert((position or order.index(before.id) + 1) - 1, before.id)
        if not changes and wanted == order:
            return Outcome(row=LinkChange(target.row, before))
    bad = _frozen(links, target, "id") or bad
    if bad:
        return bad
    touched = await touch(database, target, version, links.version_field)
    if touched:
        return touched
    if changes:
        updated = await update_row(database, links.table, {"id": before.id}, before.version, changes)
        if updated.refused:
            return updated
    await _renumber(database, links.table, current, wanted)
    done = await _done(database, links, target, before.id)
    await record_on(database, actor, target, "update", {links.audit_field: [links.item(before), links.item(done.item)]})
    return Outcome(row=done)


async def remove(database: RequestDatabase, links: OrderedLinks, item_id: int, version: int, actor: Actor) -> Outcome:
    """Remove an item; those after it move up."""
    found = await _item(database, links, item_id, version)
    if isinstance(found, Outcome):
        return found
    before, target = found
    frozen = _frozen(links, target, "id")
    if frozen:
        return frozen
    if links.needed_by is not None:
        needed = await links.needed_by(database, before.id)
        if needed:
            return needed
    touched = await touch(database, target, version, links.version_field)
    if touched:
        return touched
    await database.execute(delete(links.table).where(links.table.c.id == before.id))
    current = await _order(database, links, target.id)
    await _renumber(database, links.table, current, [item for item, _ in current])
    await record_on(database, actor, target, "update", {links.audit_field: [links.item(before), None]})
    return Outcome(row=await _done(database, links, target, None))
