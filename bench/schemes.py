"""The chain of schemes: the national COGs, each department's SDSF and SDAVS, and the CTGs."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bench import vocabulary as words
from bench.french import epci_phrase, listing, of, slug
from bench.organisations import Directory
from bench.reference import REFERENCE_DAY, Commune, Department, Epci, stamp
from bench.tables import Rows
from db.models.enums import SchemeKind as Kind
from db.models.enums import SchemeScope as Scope
from db.models.enums import SchemeStatus as Status
from db.models.enums import Theme
from db.reference.territory_files import of_name

GENERATED = "Données générées pour les essais de charge."
"""How every generated scheme summary ends."""

# The two COG generations the departmental schemes and the CTGs hang under.
_GENERATIONS = ((date(2018, 1, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2027, 12, 31)))

# A CTG runs five years from 1 January; most current ones started after the first wave of 2020-2021.
_CTG_YEARS = 5
_ACTIVE_START_YEARS = (2022, 2023, 2024, 2025)
_ACTIVE_START_WEIGHTS = (3, 3, 2, 2)
_MAIN_STATUSES = (Status.ACTIVE, Status.SIGNED, Status.DRAFT, Status.EXPIRED)
_MAIN_STATUS_WEIGHTS = (86, 4, 5, 5)
_PREVIOUS_CTG_CHANCE = 0.15  # the EPCI's current CTG renews an earlier one
_COMMUNES_CTG_CHANCE = 0.05  # some communes of the EPCI signed a CTG of their own


@dataclass(frozen=True)
class CtgPlan:
    ref: str
    epci: Epci
    communes: tuple[Commune, ...]  # the communes covered when the scope is a set of communes, else empty
    status: Status
    start: date
    end: date

    @property
    def scope(self) -> Scope:
        return Scope.COMMUNES if self.communes else Scope.EPCI

    @property
    def party(self) -> str:
        """Who signs with the Caf, as it reads in a sentence."""
        if self.communes:
            return "les communes " + of(listing([commune.name for commune in self.communes]))
        return epci_phrase(self.epci.name)


@dataclass(frozen=True)
class WrittenCtg:
    """What the actions of a CTG need to know about it."""

    plan: CtgPlan
    scheme_id: int
    themes: tuple[Theme, ...]
    objectives: tuple[tuple[int, Theme | None], ...]  # (objective id, the theme it serves)
    created: datetime


def plan_ctgs(rng: random.Random, epcis: Sequence[Epci]) -> list[CtgPlan]:
    """Each EPCI's current CTG, the earlier one it sometimes renews, and the odd communes' CTG."""
    plans: list[CtgPlan] = []
    for epci in epcis:
        status = rng.choices(_MAIN_STATUSES, weights=_MAIN_STATUS_WEIGHTS)[0]
        if status == Status.ACTIVE:
            start = date(rng.choices(_ACTIVE_START_YEARS, weights=_ACTIVE_START_WEIGHTS)[0], 1, 1)
        elif status == Status.SIGNED:
            start = rng.choice((date(2026, 7, 1), date(2027, 1, 1)))
        elif status == Status.DRAFT:
            start = date(2027, 1, 1)
        else:  # ended and not renewed yet
            start = date(rng.choice((2020, 2021)), 1, 1)
        current = _ctg(f"bench:ctg:{epci.siren}:{start.year}", epci, (), status, start)
        if status != Status.EXPIRED and rng.random() < _PREVIOUS_CTG_CHANCE:
            earlier = date(start.year - 4, 1, 1)
            plans.append(
                CtgPlan(
                    f"bench:ctg:{epci.siren}:{earlier.year}",
                    epci,
                    (),
                    Status.ACTIVE if start > REFERENCE_DAY else Status.EXPIRED,
                    earlier,
                    start - timedelta(days=1),
                )
            )
        plans.append(current)
        if len(epci.communes) >= 4 and rng.random() < _COMMUNES_CTG_CHANCE:
            chosen = sorted(rng.sample(epci.communes, rng.randint(2, 5)), key=lambda commune: commune.insee_code)
            start = date(rng.choice((2023, 2024, 2025)), 1, 1)
            ref = f"bench:ctg:communes:{chosen[0].insee_code}:{start.year}"
            plans.append(_ctg(ref, epci, tuple(chosen), Status.ACTIVE, start))
    return plans


def _ctg(ref: str, epci: Epci, communes: tuple[Commune, ...], status: Status, start: date) -> CtgPlan:
    return CtgPlan(ref, epci, communes, status, start, date(start.year + _CTG_YEARS - 1, 12, 31))


def _sign(
    rng: random.Random, rows: Rows, scheme_id: int, around: date | None, signatories: Sequence[tuple[int, str]]
) -> None:
    """Signatures a few days apart from `around`; planned signatories (no date) when `around` is None."""
    seen: set[int] = set()
    for organisation_id, role in signatories:
        if organisation_id in seen:
            continue
        seen.add(organisation_id)
        signed_on = None if around is None else min(around + timedelta(days=rng.randrange(21)), REFERENCE_DAY)
        created = stamp(signed_on or REFERENCE_DAY)
        rows.new(
            "signature", created, scheme_id=scheme_id, organisation_id=organisation_id, role=role, signed_on=signed_on
        )


def add_upper_schemes(
    rng: random.Random, departments: Mapping[str, Department], directory: Directory, cnaf_id: int, rows: Rows
) -> dict[str, tuple[int, int]]:
    """The COGs, then each department's SDSFs and SDAVS; return department → (old SDSF, current SDSF)."""
    cogs = []
    for start, end in _GENERATIONS:
        status = Status.EXPIRED if end < REFERENCE_DAY else Status.ACTIVE
        cog = rows.new(
            "scheme",
            stamp(start),
            ref=f"bench:cog:{start.year}-{end.year}",
            kind=Kind.COG.value,
            title=f"Convention d'objectifs et de gestion État – Cnaf {start.year}-{end.year}",
            summary=f"Convention liant la Cnaf à l'État pour {start.year}-{end.year}. {GENERATED}",
            period_start=start,
            period_end=end,
            scope=Scope.NATIONAL.value,
            status=status.value,
        )
        _sign(rng, rows, cog, start, [(cnaf_id, "Caisse nationale des Allocations familiales")])
        cogs.append(cog)

    sdsfs: dict[str, tuple[int, int]] = {}
    for code, bodies in directory.departments.items():
        department = departments[code]
        of_department = of_name(department.name, department.article_kind)
        institutions = [(bodies.state, "Services de l'État"), (bodies.caf, "Caf")]
        if bodies.council is not None:
            institutions.insert(1, (bodies.council, "Département"))
        if bodies.msa is not None:
            institutions.append((bodies.msa, "MSA"))
        generations = []
        for cog, (start, end) in zip(cogs, _GENERATIONS, strict=True):
            kinds = [(Kind.SDSF, "Schéma départemental des services aux familles", institutions)]
            if start.year >= 2023:
                partners = [(bodies.caf, "Caf")] + ([(bodies.council, "Département")] if bodies.council else [])
                kinds.append((Kind.SDAVS, "Schéma départemental de l'animation de la vie sociale", partners))
            for kind, name, signatories in kinds:
                signed = start + timedelta(days=rng.randrange(30, 240))
                scheme = rows.new(
                    "scheme",
                    stamp(signed),
                    ref=f"bench:{kind.value.lower()}:{code}:{start.year}-{end.year}",
                    kind=kind.value,
                    title=f"{name} {of_department} {start.year}-{end.year}",
                    summary=f"{name} {of_department}, décliné des orientations de la COG. {GENERATED}",
                    period_start=start,
                    period_end=end,
                    scope=Scope.DEPARTMENT.value,
                    status=(Status.EXPIRED if end < REFERENCE_DAY else Status.ACTIVE).value,
                    department_code=code,
                    parent_id=cog,
                )
                _sign(rng, rows, scheme, signed, signatories)
                if kind == Kind.SDSF:
                    generations.append(scheme)
        sdsfs[code] = (generations[0], generations[1])
    return sdsfs


