"""The figures a Caf asks for, each in one request, checked against SQL written here; and no false zero."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, sql

ON = date(2026, 6, 1)

COVERAGES = """
query ($on: Date!) {
  epcis: ctgCoverages(on: $on, per: EPCI, department: "31") {
    code epci { name } coverage { communeCount coveredCommuneCount population coveredPopulation } }
  france: ctgCoverages(on: $on, per: COUNTRY) { coverage { communeCount } }
}
"""
CTG_COUNTS = "{ ctgStatistics(groupBy: [DEPARTMENT, STATUS]) { departmentCode department { name } status ctgCount } }"
WITHOUT_CTG = """
query ($on: Date!) { epcis(filter: {department: "31", withoutCtgOn: $on}, first: 100) { nodes { siren } } }
"""
HIDDEN = """
query ($on: Date!) {
  coverage: ctgCoverage(department: "44", on: $on) { communeCount }
  statistics: actionStatistics(filter: {territory: {department: "44"}}, groupBy: []) { actionCount budget }
}
"""

# Communes covered by a CTG in force on :on, by the graph's rules stated again: an EPCI's members, a commune
# list, a whole department.
COVERED = """
SELECT c.insee_code FROM commune c JOIN scheme s ON s.kind = 'CTG' AND s.archived_at IS NULL
  AND s.status IN ('signed', 'active') AND s.period_start <= :on AND (s.period_end IS NULL OR s.period_end >= :on)
WHERE (s.scope = 'epci' AND s.epci_siren = c.epci_siren)
   OR (s.scope = 'department' AND s.department_code = c.department_code)
   OR EXISTS (SELECT FROM scheme_commune l WHERE l.scheme_id = s.id AND l.commune_insee_code = c.insee_code)
"""


async def _graphql(base_url: str, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_the_coverage_of_every_epci_of_the_department_and_of_france_in_one_request(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given each EPCI of Haute-Garonne's communes there and those a CTG in force covers, in SQL
    expected = await sql(
        demo_sql,
        f"""
        SELECT c.epci_siren AS code, count(*) AS communes, count(covered.insee_code) AS covered,
               sum(c.population) AS population,
               coalesce(sum(c.population) FILTER (WHERE covered.insee_code IS NOT NULL), 0) AS covered_population
        FROM commune c LEFT JOIN ({COVERED}) AS covered ON covered.insee_code = c.insee_code
        WHERE c.department_code = '31' GROUP BY c.epci_siren ORDER BY c.epci_siren
        """,  # noqa: S608 (the test's own constant)
        on=ON,
    )

    # when the Caf of Haute-Garonne asks for it, and so do the Cnaf, who sees every department whole, and anyone
    caf = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), COVERAGES, on=ON.isoformat())
    cnaf = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["cnaf-analyst"]), COVERAGES, on=ON.isoformat())
    anonymous = await _graphql(demo_app[0], {}, COVERAGES, on=ON.isoformat())

    # then the Caf gets every EPCI of its department, and France is a figure only for whom sees it whole
    got = [
        (row["code"], *(row["coverage"][name] for name in ("communeCount", "coveredCommuneCount", "population")))
        for row in caf["epcis"]
    ]
    assert got == [(row["code"], row["communes"], row["covered"], row["population"]) for row in expected]
    assert any(row["coveredCommuneCount"] for row in (row["coverage"] for row in caf["epcis"]))
    assert caf["france"] == [{"coverage": None}]
    assert cnaf["france"][0]["coverage"]["communeCount"] > 30_000
    assert all(row["coverage"] is None for row in anonymous["epcis"])  # not seen whole: no false zero


async def test_ctg_counts_by_status_per_department(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    expected = await sql(
        demo_sql,
        "SELECT department_code, upper(status) AS status, count(*) AS ctgs FROM scheme WHERE kind = 'CTG' "
        "AND archived_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    )

    rows = (await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), CTG_COUNTS))["ctgStatistics"]

    seen = {(row["departmentCode"], row["status"]): row["ctgCount"] for row in rows}
    assert {key: count for key, count in seen.items() if key[0] == "31"} == {
        (row["department_code"], row["status"]): row["ctgs"] for row in expected if row["department_code"] == "31"
    }
    assert all(row["department"]["name"] == "Haute-Garonne" for row in rows if row["departmentCode"] == "31")
    # a department it does not see whole (one of 44's CTGs it partners, say) is no count at all
    assert all(count is None for key, count in seen.items() if key[0] != "31")


async def test_the_departments_epcis_without_a_ctg_in_force(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    expected = {
        row["siren"]
        for row in await sql(
            demo_sql,
            f"""
            SELECT DISTINCT c.epci_siren AS siren FROM commune c WHERE c.department_code = '31'
              AND c.epci_siren IS NOT NULL
              AND NOT EXISTS (SELECT FROM commune m WHERE m.epci_siren = c.epci_siren
                              AND m.insee_code IN ({COVERED}))
            """,  # noqa: S608 (the test's own constant)
            on=ON,
        )
    }

    nodes = (
        await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), WITHOUT_CTG, on=ON.isoformat())
    )["epcis"]["nodes"]

    assert {node["siren"] for node in nodes} == expected
    assert "243100518" not in expected  # Toulouse Métropole's CTG runs to the end of 2026


async def test_a_figure_the_caller_may_not_see_is_null_never_zero(
    demo_app: tuple[str, AsyncEngine], graph_issuer: LocalIssuer
) -> None:
    data = await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), HIDDEN, on=ON.isoformat())

    assert data["coverage"] is None
    assert data["statistics"] == [{"actionCount": None, "budget": None}]
