"""Input types shared by the domains' filters, and their conversion to db filters."""

from __future__ import annotations

from datetime import date

import strawberry

from db.graph.filters import Period, TerritoryFilter
from schema.errors import InputError


@strawberry.input(description="A period; either end may be left open.")
class PeriodInput:
    start: date | None = strawberry.field(default=None, description="First day.")
    end: date | None = strawberry.field(default=None, description="Last day; must not be before `start`.")

    def to_period(self, argument: str) -> Period:
        if self.start and self.end and self.end < self.start:
            raise InputError(argument, "argument.period_order", start=self.start, end=self.end)
        return Period(self.start, self.end)


@strawberry.input(description="Where: a department includes everything inside it; a commune, what covers it.")
class TerritoryInput:
    department: str | None = strawberry.field(default=None, description='Department INSEE code, e.g. "31".')
    epci: str | None = strawberry.field(default=None, description="EPCI SIREN.")
    commune: str | None = strawberry.field(default=None, description='Commune INSEE code, e.g. "31555".')

    def to_filter(self) -> TerritoryFilter:
        return TerritoryFilter(self.department, self.epci, self.commune)


def territory(value: TerritoryInput | None) -> TerritoryFilter:
    return value.to_filter() if value else TerritoryFilter()


def period(value: PeriodInput | None, argument: str) -> Period | None:
    return value.to_period(argument) if value else None
