"""Action statistics and CTG coverage over HTTP, checked against SQL written independently here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models.enums import ActionStatus, Theme
from tests.schema.conftest import ACCESS_STATEMENTS, graphql, sql

ACTION_STATISTICS = """
query ActionStatistics($filter: ActionFilterInput, $groupBy: [ActionDimension!]!) {
  actionStatistics(filter: $filter, groupBy: $groupBy) {
    theme status departmentCode epciSiren year actionCount budget cafFunding
  }
}
"""

CTG_COVERAGE = """
query CtgCoverage($department: String, $region: String, $on: Date!) {
  ctgCoverage(department: $department, region: $region, on: $on) {
    communeCount coveredCommuneCount population coveredPopulation communeRate populationRate on
  }
}
"""

# The SQL below states the rules again, in other words than db/graph/statistics.py, so that the two can disagree.

THEMES_OF_DEPARTMENT = """
SELECT a.theme, count(*) AS actions, coalesce(sum(a.budget), 0) AS budget,
       coalesce(sum(a.caf_funding), 0) AS caf_funding
FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE s.department_code = :department
GROUP BY a.theme ORDER BY a.theme
"""

DEPARTMENTS_AND_EPCIS = """
SELECT s.department_code, s.epci_siren, count(*) AS actions, coalesce(sum(a.budget), 0) AS budget,
       coalesce(sum(a.caf_funding), 0) AS caf_funding
FROM action a JOIN scheme s ON s.id = a.ctg_id
GROUP BY s.department_code, s.epci_siren ORDER BY s.department_code, s.epci_siren
"""

STATUSES_AND_YEARS_OF_RUNNING_CHILDHOOD_ACTIONS = """
SELECT a.status, date_part('year', a.period_start)::int AS year, count(*) AS actions,
       coalesce(sum(a.budget), 0) AS budget, coalesce(sum(a.caf_funding), 0) AS caf_funding
FROM action a
WHERE a.theme IN ('early_childhood', 'childhood') AND a.status IN ('in_progress', 'done')
  AND a.period_start <= :day AND (a.period_end IS NULL OR a.period_end >= :day)
GROUP BY 1, 2 ORDER BY 1, 2
"""

TOTALS_OF_DEPARTMENT = """
SELECT count(*) AS actions, coalesce(sum(a.budget), 0) AS budget, coalesce(sum(a.caf_funding), 0) AS caf_funding
FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE s.department_code = :department
"""

# A commune is covered when a CTG in force on :day is signed on its EPCI, lists it, or spans its department.
COVERAGE = """
WITH in_force AS (
  SELECT id, scope, department_code, epci_siren FROM scheme
  WHERE kind = 'CTG' AND status IN ('active', 'signed')
    AND period_start <= :day AND (period_end IS NULL OR period_end >= :day)
),
territory AS (
  SELECT c.insee_code, coalesce(c.population, 0) AS population,
         EXISTS (SELECT FROM in_force f WHERE f.scope = 'epci' AND f.epci_siren = c.epci_siren)
         OR EXISTS (SELECT FROM in_force f JOIN scheme_commune l ON l.scheme_id = f.id
                    WHERE l.commune_insee_code = c.insee_code)
         OR EXISTS (SELECT FROM in_force f WHERE f.scope = 'department' AND f.department_code = c.department_code)
           AS covered
  FROM commune c JOIN department d ON d.code = c.department_code
  WHERE d.code = CAST(:department AS text) OR d.region_code = CAST(:region AS text)
)
SELECT count(*) AS communes, count(*) FILTER (WHERE covered) AS covered_communes,
       sum(population) AS population, coalesce(sum(population) FILTER (WHERE covered), 0) AS covered_population
