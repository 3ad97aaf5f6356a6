"""The /graphql endpoint: Strawberry over Starlette, with one database session per request.

A request goes through these steps, each a method below, in this order:

1. authenticate: done before the view, by the authentication middleware (server/authentication.py);
2. `parse_http_body`: the GraphQL-over-HTTP envelope (server/http_protocol.py);
3. `resolve_document`: the text to run, the request's own or a trusted document it names by hash;
4. `prepare`: parse and validate (cached), the operation limits, the variables coerced (server/operation.py);
5. `answer_compiled`: a query the compiler covers is answered by one statement building its JSON
   (server/compiled.py), and the request ends there;
6. `get_context`: the caller resolved and the transaction put in its scope, the first SQL of the request;
7. `execute`: the operation run by Strawberry; then the one commit point (`process_result`).

Nothing before step 5 runs SQL, except a trusted document's first lookup: a request over a limit, or that
does not validate, costs the database nothing.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from graphql import GraphQLError, OperationType
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from auth.identity import Identity
from db.errors import is_database_unavailable
from db.session import RequestDatabase
from schema import schema
from schema.context import Context
from schema.masking import DATABASE_UNAVAILABLE, STATEMENT_TIMEOUT
from server.access import enter_request_scope
from server.authentication import AuthenticatedCaller
from server.callers import Callers
from server.compiled import CompiledQueries, StatementTimedOut, same_answer
from server.graphiql import page_response
from server.graphql_errors import JSON
from server.http_protocol import GraphQLOverHTTP, ProtocolError
from server.observability.record import current_record
from server.operation import Operation, OperationPreparer, RequestError
from server.trusted_documents import DocumentRefused, TrustedDocuments, requested_hash

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"


class MaillageGraphQL(GraphQLOverHTTP):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        graphiql: bool,
        preparer: OperationPreparer,
        documents: TrustedDocuments,
        statement_timeout_ms: int = 0,
        compiled: CompiledQueries | None = None,
        callers: Callers | None = None,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self._callers = callers
        self._sessions = sessions
        self._preparer = preparer
        self._documents = documents
        self._statement_timeout_ms = statement_timeout_ms
        self._compiled = compiled if compiled is not None and compiled.enabled else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The session (and so its connection) lives exactly as long as the request; it is made, and connects,
        # on first use.
        database = RequestDatabase(self._sessions)
        scope.setdefault("state", {})["database"] = database
        try:
            await super().__call__(scope, receive, send)
        finally:
            try:
                await database.dispose()
            except Exception as error:
                if not is_database_unavailable(error):
                    raise
                # The answer went out already; a rollback on a lost connection has nothing to undo.
                logger.warning("the request's connection was lost while closing: %s", type(error).__name__)

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL from the service's own files, never a CDN's (server/graphiql.py).
        return page_response()

    async def run(  # type: ignore[override]  # HTTP only: subscriptions are not served
        self, request: Request, context: Any = None, root_value: Any = None
    ) -> Response:
        adapter = self.request_adapter_class(request)
        if self.should_render_graphql_ide(adapter):
            return await self.render_graphql_ide(request)
        sub_response = await self.get_sub_response(request)
        data = await self.parse_http_body(adapter)
        assert isinstance(data, GraphQLRequestData), "parse_json refuses batches"
        try:
            text = await self.resolve_document(request, data)
            operation = self.prepare(text, data)
        except RequestError as error:
            result: ExecutionResult = PreExecutionError(data=None, errors=error.errors)
        except DocumentRefused as error:
            result = PreExecutionError(data=None, errors=[error])
        else:
            if operation.is_mutation and request.method == "GET":
                # GET is safe by HTTP's definition: a mutation over it is refused before anything executes.
                raise ProtocolError(HTTPStatus.METHOD_NOT_ALLOWED, "protocol.mutation_get", {"Allow": "POST"})
            if operation.definition.operation is OperationType.SUBSCRIPTION:
                raise ProtocolError(HTTPStatus.BAD_REQUEST, "protocol.subscription_http")
            compiled = await self.answer_compiled(request, operation, data)
            if compiled is not None and self._compiled is not None and self._compiled.mode == "on":
                return self._compiled_response(compiled, sub_response)
            context = await self.get_context(request, sub_response)
            result = await self.execute(request, sub_response, context, data, operation)
            self._refuse_database_failure(result)
            response_data = await self.process_result(request, result)
            if compiled is not None and not same_answer(compiled, response_data):
                logger.error("compiled read differs from the resolvers: %r != %r", compiled[:2000], response_data)
                raise ProtocolError(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "server.compiled_mismatch",
                    code="COMPILED_READ_MISMATCH",
                )
            return self.create_response(response_data, sub_response)
        return self.create_response(await self.process_result(request, result), sub_response)

    async def answer_compiled(self, request: Request, operation: Operation, data: GraphQLRequestData) -> bytes | None:
        """The `data` of a query the compiler covers, as JSON, or None: the resolvers answer."""
        if self._compiled is None or operation.is_mutation:
            return None
        caller = request.user.caller if isinstance(request.user, AuthenticatedCaller) else None
        self._note_caller(caller)
        try:
            answered = await self._compiled.answer(operation, data.variables, caller)
        except StatementTimedOut as error:
            raise self._statement_timed_out() from error
        if answered is None:
            return None
        content, statements = answered
        if (record := current_record()) is not None and self._compiled.mode == "on":
            # In verify mode the answer sent is the resolvers': their statements are the ones counted.
            record.statements += statements
        return content

    def _compiled_response(self, content: bytes, sub_response: Response) -> Response:
        media_type = sub_response.media_type or JSON
        return Response(b'{"data":' + content + b"}", media_type=f"{media_type}; charset=utf-8")

    async def resolve_document(self, request: Request, data: GraphQLRequestData) -> str:
        """The document text the request runs: its `query`, or the registered document its hash names."""
        digest = requested_hash(await self._document_id(request), data.extensions)
        text = await self._documents.query_for(request.state.database, data.query, digest)
        if text is None:
            raise ProtocolError(HTTPStatus.BAD_REQUEST, "protocol.no_query")
        return text

    async def _document_id(self, request: Request) -> object:
        # Strawberry's request data has no documentId: read it from the parameters, or the body (read already).
        if request.method == "GET":
            return request.query_params.get("documentId")
        body = await request.body()
        if b'"documentId"' not in body:
            return None
        return self.parse_json(body).get("documentId")

    def prepare(self, text: str, data: GraphQLRequestData) -> Operation:
        """Parse, validate, check the limits; the record learns the operation's name once it is known."""
        operation = self._preparer.prepare(text, data.operation_name, data.variables)
        if (record := current_record()) is not None:
            record.operation_name = operation.name
        return operation

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request), "subscriptions are not served"
        caller = request.user.caller if isinstance(request.user, AuthenticatedCaller) else None
        database: RequestDatabase = request.state.database
        self._note_caller(caller)
        # Before any resolver runs: the transaction takes the caller's scope and the service role.
        principal, access = await enter_request_scope(
            database, caller, statement_timeout_ms=self._statement_timeout_ms, callers=self._callers
        )
        return Context(
            request=request,
            database=database,
            identity=caller,
            access=access,
            principal=principal,
            request_id=request.scope.get("state", {}).get("request_id", ""),
        )

    async def execute(
        self,
        request: Request,
        sub_response: Response,
        context: Context,
        data: GraphQLRequestData,
        operation: Operation,
    ) -> ExecutionResult:
        """Run the prepared operation through Strawberry (whose own parse and validation caches hit)."""
        return await self.execute_single(
            request=request,
            request_adapter=self.request_adapter_class(request),
            sub_response=sub_response,
            context=context,
            root_value=None,
            request_data=GraphQLRequestData(
                query=operation.document.text,
                variables=data.variables,
                operation_name=data.operation_name,
                extensions=data.extensions,
            ),
        )

    def _note_caller(self, caller: Identity | None) -> None:
        if (record := current_record()) is not None and caller is not None and caller.organisation:
            key, value = caller.organisation
            record.organisation = f"{key.value}:{value}"

    def _refuse_database_failure(self, result: ExecutionResult) -> None:
        """The database gone, or a statement stopped by the timeout: the whole request fails, in one clear error
        (what resolved before is not worth a partial answer, and nothing of it is committed)."""
        codes = {_code_of(error) for error in result.errors or []}
        if DATABASE_UNAVAILABLE in codes:
            raise _database_unavailable()
        if STATEMENT_TIMEOUT in codes:
            raise self._statement_timed_out()

    def _statement_timed_out(self) -> ProtocolError:
        return ProtocolError(
            HTTPStatus.GATEWAY_TIMEOUT,
            "server.statement_timeout",
            code=STATEMENT_TIMEOUT,
            parameters={"milliseconds": self._statement_timeout_ms},
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # The one place a request's writes are committed: only when the whole operation succeeded. Any
        # error, expected or not, leaves the session to roll back when it closes: no half write survives.
        if not result.errors:
            await request.state.database.commit_if_written()
        elif (record := current_record()) is not None:
            record.graphql_errors = True
        return await super().process_result(request, result)

    def failure_response(self, request: Request, error: Exception) -> Response:
        if is_database_unavailable(error):
            down = _database_unavailable()
            return self._refusal(request, down.status, down.message_id, down.headers, code=down.code)
        return super().failure_response(request, error)


def _code_of(error: GraphQLError) -> object:
    return (error.extensions or {}).get("code")


def _database_unavailable() -> ProtocolError:
    return ProtocolError(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "server.database_unavailable",
        {"Retry-After": RETRY_AFTER_SECONDS},
        code=DATABASE_UNAVAILABLE,
    )
