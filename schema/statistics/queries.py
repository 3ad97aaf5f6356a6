"""Statistics entry points: one SQL aggregate per field, computed by PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from db.graph import statistics
from db.graph.filters import ActionFilter, SchemeFilter
from db.graph.statistics import CoverageLevel, CtgDimension
from schema.actions.queries import ActionFilterInput
from schema.context import Info
from schema.errors import InputError
from schema.schemes.queries import SchemeFilterInput
from schema.statistics.types import ActionDimension, ActionStatistic, CtgCoverage, CtgStatistic, TerritoryCoverage


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="Number, budget and Caf funding of CTG actions, across territories, per combination of the "
        "`groupBy` dimensions (ordered by them); without dimensions, one row of totals."
    )
    async def action_statistics(
        self,
        info: Info,
        filter: Annotated[
            ActionFilterInput | None, strawberry.argument(description="Which actions to count; all when omitted.")
        ] = None,
        *,
        group_by: Annotated[
            list[ActionDimension],
            strawberry.argument(description="Dimensions to group by, in the order of the result; [] for totals."),
        ],
    ) -> list[ActionStatistic]:
        action_filter = filter.to_filter() if filter else ActionFilter()
        rows = await statistics.action_statistics(info.context.database, action_filter, group_by)
        return [ActionStatistic.from_row(row) for row in rows]

    @strawberry.field(
        description="CTG coverage (taux de couverture CTG) of a department or of a region on a day: give exactly one "
        "of `department` and `region`. Null if no such department or region."
    )
    async def ctg_coverage(
        self,
        info: Info,
        department: Annotated[
            str | None, strawberry.argument(description='INSEE code of the department (code département), e.g. "31".')
        ] = None,
        region: Annotated[
            str | None,
            strawberry.argument(description='INSEE code of the region (code région), e.g. "52" for Pays de la Loire.'),
        ] = None,
        *,
        on: Annotated[date, strawberry.argument(description="The day to measure coverage on.")],
    ) -> CtgCoverage | None:
        if department is not None and region is not None:
            raise InputError("region", "statistics.department_and_region", query="ctgCoverage")
        if department is None and region is None:
            raise InputError("department", "statistics.department_needed", query="ctgCoverage")
        coverage = await statistics.ctg_coverage(info.context.database, department=department, region=region, on=on)
        return CtgCoverage.from_coverage(coverage, on) if coverage else None


@strawberry.type
class CtgStatisticsQueries:
    @strawberry.field(
        description="How many CTGs the caller sees (and their actions), per combination of the `groupBy` dimensions "
        "(ordered by them); without dimensions, one row of totals."
    )
    async def ctg_statistics(
        self,
        info: Info,
        filter: Annotated[
            SchemeFilterInput | None, strawberry.argument(description="Which CTGs to count; all when omitted.")
        ] = None,
        *,
        group_by: Annotated[
            list[CtgDimension],
            strawberry.argument(description="Dimensions to group by, in the order of the result; [] for totals."),
        ],
    ) -> list[CtgStatistic]:
        scheme_filter = filter.to_filter() if filter else SchemeFilter()
        rows = await statistics.ctg_statistics(info.context.database, scheme_filter, group_by)
        return [CtgStatistic.from_row(row) for row in rows]

    @strawberry.field(
        description="CTG coverage on a day per territory of a level — every EPCI, department or region, or the whole "
        "country — within a department or a region (or France when neither is given), in one call."
    )
    async def ctg_coverages(
        self,
        info: Info,
        on: Annotated[date, strawberry.argument(description="The day to measure coverage on.")],
        per: Annotated[CoverageLevel, strawberry.argument(description="The territories to measure, one row each.")],
        department: Annotated[str | None, strawberry.argument(description="Within this department.")] = None,
        region: Annotated[str | None, strawberry.argument(description="Within this region.")] = None,
    ) -> list[TerritoryCoverage]:
        if department is not None and region is not None:
            raise InputError("region", "statistics.department_and_region", query="ctgCoverages")
        rows = await statistics.coverages(info.context.database, per, department=department, region=region, on=on)
        return [
            TerritoryCoverage(
                level=per,
                code=row.key,
                coverage=CtgCoverage.from_coverage(row.coverage, on) if row.coverage else None,
            )
            for row in rows
        ]
