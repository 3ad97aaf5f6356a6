"""Facilities and funding in figures, and the bonus territoire: places per territory and per 1,000 inhabitants,
funding totals, which facilities the CTGs make eligible."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.graph import equipment
from db.graph.equipment import FundingDimension, PlaceDimension
from db.graph.filters import FacilityFilter
from schema.context import Info
from schema.enums import FacilityFamily, FacilityKind, FundingType
from schema.errors import InputError
from schema.facilities.queries import FacilityFilterInput
from schema.facilities.types import Facility
from schema.inputs import TerritoryInput
from schema.nodes import from_row, load_node
from schema.relay import key_of

if TYPE_CHECKING:
    from schema.ctgs.types import Ctg
    from schema.organisations.types import Organisation
    from schema.territories.types import Commune, Department, Epci, Region

CommuneRef = Annotated["Commune", strawberry.lazy("schema.territories.types")]
EpciRef = Annotated["Epci", strawberry.lazy("schema.territories.types")]
DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]
RegionRef = Annotated["Region", strawberry.lazy("schema.territories.types")]
CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]

strawberry.enum(
    PlaceDimension,
    description="What places are grouped by: the kind or family of facility; the commune, EPCI, department or "
    "region they lie in. Without a territory dimension, one group for the whole territory asked about.",
)
strawberry.enum(
    FundingDimension,
    description="What funding totals are grouped by: year, funder, type of funding, the department or EPCI of the "
    "action's CTG (or of the facility).",
)


@strawberry.type
class _Territorial:
    commune_code: strawberry.Private[str | None]
    epci_siren: strawberry.Private[str | None]
    department_code: strawberry.Private[str | None]
    region_code: strawberry.Private[str | None]

    @strawberry.field(description="The commune, when grouped by COMMUNE.")
    async def commune(self, info: Info) -> CommuneRef | None:
        from schema.territories.types import Commune

        return await load_node(info, Commune, self.commune_code)

    @strawberry.field(description="The EPCI, when grouped by EPCI (null for communes outside any EPCI).")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.epci_siren)

    @strawberry.field(description="The department, when grouped by DEPARTMENT.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)

    @strawberry.field(description="The region, when grouped by REGION.")
    async def region(self, info: Info) -> RegionRef | None:
        from schema.territories.types import Region

        return await load_node(info, Region, self.region_code)


@strawberry.type(
    description="Facilities and places of one group, beside the population of its territory (the territory "
    "reference's): the places the caller can count, those of the facilities it sees (anyone sees the open ones)."
)
class FacilityStatistic(_Territorial):
    kind: FacilityKind | None = strawberry.field(description="The kind of facility, when grouped by KIND.")
    family: FacilityFamily | None = strawberry.field(description="The family of kinds, when grouped by FAMILY.")
    facility_count: int = strawberry.field(description="How many facilities.")
    places: int = strawberry.field(description="Their places (capacity), those without a capacity counting 0.")
    population: int = strawberry.field(description="Inhabitants of the group's territory.")
    places_per_thousand: float | None = strawberry.field(
        description="Places per 1,000 inhabitants, to two decimals; null for a territory without inhabitants."
    )


@strawberry.type(
    description="Totals of one group of funding lines. Amounts are null unless the caller may see every line the "
    "group adds up: never a partial sum."
)
class FundingStatistic:
    funder_id: strawberry.Private[int | None]
    epci_siren: strawberry.Private[str | None]
    department_code: strawberry.Private[str | None]
    year: int | None = strawberry.field(description="The year, when grouped by YEAR.")
    type: FundingType | None = strawberry.field(description="The type of funding, when grouped by TYPE.")
    line_count: int = strawberry.field(description="How many funding lines.")
    planned: Decimal | None = strawberry.field(description="Total planned, in euros.")
    granted: Decimal | None = strawberry.field(description="Total granted, in euros.")
    paid: Decimal | None = strawberry.field(description="Total paid, in euros.")

    @strawberry.field(description="The funder, when grouped by FUNDER.")
    async def funder(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.funder_id, archived_too=True)

    @strawberry.field(description="The EPCI, when grouped by EPCI.")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.epci_siren)

    @strawberry.field(description="The department, when grouped by DEPARTMENT.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)


@strawberry.input(description="Which funding lines to add up.")
class FundingFilterInput:
    territory: TerritoryInput | None = strawberry.field(
        default=None, description="The department or EPCI of the action's CTG, or of the facility."
    )
    years: list[int] | None = strawberry.field(default=None, description="Years funded.")
    funder_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Funders.")
    types: list[FundingType] | None = strawberry.field(default=None, description="Types of funding.")

    def to_filter(self) -> equipment.FundingFilter:
        from db.graph import mapping as m

        return equipment.FundingFilter(
            department=self.territory.department if self.territory else None,
            epci=self.territory.epci if self.territory else None,
            years=tuple(self.years or ()),
            funder_ids=tuple(int(key_of(value, m.ORGANISATION, "filter.funderIds")) for value in self.funder_ids or ()),
            types=tuple(kind.value for kind in self.types or ()),
        )


@strawberry.type(description="Whether a facility receives the bonus territoire on a day, and through which CTGs.")
class BonusTerritoireEligibility:
    eligible: bool = strawberry.field(
        description="Whether a CTG in force on the day (signed or active, its period including it) covers the "
        "facility's commune: through its EPCI, a list of communes naming it, or its department."
    )
    ctg_ids: strawberry.Private[list[int]]

    @strawberry.field(description="The CTGs in force covering it, among those the caller may see.")
    async def ctgs(self, info: Info) -> list[CtgRef]:
        from schema.ctgs.types import Ctg

        found = [await load_node(info, Ctg, ctg_id) for ctg_id in self.ctg_ids]
        return [ctg for ctg in found if ctg is not None]


@strawberry.type(description="A facility of a CTG's territory and its bonus territoire for a year.")
class BonusTerritoireFacility:
    facility: Facility = strawberry.field(description="The facility.")
    amount: Decimal | None = strawberry.field(
        description="Its bonus territoire for the year (the planned amounts of its funding lines of that type), in "
        "euros; null unless the caller may see the facility's budget."
    )


async def eligibility(info: Info, facility: Facility, on: date) -> BonusTerritoireEligibility:
    covering = await equipment.ctgs_covering(info.context.database, [facility.commune_insee_code], on)
    ctg_ids = covering.get(facility.commune_insee_code, [])
    return BonusTerritoireEligibility(eligible=bool(ctg_ids), ctg_ids=ctg_ids)


async def ctg_bonus(info: Info, ctg_id: int, year: int) -> list[BonusTerritoireFacility]:
    rows = await equipment.covered_facilities(info.context.database, ctg_id, year)
    return [BonusTerritoireFacility(facility=from_row(Facility, row), amount=amount) for row, amount in rows]


@strawberry.type
class FacilityFigures:
    @strawberry.field(
        description="Facilities and places per group — kind or family, commune, EPCI, department or region — "
        "beside the population, with places per 1,000 inhabitants. Every group of the territory asked about "
        "appears, with zero places where there are none (every EPCI of a department, for instance)."
    )
    async def facility_statistics(
        self,
        info: Info,
        filter: Annotated[
            FacilityFilterInput | None,
            strawberry.argument(description="Which facilities, in which territory; France when omitted."),
        ] = None,
        region: Annotated[
            str | None, strawberry.argument(description="A region's INSEE code, to count within it.")
        ] = None,
        *,
        group_by: Annotated[list[PlaceDimension], strawberry.argument(description="Dimensions, in order.")],
    ) -> list[FacilityStatistic]:
        if len(group_by) > len(PlaceDimension):
            raise InputError("groupBy", "argument.group_by_repeat")
        facility_filter = filter.to_filter() if filter else FacilityFilter()
        rows = await equipment.places(info.context.database, facility_filter, region, group_by)
        return [
            FacilityStatistic(
                commune_code=row.commune,
                epci_siren=row.epci,
                department_code=row.department,
                region_code=row.region,
                kind=FacilityKind(row.kind) if row.kind else None,
                family=FacilityFamily(row.family) if row.family else None,
                facility_count=row.facility_count,
                places=row.places,
                population=row.population,
                places_per_thousand=row.places_per_thousand,
            )
            for row in rows
        ]

    @strawberry.field(
        description="Totals of funding lines — planned, granted, paid — per year, funder, type, department or EPCI; "
        "amounts only where the caller may see every line a total adds up."
    )
    async def funding_statistics(
        self,
        info: Info,
        filter: Annotated[
            FundingFilterInput | None, strawberry.argument(description="Which lines; all the caller sees when omitted.")
        ] = None,
        *,
        group_by: Annotated[list[FundingDimension], strawberry.argument(description="Dimensions, in order.")],
    ) -> list[FundingStatistic]:
        rows = await equipment.funding(
            info.context.database, filter.to_filter() if filter else equipment.FundingFilter(), group_by
        )
        return [
            FundingStatistic(
                funder_id=row.funder_id,
                epci_siren=row.epci,
                department_code=row.department,
                year=row.year,
                type=FundingType(row.type) if row.type else None,
                line_count=row.line_count,
                planned=row.planned,
                granted=row.granted,
                paid=row.paid,
            )
            for row in rows
        ]

    @strawberry.field(
        description="The facilities of an EPCI that no CTG in force covers on the day: those a CTG signed on the "
        "EPCI would make eligible to the bonus territoire (closed ones left out)."
    )
    async def bonus_territoire_candidates(
        self,
        info: Info,
        epci: Annotated[str, strawberry.argument(description="The EPCI's SIREN.")],
        on: Annotated[date, strawberry.argument(description="The day.")],
    ) -> list[Facility]:
        rows = await equipment.newly_eligible(info.context.database, epci, on)
        return [from_row(Facility, row) for row in rows]
