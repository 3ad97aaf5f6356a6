"""Authorization over HTTP: each persona sees its own data and nothing else, in lists, edges and counts.

Tokens are signed by a real issuer on loopback; the demo personas (auth/dev_personas.py) name the
demo's organisations. Every expectation is computed independently, in SQL, as the database owner.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, bearer, sql

ACTIONS = "{ actions(first: 100) { totalCount nodes { id title budget carrier { name } } } }"
CTGS = "{ ctgs(first: 100) { totalCount nodes { title } } }"
SCHEMES = "{ schemes(first: 100) { totalCount nodes { kind title } } }"
STATISTICS = "{ actionStatistics(groupBy: []) { actionCount budget } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"

# Independent answers, as the owner: which actions each persona may see.
CARRIED_OR_PARTNERED = """
SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id WHERE o.ref = :ref
UNION SELECT p.action_id FROM action_partner p JOIN organisation o ON o.id = p.organisation_id WHERE o.ref = :ref
"""
OF_CTGS_COVERING_EPCI = """
SELECT a.id FROM action a WHERE a.ctg_id IN (
  SELECT id FROM scheme WHERE epci_siren = :siren
  UNION SELECT sc.scheme_id FROM scheme_commune sc JOIN commune c ON c.insee_code = sc.commune_insee_code
        WHERE c.epci_siren = :siren
  UNION SELECT s.id FROM scheme s JOIN commune c ON c.department_code = s.department_code
        WHERE s.scope = 'department' AND c.epci_siren = :siren)
"""
OF_DEPARTMENT = "SELECT a.id FROM action a JOIN scheme s ON s.id = a.ctg_id WHERE s.department_code = :department"
OF_CTGS_SIGNED = """
SELECT a.id FROM action a WHERE a.ctg_id IN (
  SELECT g.scheme_id FROM signature g JOIN organisation o ON o.id = g.organisation_id WHERE o.ref = :ref)
"""
ALL = "SELECT id FROM action"
PUBLISHED = """
SELECT count(*) AS n FROM scheme
WHERE kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND status <> 'draft'
"""


@pytest.fixture
async def client(demo_app: tuple[str, AsyncEngine]) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the demo service without credentials: each test passes the persona's own."""
    async with httpx.AsyncClient(base_url=demo_app[0], timeout=30) as http:
        yield http


