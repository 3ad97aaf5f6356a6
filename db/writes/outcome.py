"""What a write returns: the row it wrote, or why it refused. Refusals are expected, never exceptions.

A refusal is data: its code, the input field at fault, a message id of the catalogue (schema/messages/*.po)
and the message's parameters. The schema words it in the caller's language; this layer never does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Refusal(StrEnum):
    NOT_FOUND = "NOT_FOUND"  # no such row, or one the caller may not see: the same answer
    FORBIDDEN = "FORBIDDEN"  # the caller sees the row but may not make this change
    CONFLICT = "CONFLICT"  # the row changed since the version the client read
    INVALID = "INVALID"  # the input breaks a rule of the domain
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"  # the workflow does not go from this status to that one
    IN_USE = "IN_USE"  # other rows still need this one
    KEY_REUSED = "KEY_REUSED"  # an idempotency key already used for another request


@dataclass(frozen=True)
class Outcome:
    """`row` on success; otherwise the refusal, the input field at fault (snake_case), the message id and its
    parameters."""

    row: Any | None = None
    refusal: Refusal | None = None
    field: str | None = None
    message: str = ""  # a message id of the catalogue
    current_version: int | None = None
    parameters: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.refusal is not None


def refused(
    refusal: Refusal, field: str | None, message: str, current_version: int | None = None, **parameters: Any
) -> Outcome:
    """A refusal: `message` is the id of its message in the catalogue, `parameters` what the message puts in
    (the field at fault, camelCase, is always one: `field`)."""
    if field is not None:
        parameters = {"field": camel(field), **parameters}
    if current_version is not None:
        parameters = {**parameters, "currentVersion": current_version}
    return Outcome(
        refusal=refusal, field=field, message=message, current_version=current_version, parameters=parameters
    )


@dataclass(frozen=True)
class Reason:
    """Why not, as data: a message id of the catalogue and its parameters (a state machine's answer, made a
    refusal by `because`)."""

    message: str
    parameters: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def transition(type_name: str, current: Any, target: Any, following: list[str]) -> Reason:
    """An illegal move of a state machine: what the row may do instead (`next`), or that it is final."""
    message = "transition.illegal" if following else "transition.final"
    return Reason(message, {"type": type_name, "current": current, "target": target, "next": following})


def because(refusal: Refusal, field: str | None, reason: Reason) -> Outcome:
    return refused(refusal, field, reason.message, **reason.parameters)


def camel(name: str) -> str:
    """An input field's GraphQL name, from its Python name (snake_case, dotted for nested inputs)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
