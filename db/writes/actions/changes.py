"""Changing an action: what the caller may do with it, optimistic concurrency, the workflow, the audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from auth.rules import CARRIER_ACTION_FIELDS, Can, Grantor, Relation
from db.graph.mapping import ACTION, _table
from db.graph.visibility import visible
from db.models import Action
from db.models.enums import ActionStatus
from db.policies.conditions import relations_held
from db.session import RequestDatabase
from db.writes.access import forbidden, permits, relations
from db.writes.actions.funding import back_for_validation, has_funding_lines
from db.writes.actions.integrity import FRAMED, ctg_frame, still_open, within_ctg
from db.writes.actions.workflow import check_transition, is_illegal
from db.writes.audit import Actor, changes_between, record
from db.writes.outcome import Outcome, Refusal, because, camel, refused
from db.writes.rows import changed, update_row
from db.writes.versions import stale

_action = _table(Action)
# What a write reads back: the action's node columns (with what the caller may see of it), and its archiving.
_RETURNED = {**ACTION.columns, "archived_at": _action.c.archived_at}

# An action's money: the totals of its funding lines, once it has any.
MONEY = frozenset({"budget", "caf_funding"})
# CHECK constraints whose name does not start with the column at fault.
FIELDS = {"ck_action_period_ordered": "period_end"}


async def action_with_relations(database: RequestDatabase, action_id: int) -> tuple[Any, frozenset[Relation]] | None:
    """The action as the caller sees it (None if it does not), and the relations it grants the caller.

    No lock: updates apply only at the version read here, so a concurrent change makes them a conflict,
    and the values read here are the "before" of the audit trail whenever they succeed.
    """
    rows = await database.rows(
        select(
            *[column.label(name) for name, column in ACTION.columns.items()],
            relations_held(Grantor.ACTION, _action.c.id).label("relations"),
        ).where(_action.c.id == action_id, *visible(ACTION, database.national))
    )
    if not rows:
        return None
    return rows[0], relations(rows[0].relations)


async def changeable(
    database: RequestDatabase, action_id: int, field: str = "id", needs: Can = Can.CHANGE, what: str = "do this"
) -> tuple[Any, frozenset[Relation]] | Outcome:
    """The action and the caller's relations to it, or the refusal (on `field`, the input naming the action)
    when they do not allow `needs`."""
    found = await action_with_relations(database, action_id)
    if found is None:
        return refused(Refusal.NOT_FOUND, field, "not_found", type="Action")
    if not permits(Grantor.ACTION, Can.CHANGE, found[1]):
        return refused(Refusal.FORBIDDEN, field, "read_only", type="Action")
    if not permits(Grantor.ACTION, needs, found[1]):
        return forbidden(Grantor.ACTION, needs, field, what)
    return found


async def update_action(
    database: RequestDatabase,
    action_id: int,
    version: int,
    changes: dict[str, Any],
    actor: Actor,
) -> Outcome:
    """Apply `changes` to the action if the caller may, and if nobody changed it since `version`."""
    found = await changeable(database, action_id)
    if isinstance(found, Outcome):
        return found
    before, held = found
    if not permits(Grantor.ACTION, Can.CHANGE_EVERY_FIELD, held):
        for name in changes:
            if name not in CARRIER_ACTION_FIELDS:
                return forbidden(Grantor.ACTION, Can.CHANGE_EVERY_FIELD, name, f"change {camel(name)}")
    changes = changed(before, changes)
    misfit = still_open(before.status, changes)
    if misfit is None and FRAMED & changes.keys():
        misfit = within_ctg(await ctg_frame(database, before.ctg_id), changes)
    if misfit is not None:
        return misfit
    reason = None
    if "caf_funding" in changes:
        # The Caf's funding is the Caf's to change, and what its validation of the action stood for.
        if not permits(Grantor.ACTION, Can.FUND, held):
            return forbidden(Grantor.ACTION, Can.FUND, "caf_funding", "change cafFunding")
        back = back_for_validation(before.status, before.caf_funding, changes["caf_funding"])
        if back is not None:
            changes["status"], reason = back
    for name in sorted(MONEY & changes.keys()):
        if await has_funding_lines(database, action_id):
            return refused(
                Refusal.INVALID,
                name,
                "action.funding_total",
            )
    return await _apply(database, before, version, changes, actor, reason)


async def transition_action(
    database: RequestDatabase,
    action_id: int,
    version: int,
    target: ActionStatus,
    reason: str | None,
    actor: Actor,
) -> Outcome:
    """Move the action along its workflow, if the state machine lets this caller; `reason` goes to history. An
    action done is done whole: its progress becomes 100."""
    found = await changeable(database, action_id)
    if isinstance(found, Outcome):
        return found
    before, held = found
    current = ActionStatus(before.status)
    why_not = check_transition(current, target, held)
    if why_not is not None:
        refusal = Refusal.ILLEGAL_TRANSITION if is_illegal(current, target) else Refusal.FORBIDDEN
        return because(refusal, "status", why_not)
    move: dict[str, Any] = {"status": target.value}
    if target is ActionStatus.DONE:
        move["progress"] = 100
    return await _apply(database, before, version, move, actor, reason)


async def archive_action(database: RequestDatabase, action_id: int, version: int, actor: Actor) -> Outcome:
    """Archive the action: it leaves every read and enters the feed of deletions; nobody changes it again."""
    found = await changeable(database, action_id, needs=Can.PLAN, what="archive an action")
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
    conflict = stale(version, before.version, noun="action")
    if conflict is not None:
        return conflict
    return await update_row(database, _action, {"id": before.id}, version, changes, FIELDS, _RETURNED)


async def _apply(
    database: RequestDatabase,
    before: Any,
    version: int,
    changes: dict[str, Any],
    actor: Actor,
    reason: str | None = None,
) -> Outcome:
    changes = changed(before, changes)
    if not changes:
        # Nothing would change: no new version, no history entry; a stale version is still a conflict.
        return stale(version, before.version, noun="action") or Outcome(row=before)
    outcome = await _at_version(database, before, version, changes)
    if outcome.row is None:
        return outcome
    after = outcome.row._mapping
    await record(
        database,
        actor,
        "action",
        before.id,
        "update",
        changes_between(before._mapping, after, tuple(changes)),
        reason,
    )
    return outcome
