"""References from a write's input to other rows: each must be a row the caller may see.

A reference to a row the caller may not see is refused exactly like one to a row that does not exist
(NOT_FOUND, on the input field holding it), so a write never tells what a read would hide. Rows are read
through the caller's visibility (`rows_by_keys`), never archived; keys no row can have (a territory's, in
the wrong format) are refused before any SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.graph.mapping import NodeSpec
from db.graph.reads import rows_by_keys
from db.session import RequestDatabase
from db.writes.checks import well_formed
from db.writes.outcome import Outcome, Refusal, refused


async def one(database: RequestDatabase, spec: NodeSpec, key: Any, field: str, what: str) -> Any | Outcome:
    """The row of `spec` at `key` the caller sees, or NOT_FOUND on `field` (`what`: the row, in words)."""
    if well_formed(spec.type_name, key):
        (row,) = await rows_by_keys(database, spec, [key])
        if row is not None:
            return row
    return refused(Refusal.NOT_FOUND, field, "not_found", type=spec.type_name)


async def unseen(database: RequestDatabase, spec: NodeSpec, references: Sequence[tuple[str, int]]) -> Outcome | None:
    """NOT_FOUND on the first (field, key) whose row the caller does not see; None when it sees them all."""
    if not references:
        return None
    rows = await rows_by_keys(database, spec, [key for _field, key in references])
    for (field, _key), row in zip(references, rows, strict=True):
        if row is None:
            return refused(Refusal.NOT_FOUND, field, "not_found", type=spec.type_name)
    return None
