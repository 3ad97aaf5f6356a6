"""The scheme a change is about, as its caller sees it, and the guards every change of a scheme goes through.

A CTG is one node over two rows (scheme and ctg), and a scheme's objectives, signatures, communes and
governance bodies are part of it: every change of any of them moves the scheme row's `version`, so that
one version guards the whole (optimistic concurrency), and is recorded on the scheme in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from auth.rules import WHO, Can, Grantor, Relation, allowed
from db.graph.mapping import CTG, SCHEME, NodeSpec, _table
from db.graph.reads import rows_by_keys
from db.graph.visibility import visible
from db.models import Scheme
from db.models.enums import SchemeKind, SchemeStatus
from db.policies.conditions import may
from db.session import RequestDatabase
from db.writes.audit import Actor, record
from db.writes.outcome import Outcome, Refusal, because, refused
from db.writes.rows import update_row
from db.writes.schemes.lifecycle import Part, check_changeable
from db.writes.versions import conflict, stale

scheme_table = _table(Scheme)


@dataclass(frozen=True)
class Target:
    """A scheme (or CTG) the caller sees, read with `spec`'s columns, and whether it may change it."""

    row: Any
    editable: bool

    @property
    def id(self) -> int:
        return int(self.row.id)

    @property
    def version(self) -> int:
        return int(self.row.version)

    @property
    def kind(self) -> SchemeKind:
        return SchemeKind(self.row.kind)

    @property
    def status(self) -> SchemeStatus:
        return SchemeStatus(self.row.status)

    @property
    def is_ctg(self) -> bool:
        return self.kind is SchemeKind.CTG

    @property
    def entity(self) -> str:
        """What the audit trail files its changes under (the history connections read both)."""
        return "ctg" if self.is_ctg else "scheme"

    @property
    def noun(self) -> str:
        """Its GraphQL type, naming it in messages."""
        return "Ctg" if self.is_ctg else "Scheme"


@dataclass(frozen=True)
class LinkChange:
    """What a change of a scheme's link leaves: the scheme as it now is, and the link (None once removed)."""

    scheme: Any
    item: Any | None


async def find(database: RequestDatabase, scheme_id: int, spec: NodeSpec = SCHEME) -> Target | None:
    """The scheme as the caller sees it (never an archived one), or None."""
    rows = await database.rows(
        select(
            *[column.label(name) for name, column in spec.columns.items()],
            may(Grantor.SCHEME, Can.STEWARD, scheme_table.c.id).label("editable"),
        )
        .select_from(spec.source)
        .where(spec.key_column == scheme_id, *visible(spec, database.national))
    )
    return Target(rows[0], bool(rows[0].editable)) if rows else None


def who_writes(row: Any) -> list[str]:
    """Who may change a scheme: the relations the rule names (a message's `who`)."""
    stewards = allowed(Grantor.SCHEME, Can.STEWARD)
    return [relation.value for relation in Relation if relation in stewards and relation in WHO]


async def changeable(
    database: RequestDatabase,
    scheme_id: int,
    version: int,
    *,
    spec: NodeSpec = SCHEME,
    id_field: str = "id",
    version_field: str = "version",
) -> Target | Outcome:
    """The scheme if the caller may change it and it is still at `version`; otherwise the refusal."""
    target = await find(database, scheme_id, spec)
    if target is None:
        return refused(Refusal.NOT_FOUND, id_field, "not_found", type="Ctg" if spec is CTG else "Scheme")
    if not target.editable:
        return refused(Refusal.FORBIDDEN, id_field, "scheme.read_only", type=target.noun, who=who_writes(target.row))
    return stale(version, target.version, field=version_field) or target


def in_status(target: Target, part: Part, what: str, field: str) -> Outcome | None:
    """The refusal when `what` may no longer change in the scheme's status."""
    why_not = check_changeable(target.status, part, what, target.noun)
    return because(Refusal.INVALID, field, why_not) if why_not else None


async def lock(database: RequestDatabase, target: Target, version: int, version_field: str) -> Outcome | None:
    """Hold the scheme row at `version` until the transaction ends, for changes of its other rows only.

    The lock waits for a concurrent change; if that one committed, the row is no longer at `version`
    (PostgreSQL re-reads a locked row) and the change is a conflict."""
    locked = await database.rows(
        select(scheme_table.c.id)
        .where(scheme_table.c.id == target.id, scheme_table.c.version == version)
        .with_for_update()
    )
    if locked:
        return None
    current = await database.rows(select(scheme_table.c.version).where(scheme_table.c.id == target.id))
    if not current:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type=target.noun)
    return conflict(version, current[0].version, field=version_field)


async def touch(database: RequestDatabase, target: Target, version: int, version_field: str) -> Outcome | None:
    """Move the scheme to its next version for a change of one of its links, if it is still at `version`."""
    outcome = await update_row(
        database,
        scheme_table,
        {"id": target.id},
        version,
        {"updated_at": func.clock_timestamp()},
        version_field=version_field,
    )
    return outcome if outcome.refused else None


async def reload(database: RequestDatabase, scheme_id: int, spec: NodeSpec = SCHEME) -> Any:
    """The node's row as the caller now sees it, after a change."""
    (row,) = await rows_by_keys(database, spec, [scheme_id])
    return row


def snapshot(row: Mapping[str, Any] | Any, fields: Iterable[str]) -> dict[str, Any]:
    """Some columns of a row in JSON terms, as the audit trail records a link."""
    mapping = row if isinstance(row, Mapping) else row._mapping
    plain: dict[str, Any] = json.loads(json.dumps({name: mapping[name] for name in fields}, default=str))
    return plain


async def record_on(
    database: RequestDatabase, actor: Actor, target: Target, operation: str, changes: dict[str, Any]
) -> None:
    """Record a change on the scheme it belongs to."""
    await record(database, actor, target.entity, target.id, operation, changes)
