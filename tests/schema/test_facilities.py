"""Facilities and funding lines over HTTP: who sees what of them, places and funding in figures checked against
SQL written here, and the bonus territoire."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, bearer, sql
from tests.schema.writing import gid

FACILITIES = """
{ facilities(first: 100) { totalCount nodes {
    id name kind family capacity status address email phone approvedFrom openedOn manager { name } commune { inseeCode }
    fundingLines { nodes { year type planned } }
} } }
"""
PLACES_PER_EPCI = """
query ($d: String!) { facilityStatistics(filter: {territory: {department: $d}, families: [EAJE]}, groupBy: [EPCI]) {
  epci { siren } facilityCount places population placesPerThousand } }
"""
PLACES_BY_KIND = """
{ facilityStatistics(groupBy: [KIND]) { kind facilityCount places } }
"""
FUNDING = """
query ($d: String!) { fundingStatistics(filter: {territory: {department: $d}}, groupBy: [YEAR, FUNDER]) {
  year funder { id } lineCount planned granted paid } }
"""
ACTION_FUNDING = """
query ($id: ID!) { node(id: $id) { ... on Action { budget cafFunding
  fundingLines(first: 100) { nodes { year type planned granted funder { kind } } } } } }
"""
BONUS = """
query ($ctg: ID!, $facility: ID!) {
  ctg: node(id: $ctg) { ... on Ctg { bonusTerritoire(year: 2026) { facility { name } amount } } }
  facility: node(id: $facility) { ... on Facility { bonusTerritoire(on: "2026-06-01") { eligible ctgs { id } } } }
}
"""
CANDIDATES = '{ bonusTerritoireCandidates(epci: "243100633", on: "2026-06-01") { name status } }'

BLAGNAC_CRECHE = "demo:facility:creche-blagnac"
TOULOUSE_CTG = "demo:ctg:toulouse-metropole:2022-2026"


async def _graphql(base_url: str, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def _facilities(demo_app: tuple[str, AsyncEngine], headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    nodes = (await _graphql(demo_app[0], headers, FACILITIES))["facilities"]["nodes"]
    return {node["name"]: node for node in nodes}


async def test_anyone_sees_the_open_facilities_public_data_only(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine
) -> None:
    # given the demo's facilities, as the database holds them
    open_ones = {row["name"] for row in await sql(demo_sql, "SELECT name FROM facility WHERE status = 'open'")}
    assert open_ones

    # when an anonymous caller lists facilities
    seen = await _facilities(demo_app, {})

    # then it sees the open ones, their name, kind, commune and capacity, and nothing more
    assert set(seen) == open_ones
    for node in seen.values():
        assert (node["address"], node["email"], node["phone"], node["approvedFrom"], node["manager"]) == (
            None,
            None,
            None,
            None,
            None,
        )
        assert node["fundingLines"]["nodes"] == []
        assert node["commune"]["inseeCode"]


async def test_the_caf_sees_its_departments_facilities_whole_and_others_as_anyone(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # when the Caf of Haute-Garonne lists facilities
    seen = await _facilities(demo_app, as_persona(graph_issuer, BY_NAME["caf-31-agent"]))

    # then it sees every facility of its department, planned ones included, with their details and money...
    in_31 = {row["name"] for row in await sql(demo_sql, "SELECT name FROM facility WHERE department_code = '31'")}
    open_44 = {
        row["name"]
        for row in await sql(demo_sql, "SELECT name FROM facility WHERE department_code = '44' AND status = 'open'")
    }
    assert set(seen) == in_31 | open_44
    creche = next(node for node in seen.values() if node["name"] == "Crèche municipale d'Andromède")
    assert creche["manager"] == {"name": "Mairie de Blagnac"}
    assert creche["address"] is not None
    assert {line["planned"] for line in creche["fundingLines"]["nodes"]} >= {"36000.00"}
    # ...and Loire-Atlantique's open ones as anyone does
    assert all(seen[name]["manager"] is None for name in open_44)


@pytest.mark.parametrize(
    ("roles", "organisation", "facility"),
    [
        (("association_member",), "demo:association:centre-social-les-passerelles", "Centre social Les Passerelles"),
        (("local_authority_staff",), "commune:31069", "Crèche municipale d'Andromède"),
        (("local_authority_staff",), "epci:243100633", "Micro-crèche Les Petits Pas"),
    ],
    ids=["its manager", "its commune", "its EPCI (a planned facility)"],
)
async def test_the_manager_and_the_local_authorities_see_a_facility_whole(
    demo_app: tuple[str, AsyncEngine],
    graph_issuer: LocalIssuer,
    roles: tuple[str, ...],
    organisation: str,
    facility: str,
) -> None:
    seen = await _facilities(demo_app, bearer(graph_issuer, *roles, organisation=organisation))

    assert seen[facility]["manager"] is not None
    assert seen[facility]["address"] is not None


async def test_places_per_epci_of_a_department_agree_with_the_territory_reference(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given every EPCI of Haute-Garonne, its population there and its EAJE places, computed in SQL
    expected = await sql(
        demo_sql,
        """
        SELECT c.epci_siren AS siren, sum(c.population) AS population,
               coalesce((SELECT sum(f.capacity) FROM facility f
                         WHERE f.epci_siren = c.epci_siren AND f.department_code = '31' AND f.kind IN
                         ('multi_accueil', 'creche_collective', 'creche_familiale', 'creche_parentale',
                          'micro_creche')), 0) AS places
        FROM commune c WHERE c.department_code = '31' GROUP BY c.epci_siren ORDER BY c.epci_siren
        """,
    )

    # when the Caf asks for EAJE places per EPCI of its department
    rows = (await _graphql(demo_app[0], as_persona(graph_issuer, BY_NAME["caf-31-agent"]), PLACES_PER_EPCI, d="31"))[
        "facilityStatistics"
    ]

    # then every EPCI is there, with its places and places per 1,000 inhabitants
    got = [(row["epci"]["siren"] if row["epci"] else None, row["population"], row["places"]) for row in rows]
    assert got == [(row["siren"], row["population"], row["places"]) for row in expected]
    assert any(row["places"] for row in rows)
    for row in rows:
        if row["population"]:
            assert row["placesPerThousand"] == round(1000 * row["places"] / row["population"], 2)


async def test_places_by_kind_count_what_the_caller_sees(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine
) -> None:
    expected = {
        row["kind"].upper(): (row["facilities"], row["places"])
        for row in await sql(
            demo_sql,
            "SELECT kind, count(*) AS facilities, coalesce(sum(capacity), 0) AS places FROM facility "
            "WHERE status = 'open' GROUP BY kind",
        )
    }

    rows = (await _graphql(demo_app[0], {}, PLACES_BY_KIND))["facilityStatistics"]

    counted = {row["kind"]: (row["facilityCount"], row["places"]) for row in rows if row["facilityCount"]}
    assert counted == expected
    assert len(rows) == 14  # every kind, with zeros


async def test_funding_totals_agree_with_the_lines(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the funding lines of Haute-Garonne's actions and facilities, added up in SQL
    expected = await sql(
        demo_sql,
        """
        SELECT l.year, l.funder_id, count(*) AS lines, sum(l.planned) AS planned,
               coalesce(sum(l.granted), 0) AS granted, coalesce(sum(l.paid), 0) AS paid
        FROM funding_line l LEFT JOIN action a ON a.id = l.action_id LEFT JOIN scheme s ON s.id = a.ctg_id
        LEFT JOIN facility f ON f.id = l.facility_id
        WHERE coalesce(s.department_code, f.department_code) = '31'
        GROUP BY l.year, l.funder_id ORDER BY l.year, l.funder_id
        """,
    )
    caf = as_persona(graph_issuer, BY_NAME["caf-31-agent"])
    association = as_persona(graph_issuer, BY_NAME["association-member"])

    # when the Caf adds them up by year and funder, and so does an association
    rows = (await _graphql(demo_app[0], caf, FUNDING, d="31"))["fundingStatistics"]
    partial = (await _graphql(demo_app[0], association, FUNDING, d="31"))["fundingStatistics"]

    # then the Caf's totals are the lines', and the association sees no sum of lines it may not all see
    assert [(row["year"], row["funder"]["id"], row["lineCount"], Decimal(row["planned"])) for row in rows] == [
        (row["year"], gid("Organisation", row["funder_id"]), row["lines"], row["planned"]) for row in expected
    ]
    assert all(
        Decimal(row["granted"]) == e["granted"] and Decimal(row["paid"]) == e["paid"]
        for row, e in zip(rows, expected, strict=True)
    )
    assert any(row["planned"] is None for row in partial)


async def test_an_actions_budget_and_caf_funding_are_the_totals_of_its_lines(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    (action,) = await sql(demo_sql, "SELECT min(action_id) AS id FROM funding_line")

    response = await demo_http.post(
        "/graphql", json={"query": ACTION_FUNDING, "variables": {"id": gid("Action", action["id"])}}
    )

    node = response.json()["data"]["node"]
    lines = node["fundingLines"]["nodes"]
    assert lines
    assert Decimal(node["budget"]) == sum(Decimal(line["planned"]) for line in lines)
    assert Decimal(node["cafFunding"]) == sum(
        Decimal(line["planned"]) for line in lines if line["funder"]["kind"] == "CAF"
    )


async def test_the_bonus_territoire_goes_to_the_facilities_of_a_ctg_in_force(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the crèche of Blagnac, in Toulouse Métropole, whose CTG runs until the end of 2026
    (ids,) = await sql(
        demo_sql,
        "SELECT (SELECT id FROM scheme WHERE ref = :ctg) AS ctg, (SELECT id FROM facility WHERE ref = :facility) AS f",
        ctg=TOULOUSE_CTG,
        facility=BLAGNAC_CRECHE,
    )
    caf = as_persona(graph_issuer, BY_NAME["caf-31-agent"])

    # when the Caf asks for the CTG's bonus of 2026 and for the crèche's eligibility
    data = await _graphql(demo_app[0], caf, BONUS, ctg=gid("Ctg", ids["ctg"]), facility=gid("Facility", ids["f"]))
    candidates = (await _graphql(demo_app[0], caf, CANDIDATES))["bonusTerritoireCandidates"]

    # then the crèche is eligible through that CTG, with its bonus of 2026; the Sicoval, whose CTG ended, has
    # facilities a new CTG would make eligible
    bonus = {line["facility"]["name"]: line["amount"] for line in data["ctg"]["bonusTerritoire"]}
    assert bonus["Crèche municipale d'Andromède"] == "36000.00"
    assert data["facility"]["bonusTerritoire"] == {"eligible": True, "ctgs": [{"id": gid("Ctg", ids["ctg"])}]}
    assert {candidate["name"] for candidate in candidates} == {
        "Micro-crèche Les Petits Pas",
        "Relais petite enfance du Sicoval",
    }
