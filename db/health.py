"""Whether the database answers."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.errors import DatabaseSetupError


async def database_ready(engine: AsyncEngine, timeout: float = 2.0) -> bool:
    try:
        async with asyncio.timeout(timeout), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError):
        return False
    return True


async def ensure_reachable(engine: AsyncEngine, where: str, timeout: float = 10.0) -> None:
    """Connect once, or raise DatabaseSetupError saying where and why in one line."""
    try:
        async with asyncio.timeout(timeout), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError as error:
        raise DatabaseSetupError(f"PostgreSQL at {where} did not answer within {timeout:.0f} s") from error
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise DatabaseSetupError(
            f"cannot connect to PostgreSQL at {where} ({reason}); check MAILLAGE_DATABASE_URL"
        ) from error
