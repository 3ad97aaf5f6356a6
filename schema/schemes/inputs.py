"""The inputs of the scheme mutations: a scheme's own fields, its objectives, its signatories."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.enums import SchemeKind, SchemeStatus

_VERSION = "The version of the scheme the client read; the change fails if it moved on."
_SCHEME_VERSION = (
    "The version of the scheme (or CTG) the client read: a change of its objectives or signatories moves "
    "the scheme's version, and fails if it moved on."
)


@strawberry.input(description="A new scheme, created as a draft.")
class CreateSchemeInput:
    kind: SchemeKind = strawberry.field(
        description="COG (national; Cnaf managers), CPOG (Cnaf managers), or SDSF, SDAVS, education charter "
        "(the Caf of the department). CTGs are created with createCtg; CEJs are no longer signed."
    )
    title: str = strawberry.field(description="Title, 1–300 characters.")
    period_start: date = strawberry.field(description="First day it applies.")
    period_end: date | None = strawberry.field(default=None, description="Last day; null: open-ended.")
    summary: str | None = strawberry.field(default=None, description="Summary, at most 10,000 characters.")
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="The department it applies to (every kind but the COG)."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The scheme above it: a COG for a CPOG; a COG or the department's CPOG for a departmental "
        "scheme. A COG has none.",
    )
    source_url: str | None = strawberry.field(default=None, description="Where its text is published (http(s)).")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retry-safe creation: the same key gives the same scheme (1–200 characters)."
    )


@strawberry.input(
    description="A change to a scheme's own fields (not a CTG's: see updateCtg). Fields left out are kept, "
    "fields given as null are cleared. A signed or active scheme keeps its title, period and parent."
)
class UpdateSchemeInput:
    id: strawberry.ID = strawberry.field(description="The scheme's ID.")
    version: int = strawberry.field(description=_VERSION)
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Title, 1–300 characters.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="Summary.")
    period_start: date | None = strawberry.field(default=strawberry.UNSET, description="First day.")
    period_end: date | None = strawberry.field(default=strawberry.UNSET, description="Last day; null: open-ended.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The scheme above it in the chain; null: none."
    )
    source_url: str | None = strawberry.field(default=strawberry.UNSET, description="Where its text is published.")


@strawberry.input(
    description="A move of a scheme (not a CTG: see signCtg...) along its life cycle: draft → signed → active → "
    "expired | superseded."
)
class TransitionSchemeInput:
    id: strawberry.ID = strawberry.field(description="The scheme's ID.")
    version: int = strawberry.field(description=_VERSION)
    status: SchemeStatus = strawberry.field(description="The status to move to.")
    replaced_by_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With SUPERSEDED: the scheme that takes over (same kind and department, signed or active).",
    )


@strawberry.input(description="Archive (delete) a scheme that no other row still needs.")
class ArchiveSchemeInput:
    id: strawberry.ID = strawberry.field(description="The scheme's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="A new objective of a draft scheme.")
class AddObjectiveInput:
    scheme_id: strawberry.ID = strawberry.field(description="The scheme's (or CTG's) ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)
    title: str = strawberry.field(description="The objective, 1–500 characters.")
    description: str | None = strawberry.field(default=None, description="Details, at most 5,000 characters.")
    position: int | None = strawberry.field(
        default=None, description="Where it goes, from 1 (those from there on move down); null: last."
    )


@strawberry.input(description="A change to an objective of a draft scheme; fields left out are kept.")
class UpdateObjectiveInput:
    id: strawberry.ID = strawberry.field(description="The objective's ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)
    title: str | None = strawberry.field(default=strawberry.UNSET, description="The objective.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Details; null: none.")
    position: int | None = strawberry.field(default=None, description="Move it to this rank, from 1.")


@strawberry.input(description="Remove an objective of a draft scheme; those after it move up.")
class RemoveObjectiveInput:
    id: strawberry.ID = strawberry.field(description="The objective's ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)


@strawberry.input(description="Plan a signatory of a draft scheme: an organisation and its role, not yet dated.")
class AddSignatoryInput:
    scheme_id: strawberry.ID = strawberry.field(description="The scheme's (or CTG's) ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)
    organisation_id: strawberry.ID = strawberry.field(description="The signatory organisation.")
    role: str = strawberry.field(description='Its role, e.g. "Caf signataire", 1–200 characters.')


@strawberry.input(description="Record the day a signatory signed a draft scheme (or correct it).")
class RecordSignatureInput:
    id: strawberry.ID = strawberry.field(description="The signature's ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)
    signed_on: date = strawberry.field(description="The day it signed; not in the future.")


@strawberry.input(description="Take a signatory off a draft scheme.")
class RemoveSignatoryInput:
    id: strawberry.ID = strawberry.field(description="The signature's ID.")
    scheme_version: int = strawberry.field(description=_SCHEME_VERSION)
