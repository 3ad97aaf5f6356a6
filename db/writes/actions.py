"""Updating an action: the caller's rights, optimistic concurrency and the audit trail, in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from db.graph.mapping import ACTION, _table
from db.models import Action
from db.session import RequestDatabase
from db.writes.audit import Actor, changes_between, record

_action = _table(Action)
_editable = func.editable_actions().table_valued("id", "fully").alias("editable")

# Which CHECK constraint speaks of which field, so a rejected row is reported on the field at fault.
_CONSTRAINT_FIELDS = {
    "ck_action_period_ordered": "periodEnd",
    "ck_action_title_length": "title",
    "ck_action_budget_positive": "budget",
    "ck_action_caf_funding_positive": "cafFunding",
    "ck_action_caf_funding_within_budget": "cafFunding",
    "ck_action_progress_percent": "progress",
    "ck_action_theme_valid": "theme",
}


class Refusal(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"


@dataclass(frozen=True)
class EditResult:
    row: Any | None = None
    refusal: Refusal | None = None
    field: str | None = None
    message: str = ""
    current_version: int | None = None


async def update_action(
    database: RequestDatabase,
    action_id: int,
    version: int,
    changes: dict[str, Any],
    actor: Actor,
    carrier_fields: frozenset[str],
) -> EditResult:
    """Apply `changes` to the action if the caller may, and if nobody changed it since `version`."""
    columns = [column.label(name) for name, column in ACTION.columns.items()]
    # The row as the caller sees it (row-level security applies), with the caller's rights on it: none
    # (not editable), as its carrier, or fully. No lock: the UPDATE below only applies at this version,
    # so a concurrent change between the two makes it a conflict, and the values read here are the
    # "before" of the audit trail whenever it succeeds.
    current = await database.rows(
        select(*columns, _editable.c.fully)
        .select_from(_action.outerjoin(_editable, _editable.c.id == _action.c.id))
        .where(_action.c.id == action_id)
    )
    if not current:
        return EditResult(refusal=Refusal.NOT_FOUND, field="id", message="no such action")
    before = dict(current[0]._mapping)
    if before["fully"] is None:
        return EditResult(refusal=Refusal.FORBIDDEN, field="id", message="you may read this action, not change it")
    if not before["fully"]:
        for name in changes:
            if name not in carrier_fields:
                return EditResult(
                    refusal=Refusal.FORBIDDEN, field=name, message=f"the carrier of an action may not change {name}"
                )
    if before["version"] != version:
        return EditResult(
            refusal=Refusal.CONFLICT,
            field="version",
            message=f"the action changed since version {version}: it is at version {before['version']}",
            current_version=before["version"],
        )
    try:
        updated = await database.rows(
            update(_action)
            .where(and_(_action.c.id == action_id, _action.c.version == version))
            .values(**changes)
            .returning(*[_action.c[name] for name in ACTION.columns])
        )
    except IntegrityError as error:
        constraint = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
        field = _CONSTRAINT_FIELDS.get(str(constraint), "input")
        return EditResult(
            refusal=Refusal.INVALID, field=field, message=f"the database refused the change ({constraint})"
        )
    if not updated:
        # Another request changed it since it was read here: same answer as a stale version.
        return EditResult(
            refusal=Refusal.CONFLICT,
            field="version",
            message=f"the action changed since version {version}; read it again",
            current_version=await _version(database, action_id),
        )
    after = dict(updated[0]._mapping)
    await record(database, actor, "action", action_id, "update", changes_between(before, after, tuple(changes)))
    return EditResult(row=updated[0])


async def _version(database: RequestDatabase, action_id: int) -> int | None:
    rows = await database.rows(select(_action.c.version).where(_action.c.id == action_id))
    return rows[0].version if rows else None
