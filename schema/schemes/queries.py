"""Scheme and CTG entry points."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import strawberry

from db.graph import mapping as m
from db.graph.filters import Listing, SchemeFilter
from db.graph.paging import Order
from schema.context import Info
from schema.ctgs.types import Ctg
from schema.enums import Direction, SchemeKind, SchemeStatus, Theme
from schema.inputs import PeriodInput, TerritoryInput, period, territory
from schema.nodes import load_connection
from schema.relay import After, Before, Connection, First, Last, PageArguments, key_of
from schema.schemes.types import Scheme


@strawberry.input(description="Filter for schemes and CTGs.")
class SchemeFilterInput:
    territory: TerritoryInput | None = strawberry.field(
        default=None, description="Schemes of a department, or covering an EPCI or a commune."
    )
    kinds: list[SchemeKind] | None = strawberry.field(default=None, description="Kinds of scheme.")
    statuses: list[SchemeStatus] | None = strawberry.field(default=None, description="Statuses.")
    themes: list[Theme] | None = strawberry.field(default=None, description="CTGs covering any of these themes.")
    active_on: date | None = strawberry.field(default=None, description="In force on this day.")
    expiring_before: date | None = strawberry.field(default=None, description="Ending before this day.")
    period: PeriodInput | None = strawberry.field(default=None, description="Overlapping this period.")
    signatory: strawberry.ID | None = strawberry.field(default=None, description="Signed by this organisation (ID).")
    updated_since: datetime | None = strawberry.field(default=None, description="Changed at or after this instant.")
    search: str | None = strawberry.field(
        default=None, description="French full-text search on title and summary, accents ignored."
    )

    def to_filter(self) -> SchemeFilter:
        signatories = (key_of(self.signatory, m.ORGANISATION, "filter.signatory"),) if self.signatory else ()
        return SchemeFilter(
            territory=territory(self.territory),
            kinds=tuple(self.kinds or ()),
            statuses=tuple(self.statuses or ()),
            themes=tuple(self.themes or ()),
            active_on=self.active_on,
            expiring_before=self.expiring_before,
            overlapping=period(self.period, "filter.period"),
            signatory_ids=signatories,
            updated_since=self.updated_since,
            search=self.search,
        )


@strawberry.enum(description="What schemes can be sorted by.")
class SchemeOrderField(StrEnum):
    PERIOD_START = "period_start"
    PERIOD_END = "period_end"
    TITLE = "title"
    UPDATED_AT = "updated_at"


@strawberry.input(description="Sort order for schemes and CTGs.")
class SchemeOrder:
    field: SchemeOrderField = strawberry.field(default=SchemeOrderField.PERIOD_START, description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Ascending or descending.")


def _order(order_by: SchemeOrder | None) -> Order | None:
    return Order((order_by.field.value,), order_by.direction is Direction.DESC) if order_by else None


def scheme_listing(
    filter: SchemeFilterInput | None = None, order_by: SchemeOrder | None = None, *, ctg: bool = False
) -> Listing:
    return Listing("Ctg" if ctg else "Scheme", filter.to_filter() if filter else SchemeFilter(), _order(order_by))


def ctg_listing(filter: SchemeFilterInput | None = None, order_by: SchemeOrder | None = None) -> Listing:
    return scheme_listing(filter, order_by, ctg=True)


@strawberry.type
class SchemeQueries:
    @strawberry.field(description="Schemes of every kind, filtered and sorted. Page size at most 100.")
    async def schemes(
        self,
        info: Info,
        filter: SchemeFilterInput | None = None,
        order_by: SchemeOrder | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Scheme]:
        listing = scheme_listing(filter, order_by)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Scheme, arguments, listing.conditions(), listing.order)

    @strawberry.field(
        description="CTGs (conventions territoriales globales), filtered and sorted. Page size at most 100."
    )
    async def ctgs(
        self,
        info: Info,
        filter: SchemeFilterInput | None = None,
        order_by: SchemeOrder | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Ctg]:
        listing = ctg_listing(filter, order_by)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Ctg, arguments, listing.conditions(), listing.order)
