"""What a client learns of an unexpected error: a code, and the request id to quote; never the error itself.

Two failures of the database are named rather than masked, since the client can act on them: the database
unreachable (try again shortly) and a statement stopped by the request's statement timeout (ask for less).
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from db.errors import is_database_unavailable, is_statement_timeout
from schema.messages.errors import MessageError

INTERNAL = "INTERNAL_SERVER_ERROR"
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
STATEMENT_TIMEOUT = "STATEMENT_TIMEOUT"

# Messages of the catalogue (schema/messages), worded in the request's language.
_MESSAGES = {
    INTERNAL: "server.unexpected",
    DATABASE_UNAVAILABLE: "server.database_unavailable",
    STATEMENT_TIMEOUT: "server.statement_stopped",
}


def failure_code(error: GraphQLError) -> str:
    original = error.original_error
    if original is not None and is_database_unavailable(original):
        return DATABASE_UNAVAILABLE
    if original is not None and is_statement_timeout(original):
        return STATEMENT_TIMEOUT
    return INTERNAL


class MaskUnexpectedErrors(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        code = failure_code(error)
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "")
        return MessageError(
            _MESSAGES[code],
            code=code,
            nodes=error.nodes,
            path=error.path,
            extensions={"requestId": request_id} if request_id else None,
        )
