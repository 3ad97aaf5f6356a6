"""A running test issuer per test, and verifiers configured to trust it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from auth.oidc_config import OidcConfig
from auth.tokens import TokenVerifier
from tests.auth.issuer import AUDIENCE, LocalIssuer, running_issuer

VerifierFactory = Callable[..., TokenVerifier]


@pytest.fixture(scope="session")
async def served_issuer() -> AsyncIterator[LocalIssuer]:
    async with running_issuer() as issuer:
        yield issuer


@pytest.fixture
def issuer(served_issuer: LocalIssuer) -> LocalIssuer:
    """The run's issuer, as it was when it started: each test may rotate its keys or take it down."""
    served_issuer.reset()
    return served_issuer


@pytest.fixture
async def outbound_http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def verifier_for(issuer: LocalIssuer, outbound_http: httpx.AsyncClient) -> VerifierFactory:
    """Builds a TokenVerifier trusting `issuer`; keyword arguments override OidcConfig fields."""

    def build(**overrides: Any) -> TokenVerifier:
        config = OidcConfig(**{"issuer": issuer.url, "audience": AUDIENCE, **overrides})
        return TokenVerifier(config, outbound_http)

    return build
