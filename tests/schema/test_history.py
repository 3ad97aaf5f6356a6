"""History (the audit trail as a connection) and the feed of deletions, over HTTP, as each caller sees them.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.engine import create_engine
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, new_demo_database, serve
from tests.schema.conftest import as_persona, graphql, sql, trusting
from tests.schema.writing import gid

UPDATE = """
mutation Update($input: UpdateActionInput!) {
  updateAction(input: $input) { action { version } errors { code field } }
}
"""
HISTORY = """
query History($id: ID!) {
  node(id: $id) {
    ... on Action {
      history(first: 50) {
        totalCount
        nodes { operation subject issuer organisation { name } fields { field before after } }
      }
    }
  }
}
"""
CTG_ACTION_HISTORIES = """
query Histories($first: Int!) {
  ctgs(first: 10) {
    nodes { actions(first: $first) { nodes { history(first: 5) { totalCount nodes { operation } } } } }
  }
}
"""
DELETED = """
query Deleted($since: DateTime!) {
  deletedSince(since: $since, first: 50) { totalCount nodes { id typename deletedAt } }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id } }"

# An action of a Haute-Garonne CTG with a partner that does not carry it: the partner sees the action, not
# its budget.
PARTNERED_31 = """
SELECT a.id, a.version, o.ref AS partner FROM action a
JOIN scheme s ON s.id = a.ctg_id
JOIN action_partner p ON p.action_id = a.id JOIN organisation o ON o.id = p.organisation_id
WHERE s.department_code = '31' AND o.ref = :ref AND a.carrier_id <> o.id
ORDER BY a.id LIMIT 1
"""
OF_DEPARTMENT = """
SELECT a.id FROM action a JOIN scheme s ON s.id = a.ctg_id WHERE s.department_code = :department
ORDER BY a.id DESC LIMIT 1
"""


@pytest.fixture(scope="module")
async def own_demo(new_database: DatabaseFactory) -> URL:
    return await new_demo_database(new_database)


