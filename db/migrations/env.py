"""Alembic environment: runs migrations over the async engine whose URL the caller put in the config."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from db.engine import create_engine
from db.models import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        compare_server_default=False,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        # Instances starting together migrate one after the other.
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('maillage:migrations'))"))
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(
        config.get_main_option("sqlalchemy.url") or "", pool_size=1, application_name="maillage-migrations"
    )
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Maillage's migrations run online only: use `maillage db upgrade`.")
asyncio.run(_run_online())
