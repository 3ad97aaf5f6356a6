"""Edges of the graph over HTTP, followed both ways and checked against SQL or the demo's own modules."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import ctgs as demo_ctgs
from db.demo import organisations as demo_organisations
from db.demo import schemes as demo_schemes
from db.demo.records import Ctg as DemoCtg
from db.demo.records import Scheme as DemoScheme
from db.models.enums import SchemeScope
from tests.schema.conftest import graphql, sql

TERRITORY_TREE = """
query Tree($code: String!) {
  department(code: $code) {
    communes(first: 1) { totalCount }
    epcis(first: 100) {
      totalCount
      nodes {
        siren
        departments(first: 100) { nodes { code } }
        communes(first: 100) { totalCount nodes { inseeCode epci { siren } department { code } } }
      }
    }
  }
}
"""

COVERED_TERRITORIES = """
query Covered($commune: String!, $epci: String!, $department: String!) {
  commune(inseeCode: $commune) { ctgs(first: 100) { totalCount nodes { title } } }
  epci(siren: $epci) { ctgs(first: 100) { totalCount nodes { title } } }
  department(code: $department) {
    ctgs(first: 100) { totalCount nodes { title } }
    schemes(first: 100) { totalCount nodes { kind title } }
  }
}
"""

CAF_SIGNATURES = """
query CafSignatures($code: String!) {
  department(code: $code) {
    caf { id signatures(first: 100) { totalCount nodes { role signedOn scheme { title } organisation { id } } } }
  }
}
"""

ACTIONS_AND_ORGANISATIONS = """
{
  actions(first: 100) {
    nodes {
      id number ctg { title }
      carrier { id name actionsCarried(first: 100) { totalCount nodes { id carrier { id } } } }
      partners(first: 100) {
        totalCount
        edges {
          role
          node { id name actionsPartnered(first: 100) { totalCount edges { role node { id } } } }
        }
      }
    }
  }
}
"""

SCHEME_CHAIN = """
{
  schemes(first: 100) {
    totalCount
    nodes {
      kind title
      parent { title }
      children(first: 100) { totalCount nodes { title } }
      objectives(first: 100) { totalCount nodes { position title scheme { title } } }
    }
  }
}
"""

SCHEME_SIGNATURES = """
query Signatures($kinds: [SchemeKind!]) {
  schemes(filter: {kinds: $kinds}, first: 100) {
    nodes { title signatures(first: 100) { totalCount nodes { role signedOn organisation { name } scheme { title } } } }
  }
}
"""

CTG_EDGES = """
{
  ctgs(first: 100) {
    nodes {
      title
      scope
      epci { siren }
      communes(first: 100) { totalCount nodes { inseeCode } }
      themes
      diagnostic { date summary }
      coordinator { name email organisation { kind epci { siren } commune { inseeCode } } }
      governanceBodies(first: 100) { totalCount nodes { position name composition meetingFrequency ctg { title } } }
      replacedCej { kind title }
      actions(first: 100) { totalCount nodes { number ctg { title } } }
      scheme { title parent { title } }
    }
  }
}
"""

ACTION_EDGES = """
{
  actions(first: 100) {
    totalCount
    nodes {
      id number ctg { title }
      indicators(first: 100) {
        nodes {
          name unit target action { id }
          values(first: 100) { nodes { periodStart periodEnd value } }
        }
      }
      objectivesServed(first: 100) {
        nodes { position scheme { title } actions(first: 100) { nodes { id } } }
      }
    }
  }
}
"""

# The SQL below reads the tables directly, without the mapping or the filters the API is built on.

EPCIS_OF_DEPARTMENT = "SELECT DISTINCT epci_siren FROM commune WHERE department_code = :code AND epci_siren IS NOT NULL"
COMMUNES_OF_DEPARTMENT = "SELECT count(*) AS count FROM commune WHERE department_code = :code"
MEMBERS = """
SELECT c.epci_siren, c.insee_code, c.department_code FROM commune c
WHERE c.epci_siren IN (SELECT epci_siren FROM commune WHERE department_code = :code)
"""
A_COMMUNE_OF = "SELECT insee_code FROM commune WHERE epci_siren = :siren ORDER BY insee_code LIMIT 1"
# A CTG covers a commune through the commune's EPCI, its own commune list, or the whole department.
CTGS_COVERING = """
SELECT s.title FROM scheme s JOIN commune c ON c.insee_code = :code
WHERE s.kind = 'CTG' AND (
  (s.scope = 'epci' AND s.epci_siren = c.epci_siren)
  OR (s.scope = 'communes' AND EXISTS (
        SELECT FROM scheme_commune l WHERE l.scheme_id = s.id AND l.commune_insee_code = c.insee_code))
  OR (s.scope = 'department' AND s.department_code = c.department_code))
