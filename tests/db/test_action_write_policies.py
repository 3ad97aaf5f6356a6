"""The write policies on actions alone (migration 0008): raw SQL as `maillage_service`, no check of the
application's in the way, every transaction rolled back.

What the application refuses with a precise error, PostgreSQL refuses again: a carrier creates no action and
changes none of its partners or indicators but reports values; a Caf writes in its department only; a local
authority in its CTGs only; an archived action takes no change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.engine import create_engine
from tests.db.test_row_level_security import as_service, keys_of

NEW_ACTION = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
VALUES (:ctg, 900, 'Par la seule base', 'youth', :carrier, '2026-01-01', 'draft')
"""
# The first action the association carries in the Toulouse Métropole CTG, and an association of Haute-Garonne
# that takes no part in it.
CARRIED = """
SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = 'demo:association:parents-ensemble-31' AND s.epci_siren = '243100518' ORDER BY a.id LIMIT 1
"""
OUTSIDER = "SELECT id FROM organisation WHERE ref = 'demo:association:clic-et-droits'"
CTG = "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = :siren"
NEW_PARTNER = "INSERT INTO action_partner (action_id, organisation_id, role) VALUES (:action, :partner, 'r')"
NEW_INDICATOR = "INSERT INTO indicator (action_id, name, unit) VALUES (:action, 'Par la seule base', 'u')"
NEW_VALUE = """
INSERT INTO indicator_value (indicator_id, period_start, period_end, value)
SELECT min(id), '2039-01-01', '2039-12-31', 1 FROM indicator WHERE action_id = :action
"""
ARCHIVE = "UPDATE action SET archived_at = now() WHERE id = :action"

PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"
TOULOUSE_METROPOLE = "243100518"
SICOVAL = "243100633"
NANTES_METROPOLE = "244400404"


@pytest.fixture(scope="module")
async def owner(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(demo_database, pool_size=2)
    yield engine
    await engine.dispose()


async def _organisation(owner: AsyncEngine, ref: str) -> str:
    async with owner.connect() as connection:
        return str(await connection.scalar(text("SELECT id FROM organisation WHERE ref = :ref"), {"ref": ref}))


async def _new_action(owner: AsyncEngine, siren: str) -> dict[str, int]:
    """The parameters of NEW_ACTION: a new action of the EPCI's CTG, carried by the association."""
    async with owner.connect() as connection:
        ctg = await connection.scalar(text(CTG), {"siren": siren})
    return {"ctg": ctg, "carrier": int(await _organisation(owner, PARENTS_ENSEMBLE))}


@pytest.fixture(scope="module")
async def carried(owner: AsyncEngine) -> dict[str, int]:
    """The action and the organisation the statements name."""
    async with owner.connect() as connection:
        return {"action": await connection.scalar(text(CARRIED)), "partner": await connection.scalar(text(OUTSIDER))}


async def _refused(connection: AsyncConnection, statement: str, **parameters: Any) -> None:
    with pytest.raises(DBAPIError, match="row-level security"):
        await connection.execute(text(statement), parameters)


async def _written(connection: AsyncConnection, statement: str, **parameters: Any) -> int:
    return (await connection.execute(text(statement), parameters)).rowcount


async def test_a_carrier_creates_no_action_and_changes_no_partner_or_indicator_but_reports_values(
    owner: AsyncEngine, carried: dict[str, int]
) -> None:
    scope = {"keys": await keys_of(owner, (PARENTS_ENSEMBLE, "association_member"))}
    statements: tuple[tuple[str, dict[str, Any]], ...] = (
        (NEW_ACTION, await _new_action(owner, TOULOUSE_METROPOLE)),
        (NEW_PARTNER, carried),
        (NEW_INDICATOR, carried),
    )
    for statement, parameters in statements:
        async with as_service(owner, **scope) as connection:
            await _refused(connection, statement, **parameters)

    async with as_service(owner, **scope) as connection:
        assert await _written(connection, NEW_VALUE, **carried) == 1


async def test_a_caf_creates_actions_in_its_department_only(owner: AsyncEngine, carried: dict[str, int]) -> None:
    scope = {"keys": await keys_of(owner, ("caf:31", "caf_agent"))}

    async with as_service(owner, **scope) as connection:
        assert await _written(connection, NEW_ACTION, **await _new_action(owner, TOULOUSE_METROPOLE)) == 1
        assert await _written(connection, NEW_PARTNER, **carried) == 1
        assert await _written(connection, NEW_INDICATOR, **carried) == 1
    async with as_service(owner, **scope) as connection:
        await _refused(connection, NEW_ACTION, **await _new_action(owner, NANTES_METROPOLE))


async def test_a_local_authority_creates_actions_in_its_own_ctgs_only(owner: AsyncEngine) -> None:
    scope = {"keys": await keys_of(owner, (f"epci:{TOULOUSE_METROPOLE}", "local_authority_staff"))}

    async with as_service(owner, **scope) as connection:
        assert await _written(connection, NEW_ACTION, **await _new_action(owner, TOULOUSE_METROPOLE)) == 1
    async with as_service(owner, **scope) as connection:
        await _refused(connection, NEW_ACTION, **await _new_action(owner, SICOVAL))


async def test_an_archived_action_takes_no_new_partner_indicator_or_value(
    owner: AsyncEngine, carried: dict[str, int]
) -> None:
    scope = {"keys": await keys_of(owner, ("caf:31", "caf_agent"))}
    for statement in (NEW_PARTNER, NEW_INDICATOR, NEW_VALUE):
        async with as_service(owner, **scope) as connection:
            assert await _written(connection, ARCHIVE, **carried) == 1
            await _refused(connection, statement, **carried)
