"""Facility entry points."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import strawberry

from db.graph import mapping as m
from db.graph.filters import FacilityFilter, Listing
from db.graph.paging import Order
from schema.context import Info
from schema.enums import Direction, FacilityFamily, FacilityKind, FacilityStatus
from schema.facilities.types import Facility
from schema.inputs import TerritoryInput, territory
from schema.nodes import load_connection
from schema.relay import After, Before, Connection, First, Last, PageArguments, key_of


@strawberry.input(description="Filter for facilities.")
class FacilityFilterInput:
    territory: TerritoryInput | None = strawberry.field(
        default=None, description="Where the facility lies: a department, an EPCI or a commune."
    )
    kinds: list[FacilityKind] | None = strawberry.field(default=None, description="Kinds of facility.")
    families: list[FacilityFamily] | None = strawberry.field(
        default=None, description="Families of kinds (EAJE for every kind of crèche...); combined with `kinds`."
    )
    statuses: list[FacilityStatus] | None = strawberry.field(default=None, description="Planned, open, closed.")
    manager_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Managed by one of these organisations."
    )
    updated_since: datetime | None = strawberry.field(default=None, description="Changed at or after this instant.")
    search: str | None = strawberry.field(
        default=None, description="French full-text search on name and address, accents ignored."
    )

    def to_filter(self) -> FacilityFilter:
        managers = tuple(key_of(value, m.ORGANISATION, "filter.managerIds") for value in self.manager_ids or ())
        return FacilityFilter(
            territory(self.territory),
            tuple(kind.value for kind in self.kinds or ()),
            tuple(family.value for family in self.families or ()),
            tuple(status.value for status in self.statuses or ()),
            managers,
            self.updated_since,
            self.search,
        )


@strawberry.enum(description="What facilities can be sorted by.")
class FacilityOrderField(StrEnum):
    NAME = "name"
    CAPACITY = "capacity"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order for facilities.")
class FacilityOrder:
    field: FacilityOrderField = strawberry.field(default=FacilityOrderField.NAME, description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Ascending or descending.")


def facility_listing(filter: FacilityFilterInput | None = None, order_by: FacilityOrder | None = None) -> Listing:
    order = Order((order_by.field.value,), order_by.direction is Direction.DESC) if order_by else None
    return Listing("Facility", filter.to_filter() if filter else FacilityFilter(), order)


@strawberry.type
class FacilityQueries:
    @strawberry.field(
        description="Facilities (équipements), filtered and sorted: anyone sees the open ones' public data. Page "
        "size at most 100."
    )
    async def facilities(
        self,
        info: Info,
        filter: FacilityFilterInput | None = None,
        order_by: FacilityOrder | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Facility]:
        listing = facility_listing(filter, order_by)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Facility, arguments, listing.conditions(), listing.order)
