"""Facilities and funding in figures, and the bonus territoire: each function one SQL statement.

- Places per territory: the communes of the territory asked about, grouped (by commune, EPCI, department,
  region, or not at all for the whole), with their population from the territory reference, crossed with
  the kinds (or families) of facility asked for; the places of the facilities the caller sees in each group.
  Every group of the territory appears, with zero places where there are none.
- Funding totals: the funding lines the caller sees, grouped by year, funder, type, department or EPCI; a sum
  of amounts is shown only where the caller may see every line it adds up.
- The bonus territoire: since 2020 the CTG's bonus goes to the facilities of a territory under a CTG in force
  (signed or active, its period including the day); a facility is eligible on a day when a CTG in force then
  covers its commune (its EPCI's, a list naming it, its department's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    or_,
    select,
    true,
    values,
)
from sqlalchemy import column as sql_column
from sqlalchemy.types import String

from db.graph.filters import FacilityFilter, facility_conditions
from db.graph.mapping import COVERAGE, FACILITY, FUNDING_LINE, _table
from db.graph.visibility import visible
from db.models import Action, Commune, Department, Facility, Scheme
from db.models.enums import FACILITY_FAMILIES, FacilityKind, SchemeKind, SchemeStatus
from db.session import RequestDatabase

_commune, _department = _table(Commune), _table(Department)
_facility, _scheme, _action = _table(Facility), _table(Scheme), _table(Action)
_line = FUNDING_LINE.source

IN_FORCE = (SchemeStatus.SIGNED.value, SchemeStatus.ACTIVE.value)


class PlaceDimension(StrEnum):
    """What places are grouped by."""

    KIND = "kind"
    FAMILY = "family"
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTMENT = "department"
    REGION = "region"


_TERRITORIES: dict[PlaceDimension, Any] = {
    PlaceDimension.COMMUNE: _commune.c.insee_code,
    PlaceDimension.EPCI: _commune.c.epci_siren,
    PlaceDimension.DEPARTMENT: _commune.c.department_code,
    PlaceDimension.REGION: _department.c.region_code,
}


@dataclass(frozen=True)
class PlaceRow:
    """One group: its territory and kind (None where not grouped), facilities, places and population."""

    facility_count: int
    places: int
    population: int
    kind: str | None = None
    family: str | None = None
    commune: str | None = None
    epci: str | None = None
    department: str | None = None
    region: str | None = None

    @property
    def places_per_thousand(self) -> float | None:
        return round(1000 * self.places / self.population, 2) if self.population else None


def _catalogue(f: FacilityFilter, columns: Sequence[str]) -> list[tuple[str, ...]]:
    """The kinds (or families, or both) asked about, one tuple of `columns` each, in order."""
    kinds = [kind for kind in FacilityKind if (not f.kinds and not f.families) or kind.value in f.kinds]
    kinds += [kind for kind, family in FACILITY_FAMILIES.items() if family.value in f.families and kind not in kinds]

    def described(kind: FacilityKind, column: str) -> str:
        return kind.value if column == "kind" else FACILITY_FAMILIES[kind].value

    return sorted({tuple(described(kind, column) for column in columns) for kind in kinds})


async def places(
    database: RequestDatabase, f: FacilityFilter, region: str | None, group_by: Sequence[PlaceDimension]
) -> list[PlaceRow]:
    """Facilities and places of each group, beside its population; every group of the territory appears."""
    dimensions = list(dict.fromkeys(group_by))
    territories = [dimension.value for dimension in dimensions if dimension in _TERRITORIES]
    kinds = [dimension.value for dimension in dimensions if dimension not in _TERRITORIES]

    # The territory's communes, grouped, with their population.
    where: list[ColumnElement[bool]] = []
    if f.territory.department:
        where.append(_commune.c.department_code == f.territory.department)
    if f.territory.epci:
        where.append(_commune.c.epci_siren == f.territory.epci)
    if f.territory.commune:
        where.append(_commune.c.insee_code == f.territory.commune)
    if region:
        where.append(_department.c.region_code == region)
    land_keys = [_TERRITORIES[PlaceDimension(name)].label(name) for name in territories]
    land = (
        select(*land_keys, func.coalesce(func.sum(_commune.c.population), 0).label("population"))
        .select_from(_commune.join(_department, _department.c.code == _commune.c.department_code))
        .where(*where)
        .group_by(*[key.element for key in land_keys])
        .subquery("land")
    )

    # The places of the facilities the caller sees, in the same groups.
    family_of = case(
        *[(FACILITY.column("kind") == kind.value, family.value) for kind, family in FACILITY_FAMILIES.items()]
    )
    region_of = (
        select(_department.c.region_code)
        .where(_department.c.code == FACILITY.column("department_code"))
        .scalar_subquery()
    )
    facility_keys = {
        "commune": FACILITY.column("commune_insee_code"),
        "epci": FACILITY.column("epci_siren"),
        "department": FACILITY.column("department_code"),
        "region": region_of,
        "kind": FACILITY.column("kind"),
        "family": family_of,
    }
    counted_keys = [facility_keys[name].label(name) for name in (*territories, *kinds)]
    regional = [_department.c.region_code == region] if region else []
    counted = (
        select(
            *counted_keys,
            func.count().label("facility_count"),
            func.coalesce(func.sum(FACILITY.column("capacity")), 0).label("places"),
        )
        .select_from(FACILITY.source.join(_department, _department.c.code == FACILITY.column("department_code")))
        .where(*facility_conditions(f), *regional, *visible(FACILITY, database.national))
        .group_by(*[key.element for key in counted_keys])
        .subquery("counted")
    )

    source: Any = land
    keyed: list[Any] = [land.c[name] for name in territories]
    if kinds:
        catalogue = values(*[sql_column(name, String) for name in kinds], name="catalogue").data(_catalogue(f, kinds))
        source = land.join(catalogue, true())
        keyed += [catalogue.c[name] for name in kinds]
    joined = [counted.c[column.name] == column for column in keyed]
    statement = (
        select(
            *keyed,
            land.c.population,
            func.coalesce(counted.c.facility_count, 0).label("facility_count"),
            func.coalesce(counted.c.places, 0).label("places"),
        )
        .select_from(source.outerjoin(counted, and_(true(), *joined)))
        .order_by(*keyed)
    )
    return [
        PlaceRow(
            facility_count=row.facility_count,
            places=row.places,
            population=row.population,
            **{name: row._mapping[name] for name in (*territories, *kinds)},
        )
        for row in await database.rows(statement)
    ]


class FundingDimension(StrEnum):
    YEAR = "year"
    FUNDER = "funder"
    TYPE = "type"
    DEPARTMENT = "department"
    EPCI = "epci"


@dataclass(frozen=True)
class FundingFilter:
    department: str | None = None
    epci: str | None = None
    years: tuple[int, ...] = ()
    funder_ids: tuple[int, ...] = ()
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class FundingRow:
    line_count: int
    planned: Decimal | None
    granted: Decimal | None
    paid: Decimal | None
    year: int | None = None
    funder_id: int | None = None
    type: str | None = None
    department: str | None = None
    epci: str | None = None


def funding_conditions(
    f: FundingFilter, department: ColumnElement[Any], epci: ColumnElement[Any]
) -> list[ColumnElement[bool]]:
    """Conditions on funding lines for `f`, given where each line's money goes (its action's CTG or its facility)."""
    where: list[ColumnElement[bool]] = []
    if f.department:
        where.append(department == f.department)
    if f.epci:
        where.append(epci == f.epci)
    if f.years:
        where.append(_line.c.year.in_(f.years))
    if f.funder_ids:
        where.append(_line.c.funder_id.in_(f.funder_ids))
    if f.types:
        where.append(_line.c.type.in_(f.types))
    return where


async def funding(
    database: RequestDatabase, f: FundingFilter, group_by: Sequence[FundingDimension]
) -> list[FundingRow]:
    """Totals of the funding lines the caller sees, per group; amounts only where it sees every line's."""
    # Where a line's money goes: its action's CTG, or its facility.
    ctg = _scheme.alias("line_ctg")
    action = _action.alias("line_action")
    facility = _facility.alias("line_facility")
    department = func.coalesce(ctg.c.department_code, facility.c.department_code)
    epci = func.coalesce(ctg.c.epci_siren, facility.c.epci_siren)
    keys = {
        FundingDimension.YEAR: _line.c.year,
        FundingDimension.FUNDER: _line.c.funder_id,
        FundingDimension.TYPE: _line.c.type,
        FundingDimension.DEPARTMENT: department,
        FundingDimension.EPCI: epci,
    }
    labelled = [keys[dimension].label(dimension.value) for dimension in dict.fromkeys(group_by)]
    shown = func.coalesce(func.bool_and(FUNDING_LINE.column("money_shown")), true())
    where = funding_conditions(f, department, epci)
    source = (
        _line.outerjoin(action, action.c.id == _line.c.action_id)
        .outerjoin(ctg, ctg.c.id == action.c.ctg_id)
        .outerjoin(facility, facility.c.id == _line.c.facility_id)
    )
    statement = (
        select(
            *labelled,
            func.count().label("line_count"),
            case((shown, func.coalesce(func.sum(_line.c.planned), 0))).label("planned"),
            case((shown, func.coalesce(func.sum(_line.c.granted), 0))).label("granted"),
            case((shown, func.coalesce(func.sum(_line.c.paid), 0))).label("paid"),
        )
        .select_from(source)
        .where(*where, *visible(FUNDING_LINE, database.national))
        .group_by(*[label.element for label in labelled])
        .order_by(*[label.element for label in labelled])
    )
    rows = await database.rows(statement)
    names = {FundingDimension.FUNDER.value: "funder_id"}
    return [
        FundingRow(
            line_count=row.line_count,
            planned=row.planned,
            granted=row.granted,
            paid=row.paid,
            **{names.get(label.name, label.name): row._mapping[label.name] for label in labelled},
        )
        for row in rows
    ]


