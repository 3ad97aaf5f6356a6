"""Changing what an action is made of: its partners, the objectives it serves, its indicators.

Those who change an action fully (the Caf of its department, its CTG's local authority) may. Each change
carries the action's `version` and moves it one version on; refusals come as `errors`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from db.graph import mapping as m
from db.writes import checks
from db.writes.actions.links import add_indicator, add_partner, remove_partner, set_objectives
from schema.actions.fields import NAME_LENGTH, UNIT_LENGTH, free_text, listed_keys
from schema.actions.payloads import (
    ActionPayload,
    IndicatorPayload,
    action_payload,
    indicator_payload,
)
from schema.context import Info
from schema.mutation import run
from schema.write_inputs import node_key


@strawberry.input(description="An action, at the version the client read.")
class ActionAtVersion:
    action_id: strawberry.ID = strawberry.field(description="The action's ID.")
    version: int = strawberry.field(
        description="The action's version the client read; the change fails if it moved on."
    )


@strawberry.input(description="A new partner of an action, from the action's version the client read.")
class AddActionPartnerInput(ActionAtVersion):
    organisation_id: strawberry.ID = strawberry.field(description="The organisation, which must not be the carrier.")
    role: str | None = strawberry.field(default=None, description="Its role in the action, up to 200 characters.")


@strawberry.input(description="A partner leaving an action, from the action's version the client read.")
class RemoveActionPartnerInput(ActionAtVersion):
    organisation_id: strawberry.ID = strawberry.field(description="The partner organisation.")


@strawberry.input(
    description="The objectives an action serves, all of them, from the action's version the client read."
)
class SetActionObjectivesInput(ActionAtVersion):
    objective_ids: list[strawberry.ID] = strawberry.field(
        description="Every objective it serves, each once (empty: none): the CTG's, or those of a national or "
        "departmental scheme above it."
    )


@strawberry.input(description="A new indicator of an action, from the action's version the client read.")
class AddActionIndicatorInput(ActionAtVersion):
    name: str = strawberry.field(description="What is measured, 1–200 characters once trimmed; unique in the action.")
    unit: str = strawberry.field(description='Unit ("familles", "heures", "%"), 1–50 characters once trimmed.')
    target: Decimal | None = strawberry.field(default=None, description="Target value, ≥ 0, in hundredths.")


def _indicator(data: AddActionIndicatorInput) -> dict[str, Any]:
    return {
        "name": checks.text("name", data.name, NAME_LENGTH),
        "unit": checks.text("unit", data.unit, UNIT_LENGTH),
        "target": None if data.target is None else checks.amount("target", data.target),
    }


@strawberry.type
class ActionLinkMutations:
    @strawberry.mutation(
        description="Add a partner organisation to an action, with its role (the Caf of the department or the "
        "CTG's local authority). Refusals come as `errors`."
    )
    async def add_action_partner(self, info: Info, input: AddActionPartnerInput) -> ActionPayload:
        outcome = await run(
            info,
            lambda: (
                node_key("action_id", input.action_id, m.ACTION),
                input.version,
                node_key("organisation_id", input.organisation_id, m.ORGANISATION),
                free_text("role", input.role, NAME_LENGTH),
            ),
            lambda database, checked_input, actor: add_partner(database, *checked_input, actor),
        )
        return action_payload(outcome)

    @strawberry.mutation(
        description="Remove a partner from an action (the Caf of the department or the CTG's local authority). "
        "Refusals come as `errors`."
    )
    async def remove_action_partner(self, info: Info, input: RemoveActionPartnerInput) -> ActionPayload:
        outcome = await run(
            info,
            lambda: (
                node_key("action_id", input.action_id, m.ACTION),
                input.version,
                node_key("organisation_id", input.organisation_id, m.ORGANISATION),
            ),
            lambda database, checked_input, actor: remove_partner(database, *checked_input, actor),
        )
        return action_payload(outcome)

    @strawberry.mutation(
        description="Set the objectives an action serves, replacing those it served (the Caf of the department "
        "or the CTG's local authority). Refusals come as `errors`."
    )
    async def set_action_objectives(self, info: Info, input: SetActionObjectivesInput) -> ActionPayload:
        outcome = await run(
            info,
            lambda: (
                node_key("action_id", input.action_id, m.ACTION),
                input.version,
                listed_keys("objective_ids", input.objective_ids, m.OBJECTIVE),
            ),
            lambda database, checked_input, actor: set_objectives(database, *checked_input, actor),
        )
        return action_payload(outcome)

    @strawberry.mutation(
        description="Add an indicator to an action (the Caf of the department or the CTG's local authority). "
        "Refusals come as `errors`."
    )
    async def add_action_indicator(self, info: Info, input: AddActionIndicatorInput) -> IndicatorPayload:
        outcome = await run(
            info,
            lambda: (node_key("action_id", input.action_id, m.ACTION), input.version, _indicator(input)),
            lambda database, checked_input, actor: add_indicator(database, *checked_input, actor),
        )
        return indicator_payload(outcome)
