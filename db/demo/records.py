"""The shapes of the demo content: plain, immutable records that name each other by `ref`.

Organisations, schemes and actions are named by their `ref`; an objective by its scheme's ref and
its position. The loader turns refs into ids inside its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models.enums import ActionStatus, OrganisationKind, SchemeKind, SchemeScope, SchemeStatus, Theme

ILLUSTRATIVE = "Exemple illustratif — "
"""How every illustrative scheme summary and action description starts."""


@dataclass(frozen=True)
class Organisation:
    """An organisation with no territory of its own. Its SIREN is never set: none is invented."""

    ref: str
    kind: OrganisationKind
    name: str
    department_code: str | None = None
    acronym: str | None = None
    rna: str | None = None


@dataclass(frozen=True)
class EpciOrganisation:
    """The organisation that is an EPCI; its name and SIREN come from the territory reference."""

    siren: str
    department_code: str

    @property
    def ref(self) -> str:
        return f"epci:{self.siren}"


@dataclass(frozen=True)
class CommuneOrganisation:
    """The organisation that is a commune (its mairie); SIREN and department come from the reference."""

    insee_code: str
    name: str

    @property
    def ref(self) -> str:
        return f"commune:{self.insee_code}"


@dataclass(frozen=True)
class Objective:
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Signatory:
    organisation: str
    role: str
    signed_on: date | None = None


@dataclass(frozen=True)
class Scheme:
    ref: str
    kind: SchemeKind
    title: str
    summary: str
    period_start: date
    period_end: date | None
    scope: SchemeScope
    status: SchemeStatus
    department_code: str | None = None
    epci_siren: str | None = None
    parent: str | None = None
    objectives: tuple[Objective, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    # INSEE codes of the communes covered, for a scheme whose scope is a set of communes.
    communes: tuple[str, ...] = ()
    # The published page the facts come from (seed schemes only).
    source_url: str | None = None


@dataclass(frozen=True)
class GovernanceBody:
    name: str
    composition: str
    meeting_frequency: str


@dataclass(frozen=True)
class Ctg:
    scheme: Scheme
    themes: tuple[Theme, ...]
    diagnostic_date: date | None
    diagnostic_summary: str | None
    coordinator_name: str
    coordinator_email: str
    coordinator: str
    governance: tuple[GovernanceBody, ...]
    replaces: str | None = None


@dataclass(frozen=True)
class Reading:
    """A value reported for one calendar year."""

    year: int
    value: int
    comment: str | None = None

    @property
    def period_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def period_end(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    target: int | None
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Partner:
    organisation: str
    role: str


@dataclass(frozen=True)
class ObjectiveRef:
    scheme: str
    position: int


@dataclass(frozen=True)
class Action:
    ctg: str
    number: int
    title: str
    description: str
    theme: Theme
    carrier: str
    period_start: date
    period_end: date | None
    status: ActionStatus
    objectives: str | None = None
    target_public: str | None = None
    progress: int | None = None
    # Whole euros.
    budget: int | None = None
    caf_funding: int | None = None
    serves: tuple[ObjectiveRef, ...] = ()
    partners: tuple[Partner, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.ctg}:action:{self.number}"
