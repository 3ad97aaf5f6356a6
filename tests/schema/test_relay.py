"""Relay over HTTP: global IDs fetched back through `node` and `nodes`, typed errors, cursor pagination."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.schema.conftest import ACCESS_STATEMENTS, assert_bad_input, graphql, sql

# The fields each node type is compared on, once read from a list and once fetched back by ID. Fields of
# one name but different types on two node types take an alias, as GraphQL requires.
FIELDS = """
fragment Fields on Node {
  __typename
  id
  ... on Region { code name zone }
  ... on Department { code name zone region { id } }
  ... on Epci { siren name epciKind: kind population }
  ... on Commune { inseeCode name postcodes communePopulation: population }
  ... on Organisation { organisationKind: kind name acronym organisationSiren: siren rna }
  ... on Scheme { schemeKind: kind title periodStart periodEnd status scope }
  ... on Ctg { schemeKind: kind title themes periodStart coordinator { name email } }
  ... on SchemeObjective { position title scheme { id } }
  ... on Signature { role signedOn organisation { id } scheme { id } }
  ... on GovernanceBody { position name meetingFrequency ctg { id } }
  ... on Action { number title actionStatus: status theme budget ctg { id } }
  ... on Indicator { name unit target action { id } }
  ... on IndicatorValue { periodStart valueEnd: periodEnd value comment }
}
"""

REGIONS = "{ regions(first: 3) { nodes { ...Fields } } }" + FIELDS
DEPARTMENTS = '{ departments(first: 3, filter: {region: "76"}) { nodes { ...Fields } } }' + FIELDS
EPCIS = '{ epcis(first: 3, filter: {department: "31"}) { nodes { ...Fields } } }' + FIELDS
COMMUNES = '{ communes(first: 3, filter: {department: "44"}) { nodes { ...Fields } } }' + FIELDS
ORGANISATIONS = "{ organisations(first: 3, filter: {kinds: [ASSOCIATION, COMMUNE]}) { nodes { ...Fields } } }" + FIELDS
SCHEMES = "{ schemes(first: 3) { nodes { ...Fields } } }" + FIELDS
CTGS = "{ ctgs(first: 3) { nodes { ...Fields } } }" + FIELDS
OBJECTIVES = "{ ctgs(first: 1) { nodes { objectives(first: 3) { nodes { ...Fields } } } } }" + FIELDS
SIGNATURES = "{ ctgs(first: 1) { nodes { signatures(first: 3) { nodes { ...Fields } } } } }" + FIELDS
GOVERNANCE_BODIES = "{ ctgs(first: 1) { nodes { governanceBodies(first: 3) { nodes { ...Fields } } } } }" + FIELDS
ACTIONS = "{ actions(first: 3) { nodes { ...Fields } } }" + FIELDS
INDICATORS = "{ actions(first: 1) { nodes { indicators(first: 3) { nodes { ...Fields } } } } }" + FIELDS
INDICATOR_VALUES = (
    """
{ actions(first: 1) { nodes { indicators(first: 1) { nodes { values(first: 3) { nodes { ...Fields } } } } } } }
"""
    + FIELDS
)

NODE = "query Node($id: ID!) { node(id: $id) { ...Fields } }" + FIELDS
NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { ...Fields } }" + FIELDS

# How to reach the list of nodes in each list query's data.
LISTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Region", REGIONS, ("regions",)),
    ("Department", DEPARTMENTS, ("departments",)),
    ("Epci", EPCIS, ("epcis",)),
    ("Commune", COMMUNES, ("communes",)),
    ("Organisation", ORGANISATIONS, ("organisations",)),
    ("Scheme", SCHEMES, ("schemes",)),
    ("Ctg", CTGS, ("ctgs",)),
    ("SchemeObjective", OBJECTIVES, ("ctgs", "objectives")),
    ("Signature", SIGNATURES, ("ctgs", "signatures")),
    ("GovernanceBody", GOVERNANCE_BODIES, ("ctgs", "governanceBodies")),
    ("Action", ACTIONS, ("actions",)),
    ("Indicator", INDICATORS, ("actions", "indicators")),
    ("IndicatorValue", INDICATOR_VALUES, ("actions", "indicators", "values")),
]

CTG_AS_SCHEME = """
{ ctgs(first: 1) { nodes { id title scheme { id title ctg { id } } } } }
"""

NODE_ID = "query Node($id: ID!) { node(id: $id) { id } }"
NODES_IDS = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }"

# Each takes its ID as $id.
ACTIONS_OF_CARRIER = "query Carried($id: ID!) { found: actions(filter: {carrier: $id}) { totalCount } }"
ACTIONS_OF_PARTNER = "query Partnered($id: ID!) { found: actions(filter: {partner: $id}) { totalCount } }"
ACTIONS_OF_CTG = "query OfCtg($id: ID!) { found: actions(filter: {ctg: $id}) { totalCount } }"
SCHEMES_SIGNED_BY = "query Signed($id: ID!) { found: schemes(filter: {signatory: $id}) { totalCount } }"
SOME_IDS = """
{
  department(code: "31") { id }
  actions(first: 1) {
    nodes {
      id
      carrier { id }
      partners(first: 1) { edges { node { id } } }
      ctg { id scheme { id } signatures(first: 1) { nodes { organisation { id } } } }
    }
  }
}
"""

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String) {
  actions(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number title } }
  }
}
"""

