"""Every pool honours every libpq option of MAILLAGE_DATABASE_URL: against a PostgreSQL that accepts only
TLS, `sslmode=verify-full` with the right authority serves through both pools, and with another one fails."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from db.engine import database_url
from db.migrate import upgrade
from server.app import create_app
from server.settings import Settings
from tests.conftest import serve
from tests.server.tls_cluster import TlsCluster, available, tls_cluster

COMPILED_READ = {"query": '{ region(code: "76") { code } }'}
RESOLVERS_READ = {"query": '{ region(code: "76") { code } viewer { authenticated } }'}


@pytest.fixture(scope="module")
def cluster() -> Iterator[TlsCluster]:
    if (why := available()) is not None:
        pytest.skip(f"no throwaway PostgreSQL cluster: {why}")
    # Not under pytest's temporary folders, which only their owner may enter: the server runs as postgres.
    with tempfile.TemporaryDirectory(prefix="maillage-tls-") as folder, tls_cluster(Path(folder)) as running:
        yield running


def _url(cluster: TlsCluster, ca: str, database: str = "postgres") -> URL:
    return database_url(
        f"postgresql://postgres@localhost:{cluster.port}/{database}?sslmode=verify-full&sslrootcert={ca}"
    )


@pytest.fixture(scope="module")
async def migrated(cluster: TlsCluster) -> URL:
    url = _url(cluster, str(cluster.ca))
    await upgrade(url)
    return url


async def test_plain_connections_are_refused_by_the_cluster(cluster: TlsCluster) -> None:
    with pytest.raises(asyncpg.exceptions.InvalidAuthorizationSpecificationError):
        await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres?sslmode=disable")


async def test_verify_full_with_the_right_authority_serves_through_both_pools(migrated: URL) -> None:
    settings = Settings(_env_file=None, database_url=migrated.render_as_string(hide_password=False))
    settings.compiled_reads = "on"
    app = create_app(settings, migrated)
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        answered = app.state.compiled.answered
        compiled = await client.post("/graphql", json=COMPILED_READ)
        assert app.state.compiled.answered == answered + 1  # the compiled pool's own connection
        resolvers = await client.post("/graphql", json=RESOLVERS_READ)
        ready = await client.get("/readyz")
    assert compiled.json() == {"data": {"region": None}}  # no territories imported: the query ran, over TLS
    assert resolvers.json() == {"data": {"region": None, "viewer": {"authenticated": False}}}
    assert ready.status_code == 200


async def test_verify_full_with_another_authority_fails_on_both_pools(cluster: TlsCluster, migrated: URL) -> None:
    wrong = migrated.update_query_dict({"sslrootcert": str(cluster.other_ca)})
    settings = Settings(_env_file=None, database_url=wrong.render_as_string(hide_password=False))
    settings.compiled_reads = "on"
    app = create_app(settings, wrong)
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        compiled = await client.post("/graphql", json=COMPILED_READ)
        resolvers = await client.post("/graphql", json=RESOLVERS_READ)
    assert app.state.compiled.answered == 0
    assert compiled.status_code == 503
    assert resolvers.status_code == 503
