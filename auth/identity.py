"""Who a verified token says the caller is: the claims Maillage reads, wherever the issuer puts them.

Issuers differ: Keycloak puts roles in `realm_access.roles` or `resource_access.<client>.roles`,
others in `roles`, ProConnect sends none but a `siret`. `ClaimsConfig` says where to look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OrganisationKey(StrEnum):
    """What the organisation claim holds."""

    ID = "id"  # Maillage's own organisation id
    SIRET = "siret"
    SIREN = "siren"
    REF = "ref"  # Maillage's stable organisation reference: "caf:31", "epci:243100518", "cnaf"...


@dataclass(frozen=True)
class ClaimsConfig:
    roles_claim: str = "roles"  # a dotted path: "realm_access.roles", "resource_access.maillage.roles"
    organisation_claim: str = "siret"
    organisation_key: OrganisationKey = OrganisationKey.SIRET
    caf_claim: str = "caf"  # the department code of the caller's Caf, for Caf staff


@dataclass(frozen=True)
class Identity:
    """The verified caller, before Maillage decides what it may do."""

    issuer: str
    subject: str
    email: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    organisation: tuple[OrganisationKey, str] | None = None
    caf_department: str | None = None


def _at(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def identity_from_claims(claims: dict[str, Any], config: ClaimsConfig) -> Identity:
    """Read the caller from verified claims; claims of an unexpected shape are ignored, never trusted."""
    roles = _at(claims, config.roles_claim)
    organisation = _at(claims, config.organisation_claim)
    caf = _at(claims, config.caf_claim)
    email = claims.get("email")
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims.get("sub") or claims.get("client_id") or ""),
        email=email if isinstance(email, str) else None,
        roles=frozenset(role for role in roles if isinstance(role, str)) if isinstance(roles, list) else frozenset(),
        organisation=(config.organisation_key, str(organisation))
        if isinstance(organisation, str | int) and not isinstance(organisation, bool)
        else None,
        caf_department=caf if isinstance(caf, str) else None,
    )
