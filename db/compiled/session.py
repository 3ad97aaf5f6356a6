"""Running compiled reads: a pool of asyncpg connections of their own, each remembering the caller scope it
is in, so that a read usually costs one round trip to PostgreSQL.

The slow path's transactions put the caller's scope in transaction-local settings. Compiled reads are single
statements outside any transaction, so the scope is set at the session level instead, and the connection
remembers it: the next read for a caller with the same scope sends its statement alone. Every read on this
pool starts by making sure the connection holds the reader's settings (nothing else ever uses the pool),
which is why the pool does not reset connections between uses.

Behind a transaction pooler (PgBouncer in transaction mode), a connection is one of the pooler's clients, and
consecutive statements may run on different server connections: nothing is kept in the session. Each read is
then a transaction of its own, whose first round trip begins it and takes the role and the scope, local to it
(`SET LOCAL ROLE`, `set_config(..., true)`), and statements are unnamed (no statement cache).

An authenticated caller's read also reads, in the same statement as its data, the generation of access
(migration 0020): a counter that every change to what decides memberships bumps in its own transaction. The
same generation as when the caller's memberships were read means the read ran in the caller's scope; another
one, and the caller reads its memberships again (`memberships`, with their generation) and, in the scope they
give, the data again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from db.access import GENERATION_SQL, MEMBERSHIP_ARGUMENTS, MembershipQuery, memberships_sql
from db.compiled.render import Statement
from db.engine import DEFAULT_TIMEOUTS, Timeouts, libpq_dsn

# Raised by maillage_absent() (migration 0011): a non-null field's row is not there for this caller.
ABSENT = "MA001"
# PostgreSQL's query_canceled: the statement ran past statement_timeout.
QUERY_CANCELED = "57014"
_MEMBERSHIPS_SQL = memberships_sql([f"${1 + i}" for i in range(MEMBERSHIP_ARGUMENTS)])


class ScopedConnection(asyncpg.Connection):  # type: ignore[misc]
    """A connection that knows which `maillage.*` settings its session holds."""

    def __init__(self, *arguments: Any, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self.settings: Mapping[str, str] | None = None

    # Methods rather than attribute writes: the pool hands out proxies, which pass on calls only.
    def remember(self, settings: Mapping[str, str] | None) -> None:
        self.settings = settings


def _settings_sql(settings: Mapping[str, str]) -> tuple[str, list[str]]:
    names = sorted(settings)
    calls = ", ".join(f"set_config(${2 * i + 1}, ${2 * i + 2}, false)" for i in range(len(names)))
    values = [item for name in names for item in (name, settings[name])]
    return calls, values


async def _init(connection: asyncpg.Connection) -> None:
    # The JSON comes back as the bytes PostgreSQL wrote: they go to the client as they are.
    await connection.set_type_codec("json", schema="pg_catalog", encoder=bytes, decoder=bytes, format="binary")


async def _keep(connection: asyncpg.Connection) -> None:
    """No reset between uses: see the module's docstring."""


