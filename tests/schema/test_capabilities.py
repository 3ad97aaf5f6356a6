"""What the caller may do with what it reads (`viewerCan`), and who `viewer` says it is: the buttons a frontend
shows agree with what the writes would let the caller do."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, sql
from tests.schema.writing import gid

ACTION = """
query ($id: ID!) { node(id: $id) { ... on Action { status viewerCan {
  change changeEveryField report fund nextStatuses } } } }
"""
CTG = "query ($id: ID!) { node(id: $id) { ... on Ctg { viewerCan { createAction change } } } }"
VIEWER = "{ viewer { memberships { role counts organisation { name } } keys } }"

OF_EPCI = """
SELECT a.id, o.ref AS carrier FROM action a JOIN scheme s ON s.id = a.ctg_id JOIN organisation o ON o.id = a.carrier_id
WHERE s.epci_siren = '243100633' AND o.ref = 'demo:association:parents-ensemble-31' ORDER BY a.id LIMIT 1
"""
CTG_OF = "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = :siren"


async def _data(base_url: str, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("persona", "change", "every", "report", "fund"),
    [
        ("association-member", True, False, True, False),
        ("caf-31-agent", True, True, True, True),
        ("caf-44-manager", None, None, None, None),
    ],
    ids=["its carrier", "its Caf", "another department's Caf"],
)
async def test_an_actions_capabilities_follow_the_callers_relation_to_it(
    demo_app: tuple[str, AsyncEngine],
    demo_sql: AsyncEngine,
    graph_issuer: LocalIssuer,
    persona: str,
    change: bool | None,
    every: bool | None,
    report: bool | None,
    fund: bool | None,
) -> None:
    (action,) = await sql(demo_sql, OF_EPCI)

    node = (
        await _data(demo_app[0], as_persona(graph_issuer, BY_NAME[persona]), ACTION, id=gid("Action", action["id"]))
    )["node"]

    if change is None:
        assert node is None  # it does not see the action at all
        return
    can = node["viewerCan"]
    assert (can["change"], can["changeEveryField"], can["report"], can["fund"]) == (change, every, report, fund)
    if persona == "association-member" and node["status"] == "SUBMITTED":
        assert "VALIDATED" not in can["nextStatuses"]  # the Caf validates


@pytest.mark.parametrize(
    ("persona", "siren", "create", "change"),
    [
        ("caf-31-agent", "243100518", True, True),
        ("epci-coordinator", "243100518", True, False),
        ("association-member", "243100633", False, False),
    ],
    ids=["its Caf", "its local authority", "a carrier of its actions"],
)
async def test_a_ctgs_capabilities_follow_the_callers_relation_to_it(
    demo_app: tuple[str, AsyncEngine],
    demo_sql: AsyncEngine,
    graph_issuer: LocalIssuer,
    persona: str,
    siren: str,
    create: bool,
    change: bool,
) -> None:
    (ctg,) = await sql(demo_sql, CTG_OF, siren=siren)

    node = (await _data(demo_app[0], as_persona(graph_issuer, BY_NAME[persona]), CTG, id=gid("Ctg", ctg["id"])))["node"]

    assert node["viewerCan"] == {"createAction": create, "change": change}


async def test_the_viewer_names_its_organisations_and_keys(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    (organisation,) = await sql(
        demo_sql, "SELECT id FROM organisation WHERE ref = 'demo:association:parents-ensemble-31'"
    )

    viewer = (await _data(demo_app[0], as_persona(graph_issuer, BY_NAME["association-member"]), VIEWER))["viewer"]

    assert viewer["memberships"] == [
        {"role": "ASSOCIATION_MEMBER", "counts": True, "organisation": {"name": "Parents ensemble 31"}}
    ]
    assert viewer["keys"] == ["org:" + str(organisation["id"]), "public"]