"""
CTGS_OF_EPCI = "SELECT title FROM scheme WHERE kind = 'CTG' AND epci_siren = :siren"
SCHEMES_OF_DEPARTMENT = "SELECT kind, title FROM scheme WHERE department_code = :code"
SIGNATURES_OF_CAF = """
SELECT s.title, g.role, g.signed_on FROM signature g
JOIN scheme s ON s.id = g.scheme_id JOIN organisation o ON o.id = g.organisation_id
WHERE o.kind = 'caf' AND o.department_code = :code
"""
CARRIED = """
SELECT o.name, count(*) AS count FROM action a JOIN organisation o ON o.id = a.carrier_id GROUP BY o.name
"""
PARTNERSHIPS = """
SELECT o.name, s.title, a.number, p.role FROM action_partner p
JOIN organisation o ON o.id = p.organisation_id JOIN action a ON a.id = p.action_id JOIN scheme s ON s.id = a.ctg_id
"""
PARTNERED = """
SELECT o.name, count(*) AS count FROM action_partner p JOIN organisation o ON o.id = p.organisation_id GROUP BY o.name
"""
DUPLICATE_ORGANISATION_NAMES = "SELECT name FROM organisation GROUP BY name HAVING count(*) > 1"
PARENTS = "SELECT s.title, p.title AS parent FROM scheme s LEFT JOIN scheme p ON p.id = s.parent_id"
OBJECTIVES = """
SELECT s.title AS scheme, o.position, o.title FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
ORDER BY s.title, o.position
"""
SIGNATURES_OF_SCHEME = """
SELECT o.name, g.role, g.signed_on FROM signature g
JOIN scheme s ON s.id = g.scheme_id JOIN organisation o ON o.id = g.organisation_id
WHERE s.title = :title
"""
MEMBER_COUNT = "SELECT count(*) AS count FROM commune WHERE epci_siren = :siren"
ACTION_NUMBERS = """
SELECT a.number FROM action a JOIN scheme s ON s.id = a.ctg_id WHERE s.title = :title ORDER BY a.number
"""
INDICATORS = """
SELECT s.title, a.number, i.name, i.unit, i.target,
       coalesce(array_agg(v.period_start ORDER BY v.period_start) FILTER (WHERE v.id IS NOT NULL), '{}') AS starts,
       coalesce(array_agg(v.value ORDER BY v.period_start) FILTER (WHERE v.id IS NOT NULL), '{}') AS readings
