"""Fill a database with national-scale generated data, on top of the real territory reference.

    python -m bench.generate --database-url postgresql://user@host/db [--seed 2026] [--scale 1.0] [--replace]

The database is migrated and the territory reference imported first. Everything generated carries a
'bench:' ref (organisations, schemes, actions) or hangs from a row that does, and comes from one
`random.Random(seed)`: the same seed on the same database gives byte-identical rows, timestamps
included. Rows are streamed with COPY in one transaction, with ids assigned here.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.actions import add_actions
from bench.facilities import FacilityIndex, add_facilities, add_facility_funding
from bench.organisations import add_organisations
from bench.reference import Commune, Department, Epci, Reference
from bench.schemes import add_ctgs, add_upper_schemes, plan_ctgs
from bench.tables import TABLES, Rows
from db.engine import create_engine, database_url, describe
from db.errors import DatabaseSetupError, ReferenceDataError
from db.migrate import upgrade
from db.reference.territory_import import import_territories
from server.progress import TerminalProgress

PREFIX = "bench:"
MAX_SCALE = 10.0  # beyond this the rows no longer fit comfortably in memory before COPY
_COPY_BATCH = 20_000

# Children before parents; everything generated hangs from a 'bench:' organisation, scheme or action.
_DELETE_GENERATED = (
    "DELETE FROM funding_line WHERE action_id IN (SELECT id FROM action WHERE ref LIKE :p) "
    "OR facility_id IN (SELECT id FROM facility WHERE ref LIKE :p)",
    "DELETE FROM facility_action WHERE action_id IN (SELECT id FROM action WHERE ref LIKE :p) "
    "OR facility_id IN (SELECT id FROM facility WHERE ref LIKE :p)",
    "DELETE FROM indicator_value WHERE indicator_id IN "
    "(SELECT indicator.id FROM indicator JOIN action ON action.id = indicator.action_id WHERE action.ref LIKE :p)",
    "DELETE FROM indicator WHERE action_id IN (SELECT id FROM action WHERE ref LIKE :p)",
    "DELETE FROM action_objective WHERE action_id IN (SELECT id FROM action WHERE ref LIKE :p)",
    "DELETE FROM action_partner WHERE action_id IN (SELECT id FROM action WHERE ref LIKE :p)",
    "DELETE FROM action WHERE ref LIKE :p",
    "DELETE FROM governance_body WHERE ctg_id IN (SELECT id FROM scheme WHERE ref LIKE :p)",
    "DELETE FROM ctg WHERE scheme_id IN (SELECT id FROM scheme WHERE ref LIKE :p)",
    "DELETE FROM scheme_commune WHERE scheme_id IN (SELECT id FROM scheme WHERE ref LIKE :p)",
    "DELETE FROM scheme_objective WHERE scheme_id IN (SELECT id FROM scheme WHERE ref LIKE :p)",
    "DELETE FROM signature WHERE scheme_id IN (SELECT id FROM scheme WHERE ref LIKE :p)",
    "DELETE FROM scheme WHERE ref LIKE :p",
    "DELETE FROM facility WHERE ref LIKE :p",
    "DELETE FROM organisation WHERE ref LIKE :p",
)
_HAS_GENERATED = (
    "SELECT EXISTS (SELECT FROM organisation WHERE ref LIKE :p) OR EXISTS (SELECT FROM scheme WHERE ref LIKE :p) "
    "OR EXISTS (SELECT FROM action WHERE ref LIKE :p)"
)
_DEPARTMENTS = """
SELECT d.code, d.name, d.article_kind, d.zone, d.region_code, r.name, caf.id
FROM department AS d
JOIN region AS r ON r.code = d.region_code
JOIN organisation AS caf ON caf.ref = 'caf:' || d.code AND caf.kind = 'caf'
ORDER BY d.code
"""
_COMMUNES = """
SELECT insee_code, name, siren, department_code, epci_siren, coalesce(population, 0)
FROM commune WHERE epci_siren IS NOT NULL ORDER BY insee_code
"""
_EPCIS = "SELECT siren, name, kind, population FROM epci ORDER BY siren"
_ORGANISATIONS = "SELECT id, kind, siren, siret, rna, epci_siren, commune_insee_code FROM organisation ORDER BY id"


class GenerationRefused(Exception):
    """The database already holds generated rows and replacing them was not asked for."""


@dataclass
class Report:
    counts: dict[str, int]
    seconds: dict[str, float]


class _Bars:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def stage(self, name: str, total: int) -> Callable[[int], None]:
        task = self._progress.add_task(name, total=total)
        return lambda units: self._progress.advance(task, units)


async def _ensure_reachable(engine: AsyncEngine, where: str) -> None:
    try:
        async with asyncio.timeout(10), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (TimeoutError, SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error or "no answer within 10 s").splitlines()[0]
        raise DatabaseSetupError(f"cannot connect to PostgreSQL at {where} ({reason}); check --database-url") from error


async def _read_reference(connection: AsyncConnection) -> Reference:
    cnaf_id = await connection.scalar(text("SELECT id FROM organisation WHERE ref = 'cnaf'"))
    if cnaf_id is None:
        raise ReferenceDataError("the Cnaf is missing: the territory import did not create the Caf network")
    departments = {row[0]: Department(*row) for row in await connection.execute(text(_DEPARTMENTS))}
    members: dict[str, list[Commune]] = {}
    for code, name, siren, department_code, epci_siren, population in await connection.execute(text(_COMMUNES)):
        members.setdefault(epci_siren, []).append(Commune(code, name, siren, department_code, population))
    epcis = []
    for siren, name, kind, population in await connection.execute(text(_EPCIS)):
        epci = Epci(siren, name, kind, population, tuple(members.get(siren, ())))
        # An EPCI is generated for only if its home department has a Caf to sign its CTG.
        if epci.communes and epci.department_code in departments:
            epcis.append(epci)
    epci_organisations: dict[str, int] = {}
    commune_organisations: dict[str, int] = {}
    taken: set[str] = set()
    for row in await connection.execute(text(_ORGANISATIONS)):
        taken.update(identifier for identifier in (row.siren, row.siret, row.rna) if identifier)
        if row.kind == "epci":
            epci_organisations[row.epci_siren] = row.id
        elif row.kind == "commune":
            commune_organisations[row.commune_insee_code] = row.id
    first_ids = {}
    for table in TABLES:
        if table.has_id:
            first_ids[table.name] = await connection.scalar(
                text(f"SELECT coalesce(max(id), 0) + 1 FROM {table.name}")  # noqa: S608 (the code's own table names)
            )
    return Reference(
        cnaf_id, departments, tuple(epcis), epci_organisations, commune_organisations, frozenset(taken), first_ids
    )


def build(reference: Reference, seed: int, scale: float, bars: _Bars) -> Rows:
    """Every generated row. Below scale 1 a sample of EPCIs is used; above it, they get denser."""
    rng = random.Random(seed)
    fraction, density = min(scale, 1.0), max(scale, 1.0)
    epcis: Sequence[Epci] = reference.epcis
    if fraction < 1.0:
        sample = rng.sample(reference.epcis, max(1, round(len(reference.epcis) * fraction)))
        epcis = sorted(sample, key=lambda epci: epci.siren)
    plans = plan_ctgs(rng, epcis)
    rows = Rows(reference.first_ids)

    done = bars.stage("organisations", 1)
    required = {commune.insee_code for plan in plans for commune in plan.communes}
    directory = add_organisations(rng, reference, epcis, required, density, rows)
    done(1)
    done = bars.stage("schemes", 1)
    sdsfs = add_upper_schemes(rng, reference.departments, directory, reference.cnaf_id, rows)
    ctgs = add_ctgs(rng, plans, reference.departments, directory, sdsfs, rows)
    done(1)
    done = bars.stage("facilities", 1)
    facilities = add_facilities(rng, epcis, directory, density, rows)
    add_facility_funding(rng, facilities, ctgs, rows)
    done(1)
    add_actions(rng, ctgs, directory, FacilityIndex(facilities), density, rows, bars.stage("actions", len(ctgs)))
    return rows


async def _write(connection: AsyncConnection, rows: Rows, bars: _Bars) -> None:
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    for table in TABLES:
        records = rows.records[table.name]
        advance = bars.stage(f"copy {table.name}", len(records))
        for start in range(0, len(records), _COPY_BATCH):
            batch = records[start : start + _COPY_BATCH]
            await driver.copy_records_to_table(table.name, records=batch, columns=table.copy_columns)
            advance(len(batch))
    for table in TABLES:
        if table.has_id:
            # Ids were assigned here: the identity must carry on after them.
            await connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) FROM {table.name}")  # noqa: S608
            )


async def generate(url: str, seed: int, scale: float, replace: bool, console: Console) -> Report:
    """Migrate, import the territories, then generate in one transaction and analyse."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    address = database_url(url)
    engine = create_engine(address, pool_size=1, application_name="maillage-bench")
    try:
        await _ensure_reachable(engine, describe(address))
        await upgrade(address)
        with TerminalProgress(console) as progress:
            await import_territories(engine, progress=progress)
        seconds["migrate and import territories"] = time.perf_counter() - started

        columns = (TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            bars = _Bars(progress)
            async with engine.begin() as connection:
                # Ids are assigned by the generator: no one else may insert until it commits.
                names = ", ".join(table.name for table in TABLES)
                await connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
                # The grant tables are rebuilt once at the end rather than row by row by their triggers.
                await connection.execute(text("SET LOCAL maillage.bulk_load = 'on'"))
                if await connection.scalar(text(_HAS_GENERATED), {"p": PREFIX + "%"}):
                    if not replace:
                        raise GenerationRefused(
                            f"{describe(address)} already holds generated rows ('{PREFIX}' refs); "
                            "pass --replace to delete and regenerate them"
                        )
                    mark = time.perf_counter()
                    for statement in _DELETE_GENERATED:
                        await connection.execute(text(statement), {"p": PREFIX + "%"})
                    seconds["delete previous rows"] = time.perf_counter() - mark
                reference = await _read_reference(connection)
                mark = time.perf_counter()
                rows = build(reference, seed, scale, bars)
                seconds["build rows"] = time.perf_counter() - mark
                mark = time.perf_counter()
                try:
                    await _write(connection, rows, bars)
                except DBAPIError as error:
                    reason = str(error.orig).splitlines()[0]
                    raise DatabaseSetupError(f"the database rejected the generated rows: {reason}") from error
                seconds["copy"] = time.perf_counter() - mark
                mark = time.perf_counter()
                await connection.execute(text("SELECT rebuild_grants()"))
                seconds["grants"] = time.perf_counter() - mark
                mark = time.perf_counter()
        seconds["commit"] = time.perf_counter() - mark
        mark = time.perf_counter()
        # VACUUM as well: index-only scans of the grant tables need their visibility map.
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM (ANALYZE)"))
        seconds["analyse"] = time.perf_counter() - mark
    finally:
        await engine.dispose()
    seconds["total"] = time.perf_counter() - started
    return Report({table.name: rows.count(table.name) for table in TABLES}, seconds)


def _scale(value: str) -> float:
    scale = float(value)
    if not 0 < scale <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"the scale must be above 0 and at most {MAX_SCALE:g}")
    return scale


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Migrate a database, import the territory reference, then fill it with national-scale "
        "generated organisations, schemes, CTGs and actions, deterministically from a seed.",
    )
    parser.add_argument("--database-url", required=True, help="postgresql://user:password@host:port/database")
    parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same rows (default 2026)")
    parser.add_argument(
        "--scale", type=_scale, default=1.0, help="1.0 is national scale; 0.05 a quick sample (default 1.0)"
    )
    parser.add_argument("--replace", action="store_true", help="delete previously generated rows first")
    return parser


def _print(report: Report, console: Console) -> None:
    table = RichTable("table", "rows", title="Generated rows")
    for name, count in report.counts.items():
        table.add_row(name, f"{count:,}", end_section=name == TABLES[-1].name)
    table.add_row("total", f"{sum(report.counts.values()):,}")
    console.print(table)
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.seconds.items() if step != "total")
    console.print(f"Done in {report.seconds['total']:.1f} s ({steps}).")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    progress_console = Console(stderr=True, highlight=False)
    try:
        report = asyncio.run(generate(args.database_url, args.seed, args.scale, args.replace, progress_console))
    except (DatabaseSetupError, ReferenceDataError, GenerationRefused) as error:
        print(f"bench.generate: {error}", file=sys.stderr)
        return 1
    _print(report, Console(highlight=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
