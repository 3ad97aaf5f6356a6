"""Refusals shaped as GraphQL responses, whichever layer refuses: clients parse one error format.

Their messages come from the catalogue (schema/messages), in the request's language, with the message id and
its parameters beside them, as every other error of the service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from schema.messages import parameters_data, text

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def graphql_error_response(
    status: int,
    message_id: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    code: str,
    headers: Mapping[str, str] | None = None,
    media_type: str = JSON,
    extensions: Mapping[str, object] | None = None,
) -> JSONResponse:
    """`{"errors": [{"message", "extensions": {"code", ..., "messageId", "parameters"}}]}` with `status`: no
    `data`, since nothing was executed. The message is `message_id` of the catalogue, in the request's language."""
    error = {
        "message": text(message_id, parameters),
        "extensions": {
            "code": code,
            **(extensions or {}),
            "messageId": message_id,
            "parameters": parameters_data(parameters or {}),
        },
    }
    return JSONResponse(
        {"errors": [error]}, status_code=status, headers=headers, media_type=f"{media_type}; charset=utf-8"
    )
