"""A row the caller may not see costs what a missing one costs: nothing tells them apart, not even time.

Time itself is the benchmark's business; what makes it differ is work, which PostgreSQL counts exactly: the
pages a statement reads. A lookup of a hidden row must read about as many pages as that of a row that does
not exist, whatever the size of the tables: one probe of the row's grants, never the whole visible set.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.graph.mapping import ACTION, ORGANISATION, NodeSpec
from db.graph.visibility import visible
from tests.db.test_row_level_security import as_service

# Pages a lookup may read beyond those of a missing row's: the row itself, and its grants probed twice (by the
# application's condition and by the policy), each a walk down a small index.
SLACK = 16
MISSING = 10**12


@pytest.fixture(scope="module")
async def owner(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(demo_database, pool_size=2)
    yield engine
    await engine.dispose()


def _pages(plan: dict[str, Any]) -> int:
    """Shared pages a plan node and everything under it read (hits and reads)."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


async def _read_pages(owner: AsyncEngine, spec: NodeSpec, key: int) -> int:
    statement = (
        select(*[column.label(name) for name, column in spec.columns.items()])
        .select_from(spec.source)
        .where(spec.key_column == key, *visible(spec, False))
    )
    compiled = statement.compile(owner.sync_engine, compile_kwargs={"literal_binds": True})
    async with as_service(owner) as connection:
        # Warm: the first run of a statement in a connection reads the catalogue too.
        await connection.execute(text(str(compiled)))
        raw = await connection.scalar(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {compiled}"))
    (explained,) = raw if isinstance(raw, list) else json.loads(raw)
    return _pages(explained["Plan"])


@pytest.mark.parametrize(
    ("spec", "hidden"),
    [
        (ORGANISATION, "SELECT id FROM organisation WHERE ref = 'demo:association:parents-ensemble-31'"),
        (ACTION, "SELECT min(id) FROM action"),
    ],
    ids=["organisation", "action"],
)
async def test_a_hidden_row_reads_about_as_many_pages_as_a_missing_one(
    owner: AsyncEngine, spec: NodeSpec, hidden: str
) -> None:
    # given a row an anonymous caller may not see
    async with owner.connect() as connection:
        key = await connection.scalar(text(hidden))

    # when the service looks it up, and looks up a row that does not exist, as that caller
    hidden_pages = await _read_pages(owner, spec, key)
    missing_pages = await _read_pages(owner, spec, MISSING)

    # then both read a handful of pages
    assert hidden_pages <= missing_pages + SLACK, (hidden_pages, missing_pages)
