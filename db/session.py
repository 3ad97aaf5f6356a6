"""A request's access to PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")


class RequestDatabase:
    """One session per request, running one statement at a time.

    GraphQL resolves sibling fields concurrently, but a session (one connection) cannot run two
    statements at once: the lock queues them. DataLoaders keep that queue short by batching.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    async def get(self, model: type[T], key: Any) -> T | None:
        async with self._lock:
            return await self.session.get(model, key)

    async def all(self, statement: SelectOfScalar[T]) -> Sequence[T]:
        async with self._lock:
            return (await self.session.scalars(statement)).all()

    async def rows(self, statement: Executable, parameters: dict[str, Any] | None = None) -> Sequence[Any]:
        async with self._lock:
            return (await self.session.execute(statement, parameters)).all()
