"""Facilities in proportion to population, their links to actions, and funding lines by year.

Rates are per 100,000 inhabitants and close to the national register's orders of magnitude (about 17,000
EAJE, 33,000 ALSH sites, 3,000 RPE, 2,400 centres sociaux…): at scale 1 about 60,000 facilities for the
whole country. An action's funding lines add up exactly to the budget and Caf funding it was generated with
(the totals trigger defers to the bulk load), and a facility of a commune under a CTG in force gets the
bonus territoire of each year the CTG covers.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bench.organisations import Directory
from bench.reference import REFERENCE_DAY, Epci, stamp
from bench.schemes import WrittenCtg
from bench.tables import Rows
from db.models.enums import FACILITY_FAMILIES, FacilityFamily, FacilityKind, FundingType, SchemeStatus, Theme

Kind = FacilityKind

# Per 100,000 inhabitants; (lowest, highest) places, None where places are not counted.
_RATES: dict[Kind, tuple[float, tuple[int, int] | None]] = {
    Kind.MULTI_ACCUEIL: (14.0, (15, 60)),
    Kind.CRECHE_COLLECTIVE: (3.0, (30, 80)),
    Kind.CRECHE_FAMILIALE: (1.0, (20, 90)),
    Kind.CRECHE_PARENTALE: (0.5, (12, 25)),
    Kind.MICRO_CRECHE: (10.0, (10, 12)),
    Kind.ALSH_EXTRASCOLAIRE: (20.0, (24, 150)),
    Kind.ALSH_PERISCOLAIRE: (28.0, (20, 200)),
    Kind.LAEP: (2.2, None),
    Kind.RPE: (4.4, None),
    Kind.CENTRE_SOCIAL: (3.5, None),
    Kind.EVS: (2.0, None),
    Kind.FJT: (0.7, (20, 120)),
    Kind.INFORMATION_JEUNESSE: (1.9, None),
    Kind.PS_JEUNES: (1.5, None),
}
_LABELS: dict[Kind, str] = {
    Kind.MULTI_ACCUEIL: "Multi-accueil",
    Kind.CRECHE_COLLECTIVE: "Crèche collective",
    Kind.CRECHE_FAMILIALE: "Crèche familiale",
    Kind.CRECHE_PARENTALE: "Crèche parentale",
    Kind.MICRO_CRECHE: "Micro-crèche",
    Kind.ALSH_EXTRASCOLAIRE: "Accueil de loisirs",
    Kind.ALSH_PERISCOLAIRE: "Accueil périscolaire",
    Kind.LAEP: "Lieu d'accueil enfants-parents",
    Kind.RPE: "Relais petite enfance",
    Kind.CENTRE_SOCIAL: "Centre social",
    Kind.EVS: "Espace de vie sociale",
    Kind.FJT: "Foyer de jeunes travailleurs",
    Kind.INFORMATION_JEUNESSE: "Point information jeunesse",
    Kind.PS_JEUNES: "Espace jeunes",
}
_NAMES = (
    "Les Petits Pas", "Les Lucioles", "L'Île aux enfants", "Les Coccinelles", "Le Petit Prince", "Les Hirondelles",
    "Arc-en-ciel", "Les Marmousets", "La Ribambelle", "Les Farfadets", "Le Jardin d'Éveil", "Les Galopins",
    "La Maison des familles", "Le Pôle enfance", "Les Quatre Saisons", "La Passerelle", "L'Escale", "Le Trait d'union",
)  # fmt: skip
# Which facilities an action of a theme may create, extend or fund.
_FAMILIES_OF_THEME: dict[Theme, tuple[FacilityFamily, ...]] = {
    Theme.EARLY_CHILDHOOD: (FacilityFamily.EAJE, FacilityFamily.RPE),
    Theme.CHILDHOOD: (FacilityFamily.ALSH,),
    Theme.YOUTH: (FacilityFamily.YOUTH, FacilityFamily.ALSH),
    Theme.PARENTING: (FacilityFamily.LAEP, FacilityFamily.SOCIAL_LIFE),
    Theme.SOCIAL_LIFE: (FacilityFamily.SOCIAL_LIFE,),
}
# The Caf's operating funding goes to these; the others get other funders' grants only.
_SERVICE_FUNDED = frozenset(FacilityFamily) - {FacilityFamily.YOUTH}
_FIRST_FUNDED_YEAR = REFERENCE_DAY.year - 2
_IN_FORCE = (SchemeStatus.ACTIVE, SchemeStatus.SIGNED, SchemeStatus.EXPIRED)


@dataclass(frozen=True)
class GeneratedFacility:
    id: int
    kind: Kind
    commune: str
    manager: int
    caf: int
    open: bool


def _count(rng: random.Random, expected: float) -> int:
    """A whole number of facilities whose mean is `expected`."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def add_facilities(
    rng: random.Random, epcis: Sequence[Epci], directory: Directory, density: float, rows: Rows
) -> list[GeneratedFacility]:
    """Facilities of every commune of the EPCIs generated for, managed by the commune, an association or the EPCI."""
    made: list[GeneratedFacility] = []
    for epci in epcis:
        associations = directory.associations.get(epci.siren, [])
        for commune in epci.communes:
            bodies = directory.departments.get(commune.department_code)
            if bodies is None:
                continue
            for kind, (rate, places) in _RATES.items():
                for _ in range(_count(rng, commune.population * rate * density / 100_000)):
                    made.append(
                        _facility(rng, rows, kind, places, commune.insee_code, commune.name, bodies.caf, associations,
                                  directory.communes.get(commune.insee_code) or directory.epcis.get(epci.siren))
                    )  # fmt: skip
    return made


