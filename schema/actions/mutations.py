"""Changing actions. Expected refusals are part of the payload (`errors`), never exceptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import strawberry

from auth.policy import CARRIER_ACTION_FIELDS
from db.graph import mapping as m
from db.writes.actions import update_action
from db.writes.audit import Actor
from schema.actions.types import Action
from schema.context import Info
from schema.enums import Theme
from schema.errors import InputError
from schema.nodes import from_row
from schema.relay import key_of


@strawberry.enum(description="Why a change to an action was refused.")
class ActionErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"


@strawberry.type(description="A refused change: which input field, why, and what to do.")
class ActionError:
    field: str | None = strawberry.field(description="The input field at fault (camelCase), when one is.")
    code: ActionErrorCode = strawberry.field(description="Why the change was refused.")
    message: str = strawberry.field(description="What is wrong, for a person.")
    current_version: int | None = strawberry.field(
        default=None, description="With CONFLICT: the version the action is at now; read it again before retrying."
    )


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


@strawberry.type(description="The outcome of updateAction: the action as it now is, or why nothing changed.")
class UpdateActionPayload:
    action: Action | None = strawberry.field(description="The updated action; null when the change was refused.")
    errors: list[ActionError] = strawberry.field(description="Why the change was refused; empty on success.")


# Input field (snake_case) → GraphQL name, for errors that name the field as the client wrote it.
_CAMEL = {
    "target_public": "targetPublic",
    "period_start": "periodStart",
    "period_end": "periodEnd",
    "caf_funding": "cafFunding",
}
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


def _refused(code: ActionErrorCode, field: str | None, message: str, version: int | None = None) -> UpdateActionPayload:
    return UpdateActionPayload(
        action=None, errors=[ActionError(field=field, code=code, message=message, current_version=version)]
    )


def _changes(data: UpdateActionInput) -> tuple[dict[str, Any], UpdateActionPayload | None]:
    changes = {name: getattr(data, name) for name in _FIELDS if getattr(data, name) is not strawberry.UNSET}
    for name in _NOT_NULL & changes.keys():
        if changes[name] is None:
            return changes, _refused(ActionErrorCode.INVALID, _CAMEL.get(name, name), f"{name} cannot be cleared")
    title = changes.get("title")
    if title is not None and not 1 <= len(title.strip()) <= 300:
        return changes, _refused(ActionErrorCode.INVALID, "title", "a title has 1 to 300 characters")
    if not changes:
        return changes, _refused(ActionErrorCode.INVALID, None, "nothing to change")
    return changes, None


@strawberry.type
class ActionMutations:
    @strawberry.mutation(
        description="Change an action. The carrier may change its description and progress; the Caf of its "
        "department and the local authority of its CTG may change everything. Refusals come as `errors`."
    )
    async def update_action(self, info: Info, input: UpdateActionInput) -> UpdateActionPayload:
        try:
            action_id = key_of(input.id, m.ACTION, "input.id")
        except InputError as error:
            return _refused(ActionErrorCode.INVALID, "id", error.message)
        changes, refusal = _changes(input)
        if refusal:
            return refusal
        identity = info.context.identity
        organisations = sorted({membership.organisation_id for membership in info.context.principal.memberships})
        actor = Actor(
            issuer=identity.issuer if identity else None,
            subject=identity.subject if identity else None,
            organisation_id=organisations[0] if len(organisations) == 1 else None,
        )
        result = await update_action(
            info.context.database, action_id, input.version, changes, actor, CARRIER_ACTION_FIELDS
        )
        if result.refusal is not None:
            field = _CAMEL.get(result.field or "", result.field)
            return _refused(ActionErrorCode(result.refusal.value), field, result.message, result.current_version)
        info.context.database.wrote = True
        return UpdateActionPayload(action=from_row(Action, result.row), errors=[])