FROM indicator i JOIN action a ON a.id = i.action_id JOIN scheme s ON s.id = a.ctg_id
LEFT JOIN indicator_value v ON v.indicator_id = i.id
GROUP BY s.title, a.number, i.id, i.name, i.unit, i.target
ORDER BY s.title, a.number, i.name, i.id
"""
OBJECTIVES_SERVED = """
SELECT s.title, a.number, os.title AS scheme, o.position FROM action_objective ao
JOIN action a ON a.id = ao.action_id JOIN scheme s ON s.id = a.ctg_id
JOIN scheme_objective o ON o.id = ao.objective_id JOIN scheme os ON os.id = o.scheme_id
"""
ACTION_COUNT = "SELECT count(*) AS count FROM action"


async def _data(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await graphql(client, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _titles(connection: dict[str, Any]) -> set[str]:
    return {node["title"] for node in connection["nodes"]}


def _demo_scheme(ref: str) -> DemoScheme:
    (found,) = [
        scheme for scheme in (*demo_schemes.COGS, *demo_schemes.DEPARTMENTAL, *demo_schemes.CEJS) if scheme.ref == ref
    ]
    return found


# Territories


@pytest.mark.parametrize("code", ["31", "44"])
async def test_department_epcis_communes_and_back(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, code: str
) -> None:
    # given
    epcis = {row["epci_siren"] for row in await sql(demo_sql, EPCIS_OF_DEPARTMENT, code=code)}
    (communes,) = await sql(demo_sql, COMMUNES_OF_DEPARTMENT, code=code)
    members: dict[str, dict[str, str]] = defaultdict(dict)
    for row in await sql(demo_sql, MEMBERS, code=code):
        members[row["epci_siren"]][row["insee_code"]] = row["department_code"]
    # Some EPCIs straddle departments: their communes elsewhere must come too, with their own department.
    assert any(set(listed.values()) != {code} for listed in members.values())

    # when
    department = (await _data(demo_http, TERRITORY_TREE, code=code))["department"]

    # then
    assert department["communes"]["totalCount"] == communes["count"]
    assert department["epcis"]["totalCount"] == len(epcis)
    assert {epci["siren"] for epci in department["epcis"]["nodes"]} == epcis
    for epci in department["epcis"]["nodes"]:
        expected = members[epci["siren"]]
        assert {node["code"] for node in epci["departments"]["nodes"]} == set(expected.values())
        assert epci["communes"]["totalCount"] == len(expected)
        # A page holds at most 100 communes; a few EPCIs have more.
        page = {commune["inseeCode"]: commune["department"]["code"] for commune in epci["communes"]["nodes"]}
        assert len(page) == min(100, len(expected))
        assert page.items() <= expected.items()
        assert {commune["epci"]["siren"] for commune in epci["communes"]["nodes"]} == {epci["siren"]}


@pytest.mark.parametrize(
    ("epci", "department"),
    [
        (demo_organisations.TOULOUSE_METROPOLE.siren, "31"),
        (demo_organisations.SICOVAL.siren, "31"),
        (demo_organisations.CARENE.siren, "44"),
    ],
    ids=["toulouse metropole", "sicoval", "carene"],
)
async def test_territories_lead_to_the_ctgs_covering_them(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, epci: str, department: str
) -> None:
    # given
    (commune,) = await sql(demo_sql, A_COMMUNE_OF, siren=epci)
    covering = {row["title"] for row in await sql(demo_sql, CTGS_COVERING, code=commune["insee_code"])}
    of_epci = {row["title"] for row in await sql(demo_sql, CTGS_OF_EPCI, siren=epci)}
    schemes = {(row["kind"], row["title"]) for row in await sql(demo_sql, SCHEMES_OF_DEPARTMENT, code=department)}
    of_department = {title for kind, title in schemes if kind == "CTG"}
    assert covering
    assert of_epci
    assert of_department > of_epci

    # when
    data = await _data(demo_http, COVERED_TERRITORIES, commune=commune["insee_code"], epci=epci, department=department)

    # then
    assert _titles(data["commune"]["ctgs"]) == covering
    assert _titles(data["epci"]["ctgs"]) == of_epci
    assert _titles(data["department"]["ctgs"]) == of_department
    assert data["department"]["ctgs"]["totalCount"] == len(of_department)
    listed = data["department"]["schemes"]
    assert {(node["kind"], node["title"]) for node in listed["nodes"]} == schemes
    assert "COG" not in {node["kind"] for node in listed["nodes"]}


async def test_a_commune_on_a_ctg_list_and_its_epci_lead_to_it(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given: a commune of the demo CTG signed on a list of communes rather than on an EPCI
    (listed,) = [ctg for ctg in demo_ctgs.CTGS if ctg.scheme.scope is SchemeScope.COMMUNES]
    code = listed.scheme.communes[0]
    covering = {row["title"] for row in await sql(demo_sql, CTGS_COVERING, code=code)}
    assert listed.scheme.title in covering
    (epci,) = await sql(demo_sql, "SELECT epci_siren FROM commune WHERE insee_code = :code", code=code)

    # when
    data = await _data(demo_http, COVERED_TERRITORIES, commune=code, epci=epci["epci_siren"], department="31")

    # then
    assert _titles(data["commune"]["ctgs"]) == covering
    # The CTG covers some of the EPCI's communes: the EPCI leads to it too.
    assert listed.scheme.title in _titles(data["epci"]["ctgs"])


# Organisations


async def test_a_caf_leads_to_its_signatures(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given
    rows = await sql(demo_sql, SIGNATURES_OF_CAF, code="44")
    expected = {(row["title"], row["role"], row["signed_on"] and row["signed_on"].isoformat()) for row in rows}
    assert len(expected) > 3

    # when
    caf = (await _data(demo_http, CAF_SIGNATURES, code="44"))["department"]["caf"]

    # then
    signatures = caf["signatures"]
    assert signatures["totalCount"] == len(expected)
    assert {(node["scheme"]["title"], node["role"], node["signedOn"]) for node in signatures["nodes"]} == expected
    assert {node["organisation"]["id"] for node in signatures["nodes"]} == {caf["id"]}


async def test_organisations_lead_to_the_actions_they_carry_and_back(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    assert await sql(demo_sql, DUPLICATE_ORGANISATION_NAMES) == [], "the SQL here tells organisations by name"
    carried = {row["name"]: row["count"] for row in await sql(demo_sql, CARRIED)}

    # when
    actions = (await _data(demo_http, ACTIONS_AND_ORGANISATIONS))["actions"]["nodes"]

    # then
    assert {action["carrier"]["name"] for action in actions} == set(carried)
    for action in actions:
        carrier = action["carrier"]
        assert carrier["actionsCarried"]["totalCount"] == carried[carrier["name"]]
        assert action["id"] in {node["id"] for node in carrier["actionsCarried"]["nodes"]}
        assert {node["carrier"]["id"] for node in carrier["actionsCarried"]["nodes"]} == {carrier["id"]}


async def test_organisations_lead_to_the_actions_they_are_partners_of_with_their_role(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    partnerships = {
        (row["name"], row["title"], row["number"], row["role"]) for row in await sql(demo_sql, PARTNERSHIPS)
    }
    partnered = {row["name"]: row["count"] for row in await sql(demo_sql, PARTNERED)}
    assert any(count > 1 for count in partnered.values())

    # when
    actions = (await _data(demo_http, ACTIONS_AND_ORGANISATIONS))["actions"]["nodes"]

    # then: action → partners, with roles
    assert {
        (edge["node"]["name"], action["ctg"]["title"], action["number"], edge["role"])
        for action in actions
        for edge in action["partners"]["edges"]
    } == partnerships
    # and back: partner → actionsPartnered, with the same role
    for action in actions:
        assert action["partners"]["totalCount"] == len(action["partners"]["edges"])
        for edge in action["partners"]["edges"]:
            partner = edge["node"]
            assert partner["actionsPartnered"]["totalCount"] == partnered[partner["name"]]
            back = {item["node"]["id"]: item["role"] for item in partner["actionsPartnered"]["edges"]}
            assert back[action["id"]] == edge["role"]


# Schemes


async def test_schemes_lead_to_their_parent_children_and_objectives(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    parents = {row["title"]: row["parent"] for row in await sql(demo_sql, PARENTS)}
    children: dict[str, set[str]] = defaultdict(set)
    for title, parent in parents.items():
        if parent is not None:
            children[parent].add(title)
    objectives: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in await sql(demo_sql, OBJECTIVES):
        objectives[row["scheme"]].append((row["position"], row["title"]))

    # when
    schemes = (await _data(demo_http, SCHEME_CHAIN))["schemes"]

    # then
    assert schemes["totalCount"] == len(parents) <= 100
    for scheme in schemes["nodes"]:
        title = scheme["title"]
        assert (scheme["parent"] or {}).get("title") == parents[title], title
        assert _titles(scheme["children"]) == children[title], title
        assert scheme["children"]["totalCount"] == len(children[title])
        listed = [(node["position"], node["title"]) for node in scheme["objectives"]["nodes"]]
        assert listed == objectives[title], title
        assert {node["scheme"]["title"] for node in scheme["objectives"]["nodes"]} <= {title}


async def test_the_chain_from_a_cog_down_to_the_ctgs(demo_http: httpx.AsyncClient) -> None:
    # given: COG 2018-2022 → SDSF 44 → the CTGs of Loire-Atlantique it frames, as the demo modules chain them
    cog = _demo_scheme(demo_schemes.COG_2018)
    sdsf = _demo_scheme(demo_schemes.SDSF_44)
    ctgs = {ctg.scheme.title for ctg in demo_ctgs.LOIRE_ATLANTIQUE if ctg.scheme.parent == demo_schemes.SDSF_44}
    assert ctgs

    # when
    schemes = {node["title"]: node for node in (await _data(demo_http, SCHEME_CHAIN))["schemes"]["nodes"]}

    # then
    assert schemes[cog.title]["parent"] is None
    assert sdsf.title in _titles(schemes[cog.title]["children"])
    assert schemes[sdsf.title]["parent"] == {"title": cog.title}
    assert _titles(schemes[sdsf.title]["children"]) == ctgs
    assert all(schemes[title]["parent"] == {"title": sdsf.title} for title in ctgs)
    assert [(node["position"], node["title"]) for node in schemes[cog.title]["objectives"]["nodes"]] == [
        (position, objective.title) for position, objective in enumerate(cog.objectives, start=1)
    ]


async def test_the_sdavs_44_signatures(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: nine signatories on 8 February 2017, as the demo module and its source say
    sdavs = _demo_scheme(demo_schemes.SDAVS_44)
    expected = await sql(demo_sql, SIGNATURES_OF_SCHEME, title=sdavs.title)
    assert len(sdavs.signatories) == len(expected) == 9

    # when
    (scheme,) = [
        node
        for node in (await _data(demo_http, SCHEME_SIGNATURES, kinds=["SDAVS"]))["schemes"]["nodes"]
        if node["title"] == sdavs.title
    ]

    # then
    signatures = scheme["signatures"]
    assert signatures["totalCount"] == 9
    assert {node["signedOn"] for node in signatures["nodes"]} == {"2017-02-08"}
    assert {node["role"] for node in signatures["nodes"]} == {signatory.role for signatory in sdavs.signatories}
    assert sorted(node["organisation"]["name"] for node in signatures["nodes"]) == sorted(
        row["name"] for row in expected
    )
    assert {node["scheme"]["title"] for node in signatures["nodes"]} == {sdavs.title}


# CTGs


@pytest.mark.parametrize("demo", demo_ctgs.CTGS, ids=[ctg.scheme.ref for ctg in demo_ctgs.CTGS])
async def test_a_ctg_leads_to_its_territory_plan_and_governance(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine, demo: DemoCtg
) -> None:
    # given
    scheme = demo.scheme
    numbers = [row["number"] for row in await sql(demo_sql, ACTION_NUMBERS, title=scheme.title)]
    assert numbers
    if scheme.epci_siren:
        (members,) = await sql(demo_sql, MEMBER_COUNT, siren=scheme.epci_siren)
        communes = members["count"]
    else:
        communes = len(scheme.communes)
    assert communes > 0

    # when
    (ctg,) = [node for node in (await _data(demo_http, CTG_EDGES))["ctgs"]["nodes"] if node["title"] == scheme.title]

    # then
    assert ctg["epci"] == ({"siren": scheme.epci_siren} if scheme.epci_siren else None)
    assert ctg["communes"]["totalCount"] == communes
    if not scheme.epci_siren:
        assert {node["inseeCode"] for node in ctg["communes"]["nodes"]} == set(scheme.communes)
    assert ctg["themes"] == [theme.name for theme in demo.themes]
    assert ctg["diagnostic"] == {
        "date": demo.diagnostic_date.isoformat() if demo.diagnostic_date else None,
        "summary": demo.diagnostic_summary,
    }
    coordinator = ctg["coordinator"]
    assert (coordinator["name"], coordinator["email"]) == (demo.coordinator_name, demo.coordinator_email)
    kind, _, key = demo.coordinator.partition(":")
    if kind == "epci":
        assert coordinator["organisation"] == {"kind": "EPCI", "epci": {"siren": key}, "commune": None}
    else:
        assert coordinator["organisation"] == {"kind": "COMMUNE", "epci": None, "commune": {"inseeCode": key}}
    assert [
        (node["position"], node["name"], node["composition"], node["meetingFrequency"])
        for node in ctg["governanceBodies"]["nodes"]
    ] == [
        (position, body.name, body.composition, body.meeting_frequency)
        for position, body in enumerate(demo.governance, start=1)
    ]
    assert {node["ctg"]["title"] for node in ctg["governanceBodies"]["nodes"]} == {scheme.title}
    if demo.replaces:
        assert ctg["replacedCej"] == {"kind": "CEJ", "title": _demo_scheme(demo.replaces).title}
    else:
        assert ctg["replacedCej"] is None
    assert [node["number"] for node in ctg["actions"]["nodes"]] == numbers
    assert ctg["actions"]["totalCount"] == len(numbers)
    assert {node["ctg"]["title"] for node in ctg["actions"]["nodes"]} == {scheme.title}
    assert ctg["scheme"] == {"title": scheme.title, "parent": {"title": _demo_scheme(scheme.parent or "").title}}


async def test_some_demo_ctg_replaces_a_cej(demo_http: httpx.AsyncClient) -> None:
    # The CTG parametrized test above would pass vacuously on this edge without one.
    replacing = [ctg for ctg in demo_ctgs.CTGS if ctg.replaces]

    nodes = (await _data(demo_http, CTG_EDGES))["ctgs"]["nodes"]

    assert replacing
    assert {node["title"] for node in nodes if node["replacedCej"]} == {ctg.scheme.title for ctg in replacing}


CEJS = """
{
  schemes(filter: {kinds: [CEJ]}, first: 100) { nodes { title status supersededBy { __typename title kind } } }
}
"""


async def test_a_cej_leads_to_the_ctg_that_replaced_it(demo_http: httpx.AsyncClient) -> None:
    # given the CTGs that replaced a CEJ, superseded (the Sicoval's) or expired (the CARENE's)
    replaced = {_demo_scheme(ctg.replaces).title: ctg.scheme.title for ctg in demo_ctgs.CTGS if ctg.replaces}

    # when
    cejs = (await _data(demo_http, CEJS))["schemes"]["nodes"]

    # then each CEJ's successor is that CTG, whatever its status
    assert {node["status"] for node in cejs if node["title"] in replaced} == {"SUPERSEDED", "EXPIRED"}
    assert {
        node["title"]: node["supersededBy"]["title"] for node in cejs if node["supersededBy"] is not None
    } == replaced
    assert {node["supersededBy"]["kind"] for node in cejs if node["supersededBy"]} == {"CTG"}


# Actions


async def test_actions_lead_to_their_indicators_values_and_objectives(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    (count,) = await sql(demo_sql, ACTION_COUNT)
    indicators: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
    for row in await sql(demo_sql, INDICATORS):
        readings = [(start.isoformat(), value) for start, value in zip(row["starts"], row["readings"], strict=True)]
        indicators[row["title"], row["number"]].append((row["name"], row["unit"], row["target"], readings))
    served: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for row in await sql(demo_sql, OBJECTIVES_SERVED):
        served[row["title"], row["number"]].add((row["scheme"], row["position"]))
    assert any(len(values[3]) > 1 for listed in indicators.values() for values in listed)
    # Some actions serve an objective of another scheme than their own CTG (a stake of the SDAVS 31).
    assert any(scheme != ctg for (ctg, _), objectives in served.items() for scheme, _ in objectives)

    # when
    actions = (await _data(demo_http, ACTION_EDGES))["actions"]

    # then
    assert actions["totalCount"] == count["count"] <= 100
    for action in actions["nodes"]:
        key = (action["ctg"]["title"], action["number"])
        listed = [
            (
                indicator["name"],
                indicator["unit"],
                None if indicator["target"] is None else Decimal(indicator["target"]),
                [(value["periodStart"], Decimal(value["value"])) for value in indicator["values"]["nodes"]],
            )
            for indicator in action["indicators"]["nodes"]
        ]
        assert listed == indicators[key], key
        assert {indicator["action"]["id"] for indicator in action["indicators"]["nodes"]} <= {action["id"]}
        objectives = action["objectivesServed"]["nodes"]
        assert {(node["scheme"]["title"], node["position"]) for node in objectives} == served[key], key
        # and back: each objective lists the action among those serving it
        assert all(action["id"] in {item["id"] for item in node["actions"]["nodes"]} for node in objectives)
