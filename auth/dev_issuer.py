"""A development OpenID issuer served by Maillage itself, so that identity can be tried with none installed.

Enabled only by MAILLAGE_DEV_ISSUER, and never in production (the settings refuse it). It publishes a
discovery document and a JWKS under `/dev-issuer` like any issuer, and the service verifies its tokens
exactly as it verifies a real issuer's: over HTTP, through discovery. It has no login page: `maillage
dev-token PERSONA` mints an access token for one of the personas of `auth.dev_personas`.

The signing key is generated once and kept in the data folder, because the server, which publishes it,
and `maillage dev-token`, which signs with it, are two processes.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from auth.discovery import WELL_KNOWN_PATH

if TYPE_CHECKING:
    from auth.dev_personas import Persona

PATH = "/dev-issuer"
JWKS_PATH = "/jwks"
KEY_FILE = "dev-issuer-key.json"
ALGORITHM = "RS256"
TOKEN_LIFETIME_SECONDS = 3600
CLIENT_ID = "maillage-dev-token"
# Where its tokens put what Maillage reads; the settings default to these when the dev issuer is trusted.
ROLES_CLAIM = "roles"
ORGANISATION_CLAIM = "organisation"  # holds the organisation's ref
CAF_CLAIM = "caf"


class DevIssuerError(Exception):
    """The development issuer cannot get its key; the message says why and what to do."""


def issuer_url(public_url: str) -> str:
    """The issuer identifier (`iss`) of the development issuer served at `public_url`."""
    return public_url.removesuffix("/") + PATH


class DevIssuer:
    """Signs access tokens for personas and serves what verifiers need: discovery and the public key."""

    def __init__(self, issuer: str, audience: str, key: RSAKey) -> None:
        self.issuer = issuer
        self.audience = audience
        self._key = key

    @classmethod
    def open(cls, data_dir: Path, *, issuer: str, audience: str) -> DevIssuer:
        """The issuer whose key is kept in `data_dir`, creating the key on first use."""
        return cls(issuer, audience, load_or_create_key(data_dir))

    @property
    def kid(self) -> str:
        return self._key.kid or ""

    def access_token(self, persona: Persona) -> str:
        """An RFC 9068 access token saying who `persona` is, valid for an hour."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": persona.subject,
            "client_id": CLIENT_ID,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "jti": uuid.uuid4().hex,
            "name": persona.full_name,
            "email": persona.email,
            ROLES_CLAIM: [role.value for role in persona.roles],
            ORGANISATION_CLAIM: persona.organisation,
        }
        if persona.caf_department is not None:
            claims[CAF_CLAIM] = persona.caf_department
        header = {"alg": ALGORITHM, "typ": "at+jwt", "kid": self.kid}
        return jwt.encode(header, claims, self._key, algorithms=[ALGORITHM])

    def discovery_document(self) -> dict[str, Any]:
        # Only what a resource server reads, and nothing it could not honour: there is no authorization
        # or token endpoint, tokens come from `maillage dev-token`.
        return {
            "issuer": self.issuer,
            "jwks_uri": self.issuer + JWKS_PATH,
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._key.as_dict(private=False)]}

    def routes(self) -> Mount:
        """The issuer's public endpoints, mounted at `/dev-issuer`."""

        async def discovery(request: Request) -> JSONResponse:
            return JSONResponse(self.discovery_document())

        async def jwks(request: Request) -> JSONResponse:
            return JSONResponse(self.jwks())

        return Mount(
            PATH,
            routes=[
                Route(WELL_KNOWN_PATH, discovery, methods=["GET"]),
                Route(JWKS_PATH, jwks, methods=["GET"]),
            ],
        )


def load_or_create_key(data_dir: Path) -> RSAKey:
    """The signing key kept in `data_dir`, generated (readable by its owner only) the first time."""
    path = data_dir / KEY_FILE
    if not path.exists():
        _create_key(path)
    try:
        key = RSAKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    except OSError as error:
        raise DevIssuerError(f"cannot read the development issuer's key {path} ({error.strerror})") from error
    except (ValueError, TypeError, JoseError) as error:
        raise DevIssuerError(
            f"the development issuer's key {path} is not a private RSA JWK; delete it and a new one is made"
        ) from error
    if not key.is_private or not key.kid:
        raise DevIssuerError(
            f"the development issuer's key {path} is not a private RSA JWK; delete it and a new one is made"
        )
    return key


def _create_key(path: Path) -> None:
    key = RSAKey.generate_key(2048, {"use": "sig", "alg": ALGORITHM}, auto_kid=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the start, never widened afterwards: it is a private key, however local.
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(key.as_dict(private=True), file)
        try:
            # link() refuses to replace: when the server and `dev-token` start together, the first
            # key written wins and the other process reads it, so both sign and publish the same key.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    except OSError as error:
        raise DevIssuerError(
            f"cannot write the development issuer's key in {path.parent} ({error.strerror}); "
            "set MAILLAGE_DATA_DIR to a writable folder"
        ) from error
