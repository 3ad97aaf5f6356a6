"""What the server tells the token verifier about the one issuer it trusts."""

from __future__ import annotations

from dataclasses import dataclass

# Symmetric algorithms would let anyone holding the (public) verification key mint tokens, and
# "none" needs no key at all: no configuration may allow them.
_FORBIDDEN_PREFIXES = ("HS", "NONE")


@dataclass(frozen=True)
class OidcConfig:
    """The trusted issuer, this API's audience and how hard to lean on the issuer's endpoints."""

    issuer: str
    audience: str
    algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    leeway_seconds: int = 30
    jwks_ttl_seconds: int = 600
    unknown_kid_cooldown_seconds: int = 30
    http_timeout_seconds: float = 5.0
    # RFC 9068 access tokens carry "at+jwt"; a deployment whose issuer types them "JWT" (Keycloak)
    # adds it here, and ID tokens are then still told apart by their claims.
    accepted_typ: tuple[str, ...] = ("at+jwt", "application/at+jwt")

    def __post_init__(self) -> None:
        if not self.issuer:
            raise ValueError("OIDC issuer must not be empty")
        if not self.audience:
            raise ValueError("OIDC audience must not be empty")
        if not self.algorithms:
            raise ValueError("OIDC algorithms must name at least one signature algorithm")
        forbidden = [alg for alg in self.algorithms if alg.upper().startswith(_FORBIDDEN_PREFIXES)]
        if forbidden:
            raise ValueError(f"OIDC algorithms must be asymmetric; not allowed: {', '.join(forbidden)}")
        if not self.accepted_typ:
            raise ValueError("OIDC accepted_typ must name at least one token type")