def _in_force(on: ColumnElement[Any] | date) -> list[ColumnElement[bool]]:
    return [
        _scheme.c.kind == SchemeKind.CTG.value,
        _scheme.c.archived_at.is_(None),
        _scheme.c.status.in_(IN_FORCE),
        _scheme.c.period_start <= on,
        or_(_scheme.c.period_end.is_(None), _scheme.c.period_end >= on),
    ]


async def ctgs_covering(database: RequestDatabase, communes: Sequence[str], on: date) -> dict[str, list[int]]:
    """For each commune, the CTGs in force on `on` covering it, whoever may see them (coverage is a fact of the
    territory, as in the coverage statistics; which of them the caller may see is the caller's business)."""
    statement = (
        select(COVERAGE.c.commune_insee_code, COVERAGE.c.scheme_id)
        .select_from(COVERAGE.join(_scheme, _scheme.c.id == COVERAGE.c.scheme_id))
        .where(COVERAGE.c.commune_insee_code.in_(list(communes)), *_in_force(on))
        .order_by(COVERAGE.c.commune_insee_code, COVERAGE.c.scheme_id)
    )
    covered: dict[str, list[int]] = {}
    for row in await database.rows(statement):
        covered.setdefault(row.commune_insee_code, []).append(row.scheme_id)
    return covered


