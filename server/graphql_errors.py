"""Refusals shaped as GraphQL responses, whichever layer refuses: clients parse one error format."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def graphql_error_response(
    status: int,
    message: str,
    *,
    code: str,
    headers: Mapping[str, str] | None = None,
    media_type: str = JSON,
    extensions: Mapping[str, object] | None = None,
) -> JSONResponse:
    """`{"errors": [{"message", "extensions": {"code", ...}}]}` with `status`: no `data`, since nothing was executed."""
    body = {"errors": [{"message": message, "extensions": {"code": code, **(extensions or {})}}]}
    return JSONResponse(body, status_code=status, headers=headers, media_type=f"{media_type}; charset=utf-8")
