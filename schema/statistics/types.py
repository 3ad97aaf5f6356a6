"""Statistics types: action aggregates per group and CTG coverage of a territory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.graph import statistics
from db.graph.statistics import ActionDimension, CoverageLevel, CtgDimension
from schema.context import Info
from schema.enums import ActionStatus, SchemeStatus, Theme
from schema.nodes import load_node

if TYPE_CHECKING:
    from schema.territories.types import Department, Epci, Region

DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]
EpciRef = Annotated["Epci", strawberry.lazy("schema.territories.types")]
RegionRef = Annotated["Region", strawberry.lazy("schema.territories.types")]

strawberry.enum(
    ActionDimension,
    description="What action statistics are grouped by: the action's theme (thématique), its status, the department "
    "or the EPCI of its CTG, or the year the action starts.",
)

strawberry.enum(
    CtgDimension,
    description="What CTG statistics are grouped by: status, theme (a CTG counts under each theme it covers), the "
    "department, the EPCI it is signed on, the year it starts.",
)
strawberry.enum(
    CoverageLevel,
    description="The territories coverage is measured per: the whole country, regions, departments, EPCIs.",
)

__all__ = [
    "ActionDimension",
    "ActionStatistic",
    "ActionStatus",
    "CtgCoverage",
    "Theme",
]


@strawberry.type
class _PlacedRow:
    """A statistics row's department and EPCI, as nodes beside their codes."""

    @strawberry.field(description="The department, when grouped by DEPARTMENT.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, getattr(self, "department_code", None))

    @strawberry.field(description="The EPCI, when grouped by EPCI (null for CTGs not scoped on one EPCI).")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, getattr(self, "epci_siren", None))


@strawberry.type(
    description="Aggregates over one group of CTG actions (actions du plan d'actions des CTG). The grouping fields "
    "not asked for in `groupBy` are null; so is `epciSiren` for CTGs not scoped on one EPCI."
)
class ActionStatistic(_PlacedRow):
    theme: Theme | None = strawberry.field(description="The actions' theme (thématique), when grouped by THEME.")
    status: ActionStatus | None = strawberry.field(description="The actions' status, when grouped by STATUS.")
    department_code: str | None = strawberry.field(
        description="INSEE code of the department of the actions' CTG, when grouped by DEPARTMENT."
    )
    epci_siren: str | None = strawberry.field(
        description="SIREN of the EPCI the actions' CTG is signed on, when grouped by EPCI; null for CTGs covering a "
        "department or a list of communes."
    )
    year: int | None = strawberry.field(description="The year the actions start, when grouped by YEAR.")
    action_count: int | None = strawberry.field(
        description="Number of actions in the group; null for a department the caller does not see whole (the Cnaf "
        "and the department's Caf do): a count of only the actions one happens to see would be a false figure."
    )
    budget: Decimal | None = strawberry.field(
        description="Total budget of the group's actions in euros (budget prévisionnel); actions without one count 0. "
        "Null unless the caller may see the budget of every action of the group: never a partial sum."
    )
    caf_funding: Decimal | None = strawberry.field(
        description="Total Caf funding of the group's actions in euros (financement Caf); actions without it count 0. "
        "Null unless the caller may see the budget of every action of the group."
    )

    @classmethod
    def from_row(cls, row: statistics.ActionStatisticRow) -> ActionStatistic:
        return cls(
            theme=row.theme,
            status=row.status,
            department_code=row.department_code,
            epci_siren=row.epci_siren,
            year=row.year,
            action_count=row.action_count,
            budget=row.budget,
            caf_funding=row.caf_funding,
        )


@strawberry.type(
    description="CTG coverage of a territory on a given day (taux de couverture CTG): the share of its communes, and "
    "of their population, covered by at least one CTG in force — signed or active, its period including the day. "
    "A CTG covers the members of its EPCI, its listed communes, or its whole department."
)
class CtgCoverage:
    commune_count: int = strawberry.field(description="Number of current communes in the territory.")
    covered_commune_count: int = strawberry.field(description="Number of those communes covered by a CTG in force.")
    population: int = strawberry.field(
        description="Population of the territory: sum of the communes' legal populations (population municipale)."
    )
    covered_population: int = strawberry.field(description="Population of the covered communes.")
    commune_rate: float = strawberry.field(
        description="Covered communes ÷ communes, from 0 to 1 (taux de couverture en communes); 0 without communes."
    )
    population_rate: float = strawberry.field(
        description="Covered population ÷ population, from 0 to 1 (taux de couverture en population); 0 when the "
        "population is 0."
    )
    on: date = strawberry.field(description="The day the coverage is measured on.")

    @classmethod
    def from_coverage(cls, coverage: statistics.Coverage, on: date) -> CtgCoverage:
        return cls(
            commune_count=coverage.commune_count,
            covered_commune_count=coverage.covered_commune_count,
            population=coverage.population,
            covered_population=coverage.covered_population,
            commune_rate=coverage.commune_rate,
            population_rate=coverage.population_rate,
            on=on,
        )


@strawberry.type(
    description="How many CTGs of one group the caller sees, and their actions. Counts are null for a department "
    "the caller does not see whole (the Cnaf and the department's Caf do)."
)
class CtgStatistic(_PlacedRow):
    status: SchemeStatus | None = strawberry.field(description="The CTGs' status, when grouped by STATUS.")
    theme: Theme | None = strawberry.field(description="A theme the CTGs cover, when grouped by THEME.")
    department_code: str | None = strawberry.field(description="Their department's code, when grouped so.")
    epci_siren: str | None = strawberry.field(description="The EPCI's SIREN, when grouped by EPCI.")
    year: int | None = strawberry.field(description="The year they start, when grouped by YEAR.")
    ctg_count: int | None = strawberry.field(description="How many CTGs.")
    action_count: int | None = strawberry.field(description="How many actions of theirs the caller sees.")

    @classmethod
    def from_row(cls, row: statistics.CtgStatisticRow) -> CtgStatistic:
        return cls(
            status=SchemeStatus(row.status) if row.status else None,
            theme=Theme(row.theme) if row.theme else None,
            department_code=row.department_code,
            epci_siren=row.epci_siren,
            year=row.year,
            ctg_count=row.ctg_count,
            action_count=row.action_count,
        )


@strawberry.type(
    description="The CTG coverage of one territory on a day. The figures are null where the caller does not see "
    "the territory whole (the Cnaf everywhere, a Caf in its department): never a false zero."
)
class TerritoryCoverage:
    level: CoverageLevel = strawberry.field(description="What kind of territory this is.")
    code: str | None = strawberry.field(
        description="The region's or department's INSEE code, the EPCI's SIREN; null for the country, and for the "
        "communes outside any EPCI when measured per EPCI."
    )
    coverage: CtgCoverage | None = strawberry.field(description="Its coverage; null where it may not be seen whole.")

    @strawberry.field(description="The region, per REGION.")
    async def region(self, info: Info) -> RegionRef | None:
        from schema.territories.types import Region

        return await load_node(info, Region, self.code) if self.level is CoverageLevel.REGION else None

    @strawberry.field(description="The department, per DEPARTMENT.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.code) if self.level is CoverageLevel.DEPARTMENT else None

    @strawberry.field(description="The EPCI, per EPCI.")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.code) if self.level is CoverageLevel.EPCI else None
