"""Idempotent upserts: a row whose values did not change is not rewritten.

The tables' trigger bumps `version` and `updated_at` on any real UPDATE, so the conflict branch only
updates rows whose incoming values differ. Rows left alone are not returned, so what comes back is
exactly what was inserted or changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Boolean, Table, literal_column, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from db.demo.report import DemoReport

Row = Mapping[str, Any]


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


async def upsert(
    connection: AsyncConnection,
    model: type[SQLModel],
    key: Sequence[str],
    rows: Sequence[Row],
    report: DemoReport,
    *,
    where: str | None = None,
) -> None:
    """Insert `rows`, or update the existing row with the same `key` where a value differs (`where`: the
    predicate of the partial unique index the key is)."""
    table = table_of(model)
    if not rows:
        report.count(table.name, 0, 0)
        return
    statement = insert(table).values([dict(row) for row in rows])
    others = [column for column in rows[0] if column not in key]
    if others:
        current = tuple_(*(table.c[column] for column in others))
        incoming = tuple_(*(statement.excluded[column] for column in others))
        statement = statement.on_conflict_do_update(
            index_elements=list(key),
            index_where=text(where) if where else None,
            set_={column: statement.excluded[column] for column in others},
            where=current.is_distinct_from(incoming),
        )
    else:
        statement = statement.on_conflict_do_nothing(
            index_elements=list(key), index_where=text(where) if where else None
        )
    returning = statement.returning(literal_column("xmax = 0", Boolean).label("inserted"))
    flags: list[bool] = list((await connection.execute(returning)).scalars())
    inserted = sum(flags)
    report.count(table.name, inserted, len(flags) - inserted)
