"""Granting habilitations and moving them along their one small state machine, with the audit trail.

    active ⇄ suspended        (suspend, reinstate)
    active | suspended → revoked   (final)

Only an active habilitation that has not expired counts when the caller is resolved (`caller_access`,
db/policies/keys.py), and the caller is resolved at the start of every request: a suspension or a
revocation takes effect on the identity's next request.

Who may grant or move which role where (auth/rules.py): an organisation's admins and the Caf managers of its
department manage its habilitations; nobody confers a role that would reach further than what they hold
themselves (`confers_within`, compared by PostgreSQL over the grant tables); nobody grants or reinstates a
habilitation of their own. The same conditions are the table's write policies.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import literal, select

from auth.rules import ROLES
from db.graph.mapping import HABILITATION, _table
from db.graph.reads import rows_by_keys
from db.graph.visibility import visible
from db.models import Habilitation, Organisation
from db.models.enums import HabilitationStatus as S
from db.models.enums import OrganisationKind, Role
from db.policies.conditions import confers, manages_habilitations
from db.session import RequestDatabase
from db.writes.audit import Actor, changes_between, record
from db.writes.idempotency import create_once
from db.writes.organisations.organisations import organisation_row
from db.writes.outcome import Outcome, Reason, Refusal, because, refused, transition
from db.writes.rows import insert_new, update_row
from db.writes.versions import stale

_habilitation = _table(Habilitation)
_organisation = _table(Organisation)

FIELDS = {"uq_habilitation_current": "role", "fk_habilitation_organisation_id_organisation": "organisation_id"}
_RECORDED = ("organisation_id", "issuer", "subject", "email", "role", "status", "expires_at", "granted_by")

MOVES = {(S.ACTIVE, S.SUSPENDED), (S.SUSPENDED, S.ACTIVE), (S.ACTIVE, S.REVOKED), (S.SUSPENDED, S.REVOKED)}


async def _refusal(
    database: RequestDatabase,
    organisation: Any,
    values: dict[str, Any],
    actor: Actor,
    target: S,
    fields: tuple[str, str],
) -> Outcome | None:
    """Why the caller may not put a habilitation of `values` (organisation, role, identity) in `target`
    status, naming the organisation's or the role's field (`fields`); None when it may."""
    organisation_field, role_field = fields
    role = values["role"]
    checked = (
        await database.rows(
            select(
                manages_habilitations(literal(organisation.id)).label("manages"),
                confers(literal(organisation.id), literal(role)).label("confers"),
            )
        )
    )[0]
    if not checked.manages:
        return refused(
            Refusal.FORBIDDEN,
            organisation_field,
            "habilitation.manager",
        )
    own = (values["issuer"], values["subject"]) == (actor.issuer, actor.subject)
    if own and target is S.ACTIVE:
        # The identity is the input's when granting; reinstating names the habilitation itself.
        identity_field = "id" if organisation_field == "id" else "subject"
        return refused(Refusal.FORBIDDEN, identity_field, "habilitation.own")
    if not checked.confers:
        return refused(
            Refusal.FORBIDDEN,
            role_field,
            "habilitation.confers_more",
            role=role,
        )
    return None


def check_move(current: S, target: S) -> Reason | None:
    """None when a habilitation may go from `current` to `target`; otherwise why not."""
    if (current, target) in MOVES:
        return None
    return transition("Habilitation", current, target, sorted(to.name for origin, to in MOVES if origin is current))


async def habilitation_row(database: RequestDatabase, habilitation_id: int) -> Any | None:
    """The habilitation, if the caller may see it (those who manage it, and the identity holding it)."""
    return (await rows_by_keys(database, HABILITATION, [habilitation_id]))[0]


async def grant_habilitation(
    database: RequestDatabase, values: dict[str, Any], actor: Actor, idempotency_key: str | None
) -> Outcome:
    """Grant the role to the identity in the organisation, once per idempotency key, if the caller may."""

    async def create() -> Outcome:
        organisation = await organisation_row(database, values["organisation_id"])
        if organisation is None:
            return refused(Refusal.NOT_FOUND, "organisation_id", "not_found", type="Organisation")
        role = values["role"]
        if not ROLES[Role(role)].fits(organisation.kind):
            return refused(
                Refusal.INVALID,
                "role",
                "habilitation.role_kind",
                role=Role(role),
                kind=OrganisationKind(organisation.kind),
            )
        denied = await _refusal(database, organisation, values, actor, S.ACTIVE, ("organisation_id", "role"))
        if denied is not None:
            return denied
        held = await database.rows(
            select(_habilitation.c.status).where(
                *(_habilitation.c[name] == values[name] for name in ("issuer", "subject", "organisation_id", "role")),
                _habilitation.c.status != S.REVOKED.value,
            )
        )
        if held:
            return refused(Refusal.INVALID, "role", "habilitation.held", status=S(held[0].status))
        row = {**values, "status": S.ACTIVE.value, "granted_by": actor.subject}
        habilitation_id = await insert_new(database, _habilitation, row, FIELDS)
        if isinstance(habilitation_id, Outcome):
            return habilitation_id
        created = await habilitation_row(database, habilitation_id)
        assert created is not None, "who grants a habilitation manages it, and sees it"
        changes = changes_between(dict.fromkeys(_RECORDED), created._mapping, _RECORDED)
        await record(database, actor, "habilitation", habilitation_id, "create", changes)
        return Outcome(row=created)

    async def load(habilitation_id: int) -> Any | None:
        return await habilitation_row(database, habilitation_id)

    return await create_once(
        database, actor, idempotency_key, "grantHabilitation", values, "habilitation", create, load
    )


async def move_habilitation(
    database: RequestDatabase, habilitation_id: int, version: int, target: S, actor: Actor
) -> Outcome:
    """Suspend, reinstate or revoke the habilitation, if the caller may and nobody changed it since `version`."""
    found = await database.rows(
        select(
            *[column.label(name) for name, column in HABILITATION.columns.items()],
            _organisation.c.kind.label("organisation_kind"),
            _organisation.c.department_code.label("organisation_department"),
        )
        .select_from(
            HABILITATION.source.outerjoin(_organisation, _organisation.c.id == _habilitation.c.organisation_id)
        )
        .where(_habilitation.c.id == habilitation_id, *visible(HABILITATION, database.national))
    )
    if not found:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type="Habilitation")
    before = found[0]
    # The identity holding it sees it; seeing its organisation takes more.
    organisation = SimpleNamespace(id=before.organisation_id, kind=before.organisation_kind or "")
    denied = await _refusal(database, organisation, before._mapping, actor, target, ("id", "id"))
    if denied is not None:
        return denied
    # A stale version first: the client's view of the status is stale with it.
    conflict = stale(version, before.version, noun="habilitation")
    if conflict is not None:
        return conflict
    why_not = check_move(S(before.status), target)
    if why_not is not None:
        return because(Refusal.ILLEGAL_TRANSITION, "id", why_not)
    outcome = await update_row(database, _habilitation, {"id": before.id}, version, {"status": target.value}, FIELDS)
    if outcome.row is None:
        return outcome
    changes = changes_between(before._mapping, outcome.row._mapping, ("status",))
    await record(database, actor, "habilitation", before.id, "update", changes)
    return outcome
