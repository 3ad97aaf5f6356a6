"""Reporting campaigns read as a Caf, a carrier and anyone: completion per CTG, carrier and action against SQL
written here, the overdue carriers, and figures that count only what the caller sees."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from db.demo import organisations as org
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, sql

# The Caf de la Haute-Garonne's 2025 campaign, due 31 March 2026 and still open: overdue carriers to remind.
CAMPAIGN_2025 = """
{
  reportingCampaigns(filter: {department: "31", year: 2025}, first: 10) {
    nodes {
      title dueOn status department { code } openedBy { name }
      perCtg: completion(per: CTG) { ctg { title } expected reported missing actions completeActions overdue }
      overdue: completion(per: CARRIER, overdueOnly: true) { carrier { name email } missing }
      perAction: completion(per: ACTION) { action { title } expected reported }
    }
  }
}
"""

# Values owed and given per action of the 2025 campaign of department 31, by the campaign's scope stated again:
# actions under way or done in a CTG of the department, their period meeting 2025; every indicator owes a value.
OWED = """
SELECT a.id AS action_id, a.ctg_id, s.title AS ctg, a.carrier_id, count(i.id) AS expected,
       count(v.id) AS reported
FROM reporting_campaign c
JOIN scheme s ON s.kind = 'CTG' AND s.department_code = c.department_code AND s.archived_at IS NULL
JOIN action a ON a.ctg_id = s.id AND a.archived_at IS NULL AND a.status IN ('validated', 'in_progress', 'done')
  AND a.period_start <= c.period_end AND (a.period_end IS NULL OR a.period_end >= c.period_start)
JOIN indicator i ON i.action_id = a.id
LEFT JOIN indicator_value v ON v.indicator_id = i.id AND v.campaign_id = c.id
WHERE c.ref = 'demo:campagne:31:2025'
GROUP BY a.id, a.ctg_id, s.title, a.carrier_id
"""


async def _graphql(base_url: str, headers: dict[str, str], query: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post("/graphql", json={"query": query}, headers=headers)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_a_caf_sees_its_campaigns_completion_per_ctg_and_its_overdue_carriers_in_one_request(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the values owed and given per action, in SQL
    owed = await sql(demo_sql, OWED)
    per_ctg: dict[str, list[int]] = {}
    for row in owed:
        figures = per_ctg.setdefault(row["ctg"], [0, 0, 0, 0])
        figures[0] += row["expected"]
        figures[1] += row["reported"]
        figures[2] += 1
        figures[3] += row["reported"] >= row["expected"]
    late = {row["carrier_id"] for row in owed if row["reported"] < row["expected"]}
    late_names = {
        row["name"]
        for row in await sql(demo_sql, "SELECT name FROM organisation WHERE id = ANY(:ids)", ids=sorted(late))
    }

    # when the Caf's agent asks
    data = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), CAMPAIGN_2025)

    # then its one campaign of 2025 comes with the same figures, and the carriers still owing values
    (campaign,) = data["reportingCampaigns"]["nodes"]
    assert (campaign["status"], campaign["dueOn"], campaign["department"]) == ("OPEN", "2026-03-31", {"code": "31"})
    assert campaign["openedBy"]["name"] == "Caf de la Haute-Garonne"
    got = {
        row["ctg"]["title"]: [row["expected"], row["reported"], row["actions"], row["completeActions"]]
        for row in campaign["perCtg"]
    }
    assert got == per_ctg
    assert all(row["missing"] == row["expected"] - row["reported"] for row in campaign["perCtg"])
    assert all(row["overdue"] == (row["reported"] < row["expected"]) for row in campaign["perCtg"])
    assert late, "the demo has carriers late for 2025"
    assert {row["carrier"]["name"] for row in campaign["overdue"]} == late_names
    assert all(row["missing"] >= 1 for row in campaign["overdue"])
    assert sum(row["expected"] for row in campaign["perAction"]) == sum(row["expected"] for row in owed)


async def test_a_carrier_sees_the_campaign_count_only_its_own_actions(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the actions of the campaign Parents ensemble 31 carries or partners, and those it cannot see
    owed = await sql(demo_sql, OWED)
    (carrier,) = await sql(demo_sql, "SELECT id FROM organisation WHERE ref = :ref", ref=org.PARENTS_ENSEMBLE)
    seen = {
        row["id"]
        for row in await sql(
            demo_sql,
            "SELECT id FROM action WHERE carrier_id = :id "
            "UNION SELECT action_id FROM action_partner WHERE organisation_id = :id",
            id=carrier["id"],
        )
    }
    mine = [row for row in owed if row["action_id"] in seen]
    assert 0 < len(mine) < len(owed)

    # when its member asks
    data = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["association-member"]), CAMPAIGN_2025)

    # then the campaign is there, its figures those of the member's actions alone
    (campaign,) = data["reportingCampaigns"]["nodes"]
    assert sum(row["expected"] for row in campaign["perAction"]) == sum(row["expected"] for row in mine)
    assert len(campaign["perAction"]) == len(mine)


async def test_anyone_sees_the_campaigns_and_no_figure_of_actions_it_does_not_see(
    demo_app: tuple[str, AsyncEngine],
) -> None:
    data = await _graphql(demo_app[0], {}, CAMPAIGN_2025)

    (campaign,) = data["reportingCampaigns"]["nodes"]
    assert campaign["title"] == "Bilans 2025 des actions des CTG de la Haute-Garonne"
    assert campaign["perCtg"] == campaign["overdue"] == campaign["perAction"] == []


async def test_campaigns_filter_by_status_and_national_scope(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine
) -> None:
    query = """
    {
      open: reportingCampaigns(filter: {statuses: [OPEN]}, first: 100) { nodes { title } }
      closed: reportingCampaigns(filter: {statuses: [CLOSED]}, first: 100) { nodes { title } }
      national: reportingCampaigns(filter: {national: true}, first: 100) { nodes { title } }
    }
    """
    expected = {
        status: {
            row["title"]
            for row in await sql(demo_sql, "SELECT title FROM reporting_campaign WHERE status = :status", status=status)
        }
        for status in ("open", "closed")
    }

    data = await _graphql(demo_app[0], {}, query)

    assert {node["title"] for node in data["open"]["nodes"]} == expected["open"]
    assert {node["title"] for node in data["closed"]["nodes"]} == expected["closed"]
    assert expected["open"]
    assert expected["closed"]
    assert data["national"]["nodes"] == []
