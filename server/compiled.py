"""The fast path of /graphql: a query the compiler covers is answered by one SQL statement whose result is
the response's JSON, sent as PostgreSQL wrote it; anything else goes on to the resolvers (server/graphql.py).

Only requests that are plainly a well-formed query take this path: GraphQL over HTTP as
server/http_protocol.py serves it, a document that parses and validates, an operation the planner
(schema/compiled/planner.py) covers with arguments the resolvers would accept. Anything in doubt, and any
failure of the statement, is left to the resolvers, whose answer is the reference: in `verify` mode both
paths answer and a difference is refused with a 500, never sent.

Three caches, all bounded: parsed and validated documents by text; compiled statements by (document,
operation, variables, caller scope); caller scopes by identity, re-checked against the caller's
memberships in the same round trip as each read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, parse, validate
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth.identity import Identity
from auth.policy import ANONYMOUS_SCOPE
from auth.policy import Scope as Access
from db.compiled.render import Statement, render
from db.compiled.session import ABSENT, CompiledReads
from db.compiled.shapes import Recipe, recipe, split
from schema import schema
from schema.compiled.planner import Planner, Unsupported
from server.access import membership_query, principal_of, scope_for
from server.authentication import AuthenticatedCaller
from server.body_limit import replay
from server.graphql_errors import JSON, graphql_error_response
from server.http_protocol import is_json_body, response_media_type

logger = logging.getLogger(__name__)


class CompiledEndpoint:
    """Wraps the GraphQL view: answers what it can compile, passes the rest through untouched."""

    def __init__(self, view: ASGIApp, reads: CompiledReads, *, mode: str) -> None:
        self.view = view
        self.reads = reads
        self.mode = mode
        self.planner = Planner(schema)
        self._documents: LRUCache[str, DocumentNode | None] = LRUCache(maxsize=512)
        self._statements: LRUCache[tuple[Any, ...], Statement | None] = LRUCache(maxsize=4096)
        self._recipes: LRUCache[Any, Recipe | None] = LRUCache(maxsize=1024)
        self._scopes: LRUCache[Identity, Access] = LRUCache(maxsize=10_000)
        self.answered = 0  # requests answered by a compiled statement
        self.declined = 0  # requests left to the resolvers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.mode == "off":
            await self.view(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body() if request.method == "POST" else b""
        data = await self._answer(request, body)
        receive = replay(body, receive)
        if data is None:
            self.declined += 1
            await self.view(scope, receive, send)
            return
        self.answered += 1
        media_type = response_media_type(request.headers.get("accept")) or JSON
        content = b'{"data":' + data + b"}"
        if self.mode == "verify":
            await self._verified(content, media_type, scope, receive, send)
            return
        response = Response(content, media_type=f"{media_type}; charset=utf-8")
        await response(scope, receive, send)

    # What the request asks.

    def _request(self, request: Request, body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
        """(query, variables, operation name) of a plain GraphQL-over-HTTP query request, else None."""
        if response_media_type(request.headers.get("accept")) is None:
            return None
        if request.method == "POST":
            if not is_json_body(request.headers.get("content-type")):
                return None
            try:
                payload = json.loads(body)
            except (ValueError, RecursionError):
                return None
        elif request.method == "GET" and "query" in request.query_params:
            payload = dict(request.query_params)
            if "text/html" in request.headers.get("accept", "") and not payload.get("query"):
                return None
            try:
                if "variables" in payload:
                    payload["variables"] = json.loads(payload["variables"])
            except (ValueError, RecursionError):
                return None
        else:
            return None
        if not isinstance(payload, dict) or set(payload) - {"query", "variables", "operationName"}:
            return None  # extensions (persisted documents...) are the resolvers' path's business
        query, variables, operation = payload.get("query"), payload.get("variables"), payload.get("operationName")
        if not isinstance(query, str) or not isinstance(variables, dict | None):
            return None
        if not isinstance(operation, str | None) or operation == "":
            return None
        return query, variables, operation

    def _document(self, query: str) -> DocumentNode | None:
        if query in self._documents:
            return self._documents[query]
        try:
            document: DocumentNode | None = parse(query)
            if validate(schema._schema, document):  # type: ignore[arg-type]
                document = None
        except GraphQLError:
            document = None
        self._documents[query] = document
        return document

    # Answering.

    async def _answer(self, request: Request, body: bytes) -> bytes | None:
        asked = self._request(request, body)
        if asked is None:
            return None
        query, variables, operation = asked
        identity = request.user.caller if isinstance(request.user, AuthenticatedCaller) else None
        try:
            access = await self._scope(identity)
            statement = self._statement(query, variables, operation, access)
            if statement is None:
                return None
            memberships = membership_query(identity) if identity is not None else None
            answer = await self.reads.read(statement, access.settings(), memberships)
            if identity is not None:
                assert answer.memberships is not None, "asked for"
                now = scope_for(principal_of(identity, answer.memberships))
                if now != access:
                    # The caller's rights changed since its scope was cached: read again, in the new one.
                    self._scopes[identity] = now
                    statement = self._statement(query, variables, operation, now)
                    if statement is None:
                        return None
                    answer = await self.reads.read(statement, now.settings(), None)
        except Exception as error:
            # The resolvers answer instead, and report whatever is wrong the way they always do.
            if getattr(error, "sqlstate", None) != ABSENT:
                logger.warning("compiled read failed, answering with the resolvers", exc_info=True)
            return None
        return answer.data

    async def _scope(self, identity: Identity | None) -> Access:
        if identity is None:
            return ANONYMOUS_SCOPE
        known = self._scopes.get(identity)
        if known is None:
            rows = await self.reads.memberships(membership_query(identity))
            known = self._scopes[identity] = scope_for(principal_of(identity, rows))
        return known

    def _statement(
        self, query: str, variables: Mapping[str, Any] | None, operation: str | None, access: Access
    ) -> Statement | None:
        """The compiled statement, or None when the request is for the resolvers (remembered either way)."""
        key = (query, operation, json.dumps(variables, sort_keys=True, separators=(",", ":")), access)
        if key in self._statements:
            return self._statements[key]
        compiled = self._statements[key] = self._compiled(query, variables, operation, access)
        return compiled

    def _compiled(
        self, query: str, variables: Mapping[str, Any] | None, operation: str | None, access: Access
    ) -> Statement | None:
        document = self._document(query)
        if document is None:
            return None
        try:
            executor = self.planner.executor(document, dict(variables) if variables else None, operation)
            read = self.planner.plan(executor, access)
        except Unsupported as why:
            logger.debug("not compiled: %s", why)
            return None
        # Reads of one shape share one rendering; their values are bound by the shape's recipe.
        shape, values = split(read)
        if shape not in self._recipes:
            self._recipes[shape] = recipe(read)
        cooked = self._recipes[shape]
        return cooked.statement(values) if cooked is not None else render(read)

    # Verify mode.

    async def _verified(self, content: bytes, media_type: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer with the resolvers' response, after checking that the compiled one is the same JSON."""
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.view(scope, receive, keep)
        reference = b"".join(
            message.get("body", b"") for message in messages if message["type"] == "http.response.body"
        )
        if _ordered(reference) != _ordered(content):
            logger.error("compiled read differs from the resolvers: %s != %s", content[:2000], reference[:2000])
            response = graphql_error_response(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "the compiled read differs from the resolvers' answer",
                code="COMPILED_READ_MISMATCH",
                media_type=media_type,
            )
            await response(scope, receive, send)
            return
        for message in messages:
            await send(message)


def _ordered(content: bytes) -> Any:
    """JSON with objects as lists of pairs: two answers are the same only with their fields in the same order."""
    return json.loads(content, object_pairs_hook=list)
