"""What every mutation's payload shares: its typed errors.

Expected refusals are part of each payload (`errors`), never GraphQL errors: a client reads them like
data (`schema.mutation.run` makes them of the input's and the writes' refusals).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from db.writes.outcome import Outcome, Refusal, camel
from schema.messages import parameters_data, text


@strawberry.enum(
    description="Why a change was refused. NOT_FOUND: no such row, or one you may not see. FORBIDDEN: you may "
    "not make this change. CONFLICT: it changed since the version you read; read it again, then retry. "
    "INVALID: the input breaks a rule of the domain. ILLEGAL_TRANSITION: the workflow does not go from the "
    "current status to that one. IN_USE: other rows still need this one. KEY_REUSED: the idempotency key was "
    "already used for a different request."
)
class MutationErrorCode(StrEnum):
    NOT_FOUND = Refusal.NOT_FOUND.value
    FORBIDDEN = Refusal.FORBIDDEN.value
    CONFLICT = Refusal.CONFLICT.value
    INVALID = Refusal.INVALID.value
    ILLEGAL_TRANSITION = Refusal.ILLEGAL_TRANSITION.value
    IN_USE = Refusal.IN_USE.value
    KEY_REUSED = Refusal.KEY_REUSED.value


@strawberry.type(description="A refused change: which input field, why, and what to do.")
class MutationError:
    field: str | None = strawberry.field(description="The input field at fault (camelCase), when one is.")
    code: MutationErrorCode = strawberry.field(description="Why the change was refused.")
    message: str = strawberry.field(
        description="What is wrong, for a person: in French, or in English when the request's Accept-Language "
        "prefers it."
    )
    current_version: int | None = strawberry.field(
        default=None, description="With CONFLICT: the version the row is at now; read it again before retrying."
    )
    message_id: str = strawberry.field(
        default="",
        description="The message's id in the catalogue (e.g. `text.length`), stable across languages and "
        "wordings: with `parameters`, what a client needs to word its own message.",
    )
    parameters: JSON = strawberry.field(
        default_factory=dict,
        description="What the message puts in, as data: an object of named values (`field`, `maximum`, "
        "`currentVersion`, `missing`...). Days in ISO 8601, amounts as decimal text, lists as arrays.",
    )


def error(
    code: Refusal,
    field: str | None,
    message: str,
    current_version: int | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> MutationError:
    """A refusal, worded in the request's language: `message` is its id in the catalogue."""
    parameters = dict(parameters or {})
    if field:
        parameters.setdefault("field", camel(field))
    if current_version is not None:
        parameters.setdefault("currentVersion", current_version)
    return MutationError(
        field=camel(field) if field else None,
        code=MutationErrorCode(code.value),
        message=text(message, parameters),
        current_version=current_version,
        message_id=message,
        parameters=cast(JSON, parameters_data(parameters)),
    )


def errors_of(outcome: Outcome) -> list[MutationError]:
    if outcome.refusal is None:
        return []
    return [error(outcome.refusal, outcome.field, outcome.message, outcome.current_version, outcome.parameters)]
