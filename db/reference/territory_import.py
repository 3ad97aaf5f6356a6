"""Loading the territory reference and the Caf network into PostgreSQL, in one transaction.

Rows are streamed with COPY into temporary tables, then merged with one INSERT ... ON CONFLICT per
table. A row whose values did not change is not rewritten, so a re-import changes nothing but what
the new files change, and keeps every row's version.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.errors import ReferenceDataError
from db.reference.territory_files import BUNDLED, TerritoryData, of_name, read_territory_files

DATASET = "territories"


@dataclass(frozen=True)
class _Table:
    name: str
    key: str
    columns: tuple[str, ...]
    types: tuple[str, ...]


_TABLES = (
    _Table("region", "code", ("code", "name", "zone"), ("text", "text", "text")),
    _Table(
        "department",
        "code",
        ("code", "name", "article_kind", "region_code", "zone"),
        ("text", "text", "integer", "text", "text"),
    ),
    _Table(
        "epci",
        "siren",
        ("siren", "name", "kind", "financing_mode", "population"),
        ("text", "text", "text", "text", "integer"),
    ),
    _Table(
        "commune",
        "insee_code",
        ("insee_code", "name", "siren", "department_code", "epci_siren", "postcodes", "population"),
        ("text", "text", "text", "text", "text", "text[]", "integer"),
    ),
)

# The Cnaf and one Caf for each department (not the overseas collectivities), keyed by `ref`.
_NETWORK_SQL = """
INSERT INTO organisation (ref, kind, name, acronym, department_code)
SELECT 'cnaf', 'cnaf', 'Caisse nationale des Allocations familiales', 'Cnaf', NULL
UNION ALL
SELECT 'caf:' || code, 'caf', :caf_names ->> code, 'Caf ' || code, code
FROM department WHERE zone IN ('metro', 'drom')
ON CONFLICT (ref) DO UPDATE SET
    kind = EXCLUDED.kind, name = EXCLUDED.name, acronym = EXCLUDED.acronym,
    department_code = EXCLUDED.department_code
WHERE (organisation.kind, organisation.name, organisation.acronym, organisation.department_code)
    IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.acronym, EXCLUDED.department_code)
RETURNING (xmax = 0) AS inserted
"""


@dataclass
class ImportReport:
    skipped: bool = False
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Progress:
    """What the importer tells whoever watches it; the CLI shows it as progress bars."""

    def stage(self, name: str, total: int) -> None:
        """A stage of `total` units starts."""

    def advance(self, units: int = 1) -> None:
        """Units of the current stage are done."""


def _merge_sql(table: _Table) -> str:
    columns = ", ".join(table.columns)
    others = [column for column in table.columns if column != table.key]
    assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in others)
    current = ", ".join(f"{table.name}.{column}" for column in others)
    incoming = ", ".join(f"EXCLUDED.{column}" for column in others)
    return (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM incoming_{table.name} "
        f"ON CONFLICT ({table.key}) DO UPDATE SET {assignments} "
        f"WHERE ({current}) IS DISTINCT FROM ({incoming}) "
        "RETURNING (xmax = 0) AS inserted"
    )


async def _copy(connection: AsyncConnection, table: _Table, rows: Sequence[tuple[Any, ...]]) -> None:
    definition = ", ".join(f"{c} {t}" for c, t in zip(table.columns, table.types, strict=True))
    await connection.execute(text(f"CREATE TEMPORARY TABLE incoming_{table.name} ({definition}) ON COMMIT DROP"))
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        f"incoming_{table.name}", records=rows, columns=table.columns
    )


def _count(results: Sequence[Any]) -> tuple[int, int]:
    inserted = sum(1 for row in results if row.inserted)
    return inserted, len(results) - inserted


async def _write(connection: AsyncConnection, data: TerritoryData, report: ImportReport, progress: Progress) -> None:
    batches: tuple[Sequence[tuple[Any, ...]], ...] = (data.regions, data.departments, data.epcis, data.communes)
    for table, rows in zip(_TABLES, batches, strict=True):
        progress.stage(f"{table.name}s", len(rows))
        await _copy(connection, table, rows)
        results = (await connection.execute(text(_merge_sql(table)))).all()
        report.inserted[table.name], report.updated[table.name] = _count(results)
        progress.advance(len(rows))

    caf_names = {code: "Caf " + of_name(name, kind) for code, name, kind, _, _ in data.departments}
    progress.stage("Caf network", len(caf_names))
    network = text(_NETWORK_SQL).bindparams(bindparam("caf_names", type_=JSONB))
    results = (await connection.execute(network, {"caf_names": caf_names})).all()
    report.inserted["organisation"], report.updated["organisation"] = _count(results)
    progress.advance(len(caf_names))

    await connection.execute(
        text(
            "INSERT INTO dataset_import (name, checksum, rows) VALUES (:name, :checksum, :rows) "
            "ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, rows = EXCLUDED.rows, "
            "imported_at = now()"
        ),
        {"name": DATASET, "checksum": data.checksum, "rows": data.rows},
    )


async def import_territories(
    engine: AsyncEngine,
    source: Path = BUNDLED,
    *,
    force: bool = False,
    progress: Progress | None = None,
    on_file: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the territory reference from `source`; skip it if these very files were imported last."""
    progress = progress or Progress()
    started = time.perf_counter()
    data = read_territory_files(source, on_file)
    report = ImportReport()
    async with engine.begin() as connection:
        # One import at a time: a second one waits here, then finds the work done.
        await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('maillage:territories'))"))
        previous = await connection.scalar(
            text("SELECT checksum FROM dataset_import WHERE name = :name"), {"name": DATASET}
        )
        if previous == data.checksum and not force:
            report.skipped = True
        else:
            try:
                await _write(connection, data, report, progress)
            except DBAPIError as error:
                # The transaction rolls back: the database stays as it was before the import.
                reason = str(error.orig).splitlines()[0]
                raise ReferenceDataError(
                    f"the database rejected the territory files, nothing was imported: {reason}"
                ) from error
    report.seconds = time.perf_counter() - started
    return report
