"""GraphQL over HTTP as the GraphQL Foundation's specification defines it, on top of Strawberry's ASGI view.

Strawberry 0.341 parses GET and POST requests, refuses a mutation over GET and a missing `query`, and
executes; it always answers `application/json` with 200, and refuses in plain text. This view adds:

- the response media type negotiated from `Accept`: `application/graphql-response+json` when the client
  names it, `application/json` for legacy clients (no `Accept`, or only wildcards), 406 when neither is
  acceptable;
- status codes by media type: with `application/graphql-response+json`, a request error (the document does
  not parse or validate, the operation cannot be determined, the variables do not coerce) is a 400 without
  `data`; with `application/json` every well-formed request gets 200, as legacy clients expect;
- 415 for a POST body that is not JSON, 400 for a body that is not one JSON object, 405 with `Allow: POST`
  for a mutation over GET, 405 for any method but GET and POST;
- every refusal as a GraphQL-shaped JSON body, and GraphiQL only for a browser asking for HTML.

The checks that need only the headers run first, before the request's database session is used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from schema.context import Context
from schema.messages.errors import MessageError
from server.graphql_errors import GRAPHQL_RESPONSE_JSON, JSON, graphql_error_response

logger = logging.getLogger(__name__)

_METHODS = ("GET", "POST")
_UTF8 = ("utf-8", "utf8")


class ProtocolError(Exception):
    """A request this endpoint refuses before or instead of executing it."""

    def __init__(
        self,
        status: HTTPStatus,
        message_id: str,
        headers: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message_id)
        self.status = status
        self.message_id = message_id  # the catalogue's (schema/messages), worded in the request's language
        self.parameters = dict(parameters or {})
        self.headers = headers
        self.code = code or status.name


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality; a range with a charset other than UTF-8, or an
    unreadable quality, matches nothing the endpoint serves and is left out."""
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        usable = bool(media_range)
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    usable = False
            elif name == "charset" and value not in _UTF8:
                usable = False
        if usable:
            ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """How much the client wants `media_type`: the quality of the most specific range matching it (RFC 9110,
    12.5.1), and that specificity: 2 when named, 1 for `application/*`, 0 for `*/*`."""
    matches = [
        (specificity, quality)
        for media_range, quality in ranges
        for specificity, pattern in ((2, media_type), (1, "application/*"), (0, "*/*"))
        if media_range == pattern
    ]
    if not matches:
        return 0.0, -1
    specificity, quality = max(matches, key=lambda match: match[0])
    return quality, specificity


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither (406).

    No header at all means a legacy client: `application/json`, as the specification says until clients have
    moved over. Otherwise the highest quality wins; between equals, a type the client named over one a
    wildcard matched; between two named, `application/graphql-response+json`, the specification's preferred
    type. A wildcard alone (`*/*`, what browsers' fetch and curl send) says nothing of GraphQL: legacy JSON.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = _media_ranges(accept)
    candidates = []
    for media_type in (JSON, GRAPHQL_RESPONSE_JSON):  # max() keeps the first of equals: JSON for wildcards
        quality, specificity = _quality(media_type, ranges)
        named_modern = media_type == GRAPHQL_RESPONSE_JSON and specificity == 2
        if quality > 0:
            candidates.append(((quality, specificity, named_modern), media_type))
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: candidate[0])[1]


@lru_cache(maxsize=64)
def is_json_body(content_type: str | None) -> bool:
    """A POST body this endpoint reads: JSON, in UTF-8. (Clients send the same few headers: parsing one, with
    the standard library's e-mail header parser, costs more than a small compiled read.)"""
    media_type, parameters = parse_content_type(content_type or "")
    return media_type.lower() == JSON and parameters.get("charset", "utf-8").lower() in _UTF8


