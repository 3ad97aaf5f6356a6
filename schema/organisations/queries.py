"""Organisation entry points."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import strawberry

from db.graph import mapping as m
from db.graph.filters import Listing, OrganisationFilter
from db.graph.paging import Order
from schema.context import Info
from schema.enums import Direction, OrganisationKind
from schema.errors import InputError
from schema.inputs import TerritoryInput, territory
from schema.nodes import from_row, load_connection
from schema.organisations.types import Organisation
from schema.relay import After, Before, Connection, First, Last, PageArguments


@strawberry.input(description="Filter for organisations.")
class OrganisationFilterInput:
    territory: TerritoryInput | None = strawberry.field(default=None, description="Home territory.")
    kinds: list[OrganisationKind] | None = strawberry.field(default=None, description="Kinds of organisation.")
    updated_since: datetime | None = strawberry.field(default=None, description="Changed at or after this instant.")
    search: str | None = strawberry.field(
        default=None, description="French full-text search on name and acronym, accents ignored."
    )

    def to_filter(self) -> OrganisationFilter:
        return OrganisationFilter(territory(self.territory), tuple(self.kinds or ()), self.updated_since, self.search)


@strawberry.enum(description="What organisations can be sorted by.")
class OrganisationOrderField(StrEnum):
    NAME = "name"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order for organisations.")
class OrganisationOrder:
    field: OrganisationOrderField = strawberry.field(
        default=OrganisationOrderField.NAME, description="What to sort by."
    )
    direction: Direction = strawberry.field(default=Direction.ASC, description="Ascending or descending.")


def organisation_listing(
    filter: OrganisationFilterInput | None = None, order_by: OrganisationOrder | None = None
) -> Listing:
    order = Order((order_by.field.value,), order_by.direction is Direction.DESC) if order_by else None
    return Listing("Organisation", filter.to_filter() if filter else OrganisationFilter(), order)


@strawberry.type
class OrganisationQueries:
    @strawberry.field(description="An organisation by its SIREN or its SIRET (exactly one); null if unknown.")
    async def organisation(self, info: Info, siren: str | None = None, siret: str | None = None) -> Organisation | None:
        if (siren is None) == (siret is None):
            raise InputError("siren" if siren is None else "siret", "argument.siren_or_siret")
        column, value = ("siren", siren) if siren is not None else ("siret", siret)
        row = await info.context.graph.unique(m.ORGANISATION, column).load(value)
        return from_row(Organisation, row) if row is not None else None

    @strawberry.field(description="Organisations, filtered and sorted. Page size at most 100.")
    async def organisations(
        self,
        info: Info,
        filter: OrganisationFilterInput | None = None,
        order_by: OrganisationOrder | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Organisation]:
        listing = organisation_listing(filter, order_by)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Organisation, arguments, listing.conditions(), listing.order)
