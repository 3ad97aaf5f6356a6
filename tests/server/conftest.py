"""An OIDC issuer on loopback for the server's tests that need a caller allowed to write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.auth.issuer import LocalIssuer, running_issuer


@pytest.fixture(scope="session")
async def server_issuer() -> AsyncIterator[LocalIssuer]:
    async with running_issuer() as issuer:
        yield issuer
