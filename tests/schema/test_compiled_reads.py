"""Compiled reads over HTTP: the same answers as the resolvers, for every persona, in one round trip.

The service runs in `verify` mode (tests/conftest.py): every query it compiles is answered by the
resolvers too, and a difference is a 500. These tests send queries of every shape the compiler covers,
for every persona, and check that each was answered by a compiled statement, with no difference; then
what it costs in round trips, and that what it does not cover, or what fails, is answered as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from auth.dev_personas import BY_NAME
from server.app import create_app
from server.compiled import CompiledQueries
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import as_persona, bearer, sql, trusting
from tests.schema.writing import gid, habilitated, own_demo, owner
from tests.server.test_observability import json_log_lines

__all__ = ["own_demo", "owner"]  # fixtures of this module

CTG_FIELDS = """
fragment CtgFields on Ctg {
  id __typename title kind status scope themes periodStart periodEnd updatedAt version sourceUrl
  diagnostic { date summary __typename }
  coordinator { name email organisation { name siret } }
  department { code name caf { name acronym } region { name } }
  epci { siren name kind population organisation { name } }
  parent { title kind parent { title } }
  replacedCej { title period: periodStart }
  scheme { kind ctg { title } }
  governanceBodies { totalCount nodes { position name composition meetingFrequency ctg { title } } }
}
"""

QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "ctgs with everything": (
        CTG_FIELDS
        + """
query Ctgs($first: Int) {
  ctgs(first: $first) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    edges { cursor node { ...CtgFields } }
  }
}""",
        {"first": 5},
    ),
    "actions with budgets, partners and indicators": (
        """
{
  actions(first: 30, orderBy: {field: TITLE, direction: DESC}) {
    totalCount
    nodes {
      id number title description theme status progress budget cafFunding periodStart periodEnd targetPublic
      ctg { title epci { name } }
      carrier { name kind rna website }
      partners { totalCount edges { cursor role node { name } } pageInfo { hasNextPage endCursor } }
      indicators { nodes { name unit target action { number } values { nodes { periodStart periodEnd value
          comment } } } }
      objectivesServed { nodes { position title scheme { title } actions(first: 2) { totalCount } } }
      facilities(first: 3) { totalCount edges { link node { name kind actions(first: 3) { edges { link
          node { number } } } } } }
      fundingLines(first: 5) { nodes { year type planned granted paid funder { name } } }
    }
  }
}""",
        {},
    ),
    "the caller, with its habilitations and a page of actions": (
        """
{
  viewer {
    __typename authenticated issuer subject email roles organisation cafDepartment keys
    memberships { __typename role counts }
    habilitations(first: 5) { totalCount pageInfo { hasNextPage } nodes { id issuer subject role status
        expiresAt } }
    alias: subject
  }
  actions(first: 2) { totalCount nodes { title } }
}""",
        {},
    ),
    "what was deleted since a time": (
        """
query Deleted($since: DateTime!) {
  deletedSince(since: $since, first: 5) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { __typename id typename deletedAt } } }
  last: deletedSince(since: $since, last: 2) { nodes { id } }
}""",
        {"since": "2000-01-01T00:00:00Z"},
    ),
    "pages forward, backward and empty": (
        """
query Pages($after: String, $before: String) {
  first: actions(first: 3) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
  next: actions(first: 3, after: $after) { totalCount edges { cursor node { number } } pageInfo { hasNextPage
      hasPreviousPage } }
  last: actions(last: 4) { totalCount edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage
      startCursor endCursor } }
  lastAfter: actions(last: 50, after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage
      startCursor } }
  lastBefore: actions(last: 2, before: $before) { edges { cursor } pageInfo { hasNextPage hasPreviousPage } }
  firstBefore: actions(first: 10, before: $before) { edges { cursor } pageInfo { hasNextPage } }
  none: actions(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor
      endCursor } }
  beyond: actions(first: 5, after: "Y3Vyc29yOjk5OTk") { totalCount nodes { id } pageInfo { hasNextPage
      hasPreviousPage } }
  nested: ctgs(first: 3) { nodes { actions(last: 2) { totalCount pageInfo { hasNextPage hasPreviousPage }
      edges { cursor } } } }
}""",
        {"after": "Y3Vyc29yOjI", "before": "Y3Vyc29yOjY"},
    ),
    "filters": (
        """
