"""Changing an action: the caller's capacities on it, optimistic concurrency, the workflow, the audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from db.graph.mapping import ACTION, _table
from db.graph.visibility import visible
from db.models import Action, Scheme
from db.models.enums import ActionStatus
from db.session import RequestDatabase
from db.writes.audit import Actor, changes_between, record
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import update_row
from db.writes.workflow import Capacity, check_transition, is_illegal

_action = _table(Action)
_scheme = _table(Scheme)

# CHECK constraints whose name does not start with the column at fault.
FIELDS = {"ck_action_period_ordered": "period_end"}


async def action_with_capacities(database: RequestDatabase, action_id: int) -> tuple[Any, frozenset[Capacity]] | None:
    """The action as the caller sees it (None if it does not), and in which capacities the caller acts on it.

    No lock: updates apply only at the version read here, so a concurrent change makes them a conflict,
    and the values read here are the "before" of the audit trail whenever they succeed.
    """
    rows = await database.rows(
        select(
            *[column.label(name) for name, column in ACTION.columns.items()],
            _scheme.c.department_code.in_(select(func.unnest(func.access_caf_departments()))).label("as_caf"),
            _action.c.ctg_id.in_(select(func.local_scheme_ids())).label("as_local"),
            _action.c.carrier_id.in_(select(func.unnest(func.access_organisations()))).label("as_carrier"),
        )
        .select_from(_action.join(_scheme, _scheme.c.id == _action.c.ctg_id))
        .where(_action.c.id == action_id, _scheme.c.archived_at.is_(None), *visible(ACTION, database.national))
    )
    if not rows:
        return None
    row = rows[0]
    capacities = {
        capacity
        for capacity, held in (
            (Capacity.CAF, row.as_caf),
            (Capacity.LOCAL_AUTHORITY, row.as_local),
            (Capacity.CARRIER, row.as_carrier),
        )
        if held
    }
    return row, frozenset(capacities)


async def changeable(
    database: RequestDatabase, action_id: int, field: str = "id", *, fully_only: bool = False
) -> tuple[Any, frozenset[Capacity]] | Outcome:
    """The action and the caller's capacities on it, or the refusal (on `field`, the input naming the
    action) when it has none, or, with `fully_only`, when it is only the action's carrier."""
    found = await action_with_capacities(database, action_id)
    if found is None:
        return refused(Refusal.NOT_FOUND, field, "no such action")
    if not found[1]:
        return refused(Refusal.FORBIDDEN, field, "you may read this action, not change it")
    if fully_only and not fully(found[1]):
        return refused(
            Refusal.FORBIDDEN, field, "only the Caf of the department and the CTG's local authority may do this"
        )
    return found


def fully(capacities: frozenset[Capacity]) -> bool:
    """The Caf and the local authority change everything on an action; its carrier, only some fields."""
    return bool(capacities & {Capacity.CAF, Capacity.LOCAL_AUTHORITY})


async def update_action(
    database: RequestDatabase,
    action_id: int,
    version: int,
    changes: dict[str, Any],
    actor: Actor,
    carrier_fields: frozenset[str],
) -> Outcome:
    """Apply `changes` to the action if the caller may, and if nobody changed it since `version`."""
    found = await changeable(database, action_id)
    if isinstance(found, Outcome):
        return found
    before, capacities = found
    if not fully(capacities):
        for name in changes:
            if name not in carrier_fields:
                return refused(Refusal.FORBIDDEN, name, f"the carrier of an action may not change {name}")
    return await _apply(database, before, version, changes, actor)


async def transition_action(
    database: RequestDatabase, action_id: int, version: int, target: ActionStatus, actor: Actor
) -> Outcome:
    """Move the action along its workflow, if the state machine lets this caller."""
    found = await changeable(database, action_id)
    if isinstance(found, Outcome):
        return found
    before, capacities = found
    current = ActionStatus(before.status)
    why_not = check_transition(current, target, capacities)
    if why_not is not None:
        refusal = Refusal.ILLEGAL_TRANSITION if is_illegal(current, target) else Refusal.FORBIDDEN
        return refused(refusal, "status", why_not)
    return await _apply(database, before, version, {"status": target.value}, actor)


async def archive_action(database: RequestDatabase, action_id: int, version: int, actor: Actor) -> Outcome:
    """Archive the action: it leaves every read and enters the feed of deletions; nobody changes it again."""
    found = await changeable(database, action_id, fully_only=True)
    if isinstance(found, Outcome):
        return found
    outcome = await _at_version(database, found[0], version, {"archived_at": func.clock_timestamp()})
    if outcome.row is not None:
        archived = changes_between({"archived_at": None}, outcome.row._mapping, ("archived_at",))
        await record(database, actor, "action", action_id, "archive", archived)
    return outcome


async def touch_action(database: RequestDatabase, before: Any, version: int, field: str = "id") -> Outcome:
    """Move the action one version on, if it is still at `version`: a change of its partners, objectives
    or indicators is a change of the action, and concurrent ones must not all succeed. The UPDATE locks
    the row until the request ends, so what is read after it cannot change under the caller."""
    outcome = await _at_version(database, before, version, {"updated_at": func.clock_timestamp()})
    return replace(outcome, field=field) if outcome.field == "id" else outcome


async def _at_version(database: RequestDatabase, before: Any, version: int, changes: dict[str, Any]) -> Outcome:
    if before.version != version:
        return refused(
            Refusal.CONFLICT,
            "version",
            f"the action changed since version {version}: it is at version {before.version}",
            before.version,
        )
    return await update_row(database, _action, {"id": before.id}, version, changes, FIELDS)


async def _apply(
    database: RequestDatabase, before: Any, version: int, changes: dict[str, Any], actor: Actor
) -> Outcome:
    outcome = await _at_version(database, before, version, changes)
    if outcome.row is None:
        return outcome
    after = outcome.row._mapping
    await record(
        database, actor, "action", before.id, "update", changes_between(before._mapping, after, tuple(changes))
    )
    return outcome
