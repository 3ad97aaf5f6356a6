"""Changing actions: their fields, their place in the workflow, archiving them; creating them and what they
are made of come from the sibling modules. Refusals come as `errors`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from db.graph import mapping as m
from db.writes import checks
from db.writes.actions.changes import archive_action, transition_action, update_action
from db.writes.checks import REASON_LENGTH, Invalid
from schema.actions.creation import ActionCreationMutations
from schema.actions.fields import action_fields
from schema.actions.indicator_values import IndicatorValueMutations
from schema.actions.links import ActionLinkMutations
from schema.actions.payloads import (
    ActionPayload,
    ArchiveActionPayload,
    action_payload,
    archive_payload,
)
from schema.context import Info
from schema.enums import ActionStatus, Theme
from schema.mutation import run
from schema.write_inputs import node_key


@strawberry.input(
    description="A change to an action. `version` is the one the client read (optimistic concurrency); fields "
    "left out are kept, fields given as null are cleared."
)
class UpdateActionInput:
    id: strawberry.ID = strawberry.field(description="The action's ID.")
    version: int = strawberry.field(description="The version the client read; the change fails if it moved on.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Title (intitulé), 1–300 characters.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the action does.")
    theme: Theme | None = strawberry.field(default=strawberry.UNSET, description="Field of family policy.")
    objectives: str | None = strawberry.field(default=strawberry.UNSET, description="The action's own objectives.")
    target_public: str | None = strawberry.field(default=strawberry.UNSET, description="Who it is for.")
    period_start: date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    period_end: date | None = strawberry.field(default=strawberry.UNSET, description="Last day; null: open-ended.")
    progress: int | None = strawberry.field(default=strawberry.UNSET, description="Progress in percent, 0–100.")
    budget: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Total budget in euros, ≥ 0.")
    caf_funding: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Caf funding in euros, ≥ 0 and ≤ budget."
    )


@strawberry.input(description="A move of an action along its workflow, from the version the client read.")
class TransitionActionInput:
    id: strawberry.ID = strawberry.field(description="The action's ID.")
    version: int = strawberry.field(description="The version the client read; the move fails if it moved on.")
    status: ActionStatus = strawberry.field(description="The status to move to.")
    reason: str | None = strawberry.field(
        default=None,
        description="Why (the grounds of a validation or rejection...), at most 2,000 characters; kept in the "
        "action's history.",
    )


@strawberry.input(description="An action to archive, at the version the client read.")
class ArchiveActionInput:
    id: strawberry.ID = strawberry.field(description="The action's ID.")
    version: int = strawberry.field(description="The version the client read; archiving fails if it moved on.")


_NOT_NULL = {"title", "theme", "period_start"}
_FIELDS = (
    "title",
    "description",
    "theme",
    "objectives",
    "target_public",
    "period_start",
    "period_end",
    "progress",
    "budget",
    "caf_funding",
)


def _changes(data: UpdateActionInput) -> tuple[int, int, dict[str, Any]]:
    action_id = node_key("id", data.id, m.ACTION)
    changes = {name: getattr(data, name) for name in _FIELDS if getattr(data, name) is not strawberry.UNSET}
    for name in sorted(_NOT_NULL & changes.keys()):
        checks.present(name, changes[name])
    if not changes:
        raise Invalid(None, "input.nothing")
    return action_id, data.version, action_fields(changes)


@strawberry.type
class ActionMutations(ActionCreationMutations, ActionLinkMutations, IndicatorValueMutations):
    @strawberry.mutation(
        description="Change an action. The carrier may change its description and progress; the Caf of its "
        "department and the local authority of its CTG may change everything. Refusals come as `errors`."
    )
    async def update_action(self, info: Info, input: UpdateActionInput) -> ActionPayload:
        outcome = await run(
            info,
            lambda: _changes(input),
            lambda database, update, actor: update_action(database, *update, actor),
        )
        return action_payload(outcome)

    @strawberry.mutation(
        description="Move an action along its workflow: draft → submitted → validated | rejected (the Caf) → "
        "in_progress → done | abandoned; a rejected action goes back to draft. Illegal moves come as "
        "ILLEGAL_TRANSITION errors, moves the caller may not make as FORBIDDEN."
    )
    async def transition_action(self, info: Info, input: TransitionActionInput) -> ActionPayload:
        outcome = await run(
            info,
            lambda: (
                node_key("id", input.id, m.ACTION),
                input.version,
                input.status,
                checks.optional_text("reason", input.reason, REASON_LENGTH),
            ),
            lambda database, move, actor: transition_action(database, *move, actor),
        )
        return action_payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) an action: the Caf of its department or its CTG's local authority may. It "
        "leaves every read, its history is kept, and `deletedSince` lists it. Refusals come as `errors`."
    )
    async def archive_action(self, info: Info, input: ArchiveActionInput) -> ArchiveActionPayload:
        outcome = await run(
            info,
            lambda: (node_key("id", input.id, m.ACTION), input.version),
            lambda database, archived, actor: archive_action(database, *archived, actor),
        )
        return archive_payload(outcome)
