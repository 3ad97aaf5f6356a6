"""Adding, changing and removing the funding lines of actions and facilities. A Caf's lines, and every line's
amount granted, are the Caf's; an action's other lines are changed by whoever plans the action, a facility's by
its Caf. Refusals come as `errors`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from db.graph import mapping as m
from db.models.enums import FundingType
from db.writes import checks
from db.writes.checks import Invalid
from db.writes.facilities import funding
from db.writes.outcome import Outcome
from schema.context import Info
from schema.facilities.types import Facility, FundingLine
from schema.mutation import run
from schema.nodes import from_row, load_node
from schema.payloads import MutationError, errors_of
from schema.relay import global_id
from schema.write_inputs import given, node_key, optional_key

if TYPE_CHECKING:
    from schema.actions.types import Action

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
_VERSION = "The version of the line the client read; the change fails if it moved on."


@strawberry.input(
    description="A new funding line of an action or (exclusive) of a facility: one funder's money for one year and "
    "one type of funding. With an `idempotencyKey`, a retry gets the line the first request added."
)
class AddFundingLineInput:
    action_id: strawberry.ID | None = strawberry.field(default=None, description="The action it funds.")
    facility_id: strawberry.ID | None = strawberry.field(default=None, description="The facility it funds.")
    year: int = strawberry.field(description="The year it funds, 1945–2100.")
    funder_id: strawberry.ID = strawberry.field(description="The funder (financeur), an organisation.")
    type: FundingType = strawberry.field(description="The kind of funding.")
    planned: Decimal = strawberry.field(description="Amount planned (prévisionnel), in euros, ≥ 0, in cents.")
    granted: Decimal | None = strawberry.field(
        default=None, description="Amount granted (accordé), in euros: set by the Caf only."
    )
    paid: Decimal | None = strawberry.field(default=None, description="Amount paid (versé), in euros.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(description="A change to a funding line: fields left out are kept; `granted` and `paid` null clear.")
class UpdateFundingLineInput:
    id: strawberry.ID = strawberry.field(description="The funding line's ID.")
    version: int = strawberry.field(description=_VERSION)
    year: int | None = strawberry.field(default=strawberry.UNSET, description="The year it funds.")
    funder_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="The funder.")
    type: FundingType | None = strawberry.field(default=strawberry.UNSET, description="The kind of funding.")
    planned: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Amount planned, in euros.")
    granted: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Amount granted, in euros: set by the Caf only."
    )
    paid: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Amount paid, in euros.")


@strawberry.input(description="A funding line to remove, at the version the client read.")
class RemoveFundingLineInput:
    id: strawberry.ID = strawberry.field(description="The funding line's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.type(
    description="The outcome of a change to a funding line: the line, and its action or facility as they now are "
    "(an action's budget and Caf funding are the totals of its lines), or why nothing changed."
)
class FundingLinePayload:
    funding_line: FundingLine | None = strawberry.field(
        description="The line as it now is (as it was, once removed); null when the change was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")
    action_id: strawberry.Private[int | None] = None
    facility_id: strawberry.Private[int | None] = None

    @strawberry.field(
        description="The action it funds, as it now is (a Caf funding change may send it back for "
        "validation); null for a facility's line or when refused."
    )
    async def action(self, info: Info) -> ActionRef | None:
        from schema.actions.types import Action

        return await load_node(info, Action, self.action_id)

    @strawberry.field(description="The facility it funds, as it now is; null for an action's line or when refused.")
    async def facility(self, info: Info) -> Facility | None:
        return await load_node(info, Facility, self.facility_id)


@strawberry.type(description="The outcome of removing a funding line: its ID and its action or facility, or why not.")
class RemoveFundingLinePayload:
    removed_id: strawberry.ID | None = strawberry.field(description="The removed line's ID; null when refused.")
    errors: list[MutationError] = strawberry.field(description="Why it was not removed; empty on success.")
    action_id: strawberry.Private[int | None] = None
    facility_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The action it funded, as it now is; null for a facility's line or when refused.")
    async def action(self, info: Info) -> ActionRef | None:
        from schema.actions.types import Action

        return await load_node(info, Action, self.action_id)

    @strawberry.field(description="The facility it funded, as it now is; null for an action's line or when refused.")
    async def facility(self, info: Info) -> Facility | None:
        return await load_node(info, Facility, self.facility_id)


def _year(field: str, value: int) -> int:
    if not 1945 <= value <= 2100:
        raise Invalid(field, "funding.year", minimum=1945, maximum=2100)
    return value


def _amount(field: str, value: Decimal | None) -> Decimal | None:
    return None if value is None else checks.amount(field, value)


def _new(data: AddFundingLineInput) -> funding.NewLine:
    action_id = optional_key("action_id", data.action_id, m.ACTION)
    facility_id = optional_key("facility_id", data.facility_id, m.FACILITY)
    if (action_id is None) == (facility_id is None):
        raise Invalid("action_id" if action_id is None else "facility_id", "funding.target")
    return funding.NewLine(
        action_id=None if action_id is None else int(action_id),
        facility_id=None if facility_id is None else int(facility_id),
        year=_year("year", data.year),
        funder_id=int(node_key("funder_id", data.funder_id, m.ORGANISATION)),
        type=data.type.value,
        planned=checks.amount("planned", data.planned),
        granted=_amount("granted", data.granted),
        paid=_amount("paid", data.paid),
        idempotency_key=checks.idempotency_key(data.idempotency_key),
    )


def _changes(data: UpdateFundingLineInput) -> tuple[int, dict[str, Any]]:
    line_id = int(node_key("id", data.id, m.FUNDING_LINE))
    fields = given(data, ("year", "funder_id", "type", "planned", "granted", "paid"))
    if not fields:
        raise Invalid(None, "input.nothing")
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("year", "funder_id", "type", "planned"):
            checks.present(name, value)
        if name == "year":
            changes[name] = _year(name, value)
        elif name == "funder_id":
            changes[name] = int(node_key(name, value, m.ORGANISATION))
        elif name == "type":
            changes[name] = value.value
        else:
            changes[name] = _amount(name, value)
    return line_id, changes


def _payload(outcome: Outcome) -> FundingLinePayload:
    if outcome.row is None:
        return FundingLinePayload(funding_line=None, errors=errors_of(outcome))
    row = outcome.row
    return FundingLinePayload(
        funding_line=from_row(FundingLine, row), errors=[], action_id=row.action_id, facility_id=row.facility_id
    )


@strawberry.type
class FundingLineMutations:
    @strawberry.mutation(
        description="Add a funding line to an action (whoever plans it; a Caf's line, the Caf) or to a facility "
        "(its Caf). The amount granted is the Caf's to set. A Caf line added to a validated action sends it "
        "back for validation. Refusals come as `errors`: INVALID naming the field (another line of the same "
        "year, funder and type: `year`), NOT_FOUND, FORBIDDEN, KEY_REUSED."
    )
    async def add_funding_line(self, info: Info, input: AddFundingLineInput) -> FundingLinePayload:
        outcome = await run(
            info, lambda: _new(input), lambda database, new, actor: funding.add_line(database, new, actor)
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Change a funding line: a Caf's lines and any amount granted by the Caf only (FORBIDDEN on "
        "the field asked otherwise). A change of the Caf's planned funding of a validated action sends it back for "
        "validation (submitted), the reason in its history. A stale `version` is a CONFLICT."
    )
    async def update_funding_line(self, info: Info, input: UpdateFundingLineInput) -> FundingLinePayload:
        outcome = await run(
            info,
            lambda: _changes(input),
            lambda database, update, actor: funding.update_line(database, update[0], input.version, update[1], actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Remove a funding line: as changing it. Removing a Caf line of a validated action sends it "
        "back for validation."
    )
    async def remove_funding_line(self, info: Info, input: RemoveFundingLineInput) -> RemoveFundingLinePayload:
        outcome = await run(
            info,
            lambda: (int(node_key("id", input.id, m.FUNDING_LINE)), input.version),
            lambda database, key, actor: funding.remove_line(database, *key, actor),
        )
        if outcome.row is None:
            return RemoveFundingLinePayload(removed_id=None, errors=errors_of(outcome))
        row = outcome.row
        return RemoveFundingLinePayload(
            removed_id=global_id(FundingLine.spec.type_name, row.id),
            errors=[],
            action_id=row.action_id,
            facility_id=row.facility_id,
        )
