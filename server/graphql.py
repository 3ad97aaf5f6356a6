"""The /graphql endpoint: Strawberry over Starlette, with one database session per request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from db.session import RequestDatabase
from schema import schema
from schema.context import Context
from server.access import enter_request_scope
from server.authentication import AuthenticatedCaller
from server.graphiql import page_response
from server.http_protocol import GraphQLOverHTTP


class MaillageGraphQL(GraphQLOverHTTP):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self._sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The session (and so its connection) lives exactly as long as the request.
        async with self._sessions() as session:
            database = RequestDatabase(session)
            scope.setdefault("state", {})["database"] = database
            try:
                await super().__call__(scope, receive, send)
            finally:
                await database.close()

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL from the service's own files, never a CDN's (server/graphiql.py).
        return page_response()

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # The one place a request's writes are committed: only when the whole operation succeeded. Any
        # error, expected or not, leaves the session to roll back when it closes: no half write survives.
        if not result.errors:
            await request.state.database.commit_if_written()
        return await super().process_result(request, result)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request), "subscriptions are not served"
        caller = request.user.caller if isinstance(request.user, AuthenticatedCaller) else None
        database: RequestDatabase = request.state.database
        # Before any resolver runs: the transaction takes the caller's scope and the service role.
        principal, access = await enter_request_scope(database, caller)
        return Context(request=request, database=database, identity=caller, access=access, principal=principal)
