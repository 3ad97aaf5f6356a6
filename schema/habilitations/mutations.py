"""Granting habilitations and suspending, reinstating or revoking them. Refusals come as `errors`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from db.graph import mapping as m
from db.models.enums import HabilitationStatus as S
from db.models.enums import Role as R
from db.writes import checks
from db.writes.checks import Invalid
from db.writes.organisations.habilitations import grant_habilitation, move_habilitation
from db.writes.outcome import Outcome
from schema.context import Info
from schema.enums import Role
from schema.habilitations.types import Habilitation
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.write_inputs import node_key


@strawberry.input(
    description="A role to grant to an identity within an organisation. It counts from that identity's next "
    "request. With an `idempotencyKey`, a retry gets the habilitation the first request granted."
)
class GrantHabilitationInput:
    organisation_id: strawberry.ID = strawberry.field(description="The organisation the role is held in.")
    issuer: str = strawberry.field(description="The identity's provider, exactly as its tokens name it (iss).")
    subject: str = strawberry.field(description="The identity at that provider (sub), 1–255 characters.")
    email: str = strawberry.field(description="The person's e-mail address.")
    role: Role = strawberry.field(description="The role; it must count in an organisation of that kind.")
    expires_at: datetime | None = strawberry.field(
        default=None, description="When it stops counting (in the future, with a time zone); null: never."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(description="A habilitation to move along its states, at the version the client read.")
class ChangeHabilitationInput:
    id: strawberry.ID = strawberry.field(description="The habilitation's ID.")
    version: int = strawberry.field(description="The version the client read; the change fails if it moved on.")


@strawberry.type(description="The outcome of a change to a habilitation: the habilitation, or why nothing changed.")
class HabilitationPayload:
    habilitation: Habilitation | None = strawberry.field(
        description="The habilitation as it now is; null when the change was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


def _grant_values(data: GrantHabilitationInput) -> dict[str, Any]:
    issuer = checks.text("issuer", data.issuer, 500, line=True)
    if not issuer.startswith(("https://", "http://")):
        raise Invalid("issuer", "habilitation.issuer")
    return {
        "organisation_id": int(node_key("organisation_id", data.organisation_id, m.ORGANISATION)),
        "issuer": issuer,
        "subject": checks.text("subject", data.subject, 255, line=True),
        "email": checks.email("email", data.email),
        "role": R(data.role).value,
        "expires_at": None if data.expires_at is None else checks.future("expires_at", data.expires_at),
    }


def _payload(outcome: Outcome) -> HabilitationPayload:
    habilitation = from_row(Habilitation, outcome.row) if outcome.row is not None else None
    return HabilitationPayload(habilitation=habilitation, errors=errors_of(outcome))


async def _move(info: Info, data: ChangeHabilitationInput, target: S) -> HabilitationPayload:
    outcome = await run(
        info,
        lambda: int(node_key("id", data.id, m.HABILITATION)),
        lambda database, habilitation_id, actor: move_habilitation(
            database, habilitation_id, data.version, target, actor
        ),
    )
    return _payload(outcome)


@strawberry.type
class HabilitationMutations:
    @strawberry.mutation(
        description="Grant a role to an identity within an organisation: its admins and the Caf managers of its "
        "department may, a role that counts in that kind of organisation, never to themselves, and none that "
        "would let its holder read or change more than they may themselves. Refusals come as `errors`."
    )
    async def grant_habilitation(self, info: Info, input: GrantHabilitationInput) -> HabilitationPayload:
        outcome = await run(
            info,
            lambda: _grant_values(input),
            lambda database, values, actor: grant_habilitation(database, values, actor, input.idempotency_key),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Suspend an active habilitation: it stops counting from the identity's next request. "
        "ILLEGAL_TRANSITION unless it is active."
    )
    async def suspend_habilitation(self, info: Info, input: ChangeHabilitationInput) -> HabilitationPayload:
        return await _move(info, input, S.SUSPENDED)

    @strawberry.mutation(
        description="Reinstate a suspended habilitation: it counts again. ILLEGAL_TRANSITION unless it is suspended."
    )
    async def reinstate_habilitation(self, info: Info, input: ChangeHabilitationInput) -> HabilitationPayload:
        return await _move(info, input, S.ACTIVE)

    @strawberry.mutation(
        description="Revoke a habilitation, for good: it stops counting from the identity's next request and is "
        "kept for the record; the role can be granted again as a new habilitation. ILLEGAL_TRANSITION once revoked."
    )
    async def revoke_habilitation(self, info: Info, input: ChangeHabilitationInput) -> HabilitationPayload:
        return await _move(info, input, S.REVOKED)
