"""What the mutations on actions return: the node written, or why nothing was."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from db.writes.outcome import Outcome
from schema.actions.types import Action, Indicator, IndicatorValue
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.relay import global_id

N = TypeVar("N")


@strawberry.type(description="The outcome of a change to an action: the action as it now is, or why nothing changed.")
class ActionPayload:
    action: Action | None = strawberry.field(description="The action; null when the change was refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of archiving an action: its ID, or why it was not archived.")
class ArchiveActionPayload:
    archived_id: strawberry.ID | None = strawberry.field(
        description="The archived action's ID (it has left every read; `deletedSince` lists it); null when refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why it was not archived; empty on success.")


@strawberry.type(description="The outcome of adding an indicator to an action: the indicator, or why not.")
class IndicatorPayload:
    indicator: Indicator | None = strawberry.field(
        description="The new indicator (its `action` is at its new version); null when refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The outcome of a report of an indicator's value: the value as it now is, or why not.")
class IndicatorValuePayload:
    indicator_value: IndicatorValue | None = strawberry.field(
        description="The value reported for the period; null when the report was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the report was refused; empty on success.")


def _node(cls: type[N], outcome: Outcome) -> N | None:
    return from_row(cls, outcome.row) if outcome.row is not None else None


def action_payload(outcome: Outcome) -> ActionPayload:
    return ActionPayload(action=_node(Action, outcome), errors=errors_of(outcome))


def archive_payload(outcome: Outcome) -> ArchiveActionPayload:
    row: Any = outcome.row
    archived = global_id(Action.spec.type_name, row.id) if row is not None else None
    return ArchiveActionPayload(archived_id=archived, errors=errors_of(outcome))


def indicator_payload(outcome: Outcome) -> IndicatorPayload:
    return IndicatorPayload(indicator=_node(Indicator, outcome), errors=errors_of(outcome))


def indicator_value_payload(outcome: Outcome) -> IndicatorValuePayload:
    return IndicatorValuePayload(indicator_value=_node(IndicatorValue, outcome), errors=errors_of(outcome))
