"""An export's query parameters, read into the filter the GraphQL connection of the same listing takes.

The parameters are the connection's filter fields, named as in GraphQL (camelCase, enum values by their GraphQL
names, IDs as global IDs), the territory's fields flattened (`department`, `epci`, `commune`) and a period as
`periodStart` / `periodEnd`. A list is given by repeating the parameter or with commas. A bad value, a repeated
single value or an unknown parameter is refused by name, before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from starlette.datastructures import QueryParams

from db.graph import mapping as m
from db.graph.equipment import FundingFilter
from db.graph.filters import ActionFilter, FacilityFilter, Period, SchemeFilter, TerritoryFilter
from db.graph.mapping import NodeSpec
from db.models.enums import (
    ActionStatus,
    FacilityFamily,
    FacilityKind,
    FacilityStatus,
    FundingType,
    SchemeKind,
    SchemeStatus,
    Theme,
)
from schema.errors import InputError
from schema.relay import key_of


class ParameterError(Exception):
    """A query parameter refused: `parameter` names it, `message_id` of the catalogue and its `parameters` say
    why (schema/messages)."""

    def __init__(self, parameter: str, message_id: str, **parameters: Any) -> None:
        super().__init__(message_id)
        self.parameter = parameter
        self.message_id = message_id
        self.parameters = parameters


class Parameters:
    """Typed reads of the query string; remembers what was read, so that `finish` can refuse the rest."""

    def __init__(self, query: QueryParams) -> None:
        self._query = query
        self._read: set[str] = set()

    def _values(self, name: str) -> list[str]:
        self._read.add(name)
        return [part.strip() for value in self._query.getlist(name) for part in value.split(",") if part.strip()]

    def _one(self, name: str) -> str | None:
        self._read.add(name)
        values = self._query.getlist(name)
        if len(values) > 1:
            raise ParameterError(name, "export.repeated", where=name, count=len(values))
        return (values[0].strip() or None) if values else None

    def text(self, name: str) -> str | None:
        return self._one(name)

    def day(self, name: str) -> date | None:
        value = self._one(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ParameterError(name, "input.Date", where=name, value=value) from None

    def instant(self, name: str) -> datetime | None:
        value = self._one(name)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ParameterError(name, "input.DateTime", where=name, value=value) from None

    def enums(self, name: str, enum: type[StrEnum]) -> tuple[str, ...]:
        """Values of `enum` given by their GraphQL names (EARLY_CHILDHOOD); their stored values."""
        found = []
        for value in self._values(name):
            member = enum.__members__.get(value)
            if member is None:
                raise ParameterError(name, "export.enum", where=name, value=value, allowed=list(enum.__members__))
            found.append(member.value)
        return tuple(dict.fromkeys(found))

    def ids(self, name: str, spec: NodeSpec) -> tuple[Any, ...]:
        try:
            return tuple(dict.fromkeys(key_of(value, spec, name) for value in self._values(name)))
        except InputError as error:
            raise ParameterError(name, error.message_id, **error.parameters) from None

    def integers(self, name: str) -> tuple[int, ...]:
        found = []
        for value in self._values(name):
            if not value.isascii() or not value.isdigit() or len(value) > 9:
                raise ParameterError(name, "input.Int", where=name, value=value)
            found.append(int(value))
        return tuple(dict.fromkeys(found))

    def territory(self) -> TerritoryFilter:
        return TerritoryFilter(self.text("department"), self.text("epci"), self.text("commune"))

    def period(self) -> Period | None:
        start, end = self.day("periodStart"), self.day("periodEnd")
        if start and end and end < start:
            raise ParameterError("periodEnd", "argument.period_order", argument="periodEnd", start=start, end=end)
        return Period(start, end) if start or end else None

    def finish(self) -> None:
        """Refuse a parameter the export does not take (a typo would otherwise export everything)."""
        for name in self._query:
            if name not in self._read:
                raise ParameterError(name, "export.unknown_parameter", where=name, known=sorted(self._read))


def action_filter(p: Parameters) -> ActionFilter:
    """As `actions(filter: ActionFilterInput)`."""
    return ActionFilter(
        territory=p.territory(),
        ctg_ids=p.ids("ctg", m.CTG),
        themes=p.enums("themes", Theme),
        statuses=p.enums("statuses", ActionStatus),
        active_on=p.day("activeOn"),
        expiring_before=p.day("expiringBefore"),
        overlapping=p.period(),
        carrier_ids=p.ids("carrier", m.ORGANISATION),
        partner_ids=p.ids("partner", m.ORGANISATION),
        updated_since=p.instant("updatedSince"),
        search=p.text("search"),
    )


def ctg_filter(p: Parameters) -> SchemeFilter:
    """As `ctgs(filter: SchemeFilterInput)`."""
    return SchemeFilter(
        territory=p.territory(),
        kinds=p.enums("kinds", SchemeKind),
        statuses=p.enums("statuses", SchemeStatus),
        themes=p.enums("themes", Theme),
        active_on=p.day("activeOn"),
        expiring_before=p.day("expiringBefore"),
        overlapping=p.period(),
        signatory_ids=p.ids("signatory", m.ORGANISATION),
        updated_since=p.instant("updatedSince"),
        search=p.text("search"),
    )


def facility_filter(p: Parameters) -> FacilityFilter:
    """As `facilities(filter: FacilityFilterInput)`."""
    return FacilityFilter(
        territory=p.territory(),
        kinds=p.enums("kinds", FacilityKind),
        families=p.enums("families", FacilityFamily),
        statuses=p.enums("statuses", FacilityStatus),
        manager_ids=p.ids("managerIds", m.ORGANISATION),
        updated_since=p.instant("updatedSince"),
        search=p.text("search"),
    )


def funding_filter(p: Parameters) -> FundingFilter:
    """As `fundingStatistics(filter: FundingFilterInput)`: the department or EPCI of the line's action's CTG or
    facility, years, funders, types."""
    return FundingFilter(
        department=p.text("department"),
        epci=p.text("epci"),
        years=p.integers("years"),
        funder_ids=p.ids("funderIds", m.ORGANISATION),
        types=p.enums("types", FundingType),
    )


def read_filter(query: QueryParams, read: Callable[[Parameters], Any]) -> Any:
    """The filter `read` makes of the query string; ParameterError for a bad or unknown parameter."""
    parameters = Parameters(query)
    found = read(parameters)
    parameters.finish()
    return found
