"""`viewer.tasks` per persona, against what the data says in SQL and what each persona reads."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME, PERSONAS, Persona
from db.graph.tasks import horizon
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import as_persona, sql, trusting

TASKS = """
query Tasks($months: Int!) {
  viewer { tasks(withinMonths: $months) { id kind dueOn overdue node { id } } }
}
"""
CTGS = "{ ctgs(first: 100) { nodes { id } } }"
CAMPAIGNS = "{ reportingCampaigns(first: 100) { nodes { id status dueOn completion { expected reported } } } }"
PARIS_TODAY = "SELECT (now() AT TIME ZONE 'Europe/Paris')::date AS today"
# The ground truth, from the data alone: each kind's condition, written again here.
CTGS_ENDING = """
SELECT id, period_end FROM scheme
WHERE kind = 'CTG' AND archived_at IS NULL AND status IN ('signed', 'active') AND period_end BETWEEN :today AND :until
"""
SUBMITTED = """
SELECT a.id, s.department_code FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE a.status = 'submitted' AND a.archived_at IS NULL AND s.archived_at IS NULL
"""
OWN_EXPIRING = """
SELECT id FROM habilitation
WHERE issuer = :issuer AND subject = :subject AND status = 'active'
  AND (expires_at AT TIME ZONE 'Europe/Paris')::date BETWEEN :today AND :until
"""


def _global_id(type_name: str, key: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


@pytest.fixture(scope="module")
async def arranged(owner: AsyncEngine, server_issuer: LocalIssuer) -> date:
    """Tasks to find: a CTG of 31 and one of 44 ending in 25 days, an action of 44 submitted, a campaign of 31 due
    in 10 days, a habilitation of the association member expiring in 40 days. Returns today, in Paris."""
    (row,) = await sql(owner, PARIS_TODAY)
    today: date = row["today"]
    issuer, member = server_issuer, BY_NAME["association-member"]
    async with owner.begin() as connection:
        for department in ("31", "44"):
            await connection.execute(
                text(
                    "UPDATE scheme SET period_end = :end WHERE id = (SELECT min(id) FROM scheme WHERE kind = 'CTG' "
                    "AND department_code = :department AND status IN ('signed', 'active') AND archived_at IS NULL)"
                ),
                {"end": today + timedelta(days=25), "department": department},
            )
        await connection.execute(
            text(
                "UPDATE reporting_campaign SET due_on = :due, status = 'open' WHERE id = "
                "(SELECT min(id) FROM reporting_campaign WHERE department_code = '31' AND archived_at IS NULL)"
            ),
            {"due": today + timedelta(days=10)},
        )
        await connection.execute(
            text(
                "INSERT INTO habilitation (issuer, subject, organisation_id, role, status, expires_at) "
                "SELECT :issuer, :subject, id, 'organisation_admin', 'active', now() + interval '40 days' "
                "FROM organisation WHERE ref = :organisation"
            ),
            {"issuer": issuer.url, "subject": member.subject, "organisation": member.organisation},
        )
    return today


@pytest.fixture(scope="module")
async def service(own_demo: URL, server_issuer: LocalIssuer) -> AsyncIterator[str]:
    async with serve(create_app(trusting(server_issuer), own_demo)) as base_url:
        yield base_url


async def _ask(service: str, issuer: LocalIssuer, persona: Persona, query: str, **variables: Any) -> Any:
    async with httpx.AsyncClient(base_url=service, timeout=30, headers=as_persona(issuer, persona)) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.parametrize("persona", PERSONAS, ids=[persona.name for persona in PERSONAS])
async def test_the_tasks_are_what_the_data_says_within_what_the_persona_reads(
    service: str, server_issuer: LocalIssuer, owner: AsyncEngine, arranged: date, persona: Persona
) -> None:
    today = arranged
    until = horizon(today, 3)
    tasks = (await _ask(service, server_issuer, persona, TASKS, months=3))["viewer"]["tasks"]
    found: dict[str, set[str]] = {}
    for task in tasks:
        found.setdefault(task["kind"], set()).add(task["node"]["id"])

    read_ctgs = {node["id"] for node in (await _ask(service, server_issuer, persona, CTGS))["ctgs"]["nodes"]}
    ending = {_global_id("Ctg", row["id"]) for row in await sql(owner, CTGS_ENDING, today=today, until=until)}
    assert found.get("CTG_ENDING", set()) == ending & read_ctgs

    # The Caf of the CTG's department validates what was submitted (auth/rules.py): its staff only.
    submitted = await sql(owner, SUBMITTED)
    validating = {
        _global_id("Action", row["id"])
        for row in submitted
        if persona.caf_department is not None and row["department_code"] == persona.caf_department
    }
    assert found.get("ACTION_TO_VALIDATE", set()) == validating

    campaigns = (await _ask(service, server_issuer, persona, CAMPAIGNS))["reportingCampaigns"]["nodes"]
    owing = {
        campaign["id"]
        for campaign in campaigns
        if campaign["status"] == "OPEN"
        and date.fromisoformat(campaign["dueOn"]) <= until
        and sum(group["expected"] for group in campaign["completion"])
        > sum(group["reported"] for group in campaign["completion"])
    }
    assert found.get("REPORT_DUE", set()) == owing

    # Its own, at least (an organisation's admins and its Caf's managers also see those they manage).
    own = await sql(owner, OWN_EXPIRING, issuer=server_issuer.url, subject=persona.subject, today=today, until=until)
    expiring = {_global_id("Habilitation", row["id"]) for row in own}
    assert expiring <= found.get("HABILITATION_EXPIRING", set())

    # Overdue exactly when the date has passed, and the overdue first.
    for task in tasks:
        assert task["overdue"] == (task["dueOn"] is not None and date.fromisoformat(task["dueOn"]) < today)
    assert [task["overdue"] for task in tasks] == sorted((task["overdue"] for task in tasks), reverse=True)


async def test_the_arranged_tasks_reach_the_people_they_concern(
    service: str, server_issuer: LocalIssuer, arranged: date
) -> None:
    kinds = {}
    for name in ("caf-31-agent", "caf-44-manager", "association-member", "cnaf-analyst"):
        tasks = (await _ask(service, server_issuer, BY_NAME[name], TASKS, months=3))["viewer"]["tasks"]
        kinds[name] = {task["kind"] for task in tasks}
    assert {"CTG_ENDING", "REPORT_DUE"} <= kinds["caf-31-agent"]
    assert {"CTG_ENDING", "ACTION_TO_VALIDATE"} <= kinds["caf-44-manager"]
    assert "REPORT_DUE" not in kinds["caf-44-manager"]
    assert "HABILITATION_EXPIRING" in kinds["association-member"]
    assert "ACTION_TO_VALIDATE" not in kinds["cnaf-analyst"]


async def test_a_narrower_horizon_leaves_out_what_ends_later(
    service: str, server_issuer: LocalIssuer, arranged: date
) -> None:
    persona = BY_NAME["caf-31-agent"]
    wide = (await _ask(service, server_issuer, persona, TASKS, months=3))["viewer"]["tasks"]
    none_ahead = (await _ask(service, server_issuer, persona, TASKS, months=0))["viewer"]["tasks"]
    assert any(task["kind"] == "CTG_ENDING" for task in wide)
    assert all(task["kind"] != "CTG_ENDING" for task in none_ahead)
