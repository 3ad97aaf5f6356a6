"""Fixtures for the graph: the demo database (tests/conftest.py) served over HTTP, and a statement counter.

The graph's tests read as a Cnaf analyst, who may see everything: what each other caller sees is the
business of tests/server/test_access.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import Persona
from server.app import create_app
from server.settings import Settings
from tests.auth.issuer import AUDIENCE, LocalIssuer, running_issuer
from tests.conftest import recorded_statements, serve


@pytest.fixture(scope="session")
async def graph_issuer() -> AsyncIterator[LocalIssuer]:
    async with running_issuer() as issuer:
        yield issuer


# The graph's tests walk three levels of 100-row pages on purpose; the cost limit has tests of its own
# (tests/server/test_operation_limits.py).
UNLIMITED_COST = 100_000_000


def trusting(issuer: LocalIssuer) -> Settings:
    """Settings of a service trusting `issuer`, whose tokens name organisations by their ref."""
    return Settings(
        _env_file=None,
        max_cost=UNLIMITED_COST,
        oidc_issuer=issuer.url,
        oidc_audience=AUDIENCE,
        oidc_organisation_claim="organisation",
        oidc_organisation_key="ref",
    )


def bearer(issuer: LocalIssuer, *roles: str, organisation: str, **claims: Any) -> dict[str, str]:
    token = issuer.access_token(roles=list(roles), organisation=organisation, **claims)
    return {"authorization": f"Bearer {token}"}


def as_persona(issuer: LocalIssuer, persona: Persona) -> dict[str, str]:
    """Headers carrying a token for one of the development personas (auth/dev_personas.py)."""
    claims: dict[str, Any] = {"sub": persona.subject}
    if persona.caf_department:
        claims["caf"] = persona.caf_department
    return bearer(issuer, *(role.value for role in persona.roles), organisation=persona.organisation, **claims)


@pytest.fixture(scope="session")
async def demo_app(demo_database: URL, graph_issuer: LocalIssuer) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """The app on the demo database, served by uvicorn on loopback: (base URL, the app's engine)."""
    app = create_app(trusting(graph_issuer), demo_database)
    async with serve(app) as base_url:
        yield base_url, app.state.engine


@pytest.fixture
async def demo_http(demo_app: tuple[str, AsyncEngine], graph_issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """A client reading as a Cnaf analyst."""
    headers = bearer(graph_issuer, "cnaf_analyst", organisation="cnaf")
    async with httpx.AsyncClient(base_url=demo_app[0], timeout=30, headers=headers) as client:
        yield client


@pytest.fixture
def statements(demo_app: tuple[str, AsyncEngine]) -> Iterator[list[str]]:
    """Every SQL statement the served app runs while the test runs."""
    with recorded_statements(demo_app[1]) as seen:
        yield seen


# Every request enters its caller's scope before its own statements; a caller known at the current generation of
# access (server/callers.py: the compiled path, asked first, looks every new caller up) checks it in that same
# statement.
ACCESS_STATEMENTS = 1


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def sql(engine: AsyncEngine, statement: str, **parameters: Any) -> list[dict[str, Any]]:
    """The rows of a read-only SQL statement, as dicts."""
    async with engine.connect() as connection:
        result = await connection.execute(text(statement), parameters)
        return [dict(row) for row in result.mappings()]


def assert_bad_input(body: dict[str, Any], argument: str) -> None:
    """The body reports one error, typed and naming `argument`, and tells nothing of the server's insides."""
    (error,) = body["errors"]
    extensions = error["extensions"]
    assert (extensions["code"], extensions["argument"], extensions["parameters"]["argument"]) == (
        "BAD_USER_INPUT",
        argument,
        argument,
    ), error
    assert set(extensions) == {"code", "argument", "messageId", "parameters"}, error
    assert argument in error["message"]
    assert "Traceback" not in str(body)
