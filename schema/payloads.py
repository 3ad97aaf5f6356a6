"""What every mutation shares: its typed errors, who is acting, and running its writes as one change.

Expected refusals are part of each payload (`errors`), never GraphQL errors: a client reads them like
data. Each mutation's writes run in a savepoint (`RequestDatabase.change`): a refused mutation leaves
nothing behind, even next to a successful one in the same operation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

import strawberry

from db.writes.audit import Actor
from db.writes.outcome import Outcome, Refusal, camel
from schema.context import Info
from schema.loaders import GraphLoaders


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


def actor_of(info: Info) -> Actor:
    """Who the audit trail will say made the change."""
    identity = info.context.identity
    organisations = sorted({membership.organisation_id for membership in info.context.principal.memberships})
    return Actor(
        issuer=identity.issuer if identity else None,
        subject=identity.subject if identity else None,
        organisation_id=organisations[0] if len(organisations) == 1 else None,
    )


async def change(info: Info, write: Callable[[], Awaitable[Outcome]]) -> Outcome:
    """Run one mutation's writes as one change: kept if it succeeds, undone if it is refused."""
    outcome = await info.context.database.change(write)
    if not outcome.refused:
        # The payload, and the mutations after this one, read what it wrote: not rows the loaders cached before.
        info.context.graph = GraphLoaders(info.context.database)
    return outcome
