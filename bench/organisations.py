"""The partner organisations: departmental bodies, EPCIs, communes and associations."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench import vocabulary as words
from bench.french import of, slug
from bench.identifiers import Identifiers, head_office_siret
from bench.reference import Department, Epci, Reference, stamp
from bench.tables import Rows
from db.models.enums import OrganisationKind as Kind
from db.reference.territory_files import of_name

# Departments whose departmental council is a collectivity with another name, or shared with a neighbour.
_COUNCILS = {
    "75": "Ville de Paris",
    "972": "Collectivité territoriale de Martinique",
    "973": "Collectivité territoriale de Guyane",
    "2A": "Collectivité de Corse",
    "67": "Collectivité européenne d'Alsace",
}
_COUNCIL_SHARED_WITH = {"2B": "2A", "68": "67"}

# Regions with one MSA for all their departments; elsewhere an MSA serves two neighbouring departments.
_REGION_WIDE_MSA = {"11": "MSA d'Île-de-France", "94": "MSA de la Corse"}
# Old-style Carsat areas that do not follow today's regions; Île-de-France has the Cnav instead.
_CARSAT_AREA = {"93": "Sud-Est", "94": "Sud-Est"}
_OVERSEAS_FUNDS = {"976": ("Caisse de sécurité sociale de Mayotte", "CSSM")}

# Associations per EPCI grow like population**0.8: big towns have more, but not proportionally more.
_ASSOCIATIONS_NATIONALLY = 42_000
_ASSOCIATION_POPULATION_EXPONENT = 0.8
# A commune takes part as an organisation with certainty from this population down to a floor chance.
_COMMUNE_CERTAIN_POPULATION = 5_000
_COMMUNE_FLOOR_CHANCE = 0.3


@dataclass
class DepartmentBodies:
    """The institutions of one department that sign schemes and join actions."""

    caf: int
    state: int
    council: int | None = None
    msa: int | None = None
    carsat: int | None = None


@dataclass
class Directory:
    """Who is who among the organisations, for schemes and actions to pick from."""

    departments: dict[str, DepartmentBodies] = field(default_factory=dict)
    epcis: dict[str, int] = field(default_factory=dict)  # EPCI SIREN → organisation id
    communes: dict[str, int] = field(default_factory=dict)  # INSEE code → organisation id
    associations: dict[str, list[int]] = field(default_factory=dict)  # EPCI SIREN → associations based there
    names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Group:
    name: str
    acronym: str
    departments: list[Department]


def _msa_groups(departments: Sequence[Department]) -> list[_Group]:
    groups: list[_Group] = []
    metro = sorted(
        (department for department in departments if department.zone == "metro"), key=lambda d: d.region_code
    )
    for region, members in itertools.groupby(metro, key=lambda department: department.region_code):
        in_region = list(members)
        if region in _REGION_WIDE_MSA:
            groups.append(_Group(_REGION_WIDE_MSA[region], "MSA", in_region))
            continue
        for start in range(0, len(in_region), 2):
            pair = in_region[start : start + 2]
            groups.append(_Group("MSA " + "-".join(department.name for department in pair), "MSA", pair))
    return groups


def _carsat_groups(departments: Sequence[Department]) -> list[_Group]:
    """The pension and occupational-risk funds: Carsats, the Cnav in Île-de-France, the overseas funds."""
    groups: dict[str, _Group] = {}
    for department in departments:
        if department.zone == "drom":
            name, acronym = _OVERSEAS_FUNDS.get(
                department.code,
                (f"Caisse générale de sécurité sociale {of_name(department.name, department.article_kind)}", "CGSS"),
            )
        elif department.region_code == "11":
            name, acronym = "Caisse nationale d'assurance vieillesse en Île-de-France", "Cnav"
        else:
            name, acronym = "Carsat " + _CARSAT_AREA.get(department.region_code, department.region_name), "Carsat"
        groups.setdefault(name, _Group(name, acronym, [])).departments.append(department)
    return list(groups.values())


class _Builder:
    def __init__(self, rng: random.Random, reference: Reference, rows: Rows) -> None:
        self.rng = rng
        self.reference = reference
        self.rows = rows
        self.identifiers = Identifiers(rng, set(reference.taken_identifiers))
        self.directory = Directory()
        self.association_number = itertools.count(1)

    def organisation(self, ref: str, kind: Kind, name: str, department_code: str, **values: object) -> int:
        created = stamp(date(2019, 1, 1) + timedelta(days=self.rng.randrange(7 * 365)), self.rng.randrange(600))
        organisation_id = self.rows.new(
            "organisation", created, ref=ref, kind=kind.value, name=name, department_code=department_code, **values
        )
        self.directory.names[organisation_id] = name
        return organisation_id

    def departmental_bodies(self, departments: Sequence[Department]) -> None:
        msa_of = self._shared_bodies(Kind.MSA, _msa_groups(departments))
        carsat_of = self._shared_bodies(Kind.CARSAT, _carsat_groups(departments))
        for department in departments:
            code, of_department = department.code, of_name(department.name, department.article_kind)
            if department.zone == "drom":
                state = f"Direction de l'économie, de l'emploi, du travail et des solidarités {of_department}"
                acronym = "DEETS"
            else:
                state = f"Direction départementale de l'emploi, du travail et des solidarités {of_department}"
                acronym = f"DDETS {code}"
            council = None
            if code not in _COUNCIL_SHARED_WITH:
                council_name = _COUNCILS.get(code, f"Conseil départemental {of_department}")
                council = self.organisation(f"bench:council:{code}", Kind.DEPARTMENTAL_COUNCIL, council_name, code)
            self.directory.departments[code] = DepartmentBodies(
                caf=department.caf_id,
                state=self.organisation(f"bench:state:{code}", Kind.STATE_SERVICE, state, code, acronym=acronym),
                council=council,
                msa=msa_of.get(code),
                carsat=carsat_of.get(code),
            )
        for code, host in _COUNCIL_SHARED_WITH.items():
            if code in self.directory.departments and host in self.directory.departments:
                self.directory.departments[code].council = self.directory.departments[host].council

    def _shared_bodies(self, kind: Kind, groups: Sequence[_Group]) -> dict[str, int]:
        """One organisation per group, based in the group's first department; department code → its id."""
        body_of: dict[str, int] = {}
        for group in groups:
            home = group.departments[0].code
            body = self.organisation(
                f"bench:{kind.value}:{slug(group.name)}", kind, group.name, home, acronym=group.acronym
            )
            body_of.update((department.code, body) for department in group.departments)
        return body_of

    def epci(self, epci: Epci) -> None:
        existing = self.reference.epci_organisations.get(epci.siren)
        if existing is not None:
            self.directory.epcis[epci.siren] = existing
            self.directory.names[existing] = epci.name
            return
        acronym = re.search(r"\(([^()]{2,40})\)$", epci.name)
        siren = self.identifiers.claim(epci.siren)
        domain = slug(epci.name)[:40].strip("-")
        self.directory.epcis[epci.siren] = self.organisation(
            f"bench:epci:{epci.siren}",
            Kind.EPCI,
            epci.name,
            epci.department_code,
            acronym=acronym.group(1) if acronym else None,
            siren=siren,
            siret=self.identifiers.claim(head_office_siret(siren)) if siren and self.rng.random() < 0.6 else None,
            email=f"contact@{domain}.fr",
            website=f"https://www.{domain}.fr",
            epci_siren=epci.siren,
        )

    def communes(self, epci: Epci, required: set[str]) -> None:
        for commune in epci.communes:
            existing = self.reference.commune_organisations.get(commune.insee_code)
            if existing is not None:
                self.directory.communes[commune.insee_code] = existing
                self.directory.names[existing] = commune.name
                continue
            chance = (
                _COMMUNE_FLOOR_CHANCE + (1 - _COMMUNE_FLOOR_CHANCE) * commune.population / _COMMUNE_CERTAIN_POPULATION
            )
            if commune.insee_code not in required and self.rng.random() >= chance:
                continue
            siren = self.identifiers.claim(commune.siren)
            domain = slug(commune.name)[:40].strip("-")
            self.directory.communes[commune.insee_code] = self.organisation(
                f"bench:commune:{commune.insee_code}",
                Kind.COMMUNE,
                ("Ville " if commune.population >= 10_000 else "Commune ") + of(commune.name),
                commune.department_code,
                siren=siren,
                siret=self.identifiers.claim(head_office_siret(siren)) if siren and self.rng.random() < 0.5 else None,
                email=f"mairie@{domain}.fr" if self.rng.random() < 0.7 else None,
                website=f"https://www.{domain}.fr" if commune.population >= 2_000 else None,
                commune_insee_code=commune.insee_code,
            )

    def associations(self, epci: Epci, count: int) -> None:
        cumulative = list(itertools.accumulate(max(commune.population, 1) for commune in epci.communes))
        homes = self.rng.choices(epci.communes, cum_weights=cumulative, k=count)
        members = self.directory.associations.setdefault(epci.siren, [])
        for home in homes:
            if self.rng.random() < 0.7:
                kind, acronym = self.rng.choice(words.ASSOCIATION_KINDS)
                name = f"{kind} {of(home.name)}"
            else:
                kind, acronym = self.rng.choice(words.NAMED_KINDS), None
                name = f"{kind} « {self.rng.choice(words.NICKNAMES)} » {of(home.name)}"
            siren = self.identifiers.association_siren() if self.rng.random() < 0.45 else None
            members.append(
                self.organisation(
                    f"bench:association:{next(self.association_number)}",
                    Kind.ASSOCIATION,
                    name,
                    home.department_code,
                    acronym=acronym,
                    siren=siren,
                    siret=self.identifiers.claim(head_office_siret(siren))
                    if siren and self.rng.random() < 0.8
                    else None,
                    rna=self.identifiers.rna(home.department_code) if self.rng.random() < 0.9 else None,
                    email=f"contact@{slug(name)[:40].strip('-')}.fr" if self.rng.random() < 0.5 else None,
                )
            )


def add_organisations(
    rng: random.Random,
    reference: Reference,
    epcis: Sequence[Epci],
    required_communes: set[str],
    density: float,
    rows: Rows,
) -> Directory:
    """Create the organisations around `epcis`; `required_communes` must each get an organisation.

    Association counts are set against the whole national reference, so that a sample of EPCIs
    gets the share of associations it would have nationally, times `density`.
    """
    builder = _Builder(rng, reference, rows)
    # Every department the EPCIs reach has its bodies, even one with no EPCI of its own (92, 93, 94).
    in_use = {commune.department_code for epci in epcis for commune in epci.communes}
    builder.departmental_bodies([department for code, department in reference.departments.items() if code in in_use])
    for epci in epcis:
        builder.epci(epci)
    for epci in epcis:
        builder.communes(epci, required_communes)
    weight = _ASSOCIATIONS_NATIONALLY / sum(
        epci.population**_ASSOCIATION_POPULATION_EXPONENT for epci in reference.epcis
    )
    for epci in epcis:
        count = max(2, round(weight * epci.population**_ASSOCIATION_POPULATION_EXPONENT * density))
        builder.associations(epci, count)
    return builder.directory
