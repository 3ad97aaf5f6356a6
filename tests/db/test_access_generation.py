"""The generation of access (migration 0020) moves with every committed change to what decides a caller's
memberships, and with nothing else: compiled reads trust a caller's scope for as long as it stands still."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.schema.conftest import sql
from tests.schema.writing import own_demo, owner

__all__ = ["own_demo", "owner"]  # fixtures of this module

CHANGES = {
    "a habilitation granted": "INSERT INTO habilitation (issuer, subject, organisation_id, role, status) "
    "VALUES ('https://issuer.test', 'generation', (SELECT carrier_id FROM action ORDER BY id LIMIT 1), "
    "'association_member', 'active')",
    "a habilitation suspended": "UPDATE habilitation SET status = 'suspended' WHERE subject = 'generation'",
    "a habilitation removed": "DELETE FROM habilitation WHERE subject = 'generation'",
    "an organisation archived": "UPDATE organisation SET archived_at = now() "
    "WHERE id = (SELECT carrier_id FROM action ORDER BY id LIMIT 1)",
    "an organisation's SIRET changed": "UPDATE organisation SET siret = NULL "
    "WHERE id = (SELECT max(id) FROM organisation)",
    "an organisation created": "INSERT INTO organisation (kind, name) VALUES ('association', 'Nouvelle association')",
    "a commune's EPCI set": "UPDATE commune SET epci_siren = epci_siren WHERE insee_code = '31555'",
}
UNCHANGED = {
    "an organisation renamed": "UPDATE organisation SET name = name || ' (renommée)' "
    "WHERE id = (SELECT carrier_id FROM action ORDER BY id LIMIT 1)",
    "an action redescribed": "UPDATE action SET description = 'Redécrite' WHERE id = (SELECT min(id) FROM action)",
    "a commune renamed": "UPDATE commune SET name = name WHERE insee_code = '31555'",
}


async def _generation(owner: AsyncEngine) -> int:
    (row,) = await sql(owner, "SELECT generation FROM access_generation")
    return int(row["generation"])


@pytest.mark.parametrize("change", list(CHANGES))
async def test_a_change_to_what_decides_memberships_moves_the_generation(owner: AsyncEngine, change: str) -> None:
    before = await _generation(owner)
    async with owner.begin() as connection:
        await connection.execute(text(CHANGES[change]))
    assert await _generation(owner) == before + 1


@pytest.mark.parametrize("change", list(UNCHANGED))
async def test_other_changes_leave_the_generation(owner: AsyncEngine, change: str) -> None:
    before = await _generation(owner)
    async with owner.begin() as connection:
        await connection.execute(text(UNCHANGED[change]))
    assert await _generation(owner) == before


async def test_a_change_rolled_back_leaves_the_generation(owner: AsyncEngine) -> None:
    before = await _generation(owner)
    async with owner.connect() as connection:
        await connection.execute(text(CHANGES["a habilitation granted"]))
        assert await connection.scalar(text("SELECT generation FROM access_generation")) == before + 1
        await connection.rollback()
    assert await _generation(owner) == before


async def test_the_service_role_reads_the_generation_and_cannot_move_it(owner: AsyncEngine) -> None:
    async with owner.connect() as connection:
        await connection.execute(text("SET ROLE maillage_service"))
        assert await connection.scalar(text("SELECT count(*) FROM access_generation")) == 1
        with pytest.raises(Exception, match="permission denied"):
            await connection.execute(text("UPDATE access_generation SET generation = 0"))
        await connection.rollback()
