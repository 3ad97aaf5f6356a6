"""The fast path of /graphql: a query the compiler covers is answered by one SQL statement whose result is
the response's JSON, sent as PostgreSQL wrote it (db/compiled/); anything else, by the resolvers.

It runs after the request is prepared (server/graphql.py: trusted documents, parse and validation, limits,
variables) and instead of the context and execution. Anything the planner (schema/compiled/planner.py) does
not cover or the resolvers would refuse, and any failure of the statement, is left to the resolvers, whose
answer is the reference: in `verify` mode both paths answer and a difference is refused, never sent.

Caches, all bounded: compiled statements by (document, operation, variables, caller scope); renderings by
shape of read (db/compiled/shapes.py); callers by identity (server/callers.py), with the generation of access
their memberships were read at, checked in the same statement as each read (db/compiled/session.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from auth.identity import Identity
from auth.policy import ANONYMOUS_SCOPE, Scope
from auth.principal import ANONYMOUS, Principal
from db.compiled.render import Statement, render
from db.compiled.session import ABSENT, QUERY_CANCELED, CompiledReads
from db.compiled.shapes import Recipe, recipe, split
from db.errors import is_database_unavailable
from schema import schema
from schema.compiled.planner import Planner, Unsupported
from server.access import membership_query, principal_of, scope_for
from server.callers import Caller, Callers
from server.observability.record import note_fallback
from server.operation import Operation

logger = logging.getLogger(__name__)

CACHE_BYTES = 64 * 1024 * 1024
MAX_COST = 100_000
# A costly operation of more root selections than this (aliases included) goes to the resolvers: many aliases
# of nested pages are as many correlated subqueries in one statement, planned from statistics, where the
# resolvers load each level once for all of them. A page of the extranet asks a handful, or costs little.
MAX_ROOT_FIELDS = 8
MANY_ROOTS_COST = 20_000
_ENTRY_BYTES = 1024


def _entry_bytes(entry: tuple[object, int]) -> int:
    return entry[1]


def _statement_bytes(statement: Statement | Declined) -> int:
    if isinstance(statement, Declined):
        return len(statement.reason)
    # The SQL text is shared with its shape's recipe; the parameters are the request's own values.
    return 64 + sum(len(value) if isinstance(value, str | bytes) else 64 for value in _flat(statement.parameters))


def _flat(values: Any) -> Any:
    for value in values:
        if isinstance(value, list | tuple):
            yield from _flat(value)
        else:
            yield value


# Why a query went to the resolvers, for the request log and the metric of fallbacks (a bounded set of words:
# the planner's reasons name a schema field or a rule, never a value).
COSTLY = "cost above MAILLAGE_COMPILED_MAX_COST"
MANY_ROOTS = "many costly root fields"
FAILED = "compiled statement failed"


# Reads of one request while the generation of access moves under it, before the resolvers answer instead.
READS_WHILE_ACCESS_CHANGES = 3


@dataclass(frozen=True)
class Declined:
    """A query the planner does not cover, and why (schema.compiled.planner.Unsupported)."""

    reason: str


class StatementTimedOut(Exception):
    """The compiled statement ran past the statement timeout: the resolvers would too."""


class CompiledQueries:
    def __init__(
        self,
        reads: CompiledReads,
        callers: Callers,
        *,
        mode: str,
        cache_bytes: int = CACHE_BYTES,
        max_cost: int = MAX_COST,
    ) -> None:
        self.reads = reads
        self.mode = mode  # on, off, verify (server/settings.py)
        # One statement answers the whole operation: its nested pages are correlated subqueries, run once per
        # parent and once per alias, with plans the planner picks from statistics. Past this estimate, the
        # resolvers answer: one batched statement per level, aliases of the same rows loaded once.
        self.max_cost = max_cost
        self.planner = Planner(schema)
        # Bounded by the memory the entries take, not their number: a request's statement is cached with its
        # document and variables, which a caller may make as large as the body limit allows.
        self._statements: LRUCache[tuple[Any, ...], tuple[Statement | Declined, int]] = LRUCache(
            maxsize=cache_bytes, getsizeof=_entry_bytes
        )
        self._recipes: LRUCache[Any, tuple[Recipe | None, int]] = LRUCache(
            maxsize=cache_bytes // 4, getsizeof=_entry_bytes
        )
        self.callers = callers
        self.answered = 0  # queries answered by a compiled statement
        self.declined = 0  # queries left to the resolvers

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    async def answer(
        self, operation: Operation, variables: Mapping[str, Any] | None, identity: Identity | None
    ) -> tuple[bytes, int] | None:
        """The response's `data` as JSON and the statements it took, or None for the resolvers to answer."""
        try:
            answered = await self._answer(operation, variables, identity)
        except Exception as error:
            state = getattr(error, "sqlstate", None)
            if state == QUERY_CANCELED:
                raise StatementTimedOut from error
            if is_database_unavailable(error):
                raise  # the resolvers would wait on it as long again: the request gets its 503 now
            # The resolvers answer instead, and report whatever is wrong the way they always do.
            if state != ABSENT:
                logger.warning("compiled read failed, answering with the resolvers", exc_info=True)
                note_fallback(FAILED)
            answered = None
        if answered is None:
            self.declined += 1
        else:
            self.answered += 1
        return answered

    async def _answer(
        self, operation: Operation, variables: Mapping[str, Any] | None, identity: Identity | None
    ) -> tuple[bytes, int] | None:
        if operation.cost > self.max_cost:
            note_fallback(COSTLY)
            return None
        if operation.cost > MANY_ROOTS_COST and len(operation.definition.selection_set.selections) > MAX_ROOT_FIELDS:
            note_fallback(MANY_ROOTS)
            return None
        if identity is None:
            statement = self._statement(operation, variables, ANONYMOUS_SCOPE, ANONYMOUS)
            if statement is None:
                return None
            answer = await self.reads.read(statement, ANONYMOUS_SCOPE.settings(), generation=False)
            return answer.data, answer.statements
        statements = 0
        known = self.callers.get(identity)
        if known is None:
            known = await self._memberships(identity)
            statements += 1
        for _ in range(READS_WHILE_ACCESS_CHANGES):
            statement = self._statement(operation, variables, known.scope, known.principal)
            if statement is None:
                return None
            answer = await self.reads.read(statement, known.scope.settings(), generation=True)
            statements += answer.statements
            if answer.generation == known.generation:
                # Nothing that decides memberships changed between reading them and reading the data.
                return answer.data, statements
            known = await self._memberships(identity)
            statements += 1
        return None  # access keeps changing under this caller: the resolvers answer, in one transaction

    async def _memberships(self, identity: Identity) -> Caller:
        """The caller's memberships read afresh, and the scope they give, remembered with their generation."""
        read = await self.reads.memberships(membership_query(identity))
        principal = principal_of(identity, json.loads(read.rows))
        return self.callers.remember(identity, principal, scope_for(principal), read.generation, read.seconds_left)

    def _statement(
        self, operation: Operation, variables: Mapping[str, Any] | None, access: Scope, principal: Principal
    ) -> Statement | None:
        """The compiled statement, or None when the request is for the resolvers (remembered either way, with
        the reason, which the request's record is told)."""
        made = self._remembered(operation, variables, access, principal)
        if isinstance(made, Declined):
            note_fallback(made.reason)
            return None
        return made

    def _remembered(
        self, operation: Operation, variables: Mapping[str, Any] | None, access: Scope, principal: Principal
    ) -> Statement | Declined:
        if not operation.variables_key:
            return self._compiled(operation, variables, access, principal)
        # `viewer` makes the read the caller's own: such a statement is never another caller's, whatever its scope.
        # (A document that does not spell the field cannot select it.)
        own = principal if "viewer" in operation.document.text else None
        key = (operation.document.text, operation.name, operation.variables_key, access, own)
        known = self._statements.get(key)
        if known is not None:
            return known[0]
        compiled = self._compiled(operation, variables, access, principal)
        size = (
            _ENTRY_BYTES
            + 2 * (len(operation.document.text) + len(operation.variables_key))
            + _statement_bytes(compiled)
        )
        if size <= self._statements.maxsize:
            self._statements[key] = (compiled, size)
        return compiled

    @property
    def cached_bytes(self) -> int:
        """The estimated memory the cached statements and recipes take."""
        return int(self._statements.currsize + self._recipes.currsize)

    def _compiled(
        self, operation: Operation, variables: Mapping[str, Any] | None, access: Scope, principal: Principal
    ) -> Statement | Declined:
        try:
            executor = self.planner.executor(
                operation.document.node, dict(variables) if variables else None, operation.name
            )
            read = self.planner.plan(executor, access, principal)
        except Unsupported as why:
            logger.debug("not compiled: %s", why)
            return Declined(str(why))
        # Reads of one shape share one rendering; their values are bound by the shape's recipe.
        shape, values = split(read)
        known = self._recipes.get(shape)
        if known is None:
            made = recipe(read)
            # The shape (the key) is about as large as the recipe's SQL.
            known = (made, _ENTRY_BYTES + 3 * len(made.sql) if made is not None else _ENTRY_BYTES)
            if known[1] <= self._recipes.maxsize:
                self._recipes[shape] = known
        cooked = known[0]
        return cooked.statement(values) if cooked is not None else render(read)


def same_answer(compiled: bytes, reference: Mapping[str, Any]) -> bool:
    """Whether the compiled `data` is the resolvers' response, fields in the same order."""
    same: bool = _ordered(b'{"data":' + compiled + b"}") == _ordered(json.dumps(reference).encode())
    return same


def _ordered(content: bytes) -> Any:
    """JSON with objects as lists of pairs: two answers are the same only with their fields in the same order."""
    return json.loads(content, object_pairs_hook=list)
