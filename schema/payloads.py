"""What every mutation's payload shares: its typed errors.

Expected refusals are part of each payload (`errors`), never GraphQL errors: a client reads them like
data (`schema.mutation.run` makes them of the input's and the writes' refusals).
"""

from __future__ import annotations

from enum import StrEnum

import strawberry

from db.writes.outcome import Outcome, Refusal, camel


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
    message: str = strawberry.field(description="What is wrong, for a person.")
    current_version: int | None = strawberry.field(
        default=None, description="With CONFLICT: the version the row is at now; read it again before retrying."
    )


def error(code: Refusal, field: str | None, message: str, current_version: int | None = None) -> MutationError:
    return MutationError(
        field=camel(field) if field else None,
        code=MutationErrorCode(code.value),
        message=message,
        current_version=current_version,
    )


def errors_of(outcome: Outcome) -> list[MutationError]:
    if outcome.refusal is None:
        return []
    return [error(outcome.refusal, outcome.field, outcome.message, outcome.current_version)]
