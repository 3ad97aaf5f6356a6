"""Statistics types: action aggregates per group and CTG coverage of a territory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from db.graph import statistics
from db.graph.statistics import ActionDimension
from schema.enums import ActionStatus, Theme

strawberry.enum(
    ActionDimension,
    description="What action statistics are grouped by: the action's theme (thématique), its status, the department "
    "or the EPCI of its CTG, or the year the action starts.",
)

__all__ = [
    "ActionDimension",
    "ActionStatistic",
    "ActionStatus",
    "CtgCoverage",
    "Theme",
]


@strawberry.type(
    description="Aggregates over one group of CTG actions (actions du plan d'actions des CTG). The grouping fields "
    "not asked for in `groupBy` are null; so is `epciSiren` for CTGs not scoped on one EPCI."
)
class ActionStatistic:
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
    action_count: int = strawberry.field(description="Number of actions in the group.")
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
