"""A small OpenID issuer for tests: discovery and JWKS over real HTTP, keys it can rotate, tokens on demand.

`running_issuer()` serves it on a loopback port. Its switches let a test take it down (HTTP 500, or
accepting requests and never answering), count what verifiers fetch from it, and advertise another issuer
identifier. `mint()` signs anything, including what a careful library refuses to produce (`alg: none`,
HS256 keyed with the RSA public key), because those are exactly the tokens a verifier must refuse.
"""

from __future__ import annotations

import asyncio
import base64
import enum
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from joserfc.jwk import ECKey, RSAKey
from joserfc.jws import JWSRegistry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from auth.jwks import SignatureKey
from tests.conftest import serve

AUDIENCE = "https://api.maillage.test"
JWKS_PATH = "/jwks"
TOKEN_LIFETIME_SECONDS = 300

_HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def new_rsa_key(kid: str, alg: str = "RS256", use: str = "sig") -> RSAKey:
    return RSAKey.generate_key(2048, {"kid": kid, "use": use, "alg": alg})


def new_ec_key(kid: str) -> ECKey:
    return ECKey.generate_key("P-256", {"kid": kid, "use": "sig", "alg": "ES256"})


@cache
def _founding_keys() -> tuple[RSAKey, ECKey]:
    # RSA key generation costs up to a second: issuers share their first keys, generated once per run.
    return new_rsa_key("rsa-1"), new_ec_key("ec-1")


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _json_b64(value: dict[str, Any]) -> bytes:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


def mint(header: dict[str, Any], claims: dict[str, Any], key: SignatureKey | bytes | None) -> str:
    """A compact JWS of `claims` under `header` exactly as given, signed per `header["alg"]`.

    `key` is a private JWK for asymmetric algorithms, the secret for HS*, and None for `alg: none`.
    """
    alg = header["alg"]
    signing_input = _json_b64(header) + b"." + _json_b64(claims)
    if alg == "none":
        signature = b""
    elif alg in _HMAC_HASHES:
        assert isinstance(key, bytes), "HS* tokens are keyed with bytes"
        signature = hmac.new(key, signing_input, _HMAC_HASHES[alg]).digest()
    else:
        assert key is not None, f"{alg} tokens need a private JWK"
        assert not isinstance(key, bytes), f"{alg} tokens need a private JWK"
        signature = JWSRegistry.algorithms[alg].sign(signing_input, key)
    return (signing_input + b"." + _b64(signature)).decode()


class Mode(enum.Enum):
    UP = "up"
    FAILING = "failing"  # answers HTTP 500
    SILENT = "silent"  # accepts requests and never answers


class LocalIssuer:
    """Holds its private keys and publishes their public halves; `url` is set once it is served."""

    def __init__(self, audience: str = AUDIENCE) -> None:
        self.audience = audience
        self.url = ""
        self._answering = asyncio.Event()
        self.keys: list[SignatureKey] = []
        self.advertised_issuer: str | None = None
        self.discovery_fetches = 0
        self.jwks_fetches = 0
        self.mode = Mode.UP
        self.reset()
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route(JWKS_PATH, self._jwks),
            ]
        )

    # -- switches ---------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to its first keys, up, advertising itself, with its fetch counters at zero."""
        self.keys = list(_founding_keys())
        self.advertised_issuer = None
        self.discovery_fetches = 0
        self.jwks_fetches = 0
        self.recover()

    def rotate(self, key: SignatureKey | None = None) -> SignatureKey:
        """Publishes a new signing key (the old ones stay published) and returns it."""
        key = key or new_rsa_key(f"rsa-{uuid.uuid4().hex[:8]}")
        self.keys.append(key)
        return key

    def fail(self) -> None:
        self.mode = Mode.FAILING
        self._answering.set()

    def go_silent(self) -> None:
        self.mode = Mode.SILENT
        self._answering.clear()

    def recover(self) -> None:
        self.mode = Mode.UP
        self._answering.set()

    @property
    def rsa_key(self) -> RSAKey:
        key = self.keys[0]
        assert isinstance(key, RSAKey)
        return key

    # -- tokens -----------------------------------------------------------------------------------

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """An access token's claims; an override of None leaves that claim out."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "aud": self.audience,
            "sub": "agent-1",
            "client_id": "maillage-web",
            "scope": "api",
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def access_token(
        self,
        key: SignatureKey | None = None,
        *,
        header: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """An RFC 9068 access token signed with `key` (the first RSA key by default).

        `header` entries override the computed ones (alg from the key, kid, typ "at+jwt").
        """
        key = key or self.rsa_key
        alg = key.alg or ("ES256" if isinstance(key, ECKey) else "RS256")
        full_header: dict[str, Any] = {"alg": alg, "typ": "at+jwt", "kid": key.kid, **(header or {})}
        return mint(full_header, self.claims(**claims), key)

    # -- endpoints --------------------------------------------------------------------------------

    async def _discovery(self, request: Request) -> Response:
        self.discovery_fetches += 1
        if failure := await self._outage():
            return failure
        return JSONResponse(
            {
                "issuer": self.advertised_issuer or self.url,
                "jwks_uri": self.url.removesuffix("/") + JWKS_PATH,
                "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        self.jwks_fetches += 1
        if failure := await self._outage():
            return failure
        return JSONResponse({"keys": [key.as_dict(private=False) for key in self.keys]})

    async def _outage(self) -> Response | None:
        await self._answering.wait()
        if self.mode is Mode.FAILING:
            return JSONResponse({"error": "down for the test"}, status_code=500)
        return None


@asynccontextmanager
async def running_issuer(audience: str = AUDIENCE) -> AsyncIterator[LocalIssuer]:
    """A LocalIssuer served over HTTP on a free loopback port."""
    issuer = LocalIssuer(audience)
    async with serve(issuer.app) as base_url:
        issuer.url = base_url
        try:
            yield issuer
        finally:
            # Release requests held by a silent issuer, or the server would wait for them forever.
            issuer.recover()
