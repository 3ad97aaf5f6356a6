"""Governance meetings read: a CTG's meetings, their attendees, minutes and decisions, the actions decided on,
seen by whom sees the CTG and by nobody else."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.demo import steering
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, sql
from tests.schema.writing import gid

MEETINGS = """
{
  ctgs(first: 100) {
    nodes {
      title
      meetings(first: 10) {
        totalCount
        nodes {
          heldOn attendees minutes body { name meetings(first: 5) { totalCount } }
          decisions(first: 10) { nodes { position decision action { number decisions(first: 5) { totalCount } } } }
        }
      }
    }
  }
}
"""


async def _graphql(base_url: str, headers: dict[str, str], query: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post("/graphql", json={"query": query}, headers=headers)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_a_ctgs_meetings_with_their_decisions_and_the_actions_decided_on(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the demo's meetings, and each decision's action number in SQL
    decided = await sql(
        demo_sql,
        "SELECT m.held_on, d.position, a.number FROM meeting_decision d JOIN governance_meeting m "
        "ON m.id = d.meeting_id LEFT JOIN action a ON a.id = d.action_id ORDER BY m.held_on, d.position",
    )

    # when the Caf of Haute-Garonne reads its CTGs
    data = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), MEETINGS)

    # then each demo meeting is on its CTG, with its attendees, minutes and decisions in order
    meetings = {node["heldOn"]: node for ctg in data["ctgs"]["nodes"] for node in ctg["meetings"]["nodes"]}
    assert set(meetings) == {m.held_on.isoformat() for m in steering.MEETINGS}
    for meeting in steering.MEETINGS:
        got = meetings[meeting.held_on.isoformat()]
        assert got["attendees"] == list(meeting.attendees)
        assert got["minutes"] == meeting.minutes
        assert [node["decision"] for node in got["decisions"]["nodes"]] == [d.decision for d in meeting.decisions]
        assert got["body"]["meetings"]["totalCount"] >= 1
    got_decided = [
        (held_on, node["position"], node["action"]["number"] if node["action"] else None)
        for held_on, meeting in sorted(meetings.items())
        for node in meeting["decisions"]["nodes"]
    ]
    assert got_decided == [(row["held_on"].isoformat(), row["position"], row["number"]) for row in decided]
    assert any(number is not None for _, _, number in got_decided)


async def test_nobody_outside_the_ctg_reads_its_meetings(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the demo's meetings and decisions, by global ID
    ids = [gid("GovernanceMeeting", row["id"]) for row in await sql(demo_sql, "SELECT id FROM governance_meeting")] + [
        gid("MeetingDecision", row["id"]) for row in await sql(demo_sql, "SELECT id FROM meeting_decision")
    ]
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"

    async def read(headers: dict[str, str]) -> list[Any]:
        async with httpx.AsyncClient(base_url=demo_app[0], timeout=30) as client:
            response = await client.post("/graphql", json={"query": query, "variables": {"ids": ids}}, headers=headers)
        return response.json()["data"]["nodes"]  # type: ignore[no-any-return]

    # when whom sees the CTGs, another department's Caf and anyone read them
    caf_31 = await read(as_persona(graph_issuer, BY_NAME["caf-31-agent"]))
    caf_44 = await read(as_persona(graph_issuer, BY_NAME["caf-44-manager"]))
    anonymous = await read({})

    # then only the first finds them
    assert ids
    assert [node["id"] for node in caf_31] == ids
    assert caf_44 == anonymous == [None] * len(ids)
