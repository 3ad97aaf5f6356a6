"""Filters staff use on connections, as plain values, and the SQL conditions they stand for.

The GraphQL layer validates arguments and fills these dataclasses; only this module turns them into
SQL. A department filter includes everything inside the department; a commune filter matches the
schemes and CTGs that cover the commune (through its EPCI, a commune list, or its department).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, literal, or_, select, true

from db.graph.mapping import (
    ACTION,
    CAMPAIGN,
    COMMUNE,
    COVERAGE,
    CTG,
    DEPARTMENT,
    EPCI,
    FACILITY,
    HABILITATION,
    ORGANISATION,
    REGION,
    SCHEME,
    _table,
)
from db.graph.paging import Order
from db.models import ActionPartner, Commune, Scheme, Signature
from db.models.enums import FACILITY_FAMILIES

_scheme = _table(Scheme)
_commune = _table(Commune)
_signature = _table(Signature)
_partner = _table(ActionPartner)


@dataclass(frozen=True)
class Period:
    """Rows whose period overlaps [start, end] (either end open)."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class TerritoryFilter:
    department: str | None = None
    epci: str | None = None
    commune: str | None = None


@dataclass(frozen=True)
class SchemeFilter:
    territory: TerritoryFilter = TerritoryFilter()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    active_on: date | None = None
    expiring_before: date | None = None
    overlapping: Period | None = None
    signatory_ids: tuple[int, ...] = ()
    updated_since: datetime | None = None
    search: str | None = None


@dataclass(frozen=True)
class ActionFilter:
    territory: TerritoryFilter = TerritoryFilter()
    ctg_ids: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    active_on: date | None = None
    expiring_before: date | None = None
    overlapping: Period | None = None
    carrier_ids: tuple[int, ...] = ()
    partner_ids: tuple[int, ...] = ()
    updated_since: datetime | None = None
    search: str | None = None


@dataclass(frozen=True)
class OrganisationFilter:
    territory: TerritoryFilter = TerritoryFilter()
    kinds: tuple[str, ...] = ()
    updated_since: datetime | None = None
    search: str | None = None


@dataclass(frozen=True)
class FacilityFilter:
    territory: TerritoryFilter = TerritoryFilter()
    kinds: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    manager_ids: tuple[int, ...] = ()
    updated_since: datetime | None = None
    search: str | None = None


@dataclass(frozen=True)
class CampaignFilter:
    department: str | None = None  # that department's campaigns (national ones have none)
    national: bool | None = None  # True: national campaigns only; False: departmental ones only
    statuses: tuple[str, ...] = ()
    year: int | None = None  # campaigns whose period meets that calendar year


@dataclass(frozen=True)
class HeldFilter:
    """The habilitations an identity holds (`viewer.habilitations`); none for an anonymous caller."""

    issuer: str | None
    subject: str | None


@dataclass(frozen=True)
class PlaceFilter:
    """Filter for regions, departments, EPCIs and communes."""

    region: str | None = None
    department: str | None = None
    epci: str | None = None
    kinds: tuple[str, ...] = ()
    updated_since: datetime | None = None
    search: str | None = None
    without_ctg_on: date | None = None  # EPCIs and communes no CTG in force that day covers


