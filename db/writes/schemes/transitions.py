"""Moving a scheme along its life cycle (`db.writes.schemes.lifecycle`), once what each step requires holds.

The moves and the statuses are the state machine's; this module checks the requirements against the rows
(territory, themes, signatories, dates) and writes the move, recorded on the scheme like any change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from db.graph.mapping import CTG, NodeSpec, _table
from db.models import Organisation, SchemeCommune, Signature
from db.models.enums import OrganisationKind, SchemeScope, SchemeStatus
from db.session import RequestDatabase
from db.writes.audit import Actor, changes_between
from db.writes.outcome import Outcome, Refusal, because, refused
from db.writes.rows import update_row
from db.writes.schemes.guards import Target, changeable, find, record_on, reload, scheme_table
from db.writes.schemes.lifecycle import check_transition
from db.writes.schemes.schemes import FIELDS

_signature, _organisation, _scheme_commune = _table(Signature), _table(Organisation), _table(SchemeCommune)

SUCCESSOR_FIELDS = {**FIELDS, "ck_scheme_superseded_by_consistent": "replaced_by_id"}


async def transition(
    database: RequestDatabase,
    scheme_id: int,
    version: int,
    to: SchemeStatus,
    actor: Actor,
    *,
    spec: NodeSpec = CTG,
    successor_id: int | None = None,
    today: date | None = None,
) -> Outcome:
    """Move the scheme to `to` if the machine has that move and its requirements hold."""
    target = await changeable(database, scheme_id, version, spec=spec)
    if isinstance(target, Outcome):
        return target
    if spec is not CTG and target.is_ctg:
        return refused(Refusal.INVALID, "id", "scheme.is_ctg", mutation="signCtg, activateCtg, closeCtg, supersedeCtg")
    why_not = check_transition(target.status, to, target.noun, steps=target.is_ctg)
    if why_not:
        return because(Refusal.ILLEGAL_TRANSITION, None, why_not)
    changes: dict[str, Any] = {"status": to.value}
    if to is SchemeStatus.SIGNED:
        unmet = await _signable(database, target)
    elif to is SchemeStatus.ACTIVE:
        unmet = _started(target, today or date.today())
    elif to is SchemeStatus.SUPERSEDED:
        unmet = await _successor(database, target, successor_id, spec)
        changes["superseded_by_id"] = successor_id
    else:
        unmet = None
    if unmet:
        return unmet
    outcome = await update_row(database, scheme_table, {"id": target.id}, version, changes, SUCCESSOR_FIELDS)
    if outcome.row is None:
        return outcome
    await record_on(
        database, actor, target, "update", changes_between(target.row._mapping, outcome.row._mapping, tuple(changes))
    )
    return Outcome(row=await reload(database, target.id, spec))


def _started(target: Target, today: date) -> Outcome | None:
    start = target.row.period_start
    if start > today:
        return refused(Refusal.INVALID, "period_start", "scheme.activated_early", start=start)
    return None


async def _successor(
    database: RequestDatabase, target: Target, successor_id: int | None, spec: NodeSpec
) -> Outcome | None:
    if successor_id is None:
        return refused(Refusal.INVALID, "replaced_by_id", "scheme.successor_needed", type=target.noun)
    if successor_id == target.id:
        return refused(Refusal.INVALID, "replaced_by_id", "scheme.successor_itself", type=target.noun)
    successor = await find(database, successor_id, spec)
    if successor is None:
        return refused(Refusal.NOT_FOUND, "replaced_by_id", "not_found", type=target.noun)
    if successor.kind is not target.kind or successor.row.department_code != target.row.department_code:
        return refused(
            Refusal.INVALID,
            "replaced_by_id",
            "scheme.successor_kind",
            successorKind=successor.kind,
            successorDepartment=successor.row.department_code,
            kind=target.kind,
            department=target.row.department_code,
        )
    if successor.status not in (SchemeStatus.SIGNED, SchemeStatus.ACTIVE):
        return refused(
            Refusal.INVALID,
            "replaced_by_id",
            "scheme.successor_status",
            type=target.noun,
            status=successor.status,
        )
    return None


async def _signable(database: RequestDatabase, target: Target) -> Outcome | None:
    """None when what is signed is complete (see db.writes.schemes.lifecycle); otherwise what is missing."""
    row = target.row
    signatories = await database.rows(
        select(
            _signature.c.signed_on,
            _signature.c.organisation_id,
            _organisation.c.name,
            _organisation.c.kind,
            _organisation.c.department_code,
            _organisation.c.epci_siren,
            _organisation.c.commune_insee_code,
        )
        .select_from(_signature.outerjoin(_organisation, _organisation.c.id == _signature.c.organisation_id))
        .where(_signature.c.scheme_id == target.id)
        .order_by(_signature.c.id)
    )
    if target.is_ctg:
        missing = await _ctg_incomplete(database, row, signatories)
        if missing:
            return missing
    if not signatories:
        return refused(Refusal.INVALID, "signatures", "scheme.no_signatory", type=target.noun)
    unsigned = [s.name or str(s.organisation_id) for s in signatories if s.signed_on is None]
    if unsigned:
        return refused(Refusal.INVALID, "signatures", "scheme.unsigned", missing=unsigned)
    return None


async def _ctg_incomplete(database: RequestDatabase, row: Any, signatories: Any) -> Outcome | None:
    communes: list[str] = []
    if row.scope == SchemeScope.COMMUNES.value:
        communes = [
            code
            for (code,) in await database.rows(
                select(_scheme_commune.c.commune_insee_code).where(_scheme_commune.c.scheme_id == row.id)
            )
        ]
        if not communes:
            return refused(Refusal.INVALID, "communes", "ctg.communes_needed")
    if row.scope == SchemeScope.EPCI.value and row.epci_siren is None:
        return refused(Refusal.INVALID, "epci", "ctg.epci_needed")
    if not row.themes:
        return refused(Refusal.INVALID, "themes", "ctg.themes_needed")
    if row.period_end is None:
        return refused(Refusal.INVALID, "period_end", "ctg.end_needed")
    kinds = {(s.kind, s.department_code, s.epci_siren, s.commune_insee_code) for s in signatories}
    if not any(kind == OrganisationKind.CAF.value and dep == row.department_code for kind, dep, _, _ in kinds):
        return refused(Refusal.INVALID, "signatures", "ctg.caf_signs", department=row.department_code)
    epci_signs = any(kind == OrganisationKind.EPCI.value and epci == row.epci_siren for kind, _, epci, _ in kinds)
    if row.scope == SchemeScope.EPCI.value and not epci_signs:
        return refused(Refusal.INVALID, "signatures", "ctg.epci_signs")
    council = OrganisationKind.DEPARTMENTAL_COUNCIL.value
    council_signs = any(kind == council and dep == row.department_code for kind, dep, _, _ in kinds)
    if row.scope == SchemeScope.DEPARTMENT.value and not council_signs:
        return refused(
            Refusal.INVALID,
            "signatures",
            "ctg.council_signs",
            department=row.department_code,
        )
    signing_communes = {code for kind, _, _, code in kinds if kind == OrganisationKind.COMMUNE.value}
    absent = sorted(set(communes) - signing_communes)
    if absent:
        return refused(Refusal.INVALID, "signatures", "ctg.communes_sign", missing=list(absent))
    return None
