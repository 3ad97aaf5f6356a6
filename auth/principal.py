"""The Principal: who is calling, and for which organisations, in which roles.

Built once per request from the verified identity (token roles for the token's organisation) and from
the habilitations Maillage stores for that identity. Everything about rights is decided from it, by
`auth.policy` and the rules of `auth.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.identity import Identity
from db.models.enums import Role


@dataclass(frozen=True)
class Membership:
    """One role the caller holds in one organisation, where that organisation stands, and the keys it gives
    (auth/rules.py, computed by the database: none when the role does not count in that kind of organisation)."""

    organisation_id: int
    organisation_kind: str
    role: Role
    department_code: str | None = None
    epci_siren: str | None = None
    commune_insee_code: str | None = None
    keys: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class Principal:
    identity: Identity | None = None
    memberships: tuple[Membership, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.identity is None

    def holds(self, role: Role) -> bool:
        return any(membership.role is role and membership.counts for membership in self.memberships)


ANONYMOUS = Principal()
