"""Inserting a row the caller will only see once it exists.

`INSERT … RETURNING` makes PostgreSQL check the new row against the table's read policy, whose visibility
functions run on the statement's snapshot, where the row is not there yet: a Caf inserting a scheme of
its own department would be refused. So the id is drawn from the table's identity sequence first, the
row inserted without RETURNING (the write policy still checks it), and read back by the next statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import DBAPIError

from db.session import RequestDatabase
from db.writes.outcome import Outcome
from db.writes.rows import database_refusal


async def insert_new(
    database: RequestDatabase, table: Table, values: Mapping[str, Any], fields: Mapping[str, str] | None = None
) -> int | Outcome:
    """The id of the row inserted with `values`, or the refusal the database's rules mean."""
    sequence = func.pg_get_serial_sequence(table.name, "id")
    new_id = int((await database.rows(select(func.nextval(sequence))))[0][0])
    try:
        await database.execute(insert(table).values(id=new_id, **values))
    except DBAPIError as error:
        return database_refusal(error, table, fields or {})
    return new_id


async def insert_plain(
    database: RequestDatabase, table: Table, rows: list[dict[str, Any]], fields: Mapping[str, str] | None = None
) -> Outcome | None:
    """Insert rows without reading them back (link rows: the parent is what the caller reads next)."""
    if not rows:
        return None
    try:
        await database.execute(insert(table).values(rows))
    except DBAPIError as error:
        return database_refusal(error, table, fields or {})
    return None
