"""Errors a client causes on purpose-built checks: typed, naming the argument at fault."""

from __future__ import annotations

from typing import Any

from schema.messages.errors import MessageError


class InputError(MessageError):
    """A bad argument: `message` is the id of what is wrong in the catalogue, `parameters` what it puts in;
    `extensions.argument` names the argument (and so does the parameter `argument`)."""

    def __init__(self, argument: str, message: str, **parameters: Any) -> None:
        super().__init__(
            message, {"argument": argument, **parameters}, code="BAD_USER_INPUT", extensions={"argument": argument}
        )
