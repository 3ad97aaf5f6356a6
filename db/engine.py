"""The async engine and sessions (SQLAlchemy over asyncpg)."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from db.errors import DatabaseSetupError


def database_url(raw: str) -> URL:
    """Parse a PostgreSQL URL in any usual spelling and point it at the asyncpg driver."""
    try:
        url = make_url(raw)
    except ArgumentError as error:
        raise DatabaseSetupError(
            f"the database URL {raw!r} is not a URL; expected postgresql://user:password@host:port/database"
        ) from error
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise DatabaseSetupError(
            f"the database URL names {url.get_backend_name()!r}; Maillage needs PostgreSQL (postgresql://...)"
        )
    if not url.database:
        raise DatabaseSetupError("the database URL names no database (postgresql://host:port/DATABASE)")
    return url.set(drivername="postgresql+asyncpg")


def create_engine(
    url: str | URL, *, pool_size: int = 10, application_name: str = "maillage", role: str | None = None
) -> AsyncEngine:
    """An engine whose connections run as `role` from the start when given (the user must be a member)."""
    server_settings = {"application_name": application_name}
    if role:
        server_settings["role"] = role
    return create_async_engine(
        database_url(url) if isinstance(url, str) else url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"server_settings": server_settings},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after the one commit of a unit of work.
    return async_sessionmaker(engine, expire_on_commit=False)


def describe(url: URL) -> str:
    """Where a URL points, for messages: never the password."""
    host = url.query.get("host") or url.host or "localhost"
    return f"{url.database} on {host}" + (f":{url.port}" if url.port else "")
