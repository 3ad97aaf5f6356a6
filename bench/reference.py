"""What the generator reads from the database before it writes: the territories and who exists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

# The day the generated data describes: statuses, progress and reported values are as of this day.
# Fixed, so that a seed always gives the same rows whatever day the generator runs.
REFERENCE_DAY = date(2026, 6, 30)


def stamp(day: date, minutes: int = 0) -> datetime:
    """A row's creation time: `day` at 08:00 UTC, plus `minutes`."""
    return datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=minutes)


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    article_kind: int  # INSEE's "type de nom en clair", see db.reference.territory_files.of_name
    zone: str
    region_code: str
    region_name: str
    caf_id: int


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    siren: str | None
    department_code: str
    population: int


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str
    population: int
    communes: tuple[Commune, ...]  # in INSEE code order, never empty

    @property
    def department_code(self) -> str:
        """The EPCI's home department: its first member commune's."""
        return self.communes[0].department_code


@dataclass(frozen=True)
class Reference:
    cnaf_id: int
    departments: Mapping[str, Department]  # the departments that have a Caf, in code order
    epcis: tuple[Epci, ...]  # the EPCIs whose home department has a Caf, in SIREN order
    epci_organisations: Mapping[str, int]  # EPCI SIREN → id of the organisation that already is it
    commune_organisations: Mapping[str, int]  # INSEE code → id of the organisation that already is it
    taken_identifiers: frozenset[str]  # every SIREN, SIRET and RNA that an organisation holds
    first_ids: Mapping[str, int]  # table → the first id free for generated rows
