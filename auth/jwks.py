"""The issuer's JWK set, reduced to the public keys it publishes for verifying signatures."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import ECKey, JWKRegistry, OKPKey, RSAKey
from joserfc.jws import JWSRegistry

from auth.errors import IssuerUnavailable
from auth.fetch import fetch_json_object

SignatureKey = RSAKey | ECKey | OKPKey
MIN_RSA_BITS = 2048
STRONG_EC_CURVES = frozenset({"P-256", "P-384", "P-521"})


@dataclass(frozen=True)
class SigningKeys:
    """The usable signature keys of one JWKS document, in the issuer's order."""

    keys: tuple[SignatureKey, ...]

    def find(self, kid: str | None, alg: str) -> SignatureKey | None:
        """The key that verifies `alg` signatures under `kid`; without a kid, the only key that fits."""
        model = JWSRegistry.algorithms.get(alg)
        if model is None:
            return None
        fitting: list[SignatureKey] = []
        for key in self.keys:
            if kid is not None and key.kid != kid:
                continue
            try:
                # The algorithm's own check: key type, curve, "use" and the key's "alg" if it names one.
                model.check_key(key)
            except JoseError:
                continue
            fitting.append(key)
        if kid is None and len(fitting) != 1:
            return None
        return fitting[0] if fitting else None


def parse_jwks(document: dict[str, Any], *, url: str) -> SigningKeys:
    """The signature keys of a JWKS; keys for encryption, symmetric or unreadable keys are left out."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise IssuerUnavailable(f"the issuer's JWKS at {url} has no 'keys' list")
    keys: list[SignatureKey] = []
    for entry in entries:
        if not isinstance(entry, dict) or not _published_for_signatures(entry):
            continue
        try:
            with warnings.catch_warnings():
                # joserfc warns of a weak key as it imports it: _strong_enough leaves such keys out below.
                warnings.simplefilter("ignore", SecurityWarning)
                key = JWKRegistry.import_key(entry)
        except (JoseError, ValueError, TypeError, KeyError):
            # RFC 7517 §5: a set may hold keys this verifier does not understand; the others stay usable.
            continue
        if isinstance(key, RSAKey | ECKey | OKPKey) and _strong_enough(key):
            keys.append(key)
    if not keys:
        raise IssuerUnavailable(f"the issuer's JWKS at {url} publishes no usable signature key")
    return SigningKeys(tuple(keys))


def _strong_enough(key: SignatureKey) -> bool:
    """RSA of 2048 bits or more, EC on the NIST curves of 256 bits or more; a weaker key is left out, as if
    the issuer had not published it (a 512-bit RSA key is factored in hours)."""
    if isinstance(key, RSAKey):
        return int(key.public_key.key_size) >= MIN_RSA_BITS
    if isinstance(key, ECKey):
        return key.curve_name in STRONG_EC_CURVES
    return True


def _published_for_signatures(entry: dict[str, Any]) -> bool:
    if entry.get("kty") == "oct":
        # A symmetric key in a public document is everyone's key: never a reason to accept a token.
        return False
    if entry.get("use", "sig") != "sig":
        return False
    operations = entry.get("key_ops")
    return operations is None or (isinstance(operations, list) and "verify" in operations)


async def fetch_signing_keys(http: httpx.AsyncClient, jwks_uri: str, *, timeout: float) -> SigningKeys:
    document = await fetch_json_object(http, jwks_uri, what="JWKS", timeout=timeout)
    return parse_jwks(document, url=jwks_uri)
