"""One listening connection per process, fanning committed changes out to its subscribers.

PostgreSQL delivers each notification of the channel to every session listening on it, once its transaction
commits: every worker and every instance holds one such session, and so learns every change, whichever process
made it. Each subscriber has a bounded queue; changes to a row already waiting in it are coalesced, and a
subscriber that falls `capacity` changes behind is dropped (its queue emptied, told once): a slow consumer never
grows the process's memory. Losing the listening connection drops every subscriber too, since changes may have
been missed meanwhile; the next subscriber opens a new one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from db.notifications.changes import CHANNEL, Change, parse_change

logger = logging.getLogger(__name__)

DEFAULT_CAPACITY = 256


class SubscriberDropped(Exception):
    """The subscriber fell too far behind, or the feed lost its connection: changes may have been missed."""


class _Dropped:
    def __init__(self, reason: str) -> None:
        self.reason = reason


class Subscriber:
    """One subscriber's changes, in the order they were committed, at most `capacity` waiting."""

    def __init__(self, capacity: int) -> None:
        self._queue: asyncio.Queue[Change | _Dropped] = asyncio.Queue(capacity)
        self._waiting: set[Change] = set()
        self.dropped = False

    def offer(self, change: Change) -> None:
        if self.dropped or change in self._waiting:
            return  # the same row's same change already waits: one is enough
        try:
            self._queue.put_nowait(change)
        except asyncio.QueueFull:
            self.drop(f"more than {self._queue.maxsize} changes waited for this subscriber")
            return
        self._waiting.add(change)

    def drop(self, reason: str) -> None:
        if self.dropped:
            return
        self.dropped = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._waiting.clear()
        self._queue.put_nowait(_Dropped(reason))

    async def next(self, timeout: float | None) -> Change | None:
        """The next change; None when `timeout` seconds pass first. Raises SubscriberDropped once dropped."""
        try:
            item = await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None
        if isinstance(item, _Dropped):
            raise SubscriberDropped(item.reason)
        self._waiting.discard(item)
        return item


class ChangeFeed:
    """The process's listening connection and its subscribers. The connection opens with the first subscriber."""

    def __init__(self, dsn: str, *, capacity: int = DEFAULT_CAPACITY) -> None:
        self._dsn = dsn
        self._capacity = capacity
        self._subscribers: set[Subscriber] = set()
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscriber]:
        """A subscriber receiving every change committed from now on, until the block ends."""
        await self._listen()
        subscriber = Subscriber(self._capacity)
        self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)

    async def _listen(self) -> None:
        async with self._lock:
            if self._connection is not None and not self._connection.is_closed():
                return
            connection = await asyncpg.connect(self._dsn, server_settings={"application_name": "maillage-changes"})
            connection.add_termination_listener(self._lost)
            await connection.add_listener(CHANNEL, self._notified)
            self._connection = connection

    def _notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        change = parse_change(payload)
        if change is None:
            logger.warning("unknown change notification ignored: %r", payload[:200])
            return
        for subscriber in list(self._subscribers):
            subscriber.offer(change)

    def _lost(self, connection: Any) -> None:
        if connection is not self._connection:
            return
        logger.warning("the change feed lost its database connection; %d subscribers dropped", len(self._subscribers))
        self._connection = None
        for subscriber in list(self._subscribers):
            subscriber.drop("the service lost its database connection")

    async def close(self) -> None:
        async with self._lock:
            connection, self._connection = self._connection, None
            for subscriber in list(self._subscribers):
                subscriber.drop("the service is shutting down")
            if connection is not None and not connection.is_closed():
                await connection.close()
