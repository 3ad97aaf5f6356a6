"""The demo's facilities and funding lines, grounded in the seed pages where they name something.

The seed pages speak of the Caf's "offre de services et d'équipements", of the shared observation of centres
sociaux and espaces de vie sociale, and of the CTG's pooling of means; the demo's action plans already name
the crèche of Blagnac, the centre social Les Passerelles, a micro-crèche, relais petite enfance and espaces de
vie sociale in preparation. Each becomes a facility here, with what its action does for it. Every facility
is illustrative ('demo:' refs), on real communes.

Funding lines: each demo action's budget and Caf funding are spread over the years of its period (at most
three, from its start), the Caf's share as prestation de service (investment for an action that creates or
extends places), the rest as the operating grant of the local authority carrying or partnering it (the
carrier otherwise); amounts of past years are granted and paid. The lines' totals are the action's budget
and Caf funding, which the database keeps as such (migration 0014).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from db.demo import organisations as org
from db.demo.ctgs import CARENE, MURETAIN, NOZAY, PAYS_DE_BLAIN, SICOVAL
from db.demo.ctgs import TOULOUSE_METROPOLE as TOULOUSE
from db.demo.records import Action
from db.models.enums import FacilityKind as K
from db.models.enums import FacilityLink as L
from db.models.enums import FacilityStatus as S
from db.models.enums import FundingType as F

# Years before this one have been granted and paid; this one and later are planned.
CURRENT_YEAR = 2026
YEARS_FUNDED = 3


@dataclass(frozen=True)
class Facility:
    ref: str
    kind: K
    name: str
    commune: str  # INSEE code
    manager: str  # organisation ref
    status: S
    capacity: int | None = None
    address: str | None = None
    opened_on: date | None = None
    approved_from: date | None = None
    # (action ref, what it does for the facility)
    actions: tuple[tuple[str, L], ...] = ()
    # (year, funder ref, type, planned euros)
    funding: tuple[tuple[int, str, F, int], ...] = ()


def _action(ctg: str, number: int) -> str:
    return f"{ctg}:action:{number}"


FACILITIES: tuple[Facility, ...] = (
    Facility(
        "demo:facility:creche-blagnac",
        K.CRECHE_COLLECTIVE,
        "Crèche municipale d'Andromède",
        "31069",
        org.BLAGNAC.ref,
        S.OPEN,
        capacity=24,
        address="Quartier Andromède, 31700 Blagnac",
        opened_on=date(2025, 9, 1),
        approved_from=date(2025, 7, 15),
        actions=((_action(TOULOUSE, 1), L.CREATES),),
        funding=(
            (2025, org.CAF_31, F.BONUS_TERRITOIRE, 18_000),
            (2026, org.CAF_31, F.BONUS_TERRITOIRE, 36_000),
            (2026, org.CAF_31, F.PRESTATION_DE_SERVICE, 190_000),
        ),
    ),
    Facility(
        "demo:facility:centre-social-passerelles",
        K.CENTRE_SOCIAL,
        "Centre social Les Passerelles",
        "31555",
        org.PASSERELLES,
        S.OPEN,
        address="Toulouse",
        opened_on=date(2008, 9, 1),
        approved_from=date(2024, 1, 1),
        actions=((_action(TOULOUSE, 4), L.FUNDS),),
        funding=((2026, org.CAF_31, F.PRESTATION_DE_SERVICE, 74_000),),
    ),
    Facility(
        "demo:facility:micro-creche-sicoval",
        K.MICRO_CRECHE,
        "Micro-crèche Les Petits Pas",
        "31113",
        org.PETITS_PAS,
        S.PLANNED,
        capacity=10,
        address="Castanet-Tolosan",
        actions=((_action(SICOVAL, 1), L.CREATES),),
    ),
    Facility(
        "demo:facility:rpe-sicoval",
        K.RPE,
        "Relais petite enfance du Sicoval",
        "31254",
        org.SICOVAL.ref,
        S.OPEN,
        address="Labège, et itinérant dans six communes",
        opened_on=date(2019, 1, 1),
        actions=((_action(SICOVAL, 4), L.FUNDS),),
        funding=((2026, org.CAF_31, F.PRESTATION_DE_SERVICE, 42_000),),
    ),
    Facility(
        "demo:facility:evs-muretain",
        K.EVS,
        "Espace de vie sociale des communes périurbaines",
        "31433",
        org.MURETAIN.ref,
        S.PLANNED,
        address="Portet-sur-Garonne",
        actions=((_action(MURETAIN, 1), L.CREATES),),
    ),
    Facility(
        "demo:facility:centre-socioculturel-estuaire",
        K.CENTRE_SOCIAL,
        "Centre socioculturel de l'Estuaire",
        "44184",
        org.ESTUAIRE,
        S.OPEN,
        address="Saint-Nazaire",
        opened_on=date(1998, 9, 1),
        approved_from=date(2023, 1, 1),
        actions=((_action(CARENE, 1), L.FUNDS),),
        funding=((2026, org.CAF_44, F.PRESTATION_DE_SERVICE, 81_000),),
    ),
    Facility(
        "demo:facility:creche-parentale-nozay",
        K.CRECHE_PARENTALE,
        "Crèche parentale Les P'tits Mousses",
        "44113",
        org.PTITS_MOUSSES,
        S.OPEN,
        capacity=16,
        address="Nozay",
        opened_on=date(2012, 9, 1),
        approved_from=date(2012, 7, 1),
        actions=((_action(NOZAY, 1), L.EXTENDS),),
        funding=(
            (2026, org.CAF_44, F.PRESTATION_DE_SERVICE, 88_000),
            (2026, org.CAF_44, F.BONUS_TERRITOIRE, 9_600),
        ),
    ),
    Facility(
        "demo:facility:evs-pays-de-blain",
        K.EVS,
        "Espace de vie sociale intercommunal du Pays de Blain",
        "44015",
        org.PAYS_DE_BLAIN.ref,
        S.PLANNED,
        address="Blain",
        actions=((_action(PAYS_DE_BLAIN, 1), L.CREATES),),
    ),
    Facility(
        "demo:facility:rpe-pays-de-blain",
        K.RPE,
        "Relais petite enfance du Pays de Blain",
        "44015",
        org.PAYS_DE_BLAIN.ref,
        S.OPEN,
        address="Blain",
        opened_on=date(2017, 9, 1),
        actions=((_action(PAYS_DE_BLAIN, 2), L.FUNDS),),
        funding=((2026, org.CAF_44, F.PRESTATION_DE_SERVICE, 39_000),),
    ),
)

_LOCAL_AUTHORITY_PREFIXES = ("epci:", "commune:")
_CREATING = ("Ouvrir", "Création", "Micro-crèche", "Résidence")


@dataclass(frozen=True)
class Line:
    """One funding line of an action, in euros with cents."""

    action: str
    year: int
    funder: str
    type: F
    planned: Decimal
    granted: Decimal | None
    paid: Decimal | None


def _shares(total: int, parts: int) -> list[Decimal]:
    """`total` euros in `parts` shares to the cent, the last taking what rounding left."""
    each = (Decimal(total) / parts).quantize(Decimal("0.01"))
    return [each] * (parts - 1) + [Decimal(total) - each * (parts - 1)]


def _other_funder(action: Action, caf: str) -> str:
    """Who funds what the Caf does not: the local authority carrying or partnering the action, else its carrier."""
    candidates = (action.carrier, *(partner.organisation for partner in action.partners))
    return next((ref for ref in candidates if ref.startswith(_LOCAL_AUTHORITY_PREFIXES)), action.carrier)


def funding_lines(action: Action, caf: str) -> list[Line]:
    """The action's budget and Caf funding as lines by year (none when it has no budget)."""
    if action.budget is None:
        return []
    last = action.period_end.year if action.period_end else action.period_start.year + YEARS_FUNDED - 1
    years = list(range(action.period_start.year, min(last, action.period_start.year + YEARS_FUNDED - 1) + 1))
    caf_type = F.INVESTISSEMENT if action.title.startswith(_CREATING) else F.PRESTATION_DE_SERVICE
    caf_total = action.caf_funding or 0
    lines: list[Line] = []
    for funder, kind, total in (
        (caf, caf_type, caf_total),
        (_other_funder(action, caf), F.SUBVENTION_FONCTIONNEMENT, action.budget - caf_total),
    ):
        if total <= 0:
            continue
        for year, planned in zip(years, _shares(total, len(years)), strict=True):
            done = planned if year < CURRENT_YEAR else None
            lines.append(Line(action.ref, year, funder, kind, planned, done, done))
    return lines
