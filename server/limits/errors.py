"""The error an operation over a limit gets."""

from __future__ import annotations

from graphql import GraphQLError


class LimitExceeded(GraphQLError):
    """An operation over one of the service's limits: `extensions` says which, the limit and the value."""

    def __init__(self, code: str, limit_name: str, *, limit: int, value: int, message: str) -> None:
        super().__init__(message, extensions={"code": code, "limit": limit_name, "maximum": limit, "value": value})