query Filters($department: String!, $commune: String!, $epci: String!) {
  inDepartment: actions(filter: {territory: {department: $department}, themes: [EARLY_CHILDHOOD, YOUTH]}) {
      totalCount nodes { title } }
  inCommune: ctgs(filter: {territory: {commune: $commune}}) { totalCount nodes { title } }
  inEpci: schemes(filter: {territory: {epci: $epci}, kinds: [CTG, SDSF]}, orderBy: {field: PERIOD_END,
      direction: DESC}) { nodes { title kind } }
  running: actions(filter: {activeOn: "2024-06-01", statuses: [IN_PROGRESS, VALIDATED]}) { totalCount }
  overlapping: ctgs(filter: {period: {start: "2021-01-01", end: "2022-12-31"}, themes: [PARENTING]}) { totalCount }
  searched: actions(filter: {search: "crèche"}) { totalCount nodes { title } }
  changed: organisations(filter: {updatedSince: "2000-01-01T00:00:00Z", kinds: [CAF, ASSOCIATION]}, first: 5)
      { totalCount nodes { name kind } }
  expiring: schemes(filter: {expiringBefore: "2025-01-01"}) { totalCount }
  places: communes(filter: {epci: $epci, search: "tou"}) { totalCount nodes { inseeCode name postcodes
      population department { name } epci { name } } }
  regions(filter: {search: "occ"}) { nodes { code name zone departments { totalCount } } }
  departments(filter: {region: "52"}) { nodes { code name caf { name } } }
  epcis(filter: {department: $department, kinds: [CC, METRO]}, first: 5) { totalCount nodes { siren name kind
      financingMode } }
}""",
        {"department": "31", "commune": "31555", "epci": "243100518"},
    ),
    "look-ups and nodes": (
        """
query LookUps($ids: [ID!]!, $siren: String!) {
  region(code: "76") { name departments(first: 3) { nodes { code } } }
  department(code: "44") { name region { name } schemes { totalCount nodes { title } } ctgs { totalCount }
      epcis(first: 2) { nodes { name } } }
  epci(siren: "243100518") { name departments { nodes { code } } communes(first: 3) { totalCount nodes { name
      } } ctgs { nodes { title } } }
  commune(inseeCode: "31555") { name siren ctgs { totalCount nodes { title } } }
  missing: commune(inseeCode: "00000") { name }
  organisation(siren: $siren) { name actionsCarried { totalCount } actionsPartnered { totalCount edges { role
      node { title } } } signatures { nodes { role signedOn scheme { title } } } }
  nodes(ids: $ids) { __typename id ... on Ctg { title } ... on Organisation { name } ... on Action { title
      budget } }
}""",
        {},  # filled from the database
    ),
    "node by ID with fragments and directives": (
        CTG_FIELDS
        + """
