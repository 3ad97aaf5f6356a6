"""The async engine and sessions (SQLAlchemy over asyncpg)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
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


@dataclass(frozen=True)
class Timeouts:
    """How long a request waits on PostgreSQL, whatever state it is in: stopped (refused at once), or frozen
    (SIGSTOP, a dead network path: nothing ever answers). Past each, the error says the database is
    unavailable, and the request gets a 503 instead of hanging as long as the database does."""

    connect: float = 60.0  # opening a connection, authentication included (asyncpg's own default)
    acquire: float = 30.0  # waiting for a pooled connection (SQLAlchemy's default)
    command: float | None = None  # one round trip, on the client's clock; None: no bound


DEFAULT_TIMEOUTS = Timeouts()


def create_engine(
    url: str | URL,
    *,
    pool_size: int = 10,
    application_name: str = "maillage",
    role: str | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    transaction_pooler: bool = False,
) -> AsyncEngine:
    """An engine whose connections run as `role` from the start when given (the user must be a member).

    Behind a transaction pooler (`transaction_pooler`), a connection is one of the pooler's clients: the role
    cannot be a startup parameter (each transaction takes it itself, db/access.py), and statements are unnamed,
    parsed again at each execution, since the next transaction may run on another server connection."""
    server_settings = {"application_name": application_name}
    if role and not transaction_pooler:
        server_settings["role"] = role
    url = database_url(url) if isinstance(url, str) else url
    dsn = libpq_dsn(url)

    async def connect() -> asyncpg.Connection:
        # asyncpg reads the URL as libpq does (sslmode, sslrootcert, target_session_attrs, host lists...);
        # SQLAlchemy would pass its query's options on as keyword arguments asyncpg does not take.
        return await asyncpg.connect(
            dsn,
            server_settings=server_settings,
            timeout=timeouts.connect,
            command_timeout=timeouts.command,
            statement_cache_size=0 if transaction_pooler else 100,
        )

    options: dict[str, Any] = {"async_creator": connect}
    if transaction_pooler:
        # SQLAlchemy prepares each statement before running it: with no cache and an empty name, the statement
        # is PostgreSQL's unnamed one, which asyncpg parses again when it runs it (no name to collide or leak).
        def creator() -> Any:
            return engine.sync_engine.dialect.dbapi.connect(  # type: ignore[union-attr]
                async_creator_fn=connect, prepared_statement_cache_size=0, prepared_statement_name_func=lambda: ""
            )

        options = {"creator": creator}
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=timeouts.acquire,
        **options,
    )
    return engine


def libpq_dsn(url: URL) -> str:
    """The URL as a libpq connection string, every option of its query kept, for asyncpg's own parser."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def session_factory(engine: AsyncEngine, *, local_role: str | None = None) -> async_sessionmaker[AsyncSession]:
    """Sessions of the engine; `local_role`, the role each transaction takes itself (db/access.py `enter_scope`),
    when the connections cannot start as it (behind a transaction pooler)."""
    # expire_on_commit=False: objects stay readable after the one commit of a unit of work.
    return async_sessionmaker(engine, expire_on_commit=False, info={LOCAL_ROLE: local_role})


# Where a session keeps the role its transactions take themselves, if any.
LOCAL_ROLE = "maillage.local_role"


def describe(url: URL) -> str:
    """Where a URL points, for messages: never the password."""
    host = url.query.get("host") or url.host or "localhost"
    return f"{url.database} on {host}" + (f":{url.port}" if url.port else "")