async def covered_facilities(database: RequestDatabase, ctg_id: int, year: int) -> list[tuple[Any, Decimal | None]]:
    """The facilities the caller sees in the CTG's territory, if the CTG is in force during `year`, with the
    bonus territoire of that year on their funding lines (None where the caller may not see the amounts)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_force = (
        select(_scheme.c.id)
        .where(
            _scheme.c.id == ctg_id,
            _scheme.c.kind == SchemeKind.CTG.value,
            _scheme.c.status.in_(IN_FORCE),
            _scheme.c.period_start <= last,
            or_(_scheme.c.period_end.is_(None), _scheme.c.period_end >= first),
        )
        .exists()
    )
    bonus = (
        select(func.sum(_line.c.planned))
        .where(_line.c.facility_id == FACILITY.key_column, _line.c.year == year, _line.c.type == "bonus_territoire")
        .scalar_subquery()
    )
    statement = (
        select(
            *[column.label(name) for name, column in FACILITY.columns.items()],
            case((FACILITY.column("money_shown"), func.coalesce(bonus, 0))).label("bonus"),
        )
        .select_from(FACILITY.source)
        .where(
            in_force,
            FACILITY.column("commune_insee_code").in_(
                select(COVERAGE.c.commune_insee_code).where(COVERAGE.c.scheme_id == ctg_id)
            ),
            FACILITY.column("status") != "closed",
            *visible(FACILITY, database.national),
        )
        .order_by(FACILITY.column("name"), FACILITY.key_column)
    )
    return [(row, row.bonus) for row in await database.rows(statement)]


async def newly_eligible(database: RequestDatabase, epci_siren: str, on: date) -> list[Any]:
    """The facilities the caller sees in the EPCI's communes that no CTG in force on `on` covers: those a CTG
    signed on the EPCI would make eligible."""
    covered = (
        select(COVERAGE.c.commune_insee_code)
        .select_from(COVERAGE.join(_scheme, _scheme.c.id == COVERAGE.c.scheme_id))
        .where(*_in_force(on))
    )
    statement = (
        select(*[column.label(name) for name, column in FACILITY.columns.items()])
        .select_from(FACILITY.source)
        .where(
            FACILITY.column("epci_siren") == epci_siren,
            FACILITY.column("status") != "closed",
            FACILITY.column("commune_insee_code").not_in(covered),
            *visible(FACILITY, database.national),
        )
        .order_by(FACILITY.column("name"), FACILITY.key_column)
    )
    return list(await database.rows(statement))
