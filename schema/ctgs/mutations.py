"""Changing CTGs: drafts, territory, themes, diagnostic, governance, signatories, activation, closing.

Refusals come as `errors` in each payload. Signatories and objectives of a CTG change through the scheme
mutations (addSignatory, recordSignature, addObjective...), which take a CTG's ID as well as a scheme's.
"""

from __future__ import annotations

from typing import Any

import strawberry

from db.graph import mapping as m
from db.models.enums import SchemeStatus
from db.writes.outcome import Outcome
from db.writes.schemes import ctgs, ordered, schemes, transitions
from db.writes.schemes.guards import LinkChange
from schema.context import Info
from schema.ctgs.inputs import (
    AddGovernanceBodyInput,
    ArchiveCtgInput,
    CreateCtgInput,
    CtgStepInput,
    RemoveGovernanceBodyInput,
    SupersedeCtgInput,
    UpdateCtgInput,
    UpdateGovernanceBodyInput,
)
from schema.ctgs.types import Ctg, GovernanceBody
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.schemes.mutations import SCHEMES, ArchivePayload, archive_payload
from schema.write_inputs import given, node_key, node_keys, optional_key


@strawberry.type(description="The outcome of a change to a CTG: the CTG as it now is, or why nothing changed.")
class CtgPayload:
    ctg: Ctg | None = strawberry.field(description="The CTG; null when the change was refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of a change to a CTG's governance bodies.")
