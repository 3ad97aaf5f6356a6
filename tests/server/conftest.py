"""For the server's tests that write: an OIDC issuer on loopback, and a demo database of each module's own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from tests.auth.issuer import LocalIssuer, running_issuer
from tests.conftest import DatabaseFactory, new_demo_database


@pytest.fixture(scope="session")
async def server_issuer() -> AsyncIterator[LocalIssuer]:
    async with running_issuer() as issuer:
        yield issuer


@pytest.fixture(scope="module")
async def own_demo(new_database: DatabaseFactory) -> URL:
    """A demo database for one test module, which may write to it."""
    return await new_demo_database(new_database)


@pytest.fixture(scope="module")
async def owner(own_demo: URL) -> AsyncIterator[AsyncEngine]:
    """The tests' own engine on `own_demo`, connected as its owner."""
    engine = create_engine(own_demo, pool_size=2)
    yield engine
    await engine.dispose()