NESTED_PAGE = """
query Nested($first: Int, $after: String) {
  ctgs(first: 100) {
    totalCount
    nodes {
      id
      title
      actions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { id number }
      }
    }
  }
}
"""

ACTION_NUMBERS_PER_CTG = """
SELECT s.title, array_agg(a.number ORDER BY a.number) AS numbers
FROM scheme s JOIN action a ON a.ctg_id = s.id
GROUP BY s.title
"""


def _encode(text: str) -> str:
    """An opaque value spelt the way the API's own IDs and cursors are, to forge look-alikes."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _dig(data: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The nodes at the end of `path`, through the first node of each outer list."""
    connection = data[path[0]]
    for name in path[1:]:
        assert connection["nodes"], f"no node to go through on the way to {name}"
        connection = connection["nodes"][0][name]
    nodes: list[dict[str, Any]] = connection["nodes"]
    return nodes


async def _page(client: httpx.AsyncClient, **arguments: Any) -> dict[str, Any]:
    body = await graphql(client, PAGE, **arguments)
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["actions"]
    return page


# Global IDs


@pytest.mark.parametrize(("type_name", "query", "path"), LISTS, ids=[case[0] for case in LISTS])
async def test_a_listed_node_comes_back_by_its_id(
    demo_http: httpx.AsyncClient, type_name: str, query: str, path: tuple[str, ...]
) -> None:
    # given
    body = await graphql(demo_http, query)
    assert "errors" not in body, body
    listed = _dig(body["data"], path)
    assert listed, f"the demo has no {type_name} to fetch back"
    assert {node["__typename"] for node in listed} == {type_name}

    for expected in listed:
        # when
        fetched = await graphql(demo_http, NODE, id=expected["id"])

        # then
        assert fetched == {"data": {"node": expected}}


@pytest.mark.parametrize(("type_name", "query", "path"), LISTS, ids=[case[0] for case in LISTS])
async def test_nodes_come_back_in_the_order_of_their_ids(
    demo_http: httpx.AsyncClient, type_name: str, query: str, path: tuple[str, ...]
) -> None:
    # given
    body = await graphql(demo_http, query)
    listed = _dig(body["data"], path)
    assert listed, f"the demo has no {type_name} to fetch back"
    # Reversed, so that an answer in storage or key order would not pass by chance.
    ids = [node["id"] for node in reversed(listed)]

    # when
    fetched = await graphql(demo_http, NODES, ids=ids)

    # then
    assert fetched == {"data": {"nodes": list(reversed(listed))}}


