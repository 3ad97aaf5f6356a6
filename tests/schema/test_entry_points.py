"""Entry points over HTTP: look-ups by natural key, and the filtered, ordered connections, checked against SQL."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import organisations as demo_organisations
from db.demo import schemes as demo_schemes
from db.engine import create_engine
from db.migrate import upgrade
from db.models.enums import ActionStatus, Theme
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory, serve
from tests.schema.conftest import assert_bad_input, bearer, graphql, sql, trusting

DEPARTMENT = """
query Department($code: String!) {
  department(code: $code) { code name zone region { code name } caf { kind name } }
}
"""
REGION = """
query Region($code: String!) {
  region(code: $code) { code name departments(first: 100) { totalCount nodes { code } } }
}
"""
EPCI = "query Epci($siren: String!) { epci(siren: $siren) { siren name kind financingMode population } }"
COMMUNE = """
query Commune($inseeCode: String!) {
  commune(inseeCode: $inseeCode) { inseeCode name population department { code } epci { siren } }
}
"""
ORGANISATION = """
query Organisation($siren: String, $siret: String) {
  organisation(siren: $siren, siret: $siret) { kind name siren siret }
}
"""

COMMUNES = "query Communes($filter: PlaceFilterInput) { communes(filter: $filter) { totalCount } }"
EPCIS = "query Epcis($filter: PlaceFilterInput) { epcis(filter: $filter, first: 100) { totalCount nodes { siren } } }"
ORGANISATIONS = """
query Organisations($filter: OrganisationFilterInput) {
  organisations(filter: $filter, first: 100) { totalCount nodes { kind department { code } } }
}
"""
SCHEMES = """
query Schemes($filter: SchemeFilterInput) {
  schemes(filter: $filter, first: 100) { totalCount nodes { kind title } }
}
"""
CTGS = """
query Ctgs($filter: SchemeFilterInput) {
  ctgs(filter: $filter, first: 100) { totalCount nodes { title themes } }
}
"""
ACTIONS = """
query Actions($filter: ActionFilterInput, $orderBy: ActionOrder) {
  actions(filter: $filter, orderBy: $orderBy, first: 100) {
    totalCount
    nodes { number title description objectives targetPublic theme status ctg { title } }
  }
}
"""
CARRIER_AND_PARTNER = """
{
  actions(first: 100) {
    nodes { carrier { id name } partners { edges { node { id name } } } }
  }
}
"""

# The SQL below states each rule again, in its own words, so that it can disagree with db/graph/filters.py.

DEPARTMENT_ROW = """
SELECT d.code, d.name, r.code AS region_code, r.name AS region_name,
       (SELECT o.name FROM organisation o WHERE o.kind = 'caf' AND o.department_code = d.code) AS caf
