"""A subscription's context: a request's, plus the change feed, and a fresh scoped session for each event.

A subscription lives for hours; its caller's rights may change meanwhile, and the rows it follows surely do. So no
session, no DataLoader and no Principal is kept from one event to the next: each event is read in a transaction of
its own, which enters the caller's scope anew (row-level security on), like an HTTP request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from auth.identity import Identity
from auth.policy import Scope
from auth.principal import Principal
from db.notifications.feed import ChangeFeed
from db.session import RequestDatabase
from schema.context import Context, Info
from schema.loaders import GraphLoaders

ScopeEntry = Callable[[RequestDatabase, Identity | None], Awaitable[tuple[Principal, Scope]]]


@dataclass(frozen=True)
class Live:
    """What the server gives subscriptions: the feed, scoped sessions, and the token's expiry."""

    feed: ChangeFeed
    open_database: Callable[[], RequestDatabase]
    enter_scope: ScopeEntry
    expires_at: float | None = None  # the access token's `exp`; None: anonymous, no token to expire

    def seconds_left(self) -> float | None:
        return None if self.expires_at is None else max(0.0, self.expires_at - time.time())


@dataclass
class SubscriberContext(Context):
    live: Live | None = field(default=None, kw_only=True)
    # The graphql-transport-ws connection_init payload, set by Strawberry.
    connection_params: dict[str, Any] | None = field(default=None, kw_only=True)

    def connected(self) -> Live:
        assert self.live is not None, "the connection was not acknowledged"
        return self.live

    @asynccontextmanager
    async def scoped(self) -> AsyncIterator[None]:
        """One event's unit of work: a fresh session in the caller's scope, and fresh loaders, until the block
        ends (the event's fields are resolved inside it). Read only: nothing is ever committed."""
        live = self.connected()
        database = live.open_database()
        try:
            self.principal, self.access = await live.enter_scope(database, self.identity)
            self.database = database
            self.graph = GraphLoaders(database)
            yield
        finally:
            await database.dispose()


def subscriber_of(info: Info) -> SubscriberContext:
    """The context of a subscription's operation (subscriptions are only served over WebSocket)."""
    context = info.context
    assert isinstance(context, SubscriberContext), "subscriptions are served over WebSocket only"
    return context
