"""Creating, changing and archiving facilities, and saying which actions create, extend or fund them. The Caf of
a facility's department does all of it; its manager changes its contact data. Refusals come as `errors`."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from db.graph import mapping as m
from db.models.enums import FacilityKind, FacilityLink, FacilityStatus
from db.writes import checks
from db.writes.checks import Invalid
from db.writes.facilities import facilities, links
from db.writes.outcome import Outcome
from schema.context import Info
from schema.facilities.funding import FundingLineMutations
from schema.facilities.types import Facility
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.relay import global_id
from schema.write_inputs import given, node_key

_NAME, _ADDRESS, _PHONE = 300, 500, 30
_VERSION = "The version the client read; the change fails if the facility moved on."


@strawberry.input(
    description="A new facility, in a commune of the caller's Caf's department. With an `idempotencyKey`, a retry "
    "gets the facility the first request created."
)
class CreateFacilityInput:
    kind: FacilityKind = strawberry.field(description="What kind of facility it is.")
    name: str = strawberry.field(description='Name, 1–300 characters, e.g. "Multi-accueil Les Petits Pas".')
    manager_id: strawberry.ID = strawberry.field(description="The organisation managing it (gestionnaire).")
    commune_id: strawberry.ID = strawberry.field(description="The commune it lies in.")
    status: FacilityStatus = strawberry.field(
        default=FacilityStatus.PLANNED, description="Planned (a project, the default), open or closed."
    )
    capacity: int | None = strawberry.field(default=None, description="Places, 0–100,000.")
    address: str | None = strawberry.field(default=None, description="Postal address, at most 500 characters.")
    email: str | None = strawberry.field(default=None, description="Contact e-mail address.")
    phone: str | None = strawberry.field(default=None, description="Contact telephone number, at most 30 characters.")
    approved_from: datetime.date | None = strawberry.field(default=None, description="First day of its approval.")
    approved_until: datetime.date | None = strawberry.field(default=None, description="Last day of its approval.")
    opened_on: datetime.date | None = strawberry.field(default=None, description="The day it opened.")
    closed_on: datetime.date | None = strawberry.field(
        default=None, description="The day it closed; a closed facility has one."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(
    description="A change to a facility: fields left out are kept, fields given as null are cleared. Its manager "
    "changes `email` and `phone` only."
)
class UpdateFacilityInput:
    id: strawberry.ID = strawberry.field(description="The facility's ID.")
    version: int = strawberry.field(description=_VERSION)
    kind: FacilityKind | None = strawberry.field(default=strawberry.UNSET, description="What kind of facility.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name, 1–300 characters.")
    manager_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Its manager.")
    commune_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Its commune, in the same Caf's department."
    )
    status: FacilityStatus | None = strawberry.field(default=strawberry.UNSET, description="Planned, open or closed.")
    capacity: int | None = strawberry.field(default=strawberry.UNSET, description="Places, 0–100,000.")
    address: str | None = strawberry.field(default=strawberry.UNSET, description="Postal address.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Contact e-mail address.")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Contact telephone number.")
    approved_from: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="Approval's start.")
    approved_until: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="Approval's end.")
    opened_on: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="The day it opened.")
    closed_on: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="The day it closed.")


@strawberry.input(description="A facility to archive, at the version the client read.")
class ArchiveFacilityInput:
    id: strawberry.ID = strawberry.field(description="The facility's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="An action that creates, extends or funds a facility.")
class LinkActionFacilityInput:
    facility_id: strawberry.ID = strawberry.field(description="The facility's ID.")
    version: int = strawberry.field(description=_VERSION)
    action_id: strawberry.ID = strawberry.field(description="The action, of a CTG of the facility's department.")
    link: FacilityLink = strawberry.field(description="What the action does for the facility.")


@strawberry.input(description="An action that no longer creates, extends or funds a facility.")
class UnlinkActionFacilityInput:
    facility_id: strawberry.ID = strawberry.field(description="The facility's ID.")
    version: int = strawberry.field(description=_VERSION)
    action_id: strawberry.ID = strawberry.field(description="The action linked to it.")


@strawberry.type(
    description="The outcome of a change to a facility: the facility as it now is, or why nothing changed."
)
class FacilityPayload:
    facility: Facility | None = strawberry.field(description="The facility; null when the change was refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of archiving a facility: its ID, or why it was not archived.")
class ArchiveFacilityPayload:
    archived_id: strawberry.ID | None = strawberry.field(
        description="The archived facility's ID (it has left every read); null when refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why it was not archived; empty on success.")


_FIELDS = (
    "kind",
    "name",
    "manager_id",
    "commune_id",
    "status",
    "capacity",
    "address",
    "email",
    "phone",
    "approved_from",
    "approved_until",
    "opened_on",
    "closed_on",
)
_NOT_NULL = frozenset({"kind", "name", "manager_id", "commune_id", "status"})
_DAYS = ("approved_from", "approved_until", "opened_on", "closed_on")


def _value(name: str, value: Any) -> tuple[str, Any]:
    """A checked input field, as (column, value)."""
    if value is None:
        return ("commune_insee_code" if name == "commune_id" else name), None
    if name == "name":
        return name, checks.text(name, value, _NAME, line=True)
    if name == "address":
        return name, checks.text(name, value, _ADDRESS)
    if name == "phone":
        return name, checks.text(name, value, _PHONE, line=True)
    if name == "email":
        return name, checks.email(name, value)
    if name == "capacity":
        if not 0 <= value <= 100_000:
            raise Invalid(name, "facility.capacity", minimum=0, maximum=100_000)
        return name, value
    if name in _DAYS:
        return name, checks.day(name, value)
    if name == "manager_id":
        return name, int(node_key(name, value, m.ORGANISATION))
    if name == "commune_id":
        return "commune_insee_code", checks.territory_key(name, "Commune", node_key(name, value, m.COMMUNE))
    return name, value.value  # an enum


def _dates(values: dict[str, Any]) -> None:
    """The approval and opening periods, as far as the input gives both ends."""
    checks.period(values.get("approved_from"), values.get("approved_until"), blame="approved_until")
    checks.period(values.get("opened_on"), values.get("closed_on"), blame="closed_on")
    if values.get("status") == FacilityStatus.CLOSED.value and "closed_on" in values and values["closed_on"] is None:
        raise Invalid("closed_on", "facility.closed_on")


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    for name in sorted(_NOT_NULL & fields.keys()):
        checks.present(name, fields[name])
    values = dict(_value(name, value) for name, value in fields.items())
    _dates(values)
    return values


def _new(data: CreateFacilityInput) -> facilities.NewFacility:
    values = _checked({name: getattr(data, name) for name in _FIELDS})
    return facilities.NewFacility(**values, idempotency_key=checks.idempotency_key(data.idempotency_key))


def _changes(data: UpdateFacilityInput) -> tuple[int, dict[str, Any]]:
    facility_id = int(node_key("id", data.id, m.FACILITY))
    fields = given(data, _FIELDS)
    if not fields:
        raise Invalid(None, "input.nothing")
    return facility_id, _checked(fields)


def _payload(outcome: Outcome) -> FacilityPayload:
    facility = from_row(Facility, outcome.row) if outcome.row is not None else None
    return FacilityPayload(facility=facility, errors=errors_of(outcome))


def _link(data: LinkActionFacilityInput | UnlinkActionFacilityInput) -> tuple[int, int, int]:
    facility_id = int(node_key("facility_id", data.facility_id, m.FACILITY))
    return facility_id, data.version, int(node_key("action_id", data.action_id, m.ACTION))


@strawberry.type
class FacilityMutations(FundingLineMutations):
    @strawberry.mutation(
        description="Create a facility: the Caf of its commune's department. Refusals come as `errors`: INVALID "
        "naming the field, NOT_FOUND for a manager or commune that does not exist, FORBIDDEN, KEY_REUSED."
    )
    async def create_facility(self, info: Info, input: CreateFacilityInput) -> FacilityPayload:
        outcome = await run(
            info, lambda: _new(input), lambda database, new, actor: facilities.create_facility(database, new, actor)
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Change a facility: the Caf of its department changes every field (keeping it in its "
        "department); its manager its contact data (email, phone), any other field being FORBIDDEN on that field. "
        "A stale `version` is a CONFLICT; a change to what it already holds changes nothing."
    )
    async def update_facility(self, info: Info, input: UpdateFacilityInput) -> FacilityPayload:
        outcome = await run(
            info,
            lambda: _changes(input),
            lambda database, update, actor: facilities.update_facility(
                database, update[0], input.version, update[1], actor
            ),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) a facility, with its links to actions and its funding lines: the Caf of its "
        "department. It leaves every read; its history is kept."
    )
    async def archive_facility(self, info: Info, input: ArchiveFacilityInput) -> ArchiveFacilityPayload:
        outcome = await run(
            info,
            lambda: (int(node_key("id", input.id, m.FACILITY)), input.version),
            lambda database, key, actor: facilities.archive_facility(database, *key, actor),
        )
        archived = global_id(Facility.spec.type_name, outcome.row.id) if outcome.row is not None else None
        return ArchiveFacilityPayload(archived_id=archived, errors=errors_of(outcome))

    @strawberry.mutation(
        description="Say that an action creates, extends or funds a facility (a link already there takes the new "
        "kind): the facility's Caf, for an action of a CTG of its department it sees. The facility moves one "
        "version on; its history keeps the link before → after."
    )
    async def link_action_facility(self, info: Info, input: LinkActionFacilityInput) -> FacilityPayload:
        outcome = await run(
            info,
            lambda: _link(input),
            lambda database, key, actor: links.link_action(database, key[0], key[1], key[2], input.link.value, actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Say that an action no longer creates, extends or funds a facility: the facility's Caf; "
        "NOT_FOUND on `actionId` when they are not linked."
    )
    async def unlink_action_facility(self, info: Info, input: UnlinkActionFacilityInput) -> FacilityPayload:
        outcome = await run(
            info,
            lambda: _link(input),
            lambda database, key, actor: links.unlink_action(database, *key, actor),
        )
        return _payload(outcome)
