"""Why a bearer token was refused: the caller's fault (401) or the issuer's (503)."""

from __future__ import annotations


class TokenError(Exception):
    """A refusal with a one-line reason that is safe to show to the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidToken(TokenError):
    """The token is not an acceptable access token from the configured issuer."""


class TokenExpired(InvalidToken):
    """The token was good, and its time is over: the client gets a new one."""


class IssuerUnavailable(TokenError):
    """The issuer's discovery document or keys cannot be had, so no verdict is possible."""
