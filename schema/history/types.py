"""One recorded change of an entity: who made it, when, and each field from what to what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry.scalars import JSON

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.history.terms import field_name, value_of
from schema.nodes import load_node

if TYPE_CHECKING:
    from schema.organisations.types import Organisation

# Fields only some readers of an action or a facility may see (see Action.budget, FundingLine.planned): their
# history is shown to the same.
_MONEY = frozenset({"budget", "caf_funding", "funding_lines"})


@strawberry.enum(description="What a change did: created the entity, changed it, or archived (deleted) it.")
class ChangeOperation(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"


@strawberry.type(
    description="One field's value before and after a change (null: unset, or not there yet), in the API's terms: "
    "another row as its global ID, an enum value as its GraphQL name."
)
class FieldChange:
    field: str = strawberry.field(description="The field, as the GraphQL type names it (camelCase).")
    before: JSON | None = strawberry.field(description="Its value before the change.")
    after: JSON | None = strawberry.field(description="Its value after the change.")


@strawberry.type(description="A change recorded in the audit trail, in the transaction that made it.")
class Change:
    spec: ClassVar[NodeSpec] = m.CHANGE
    key: strawberry.Private[int]
    entity: strawberry.Private[str]
    entity_id: strawberry.Private[int]
    organisation_id: strawberry.Private[int | None]
    changes: strawberry.Private[dict[str, Any]]
    occurred_at: datetime = strawberry.field(description="When the change was committed.")
    operation: ChangeOperation = strawberry.field(description="What the change did.")
    issuer: str | None = strawberry.field(description="The identity provider of the person who made it.")
    subject: str | None = strawberry.field(description="The person who made it, as that provider names them.")
    reason: str | None = strawberry.field(
        description="Why, as the person said (validating or rejecting an action...); null when not given."
    )

    @strawberry.field(description="The organisation the person acted for, when it was one organisation.")
    async def organisation(
        self, info: Info
    ) -> Annotated[Organisation, strawberry.lazy("schema.organisations.types")] | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.organisation_id)

    @strawberry.field(description="Each field the change touched, in the order recorded.")
    async def fields(self, info: Info) -> list[FieldChange]:
        hidden = _MONEY if self.entity in ("action", "facility") and not await self._shows_money(info) else frozenset()
        return [
            FieldChange(
                field=field_name(name),
                before=value_of(self.entity, name, values[0]),
                after=value_of(self.entity, name, values[1]),
            )
            for name, values in self.changes.items()
            if name not in hidden
        ]

    async def _shows_money(self, info: Info) -> bool:
        from schema.actions.types import Action
        from schema.facilities.types import Facility

        if self.entity == "action":
            action = await load_node(info, Action, self.entity_id)
            return action is not None and action.money_shown
        facility = await load_node(info, Facility, self.entity_id)
        return facility is not None and facility.money_shown
