"""Creating, changing and archiving schemes (CTGs have their own module, on the same guards).

Who creates what: the Caf of a department its departmental schemes (SDSF, SDAVS, education charter); the
Cnaf's managers national schemes (COG) and CPOGs. New schemes are drafts; their status moves along
`db.writes.schemes.lifecycle`. CEJs are no longer signed (CTGs replaced them from 2020) and CTGs are created
as CTGs: neither is created here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select

from db.graph.mapping import SCHEME, NodeSpec, _table
from db.models import Action, Ctg
from db.models.enums import SchemeKind, SchemeScope, SchemeStatus
from db.policies.conditions import scheme_steward
from db.session import RequestDatabase
from db.writes import checks
from db.writes.access import allows
from db.writes.audit import Actor, changes_between
from db.writes.checks import Invalid
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import changed, insert_new, update_row
from db.writes.schemes import references
from db.writes.schemes.chain import DEPARTMENTAL, parent_of
from db.writes.schemes.guards import (
    Target,
    changeable,
    in_status,
    record_on,
    reload,
    scheme_table,
    snapshot,
    who_writes,
)
from db.writes.schemes.lifecycle import Part

_ctg, _action = _table(Ctg), _table(Action)

CREATABLE = frozenset({SchemeKind.COG, SchemeKind.CPOG, *DEPARTMENTAL})
NATIONALLY_WRITTEN = frozenset({SchemeKind.COG, SchemeKind.CPOG})

# CHECK constraints whose name does not start with the column at fault.
FIELDS = {"ck_scheme_period_ordered": "period_end", "ck_scheme_not_own_parent": "parent_id"}

# The scheme's own fields, and which part of it (for the status rules) each belongs to.
SCHEME_PARTS = {
    "title": Part.SIGNED_TEXT,
    "period_start": Part.SIGNED_TEXT,
    "period_end": Part.SIGNED_TEXT,
    "parent_id": Part.SIGNED_TEXT,
    "summary": Part.LIVING,
    "source_url": Part.LIVING,
}


# The fields every scheme has, CTGs too.
_TEXT_FIELDS = ("title", "summary", "period_start", "period_end", "source_url")


def scheme_fields(values: dict[str, Any]) -> dict[str, Any]:
    """A scheme's own fields among `values`, checked, as stored: texts trimmed, blank optional ones none."""
    for name in ("title", "period_start"):
        if name in values:
            checks.present(name, values[name])
    stored = dict(values)
    if "title" in values:
        stored["title"] = checks.text("title", values["title"], 300)
    if "summary" in values:
        stored["summary"] = checks.optional_text("summary", values["summary"], 10_000)
    if values.get("source_url") is not None:
        stored["source_url"] = checks.url("source_url", values["source_url"])
    for name in ("period_start", "period_end"):
        if values.get(name) is not None:
            checks.day(name, values[name])
    return stored


def scheme_period(start: date | None, end: date | None, *, blame: str = "period_end") -> None:
    """A scheme's period: days the network signs for, the end on or after the start."""
    for name, value in (("period_start", start), ("period_end", end)):
        if value is not None:
            checks.day(name, value)
    checks.period(start, end, blame=blame)


@dataclass(frozen=True)
class NewScheme:
    kind: SchemeKind
    title: str
    period_start: date
    period_end: date | None = None
    summary: str | None = None
    department_code: str | None = None
    parent_id: int | None = None
    source_url: str | None = None


async def may_create(database: RequestDatabase, kind: str, scope: str, department_code: str | None) -> bool:
    """Whether the caller would be the steward of a scheme of this kind, scope and department."""
    proposed = {"kind": kind, "scope": scope, "department_code": department_code}
    return await allows(database, scheme_steward, proposed)


async def create_scheme(database: RequestDatabase, new: NewScheme, actor: Actor, key: str | None) -> Outcome:
    """A new draft scheme, once per idempotency key."""
    values = asdict(new)
    checks.idempotency_key(key)
    _creatable(new.kind)
    texts = scheme_fields({name: values[name] for name in _TEXT_FIELDS})
    scheme_period(new.period_start, new.period_end)
    return await create_once(
        database,
        actor,
        key,
        "createScheme",
        values,
        "scheme",
        lambda: _create(database, new, texts, actor),
        lambda scheme_id: reload(database, scheme_id),
    )


def _creatable(kind: SchemeKind) -> None:
    if kind is SchemeKind.CTG:
        raise Invalid("kind", "scheme.ctg_created_apart")
    if kind not in CREATABLE:
        raise Invalid("kind", "scheme.cej_retired")


