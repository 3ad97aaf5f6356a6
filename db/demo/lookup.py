"""Finding the ids of rows the demo refers to by `ref`, within the loading transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from db.demo.upsert import table_of
from db.errors import DatabaseSetupError


def missing(what: str, keys: Iterable[object]) -> DatabaseSetupError:
    listed = ", ".join(sorted(str(key) for key in keys))
    return DatabaseSetupError(
        f"the demo needs {what} that the database lacks ({listed}); "
        "import the territory reference first (maillage import-territories)"
    )


async def ids_by_ref(connection: AsyncConnection, model: type[SQLModel], refs: Iterable[str]) -> dict[str, int]:
    """The id of each of `refs`; every one must exist."""
    table = table_of(model)
    wanted = set(refs)
    rows = await connection.execute(select(table.c.ref, table.c.id).where(table.c.ref.in_(wanted)))
    found: dict[str, int] = dict(rows.all())
    if wanted - found.keys():
        raise missing(f"{table.name} rows", wanted - found.keys())
    return found
