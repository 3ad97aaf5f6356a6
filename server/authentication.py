"""Authenticate once per request: the bearer token, verified, becomes the request's identity.

No token: the caller is anonymous. A token that does not verify: 401 with `WWW-Authenticate`, never
a silent downgrade to anonymous. The issuer unreachable with no cached keys: 503, since the caller may
well hold a good token.
"""

from __future__ import annotations

import httpx
from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, BaseUser
from starlette.requests import HTTPConnection
from starlette.responses import Response

from auth.errors import InvalidToken, IssuerUnavailable, TokenExpired
from auth.identity import ClaimsConfig, Identity, identity_from_claims
from auth.oidc_config import OidcConfig
from auth.tokens import TokenVerifier
from server.graphql_errors import graphql_error_response


class AuthenticatedCaller(BaseUser):
    def __init__(self, identity: Identity) -> None:
        self.caller = identity

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.caller.subject


class _Rejected(AuthenticationError):
    """A refusal: `message_id` of the catalogue for the client's message, `reason` (English, technical) for the
    `WWW-Authenticate` challenge and the `reason` parameter."""

    def __init__(self, reason: str, message_id: str = "auth.invalid_token", *, unavailable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id
        self.unavailable = unavailable


class BearerTokenBackend(AuthenticationBackend):
    def __init__(self, oidc: OidcConfig | None, claims: ClaimsConfig, http: httpx.AsyncClient) -> None:
        self._verifier = TokenVerifier(oidc, http) if oidc else None
        self._claims = claims

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        headers = conn.headers.getlist("authorization")
        if not headers:
            return None
        if len(headers) > 1:
            # Proxies and frameworks disagree on which of several they pass on: none is chosen.
            raise _Rejected("send one Authorization header, not several", "auth.several_headers")
        identity, _ = await self.caller(headers[0])
        return AuthCredentials(["authenticated"]), AuthenticatedCaller(identity)

    async def caller(self, header: str) -> tuple[Identity, float | None]:
        """The identity an `Authorization` value's bearer token proves, and when the token expires (its `exp`);
        raises AuthenticationError when it proves nothing. Serves HTTP requests and WebSocket connections alike."""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _Rejected("expected an Authorization header of the form 'Bearer <access token>'", "auth.header_form")
        if self._verifier is None:
            raise _Rejected(
                "this service is configured without an identity provider and accepts no token", "auth.no_provider"
            )
        try:
            claims = await self._verifier.verify(token.strip())
        except TokenExpired as error:
            raise _Rejected(error.reason, "auth.token_expired") from error
        except InvalidToken as error:
            raise _Rejected(error.reason) from error
        except IssuerUnavailable as error:
            raise _Rejected(error.reason, "auth.provider_unavailable", unavailable=True) from error
        expires = claims.get("exp")
        return identity_from_claims(claims, self._claims), float(expires) if isinstance(expires, int | float) else None


def rejection_response(conn: HTTPConnection, error: AuthenticationError) -> Response:
    """The response to a request whose credentials were refused (401) or could not be checked (503)."""
    reason = error.reason if isinstance(error, _Rejected) else str(error)
    if isinstance(error, _Rejected) and error.unavailable:
        # The issuer's address and what it answered are for the logs, not for the caller.
        return graphql_error_response(
            503, error.message_id, code="IDENTITY_PROVIDER_UNAVAILABLE", headers={"Retry-After": "5"}
        )
    message_id = error.message_id if isinstance(error, _Rejected) else "auth.invalid_token"
    challenge = f'Bearer error="invalid_token", error_description="{reason.replace(chr(34), chr(39))}"'
    return graphql_error_response(
        401, message_id, {"reason": reason}, code="UNAUTHENTICATED", headers={"WWW-Authenticate": challenge}
    )
