"""Errors a client causes on purpose-built checks: typed, naming the argument at fault."""

from __future__ import annotations

from graphql import GraphQLError


class InputError(GraphQLError):
    """A bad argument: the message says what is wrong; `extensions.argument` names it."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT", "argument": argument})
