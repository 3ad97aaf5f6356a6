"""Top-level GraphQL errors worded from the catalogue: `extensions.code`, `extensions.messageId` and
`extensions.parameters` beside a message rendered when the response is written, in the request's language
(an error cached with a parsed document is worded anew for each request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError, Node

from schema.messages import parameters_data, text


class MessageError(GraphQLError):
    def __init__(
        self,
        message_id: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        code: str,
        nodes: Node | list[Node] | None = None,
        path: list[str | int] | None = None,
        original_error: Exception | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        self.message_id = message_id
        self.parameters = dict(parameters or {})
        super().__init__(
            text(message_id, self.parameters),
            nodes=nodes,
            path=path,
            original_error=original_error,
            extensions={
                "code": code,
                **(extensions or {}),
                "messageId": message_id,
                "parameters": parameters_data(self.parameters),
            },
        )

    @property
    def formatted(self) -> GraphQLFormattedError:
        formatted = super().formatted
        formatted["message"] = text(self.message_id, self.parameters)
        return formatted
