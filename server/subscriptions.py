"""GraphQL subscriptions over WebSocket at /graphql: graphql-transport-ws, served by Strawberry.

- Authentication: the bearer token of the `connection_init` payload (`{"Authorization": "Bearer <token>"}`), or
  else of the handshake's `Authorization` header, verified by the same verifier as HTTP requests; none: anonymous.
  A token that does not verify closes the connection (4403). The token's `exp` ends every subscription of the
  connection (error TOKEN_EXPIRED), and a subscription asked for afterwards closes it (4403).
- Only subscriptions are served here (queries and mutations go over HTTP, with their one unit of work), within the
  same operation limits as HTTP, at most `MAX_SUBSCRIPTIONS` at once per connection.
- Each operation has a context of its own; each event of it is read in a fresh transaction in the caller's scope
  (schema/subscriptions/context.py). Changes come from the process's one listening connection (db/notifications/).
"""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError, OperationType
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.authentication import AuthenticationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage, SubscribeMessage
from strawberry.types.unset import UnsetType

from auth.identity import Identity
from db.notifications.feed import ChangeFeed
from db.session import RequestDatabase
from schema import schema
from schema.subscriptions.context import Live, SubscriberContext
from server.access import enter_request_scope
from server.authentication import BearerTokenBackend
from server.operation import OperationPreparer, RequestError

MAX_SUBSCRIPTIONS = 20
CONNECTION_INIT_WAIT = timedelta(seconds=10)
EXPIRED_REASON = "the access token has expired"


class _Handler(BaseGraphQLTransportWSHandler[SubscriberContext, None]):
    view: MaillageSubscriptions

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connection_context = self.context

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        live = self._connection_context.live
        if self.connection_acknowledged and live is not None and live.seconds_left() == 0:
            await self.websocket.close(code=4403, reason=EXPIRED_REASON)
            return
        if self.connection_acknowledged and message["id"] not in self.operations:
            refusal = self.view.refusal(message)
            if refusal is not None:
                await self.send_message(ErrorMessage(id=message["id"], type="error", payload=refusal))
                return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Any) -> None:
        # Its own context: its events put their own session and loaders in it, never another operation's.
        self.context = dataclasses.replace(self._connection_context)
        await super().run_operation(operation)


class MaillageSubscriptions(GraphQL[SubscriberContext, None]):
    graphql_transport_ws_handler_class = _Handler

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        feed: ChangeFeed,
        *,
        authentication: BearerTokenBackend,
        preparer: OperationPreparer,
        allowed_origins: list[str],
        statement_timeout_ms: int = 0,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_WAIT,
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
            allowed_origins=allowed_origins,
        )
        self._sessions = sessions
        self._feed = feed
        self._authentication = authentication
        self._preparer = preparer
        self._statement_timeout_ms = statement_timeout_ms

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> SubscriberContext:
        return SubscriberContext(
            request=request,
            # Never used: each event opens its own (schema/subscriptions/context.py).
            database=RequestDatabase(self._sessions),
            request_id=request.scope.get("state", {}).get("request_id", ""),
        )

    async def on_ws_connect(self, context: SubscriberContext) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("Authorization", params.get("authorization"))
        if header is None:
            header = context.request.headers.get("authorization")
        identity: Identity | None = None
        expires_at: float | None = None
        if header is not None:
            try:
                identity, expires_at = await self._authentication.caller(str(header))
            except AuthenticationError as error:
                raise ConnectionRejectionError() from error
            if expires_at is not None and expires_at <= time.time():
                raise ConnectionRejectionError()
        context.identity = identity
        context.live = Live(self._feed, self._open_database, self._enter_scope, expires_at)
        return {"expiresAt": int(expires_at)} if expires_at is not None else None

    def _open_database(self) -> RequestDatabase:
        return RequestDatabase(self._sessions)

    async def _enter_scope(self, database: RequestDatabase, identity: Identity | None) -> Any:
        return await enter_request_scope(database, identity, statement_timeout_ms=self._statement_timeout_ms)

    def refusal(self, message: SubscribeMessage) -> list[GraphQLFormattedError] | None:
        """Why a subscribe message is not run (as the errors sent back), or None: it is a subscription within the
        limits."""
        payload = message.get("payload") or {}
        query = payload.get("query")
        if not isinstance(query, str):
            return [GraphQLError("send the subscription's document as `query`").formatted]
        try:
            operation = self._preparer.prepare(query, payload.get("operationName"), payload.get("variables"))
        except RequestError as error:
            return [e.formatted for e in error.errors]
        if operation.definition.operation is not OperationType.SUBSCRIPTION:
            return [
                GraphQLError(
                    "only subscriptions are served over WebSocket: send queries and mutations over HTTP",
                    extensions={"code": "BAD_REQUEST"},
                ).formatted
            ]
        return None