def _facility(
    rng: random.Random,
    rows: Rows,
    kind: Kind,
    places: tuple[int, int] | None,
    commune: str,
    commune_name: str,
    caf: int,
    associations: Sequence[int],
    public_body: int | None,
) -> GeneratedFacility:
    manager = rng.choice(associations) if associations and (rng.random() < 0.6 or public_body is None) else public_body
    if manager is None:
        manager = caf
    opened = date(rng.randint(1985, REFERENCE_DAY.year + 1), rng.choice((1, 3, 9)), 1)
    draw = rng.random()
    if opened > REFERENCE_DAY:
        status, closed = "planned", None
    elif draw < 0.04:
        status, closed = "closed", min(REFERENCE_DAY, opened + timedelta(days=rng.randint(400, 9000)))
    else:
        status, closed = "open", None
    approved = FACILITY_FAMILIES[kind] in (FacilityFamily.EAJE, FacilityFamily.ALSH)
    facility_id = rows.new(
        "facility",
        stamp(min(opened, REFERENCE_DAY)),
        ref=f"bench:facility:{rows.count('facility') + 1}",
        kind=kind.value,
        name=f"{_LABELS[kind]} {rng.choice(_NAMES)} — {commune_name}",
        capacity=rng.randint(*places) if places else None,
        manager_id=manager,
        commune_insee_code=commune,
        status=status,
        opened_on=opened if status != "planned" or rng.random() < 0.5 else None,
        closed_on=closed,
        approved_from=opened if approved else None,
        approved_until=opened + timedelta(days=365 * 15) if approved and rng.random() < 0.5 else None,
    )
    return GeneratedFacility(facility_id, kind, commune, manager, caf, status != "closed")


def add_facility_funding(
    rng: random.Random, facilities: Iterable[GeneratedFacility], ctgs: Sequence[WrittenCtg], rows: Rows
) -> None:
    """The Caf's prestation de service of each open facility by year, and the bonus territoire where a CTG covers it."""
    covered: dict[str, list[tuple[date, date]]] = {}
    for ctg in ctgs:
        plan = ctg.plan
        if plan.status in _IN_FORCE:
            for commune in plan.communes or plan.epci.communes:
                covered.setdefault(commune.insee_code, []).append((plan.start, plan.end))
    for facility in facilities:
        if not facility.open or FACILITY_FAMILIES[facility.kind] not in _SERVICE_FUNDED:
            continue
        created = stamp(REFERENCE_DAY)
        for year in range(_FIRST_FUNDED_YEAR, REFERENCE_DAY.year + 1):
            service = Decimal(rng.randrange(8_000, 250_000, 10))
            past = year < REFERENCE_DAY.year
            rows.new("funding_line", created, facility_id=facility.id, year=year, funder_id=facility.caf,
                     type=FundingType.PRESTATION_DE_SERVICE.value, planned=service, granted=service if past else None,
                     paid=service if past else None)  # fmt: skip
            periods = covered.get(facility.commune, ())
            if any(start.year <= year <= end.year for start, end in periods):
                bonus = Decimal(rng.randrange(2_000, 40_000, 10))
                rows.new("funding_line", created, facility_id=facility.id, year=year, funder_id=facility.caf,
                         type=FundingType.BONUS_TERRITOIRE.value, planned=bonus, granted=bonus if past else None,
                         paid=None)  # fmt: skip


class FacilityIndex:
    """The facilities of each commune by family, for actions to link to."""

    def __init__(self, facilities: Iterable[GeneratedFacility]) -> None:
        self._by_place: dict[tuple[str, FacilityFamily], list[int]] = {}
        for facility in facilities:
            self._by_place.setdefault((facility.commune, FACILITY_FAMILIES[facility.kind]), []).append(facility.id)

    def pick(self, rng: random.Random, theme: Theme, communes: Sequence[str]) -> int | None:
        families = _FAMILIES_OF_THEME.get(theme)
        if not families or not communes:
            return None
        for _ in range(3):
            found = self._by_place.get((rng.choice(communes), rng.choice(families)))
            if found:
                return rng.choice(found)
        return None


def split(cents: int, parts: int) -> list[int]:
    """`cents` in `parts` whole shares adding up to it exactly, the remainder on the last one."""
    share = cents // parts
    return [share] * (parts - 1) + [cents - share * (parts - 1)]