def matches(search_column: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    """French full-text match, accents ignored, with web-search syntax ("quoted phrases", -not, or)."""
    return search_column.op("@@")(func.websearch_to_tsquery("french", func.fold_accents(text)))


def _folded_contains(column: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    # The text is a part of a name, not a pattern: LIKE's wildcards in it stand for themselves. Escaped in
    # SQL, since compiled reads bind the value into a statement built once per shape.
    literal: ColumnElement[Any] = func.replace(func.replace(func.replace(text, "\\", "\\\\"), "%", "\\%"), "_", "\\_")
    return func.fold_accents(column).ilike(func.concat("%", func.fold_accents(literal), "%"), escape="\\")


def _period(start: ColumnElement[Any], end: ColumnElement[Any], f: SchemeFilter | ActionFilter) -> list[Any]:
    conditions: list[Any] = []
    if f.active_on:
        conditions.append(and_(start <= f.active_on, or_(end.is_(None), end >= f.active_on)))
    if f.expiring_before:
        conditions.append(and_(end.is_not(None), end < f.expiring_before))
    if f.overlapping:
        if f.overlapping.end:
            conditions.append(start <= f.overlapping.end)
        if f.overlapping.start:
            conditions.append(or_(end.is_(None), end >= f.overlapping.start))
    return conditions


def _covers(scheme_id: ColumnElement[Any], territory: TerritoryFilter) -> list[Any]:
    conditions: list[Any] = []
    if territory.department:
        conditions.append(scheme_id.in_(select(_scheme.c.id).where(_scheme.c.department_code == territory.department)))
    if territory.epci:
        conditions.append(
            scheme_id.in_(
                select(COVERAGE.c.scheme_id)
                .join(_commune, _commune.c.insee_code == COVERAGE.c.commune_insee_code)
                .where(_commune.c.epci_siren == territory.epci)
            )
        )
    if territory.commune:
        conditions.append(
            scheme_id.in_(select(COVERAGE.c.scheme_id).where(COVERAGE.c.commune_insee_code == territory.commune))
        )
    return conditions


def scheme_conditions(f: SchemeFilter, *, ctg: bool = False) -> list[ColumnElement[bool]]:
    spec = CTG if ctg else SCHEME
    c = spec.column
    conditions: list[Any] = [*_covers(c("id"), f.territory), *_period(c("period_start"), c("period_end"), f)]
    if f.kinds:
        conditions.append(c("kind").in_(f.kinds))
    if f.statuses:
        conditions.append(c("status").in_(f.statuses))
    if f.themes:
        # Only CTGs have themes: a theme filter on schemes keeps the CTGs covering one of them.
        themes = CTG.column("themes")
        conditions.append(
            c("id").in_(
                select(CTG.column("id"))
                .select_from(CTG.source)
                .where(themes.op("&&")(literal(list(f.themes), type_=themes.type)))
            )
        )
    if f.signatory_ids:
        conditions.append(
            exists().where(_signature.c.scheme_id == c("id"), _signature.c.organisation_id.in_(f.signatory_ids))
        )
    if f.updated_since:
        conditions.append(c("updated_at") >= f.updated_since)
    if f.search:
        conditions.append(matches(_scheme.c.search, f.search))
    return conditions


def action_conditions(f: ActionFilter) -> list[ColumnElement[bool]]:
    c = ACTION.column
    conditions: list[Any] = [*_covers(c("ctg_id"), f.territory), *_period(c("period_start"), c("period_end"), f)]
    if f.ctg_ids:
        conditions.append(c("ctg_id").in_(f.ctg_ids))
    if f.themes:
        conditions.append(c("theme").in_(f.themes))
    if f.statuses:
        conditions.append(c("status").in_(f.statuses))
    if f.carrier_ids:
        conditions.append(c("carrier_id").in_(f.carrier_ids))
    if f.partner_ids:
        conditions.append(
            exists().where(_partner.c.action_id == c("id"), _partner.c.organisation_id.in_(f.partner_ids))
        )
    if f.updated_since:
        conditions.append(c("updated_at") >= f.updated_since)
    if f.search:
        conditions.append(matches(ACTION.source.c.search, f.search))
    return conditions


def organisation_conditions(f: OrganisationFilter) -> list[ColumnElement[bool]]:
    c = ORGANISATION.column
    conditions: list[Any] = []
    if f.territory.department:
        conditions.append(c("department_code") == f.territory.department)
    if f.territory.epci:
        conditions.append(
            or_(
                c("epci_siren") == f.territory.epci,
                c("commune_insee_code").in_(
                    select(_commune.c.insee_code).where(_commune.c.epci_siren == f.territory.epci)
                ),
            )
        )
    if f.territory.commune:
        conditions.append(c("commune_insee_code") == f.territory.commune)
    if f.kinds:
        conditions.append(c("kind").in_(f.kinds))
    if f.updated_since:
        conditions.append(c("updated_at") >= f.updated_since)
    if f.search:
        conditions.append(matches(ORGANISATION.source.c.search, f.search))
    return conditions


def facility_conditions(f: FacilityFilter) -> list[ColumnElement[bool]]:
    """A facility lies in one commune: a territory filter keeps those inside it."""
    c = FACILITY.column
    conditions: list[Any] = []
    if f.territory.department:
        conditions.append(c("department_code") == f.territory.department)
    if f.territory.epci:
        conditions.append(c("epci_siren") == f.territory.epci)
    if f.territory.commune:
        conditions.append(c("commune_insee_code") == f.territory.commune)
    kinds = set(f.kinds) | {kind.value for kind, family in FACILITY_FAMILIES.items() if family.value in f.families}
    if f.kinds or f.families:
        conditions.append(c("kind").in_(sorted(kinds)))
    if f.statuses:
        conditions.append(c("status").in_(f.statuses))
    if f.manager_ids:
        conditions.append(c("manager_id").in_(f.manager_ids))
    if f.updated_since:
        conditions.append(c("updated_at") >= f.updated_since)
    if f.search:
        conditions.append(matches(FACILITY.source.c.search, f.search))
    return conditions


def campaign_conditions(f: CampaignFilter) -> list[ColumnElement[bool]]:
    c = CAMPAIGN.column
    conditions: list[Any] = []
    if f.department:
        conditions.append(c("department_code") == f.department)
    if f.national is not None:
        conditions.append(c("department_code").is_(None) if f.national else c("department_code").is_not(None))
    if f.statuses:
        conditions.append(c("status").in_(f.statuses))
    if f.year is not None:
        conditions += [c("period_start") <= date(f.year, 12, 31), c("period_end") >= date(f.year, 1, 1)]
    return conditions


def place_conditions(spec_name: str, f: PlaceFilter) -> list[ColumnElement[bool]]:
    """Conditions on regions, departments, EPCIs or communes (`spec_name` is the node type)."""
    spec = {"Region": REGION, "Department": DEPARTMENT, "Epci": EPCI, "Commune": COMMUNE}[spec_name]
    c = spec.column
    conditions: list[Any] = []
    if f.region:
        if spec is DEPARTMENT:
            conditions.append(c("region_code") == f.region)
        elif spec is COMMUNE:
            conditions.append(
                c("department_code").in_(
                    select(DEPARTMENT.column("code")).where(DEPARTMENT.column("region_code") == f.region)
                )
            )
        elif spec is EPCI:
            conditions.append(
                c("siren").in_(
                    select(_commune.c.epci_siren).where(
                        _commune.c.department_code.in_(
                            select(DEPARTMENT.column("code")).where(DEPARTMENT.column("region_code") == f.region)
                        )
                    )
                )
            )
        else:
            conditions.append(c("code") == f.region)
    if f.department:
        if spec is COMMUNE:
            conditions.append(c("department_code") == f.department)
        elif spec is EPCI:
            conditions.append(
                c("siren").in_(select(_commune.c.epci_siren).where(_commune.c.department_code == f.department))
            )
        elif spec is DEPARTMENT:
            conditions.append(c("code") == f.department)
        else:
            conditions.append(
                c("code").in_(select(DEPARTMENT.column("region_code")).where(DEPARTMENT.column("code") == f.department))
            )
    if f.epci and spec is COMMUNE:
        conditions.append(c("epci_siren") == f.epci)
    if f.kinds and spec is EPCI:
        conditions.append(c("kind").in_(f.kinds))
    if f.without_ctg_on and spec in (EPCI, COMMUNE):
        covered = (
            select(COVERAGE.c.commune_insee_code)
            .select_from(COVERAGE.join(_scheme, _scheme.c.id == COVERAGE.c.scheme_id))
            .where(
                _scheme.c.kind == "CTG",
                _scheme.c.archived_at.is_(None),
                _scheme.c.status.in_(("signed", "active")),
                _scheme.c.period_start <= f.without_ctg_on,
                or_(_scheme.c.period_end.is_(None), _scheme.c.period_end >= f.without_ctg_on),
            )
        )
        if spec is COMMUNE:
            conditions.append(c("insee_code").not_in(covered))
        else:
            reached = select(_commune.c.epci_siren).where(
                _commune.c.insee_code.in_(covered), _commune.c.epci_siren.is_not(None)
            )
            conditions.append(c("siren").not_in(reached))
    if f.updated_since:
        conditions.append(c("updated_at") >= f.updated_since)
    if f.search:
        conditions.append(_folded_contains(c("name"), f.search))
    return conditions or [true()]


@dataclass(frozen=True)
class Listing:
    """What a top-level connection lists: the rows of a node type that meet a filter, in an order.

    Plain values, so that the same listing is read the same way by the resolvers and by compiled reads.
    """

    type_name: str
    filter: (
        SchemeFilter | ActionFilter | OrganisationFilter | FacilityFilter | CampaignFilter | HeldFilter | PlaceFilter
    )
    order: Order | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        f = self.filter
        if isinstance(f, SchemeFilter):
            return scheme_conditions(f, ctg=self.type_name == "Ctg")
        if isinstance(f, ActionFilter):
            return action_conditions(f)
        if isinstance(f, OrganisationFilter):
            return organisation_conditions(f)
        if isinstance(f, FacilityFilter):
            return facility_conditions(f)
        if isinstance(f, CampaignFilter):
            return campaign_conditions(f)
        if isinstance(f, HeldFilter):
            if f.issuer is None or f.subject is None:
                return [false()]
            return [HABILITATION.column("issuer") == f.issuer, HABILITATION.column("subject") == f.subject]
        return place_conditions(self.type_name, f)
