"""Behind PgBouncer in transaction mode (MAILLAGE_DATABASE_POOLER=transaction): consecutive transactions of one
of the service's connections run on different server connections, shared by every caller. Each request's role
and scope are local to its transaction, and no statement is named: mixed callers at once get exactly what they
get from PostgreSQL directly, and row-level security applies (the pooler connects as a superuser here, so the
service would refuse to start if its transactions did not take the service role)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from server.app import create_app
from server.settings import Settings
from tests.auth.issuer import AUDIENCE, LocalIssuer
from tests.conftest import loopback_socket, serve
from tests.schema.conftest import UNLIMITED_COST, as_persona, sql
from tests.schema.writing import gid

PGBOUNCER = Path("/usr/sbin/pgbouncer")
pytestmark = pytest.mark.skipif(not PGBOUNCER.exists(), reason="Debian's pgbouncer is not installed")

PERSONAS = ("association-member", "epci-coordinator", "caf-31-agent", "caf-44-manager", "cnaf-analyst")
REQUESTS_EACH = 20
# What differs from one caller to the next: rows (actions, organisations) and the caller's own capabilities.
READ = """query Seen {
  actions(first: 100) { totalCount nodes { id title viewerCan { change } } }
  organisations(first: 50) { totalCount nodes { id } }
  viewer { memberships { role counts } }
}"""
COMPILED = "query Listed { actions(first: 100) { totalCount nodes { id title status } } }"
DESCRIBE = """mutation Describe($input: UpdateActionInput!) {
  updateAction(input: $input) { action { version description } errors { code } }
}"""
READ_ACTION = "query ReadAction($id: ID!) { node(id: $id) { ... on Action { version description } } }"
CARRIED_IN_31 = """
SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = :ref AND s.department_code = '31' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1
"""


def _settings(issuer: LocalIssuer, url: str, **more: Any) -> Settings:
    return Settings(
        _env_file=None,
        database_url=url,
        database_pool_size=8,
        max_cost=UNLIMITED_COST,
        oidc_issuer=issuer.url,
        oidc_audience=AUDIENCE,
        oidc_organisation_claim="organisation",
        oidc_organisation_key="ref",
        **more,
    )


@pytest.fixture(scope="module")
async def pgbouncer(own_demo: URL, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[URL]:
    """PgBouncer in transaction mode in front of `own_demo`, with fewer server connections than the service has
    clients; yields the URL the service connects to."""
    folder = tmp_path_factory.mktemp("pgbouncer")
    sock = loopback_socket()
    port = sock.getsockname()[1]
    sock.close()
    server = f"host={own_demo.host or '127.0.0.1'} port={own_demo.port or 5432} dbname={own_demo.database}"
    server += f" user={own_demo.username}" + (f" password={own_demo.password}" if own_demo.password else "")
    (folder / "users.txt").write_text(f'"{own_demo.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\nmaillage = {server}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n"
        f"unix_socket_dir =\nauth_type = trust\nauth_file = {folder / 'users.txt'}\npool_mode = transaction\n"
        "default_pool_size = 3\nmax_client_conn = 200\nignore_startup_parameters = extra_float_digits\n"
    )
    # PgBouncer does not run as root: it drops to PostgreSQL's user when started as root.
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    if user:
        shutil.chown(folder, "postgres")
    log = folder / "pgbouncer.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            str(PGBOUNCER), *user, str(folder / "pgbouncer.ini"), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        for _ in range(200):
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                assert process.returncode is None, log.read_text()
                await asyncio.sleep(0.05)
                continue
            writer.close()
            break
        yield URL.create("postgresql+asyncpg", own_demo.username, None, "127.0.0.1", port, "maillage")
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


async def _data(client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_mixed_callers_through_pgbouncer_get_what_they_get_directly(
    own_demo: URL, pgbouncer: URL, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    headers = {name: as_persona(server_issuer, BY_NAME[name]) for name in PERSONAS}
    (row,) = await sql(owner, CARRIED_IN_31, ref=BY_NAME["association-member"].organisation)
    action = gid("Action", row["id"])
    direct_app = create_app(_settings(server_issuer, own_demo.render_as_string(hide_password=False)), own_demo)
    pooled_app = create_app(
        _settings(server_issuer, pgbouncer.render_as_string(hide_password=False), database_pooler="transaction"),
        pgbouncer,
    )
    async with (
        serve(direct_app) as direct_url,
        serve(pooled_app) as pooled_url,
        httpx.AsyncClient(base_url=direct_url, timeout=60) as direct,
        httpx.AsyncClient(base_url=pooled_url, timeout=60) as pooled,
    ):
        # given each caller's answers, from PostgreSQL directly
        expected = {
            (name, query): await _data(direct, query, headers[name]) for name in PERSONAS for query in (READ, COMPILED)
        }
        assert len({str(expected[name, READ]) for name in PERSONAS}) == len(PERSONAS)
        before = (await _data(direct, READ_ACTION, headers["caf-31-agent"], id=action))["node"]

        # when they all read through PgBouncer at once, while the Caf agent writes
        calls = [(name, (READ, COMPILED)[i % 2]) for name in PERSONAS for i in range(REQUESTS_EACH)]
        write = _data(
            pooled,
            DESCRIBE,
            headers["caf-31-agent"],
            input={"id": action, "version": before["version"], "description": "Revue derrière PgBouncer"},
        )
        outcomes = await asyncio.gather(
            write, *(_data(pooled, query, headers[name]) for name, query in calls), return_exceptions=True
        )

        # then nothing failed, each read is the caller's own answer, and the write is there
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        assert failures == []
        for (name, query), answer in zip(calls, outcomes[1:], strict=True):
            assert answer == expected[name, query], name
        written = outcomes[0]
        assert not isinstance(written, BaseException)
        assert written["updateAction"]["errors"] == []
        after = (await _data(direct, READ_ACTION, headers["caf-31-agent"], id=action))["node"]
        assert after == written["updateAction"]["action"]
        assert after["description"] == "Revue derrière PgBouncer"
        assert (await pooled.get("/readyz")).status_code == 200
