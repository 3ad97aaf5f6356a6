"""The database itself refuses invalid rows, whatever code writes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

CTG_SETUP = """
WITH scheme AS (
  INSERT INTO scheme (kind, title, period_start, period_end, scope, status, department_code, epci_siren)
  VALUES ('CTG', 'CTG de test', '2024-01-01', '2027-12-31', 'epci', 'active', '31', '243100518')
  RETURNING id
), ctg AS (INSERT INTO ctg (scheme_id) SELECT id FROM scheme RETURNING scheme_id)
SELECT scheme_id FROM ctg
"""

CARRIER_SETUP = (
    "INSERT INTO organisation (kind, name, department_code) VALUES ('association', 'Asso', '31') RETURNING id"
)

ACTION = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, period_end, status, budget, caf_funding)
VALUES (:ctg, 1, 'Action', :theme, :carrier, :start, :end, 'draft', :budget, :funding)
"""

VALID = {"theme": "youth", "start": date(2024, 1, 1), "end": date(2024, 12, 31), "budget": 1000, "funding": 500}


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose transaction is rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


async def _rejected(connection: AsyncConnection, sql: str, parameters: dict[str, object], constraint: str) -> None:
    savepoint = await connection.begin_nested()
    with pytest.raises(IntegrityError, match=constraint):
        await connection.execute(text(sql), parameters)
    await savepoint.rollback()


async def _action_fixture(connection: AsyncConnection) -> dict[str, object]:
    ctg = await connection.scalar(text(CTG_SETUP))
    carrier = await connection.scalar(text(CARRIER_SETUP))
    return {"ctg": ctg, "carrier": carrier}


async def test_a_valid_action_is_accepted(connection: AsyncConnection) -> None:
    keys = await _action_fixture(connection)

    await connection.execute(text(ACTION), {**keys, **VALID})

    assert await connection.scalar(text("SELECT version FROM action WHERE ctg_id = :ctg"), keys) == 1


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"start": date(2025, 1, 1), "end": date(2024, 1, 1)}, "ck_action_period_ordered"),
        ({"budget": -1}, "ck_action_budget_positive"),
        ({"funding": -5}, "ck_action_caf_funding_positive"),
        ({"funding": 5000}, "ck_action_caf_funding_within_budget"),
        ({"theme": "astronomy"}, "ck_action_theme_valid"),
    ],
)
async def test_an_invalid_action_is_rejected(
    connection: AsyncConnection, change: dict[str, object], constraint: str
) -> None:
    keys = await _action_fixture(connection)

    await _rejected(connection, ACTION, {**keys, **VALID, **change}, constraint)


async def test_an_action_of_an_unknown_ctg_is_rejected(connection: AsyncConnection) -> None:
    keys = await _action_fixture(connection)

    await _rejected(connection, ACTION, {**keys, **VALID, "ctg": -1}, "fk_action_ctg_id_ctg")


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        (
            "INSERT INTO scheme (kind, title, period_start, period_end, scope, status) "
            "VALUES ('COG', 'COG', '2023-01-01', '2022-12-31', 'national', 'active')",
            "ck_scheme_period_ordered",
        ),
        (
            "INSERT INTO scheme (kind, title, period_start, scope, status, department_code) "
            "VALUES ('SDSF', 'SDSF', '2023-01-01', 'department', 'active', 'ZZ')",
            "fk_scheme_department_code_department",
        ),
        (
            "INSERT INTO scheme (kind, title, period_start, scope, status) "
            "VALUES ('SDSF', 'SDSF', '2023-01-01', 'department', 'active')",
            "ck_scheme_scope_territory",
        ),
        (
            "INSERT INTO scheme (kind, title, period_start, scope, status, department_code) "
            "VALUES ('COG', 'COG', '2023-01-01', 'department', 'active', '31')",
            "ck_scheme_cog_is_national",
        ),
        (
            "INSERT INTO organisation (kind, name, department_code) VALUES ('association', 'Asso', '00')",
            "fk_organisation_department_code_department",
        ),
        (
            "INSERT INTO organisation (kind, name, siren) VALUES ('company', 'Entreprise', '123456789')",
            "ck_organisation_siren_valid",
        ),
        (
            "INSERT INTO organisation (kind, name, siret) VALUES ('company', 'Entreprise', '24310051800011')",
            "ck_organisation_siret_valid",
        ),
        (
            "INSERT INTO organisation (kind, name) VALUES ('epci', 'Une EPCI sans territoire')",
            "ck_organisation_epci_has_territory",
        ),
        (
            "INSERT INTO organisation (kind, name, department_code) VALUES ('caf', 'Deuxième Caf 31', '31')",
            "uq_organisation_caf_department",
        ),
        (
            "INSERT INTO commune (insee_code, name, department_code) VALUES ('31999', 'Nulle part', '31') ",
            None,
        ),
    ],
    ids=[
        "scheme ends before it starts",
        "scheme in an unknown department",
        "department scheme without a department",
        "COG scoped to a department",
        "organisation in an unknown department",
        "SIREN failing its check digit",
        "SIRET failing its check digit",
        "EPCI organisation without its EPCI",
        "second Caf for a department",
        "commune control row",
    ],
)
async def test_invalid_rows_are_rejected(connection: AsyncConnection, sql: str, constraint: str | None) -> None:
    if constraint is None:
        # the control: a well-formed row of the same shape goes in, so the rejections above are meaningful
        await connection.execute(text(sql))
        return
    await _rejected(connection, sql, {}, constraint)


async def test_an_update_that_changes_a_row_bumps_its_version_and_one_that_does_not_leaves_it(
    connection: AsyncConnection,
) -> None:
    keys = await _action_fixture(connection)
    await connection.execute(text(ACTION), {**keys, **VALID})

    await connection.execute(text("UPDATE action SET title = title WHERE ctg_id = :ctg"), keys)
    unchanged = await connection.scalar(text("SELECT version FROM action WHERE ctg_id = :ctg"), keys)
    await connection.execute(text("UPDATE action SET title = 'Nouveau titre' WHERE ctg_id = :ctg"), keys)
    changed = await connection.scalar(text("SELECT version FROM action WHERE ctg_id = :ctg"), keys)

    assert (unchanged, changed) == (1, 2)
