"""From a verified identity to the Principal and its Scope, at the start of each request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auth.identity import Identity
from auth.policy import ANONYMOUS_SCOPE, Scope, scope_of
from auth.principal import ANONYMOUS, Membership, Principal
from db.access import MembershipQuery, enter_scope, memberships_now
from db.models.enums import Role
from db.session import RequestDatabase
from server.callers import Callers

_ROLES = {role.value: role for role in Role}


async def principal_for(database: RequestDatabase, identity: Identity | None) -> Principal:
    if identity is None:
        return ANONYMOUS
    return principal_of(identity, (await memberships_now(database, membership_query(identity))).rows)


def membership_query(identity: Identity) -> MembershipQuery:
    """What `caller_memberships` (migration 0005) takes to find who an identity is in Maillage."""
    key, value = identity.organisation if identity.organisation else (None, None)
    return MembershipQuery(
        identity.issuer,
        identity.subject,
        key.value if key else None,
        value,
        identity.caf_department,
        tuple(sorted(identity.roles)),
    )


def principal_of(identity: Identity, rows: Iterable[Mapping[str, Any]]) -> Principal:
    """The Principal from `caller_access` rows (id, kind, department_code, epci_siren, commune_insee_code, role,
    keys): one per membership, with the keys it gives (none when the role does not count there)."""
    memberships = {
        Membership(
            row["id"],
            row["kind"],
            _ROLES[row["role"]],
            row["department_code"],
            row["epci_siren"],
            row["commune_insee_code"],
            tuple(sorted(row["keys"] or ())),
        )
        for row in rows
        if row["role"] in _ROLES
    }
    return Principal(identity, tuple(sorted(memberships, key=lambda m: (m.organisation_id, m.role.value))))


def scope_for(principal: Principal) -> Scope:
    return scope_of(principal) if not principal.anonymous else ANONYMOUS_SCOPE


async def enter_request_scope(
    database: RequestDatabase,
    identity: Identity | None,
    *,
    statement_timeout_ms: int = 0,
    callers: Callers | None = None,
) -> tuple[Principal, Scope]:
    """Resolve the caller and put the transaction in its scope; the Scope also serves field rules.

    The statement timeout travels in the same statement as the scope, local to the transaction: no round trip
    more, and no slow query holds its connection past it (0: no timeout). A caller `callers` remembers takes
    its scope and checks the generation of access in that same statement (server/callers.py): one statement
    when nothing that decides its memberships changed.
    """
    timeout = {"statement_timeout": str(statement_timeout_ms)}
    if identity is None or callers is None:
        principal = await principal_for(database, identity)
        scope = scope_for(principal)
        await enter_scope(database, {**scope.settings(), **timeout})
        return principal, scope
    known = callers.get(identity)
    if known is not None:
        generation = await enter_scope(database, {**known.scope.settings(), **timeout}, generation=True)
        if generation == known.generation:
            return known.principal, known.scope
    read = await memberships_now(database, membership_query(identity))
    principal = principal_of(identity, read.rows)
    scope = scope_for(principal)
    callers.remember(identity, principal, scope, read.generation, read.seconds_left)
    await enter_scope(database, {**scope.settings(), **timeout})
    return principal, scope
