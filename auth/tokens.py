"""Verifying bearer access tokens: RFC 9068 JWTs signed by the one trusted issuer."""

from __future__ import annotations

import time
from typing import Any

import httpx
from cachetools import LRUCache
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidPayloadError,
    JoseError,
    MissingClaimError,
)
from joserfc.jws import JWSRegistry
from joserfc.jwt import JWTClaimsRegistry

from auth.errors import InvalidToken, TokenExpired
from auth.jwks import SignatureKey
from auth.keys import IssuerKeys
from auth.oidc_config import OidcConfig

_CLAIM_REASONS = {
    "iss": "the token was issued by another issuer",
    "aud": "the token is meant for another audience",
    "nbf": "the token is not yet valid",
    "iat": "the token was issued in the future",
    "exp": "the token's expiry is not a date",
}


class TokenVerifier:
    """Verifies access tokens against the issuer's published keys; one per process, shared by requests."""

    def __init__(self, config: OidcConfig, http: httpx.AsyncClient) -> None:
        self._config = config
        self._keys = IssuerKeys(config, http)
        # Not strict about header names: issuers add their own, and none of them is ever acted upon
        # (notably jku, jwk, x5u and x5c: a token does not get to say which key verifies it).
        self._registry = JWSRegistry(algorithms=list(config.algorithms), strict_check_header=False)
        self._accepted_typ = {typ.lower() for typ in config.accepted_typ}
        # Tokens verified already: a client sends the same one with every request until it expires, and a
        # signature check costs more than the rest of a small read.
        self._verified: LRUCache[str, tuple[dict[str, Any], SignatureKey, str | None, str]] = LRUCache(maxsize=10_000)

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience, lifetime and kind are checked.

        Raises InvalidToken when the token is refused, IssuerUnavailable when the issuer's keys
        cannot be had to decide.
        """
        known = self._verified.get(token)
        if known is not None:
            claims, key, kid, alg = known
            # The same token, still unexpired, and the key that verified it still the one the issuer publishes
            # for its kid: its signature, issuer and audience checked out then and cannot have changed since.
            if time.time() <= claims["exp"] + self._config.leeway_seconds and await self._keys.key_for(kid, alg) is key:
                return claims
            del self._verified[token]
        header = self._checked_header(token)
        kid, alg = header.get("kid"), header["alg"]
        key = await self._keys.key_for(kid, alg)
        claims = self._signed_claims(token, key)
        self._check_claims(claims)
        if isinstance(claims.get("exp"), int | float):
            self._verified[token] = (claims, key, kid, alg)
        return claims

    def _checked_header(self, token: str) -> dict[str, Any]:
        try:
            header = jws.extract_compact(token.encode(), registry=self._registry).headers()
        except (JoseError, ValueError, TypeError):
            raise InvalidToken("the bearer token is not a JWT") from None
        alg, kid = header.get("alg"), header.get("kid")
        if not isinstance(alg, str) or not (kid is None or isinstance(kid, str)):
            raise InvalidToken("the bearer token is not a JWT")
        if alg.lower() == "none":
            raise InvalidToken("unsigned tokens (alg: none) are not accepted")
        if alg.upper().startswith("HS"):
            raise InvalidToken(f"symmetric signatures ({alg}) are not accepted")
        if alg not in self._config.algorithms:
            raise InvalidToken(f"the signature algorithm {alg} is not accepted")
        if "crit" in header or "b64" in header:
            # JWS extensions change what the signature covers; no access token needs them.
            raise InvalidToken("JWS extensions (crit, b64) are not accepted")
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in self._accepted_typ:
            # RFC 9068 §4: the explicit type keeps ID tokens and other JWTs from passing as access tokens.
            raise InvalidToken(f"not an access token: header typ {typ!r} is not accepted")
        return header

    def _signed_claims(self, token: str, key: SignatureKey) -> dict[str, Any]:
        try:
            return jwt.decode(token, key, registry=self._registry).claims
        except BadSignatureError:
            raise InvalidToken("the token's signature does not verify") from None
        except InvalidPayloadError:
            raise InvalidToken("the token's payload is not a JSON object") from None
        except JoseError:
            raise InvalidToken("the token cannot be verified with the issuer's key") from None

    def _check_claims(self, claims: dict[str, Any]) -> None:
        # Built per verification: the registry captures "now" when it is built.
        registry = JWTClaimsRegistry(
            leeway=self._config.leeway_seconds,
            iss={"essential": True, "value": self._config.issuer},
            aud={"essential": True, "value": self._config.audience},
            exp={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise TokenExpired("the token has expired") from None
        except MissingClaimError as error:
            raise InvalidToken(f"the token lacks required claims: {error.claim}") from None
        except ClaimError as error:
            reason = _CLAIM_REASONS.get(error.claim, f"the token's {error.claim} claim is invalid")
            raise InvalidToken(reason) from None
        for name, value in claims.items():
            if not _storable(value):
                # PostgreSQL text holds neither NUL nor a lone surrogate: a claim carrying one is no identity.
                raise InvalidToken(f"the token's {name} claim holds characters no text may hold")
        kind = claims.get("typ")
        if (isinstance(kind, str) and kind.upper() == "ID") or "nonce" in claims:
            # An ID token says who signed in to a client; it grants nothing to this API.
            raise InvalidToken("an ID token is not an access token")


def _storable(value: Any, depth: int = 0) -> bool:
    """Text, at any depth of the claim, that UTF-8 can encode and PostgreSQL can store."""
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= char <= "\udfff" for char in value)
    if depth > 32:
        return False
    if isinstance(value, list):
        return all(_storable(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(_storable(key, depth + 1) and _storable(item, depth + 1) for key, item in value.items())
    return True
