"""The service refuses to serve with a role row-level security does not bind: at start and in /readyz."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.access import SERVICE_ROLE
from db.engine import create_engine
from db.errors import DatabaseSetupError
from db.health import row_security_bypass
from server.app import create_app
from server.settings import Settings
from tests.conftest import serve


def _settings(url: URL) -> Settings:
    return Settings(_env_file=None, database_url=url.render_as_string(hide_password=False))


async def test_the_service_role_is_bound_by_row_level_security(own_demo: URL) -> None:
    engine = create_engine(own_demo, pool_size=1, role=SERVICE_ROLE)
    try:
        assert await row_security_bypass(engine) is None
    finally:
        await engine.dispose()


async def test_a_superuser_connection_is_named_as_bypassing_row_level_security(
    own_demo: URL, owner: AsyncEngine
) -> None:
    # given the tests' connection, which is a superuser's (as behind a pooler that drops the role parameter)
    async with owner.connect() as connection:
        if not (await connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))).scalar():
            pytest.skip("the test PostgreSQL's user is not a superuser")
    # when / then
    reason = await row_security_bypass(owner)
    assert reason is not None
    assert "a superuser" in reason
    assert "\n" not in reason


@pytest.fixture
async def service_owning_a_table(owner: AsyncEngine) -> AsyncIterator[None]:
    async with owner.begin() as connection:
        await connection.execute(text(f"ALTER TABLE ctg OWNER TO {SERVICE_ROLE}"))
    try:
        yield
    finally:
        async with owner.begin() as connection:
            await connection.execute(text("ALTER TABLE ctg OWNER TO CURRENT_USER"))


@pytest.mark.usefixtures("service_owning_a_table")
async def test_a_service_role_owning_a_table_is_refused_at_start(own_demo: URL) -> None:
    app = create_app(_settings(own_demo), own_demo)
    with pytest.raises(DatabaseSetupError) as refused:
        async with app.router.lifespan_context(app):
            pass
    assert "the owner of tables (ctg)" in str(refused.value)
    assert "maillage_service" in str(refused.value)


async def test_readiness_turns_false_when_the_role_comes_to_bypass_row_level_security(
    own_demo: URL, owner: AsyncEngine
) -> None:
    async with (
        serve(create_app(_settings(own_demo), own_demo)) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        assert (await client.get("/readyz")).status_code == 200
        # when the service role comes to own a table
        async with owner.begin() as connection:
            await connection.execute(text(f"ALTER TABLE ctg OWNER TO {SERVICE_ROLE}"))
        try:
            not_ready = await client.get("/readyz")
        finally:
            async with owner.begin() as connection:
                await connection.execute(text("ALTER TABLE ctg OWNER TO CURRENT_USER"))
        ready_again = await client.get("/readyz")
    # then
    assert not_ready.status_code == 503
    assert not_ready.json()["database"] == "bypasses row-level security"
    assert "ctg" in not_ready.json()["reason"]
    assert ready_again.status_code == 200