def _is_request_error(result: ExecutionResult) -> bool:
    """Nothing was executed: no data, and no error belongs to a field (field errors always carry a path, the
    GraphQL specification's own mark of the difference)."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


# Strawberry's own refusals, by the English reason it gives, as messages of the catalogue.
_STRAWBERRY_MESSAGES = {
    "No GraphQL query found in the request": "protocol.no_query",
    "Unable to parse request body as JSON": "protocol.json",
    "GraphQL only supports GET and POST requests.": "protocol.method",
    "Unsupported content type": "protocol.content_type",
    "The GraphQL operation's `query` must be a string or null, if provided.": "protocol.query_type",
    "The GraphQL operation's `variables` must be an object or null, if provided.": "protocol.variables_type",
    "The GraphQL operation's `extensions` must be an object or null, if provided.": "protocol.extensions_type",
    "Batching is not enabled": "protocol.batch",
}


def _strawberry_message(reason: str) -> str:
    return _STRAWBERRY_MESSAGES.get(reason, "protocol.refused")


def _json_kind(value: object) -> str:
    # JSON's own names, not Python's: "list" means nothing to a JavaScript client.
    kinds = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "value")


class _RequestAdapter(StarletteRequestAdapter):
    @property
    def content_type(self) -> str | None:
        # Media types are case-insensitive (RFC 9110, 8.3.1); Strawberry compares them as given.
        content_type = super().content_type
        return content_type.lower() if content_type is not None else None


class GraphQLOverHTTP(GraphQL[Context, None]):
    request_adapter_class = _RequestAdapter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            self._check_envelope(request)
            response = await self.run(request)
        except ProtocolError as error:
            response = self._refusal(
                request, error.status, error.message_id, error.headers, code=error.code, parameters=error.parameters
            )
        except HTTPException as error:  # Strawberry's own refusals, otherwise answered in plain text
            response = self._refusal(request, HTTPStatus(error.status_code), _strawberry_message(error.reason))
        except Exception as error:
            response = self.failure_response(request, error)
        await response(scope, receive, send)

    def failure_response(self, request: Request, error: Exception) -> Response:
        """The answer to an exception nothing else handled: logged in full here (with the request id every log
        line carries); the client learns nothing of the server's insides but the id to quote."""
        logger.error("unexpected error serving %s %s", request.method, request.url.path, exc_info=error)
        return self._refusal(request, HTTPStatus.INTERNAL_SERVER_ERROR, "server.internal")

    def _check_envelope(self, request: Request) -> None:
        """What the method and headers alone decide, before the request's session is used."""
        if request.method not in _METHODS:
            raise ProtocolError(HTTPStatus.METHOD_NOT_ALLOWED, "protocol.method", {"Allow": ", ".join(_METHODS)})
        if self.should_render_graphql_ide(self.request_adapter_class(request)):
            return
        if response_media_type(request.headers.get("accept")) is None:
            raise ProtocolError(HTTPStatus.NOT_ACCEPTABLE, "protocol.accept")
        if request.method == "POST" and not is_json_body(request.headers.get("content-type")):
            raise ProtocolError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "protocol.content_type")

    def _refusal(
        self,
        request: Request,
        status: HTTPStatus,
        message_id: str,
        headers: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Response:
        media_type = response_media_type(request.headers.get("accept")) or JSON
        # A failure of the server's own carries the request id, for the client to quote and the logs to find.
        request_id = request.scope.get("state", {}).get("request_id") if status >= 500 else None
        return graphql_error_response(
            status,
            message_id,
            parameters,
            code=code or status.name,
            headers=headers,
            media_type=media_type,
            extensions={"requestId": request_id} if request_id else None,
        )

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # Only for a browser asking for HTML: a client sending `Accept: */*` without a query gets a 400 it
        # can read, not a page.
        return (
            self.graphql_ide is not None
            and request.method == "GET"
            and request.query_params.get("query") is None
            and "text/html" in request.headers.get("accept", "")
        )

    def parse_json(self, data: str | bytes) -> Any:
        # Strawberry lets through what json.loads raises besides JSONDecodeError (bytes that are not UTF-8,
        # nesting deeper than the recursion limit) and bodies that are not objects: all 400s.
        try:
            value = json.loads(data)
        except (ValueError, RecursionError) as error:
            raise ProtocolError(HTTPStatus.BAD_REQUEST, "protocol.json") from error
        if not isinstance(value, dict):
            raise ProtocolError(HTTPStatus.BAD_REQUEST, "protocol.json_object", parameters={"found": _json_kind(value)})
        return value

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        assert isinstance(data, GraphQLRequestData), "parse_json refuses batches"
        if data.operation_name == "":  # the specification's way of saying "no operation name" over GET
            data.operation_name = None
        if not isinstance(data.operation_name, str | None):
            raise ProtocolError(HTTPStatus.BAD_REQUEST, "protocol.operation_name")
        return data

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        # The two hooks Strawberry runs around one request are get_sub_response and create_response: the
        # negotiated media type travels from one to the other on the sub-response.
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept")) or JSON
        return sub_response

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as error:
            cause = error.__cause__
            if isinstance(cause, InvalidOperationTypeError) and cause.operation_type is OperationType.MUTATION:
                # GET is safe by HTTP's definition: a mutation over it is refused before anything executes.
                raise ProtocolError(
                    HTTPStatus.METHOD_NOT_ALLOWED, "protocol.mutation_get", {"Allow": "POST"}
                ) from error
            if isinstance(cause, CannotGetOperationTypeError):
                # GetOperation() failing is a request error of a well-formed request: a GraphQL response.
                refusal = MessageError("operation.not_chosen", code="OPERATION_RESOLUTION_FAILURE")
                return PreExecutionError(data=None, errors=[refusal])
            raise

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if _is_request_error(result):
            # The GraphQL specification: a request error's response has no `data` entry at all. With
            # application/graphql-response+json that absence is what makes it a 400 (create_response).
            response.pop("data", None)
        return response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        if media_type == GRAPHQL_RESPONSE_JSON and isinstance(response_data, dict) and "data" not in response_data:
            response.status_code = HTTPStatus.BAD_REQUEST
        return response
