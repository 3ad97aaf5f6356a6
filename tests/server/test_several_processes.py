"""Two service processes on one database, as behind a load balancer: what one writes the other reads, the
operations registered once run through both, and a right taken away through one is gone through the other on
the very next request."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import AUDIENCE, LocalIssuer
from tests.schema.conftest import as_persona, sql
from tests.schema.writing import gid
from tests.server.commands import run
from tests.server.processes import running_services

READ_ACTION = "query ReadAction($id: ID!) { node(id: $id) { ... on Action { version description } } }"
DESCRIBE = """mutation Describe($input: UpdateActionInput!) {
  updateAction(input: $input) { action { version description } errors { code } }
}"""
HABILITATION = "habilitation { id version status } errors { code }"
GRANT = f"mutation Grant($input: GrantHabilitationInput!) {{ grantHabilitation(input: $input) {{ {HABILITATION} }} }}"
REVOKE = (
    f"mutation Revoke($input: ChangeHabilitationInput!) {{ revokeHabilitation(input: $input) {{ {HABILITATION} }} }}"
)
SEEN = "query Seen { actions { totalCount } viewer { habilitations { nodes { role status } } } }"
REGISTERED = [READ_ACTION, DESCRIBE, GRANT, REVOKE, SEEN]

CARRIED_IN_31 = """
SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = :ref AND s.department_code = '31' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1
"""
PARENTS_ENSEMBLE = "SELECT id FROM organisation WHERE ref = 'demo:association:parents-ensemble-31'"


def _hash(document: str) -> str:
    return "sha256:" + hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class Pair:
    first: str  # base URLs of the two processes
    second: str


@pytest.fixture(scope="module")
async def pair(
    own_demo: URL, server_issuer: LocalIssuer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Pair]:
    """The operations registered once, then two processes serving only them, trusting the same issuer."""
    folder = tmp_path_factory.mktemp("pair")
    url = own_demo.render_as_string(hide_password=False)
    manifest = folder / "extranet.json"
    manifest.write_text(json.dumps({_hash(document): document for document in REGISTERED}))
    loaded = run(["documents", "load", str(manifest)], folder, database_url=url)
    assert loaded.returncode == 0, loaded.stderr
    async with running_services(
        folder,
        2,
        database_url=url,
        trusted_documents_only="true",
        oidc_issuer=server_issuer.url,
        oidc_audience=AUDIENCE,
        oidc_organisation_claim="organisation",
        oidc_organisation_key="ref",
    ) as (first, second):
        yield Pair(first.url, second.url)


async def _run(base_url: str, document: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    """The data of a registered operation, named by its hash."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post(
            "/graphql", json={"documentId": _hash(document), "variables": variables}, headers=headers
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_a_change_written_through_one_process_is_read_through_the_other(
    pair: Pair, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    agent = as_persona(server_issuer, BY_NAME["caf-31-agent"])
    (row,) = await sql(owner, CARRIED_IN_31, ref=BY_NAME["association-member"].organisation)
    action = gid("Action", row["id"])
    # given the action as the second process shows it (its caches warm)
    before = (await _run(pair.second, READ_ACTION, agent, id=action))["node"]

    # when the Caf agent redescribes it through the first
    written = await _run(
        pair.first,
        DESCRIBE,
        agent,
        input={"id": action, "version": before["version"], "description": "Revue à Toulouse"},
    )
    assert written["updateAction"]["errors"] == []

    # then the second shows the new description at the new version
    after = (await _run(pair.second, READ_ACTION, agent, id=action))["node"]
    assert after == written["updateAction"]["action"]
    assert after["version"] > before["version"]
    # and refuses a write made at the version it had shown before
    stale = await _run(
        pair.second, DESCRIBE, agent, input={"id": action, "version": before["version"], "description": "Trop tard"}
    )
    assert stale["updateAction"]["errors"] == [{"code": "CONFLICT"}]


async def test_operations_registered_once_run_through_both_and_nothing_else_does(pair: Pair) -> None:
    for base_url in (pair.first, pair.second):
        assert (await _run(base_url, SEEN, {}))["actions"]["totalCount"] == 0  # anonymous: no action is public
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            text = await client.post("/graphql", json={"query": SEEN})
            unknown = await client.post("/graphql", json={"documentId": _hash("{ __typename }")})
        assert text.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_habilitation_revoked_through_one_process_no_longer_counts_through_the_other(
    pair: Pair, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = as_persona(server_issuer, BY_NAME["association-admin"])
    newcomer = {
        "authorization": f"Bearer {server_issuer.access_token(sub='newcomer-2', roles=None, organisation=None)}"
    }
    (organisation,) = await sql(owner, PARENTS_ENSEMBLE)
    # given a member role granted through the first process, which counts through both
    granted = await _run(
        pair.first,
        GRANT,
        admin,
        input={
            "organisationId": gid("Organisation", organisation["id"]),
            "issuer": server_issuer.url,
            "subject": "newcomer-2",
            "email": "newcomer-2@example.org",
            "role": "ASSOCIATION_MEMBER",
        },
    )
    habilitation = granted["grantHabilitation"]["habilitation"]
    assert granted["grantHabilitation"]["errors"] == []
    for base_url in (pair.first, pair.second):
        assert (await _run(base_url, SEEN, newcomer))["actions"]["totalCount"] > 0

    # when the admin revokes it through the first
    revoked = await _run(
        pair.first, REVOKE, admin, input={"id": habilitation["id"], "version": habilitation["version"]}
    )
    assert revoked["revokeHabilitation"]["habilitation"]["status"] == "REVOKED"

    # then the second's next request already runs without it
    seen = await _run(pair.second, SEEN, newcomer)
    assert seen["actions"]["totalCount"] == 0
    assert seen["viewer"]["habilitations"]["nodes"] == [{"role": "ASSOCIATION_MEMBER", "status": "REVOKED"}]
