"""The national territory import: complete, idempotent, and all-or-nothing."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.errors import ReferenceDataError
from db.migrate import upgrade
from db.reference.territory_files import BUNDLED, FILES
from db.reference.territory_import import import_territories
from tests.conftest import DatabaseFactory

COUNTS = """
SELECT
  (SELECT count(*) FROM region) AS regions,
  (SELECT count(*) FROM department) AS departments,
  (SELECT count(*) FROM department WHERE zone IN ('metro', 'drom')) AS departments_with_caf,
  (SELECT count(*) FROM epci) AS epcis,
  (SELECT count(*) FROM commune) AS communes,
  (SELECT count(*) FROM commune WHERE epci_siren IS NOT NULL) AS communes_in_epci,
  (SELECT count(*) FROM organisation WHERE kind = 'caf') AS cafs,
  (SELECT count(*) FROM organisation WHERE kind = 'cnaf') AS cnafs
"""

VERSIONS = """
SELECT max(version) AS newest, max(updated_at) AS last_update FROM (
  SELECT version, updated_at FROM region UNION ALL SELECT version, updated_at FROM department
  UNION ALL SELECT version, updated_at FROM epci UNION ALL SELECT version, updated_at FROM commune
  UNION ALL SELECT version, updated_at FROM organisation WHERE kind IN ('caf', 'cnaf')
) AS rows
"""


async def _one(engine: AsyncEngine, sql: str) -> dict[str, object]:
    async with engine.connect() as connection:
        return dict((await connection.execute(text(sql))).mappings().one())


async def test_the_whole_of_france_is_imported(engine: AsyncEngine) -> None:
    counts = await _one(engine, COUNTS)

    assert counts == {
        "regions": 26,
        "departments": 109,
        "departments_with_caf": 101,
        "epcis": 1255,
        "communes": 34969,
        "communes_in_epci": 34871,
        "cafs": 101,
        "cnafs": 1,
    }


async def test_every_department_but_the_overseas_collectivities_has_its_caf(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT d.code, d.zone, o.name FROM department d "
                    "LEFT JOIN organisation o ON o.kind = 'caf' AND o.department_code = d.code"
                )
            )
        ).all()
    by_code = {code: (zone, name) for code, zone, name in rows}
    assert by_code["31"] == ("metro", "Caf de la Haute-Garonne")
    assert by_code["44"] == ("metro", "Caf de la Loire-Atlantique")
    assert by_code["01"][1] == "Caf de l'Ain"
    assert by_code["971"][1] == "Caf de la Guadeloupe"
    assert all(name is None for zone, name in by_code.values() if zone == "com")
    assert all(name is not None for zone, name in by_code.values() if zone != "com")


async def test_reimporting_the_same_files_changes_nothing(engine: AsyncEngine) -> None:
    before = await _one(engine, VERSIONS)

    skipped = await import_territories(engine)
    forced = await import_territories(engine, force=True)

    assert skipped.skipped
    assert not forced.skipped
    assert sum(forced.inserted.values()) == 0
    assert sum(forced.updated.values()) == 0
    assert await _one(engine, VERSIONS) == before
    assert (await _one(engine, COUNTS))["communes"] == 34969


async def test_reimport_repairs_a_changed_row_and_bumps_its_version(new_database: DatabaseFactory) -> None:
    # given an imported reference in which a commune was renamed by hand
    url = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=1)
    await import_territories(engine)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE commune SET name = 'Tolosa' WHERE insee_code = '31555'"))

    # when the reference is imported again
    report = await import_territories(engine, force=True)

    # then only that row is rewritten, back to the official name, one version later
    commune = await _one(engine, "SELECT name, version FROM commune WHERE insee_code = '31555'")
    await engine.dispose()
    assert report.updated["commune"] == 1
    assert sum(report.inserted.values()) == 0
    assert commune == {"name": "Toulouse", "version": 3}


def _copy_files(target: Path) -> Path:
    for name in FILES:
        shutil.copy(BUNDLED / name, target / name)
    return target


def _rewrite(path: Path, change: object) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = json.load(handle)
    change(rows)  # type: ignore[operator]
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(rows, handle)


async def _empty_migrated(new_database: DatabaseFactory) -> AsyncEngine:
    url = await new_database()
    await upgrade(url)
    return create_engine(url, pool_size=1)


async def test_a_missing_file_is_reported_and_nothing_is_written(new_database: DatabaseFactory, tmp_path: Path) -> None:
    engine = await _empty_migrated(new_database)
    source = _copy_files(tmp_path)
    (source / "epci.json.gz").unlink()

    with pytest.raises(ReferenceDataError, match=r"epci\.json\.gz is missing"):
        await import_territories(engine, source)

    assert (await _one(engine, COUNTS))["regions"] == 0
    await engine.dispose()


async def test_a_corrupt_file_is_reported_and_nothing_is_written(new_database: DatabaseFactory, tmp_path: Path) -> None:
    engine = await _empty_migrated(new_database)
    source = _copy_files(tmp_path)
    data = (source / "communes.json.gz").read_bytes()
    (source / "communes.json.gz").write_bytes(data[: len(data) // 2])

    with pytest.raises(ReferenceDataError, match=r"communes\.json\.gz is not a gzip-compressed JSON file"):
        await import_territories(engine, source)

    assert (await _one(engine, COUNTS))["regions"] == 0
    await engine.dispose()


async def test_a_field_of_the_wrong_type_names_the_file_entry_and_field(
    new_database: DatabaseFactory, tmp_path: Path
) -> None:
    engine = await _empty_migrated(new_database)
    source = _copy_files(tmp_path)
    _rewrite(source / "departements.json.gz", lambda rows: rows[3].update(nom=None))

    with pytest.raises(ReferenceDataError, match=r"departements\.json\.gz, entry 3: field 'nom'"):
        await import_territories(engine, source)
    await engine.dispose()


async def test_an_import_rejected_half_way_leaves_the_database_as_it_was(
    new_database: DatabaseFactory, tmp_path: Path
) -> None:
    # given files that parse, but whose last EPCI has a SIREN failing its check digit
    engine = await _empty_migrated(new_database)
    source = _copy_files(tmp_path)

    def corrupt(rows: list[dict[str, object]]) -> None:
        rows[-1]["code"] = str(rows[-1]["code"])[:-1] + ("1" if str(rows[-1]["code"])[-1] != "1" else "2")

    _rewrite(source / "epci.json.gz", corrupt)

    # when the import reaches the EPCIs, after regions and departments were written
    with pytest.raises(ReferenceDataError, match="the database rejected the territory files"):
        await import_territories(engine, source)

    # then nothing at all was kept
    counts = await _one(engine, COUNTS)
    await engine.dispose()
    assert counts["regions"] == 0
    assert counts["departments"] == 0