class GovernanceBodyPayload:
    governance_body: GovernanceBody | None = strawberry.field(
        description="The governance body as it now is; null when removed or refused."
    )
    ctg: Ctg | None = strawberry.field(description="Its CTG as it now is; null when refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


def ctg_payload(outcome: Outcome) -> CtgPayload:
    ctg = from_row(Ctg, outcome.row) if outcome.row is not None else None
    return CtgPayload(ctg=ctg, errors=errors_of(outcome))


def governance_payload(outcome: Outcome) -> GovernanceBodyPayload:
    change_ = outcome.row if isinstance(outcome.row, LinkChange) else LinkChange(None, None)
    return GovernanceBodyPayload(
        governance_body=from_row(GovernanceBody, change_.item) if change_.item is not None else None,
        ctg=from_row(Ctg, change_.scheme) if change_.scheme is not None else None,
        errors=errors_of(outcome),
    )


def _new_ctg(data: CreateCtgInput) -> ctgs.NewCtg:
    parent = node_key("parent_id", data.parent_id, *SCHEMES)
    epci = optional_key("epci_id", data.epci_id, m.EPCI)
    communes = node_keys("commune_ids", data.commune_ids or [], m.COMMUNE, each=False)
    cej = optional_key("replaces_cej_id", data.replaces_cej_id, *SCHEMES)
    return ctgs.NewCtg(
        title=data.title,
        period_start=data.period_start,
        period_end=data.period_end,
        parent_id=parent,
        territory=ctgs.Territory(epci_siren=epci, communes=tuple(communes), whole_department=data.whole_department),
        themes=tuple(theme.value for theme in data.themes),
        summary=data.summary,
        replaces_scheme_id=cej,
    )


def _territory(epci_id: Any, commune_ids: Any, whole_department: Any) -> ctgs.Territory | None:
    """The territory given, if any of its fields was (UNSET: left out)."""
    if all(value is strawberry.UNSET for value in (epci_id, commune_ids, whole_department)):
        return None
    epci = optional_key("epci_id", epci_id if epci_id is not strawberry.UNSET else None, m.EPCI)
    communes = node_keys("commune_ids", commune_ids or [], m.COMMUNE, each=False)
    return ctgs.Territory(epci_siren=epci, communes=tuple(communes), whole_department=whole_department is True)


def _patch(columns: dict[str, str], given: Any) -> dict[str, Any]:
    """The columns a nested input sets: those of its fields given (all of them, cleared, when it is null)."""
    if given is None:
        return dict.fromkeys(columns)
    return {
        column: getattr(given, name) for column, name in columns.items() if getattr(given, name) is not strawberry.UNSET
    }


def _ctg_fields(input: UpdateCtgInput) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if input.themes is not strawberry.UNSET:
        values["themes"] = () if input.themes is None else tuple(theme.value for theme in input.themes)
    # A nested input patches: its fields left out are kept; the whole input given as null clears them all.
    if input.diagnostic is not strawberry.UNSET:
        diagnostic = input.diagnostic
        values |= _patch({"diagnostic_date": "completed_on", "diagnostic_summary": "summary"}, diagnostic)
    if input.coordinator is not strawberry.UNSET:
        coordinator = input.coordinator
        values |= _patch({"coordinator_name": "name", "coordinator_email": "email"}, coordinator)
        organisation = None if coordinator is None else coordinator.organisation_id
        if organisation is not strawberry.UNSET:
            values["coordinator_organisation_id"] = optional_key(
                "coordinator.organisation_id", organisation, m.ORGANISATION
            )
    if input.replaces_cej_id is not strawberry.UNSET:
        values["replaces_scheme_id"] = optional_key("replaces_cej_id", input.replaces_cej_id, *SCHEMES)
    return values


def _ctg_changes(data: UpdateCtgInput) -> tuple[int, ctgs.CtgChanges]:
    ctg_id = node_key("id", data.id, m.CTG)
    scheme_fields = given(data, ("title", "summary", "period_start", "period_end"))
    if data.parent_id is not strawberry.UNSET:
        scheme_fields["parent_id"] = optional_key("parent_id", data.parent_id, *SCHEMES)
    territory = _territory(data.epci_id, data.commune_ids, data.whole_department)
    return ctg_id, ctgs.CtgChanges(scheme=scheme_fields, ctg=_ctg_fields(data), territory=territory)


async def _step(info: Info, input: CtgStepInput | SupersedeCtgInput, to: SchemeStatus) -> CtgPayload:
    def build() -> tuple[int, int | None]:
        ctg_id = node_key("id", input.id, m.CTG)
        if isinstance(input, SupersedeCtgInput):
            return ctg_id, node_key("replaced_by_id", input.replaced_by_id, m.CTG)
        return ctg_id, None

    outcome = await run(
        info,
        build,
        lambda database, step, actor: transitions.transition(
            database, step[0], input.version, to, actor, successor_id=step[1]
        ),
    )
    return ctg_payload(outcome)


@strawberry.type
class CtgMutations:
    @strawberry.mutation(
        description="Create a draft CTG (the Caf of the department of its parent scheme): title, period, "
        "territory (an EPCI or communes), themes, the CEJ it replaces. Retry-safe with an idempotencyKey."
    )
    async def create_ctg(self, info: Info, input: CreateCtgInput) -> CtgPayload:
        outcome = await run(
            info,
            lambda: _new_ctg(input),
            lambda database, new, actor: ctgs.create_ctg(database, new, actor, input.idempotency_key),
        )
        return ctg_payload(outcome)

    @strawberry.mutation(
        description="Change a CTG: title, summary, period, parent, territory, themes, diagnostic, coordinator, "
        "the CEJ it replaces. What was signed no longer changes once signed. Refusals come as `errors`."
    )
    async def update_ctg(self, info: Info, input: UpdateCtgInput) -> CtgPayload:
        outcome = await run(
            info,
            lambda: _ctg_changes(input),
            lambda database, update, actor: ctgs.update_ctg(database, update[0], input.version, update[1], actor),
        )
        return ctg_payload(outcome)

    @strawberry.mutation(
        description="Sign a draft CTG: it needs a territory, a theme, a period with an end, the Caf of its "
        "department and its local authority (its EPCI, or each listed commune) among its signatories, and "
        "every signatory's date. Anything missing is an INVALID error naming it."
    )
    async def sign_ctg(self, info: Info, input: CtgStepInput) -> CtgPayload:
        return await _step(info, input, SchemeStatus.SIGNED)

    @strawberry.mutation(description="Activate a signed CTG, from the first day of its period.")
    async def activate_ctg(self, info: Info, input: CtgStepInput) -> CtgPayload:
        return await _step(info, input, SchemeStatus.ACTIVE)

    @strawberry.mutation(description="Close an active CTG: it expires (at its end, or earlier when ended early).")
    async def close_ctg(self, info: Info, input: CtgStepInput) -> CtgPayload:
        return await _step(info, input, SchemeStatus.EXPIRED)

    @strawberry.mutation(
        description="Supersede an active CTG by the one that takes over from it (signed or active, same "
        "department); supersededBy names it from then on."
    )
    async def supersede_ctg(self, info: Info, input: SupersedeCtgInput) -> CtgPayload:
        return await _step(info, input, SchemeStatus.SUPERSEDED)

    @strawberry.mutation(
        description="Archive (delete) a CTG: it leaves every read, and deletedSince lists it. Refused with "
        "IN_USE while it has actions, or a scheme names it as its successor."
    )
    async def archive_ctg(self, info: Info, input: ArchiveCtgInput) -> ArchivePayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.CTG),
            lambda database, ctg_id, actor: schemes.archive(database, ctg_id, input.version, actor, m.CTG),
        )
        return archive_payload(outcome, "Ctg")

    @strawberry.mutation(
        description="Add a governance body to a CTG that is not yet expired or superseded. Moves its version."
    )
    async def add_governance_body(self, info: Info, input: AddGovernanceBodyInput) -> GovernanceBodyPayload:
        values = {"name": input.name, "composition": input.composition, "meeting_frequency": input.meeting_frequency}
        outcome = await run(
            info,
            lambda: node_key("ctg_id", input.ctg_id, m.CTG),
            lambda database, ctg_id, actor: ordered.add(
                database, ordered.GOVERNANCE_BODIES, ctg_id, input.ctg_version, values, input.position, actor
            ),
        )
        return governance_payload(outcome)

    @strawberry.mutation(description="Change or move a CTG's governance body. Moves the CTG's version.")
    async def update_governance_body(self, info: Info, input: UpdateGovernanceBodyInput) -> GovernanceBodyPayload:
        values = given(input, ("name", "composition", "meeting_frequency"))
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.GOVERNANCE_BODY),
            lambda database, body_id, actor: ordered.change(
                database, ordered.GOVERNANCE_BODIES, body_id, input.ctg_version, values, input.position, actor
            ),
        )
        return governance_payload(outcome)

    @strawberry.mutation(description="Remove a CTG's governance body. Moves the CTG's version.")
    async def remove_governance_body(self, info: Info, input: RemoveGovernanceBodyInput) -> GovernanceBodyPayload:
        outcome = await run(
            info,
            lambda: node_key("id", input.id, m.GOVERNANCE_BODY),
            lambda database, body_id, actor: ordered.remove(
                database, ordered.GOVERNANCE_BODIES, body_id, input.ctg_version, actor
            ),
        )
        return governance_payload(outcome)