def _themes(rng: random.Random) -> tuple[Theme, ...]:
    """Two to six themes, the Caf's historical fields most often, in the enum's order."""
    remaining = list(words.THEME_WEIGHTS)
    chosen: set[Theme] = set()
    for _ in range(rng.randint(2, 6)):
        theme = rng.choices(remaining, weights=[words.THEME_WEIGHTS[theme] for theme in remaining])[0]
        remaining.remove(theme)
        chosen.add(theme)
    return tuple(theme for theme in Theme if theme in chosen)


class _CtgWriter:
    def __init__(self, rng: random.Random, directory: Directory, departments: Mapping[str, Department], rows: Rows):
        self.rng = rng
        self.directory = directory
        self.departments = departments
        self.rows = rows

    def write(self, plan: CtgPlan, parent: int) -> WrittenCtg:
        rng, rows = self.rng, self.rows
        department = self.departments[plan.epci.department_code]
        bodies = self.directory.departments[department.code]
        themes = _themes(rng)
        draft = plan.status == Status.DRAFT
        # Most CTGs are signed around their first months; one that has not started yet, recently.
        if draft:
            around = None
        elif plan.start > REFERENCE_DAY:
            around = REFERENCE_DAY - timedelta(days=rng.randrange(10, 150))
        else:
            around = plan.start + timedelta(days=rng.randrange(-150, 180))
        created = stamp(REFERENCE_DAY - timedelta(days=rng.randrange(10, 200)) if around is None else around)
        labels = listing([words.THEME_LABELS[theme] for theme in themes])
        scheme_id = rows.new(
            "scheme",
            created,
            ref=plan.ref,
            kind=Kind.CTG.value,
            title=f"Convention territoriale globale {of(plan.party)} {plan.start.year}-{plan.end.year}",
            summary=(
                f"{'Projet de convention' if draft else 'Convention'} entre la Caf "
                f"{of_name(department.name, department.article_kind)} et {plan.party}, autour des champs suivants : "
                f"{labels}. {GENERATED}"
            ),
            period_start=plan.start,
            period_end=plan.end,
            scope=plan.scope.value,
            status=plan.status.value,
            department_code=department.code,
            epci_siren=None if plan.communes else plan.epci.siren,
            parent_id=parent,
        )
        signatories = [(bodies.caf, "Caisse d'allocations familiales")]
        if plan.communes:
            signatories += [(self.directory.communes[commune.insee_code], "Commune") for commune in plan.communes]
            coordinator_organisation = signatories[1][0]
        else:
            coordinator_organisation = self.directory.epcis[plan.epci.siren]
            signatories.append((coordinator_organisation, "Établissement public de coopération intercommunale"))
        if bodies.council is not None and rng.random() < 0.3:
            signatories.append((bodies.council, "Département"))
        if bodies.msa is not None and rng.random() < 0.1:
            signatories.append((bodies.msa, "MSA"))
        _sign(rng, rows, scheme_id, around, signatories)
        for commune in plan.communes:
            rows.add("scheme_commune", created, scheme_id=scheme_id, commune_insee_code=commune.insee_code)

        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        findings = rng.sample(words.FINDINGS, 2)
        rows.add(
            "ctg",
            created,
            scheme_id=scheme_id,
            themes=[theme.value for theme in themes],
            diagnostic_date=plan.start - timedelta(days=rng.randrange(60, 400)),
            diagnostic_summary=f"Diagnostic partagé : {findings[0]} ; {findings[1]}.",
            coordinator_name=f"{first} {last}",
            coordinator_email=f"{slug(first)}.{slug(last)}@{slug(self.directory.names[coordinator_organisation])[:40].strip('-')}.fr",
            coordinator_organisation_id=coordinator_organisation,
        )
        self._governance(scheme_id, plan, themes, created)
        return WrittenCtg(plan, scheme_id, themes, self._objectives(scheme_id, themes, created), created)

    def _governance(self, ctg_id: int, plan: CtgPlan, themes: Sequence[Theme], created: datetime) -> None:
        bodies = [("Comité de pilotage", f"Élus {of(plan.party)}, Caf, Département et partenaires signataires")]
        if self.rng.random() < 0.8:
            bodies.append(("Comité technique", "Techniciens des signataires et porteurs d'actions"))
        if self.rng.random() < 0.3:
            theme = self.rng.choice(themes)
            bodies.append((f"Groupe de travail {words.THEME_LABELS[theme]}", "Porteurs d'actions et partenaires"))
        for position, (name, composition) in enumerate(bodies, start=1):
            self.rows.new(
                "governance_body",
                created,
                ctg_id=ctg_id,
                position=position,
                name=name,
                composition=composition,
                meeting_frequency=self.rng.choice(words.MEETING_FREQUENCIES),
            )

    def _objectives(
        self, scheme_id: int, themes: Sequence[Theme], created: datetime
    ) -> tuple[tuple[int, Theme | None], ...]:
        count = self.rng.randint(2, 4)
        served: list[tuple[str, Theme | None]] = [
            (self.rng.choice(words.OBJECTIVES[theme]), theme)
            for theme in self.rng.sample(themes, min(count, len(themes)))
        ]
        served += [(title, None) for title in self.rng.sample(words.GENERAL_OBJECTIVES, count - len(served))]
        return tuple(
            (self.rows.new("scheme_objective", created, scheme_id=scheme_id, position=position, title=title), theme)
            for position, (title, theme) in enumerate(served, start=1)
        )


def add_ctgs(
    rng: random.Random,
    plans: Sequence[CtgPlan],
    departments: Mapping[str, Department],
    directory: Directory,
    sdsfs: Mapping[str, tuple[int, int]],
    rows: Rows,
) -> list[WrittenCtg]:
    """Write the planned CTGs under their department's SDSF of the time."""
    writer = _CtgWriter(rng, directory, departments, rows)
    written = []
    for plan in plans:
        old, current = sdsfs[plan.epci.department_code]
        written.append(writer.write(plan, old if plan.start < _GENERATIONS[1][0] else current))
    return written
