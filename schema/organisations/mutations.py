"""Creating, changing and archiving organisations. Refusals come as `errors` in each payload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from db.models.enums import OrganisationKind as Kind
from db.writes import checks
from db.writes.checks import Invalid
from db.writes.organisations.organisations import archive_organisation, create_organisation, update_organisation
from db.writes.outcome import Outcome
from schema.context import Info
from schema.enums import OrganisationKind
from schema.mutation import run
from schema.nodes import from_row
from schema.organisations.types import Organisation
from schema.payloads import MutationError, errors_of
from schema.write_inputs import node_key


def _territory_key(field: str, value: str, spec: NodeSpec) -> str:
    """The key behind the ID of a territory; one no territory can have is NOT_FOUND, before any SQL."""
    return checks.territory_key(field, spec.type_name, node_key(field, value, spec))


# Each field's check, given the field and the value, giving the value to store.
_CHECKS: dict[str, Callable[[str, str], Any]] = {
    "name": lambda field, value: checks.text(field, value, 300, line=True),
    "acronym": lambda field, value: checks.text(field, value, 40, line=True),
    "siren": checks.siren,
    "siret": checks.siret,
    "rna": checks.rna,
    "email": checks.email,
    "website": checks.url,
    "department_id": lambda field, value: _territory_key(field, value, m.DEPARTMENT),
    "epci_id": lambda field, value: _territory_key(field, value, m.EPCI),
    "commune_id": lambda field, value: _territory_key(field, value, m.COMMUNE),
}
# Input fields naming a territory → the column holding its key.
_COLUMNS = {"department_id": "department_code", "epci_id": "epci_siren", "commune_id": "commune_insee_code"}
_FIELDS = ("name", "acronym", "siren", "siret", "rna", "email", "website", "department_id")
_NOT_NULL = {"kind", "name"}


@strawberry.input(
    description="A new organisation. An EPCI or a commune organisation names the territory it is (its "
    "department follows); a Caf names its department. With an `idempotencyKey`, a retry gets the organisation "
    "the first request created."
)
class CreateOrganisationInput:
    kind: OrganisationKind = strawberry.field(description="What kind of organisation; never the Cnaf.")
    name: str = strawberry.field(description="Name, 1–300 characters.")
    acronym: str | None = strawberry.field(default=None, description="Short name (sigle), 1–40 characters.")
    siren: str | None = strawberry.field(default=None, description="SIREN: 9 digits with a valid check digit.")
    siret: str | None = strawberry.field(
        default=None,
        description="SIRET: 14 digits with a valid check digit (La Poste's by their own rule), "
        "starting with the SIREN when both are given.",
    )
    rna: str | None = strawberry.field(default=None, description="RNA number of an association: W + 9 characters.")
    email: str | None = strawberry.field(default=None, description="Contact e-mail address.")
    website: str | None = strawberry.field(default=None, description="Website: an http:// or https:// address.")
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="Home department's ID; a Caf agent creates in its own department only."
    )
    epci_id: strawberry.ID | None = strawberry.field(default=None, description="For an EPCI organisation: the EPCI.")
    commune_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a commune organisation: the commune."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(
    description="A change to an organisation, from the `version` the client read; fields left out are kept, "
    "fields given as null are cleared. Its admins change only its contact data (email, website)."
)
class UpdateOrganisationInput:
    id: strawberry.ID = strawberry.field(description="The organisation's ID.")
    version: int = strawberry.field(description="The version the client read; the change fails if it moved on.")
    kind: OrganisationKind | None = strawberry.field(
        default=strawberry.UNSET, description="Another kind; Cafs, the Cnaf, EPCIs and communes keep theirs."
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name, 1–300 characters.")
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Short name, 1–40 characters.")
    siren: str | None = strawberry.field(default=strawberry.UNSET, description="SIREN: 9 digits, valid check digit.")
    siret: str | None = strawberry.field(default=strawberry.UNSET, description="SIRET: 14 digits, valid check digit.")
    rna: str | None = strawberry.field(default=strawberry.UNSET, description="RNA number: W + 9 characters.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Contact e-mail address.")
    website: str | None = strawberry.field(default=strawberry.UNSET, description="Website: http:// or https://.")
    department_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Home department's ID; a Caf's, an EPCI's or a commune's is its own."
    )


@strawberry.input(description="An organisation to archive, at the version the client read.")
class ArchiveOrganisationInput:
    id: strawberry.ID = strawberry.field(description="The organisation's ID.")
    version: int = strawberry.field(description="The version the client read; archiving fails if it moved on.")


@strawberry.type(description="The outcome of a change to an organisation: the organisation, or why nothing changed.")
class OrganisationPayload:
    organisation: Organisation | None = strawberry.field(
        description="The organisation as it now is (as it was when archived); null when the change was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


def _stored(field: str, value: Any) -> tuple[str, Any]:
    """The column and value a checked input field is stored as (None clears it)."""
    return _COLUMNS.get(field, field), None if value is None else _CHECKS[field](field, value)


def _create_values(data: CreateOrganisationInput) -> dict[str, Any]:
    kind = Kind(data.kind)
    if kind is Kind.CNAF:
        raise Invalid("kind", "organisation.one_cnaf")
    values: dict[str, Any] = {"kind": kind.value}
    for field in (*_FIELDS, "epci_id", "commune_id"):
        column, value = _stored(field, getattr(data, field))
        values[column] = value
    for field, column, own in (
        ("epci_id", "epci_siren", Kind.EPCI),
        ("commune_id", "commune_insee_code", Kind.COMMUNE),
    ):
        if kind is own and values[column] is None:
            raise Invalid(field, "organisation.territory_needed", kind=own)
        if kind is not own and values[column] is not None:
            raise Invalid(field, "organisation.territory_unexpected", kind=own)
    if kind is Kind.CAF and values["department_code"] is None:
        raise Invalid("department_id", "organisation.caf_department")
    siren, siret = values["siren"], values["siret"]
    if siren is not None and siret is not None and siret[:9] != siren:
        raise Invalid("siret", "organisation.siret_siren")
    return values


def _changes(data: UpdateOrganisationInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field in ("kind", *_FIELDS):
        value = getattr(data, field)
        if value is strawberry.UNSET:
            continue
        if field in _NOT_NULL:
            checks.present(field, value)
        if field == "kind":
            changes["kind"] = Kind(value).value
            continue
        column, stored = _stored(field, value)
        changes[column] = stored
    if not changes:
        raise Invalid(None, "input.nothing")
    return changes


def _payload(outcome: Outcome) -> OrganisationPayload:
    organisation = from_row(Organisation, outcome.row) if outcome.row is not None else None
    return OrganisationPayload(organisation=organisation, errors=errors_of(outcome))


def _organisation_key(id: strawberry.ID) -> int:
    return int(node_key("id", id, m.ORGANISATION))


@strawberry.type
class OrganisationMutations:
    @strawberry.mutation(
        description="Create an organisation: a Caf's staff in its department, Cnaf managers anywhere (and they "
        "alone create Cafs). Refusals come as `errors`: INVALID naming the field (a SIREN or SIRET check digit, "
        "an RNA format, a SIREN, SIRET, RNA, EPCI or commune another organisation holds), NOT_FOUND for a "
        "territory that does not exist, FORBIDDEN, KEY_REUSED."
    )
    async def create_organisation(self, info: Info, input: CreateOrganisationInput) -> OrganisationPayload:
        outcome = await run(
            info,
            lambda: _create_values(input),
            lambda database, values, actor: create_organisation(database, values, actor, input.idempotency_key),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Change an organisation. Cnaf managers and the Caf of its department change everything; its "
        "own admins, only its contact data (email, website): any other field is FORBIDDEN. A stale `version` is "
        "a CONFLICT."
    )
    async def update_organisation(self, info: Info, input: UpdateOrganisationInput) -> OrganisationPayload:
        outcome = await run(
            info,
            lambda: (_organisation_key(input.id), _changes(input)),
            lambda database, update, actor: update_organisation(database, update[0], input.version, update[1], actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) an organisation: it leaves every read and `deletedSince` lists it. Cnaf "
        "managers and the Caf of its department may; IN_USE while it carries actions that are not archived, and "
        "always for a Caf or the Cnaf."
    )
    async def archive_organisation(self, info: Info, input: ArchiveOrganisationInput) -> OrganisationPayload:
        outcome = await run(
            info,
            lambda: _organisation_key(input.id),
            lambda database, organisation_id, actor: archive_organisation(
                database, organisation_id, input.version, actor
            ),
        )
        return _payload(outcome)