async def test_a_ctg_and_its_scheme_are_two_nodes_of_one_row(demo_http: httpx.AsyncClient) -> None:
    # given
    body = await graphql(demo_http, CTG_AS_SCHEME)
    (ctg,) = body["data"]["ctgs"]["nodes"]
    scheme = ctg["scheme"]

    # when
    as_ctg = await graphql(demo_http, NODE, id=ctg["id"])
    as_scheme = await graphql(demo_http, NODE, id=scheme["id"])

    # then
    assert ctg["id"] != scheme["id"]
    assert scheme["ctg"]["id"] == ctg["id"]
    assert as_ctg["data"]["node"]["__typename"] == "Ctg"
    assert as_scheme["data"]["node"]["__typename"] == "Scheme"
    assert as_ctg["data"]["node"]["title"] == as_scheme["data"]["node"]["title"] == ctg["title"]


async def test_forged_ids_are_spelt_like_the_apis_own(demo_http: httpx.AsyncClient) -> None:
    # The error cases below forge IDs; they only test what they mean to if the spelling is the API's.
    body = await graphql(demo_http, SOME_IDS)

    assert body["data"]["department"]["id"] == _encode("Department:31")


async def test_an_id_of_a_row_that_does_not_exist_gives_null(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given: a well-formed Action ID beyond every action of the demo, and a real one
    (row,) = await sql(demo_sql, "SELECT max(id) AS last FROM action")
    missing = _encode(f"Action:{row['last'] + 1000}")
    existing = (await graphql(demo_http, SOME_IDS))["data"]["actions"]["nodes"][0]["id"]

    # when
    one = await graphql(demo_http, NODE_ID, id=missing)
    several = await graphql(demo_http, NODES_IDS, ids=[existing, missing])

    # then
    assert one == {"data": {"node": None}}
    assert several == {"data": {"nodes": [{"id": existing}, None]}}


async def test_a_ctg_id_on_a_scheme_that_is_no_ctg_gives_null(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given: the key of a COG, under the CTG type
    (row,) = await sql(demo_sql, "SELECT min(id) AS id FROM scheme WHERE kind = 'COG'")

    # when
    as_ctg = await graphql(demo_http, NODE_ID, id=_encode(f"Ctg:{row['id']}"))
    as_scheme = await graphql(demo_http, NODE_ID, id=_encode(f"Scheme:{row['id']}"))

    # then
    assert as_ctg == {"data": {"node": None}}
    assert as_scheme == {"data": {"node": {"id": _encode(f"Scheme:{row['id']}")}}}


async def test_more_than_a_hundred_ids_is_a_typed_error(demo_http: httpx.AsyncClient) -> None:
    # given
    existing = (await graphql(demo_http, SOME_IDS))["data"]["department"]["id"]

    # when
    hundred = await graphql(demo_http, NODES_IDS, ids=[existing] * 100)
    more = await graphql(demo_http, NODES_IDS, ids=[existing] * 101)

    # then
    assert hundred == {"data": {"nodes": [{"id": existing}] * 100}}
    assert more["data"] is None
    assert_bad_input(more, "ids")


async def test_nodes_of_one_type_are_read_in_one_statement(demo_http: httpx.AsyncClient, statements: list[str]) -> None:
    # given
    body = await graphql(demo_http, "{ actions(first: 30) { nodes { id } } }")
    ids = [node["id"] for node in body["data"]["actions"]["nodes"]]
    assert len(ids) == 30
    counts = []

    for size in (3, 30):
        # when
        statements.clear()
        fetched = await graphql(demo_http, NODES_IDS, ids=ids[:size])
        assert "errors" not in fetched, fetched
        counts.append(len(statements))

    # then: the loader batches the keys, as it does for sibling fields
    assert counts == [ACCESS_STATEMENTS + 1, ACCESS_STATEMENTS + 1]


MALFORMED_IDS = [
    pytest.param("@@@", id="not base64"),
    pytest.param("", id="empty"),
    pytest.param(_encode("no separator"), id="no type"),
    pytest.param(_encode("Foo:1"), id="unknown type"),
    pytest.param(_encode("Action:abc"), id="key not a number"),
    pytest.param(_encode("Action:-1"), id="negative key"),
    pytest.param(_encode("Action:"), id="empty key"),
    pytest.param(
        _encode("Action:²"),
        id="superscript digit",
    ),
]


@pytest.mark.parametrize("value", MALFORMED_IDS)
async def test_a_malformed_id_is_a_typed_error_naming_the_argument(demo_http: httpx.AsyncClient, value: str) -> None:
    # when
    body = await graphql(demo_http, NODE_ID, id=value)

    # then
    assert body["data"] == {"node": None}
    assert_bad_input(body, "id")


@pytest.mark.parametrize("value", MALFORMED_IDS)
async def test_a_malformed_id_among_several_names_its_position(demo_http: httpx.AsyncClient, value: str) -> None:
    # given
    existing = (await graphql(demo_http, SOME_IDS))["data"]["department"]["id"]

    # when
    body = await graphql(demo_http, NODES_IDS, ids=[existing, value])

    # then
    assert body["data"] is None
    assert_bad_input(body, "ids[1]")


async def test_an_id_whose_key_no_row_can_have_gives_null_or_a_typed_error(demo_http: httpx.AsyncClient) -> None:
    # when
    body = await graphql(demo_http, NODE_ID, id=_encode("Action:99999999999999999999"))

    # then
    assert body["data"] == {"node": None}
    for error in body.get("errors", []):
        assert (error["extensions"]["code"], error["extensions"]["argument"]) == ("BAD_USER_INPUT", "id"), error


WRONG_TYPES = [
    # (document, argument, the field of SOME_IDS whose ID is of the wrong type, the one of the right type)
    pytest.param(ACTIONS_OF_CARRIER, "filter.carrier", "department", "carrier", id="carrier is a department"),
    pytest.param(ACTIONS_OF_PARTNER, "filter.partner", "action", "partner", id="partner is an action"),
    pytest.param(ACTIONS_OF_CTG, "filter.ctg", "scheme of the ctg", "ctg", id="ctg is the same row as a scheme"),
    pytest.param(SCHEMES_SIGNED_BY, "filter.signatory", "ctg", "signatory", id="signatory is a ctg"),
]


def _ids(data: dict[str, Any]) -> dict[str, str]:
    action = data["actions"]["nodes"][0]
    return {
        "department": data["department"]["id"],
        "action": action["id"],
        "carrier": action["carrier"]["id"],
        "partner": action["partners"]["edges"][0]["node"]["id"],
        "signatory": action["ctg"]["signatures"]["nodes"][0]["organisation"]["id"],
        "ctg": action["ctg"]["id"],
        "scheme of the ctg": action["ctg"]["scheme"]["id"],
    }


@pytest.mark.parametrize(("query", "argument", "wrong", "right"), WRONG_TYPES)
async def test_an_id_of_the_wrong_type_is_a_typed_error_naming_the_argument(
    demo_http: httpx.AsyncClient, query: str, argument: str, wrong: str, right: str
) -> None:
    # given
    ids = _ids((await graphql(demo_http, SOME_IDS))["data"])

    # when
    refused = await graphql(demo_http, query, id=ids[wrong])
    accepted = await graphql(demo_http, query, id=ids[right])

    # then
    assert refused["data"] is None
    assert_bad_input(refused, argument)
    assert "errors" not in accepted, accepted
    assert accepted["data"]["found"]["totalCount"] > 0


# Pagination


async def test_walking_pages_of_seven_gives_the_whole_list_in_order(
    demo_http: httpx.AsyncClient, demo_sql: AsyncEngine
) -> None:
    # given
    (row,) = await sql(demo_sql, "SELECT count(*) AS count FROM action")
    count = row["count"]
    assert 7 < count <= 100, "the walk must take several pages, and the whole list fit in one"
    whole = await _page(demo_http, first=100)

    # when
    pages = [await _page(demo_http, first=7)]
    while pages[-1]["pageInfo"]["hasNextPage"]:
        pages.append(await _page(demo_http, first=7, after=pages[-1]["pageInfo"]["endCursor"]))

    # then
    assert [edge["node"] for page in pages for edge in page["edges"]] == [edge["node"] for edge in whole["edges"]]
    assert len(whole["edges"]) == whole["totalCount"] == count
    assert len(pages) == -(-count // 7)
    assert all(page["totalCount"] == count for page in pages)
    assert [len(page["edges"]) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [False] + [True] * (len(pages) - 1)
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True] * (len(pages) - 1) + [False]
    for page in pages:
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
    assert whole["pageInfo"]["hasNextPage"] is whole["pageInfo"]["hasPreviousPage"] is False


async def test_the_default_page_has_twenty_rows(demo_http: httpx.AsyncClient) -> None:
    # given
    whole = await _page(demo_http, first=100)
    assert whole["totalCount"] > 20

    # when
    page = await _page(demo_http)

    # then
    assert page["edges"] == whole["edges"][:20]
    assert page["pageInfo"]["hasNextPage"] is True


async def test_last_three_are_the_end_of_the_list_in_order(demo_http: httpx.AsyncClient) -> None:
    # given
    whole = await _page(demo_http, first=100)

    # when
    page = await _page(demo_http, last=3)

    # then
    assert page["edges"] == whole["edges"][-3:]
    assert page["totalCount"] == whole["totalCount"]
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_last_two_before_a_cursor_are_the_two_rows_before_it(demo_http: httpx.AsyncClient) -> None:
    # given
    whole = await _page(demo_http, first=100)
    position = len(whole["edges"]) // 2

    # when
    page = await _page(demo_http, last=2, before=whole["edges"][position]["cursor"])

    # then
    assert page["edges"] == whole["edges"][position - 2 : position]
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_last_before_the_second_row_gives_only_the_first(demo_http: httpx.AsyncClient) -> None:
    # given
    whole = await _page(demo_http, first=100)

    # when
    page = await _page(demo_http, last=5, before=whole["edges"][1]["cursor"])

    # then
    assert page["edges"] == whole["edges"][:1]
    assert page["pageInfo"]["hasPreviousPage"] is False


async def test_last_with_after_stays_after_the_cursor(demo_http: httpx.AsyncClient) -> None:
    # given: Relay slices by `after` first, then keeps the last rows of that slice
    whole = await _page(demo_http, first=100)
    position = len(whole["edges"]) - 4

    # when
    page = await _page(demo_http, last=10, after=whole["edges"][position]["cursor"])

    # then
    assert page["edges"] == whole["edges"][position + 1 :]


async def test_a_page_past_the_end_is_empty_with_the_total(demo_http: httpx.AsyncClient) -> None:
    # given
    whole = await _page(demo_http, first=100)

    # when
    page = await _page(demo_http, first=5, after=whole["edges"][-1]["cursor"])

    # then
    assert page["edges"] == []
    assert page["totalCount"] == whole["totalCount"]
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"last": 101}, "last"),
        ({"last": -1}, "last"),
    ],
    ids=["first over 100", "first negative", "last over 100", "last negative"],
)
async def test_a_page_size_out_of_bounds_is_a_typed_error(
    demo_http: httpx.AsyncClient, arguments: dict[str, int], argument: str
) -> None:
    # when
    body = await graphql(demo_http, PAGE, **arguments)

    # then
    assert body["data"] is None
    assert_bad_input(body, argument)


