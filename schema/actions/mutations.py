"""Changing actions: their fields, and their place in the workflow. Refusals come as `errors`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from auth.policy import CARRIER_ACTION_FIELDS
from db.graph import mapping as m
from db.writes.actions import transition_action, update_action
from db.writes.outcome import Outcome, Refusal, refused
from schema.actions.types import Action
from schema.context import Info
from schema.enums import ActionStatus, Theme
from schema.errors import InputError
from schema.nodes import from_row
from schema.payloads import MutationError, actor_of, change, errors_of
from schema.relay import key_of


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


@strawberry.type(description="The outcome of a change to an action: the action as it now is, or why nothing changed.")
class ActionPayload:
    action: Action | None = strawberry.field(description="The action; null when the change was refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


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


def _changes(data: UpdateActionInput) -> tuple[dict[str, Any], Outcome | None]:
    changes = {name: getattr(data, name) for name in _FIELDS if getattr(data, name) is not strawberry.UNSET}
    for name in sorted(_NOT_NULL & changes.keys()):
        if changes[name] is None:
            return changes, refused(Refusal.INVALID, name, f"{name} cannot be cleared")
    title = changes.get("title")
    if title is not None and not 1 <= len(title.strip()) <= 300:
        return changes, refused(Refusal.INVALID, "title", "a title has 1 to 300 characters")
    if not changes:
        return changes, refused(Refusal.INVALID, None, "nothing to change")
    return changes, None


def _payload(outcome: Outcome) -> ActionPayload:
    action = from_row(Action, outcome.row) if outcome.row is not None else None
    return ActionPayload(action=action, errors=errors_of(outcome))


def _action_key(id: strawberry.ID) -> tuple[int | None, Outcome | None]:
    try:
        return key_of(id, m.ACTION, "input.id"), None
    except InputError as bad:
        return None, refused(Refusal.INVALID, "id", bad.message)


@strawberry.type
class ActionMutations:
    @strawberry.mutation(
        description="Change an action. The carrier may change its description and progress; the Caf of its "
        "department and the local authority of its CTG may change everything. Refusals come as `errors`."
    )
    async def update_action(self, info: Info, input: UpdateActionInput) -> ActionPayload:
        action_id, bad_id = _action_key(input.id)
        changes, invalid = _changes(input)
        if bad_id or invalid or action_id is None:
            return _payload(bad_id or invalid or refused(Refusal.INVALID, "id", "no action ID"))
        actor = actor_of(info)
        outcome = await change(
            info,
            lambda: update_action(
                info.context.database, action_id, input.version, changes, actor, CARRIER_ACTION_FIELDS
            ),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Move an action along its workflow: draft → submitted → validated | rejected (the Caf) → "
        "in_progress → done | abandoned; a rejected action goes back to draft. Illegal moves come as "
        "ILLEGAL_TRANSITION errors, moves the caller may not make as FORBIDDEN."
    )
    async def transition_action(self, info: Info, input: TransitionActionInput) -> ActionPayload:
        action_id, bad_id = _action_key(input.id)
        if bad_id or action_id is None:
            return _payload(bad_id or refused(Refusal.INVALID, "id", "no action ID"))
        actor = actor_of(info)
        outcome = await change(
            info, lambda: transition_action(info.context.database, action_id, input.version, input.status, actor)
        )
        return _payload(outcome)
