"""Whether the database answers."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.errors import DatabaseSetupError

# The role a request's statements run as, and whether row-level security applies to it: a superuser, a role
# with BYPASSRLS, or the owner of a table (a member of its owner's role included) is not bound by its
# policies, unless the table forces them; the owner of any table may change it, its policies included.
_ROLE_CHECK = text(
    """
    SELECT current_user AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
        (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
           AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned
    FROM pg_roles r WHERE r.rolname = current_user
    """
)


async def row_security_bypass(
    engine: AsyncEngine, timeout: float = 5.0, *, local_role: str | None = None
) -> str | None:
    """Why the engine's connections are not bound by row-level security, in one line saying what to do; None
    when they are. `local_role`: the role each transaction takes itself (behind a transaction pooler). Raises what
    connecting raises when the database cannot be reached."""
    async with asyncio.timeout(timeout), engine.connect() as connection:
        if local_role:
            await connection.execute(text("SELECT set_config('role', :role, true)"), {"role": local_role})
        row = (await connection.execute(_ROLE_CHECK)).one()
    if row.superuser or row.bypassrls:
        what = "a superuser" if row.superuser else "a role with BYPASSRLS"
    elif row.owned:
        what = f"the owner of tables ({_first(row.owned)})"
    else:
        return None
    return (
        f"requests run as {row.name!r}, {what}: row-level security would not apply to them. Connect with a user "
        "that is neither superuser nor BYPASSRLS nor owner of the tables, and may SET ROLE maillage_service "
        "(behind a pooler that drops the role parameter, connect as such a user directly)"
    )


def _first(names: str, most: int = 3) -> str:
    listed = names.split(", ")
    return ", ".join(listed[:most]) + (", ..." if len(listed) > most else "")


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