FROM department d JOIN region r ON r.code = d.region_code WHERE d.code = :code
"""
DEPARTMENTS_OF_REGION = "SELECT code FROM department WHERE region_code = :code ORDER BY code"
EPCI_ROW = "SELECT siren, name, kind, financing_mode, population FROM epci WHERE siren = :siren"
COMMUNE_ROW = "SELECT insee_code, name, population, department_code, epci_siren FROM commune WHERE insee_code = :code"
ORGANISATION_WITH_SIREN = "SELECT name, siren FROM organisation WHERE siren IS NOT NULL ORDER BY name LIMIT 1"
COMMUNES_OF_DEPARTMENT = "SELECT count(*) AS count FROM commune WHERE department_code = :code"
# An EPCI belongs to every department where one of its member communes lies.
EPCIS_OF_DEPARTMENT = (
    "SELECT DISTINCT epci_siren AS siren FROM commune WHERE department_code = :code AND epci_siren IS NOT NULL"
)
CAFS = "SELECT count(*) AS count FROM organisation WHERE kind = 'caf'"
SCHEMES_ENDING_BEFORE = "SELECT title FROM scheme WHERE period_end < :day"
SCHEMES_OVERLAPPING = """
SELECT title FROM scheme WHERE period_start <= :end AND (period_end IS NULL OR period_end >= :start)
"""
CTGS_OF_DEPARTMENT = "SELECT title FROM scheme WHERE kind = 'CTG' AND department_code = :code"
A_COMMUNE_OF_AN_EPCI_CTG = """
SELECT c.insee_code, s.title FROM scheme s JOIN commune c ON c.epci_siren = s.epci_siren
WHERE s.kind = 'CTG' AND s.scope = 'epci' ORDER BY c.insee_code LIMIT 1
"""
A_LISTED_COMMUNE_OF_A_CTG = """
SELECT l.commune_insee_code AS insee_code, s.title FROM scheme s JOIN scheme_commune l ON l.scheme_id = s.id
WHERE s.kind = 'CTG' ORDER BY l.commune_insee_code LIMIT 1
"""
# A CTG covers a commune through the commune's EPCI, its own commune list, or the whole department.
CTGS_COVERING = """
SELECT s.title FROM scheme s JOIN commune c ON c.insee_code = :code
WHERE s.kind = 'CTG' AND (
  (s.scope = 'epci' AND s.epci_siren = c.epci_siren)
  OR (s.scope = 'communes' AND EXISTS (
        SELECT FROM scheme_commune l WHERE l.scheme_id = s.id AND l.commune_insee_code = c.insee_code))
  OR (s.scope = 'department' AND s.department_code = c.department_code))
"""
CTGS_WITH_THEME = "SELECT s.title FROM scheme s JOIN ctg ON ctg.scheme_id = s.id WHERE :theme = ANY(ctg.themes)"
ACTIONS_OF_THEMES_AND_STATUSES = """
SELECT s.title, a.number FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE a.theme = ANY(:themes) AND a.status = ANY(:statuses)
"""
ACTIONS_CARRIED_BY = """
SELECT s.title, a.number FROM action a JOIN scheme s ON s.id = a.ctg_id JOIN organisation o ON o.id = a.carrier_id
WHERE o.name = :name
"""
ACTIONS_PARTNERED_BY = """
SELECT s.title, a.number FROM action a JOIN scheme s ON s.id = a.ctg_id
JOIN action_partner p ON p.action_id = a.id JOIN organisation o ON o.id = p.organisation_id
WHERE o.name = :name
"""
ORGANISATIONS_NAMED = "SELECT count(*) AS count FROM organisation WHERE name = :name"
ACTION_COUNT = "SELECT count(*) AS count FROM action"
ACTIONS_TITLED = "SELECT title FROM action WHERE title ILIKE :pattern"
ACTION_TITLES = "SELECT title FROM action ORDER BY title {direction}, id {direction}"


def _titles(connection: dict[str, Any]) -> list[str]:
    return [node["title"] for node in connection["nodes"]]


def _actions(connection: dict[str, Any]) -> set[tuple[str, int]]:
    """Actions as (CTG title, number): their natural key, the same in SQL and in the API."""
    return {(node["ctg"]["title"], node["number"]) for node in connection["nodes"]}


def _folded(text: str | None) -> str:
    """Lower case without accents, worked out here rather than by the database."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


