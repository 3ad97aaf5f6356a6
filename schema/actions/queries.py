"""Action entry points."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import strawberry

from db.graph import mapping as m
from db.graph.filters import ActionFilter, Listing
from db.graph.paging import Order
from schema.actions.types import Action
from schema.context import Info
from schema.enums import ActionStatus, Direction, Theme
from schema.inputs import PeriodInput, TerritoryInput, period, territory
from schema.nodes import load_connection
from schema.relay import After, Before, Connection, First, Last, PageArguments, key_of


@strawberry.input(description="Filter for CTG actions.")
class ActionFilterInput:
    territory: TerritoryInput | None = strawberry.field(
        default=None, description="Actions of CTGs of a department, or covering an EPCI or a commune."
    )
    ctg: strawberry.ID | None = strawberry.field(default=None, description="Actions of this CTG (ID).")
    themes: list[Theme] | None = strawberry.field(default=None, description="Themes.")
    statuses: list[ActionStatus] | None = strawberry.field(default=None, description="Statuses.")
    active_on: date | None = strawberry.field(default=None, description="Running on this day.")
    expiring_before: date | None = strawberry.field(default=None, description="Ending before this day.")
    period: PeriodInput | None = strawberry.field(default=None, description="Overlapping this period.")
    carrier: strawberry.ID | None = strawberry.field(default=None, description="Carried by this organisation (ID).")
    partner: strawberry.ID | None = strawberry.field(default=None, description="With this partner organisation (ID).")
    updated_since: datetime | None = strawberry.field(default=None, description="Changed at or after this instant.")
    search: str | None = strawberry.field(
        default=None,
        description="French full-text search on title, description, objectives and public, accents ignored.",
    )

    def to_filter(self) -> ActionFilter:
        def one(value: strawberry.ID | None, spec: m.NodeSpec, name: str) -> tuple[int, ...]:
            return (key_of(value, spec, f"filter.{name}"),) if value else ()

        return ActionFilter(
            territory=territory(self.territory),
            ctg_ids=one(self.ctg, m.CTG, "ctg"),
            themes=tuple(self.themes or ()),
            statuses=tuple(self.statuses or ()),
            active_on=self.active_on,
            expiring_before=self.expiring_before,
            overlapping=period(self.period, "filter.period"),
            carrier_ids=one(self.carrier, m.ORGANISATION, "carrier"),
            partner_ids=one(self.partner, m.ORGANISATION, "partner"),
            updated_since=self.updated_since,
            search=self.search,
        )


@strawberry.enum(description="What actions can be sorted by.")
class ActionOrderField(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    PERIOD_START = "period_start"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order for actions.")
class ActionOrder:
    field: ActionOrderField = strawberry.field(default=ActionOrderField.NUMBER, description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Ascending or descending.")


def action_listing(filter: ActionFilterInput | None = None, order_by: ActionOrder | None = None) -> Listing:
    fields = ("ctg_id", "number") if order_by and order_by.field is ActionOrderField.NUMBER else None
    order = Order(fields or (order_by.field.value,), order_by.direction is Direction.DESC) if order_by else None
    return Listing("Action", filter.to_filter() if filter else ActionFilter(), order)


@strawberry.type
class ActionQueries:
    @strawberry.field(description="CTG actions across territories, filtered and sorted. Page size at most 100.")
    async def actions(
        self,
        info: Info,
        filter: ActionFilterInput | None = None,
        order_by: ActionOrder | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Action]:
        listing = action_listing(filter, order_by)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Action, arguments, listing.conditions(), listing.order)
