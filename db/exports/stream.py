"""Reading an export out of PostgreSQL in constant memory, inside the request's transaction (the caller's scope).

CSV: `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)`, whose chunks go through a bounded queue: while
the consumer (the HTTP response) is behind, the queue is full, the copy waits, and PostgreSQL's output waits in
its socket; memory holds at most `QUEUE_CHUNKS` chunks. Spreadsheets: a server-side cursor, fetched in batches.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Select, text
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from db.exports.tables import ExportRows
from db.session import RequestDatabase

# Chunks waiting for the client at most (each is what one read of PostgreSQL's socket gave, some kilobytes).
QUEUE_CHUNKS = 8
BATCH_ROWS = 2000

_DIALECT = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]
_DONE = object()


async def prepare(database: RequestDatabase) -> None:
    """Dates as ISO 8601 in the transaction, whatever the server's configuration."""
    await database.rows(text("SELECT set_config('DateStyle', 'ISO, YMD', true)"))


async def count(database: RequestDatabase, rows: ExportRows) -> int:
    (row,) = await database.rows(rows.count())
    return int(row[0])


def _compiled(statement: Select[Any]) -> tuple[str, list[Any]]:
    """The statement's text with $n parameters, and their values in order, as asyncpg takes them."""
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    names = compiled.positiontup or []
    return compiled.string, [compiled.params[name] for name in names]


async def _driver(database: RequestDatabase) -> Any:
    """The asyncpg connection under the request's session, in its transaction (and so in the caller's scope)."""
    connection = await database.session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def csv_chunks(database: RequestDatabase, rows: ExportRows) -> AsyncGenerator[bytes]:
    """The export as CSV with a header row, chunk by chunk; raises what the copy raised (a timeout...)."""
    driver = await _driver(database)
    query, arguments = _compiled(rows.statement)
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=QUEUE_CHUNKS)

    async def output(chunk: bytes | bytearray | memoryview) -> None:
        # A copy: asyncpg may reuse its buffer once this returns.
        await queue.put(bytes(chunk))

    async def copy() -> None:
        try:
            await driver.copy_from_query(query, *arguments, output=output, format="csv", header=True)
        except Exception as error:  # handed to the consumer, which raises it
            await queue.put(error)
        else:
            await queue.put(_DONE)

    task = asyncio.create_task(copy())
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, Exception):
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        if not task.done():
            # The client left: stop the copy (asyncpg cancels the statement on the server).
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def row_batches(
    database: RequestDatabase, rows: ExportRows, size: int = BATCH_ROWS
) -> AsyncIterator[Sequence[Any]]:
    """The export's rows as tuples, `size` at a time, from a server-side cursor."""
    driver = await _driver(database)
    query, arguments = _compiled(rows.statement)
    cursor = await driver.cursor(query, *arguments)
    while batch := await cursor.fetch(size):
        yield [tuple(record.values()) for record in batch]
