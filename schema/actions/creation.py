"""Creating an action in a CTG, with its first partners and the objectives it serves. Refusals come as
`errors`; a retry with the same idempotency key returns the action the first request created."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from db.graph import mapping as m
from db.writes import checks
from db.writes.actions.creation import NewAction, create_action
from db.writes.checks import Invalid
from schema.actions.fields import NAME_LENGTH, action_fields, free_text, listed_keys
from schema.actions.payloads import ActionPayload, action_payload
from schema.context import Info
from schema.enums import Theme
from schema.mutation import run
from schema.write_inputs import node_key


@strawberry.input(description="A partner of an action: the organisation and its role in the action.")
class ActionPartnerInput:
    organisation_id: strawberry.ID = strawberry.field(description="The partner organisation's ID.")
    role: str | None = strawberry.field(default=None, description="Its role in the action, up to 200 characters.")


@strawberry.input(
    description="A new action of a CTG's plan. It starts as a draft. With an `idempotencyKey`, a retry of the "
    "same input returns the action the first request created."
)
class CreateActionInput:
    ctg_id: strawberry.ID = strawberry.field(description="The CTG whose plan the action joins.")
    title: str = strawberry.field(description="Title (intitulé), 1–300 characters once trimmed.")
    theme: Theme = strawberry.field(description="Field of family policy.")
    carrier_id: strawberry.ID = strawberry.field(description="The organisation carrying the action (porteur).")
    period_start: date = strawberry.field(description="First day.")
    period_end: date | None = strawberry.field(default=None, description="Last day, not before the first; null: open.")
    number: int | None = strawberry.field(
        default=None, description="Number within the CTG, from 1; left out: the next free one."
    )
    description: str | None = strawberry.field(default=None, description="What the action does (≤ 10,000 characters).")
    objectives: str | None = strawberry.field(default=None, description="Its own objectives (≤ 10,000 characters).")
    target_public: str | None = strawberry.field(default=None, description="Who it is for (≤ 10,000 characters).")
    budget: Decimal | None = strawberry.field(default=None, description="Total budget in euros, ≥ 0, in cents.")
    caf_funding: Decimal | None = strawberry.field(
        default=None, description="Caf funding in euros, ≥ 0 and ≤ budget, in cents."
    )
    partners: list[ActionPartnerInput] = strawberry.field(
        default_factory=list, description="Its partners (not its carrier), each once; at most 100."
    )
    objective_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Objectives it serves: the CTG's, or those of a national or departmental scheme above it.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Any string of 1–200 characters, unique to this request; send it again on retry."
    )


_COLUMNS = (
    "title",
    "theme",
    "period_start",
    "period_end",
    "number",
    "description",
    "objectives",
    "target_public",
    "budget",
    "caf_funding",
)


def _new_action(data: CreateActionInput) -> NewAction:
    carrier_id = node_key("carrier_id", data.carrier_id, m.ORGANISATION)
    fields = action_fields({"carrier_id": carrier_id, **{name: getattr(data, name) for name in _COLUMNS}})
    checks.bounded("partners", data.partners)
    partners = tuple(
        (
            f"partners[{index}]",
            node_key(f"partners[{index}].organisation_id", partner.organisation_id, m.ORGANISATION),
            free_text(f"partners[{index}].role", partner.role, NAME_LENGTH),
        )
        for index, partner in enumerate(data.partners)
    )
    checks.distinct("partners", [key for _at, key, _role in partners], suffix=".organisation_id")
    for at, key, _role in partners:
        if key == carrier_id:
            raise Invalid(f"{at}.organisation_id", "action.carrier_partner")
    objectives = listed_keys("objective_ids", data.objective_ids, m.OBJECTIVE)
    return NewAction(
        ctg_id=node_key("ctg_id", data.ctg_id, m.CTG),
        fields=fields,
        partners=partners,
        objectives=objectives,
        idempotency_key=checks.idempotency_key(data.idempotency_key),
    )


@strawberry.type
class ActionCreationMutations:
    @strawberry.mutation(
        description="Create an action in a CTG, as a draft: the Caf of the CTG's department and the CTG's local "
        "authority may. Refusals come as `errors`; the same `idempotencyKey` with another input is KEY_REUSED."
    )
    async def create_action(self, info: Info, input: CreateActionInput) -> ActionPayload:
        outcome = await run(
            info, lambda: _new_action(input), lambda database, new, actor: create_action(database, new, actor)
        )
        return action_payload(outcome)