query Node($id: ID!, $withActions: Boolean!, $skipCount: Boolean!) {
  node(id: $id) {
    __typename
    ... on Node { id }
    ...CtgFields
    ... on Ctg {
      actions(first: 100) @include(if: $withActions) {
        totalCount @skip(if: $skipCount)
        nodes { title carrier { name } ... on Action { status } }
      }
      titleAgain: title
    }
  }
}""",
        {"withActions": True, "skipCount": True},
    ),
    "schemes along the chain": (
        """
{
  schemes(filter: {kinds: [COG, CPOG, SDSF, SDAVS, EDUCATION_CHARTER]}, first: 20) {
    nodes {
      kind title summary scope status periodStart
      parent { title }
      children(first: 5) { totalCount nodes { title kind ctg { themes } } }
      objectives { nodes { position title description actions { totalCount } } }
      signatures(first: 20) { totalCount nodes { role signedOn organisation { name acronym department { code } } } }
      communes(first: 2) { totalCount nodes { inseeCode } }
      ctg { title }
    }
  }
}""",
        {},
    ),
}

# Personas whose rights differ: reading nationally, in one department, as a carrier, as a local authority,
# as a co-signatory, and anonymously.
PERSONAS = [None, "association-member", "epci-coordinator", "caf-31-agent", "caf-44-manager", "cnaf-analyst"]


@dataclass
class Service:
    base_url: str
    app: Starlette
    issuer: LocalIssuer
    headers: dict[str | None, dict[str, str]] = field(default_factory=dict)

    @property
    def compiled(self) -> CompiledQueries:
        compiled: CompiledQueries = self.app.state.compiled
        return compiled


@pytest.fixture(scope="module")
async def service(demo_database: URL, graph_issuer: LocalIssuer) -> AsyncIterator[Service]:
    app = create_app(trusting(graph_issuer), demo_database)
    async with serve(app) as base_url:
        headers = {name: as_persona(graph_issuer, BY_NAME[name]) if name else {} for name in PERSONAS}
        yield Service(base_url, app, graph_issuer, headers)


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=service.base_url, timeout=60) as http:
        yield http


async def _variables(name: str, demo_sql: AsyncEngine) -> dict[str, Any]:
    variables = dict(QUERIES[name][1])
    if name == "look-ups and nodes":
        (ctg,) = await sql(demo_sql, "SELECT min(scheme_id) AS id FROM ctg")
        (carrier,) = await sql(demo_sql, "SELECT min(carrier_id) AS id FROM action")
        (action,) = await sql(demo_sql, "SELECT max(id) AS id FROM action")
        (partner,) = await sql(demo_sql, "SELECT siren FROM organisation WHERE kind = 'epci' ORDER BY id LIMIT 1")
        variables["siren"] = partner["siren"]
        variables["ids"] = [
            gid("Ctg", ctg["id"]),
            gid("Organisation", carrier["id"]),
            gid("Action", action["id"]),
            gid("Action", 987654321),  # no such action: null, in its place
            gid("Region", "76"),
        ]
    if name == "node by ID with fragments and directives":
        (busiest,) = await sql(
            demo_sql, "SELECT ctg_id AS id FROM action GROUP BY ctg_id ORDER BY count(*) DESC, ctg_id LIMIT 1"
        )
        variables["id"] = gid("Ctg", busiest["id"])
    return variables


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text[:2000]
    return response.json()


@pytest.mark.parametrize("persona", PERSONAS, ids=[name or "anonymous" for name in PERSONAS])
@pytest.mark.parametrize("name", list(QUERIES))
async def test_every_shape_of_query_is_compiled_and_answers_as_the_resolvers_do(
    service: Service, client: httpx.AsyncClient, demo_sql: AsyncEngine, name: str, persona: str | None
) -> None:
    # given a query of one shape, as one persona
    query = QUERIES[name][0]
    variables = await _variables(name, demo_sql)
    answered = service.compiled.answered

    # when it is sent
    body = await _post(client, query, variables, service.headers[persona])

    # then a compiled statement answered it, with the resolvers' very answer (verify mode: else a 500)
    assert service.compiled.answered == answered + 1
    assert "errors" not in body, body
    assert body["data"]


async def test_the_answers_are_not_empty_for_a_national_reader(
    service: Service, client: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # the differential test above is only as good as what it compares: the national reader sees rows
    body = await _post(client, *QUERIES["ctgs with everything"], service.headers["cnaf-analyst"])
    ctgs = body["data"]["ctgs"]
    (count,) = await sql(demo_sql, "SELECT count(*) AS n FROM ctg")
    assert ctgs["totalCount"] == count["n"] > 5
    assert len(ctgs["edges"]) == 5
    assert ctgs["pageInfo"]["hasNextPage"] is True
    actions = (await _post(client, *QUERIES["actions with budgets, partners and indicators"], {}))["data"]
    assert actions["actions"]["nodes"] == []  # anonymous callers see no action


BUDGETS = "{ actions(first: 100) { nodes { number budget cafFunding carrier { name } } } }"


async def test_budgets_show_only_to_those_the_policy_lets_see_them(service: Service, client: httpx.AsyncClient) -> None:
    # given the carrier's member and the Caf of the department, reading the same actions
    member = (await _post(client, BUDGETS, {}, service.headers["association-member"]))["data"]
    caf = (await _post(client, BUDGETS, {}, service.headers["caf-31-agent"]))["data"]

    # then the Caf sees every budget, the member only those of the actions its association carries
    assert all(node["budget"] is not None for node in caf["actions"]["nodes"])
    carried = {node["carrier"]["name"] for node in member["actions"]["nodes"] if node["budget"] is not None}
    hidden = [node for node in member["actions"]["nodes"] if node["budget"] is None]
    assert carried == {"Parents ensemble 31"}
    assert hidden, "the member also partners actions it does not carry"


QUERY_A = """
query A($first: Int!) {
  ctgs(first: $first) { edges { node { title epci { name } signatures(first: 100) { nodes { organisation {
      name } } }
    actions(first: 100) { nodes { title theme status carrier { name } } } } } }
}
"""


async def test_a_repeated_read_costs_one_round_trip_whatever_the_page_size(
    demo_database: URL, graph_issuer: LocalIssuer
) -> None:
    # given the service answering compiled reads for real (not verifying them against the resolvers)
    app = create_app(trusting(graph_issuer).model_copy(update={"compiled_reads": "on"}), demo_database)
    headers = bearer(graph_issuer, "cnaf_analyst", organisation="cnaf", sub="round-trips")
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        with json_log_lines() as lines:
            # when the same caller asks for pages of growing size
            for first in (1, 2, 8, 1, 8):
                body = await _post(client, QUERY_A, {"first": first}, headers)
                assert len(body["data"]["ctgs"]["edges"]) == first
    costs = [line["sql_statements"] for line in lines if line.get("operation") == "A"]

    # then the first read also looked the caller up and set its scope on a connection; every later one is one
    # statement carrying both the data and the caller's memberships, however many rows it returns
    assert costs[0] == 3  # look-up, scope set on the connection, data
    assert costs[1:] == [1, 1, 1, 1]
    assert app.state.compiled.answered == 5


async def test_a_compiled_viewer_is_each_callers_own_in_the_same_scope(
    demo_database: URL, graph_issuer: LocalIssuer
) -> None:
    # given the service answering compiled reads for real, and two tokens of one identity that differ only by the
    # e-mail address they give (the same scope: the same subject, the same keys)
    app = create_app(trusting(graph_issuer).model_copy(update={"compiled_reads": "on"}), demo_database)
    query = "query Me($first: Int) { viewer { subject email } actions(first: $first) { totalCount } }"
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        # when each asks the same query with the same variables, twice
        seen = [
            await _post(
                client,
                query,
                {"first": 1},
                bearer(graph_issuer, "caf_agent", organisation="caf:31", sub="agent", email=f"{who}@caf31.example"),
            )
            for who in ("a", "b", "a", "b")
        ]

    # then each is told what its own token says, every time, from compiled statements
    assert [body["data"]["viewer"]["email"] for body in seen] == [f"{who}@caf31.example" for who in "abab"]
    assert app.state.compiled.answered == 4


async def test_what_the_compiler_does_not_cover_is_answered_by_the_resolvers(
    service: Service, client: httpx.AsyncClient
) -> None:
    answered, declined = service.compiled.answered, service.compiled.declined
    headers = service.headers["cnaf-analyst"]

    viewer = await _post(client, "{ viewer { memberships { organisation { name } } } }", {}, headers)
    too_large = await _post(client, "{ actions(first: 500) { totalCount } }", {}, headers)
    bad_id = await _post(client, 'query { node(id: "bm9wZQ") { id } }', {}, headers)
    invalid = await _post(client, "{ actions { nope } }", {}, headers)

    assert viewer["data"]["viewer"]["memberships"] == [
        {"organisation": {"name": "Caisse nationale des Allocations familiales"}}
    ]
    assert too_large["errors"][0]["extensions"]["argument"] == "first"
    assert bad_id["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "nope" in invalid["errors"][0]["message"]
    assert service.compiled.answered == answered
    # the invalid document never reaches the compiler: validation refuses it first
    assert service.compiled.declined == declined + 3


# What changes the database gets a database of its own (own_demo and owner: tests/schema/writing.py).


@pytest.fixture(scope="module")
async def writable_service(own_demo: URL, graph_issuer: LocalIssuer) -> AsyncIterator[Service]:
    app = create_app(trusting(graph_issuer), own_demo)
    async with serve(app) as base_url:
        yield Service(base_url, app, graph_issuer)


async def test_a_revoked_habilitation_no_longer_counts_on_the_next_read(
    writable_service: Service, owner: AsyncEngine
) -> None:
    # given an identity whose only right is a habilitation in a carrying association
    headers = {"authorization": await habilitated(owner, writable_service.issuer, "habilitated")}
    query = "{ actions { totalCount } }"
    async with httpx.AsyncClient(base_url=writable_service.base_url, timeout=30) as client:
        before = (await _post(client, query, {}, headers))["data"]["actions"]["totalCount"]
        answered = writable_service.compiled.answered

        # when the habilitation is revoked between two reads of the same token
        async with owner.begin() as connection:
            await connection.execute(text("UPDATE habilitation SET status = 'revoked' WHERE subject = 'habilitated'"))
        after = (await _post(client, query, {}, headers))["data"]["actions"]["totalCount"]

    # then the second read, compiled too, sees what a caller without rights sees
    assert before > 0
    assert after == 0
    assert writable_service.compiled.answered == answered + 1


async def test_a_habilitation_that_expires_no_longer_counts_though_nothing_was_written(
    writable_service: Service, owner: AsyncEngine
) -> None:
    # given an identity whose only right is a habilitation in a carrying association, expiring in two seconds
    headers = {
        "authorization": await habilitated(owner, writable_service.issuer, "expiring", expires_in=timedelta(seconds=2))
    }
    query = "{ actions { totalCount } }"
    async with httpx.AsyncClient(base_url=writable_service.base_url, timeout=30) as client:
        before = (await _post(client, query, {}, headers))["data"]["actions"]["totalCount"]
        (generation,) = await sql(owner, "SELECT generation FROM access_generation")
        answered = writable_service.compiled.answered

        # when it expires, with no write in between
        await asyncio.sleep(2.5)
        after = (await _post(client, query, {}, headers))["data"]["actions"]["totalCount"]

    # then the next read, compiled too, sees what a caller without rights sees
    assert before > 0
    assert after == 0
    assert writable_service.compiled.answered == answered + 1
    assert await sql(owner, "SELECT generation FROM access_generation") == [generation]


async def test_a_required_row_the_caller_cannot_see_is_left_to_the_resolvers(
    writable_service: Service, owner: AsyncEngine
) -> None:
    # given an action whose carrier has been archived (so that `carrier`, non-null, has no visible row)
    (action,) = await sql(owner, "SELECT id, carrier_id FROM action ORDER BY id LIMIT 1")
    async with owner.begin() as connection:
        await connection.execute(
            text("UPDATE organisation SET archived_at = now() WHERE id = :id"), {"id": action["carrier_id"]}
        )
    headers = bearer(writable_service.issuer, "cnaf_analyst", organisation="cnaf")
    query = "query ($id: ID!) { node(id: $id) { ... on Action { title carrier { name } } } }"
    declined = writable_service.compiled.declined
    async with httpx.AsyncClient(base_url=writable_service.base_url, timeout=30) as client:
        # when it is read with its carrier
        body = await _post(client, query, {"id": gid("Action", action["id"])}, headers)

    # then the resolvers answered, with their error for that field, and no compiled JSON null
    assert writable_service.compiled.declined == declined + 1
    assert body["data"] == {"node": None}
    assert body["errors"][0]["path"] == ["node", "carrier"]
