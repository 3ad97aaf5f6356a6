"""The error an operation over a limit gets."""

from __future__ import annotations

from schema.messages.errors import MessageError

# The message of each limit, in the catalogue.
MESSAGES = {
    "tokens": "limit.tokens",
    "depth": "limit.depth",
    "introspection": "limit.introspection",
    "aliases": "limit.aliases",
    "cost": "limit.cost",
}


class LimitExceeded(MessageError):
    """An operation over one of the service's limits: `extensions` says which, the limit and the value; the
    message is the catalogue's `limit.<name>`, its parameters `maximum` and `value`."""

    def __init__(self, code: str, limit_name: str, *, limit: int, value: int) -> None:
        super().__init__(
            MESSAGES[limit_name],
            {"maximum": limit, "value": value},
            code=code,
            extensions={"limit": limit_name, "maximum": limit, "value": value},
        )
