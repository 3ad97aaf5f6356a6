"""Changing schemes, their objectives and their signatures. Refusals come as `errors` in each payload."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from db.graph import mapping as m
from db.writes.outcome import Outcome
from db.writes.schemes import ordered, schemes, signatures, transitions
from db.writes.schemes.guards import LinkChange
from schema.context import Info
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.relay import global_id
from schema.schemes.inputs import (
    AddObjectiveInput,
    AddSignatoryInput,
    ArchiveSchemeInput,
    CreateSchemeInput,
    RecordSignatureInput,
    RemoveObjectiveInput,
    RemoveSignatoryInput,
    TransitionSchemeInput,
    UpdateObjectiveInput,
    UpdateSchemeInput,
)
from schema.schemes.types import Scheme, SchemeObjective, Signature
from schema.write_inputs import given, node_key, optional_key

SCHEMES = (m.SCHEME, m.CTG)  # a CTG's ID names its scheme row too


@strawberry.type(description="The outcome of a change to a scheme: the scheme as it now is, or why nothing changed.")
class SchemePayload:
    scheme: Scheme | None = strawberry.field(description="The scheme; null when the change was refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of an archiving: the ID of the node archived, or why nothing changed.")
class ArchivePayload:
    archived_id: strawberry.ID | None = strawberry.field(
        description="The archived node's ID (deletedSince lists it from now on); null when refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of a change to a scheme's objectives.")
class SchemeObjectivePayload:
    objective: SchemeObjective | None = strawberry.field(
        description="The objective as it now is; null when removed or refused."
    )
    scheme: Scheme | None = strawberry.field(description="Its scheme as it now is; null when refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of a change to a scheme's signatories.")
class SignaturePayload:
    signature: Signature | None = strawberry.field(
        description="The signature as it now is; null when removed or refused."
    )
    scheme: Scheme | None = strawberry.field(description="Its scheme as it now is; null when refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


def scheme_payload(outcome: Outcome) -> SchemePayload:
    scheme = from_row(Scheme, outcome.row) if outcome.row is not None else None
    return SchemePayload(scheme=scheme, errors=errors_of(outcome))


def archive_payload(outcome: Outcome, type_name: str) -> ArchivePayload:
    archived = global_id(type_name, outcome.row.id) if outcome.row is not None else None
    return ArchivePayload(archived_id=archived, errors=errors_of(outcome))


def _link(outcome: Outcome) -> tuple[Any, Any]:
    """(scheme row, link row) of a link change; Nones when refused."""
    if not isinstance(outcome.row, LinkChange):
        return None, None
    return outcome.row.scheme, outcome.row.item


def objective_payload(outcome: Outcome) -> SchemeObjectivePayload:
    scheme, item = _link(outcome)
    return SchemeObjectivePayload(
        objective=from_row(SchemeObjective, item) if item is not None else None,
        scheme=from_row(Scheme, scheme) if scheme is not None else None,
        errors=errors_of(outcome),
    )


def signature_payload(outcome: Outcome) -> SignaturePayload:
    scheme, item = _link(outcome)
    return SignaturePayload(
        signature=from_row(Signature, item) if item is not None else None,
        scheme=from_row(Scheme, scheme) if scheme is not None else None,
        errors=errors_of(outcome),
    )


_SCHEME_FIELDS = ("title", "summary", "period_start", "period_end", "source_url")


def _new_scheme(data: CreateSchemeInput) -> schemes.NewScheme:
    return schemes.NewScheme(
        kind=data.kind,
        title=data.title,
        period_start=data.period_start,
        period_end=data.period_end,
        summary=data.summary,
        department_code=optional_key("department_id", data.department_id, m.DEPARTMENT),
        parent_id=optional_key("parent_id", data.parent_id, *SCHEMES),
        source_url=data.source_url,
    )


def _scheme_changes(data: UpdateSchemeInput) -> tuple[int, dict[str, Any]]:
    scheme_id = node_key("id", data.id, *SCHEMES)
    parent = optional_key("parent_id", data.parent_id, *SCHEMES)
    changes = given(data, _SCHEME_FIELDS)
    if parent is not strawberry.UNSET:
        changes["parent_id"] = parent
    return scheme_id, changes


@strawberry.type
class SchemeMutations:
    @strawberry.mutation(
        description="Create a draft scheme: a COG or a CPOG (Cnaf managers), or a departmental scheme — SDSF, "
        "SDAVS, education charter — (the Caf of its department). Retry-safe with an idempotencyKey."
    )
    async def create_scheme(self, info: Info, input: CreateSchemeInput) -> SchemePayload:
        outcome = await run(
            info,
            lambda: _new_scheme(input),
            lambda database, new, actor: schemes.create_scheme(database, new, actor, input.idempotency_key),
        )
        return scheme_payload(outcome)

    @strawberry.mutation(
        description="Change a scheme's title, summary, period, parent or published text (a CTG's: updateCtg). "
        "Only a draft's title, period and parent change. Refusals come as `errors`."
    )
    async def update_scheme(self, info: Info, input: UpdateSchemeInput) -> SchemePayload:
        outcome = await run(
            info,
            lambda: _scheme_changes(input),
            lambda database, update, actor: schemes.update_scheme(database, update[0], input.version, update[1], actor),
        )
        return scheme_payload(outcome)

    @strawberry.mutation(
        description="Move a scheme along its life cycle: signed once it has signatories who all signed, active "
        "from the first day of its period, then expired, or superseded by the scheme that takes over. Illegal "
        "moves come as ILLEGAL_TRANSITION errors naming the moves there are; CTGs move with signCtg, activateCtg, "
        "closeCtg and supersedeCtg."
    )
    async def transition_scheme(self, info: Info, input: TransitionSchemeInput) -> SchemePayload:
        outcome = await run(
            info,
            lambda: (
                node_key("id", input.id, *SCHEMES),
                optional_key("replaced_by_id", input.replaced_by_id, *SCHEMES),
            ),
            lambda database, move, actor: transitions.transition(
                database, move[0], input.version, input.status, actor, spec=m.SCHEME, successor_id=move[1]
            ),
        )
        return scheme_payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) a scheme: it leaves every read, and deletedSince lists it. Refused with "
        "IN_USE while schemes sit under it, CTGs name it as the CEJ they replace, or schemes name it as their "
        "successor. CTGs are archived with archiveCtg."
    )
    async def archive_scheme(self, info: Info, input: ArchiveSchemeInput) -> ArchivePayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, *SCHEMES),
            lambda database, scheme_id, actor: schemes.archive(database, scheme_id, input.version, actor),
        )
        return archive_payload(outcome, "Scheme")

    @strawberry.mutation(
        description="Add an objective to a draft scheme (or CTG), at a position or last. Moves the scheme's version."
    )
    async def add_objective(self, info: Info, input: AddObjectiveInput) -> SchemeObjectivePayload:
        values = {"title": input.title, "description": input.description}
        outcome = await run(
            info,
            lambda: node_key("scheme_id", input.scheme_id, *SCHEMES),
            lambda database, scheme_id, actor: ordered.add(
                database, ordered.OBJECTIVES, scheme_id, input.scheme_version, values, input.position, actor
            ),
        )
        return objective_payload(outcome)

    @strawberry.mutation(description="Change or move an objective of a draft scheme. Moves the scheme's version.")
    async def update_objective(self, info: Info, input: UpdateObjectiveInput) -> SchemeObjectivePayload:
        values = given(input, ("title", "description"))
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.OBJECTIVE),
            lambda database, objective_id, actor: ordered.change(
                database, ordered.OBJECTIVES, objective_id, input.scheme_version, values, input.position, actor
            ),
        )
        return objective_payload(outcome)

    @strawberry.mutation(description="Remove an objective of a draft scheme. Moves the scheme's version.")
    async def remove_objective(self, info: Info, input: RemoveObjectiveInput) -> SchemeObjectivePayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.OBJECTIVE),
            lambda database, objective_id, actor: ordered.remove(
                database, ordered.OBJECTIVES, objective_id, input.scheme_version, actor
            ),
        )
        return objective_payload(outcome)

    @strawberry.mutation(
        description="Plan a signatory of a draft scheme (or CTG): an organisation the caller sees, in a role, "
        "without a date (recordSignature dates it). Moves the scheme's version."
    )
    async def add_signatory(self, info: Info, input: AddSignatoryInput) -> SignaturePayload:
        outcome = await run(
            info,
            lambda: (
                node_key("scheme_id", input.scheme_id, *SCHEMES),
                node_key("organisation_id", input.organisation_id, m.ORGANISATION),
            ),
            lambda database, keys, actor: signatures.add_signatory(
                database, keys[0], input.scheme_version, keys[1], input.role, actor
            ),
        )
        return signature_payload(outcome)

    @strawberry.mutation(
        description="Record the day a signatory signed a draft scheme (or CTG). Moves the scheme's version."
    )
    async def record_signature(self, info: Info, input: RecordSignatureInput) -> SignaturePayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.SIGNATURE),
            lambda database, signature_id, actor: signatures.record_signature(
                database, signature_id, input.scheme_version, input.signed_on, actor, date.today()
            ),
        )
        return signature_payload(outcome)

    @strawberry.mutation(description="Take a signatory off a draft scheme (or CTG). Moves the scheme's version.")
    async def remove_signatory(self, info: Info, input: RemoveSignatoryInput) -> SignaturePayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.SIGNATURE),
            lambda database, signature_id, actor: signatures.remove_signatory(
                database, signature_id, input.scheme_version, actor
            ),
        )
        return signature_payload(outcome)
