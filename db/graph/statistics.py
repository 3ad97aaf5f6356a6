"""Cross-territory statistics for Caf and Cnaf staff, aggregated by PostgreSQL.

Each function is one SQL statement that returns aggregates only: no action or commune row ever
travels to Python, whatever the size of the territory asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Integer, Label, Select, case, cast, distinct, extract, func, or_, select, true

from db.graph.filters import ActionFilter, action_conditions
from db.graph.mapping import ACTION, COVERAGE, _table
from db.graph.visibility import visible
from db.models import Action, Commune, Department, Scheme
from db.models.enums import ActionStatus, SchemeKind, SchemeStatus, Theme
from db.session import RequestDatabase

_action = _table(Action)
_scheme = _table(Scheme)
_commune = _table(Commune)
_department = _table(Department)


class ActionDimension(StrEnum):
    """What action statistics can be grouped by."""

    THEME = "theme"
    STATUS = "status"
    DEPARTMENT = "department"  # the department of the action's CTG
    EPCI = "epci"  # the EPCI of the action's CTG, for CTGs scoped on one EPCI
    YEAR = "year"  # the year the action starts


# Each dimension's label is the name of the ActionStatisticRow field it fills.
_DIMENSIONS: dict[ActionDimension, Label[Any]] = {
    ActionDimension.THEME: _action.c.theme.label("theme"),
    ActionDimension.STATUS: _action.c.status.label("status"),
    ActionDimension.DEPARTMENT: _scheme.c.department_code.label("department_code"),
    ActionDimension.EPCI: _scheme.c.epci_siren.label("epci_siren"),
    ActionDimension.YEAR: cast(extract("year", _action.c.period_start), Integer).label("year"),
}


@dataclass(frozen=True)
class ActionStatisticRow:
    """One group of actions; the dimensions not grouped on are None."""

    action_count: int
    budget: Decimal | None  # None unless the caller sees every budget of the group
    caf_funding: Decimal | None
    theme: Theme | None = None
    status: ActionStatus | None = None
    department_code: str | None = None
    epci_siren: str | None = None
    year: int | None = None


async def action_statistics(
    database: RequestDatabase, f: ActionFilter, group_by: Sequence[ActionDimension]
) -> list[ActionStatisticRow]:
    """Count, budget and Caf funding of the actions `f` selects, per combination of `group_by` values.

    Without dimensions, one row of totals (zeros when nothing matches); with dimensions, one row per
    combination that has actions, ordered by the dimensions in the order given.
    """
    rows = await database.rows(action_statistics_statement(f, group_by, database.national))
    return [_statistic(row._mapping) for row in rows]


def action_statistics_statement(f: ActionFilter, group_by: Sequence[ActionDimension], national: bool) -> Select[Any]:
    """The statement behind `action_statistics`: one row per group, its dimensions labelled by their value
    (`theme`, `status`, `department_code`, `epci_siren`, `year`), then `action_count`, `budget`, `caf_funding`."""
    dimensions = [_DIMENSIONS[dimension] for dimension in dict.fromkeys(group_by)]
    # A sum is shown only where the caller sees every budget it adds up: never a partial one.
    every_shown = func.coalesce(func.bool_and(ACTION.column("money_shown")), true())
    return (
        select(
            *dimensions,
            func.count().label("action_count"),
            case((every_shown, func.coalesce(func.sum(_action.c.budget), 0))).label("budget"),
            case((every_shown, func.coalesce(func.sum(_action.c.caf_funding), 0))).label("caf_funding"),
        )
        .select_from(_action.join(_scheme, _scheme.c.id == _action.c.ctg_id))
        .where(*action_conditions(f), *visible(ACTION, national))
        .group_by(*(dimension.element for dimension in dimensions))
        .order_by(*dimensions)
    )


def _statistic(values: Any) -> ActionStatisticRow:
    theme, status = values.get("theme"), values.get("status")
    return ActionStatisticRow(
        action_count=values["action_count"],
        budget=None if values["budget"] is None else Decimal(values["budget"]),
        caf_funding=None if values["caf_funding"] is None else Decimal(values["caf_funding"]),
        theme=Theme(theme) if theme is not None else None,
        status=ActionStatus(status) if status is not None else None,
        department_code=values.get("department_code"),
        epci_siren=values.get("epci_siren"),
        year=values.get("year"),
    )


@dataclass(frozen=True)
class Coverage:
    """How much of a territory's communes and population at least one CTG in force covers."""

    commune_count: int
    covered_commune_count: int
    population: int
    covered_population: int

    @property
    def commune_rate(self) -> float:
        return self.covered_commune_count / self.commune_count if self.commune_count else 0.0

    @property
    def population_rate(self) -> float:
        return self.covered_population / self.population if self.population else 0.0


# A signed CTG covers its territory from the start of its period, before anyone marks it active.
_IN_FORCE_STATUSES = (SchemeStatus.ACTIVE.value, SchemeStatus.SIGNED.value)


async def ctg_coverage(
    database: RequestDatabase, *, department: str | None, region: str | None, on: date
) -> Coverage | None:
    """CTG coverage of a department's communes, or of every department of a region, on day `on`.

    None when no department has that code, or no department belongs to a region of that code.
    """
    (row,) = await database.rows(ctg_coverage_statement(department=department, region=region, on=on))
    if not row.department_count:
        return None
    return Coverage(
        commune_count=row.commune_count,
        covered_commune_count=row.covered_commune_count,
        population=row.population,
        covered_population=row.covered_population,
    )


def ctg_coverage_statement(*, department: str | None, region: str | None, on: date) -> Select[Any]:
    """The statement behind `ctg_coverage`: one row, with `department_count` (0: no such territory)."""
    if (department is None) == (region is None):
        raise ValueError("give exactly one of department and region")
    covered = (
        select(COVERAGE.c.commune_insee_code)
        .distinct()
        .select_from(COVERAGE.join(_scheme, _scheme.c.id == COVERAGE.c.scheme_id))
        .where(
            _scheme.c.kind == SchemeKind.CTG.value,
            _scheme.c.archived_at.is_(None),
            _scheme.c.status.in_(_IN_FORCE_STATUSES),
            _scheme.c.period_start <= on,
            or_(_scheme.c.period_end.is_(None), _scheme.c.period_end >= on),
        )
        .subquery("covered")
    )
    territory = _department.c.code == department if department is not None else _department.c.region_code == region
    return (
        select(
            func.count(distinct(_department.c.code)).label("department_count"),
            func.count(_commune.c.insee_code).label("commune_count"),
            func.count(covered.c.commune_insee_code).label("covered_commune_count"),
            func.coalesce(func.sum(_commune.c.population), 0).label("population"),
            func.coalesce(func.sum(_commune.c.population).filter(covered.c.commune_insee_code.is_not(None)), 0).label(
                "covered_population"
            ),
        )
        # Outer joins: a known department without communes still answers, with zeros.
        .select_from(
            _department.outerjoin(_commune, _commune.c.department_code == _department.c.code).outerjoin(
                covered, covered.c.commune_insee_code == _commune.c.insee_code
            )
        )
        .where(territory)
    )
