"""The inputs of the CTG mutations: a draft, its changes, its governance bodies, its life cycle."""

from __future__ import annotations

import datetime

import strawberry

from schema.enums import Theme

_VERSION = "The version of the CTG the client read; the change fails if it moved on."
_CTG_VERSION = (
    "The version of the CTG the client read: a change of its governance bodies moves the CTG's version, "
    "and fails if it moved on."
)


@strawberry.input(description="A new CTG, created as a draft by the Caf of the department.")
class CreateCtgInput:
    title: str = strawberry.field(description="Title, 1–300 characters.")
    period_start: datetime.date = strawberry.field(description="First day it applies.")
    period_end: datetime.date | None = strawberry.field(default=None, description="Last day (needed before signing).")
    parent_id: strawberry.ID = strawberry.field(
        description="The departmental scheme it implements (SDSF, SDAVS or education charter); its department "
        "is the CTG's."
    )
    epci_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The EPCI it covers (with communes in the department); or give communeIds, or wholeDepartment.",
    )
    commune_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The communes it covers, in the department; or give epciId, or wholeDepartment."
    )
    whole_department: bool = strawberry.field(
        default=False,
        description="True: it covers the whole department, signed with the departmental council (no epciId nor "
        "communeIds then).",
    )
    themes: list[Theme] = strawberry.field(
        default_factory=list, description="Fields of family policy it covers, each once (one at least to sign)."
    )
    summary: str | None = strawberry.field(default=None, description="Summary, at most 10,000 characters.")
    replaces_cej_id: strawberry.ID | None = strawberry.field(
        default=None, description="The CEJ it takes over: one of the department, covering part of its territory."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retry-safe creation: the same key gives the same CTG (1–200 characters)."
    )


@strawberry.input(description="A change to a CTG's shared diagnostic: fields left out are kept, null clears one.")
class DiagnosticInput:
    completed_on: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, name="date", description="When it was completed."
    )
    summary: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its findings, at most 10,000 characters."
    )


@strawberry.input(description="A change to a CTG's coordinator: fields left out are kept, null clears one.")
class CoordinatorInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Full name, at most 200 characters.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Work e-mail address.")
    organisation_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The organisation employing them (usually the EPCI)."
    )


@strawberry.input(
    description="A change to a CTG. Fields left out are kept, fields given as null are cleared. A territory "
    "is an EPCI (epciId), communes (communeIds) or the whole department (wholeDepartment): giving one replaces the "
    "other. Once signed, a CTG keeps what "
    "was signed (title, period, parent, territory, themes, the CEJ replaced); its summary, diagnostic and "
    "coordinator still change until it expires or is superseded."
)
class UpdateCtgInput:
    id: strawberry.ID = strawberry.field(description="The CTG's ID.")
    version: int = strawberry.field(description=_VERSION)
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Title, 1–300 characters.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="Summary.")
    period_start: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    period_end: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="Last day.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The departmental scheme it implements, in its department."
    )
    epci_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Cover this EPCI (its commune list goes)."
    )
    commune_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Cover these communes (its EPCI goes)."
    )
    whole_department: bool | None = strawberry.field(
        default=strawberry.UNSET, description="True: cover the whole department (its EPCI or communes go)."
    )
    themes: list[Theme] | None = strawberry.field(default=strawberry.UNSET, description="Its themes, each once.")
    diagnostic: DiagnosticInput | None = strawberry.field(
        default=strawberry.UNSET, description="Its shared diagnostic; null clears it."
    )
    coordinator: CoordinatorInput | None = strawberry.field(
        default=strawberry.UNSET, description="Its coordinator; null clears it."
    )
    replaces_cej_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The CEJ it takes over; null: none."
    )


@strawberry.input(description="A step of a CTG's life cycle, from the version the client read.")
class CtgStepInput:
    id: strawberry.ID = strawberry.field(description="The CTG's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="Supersede an active CTG by the CTG that takes over from it.")
class SupersedeCtgInput:
    id: strawberry.ID = strawberry.field(description="The CTG's ID.")
    version: int = strawberry.field(description=_VERSION)
    replaced_by_id: strawberry.ID = strawberry.field(
        description="The CTG that takes over: signed or active, of the same department."
    )


@strawberry.input(description="Archive (delete) a CTG that no other row still needs.")
class ArchiveCtgInput:
    id: strawberry.ID = strawberry.field(description="The CTG's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="A new governance body of a CTG (draft, signed or active).")
class AddGovernanceBodyInput:
    ctg_id: strawberry.ID = strawberry.field(description="The CTG's ID.")
    ctg_version: int = strawberry.field(description=_CTG_VERSION)
    name: str = strawberry.field(description='Name, e.g. "Comité de pilotage", 1–200 characters.')
    composition: str | None = strawberry.field(default=None, description="Who sits on it (2,000 characters).")
    meeting_frequency: str | None = strawberry.field(default=None, description="How often it meets (100 characters).")
    position: int | None = strawberry.field(
        default=None, description="Where it goes, from 1 (those from there on move down); null: last."
    )


@strawberry.input(description="A change to a CTG's governance body; fields left out are kept.")
class UpdateGovernanceBodyInput:
    id: strawberry.ID = strawberry.field(description="The governance body's ID.")
    ctg_version: int = strawberry.field(description=_CTG_VERSION)
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name.")
    composition: str | None = strawberry.field(default=strawberry.UNSET, description="Who sits on it.")
    meeting_frequency: str | None = strawberry.field(default=strawberry.UNSET, description="How often it meets.")
    position: int | None = strawberry.field(default=None, description="Move it to this rank, from 1.")


@strawberry.input(description="Remove a CTG's governance body; those after it move up.")
class RemoveGovernanceBodyInput:
    id: strawberry.ID = strawberry.field(description="The governance body's ID.")
    ctg_version: int = strawberry.field(description=_CTG_VERSION)
