"""The Principal: who is calling, and for which organisations, in which roles.

Built once per request from the verified identity (token roles for the token's organisation) and from
the habilitations Maillage stores for that identity. Everything about rights is decided from it, by
`auth.policy`.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.identity import Identity
from db.models.enums import Role


@dataclass(frozen=True)
class Membership:
    """One role the caller holds in one organisation, with where that organisation stands."""

    organisation_id: int
    organisation_kind: str
    role: Role
    department_code: str | None = None
    epci_siren: str | None = None
    commune_insee_code: str | None = None


@dataclass(frozen=True)
class Principal:
    identity: Identity | None = None
    memberships: tuple[Membership, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.identity is None

    def holds(self, role: Role) -> bool:
        return any(membership.role is role for membership in self.memberships)


ANONYMOUS = Principal()