async def _end_transaction(connection: asyncpg.Connection) -> None:
    """Behind a transaction pooler: a read that failed or was cancelled leaves no transaction open."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


def _literal(value: str) -> str:
    """A string as a PostgreSQL literal, whatever standard_conforming_strings says."""
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _local_scope_sql(role: str, settings: Mapping[str, str]) -> str:
    """One simple-protocol round trip: begin a transaction and take the role and the scope in it."""
    calls = ", ".join(f"set_config({_literal(name)}, {_literal(settings[name])}, true)" for name in sorted(settings))
    return f'BEGIN; SET LOCAL ROLE "{role}"; SELECT {calls or "NULL"}'


@dataclass(frozen=True)
class Answer:
    data: bytes  # the response's `data`, as JSON
    generation: int | None  # the generation of access the data was read at, when asked for
    statements: int  # round trips to PostgreSQL it took


@dataclass(frozen=True)
class Memberships:
    """Who an identity is, as of one generation of access."""

    rows: bytes  # `caller_access` rows as a JSON array
    generation: int
    seconds_left: float | None  # before the first of its habilitations in force expires (None: none does)


class CompiledReads:
    """The pool compiled reads run on, as `role` (the service role, bound by row-level security)."""

    def __init__(
        self,
        url: URL,
        *,
        size: int,
        role: str,
        statement_timeout_ms: int = 0,
        application_name: str = "maillage",
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        transaction_pooler: bool = False,
    ) -> None:
        self._url = url
        self.size = size  # connections at most
        self._timeouts = timeouts
        self._role = role
        self._statement_timeout_ms = statement_timeout_ms
        self._transaction_pooler = transaction_pooler
        # A pooler in transaction mode passes no such startup parameter on: each read's transaction takes them.
        self._server_settings = {"application_name": application_name}
        if not transaction_pooler:
            self._server_settings["role"] = role
            if statement_timeout_ms:
                self._server_settings["statement_timeout"] = str(statement_timeout_ms)
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _ready(self) -> asyncpg.Pool:
        """The pool, created on first use (the app's lifespan opens it earlier when it runs)."""
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    await self.open()
        assert self._pool is not None
        return self._pool

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(
            libpq_dsn(self._url),  # every libpq option of the URL, as the other pool has them
            min_size=0,
            max_size=self.size,
            connection_class=ScopedConnection,
            server_settings=self._server_settings,
            init=_init,
            reset=_end_transaction if self._transaction_pooler else _keep,
            statement_cache_size=0 if self._transaction_pooler else 512,
            timeout=self._timeouts.connect,
            command_timeout=self._timeouts.command,
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def memberships(self, query: MembershipQuery) -> Memberships:
        """Who an identity is in Maillage, and the generation of access that says so, in one statement."""
        pool = await self._ready()
        async with pool.acquire(timeout=self._timeouts.acquire) as connection:
            row = await connection.fetchrow(_MEMBERSHIPS_SQL, *query.arguments())
        return Memberships(row["rows"], row["generation"], row["seconds_left"])

    async def read(self, statement: Statement, settings: Mapping[str, str], generation: bool) -> Answer:
        """Run `statement` in the scope `settings`, and read the generation of access in the same statement
        when asked to."""
        pool = await self._ready()
        async with pool.acquire(timeout=self._timeouts.acquire) as connection:
            if self._transaction_pooler:
                return await self._read_in_transaction(connection, statement, dict(settings), generation)
            try:
                answer = await self._read(connection, statement, dict(settings), generation)
            except BaseException:
                # Whatever failed, the session's settings are no longer known for sure.
                connection.remember(None)
                raise
        return answer

    async def _read_in_transaction(
        self,
        connection: asyncpg.Connection,
        statement: Statement,
        settings: dict[str, str],
        generation: bool,
    ) -> Answer:
        """Three round trips: begin in the reader's role and scope, read, commit (a failure rolls back on
        release)."""
        if self._statement_timeout_ms:
            settings["statement_timeout"] = str(self._statement_timeout_ms)
        await connection.execute(_local_scope_sql(self._role, settings))
        row = await connection.fetchrow(_with_generation(statement.sql, generation), *statement.parameters)
        await connection.execute("COMMIT")
        return Answer(row["data"], row["generation"] if generation else None, 3)

    async def _read(
        self,
        connection: ScopedConnection,
        statement: Statement,
        settings: dict[str, str],
        generation: bool,
    ) -> Answer:
        statements = 1
        if connection.settings != settings:
            statements += 1
            calls, values = _settings_sql(settings)
            await connection.fetchrow(f"SELECT {calls}", *values)
            connection.remember(settings)
        row = await connection.fetchrow(_with_generation(statement.sql, generation), *statement.parameters)
        return Answer(row["data"], row["generation"] if generation else None, statements)


def _with_generation(sql: str, generation: bool) -> str:
    """The statement, reading the generation of access beside its data (in the same snapshot) when asked to."""
    return f"SELECT q.data, ({GENERATION_SQL}) AS generation FROM ({sql}) AS q" if generation else sql