FROM territory
"""

ON = date(2025, 6, 1)


async def _statistics(demo_http: httpx.AsyncClient, group_by: list[str], **filter: Any) -> list[dict[str, Any]]:
    # The territory criteria sit in the filter's `territory` input, as on the `actions` connection.
    territory = {key: filter.pop(key) for key in ("department", "epci", "commune") if key in filter}
    if territory:
        filter["territory"] = territory
    body = await graphql(demo_http, ACTION_STATISTICS, filter=filter or None, groupBy=group_by)
    assert "errors" not in body, body
    rows: list[dict[str, Any]] = body["data"]["actionStatistics"]
    return rows


def _statistic(
    *,
    actions: int,
    budget: Decimal,
    caf_funding: Decimal,
    theme: str | None = None,
    status: str | None = None,
    department_code: str | None = None,
    epci_siren: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """An actionStatistics row as the API shows it, from SQL values; grouping fields default to null."""
    return {
        "theme": Theme(theme).name if theme else None,
        "status": ActionStatus(status).name if status else None,
        "departmentCode": department_code,
        "epciSiren": epci_siren,
        "year": year,
        "actionCount": actions,
        "budget": Decimal(budget),
        "cafFunding": Decimal(caf_funding),
    }


def _amounts_as_decimals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "budget": Decimal(row["budget"]), "cafFunding": Decimal(row["cafFunding"])} for row in rows]


# actionStatistics


async def test_actions_of_a_department_per_theme(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    expected = [_statistic(**row) for row in await sql(demo_sql, THEMES_OF_DEPARTMENT, department="31")]
    assert len(expected) >= 3

    # when
    rows = await _statistics(demo_http, ["THEME"], department="31")

    # then
    assert _amounts_as_decimals(rows) == expected


async def test_actions_per_department_and_epci_of_their_ctg(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    expected = [_statistic(**row) for row in await sql(demo_sql, DEPARTMENTS_AND_EPCIS)]
    assert {row["departmentCode"] for row in expected} == {"31", "44"}
    assert any(row["epciSiren"] is None for row in expected), "a CTG on a list of communes has no EPCI"

    # when
    rows = await _statistics(demo_http, ["DEPARTMENT", "EPCI"])

    # then
    assert _amounts_as_decimals(rows) == expected


async def test_filters_combine_and_groups_follow_the_order_asked(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    day = date(2022, 6, 1)
    expected = [
        _statistic(**row) for row in await sql(demo_sql, STATUSES_AND_YEARS_OF_RUNNING_CHILDHOOD_ACTIONS, day=day)
    ]
    assert len(expected) >= 2

    # when
    rows = await _statistics(
        demo_http,
        ["STATUS", "YEAR"],
        themes=["EARLY_CHILDHOOD", "CHILDHOOD"],
        statuses=["IN_PROGRESS", "DONE"],
        activeOn=day.isoformat(),
    )

    # then
    assert _amounts_as_decimals(rows) == expected


async def test_without_grouping_one_row_of_totals(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    (totals,) = await sql(demo_sql, TOTALS_OF_DEPARTMENT, department="44")
    assert totals["actions"] > 0

    # when
    rows = await _statistics(demo_http, [], department="44")

    # then
    assert _amounts_as_decimals(rows) == [_statistic(**totals)]


async def test_a_filter_matching_nothing_gives_no_group_and_zero_totals(demo_http: httpx.AsyncClient) -> None:
    # when
    groups = await _statistics(demo_http, ["THEME", "YEAR"], department="31", themes=["HOUSING"], statuses=["DRAFT"])
    totals = await _statistics(demo_http, [], department="31", themes=["HOUSING"], statuses=["DRAFT"])

    # then
    assert groups == []
    assert _amounts_as_decimals(totals) == [_statistic(actions=0, budget=Decimal(0), caf_funding=Decimal(0))]


# ctgCoverage


@pytest.mark.parametrize(
    ("argument", "code", "day"),
    [
        ("department", "31", ON),
        ("region", "52", ON),
        # In 2027 one CTG of Loire-Atlantique has ended while another, signed beforehand, has started.
        ("department", "44", date(2027, 6, 1)),
    ],
    ids=["department 31", "region 52", "department 44 in 2027"],
)
async def test_ctg_coverage_of_a_territory(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, argument: str, code: str, day: date
) -> None:
    # given
    (expected,) = await sql(demo_sql, COVERAGE, day=day, **{"department": None, "region": None, argument: code})
    assert 0 < expected["covered_communes"] < expected["communes"]

    # when
    body = await graphql(demo_http, CTG_COVERAGE, on=day.isoformat(), **{argument: code})

    # then
    assert "errors" not in body, body
    assert body["data"]["ctgCoverage"] == {
        "communeCount": expected["communes"],
        "coveredCommuneCount": expected["covered_communes"],
        "population": expected["population"],
        "coveredPopulation": expected["covered_population"],
        "communeRate": pytest.approx(expected["covered_communes"] / expected["communes"]),
        "populationRate": pytest.approx(expected["covered_population"] / expected["population"]),
        "on": day.isoformat(),
    }


async def test_ctg_coverage_of_an_unknown_department_is_null(demo_http: httpx.AsyncClient) -> None:
    body = await graphql(demo_http, CTG_COVERAGE, department="00", on=ON.isoformat())

    assert body == {"data": {"ctgCoverage": None}}


@pytest.mark.parametrize(
    ("territory", "argument"),
    [({"department": "44", "region": "52"}, "region"), ({}, "department")],
    ids=["both", "neither"],
)
async def test_ctg_coverage_needs_exactly_one_territory(
    demo_http: httpx.AsyncClient, territory: dict[str, str], argument: str
) -> None:
    body = await graphql(demo_http, CTG_COVERAGE, on=ON.isoformat(), **territory)

    assert body["data"] == {"ctgCoverage": None}
    (error,) = body["errors"]
    assert argument in error["message"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == ("BAD_USER_INPUT", argument)
    assert error["extensions"]["parameters"]["argument"] == argument


# Work done in PostgreSQL


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (ACTION_STATISTICS, {"groupBy": ["THEME", "STATUS", "DEPARTMENT", "EPCI", "YEAR"]}),
        (CTG_COVERAGE, {"region": "52", "on": ON.isoformat()}),
    ],
    ids=["actionStatistics", "ctgCoverage"],
)
async def test_each_statistic_is_one_sql_statement(
    demo_http: httpx.AsyncClient, statements: list[str], query: str, variables: dict[str, Any]
) -> None:
    body = await graphql(demo_http, query, **variables)

    assert "errors" not in body, body
    assert len(statements) == ACCESS_STATEMENTS + 1, statements
