"""The rules' conditions as PostgreSQL text, for the policies and triggers of the service's role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Table, literal_column, select
from sqlalchemy.dialects import postgresql

ROLE = "maillage_service"

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def sql(condition: ColumnElement[bool], table: Table) -> str:
    """A condition on `table` as PostgreSQL reads it in one of its policies. It is compiled inside a query of
    the table, so that its sub-queries correlate to the policy's row rather than read the table afresh."""
    statement: Select[Any] = select(literal_column("1")).select_from(table).where(condition)
    text = str(statement.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))
    head = f"SELECT 1 \nFROM {table.name} \nWHERE "
    assert text.startswith(head), text
    return text.removeprefix(head)
