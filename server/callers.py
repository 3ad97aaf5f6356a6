"""Callers remembered between their requests: who each identity is in Maillage, as of one generation of access.

Reading a caller's memberships (`caller_access`) cost more PostgreSQL time than a small read itself. Every
request still checks them, but by reading one counter in a statement it makes anyway: the generation of access
(migration 0020), which every committed change to habilitations, organisations or communes moves. The same
generation as when the memberships were read, and they are what they were; another one, and they are read
again. Habilitations also end by time, with no write: a caller is forgotten when its first habilitation in
force expires.

One cache per process, shared by the compiled reads and the resolvers; bounded, least recently used first out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cachetools import LRUCache

from auth.identity import Identity
from auth.policy import Scope
from auth.principal import Principal

MAX_CALLERS = 10_000


@dataclass(frozen=True)
class Caller:
    principal: Principal
    scope: Scope
    generation: int  # the generation of access its memberships were read at
    until: float | None  # monotonic time its first habilitation in force expires; None: none does

    def expired(self) -> bool:
        return self.until is not None and time.monotonic() >= self.until


class Callers:
    def __init__(self, maxsize: int = MAX_CALLERS) -> None:
        self._known: LRUCache[Identity, Caller] = LRUCache(maxsize=maxsize)

    def get(self, identity: Identity) -> Caller | None:
        """The caller as last read, unless one of its habilitations has expired since."""
        caller = self._known.get(identity)
        return None if caller is None or caller.expired() else caller

    def remember(
        self, identity: Identity, principal: Principal, scope: Scope, generation: int, seconds_left: float | None
    ) -> Caller:
        until = None if seconds_left is None else time.monotonic() + seconds_left
        caller = Caller(principal, scope, generation, until)
        self._known[identity] = caller
        return caller