async def _data(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await graphql(client, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


# Look-ups by natural key


async def test_a_department_by_its_code(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    (expected,) = await sql(demo_sql, DEPARTMENT_ROW, code="31")

    # when
    data = await _data(demo_http, DEPARTMENT, code="31")

    # then
    assert data["department"] == {
        "code": "31",
        "name": expected["name"],
        "zone": "METRO",
        "region": {"code": expected["region_code"], "name": expected["region_name"]},
        "caf": {"kind": "CAF", "name": expected["caf"]},
    }


async def test_a_region_by_its_code(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: the region of the Loire-Atlantique and its departments
    (department,) = await sql(demo_sql, DEPARTMENT_ROW, code="44")
    codes = [row["code"] for row in await sql(demo_sql, DEPARTMENTS_OF_REGION, code=department["region_code"])]

    # when
    data = await _data(demo_http, REGION, code=department["region_code"])

    # then
    assert data["region"] == {
        "code": department["region_code"],
        "name": department["region_name"],
        "departments": {"totalCount": len(codes), "nodes": [{"code": code} for code in codes]},
    }


async def test_an_epci_by_its_siren(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    siren = demo_organisations.TOULOUSE_METROPOLE.siren
    (expected,) = await sql(demo_sql, EPCI_ROW, siren=siren)

    # when
    data = await _data(demo_http, EPCI, siren=siren)

    # then
    assert data["epci"] == {
        "siren": siren,
        "name": expected["name"],
        "kind": expected["kind"].upper(),
        "financingMode": expected["financing_mode"],
        "population": expected["population"],
    }


async def test_a_commune_by_its_insee_code(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    code = demo_organisations.NANTES.insee_code
    (expected,) = await sql(demo_sql, COMMUNE_ROW, code=code)

    # when
    data = await _data(demo_http, COMMUNE, inseeCode=code)

    # then
    assert data["commune"] == {
        "inseeCode": code,
        "name": expected["name"],
        "population": expected["population"],
        "department": {"code": expected["department_code"]},
        "epci": {"siren": expected["epci_siren"]},
    }


async def test_an_organisation_by_its_siren(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    (expected,) = await sql(demo_sql, ORGANISATION_WITH_SIREN)

    # when
    data = await _data(demo_http, ORGANISATION, siren=expected["siren"])

    # then
    assert data["organisation"]["name"] == expected["name"]
    assert data["organisation"]["siren"] == expected["siren"]


def _luhn_completed(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole a valid Luhn number (SIREN, SIRET)."""
    for check in "0123456789":
        number = digits + check
        total = 0
        for i, digit in enumerate(reversed(number)):
            doubled = int(digit) * (2 if i % 2 else 1)
            total += doubled // 10 + doubled % 10
        if total % 10 == 0:
            return number
    raise AssertionError("one check digit always fits")


SIREN = _luhn_completed("41783126")
SIRET = _luhn_completed(SIREN + "0001")


@pytest.fixture(scope="module")
async def siret_service(new_database: DatabaseFactory, graph_issuer: LocalIssuer) -> AsyncIterator[str]:
    """The app on a database of its own holding one organisation with a SIRET, which the demo has none of."""
    url: URL = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO organisation (ref, kind, name, siren, siret) "
                    "VALUES ('test:amis', 'association', 'Les Amis du test', :siren, :siret)"
                ),
                {"siren": SIREN, "siret": SIRET},
            )
    finally:
        await engine.dispose()
    async with serve(create_app(trusting(graph_issuer), url)) as base_url:
        yield base_url


async def test_an_organisation_by_its_siret(siret_service: str, graph_issuer: LocalIssuer) -> None:
    # given a member of that organisation, who may see it
    headers = bearer(graph_issuer, "association_member", organisation="test:amis")
    async with httpx.AsyncClient(base_url=siret_service, timeout=30, headers=headers) as client:
        # when
        by_siret = await graphql(client, ORGANISATION, siret=SIRET)
        by_siren = await graphql(client, ORGANISATION, siren=SIREN)
        # A SIRET is not a SIREN: the two keys are not mixed up.
        siren_as_siret = await graphql(client, ORGANISATION, siret=SIREN)

    # then
    expected = {"kind": "ASSOCIATION", "name": "Les Amis du test", "siren": SIREN, "siret": SIRET}
    assert by_siret == {"data": {"organisation": expected}}
    assert by_siren == {"data": {"organisation": expected}}
    assert siren_as_siret == {"data": {"organisation": None}}


@pytest.mark.parametrize(
    ("keys", "argument"),
    [({}, "siren"), ({"siren": SIREN, "siret": SIRET}, "siret")],
    ids=["neither", "both"],
)
async def test_an_organisation_needs_exactly_one_of_siren_and_siret(
    demo_http: httpx.AsyncClient, keys: dict[str, str], argument: str
) -> None:
    # when
    body = await graphql(demo_http, ORGANISATION, **keys)

    # then
    assert body["data"] == {"organisation": None}
    assert_bad_input(body, argument)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (DEPARTMENT, {"code": "00"}),
        (REGION, {"code": "00"}),
        (EPCI, {"siren": "000000000"}),
        (COMMUNE, {"inseeCode": "00000"}),
        (ORGANISATION, {"siren": "000000000"}),
        (ORGANISATION, {"siret": "00000000000000"}),
    ],
    ids=["department", "region", "epci", "commune", "organisation by siren", "organisation by siret"],
)
async def test_an_unknown_key_gives_null_without_error(
    demo_http: httpx.AsyncClient, query: str, variables: dict[str, str]
) -> None:
    # when
    body = await graphql(demo_http, query, **variables)

    # then
    assert "errors" not in body, body
    assert list(body["data"].values()) == [None]


# Places


async def test_communes_of_a_department(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    (expected,) = await sql(demo_sql, COMMUNES_OF_DEPARTMENT, code="31")
    assert expected["count"] > 100

    # when
    data = await _data(demo_http, COMMUNES, filter={"department": "31"})

    # then
    assert data["communes"]["totalCount"] == expected["count"]


async def test_epcis_of_a_department(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    expected = {row["siren"] for row in await sql(demo_sql, EPCIS_OF_DEPARTMENT, code="44")}
    assert 0 < len(expected) <= 100

    # when
    data = await _data(demo_http, EPCIS, filter={"department": "44"})

    # then
    assert data["epcis"]["totalCount"] == len(expected)
    assert {node["siren"] for node in data["epcis"]["nodes"]} == expected


# Organisations


async def test_organisations_of_a_kind(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: one Caf per department, the README says; the overseas collectivities have none
    (expected,) = await sql(demo_sql, CAFS)
    assert expected["count"] == 101

    # when
    data = await _data(demo_http, ORGANISATIONS, filter={"kinds": ["CAF"]})

    # then
    assert data["organisations"]["totalCount"] == 101
    assert {node["kind"] for node in data["organisations"]["nodes"]} == {"CAF"}


# Schemes


async def test_schemes_of_a_kind(demo_http: httpx.AsyncClient) -> None:
    # when
    data = await _data(demo_http, SCHEMES, filter={"kinds": ["COG"]})

    # then: the demo's three COGs
    assert data["schemes"]["totalCount"] == 3
    assert set(_titles(data["schemes"])) == {cog.title for cog in demo_schemes.COGS}


async def test_schemes_in_force_on_a_day(demo_http: httpx.AsyncClient) -> None:
    # given
    (cog_2018,) = [cog for cog in demo_schemes.COGS if cog.ref == demo_schemes.COG_2018]

    # when
    data = await _data(demo_http, SCHEMES, filter={"activeOn": "2019-06-01", "kinds": ["COG"]})

    # then
    assert _titles(data["schemes"]) == [cog_2018.title]


async def test_schemes_expiring_before_a_day(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    expected = {row["title"] for row in await sql(demo_sql, SCHEMES_ENDING_BEFORE, day=date(2019, 1, 1))}
    assert expected

    # when
    data = await _data(demo_http, SCHEMES, filter={"expiringBefore": "2019-01-01"})
    every = await _data(demo_http, SCHEMES)

    # then
    assert set(_titles(data["schemes"])) == expected
    assert data["schemes"]["totalCount"] < every["schemes"]["totalCount"]


async def test_schemes_overlapping_a_period(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    start, end = date(2019, 1, 1), date(2019, 12, 31)
    expected = {row["title"] for row in await sql(demo_sql, SCHEMES_OVERLAPPING, start=start, end=end)}
    assert expected

    # when
    data = await _data(demo_http, SCHEMES, filter={"period": {"start": "2019-01-01", "end": "2019-12-31"}})

    # then
    assert set(_titles(data["schemes"])) == expected


@pytest.mark.parametrize("query", [SCHEMES, CTGS, ACTIONS], ids=["schemes", "ctgs", "actions"])
async def test_a_period_ending_before_it_starts_is_a_typed_error(demo_http: httpx.AsyncClient, query: str) -> None:
    # when
    body = await graphql(demo_http, query, filter={"period": {"start": "2024-01-01", "end": "2023-01-01"}})

    # then
    assert body["data"] is None
    assert_bad_input(body, "filter.period")


# CTGs


async def test_ctgs_of_a_department(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    expected = {row["title"] for row in await sql(demo_sql, CTGS_OF_DEPARTMENT, code="31")}
    assert expected

    # when
    data = await _data(demo_http, CTGS, filter={"territory": {"department": "31"}})

    # then
    assert set(_titles(data["ctgs"])) == expected


@pytest.mark.parametrize(
    "commune", [A_COMMUNE_OF_AN_EPCI_CTG, A_LISTED_COMMUNE_OF_A_CTG], ids=["through its epci", "on the list"]
)
async def test_ctgs_covering_a_commune(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, commune: str) -> None:
    # given
    (covered,) = await sql(demo_sql, commune)
    expected = {row["title"] for row in await sql(demo_sql, CTGS_COVERING, code=covered["insee_code"])}
    assert covered["title"] in expected

    # when
    data = await _data(demo_http, CTGS, filter={"territory": {"commune": covered["insee_code"]}})

    # then
    assert set(_titles(data["ctgs"])) == expected


async def test_ctgs_of_a_theme(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    expected = {row["title"] for row in await sql(demo_sql, CTGS_WITH_THEME, theme=Theme.YOUTH.value)}
    every = await _data(demo_http, CTGS)
    assert 0 < len(expected) < every["ctgs"]["totalCount"]

    # when
    data = await _data(demo_http, CTGS, filter={"themes": ["YOUTH"]})

    # then
    assert set(_titles(data["ctgs"])) == expected
    assert all("YOUTH" in node["themes"] for node in data["ctgs"]["nodes"])


# Actions


async def test_actions_of_themes_and_statuses(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    themes, statuses = [Theme.PARENTING, Theme.YOUTH], [ActionStatus.DONE, ActionStatus.IN_PROGRESS]
    rows = await sql(
        demo_sql,
        ACTIONS_OF_THEMES_AND_STATUSES,
        themes=[theme.value for theme in themes],
        statuses=[status.value for status in statuses],
    )
    expected = {(row["title"], row["number"]) for row in rows}
    assert expected

    # when
    data = await _data(
        demo_http,
        ACTIONS,
        filter={"themes": [theme.name for theme in themes], "statuses": [status.name for status in statuses]},
    )

    # then
    assert _actions(data["actions"]) == expected
    assert data["actions"]["totalCount"] == len(expected)


async def test_actions_of_a_carrier_and_of_a_partner(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: the organisation carrying the most actions, and the one partner in the most
    nodes = (await _data(demo_http, CARRIER_AND_PARTNER))["actions"]["nodes"]
    carriers = [node["carrier"] for node in nodes]
    partners = [edge["node"] for node in nodes for edge in node["partners"]["edges"]]
    carrier = max(carriers, key=carriers.count)
    partner = max(partners, key=partners.count)
    for organisation in (carrier, partner):
        (named,) = await sql(demo_sql, ORGANISATIONS_NAMED, name=organisation["name"])
        assert named["count"] == 1, "the SQL below finds the organisation by its name"
    carried = {(row["title"], row["number"]) for row in await sql(demo_sql, ACTIONS_CARRIED_BY, name=carrier["name"])}
    partnered = {
        (row["title"], row["number"]) for row in await sql(demo_sql, ACTIONS_PARTNERED_BY, name=partner["name"])
    }
    assert len(carried) > 1
    assert len(partnered) > 1

    # when
    by_carrier = await _data(demo_http, ACTIONS, filter={"carrier": carrier["id"]})
    by_partner = await _data(demo_http, ACTIONS, filter={"partner": partner["id"]})

    # then
    assert _actions(by_carrier["actions"]) == carried
    assert _actions(by_partner["actions"]) == partnered


async def test_actions_updated_since_an_instant(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    (count,) = await sql(demo_sql, ACTION_COUNT)

    # when
    future = await _data(demo_http, ACTIONS, filter={"updatedSince": "2999-01-01T00:00:00+00:00"})
    past = await _data(demo_http, ACTIONS, filter={"updatedSince": "2000-01-01T00:00:00+00:00"})

    # then
    assert future["actions"] == {"totalCount": 0, "nodes": []}
    assert past["actions"]["totalCount"] == count["count"]


async def _search(client: httpx.AsyncClient, text: str) -> dict[str, Any]:
    connection: dict[str, Any] = (await _data(client, ACTIONS, filter={"search": text}))["actions"]
    return connection


def _text_of(node: dict[str, Any]) -> str:
    return _folded(" ".join(node[field] or "" for field in ("title", "description", "objectives", "targetPublic")))


async def test_search_ignores_accents(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: the actions whose very title says "crèche"
    titled = {row["title"] for row in await sql(demo_sql, ACTIONS_TITLED, pattern="%crèche%")}
    assert titled

    # when
    without_accent = await _search(demo_http, "creche")
    with_accent = await _search(demo_http, "crèche")
    capitalised = await _search(demo_http, "CRÈCHE")

    # then
    assert titled <= set(_titles(without_accent))
    assert all("crech" in _text_of(node) for node in without_accent["nodes"])
    assert with_accent == without_accent == capitalised


async def test_search_matches_other_forms_of_a_word(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: titles with the plural "familles", and with the singular "crèche"
    plural = {row["title"] for row in await sql(demo_sql, ACTIONS_TITLED, pattern="%familles%")}
    singular = {row["title"] for row in await sql(demo_sql, ACTIONS_TITLED, pattern="%crèche %")}
    assert plural
    assert singular

    # when
    famille = await _search(demo_http, "famille")
    creches = await _search(demo_http, "crèches")

    # then
    assert plural <= set(_titles(famille))
    assert singular <= set(_titles(creches))
    assert all("famille" in _text_of(node) for node in famille["nodes"])


async def test_search_excludes_a_word(demo_http: httpx.AsyncClient) -> None:
    # given
    every = await _search(demo_http, "creche")
    expected = [node for node in every["nodes"] if "blagnac" not in _text_of(node)]
    assert 0 < len(expected) < len(every["nodes"])

    # when
    data = await _search(demo_http, "creche -blagnac")

    # then
    assert data["nodes"] == expected


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_actions_ordered_by_title(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, direction: str) -> None:
    # given
    expected = [row["title"] for row in await sql(demo_sql, ACTION_TITLES.format(direction=direction))]
    assert len(set(expected)) == len(expected) > 1

    # when
    data = await _data(demo_http, ACTIONS, orderBy={"field": "TITLE", "direction": direction})

    # then
    assert _titles(data["actions"]) == expected


async def test_descending_is_ascending_reversed(demo_http: httpx.AsyncClient) -> None:
    # when
    ascending = await _data(demo_http, ACTIONS, orderBy={"field": "TITLE", "direction": "ASC"})
    descending = await _data(demo_http, ACTIONS, orderBy={"field": "TITLE", "direction": "DESC"})

    # then
    assert _titles(descending["actions"]) == list(reversed(_titles(ascending["actions"])))
    assert _titles(ascending["actions"]) != _titles(descending["actions"])