async def test_a_hundred_rows_is_allowed(demo_http: httpx.AsyncClient) -> None:
    body = await graphql(demo_http, PAGE, first=100)

    assert "errors" not in body, body


GARBAGE_CURSORS = [
    pytest.param("garbage", id="a word"),
    pytest.param("%%%", id="not base64"),
    pytest.param(_encode("Action:1"), id="a node id"),
    pytest.param(_encode("cursor:-1"), id="negative position"),
    pytest.param(_encode("cursor:"), id="no position"),
    pytest.param(
        _encode("cursor:²"),
        id="superscript digit",
    ),
]


@pytest.mark.parametrize("value", GARBAGE_CURSORS)
@pytest.mark.parametrize("argument", ["after", "before"])
async def test_a_garbage_cursor_is_a_typed_error_naming_the_argument(
    demo_http: httpx.AsyncClient, value: str, argument: str
) -> None:
    # when
    body = await graphql(demo_http, PAGE, first=5, **{argument: value})

    # then
    assert body["data"] is None
    assert_bad_input(body, argument)


@pytest.mark.parametrize(("argument", "size"), [("after", "first"), ("before", "last")])
async def test_a_cursor_past_any_row_is_an_empty_page_or_a_typed_error(
    demo_http: httpx.AsyncClient, argument: str, size: str
) -> None:
    # when
    body = await graphql(demo_http, PAGE, **{size: 2, argument: _encode("cursor:" + "9" * 23)})

    # then
    for error in body.get("errors", []):
        assert (error["extensions"]["code"], error["extensions"]["argument"]) == ("BAD_USER_INPUT", argument), error
    assert "errors" in body or body["data"]["actions"]["totalCount"] > 0


