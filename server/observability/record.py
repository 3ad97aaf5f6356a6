"""The record of the request under way, filled by whichever layer learns something about it.

It lives in a context variable: the GraphQL view names the operation and the caller's organisation, the
database hooks count statements (in the tasks resolvers run in, which copy the context), and the
middleware that opened it logs, measures and closes it.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar
from dataclasses import dataclass

# An incoming X-Request-Id is kept when it could not smuggle anything into a log line or a header.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is sane, a new random one otherwise."""
    if header is not None and _SANE_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)


@dataclass
class RequestRecord:
    request_id: str
    method: str
    path: str
    operation_name: str | None = None
    organisation: str | None = None  # "key:value" as the token names it; None: anonymous
    statements: int = 0
    graphql_errors: bool = False
    compiled_fallback: str | None = None  # why the compiled reads left a query to the resolvers
    status: int | None = None

    @property
    def outcome(self) -> str:
        """`ok`, `errors` (a GraphQL response carrying errors), `refused` (4xx), `unavailable` (503), `failed`."""
        if self.status is None or self.status >= 500:
            return "unavailable" if self.status == 503 else "failed"
        if self.status >= 400:
            return "refused"
        return "errors" if self.graphql_errors else "ok"


_current: ContextVar[RequestRecord | None] = ContextVar("maillage_request", default=None)


def current_record() -> RequestRecord | None:
    return _current.get()


def note_fallback(reason: str) -> None:
    """Say, for the request's log line and metrics, why the compiled reads left its query to the resolvers."""
    record = _current.get()
    if record is not None:
        record.compiled_fallback = reason


def current_request_id() -> str | None:
    record = _current.get()
    return record.request_id if record else None
