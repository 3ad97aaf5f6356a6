"""Territory entry points: look-ups by INSEE code or SIREN, and filtered connections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from db.graph.filters import Listing, PlaceFilter
from schema.context import Info
from schema.enums import EpciKind
from schema.nodes import load_connection, load_node
from schema.relay import After, Before, Connection, First, Last, PageArguments
from schema.territories.types import Commune, Department, Epci, Region


@strawberry.input(description="Filter for regions, departments, EPCIs and communes.")
class PlaceFilterInput:
    region: str | None = strawberry.field(default=None, description="Region INSEE code: places inside it.")
    department: str | None = strawberry.field(default=None, description="Department INSEE code: places inside it.")
    epci: str | None = strawberry.field(default=None, description="EPCI SIREN: its member communes.")
    kinds: list[EpciKind] | None = strawberry.field(default=None, description="EPCI types (EPCIs only).")
    updated_since: datetime | None = strawberry.field(default=None, description="Changed at or after this instant.")
    search: str | None = strawberry.field(default=None, description="Part of the name, accents and case ignored.")
    without_ctg_on: date | None = strawberry.field(
        default=None,
        description="EPCIs (or communes) that no CTG in force on this day covers, among the CTGs the caller sees: "
        "for an EPCI, none of its communes (EPCIs and communes only).",
    )

    def to_filter(self) -> PlaceFilter:
        return PlaceFilter(
            self.region,
            self.department,
            self.epci,
            tuple(self.kinds or ()),
            self.updated_since,
            self.search,
            self.without_ctg_on,
        )


def place_listing(type_name: str, filter: PlaceFilterInput | None = None) -> Listing:
    """Regions, departments, EPCIs or communes (`type_name`), in their default order."""
    return Listing(type_name, filter.to_filter() if filter else PlaceFilter())


def _places(cls: type[Any], description: str) -> Any:
    """A filtered connection over one kind of place (regions, departments, EPCIs or communes)."""

    async def resolve(
        self: Any,
        info: Info,
        filter: PlaceFilterInput | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Any:
        listing = place_listing(cls.spec.type_name, filter)
        return await load_connection(info, cls, PageArguments(first, after, last, before), listing.conditions())

    resolve.__annotations__["return"] = Connection[cls]  # type: ignore[valid-type]
    return strawberry.field(resolver=resolve, description=description)


@strawberry.type
class TerritoryQueries:
    @strawberry.field(description='A region by its INSEE code ("76"); null if unknown.')
    async def region(self, info: Info, code: str) -> Region | None:
        return await load_node(info, Region, code)

    @strawberry.field(description='A department by its INSEE code ("31", "2A", "971"); null if unknown.')
    async def department(self, info: Info, code: str) -> Department | None:
        return await load_node(info, Department, code)

    @strawberry.field(description="An EPCI by its SIREN; null if unknown.")
    async def epci(self, info: Info, siren: str) -> Epci | None:
        return await load_node(info, Epci, siren)

    @strawberry.field(description='A commune by its INSEE code ("31555"); null if unknown.')
    async def commune(self, info: Info, insee_code: str) -> Commune | None:
        return await load_node(info, Commune, insee_code)

    regions = _places(Region, "Regions (and overseas collectivities), by code. Page size at most 100.")
    departments = _places(Department, "Departments, by code. Page size at most 100.")
    epcis = _places(Epci, "EPCIs, by name. Page size at most 100.")
    communes = _places(Commune, "Current communes, by INSEE code. Page size at most 100.")