async def _ask(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def _ids(engine: AsyncEngine, statement: str, **parameters: Any) -> set[int]:
    return {row["id"] for row in await sql(engine, statement, **parameters)}


async def _visible_actions(engine: AsyncEngine, persona: str | None) -> set[int]:
    if persona is None:
        return set()
    p = BY_NAME[persona]
    if persona in ("association-member", "association-admin"):
        return await _ids(engine, CARRIED_OR_PARTNERED, ref=p.organisation)
    if persona == "epci-coordinator":
        return await _ids(engine, OF_CTGS_COVERING_EPCI, siren=p.organisation.removeprefix("epci:"))
    if persona in ("caf-31-agent", "caf-44-manager"):
        return await _ids(engine, OF_DEPARTMENT, department=p.caf_department)
    if persona == "council-44-member":
        return await _ids(engine, OF_CTGS_SIGNED, ref=p.organisation)
    return await _ids(engine, ALL)


def _decode(global_id: str) -> int:
    return int(base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode().split(":")[1])


PERSONA_NAMES = [None, *BY_NAME]


@pytest.mark.parametrize("persona", PERSONA_NAMES, ids=[name or "anonymous" for name in PERSONA_NAMES])
async def test_each_caller_lists_exactly_the_actions_it_may_see(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, demo_sql: AsyncEngine, persona: str | None
) -> None:
    headers = as_persona(graph_issuer, BY_NAME[persona]) if persona else {}
    expected = await _visible_actions(demo_sql, persona)

    data = await _ask(client, headers, ACTIONS)
    statistics = await _ask(client, headers, STATISTICS)

    assert {_decode(node["id"]) for node in data["actions"]["nodes"]} == expected
    assert data["actions"]["totalCount"] == len(expected)
    # aggregates count only what the caller may see
    assert statistics["actionStatistics"][0]["actionCount"] == len(expected)


# The Cnaf's staff see every action: nothing is hidden from them.
LIMITED = [name for name in PERSONA_NAMES if name not in ("cnaf-analyst", "cnaf-manager")]


@pytest.mark.parametrize("persona", LIMITED, ids=[name or "anonymous" for name in LIMITED])
async def test_an_action_the_caller_may_not_see_is_as_missing_as_one_that_does_not_exist(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, demo_sql: AsyncEngine, persona: str | None
) -> None:
    headers = as_persona(graph_issuer, BY_NAME[persona]) if persona else {}
    hidden = await _ids(demo_sql, ALL) - await _visible_actions(demo_sql, persona)
    hidden_id = min(hidden)
    global_id = base64.urlsafe_b64encode(f"Action:{hidden_id}".encode()).decode().rstrip("=")
    missing = base64.urlsafe_b64encode(b"Action:999999999").decode().rstrip("=")

    assert await _ask(client, headers, NODE, id=global_id) == await _ask(client, headers, NODE, id=missing)


async def test_anonymous_callers_see_published_schemes_and_no_ctg(
    client: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    (published,) = await sql(demo_sql, PUBLISHED)

    schemes = await _ask(client, {}, SCHEMES)
    ctgs = await _ask(client, {}, CTGS)

    assert schemes["schemes"]["totalCount"] == published["n"]
    assert {node["kind"] for node in schemes["schemes"]["nodes"]} <= {
        "COG",
        "CPOG",
        "SDSF",
        "SDAVS",
        "EDUCATION_CHARTER",
    }
    assert ctgs["ctgs"]["totalCount"] == 0


async def test_a_caf_agent_sees_nothing_of_another_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer
) -> None:
    headers = as_persona(graph_issuer, BY_NAME["caf-31-agent"])

    data = await _ask(client, headers, '{ ctgs(filter: {territory: {department: "44"}}) { totalCount } }')
    statistics = await _ask(
        client, headers, '{ actionStatistics(filter: {territory: {department: "44"}}, groupBy: [THEME]) { theme } }'
    )

    assert data["ctgs"]["totalCount"] == 0
    assert statistics["actionStatistics"] == []


async def test_budgets_are_shown_to_the_carrier_and_hidden_from_a_partner(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, demo_sql: AsyncEngine
) -> None:
    persona = BY_NAME["association-member"]
    carried = await _ids(
        demo_sql,
        "SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id "
        "WHERE o.ref = :ref AND a.budget IS NOT NULL",
        ref=persona.organisation,
    )

    data = await _ask(client, as_persona(graph_issuer, persona), ACTIONS)
    statistics = await _ask(client, as_persona(graph_issuer, persona), STATISTICS)

    budgets = {_decode(node["id"]): node["budget"] for node in data["actions"]["nodes"]}
    assert carried
    assert all(budgets[action] is not None for action in carried)
    assert all(budget is None for action, budget in budgets.items() if action not in carried)
    assert statistics["actionStatistics"][0]["budget"] is None


async def test_the_service_connects_as_a_role_bound_by_row_level_security(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine
) -> None:
    async with demo_app[1].connect() as connection:
        user = await connection.scalar(text("SELECT current_user"))
    (role,) = await sql(demo_sql, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :name", name=str(user))

    assert user == "maillage_service"
    assert role == {"rolsuper": False, "rolbypassrls": False}


async def test_a_valid_token_without_role_or_habilitation_has_anonymous_rights(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, demo_sql: AsyncEngine
) -> None:
    headers = bearer(graph_issuer, organisation="caf:31")  # no role at all
    (published,) = await sql(demo_sql, PUBLISHED)

    actions = await _ask(client, headers, ACTIONS)
    schemes = await _ask(client, headers, SCHEMES)

    assert actions["actions"]["totalCount"] == 0
    assert schemes["schemes"]["totalCount"] == published["n"]


async def test_edges_show_only_what_the_caller_may_see(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, demo_sql: AsyncEngine
) -> None:
    # given an association, which sees some actions of some CTGs
    persona = BY_NAME["association-member"]
    expected = await _visible_actions(demo_sql, persona.name)

    # when it walks from the CTGs to their actions, and from the carriers to theirs
    data = await _ask(
        client,
        as_persona(graph_issuer, persona),
        "{ ctgs(first: 100) { nodes { actions(first: 100) { totalCount nodes { id } } } } }",
    )

    # then the edges hold exactly its actions, and their counts agree
    seen = [node["id"] for ctg in data["ctgs"]["nodes"] for node in ctg["actions"]["nodes"]]
    assert {_decode(global_id) for global_id in seen} == expected
    assert sum(ctg["actions"]["totalCount"] for ctg in data["ctgs"]["nodes"]) == len(expected)