@pytest.fixture(scope="module")
async def owner(own_demo: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(own_demo, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def served(own_demo: URL, graph_issuer: LocalIssuer) -> AsyncIterator[tuple[str, AsyncEngine]]:
    app = create_app(trusting(graph_issuer), own_demo)
    async with serve(app) as base_url:
        yield base_url, app.state.engine


@pytest.fixture
async def client(served: tuple[str, AsyncEngine]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served[0], timeout=30) as http:
        yield http


def _as(issuer: LocalIssuer, persona: str) -> dict[str, str]:
    return as_persona(issuer, BY_NAME[persona])


async def _ask(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    client.headers.clear()
    client.headers.update(headers)
    body = await graphql(client, query, **variables)
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_an_action_s_history_says_who_changed_what_and_hides_budgets_from_whom_they_are_hidden(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action of Haute-Garonne that the association partners without carrying it
    association = BY_NAME["association-member"]
    (action,) = await sql(owner, PARTNERED_31, ref=association.organisation)
    agent = _as(graph_issuer, "caf-31-agent")
    # (without funding lines, whose total its budget would be: it is then a figure of its own)
    async with owner.begin() as connection:
        await connection.execute(text("DELETE FROM funding_line WHERE action_id = :id"), {"id": action["id"]})

    # when the Caf agent changes its title and budget
    changed = await _ask(
        client,
        agent,
        UPDATE,
        input={"id": gid("Action", action["id"]), "version": action["version"], "title": "Revu", "budget": 9999999},
    )
    assert changed["updateAction"]["errors"] == []

    # then the agent reads the change, by whom, field by field, with the budget
    seen_by_agent = (await _ask(client, agent, HISTORY, id=gid("Action", action["id"])))["node"]["history"]
    last = seen_by_agent["nodes"][-1]
    assert seen_by_agent["totalCount"] == 1
    assert last["operation"] == "UPDATE"
    assert last["subject"] == BY_NAME["caf-31-agent"].subject
    assert last["issuer"] == graph_issuer.url
    assert last["organisation"]["name"].startswith("Caf")
    assert {change["field"] for change in last["fields"]} == {"title", "budget"}
    assert next(change for change in last["fields"] if change["field"] == "title")["after"] == "Revu"

    # and the partner reads the same change without the budget it may not see
    seen_by_partner = await _ask(client, _as(graph_issuer, association.name), HISTORY, id=gid("Action", action["id"]))
    partner_fields = seen_by_partner["node"]["history"]["nodes"][-1]["fields"]
    assert [change["field"] for change in partner_fields] == ["title"]

    # and a caller who cannot see the action cannot reach its history either
    hidden = await _ask(client, _as(graph_issuer, "caf-44-manager"), HISTORY, id=gid("Action", action["id"]))
    assert hidden["node"] is None


async def test_the_service_role_reads_only_the_audit_events_of_what_the_caller_sees(owner: AsyncEngine) -> None:
    # given audit events on actions of two departments
    (in_31,) = await sql(owner, OF_DEPARTMENT, department="31")
    (in_44,) = await sql(owner, OF_DEPARTMENT, department="44")
    async with owner.begin() as connection:
        for action_id in (in_31["id"], in_44["id"]):
            await connection.execute(
                text(
                    "INSERT INTO audit_event (entity, entity_id, operation, changes) "
                    "VALUES ('action', :id, 'update', '{}')"
                ),
                {"id": action_id},
            )

    # when the service role reads the trail in the scope of a Caf 31 agent
    async with owner.connect() as connection, connection.begin():
        await connection.execute(text("SET LOCAL ROLE maillage_service"))
        await connection.execute(text("SELECT set_config('maillage.keys', 'caf:31', true)"))
        seen = set(await connection.scalars(text("SELECT DISTINCT entity_id FROM audit_event")))
        with pytest.raises(Exception, match="permission denied"):
            await connection.execute(text("DELETE FROM audit_event"))

    # then it sees the event of Haute-Garonne, not that of Loire-Atlantique, and may not delete any
    assert in_31["id"] in seen
    assert in_44["id"] not in seen


async def test_histories_of_a_page_of_actions_cost_the_same_statements_whatever_the_page_size(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, served: tuple[str, AsyncEngine]
) -> None:
    seen: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sync_engine = served[1].sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        counts = []
        for first in (1, 20):
            seen.clear()
            data = await _ask(client, _as(graph_issuer, "cnaf-analyst"), CTG_ACTION_HISTORIES, first=first)
            assert data["ctgs"]["nodes"]
            counts.append(len(seen))
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)

    assert counts[0] == counts[1]


async def test_archived_actions_leave_every_read_and_enter_the_deletion_feed_of_those_who_saw_them(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action of Haute-Garonne, seen by the Caf agent, and the time before it is deleted
    (action,) = await sql(owner, OF_DEPARTMENT, department="31")
    agent = _as(graph_issuer, "caf-31-agent")
    since = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    assert (await _ask(client, agent, NODE, id=gid("Action", action["id"])))["node"] is not None
    before = (await _ask(client, agent, "{ actions { totalCount } }"))["actions"]["totalCount"]

    # when it is archived
    async with owner.begin() as connection:
        await connection.execute(text("UPDATE action SET archived_at = now() WHERE id = :id"), {"id": action["id"]})

    # then it is gone from the agent's reads, and in the agent's deletion feed since then
    assert (await _ask(client, agent, NODE, id=gid("Action", action["id"])))["node"] is None
    assert (await _ask(client, agent, "{ actions { totalCount } }"))["actions"]["totalCount"] == before - 1
    feed = (await _ask(client, agent, DELETED, since=since))["deletedSince"]
    assert {(node["id"], node["typename"]) for node in feed["nodes"]} == {(gid("Action", action["id"]), "Action")}
    assert feed["totalCount"] == 1

    # and not in the feed of a caller who never saw it, nor in a feed asked from after the deletion
    other = (await _ask(client, _as(graph_issuer, "caf-44-manager"), DELETED, since=since))["deletedSince"]
    assert other["totalCount"] == 0
    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    assert (await _ask(client, agent, DELETED, since=later))["deletedSince"]["totalCount"] == 0


CREATE = """
mutation Create($input: CreateActionInput!) { createAction(input: $input) { action { id } errors { code field } } }
"""


async def test_history_speaks_the_api_s_terms(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action the Caf creates, with a partner, in a CTG of Haute-Garonne
    (row,) = await sql(
        owner,
        "SELECT (SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = '243100518') AS ctg,"
        " (SELECT id FROM organisation WHERE ref = 'demo:association:clic-et-droits') AS carrier,"
        " (SELECT id FROM organisation WHERE ref = 'commune:31069') AS partner",
    )
    caf = as_persona(graph_issuer, BY_NAME["caf-31-agent"])
    fields = {
        "ctgId": gid("Ctg", row["ctg"]),
        "title": "Une action à l'histoire lisible",
        "theme": "ACCESS_TO_RIGHTS",
        "carrierId": gid("Organisation", row["carrier"]),
        "periodStart": "2026-09-01",
        "partners": [{"organisationId": gid("Organisation", row["partner"]), "role": "Prête une salle"}],
    }
    response = await client.post("/graphql", json={"query": CREATE, "variables": {"input": fields}}, headers=caf)
    created = response.json()["data"]["createAction"]
    assert created["errors"] == []

    # when its history is read
    read = await client.post(
        "/graphql", json={"query": HISTORY, "variables": {"id": created["action"]["id"]}}, headers=caf
    )
    data = read.json()["data"]

    # then other rows are global IDs under the GraphQL field names, enum values their GraphQL names
    (creation,) = data["node"]["history"]["nodes"]
    recorded = {field["field"]: field["after"] for field in creation["fields"]}
    assert recorded["ctg"] == gid("Ctg", row["ctg"])
    assert recorded["carrier"] == gid("Organisation", row["carrier"])
    assert recorded["theme"] == "ACCESS_TO_RIGHTS"
    assert recorded["status"] == "DRAFT"
    assert recorded["partners"] == [{"organisation": gid("Organisation", row["partner"]), "role": "Prête une salle"}]
    assert "moneyShown" not in recorded
