"""Inserting and updating rows under row-level security, with optimistic concurrency, and the database's
refusals reported on the input field at fault rather than raised.

The domain's rules live in the tables' constraints and the write policies (row-level security): a write
that breaks one is a refusal for the client, named after the column the constraint is about.

Nothing is inserted with RETURNING. `INSERT … RETURNING` makes PostgreSQL check the new row against the
table's read policy, whose visibility functions run on the statement's snapshot, where the row is not there
yet, nor the grants its triggers write: a Caf inserting a scheme of its own department would be refused. So
a new entity's id is drawn from its table's identity sequence first (`insert_new`), the row inserted without
RETURNING (the write policy still checks it), and the writer reads it back, as the caller sees it, with the
next statement. Rows without an id of their own (links, a CTG's own row) are not read back (`insert_rows`):
the entity they belong to is what the caller reads next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError

from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.versions import conflict

# SQLSTATEs a write may meet because of its input (or the caller's rights), and how they are reported.
_REFUSALS = {
    "23505": (Refusal.INVALID, "database.unique"),
    "23503": (Refusal.NOT_FOUND, "database.reference"),
    "23514": (Refusal.INVALID, "database.check"),
    "23502": (Refusal.INVALID, "database.not_null"),
    "22001": (Refusal.INVALID, "database.too_long"),
    "22003": (Refusal.INVALID, "database.out_of_range"),
    "22007": (Refusal.INVALID, "database.date"),
    "22008": (Refusal.INVALID, "database.date"),
    "42501": (Refusal.FORBIDDEN, "database.forbidden"),
}


def _returned(table: Table) -> list[Any]:
    """Every column but the full-text search vector, which only PostgreSQL reads."""
    return [column for column in table.c if column.name != "search"]


def _column_of(table: Table, constraint: str | None) -> str | None:
    """The column a constraint named by the project's convention (db/models/base.py) is about."""
    if not constraint:
        return None
    for prefix in ("ck", "fk", "uq", "ix"):
        head = f"{prefix}_{table.name}_"
        if constraint.startswith(head):
            rest = constraint.removeprefix(head)
            names = [column.name for column in table.c]
            matching = [name for name in names if rest == name or rest.startswith(f"{name}_")]
            return max(matching, key=len) if matching else None
    return None


def database_refusal(error: DBAPIError, table: Table, fields: Mapping[str, str]) -> Outcome:
    """The refusal a failed write means; re-raises what no input could have caused."""
    cause = getattr(error.orig, "__cause__", None)
    state = getattr(cause, "sqlstate", None)
    if state not in _REFUSALS:
        raise error
    refusal, message = _REFUSALS[state]
    constraint = getattr(cause, "constraint_name", None)
    field = fields.get(constraint or "") or getattr(cause, "column_name", None) or _column_of(table, constraint)
    if refusal is Refusal.FORBIDDEN:
        return refused(refusal, None, "database.forbidden")
    return refused(refusal, field, message, **({"constraint": constraint} if constraint else {}))


async def insert_new(
    database: RequestDatabase, table: Table, values: Mapping[str, Any], fields: Mapping[str, str] | None = None
) -> int | Outcome:
    """The id of the entity row inserted with `values`, or the refusal the database's rules mean."""
    new_id = await _insert_new(database, table, values, fields, ())
    assert new_id is not None, "an INSERT without ON CONFLICT inserts its row or fails"
    return new_id


async def insert_new_unless_taken(
    database: RequestDatabase,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    fields: Mapping[str, str] | None = None,
) -> int | Outcome | None:
    """As `insert_new`, unless a row already holds the same `keys` (a unique index): then None. A concurrent
    insert of the same keys is waited for, and is that row once it commits."""
    return await _insert_new(database, table, values, fields, keys)


async def _insert_new(
    database: RequestDatabase,
    table: Table,
    values: Mapping[str, Any],
    fields: Mapping[str, str] | None,
    unless_taken: Sequence[str],
) -> int | Outcome | None:
    sequence = func.pg_get_serial_sequence(table.name, "id")
    new_id = int((await database.rows(select(func.nextval(sequence))))[0][0])
    statement = insert(table).values(id=new_id, **values)
    if unless_taken:
        statement = statement.on_conflict_do_nothing(index_elements=list(unless_taken))
    try:
        inserted = await database.execute(statement)
    except DBAPIError as error:
        return database_refusal(error, table, fields or {})
    return new_id if inserted else None


async def insert_rows(
    database: RequestDatabase, table: Table, rows: Sequence[Mapping[str, Any]], fields: Mapping[str, str] | None = None
) -> Outcome | None:
    """Insert rows without an id of their own (links, a CTG's own row), not read back; None when they are in."""
    if not rows:
        return None
    try:
        await database.execute(insert(table).values(list(rows)))
    except DBAPIError as error:
        return database_refusal(error, table, fields or {})
    return None


def changed(row: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that differ from the row's: a field set to what it holds changes nothing, and an update
    that changes nothing is no change (no new version, no history entry)."""
    mapping = row._mapping
    return {name: value for name, value in values.items() if mapping[name] != value}


async def update_row(
    database: RequestDatabase,
    table: Table,
    key: Mapping[str, Any],
    version: int,
    changes: Mapping[str, Any],
    fields: Mapping[str, str] | None = None,
    returning: Mapping[str, ColumnElement[Any]] | None = None,
    version_field: str = "version",
) -> Outcome:
    """Apply `changes` to the row at `key` only if it is still at `version`; return it whole (or `returning`:
    the columns of its node, with what the caller may see of it). `version_field` is the input holding
    `version`, which a conflict names.

    Zero rows updated means the row moved on (CONFLICT, with its current version), is not there for this
    caller (NOT_FOUND), or is one the write policies keep from it (FORBIDDEN): row-level security makes a
    row one may not change look absent to an UPDATE. Writers check the caller's rights first, to say
    which field it may not change; this is the backstop.
    """
    where = and_(*(table.c[name] == value for name, value in key.items()))
    try:
        rows = await database.rows(
            update(table)
            .where(where, table.c.version == version)
            .values(**changes)
            .returning(*(_returned(table) if returning is None else [c.label(n) for n, c in returning.items()]))
        )
    except DBAPIError as error:
        return database_refusal(error, table, fields or {})
    if rows:
        return Outcome(row=rows[0])
    current = await database.rows(select(table.c.version).where(where))
    if not current:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type="row")
    if current[0].version == version:
        # Visible, at the version read, yet not updated: the write policies keep it from this caller.
        return refused(Refusal.FORBIDDEN, "id", "read_only", type="row")
    return conflict(version, current[0].version, field=version_field)