async def _create(database: RequestDatabase, new: NewScheme, texts: dict[str, Any], actor: Actor) -> Outcome:
    national = new.kind is SchemeKind.COG
    if national and new.department_code is not None:
        return refused(Refusal.INVALID, "department_id", "scheme.cog_national")
    if not national and new.department_code is None:
        return refused(Refusal.INVALID, "department_id", "scheme.department_needed", kind=new.kind)
    if new.department_code is not None:
        found = await references.department(database, new.department_code, "department_id")
        if isinstance(found, Outcome):
            return found
    scope = (SchemeScope.NATIONAL if national else SchemeScope.DEPARTMENT).value
    if not await may_create(database, new.kind.value, scope, new.department_code):
        field = "kind" if new.kind in NATIONALLY_WRITTEN else "department_id"
        return refused(Refusal.FORBIDDEN, field, "scheme.creator", who=who_writes(None))
    if new.parent_id is not None:
        parent = await parent_of(database, new.kind, new.department_code, new.parent_id, "parent_id", new.period_start)
        if isinstance(parent, Outcome):
            return parent
    values = {
        "kind": new.kind.value,
        **texts,
        "scope": scope,
        "status": SchemeStatus.DRAFT.value,
        "department_code": new.department_code,
        "parent_id": new.parent_id,
    }
    scheme_id = await insert_new(database, scheme_table, values, FIELDS)
    if isinstance(scheme_id, Outcome):
        return scheme_id
    row = await reload(database, scheme_id)
    await record_on(database, actor, Target(row, True), "create", created(row, values))
    return Outcome(row=row)


def created(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    """What a creation recorded: each field given, from nothing."""
    return {name: [None, value] for name, value in snapshot(row, values).items() if value is not None}


async def update_scheme(
    database: RequestDatabase, scheme_id: int, version: int, changes: dict[str, Any], actor: Actor
) -> Outcome:
    """Change a scheme's own fields (a CTG's go through updateCtg) if the caller may, at `version`."""
    target = await changeable(database, scheme_id, version)
    if isinstance(target, Outcome):
        return target
    if target.is_ctg:
        return refused(Refusal.INVALID, "id", "scheme.is_ctg", mutation="updateCtg")
    changes = scheme_fields(changes)
    invalid = await period_and_parent(database, target, changes)
    if invalid:
        return invalid
    changes = changed(target.row, changes)
    frozen = next((in_status(target, SCHEME_PARTS[name], name.replace("_", " "), name) for name in changes), None)
    if frozen:
        return frozen
    if not changes:
        return Outcome(row=target.row)
    outcome = await update_row(database, scheme_table, {"id": target.id}, version, changes, FIELDS)
    if outcome.row is None:
        return outcome
    await record_on(
        database, actor, target, "update", changes_between(target.row._mapping, outcome.row._mapping, tuple(changes))
    )
    return Outcome(row=await reload(database, target.id))


async def period_and_parent(database: RequestDatabase, target: Target, changes: dict[str, Any]) -> Outcome | None:
    """The period as it would be (the end named when both or only it change; Invalid), and the parent's place
    (its refusal, or None)."""
    start = changes.get("period_start", target.row.period_start)
    end = changes.get("period_end", target.row.period_end)
    scheme_period(start, end, blame="period_end" if "period_end" in changes else "period_start")
    parent_id = changes.get("parent_id")
    if parent_id is None and "period_start" in changes:
        # A new start is judged against the parent kept.
        parent_id = target.row.parent_id
    if parent_id is None:
        return None
    if parent_id == target.id:
        return refused(Refusal.INVALID, "parent_id", "scheme.own_parent")
    field = "parent_id" if "parent_id" in changes else "period_start"
    found = await parent_of(database, target.kind, target.row.department_code, parent_id, field, start)
    return found if isinstance(found, Outcome) else None


def _live(condition: ColumnElement[bool], table: Any) -> Any:
    return select(func.count()).select_from(table).where(condition, table.c.archived_at.is_(None)).scalar_subquery()


async def archive(
    database: RequestDatabase, scheme_id: int, version: int, actor: Actor, spec: NodeSpec = SCHEME
) -> Outcome:
    """Archive a scheme or CTG that nothing still needs: it leaves every read and the `deletedSince` feed
    lists it."""
    target = await changeable(database, scheme_id, version, spec=spec)
    if isinstance(target, Outcome):
        return target
    if spec is SCHEME and target.is_ctg:
        return refused(Refusal.INVALID, "id", "scheme.is_ctg", mutation="archiveCtg")
    in_use = await _needed_by(database, target)
    if in_use:
        return in_use
    outcome = await update_row(database, scheme_table, {"id": target.id}, version, {"archived_at": func.now()}, FIELDS)
    if outcome.row is None:
        return outcome
    archived_at = snapshot(outcome.row, ("archived_at",))["archived_at"]
    await record_on(database, actor, target, "archive", {"archived_at": [None, archived_at]})
    return outcome


async def _needed_by(database: RequestDatabase, target: Target) -> Outcome | None:
    replacing = (
        select(func.count())
        .select_from(_ctg.join(scheme_table, scheme_table.c.id == _ctg.c.scheme_id))
        .where(_ctg.c.replaces_scheme_id == target.id, scheme_table.c.archived_at.is_(None))
        .scalar_subquery()
    )
    row = (
        await database.rows(
            select(
                _live(scheme_table.c.parent_id == target.id, scheme_table).label("children"),
                _live(scheme_table.c.superseded_by_id == target.id, scheme_table).label("succeeded"),
                replacing.label("replacing"),
                _live(_action.c.ctg_id == target.id, _action).label("actions"),
            )
        )
    )[0]
    for count, message in (
        (row.children, "scheme.in_use.children"),
        (row.succeeded, "scheme.in_use.succeeded"),
        (row.replacing, "scheme.in_use.replacing"),
        (row.actions, "scheme.in_use.actions"),
    ):
        if count:
            return refused(Refusal.IN_USE, "id", message, count=count)
    return None
