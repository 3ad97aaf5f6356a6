"""A request's access to PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")


class Refusable(Protocol):
    @property
    def refused(self) -> bool: ...


R = TypeVar("R", bound=Refusable)


class RequestDatabase:
    """One session per request, running one statement at a time.

    GraphQL resolves sibling fields concurrently, but a session (one connection) cannot run two
    statements at once: the lock queues them. DataLoaders keep that queue short by batching.
    """

    def __init__(self, session: AsyncSession | Callable[[], AsyncSession]) -> None:
        # A factory makes the session on first use: a request answered without it (a compiled read) pays
        # nothing for it.
        self._session = session if isinstance(session, AsyncSession) else None
        self._factory = None if isinstance(session, AsyncSession) else session
        self._lock = asyncio.Lock()
        self._closed = False
        # Set when the transaction enters the caller's scope: national readers need no row filter.
        self.national = False
        # Set by a mutation that wrote and reported no error: the request's one commit happens then.
        self.wrote = False

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            assert self._factory is not None
            self._session = self._factory()
        return self._session

    async def dispose(self) -> None:
        """End the request: close the session, if one was made (what it did not commit is rolled back)."""
        await self.close()
        if self._session is not None:
            await self._session.close()

    async def get(self, model: type[T], key: Any) -> T | None:
        async with self._lock:
            self._check_open()
            return await self.session.get(model, key)

    async def all(self, statement: SelectOfScalar[T]) -> Sequence[T]:
        async with self._lock:
            self._check_open()
            return (await self.session.scalars(statement)).all()

    async def rows(self, statement: Executable, parameters: dict[str, Any] | None = None) -> Sequence[Any]:
        async with self._lock:
            self._check_open()
            return (await self.session.execute(statement, parameters)).all()

    async def execute(self, statement: Executable, parameters: dict[str, Any] | None = None) -> int:
        """Run a statement that returns no rows (an INSERT without RETURNING, whose new row the SELECT policies
        of row-level security cannot see until the statement is over); how many rows it touched."""
        async with self._lock:
            self._check_open()
            result = await self.session.execute(statement, parameters)
            return int(getattr(result, "rowcount", 0))

    async def change(self, write: Callable[[], Awaitable[R]]) -> R:
        """Run one mutation's writes in a savepoint: kept when the outcome is not a refusal, undone
        otherwise (and when `write` raises), so a refused mutation leaves nothing behind even when other
        mutations of the same operation succeed. What is kept is committed with the request."""
        async with self._lock:
            self._check_open()
            savepoint = await self.session.begin_nested()
        try:
            outcome = await write()
        except BaseException:
            async with self._lock:
                await savepoint.rollback()
            raise
        async with self._lock:
            if outcome.refused:
                await savepoint.rollback()
            else:
                await savepoint.commit()
                self.wrote = True
        return outcome

    async def commit_if_written(self) -> None:
        """The request's unit of work: commit what a successful mutation wrote; otherwise nothing is kept."""
        async with self._lock:
            if self.wrote and not self._closed:
                await self.session.commit()

    async def close(self) -> None:
        """End the request's use of the session, once the statement under way (if any) is done.

        A response can be complete while a resolver it no longer needs still runs (a sibling field
        failed first): closing under the lock never pulls the connection from under that statement.
        """
        async with self._lock:
            self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the request is over: its database session is closed")