async def test_a_nested_connection_pages_with_after(demo_http: httpx.AsyncClient, demo_sql: AsyncEngine) -> None:
    # given: every CTG's action numbers, from SQL
    numbers = {row["title"]: row["numbers"] for row in await sql(demo_sql, ACTION_NUMBERS_PER_CTG)}
    assert any(len(listed) > 4 for listed in numbers.values())
    first = await graphql(demo_http, NESTED_PAGE, first=2)
    ctgs = first["data"]["ctgs"]["nodes"]
    # A cursor is a position within its own connection, so one cursor pages every CTG at once.
    cursor = next(ctg["actions"]["pageInfo"]["endCursor"] for ctg in ctgs if ctg["actions"]["totalCount"] > 2)

    # when
    second = await graphql(demo_http, NESTED_PAGE, first=2, after=cursor)

    # then
    assert "errors" not in second, second
    for ctg in second["data"]["ctgs"]["nodes"]:
        expected = numbers.get(ctg["title"], [])
        actions = ctg["actions"]
        assert [action["number"] for action in actions["nodes"]] == expected[2:4], ctg["title"]
        assert actions["totalCount"] == len(expected)
        assert actions["pageInfo"]["hasPreviousPage"] is (len(expected) > 0)
        assert actions["pageInfo"]["hasNextPage"] is (len(expected) > 4)


async def test_walking_a_nested_connection_gives_it_whole(demo_http: httpx.AsyncClient) -> None:
    # given: the CTG with the most actions, and all of them in one page
    whole = (await graphql(demo_http, NESTED_PAGE, first=100))["data"]["ctgs"]["nodes"]
    largest = max(whole, key=lambda ctg: ctg["actions"]["totalCount"])
    assert largest["actions"]["totalCount"] > 2

    # when
    walked: list[dict[str, Any]] = []
    after = None
    while True:
        body = await graphql(demo_http, NESTED_PAGE, first=2, after=after)
        (ctg,) = [ctg for ctg in body["data"]["ctgs"]["nodes"] if ctg["id"] == largest["id"]]
        walked.extend(ctg["actions"]["nodes"])
        if not ctg["actions"]["pageInfo"]["hasNextPage"]:
            break
        after = ctg["actions"]["pageInfo"]["endCursor"]

    # then
    assert walked == largest["actions"]["nodes"]
