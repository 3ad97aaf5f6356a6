"""GraphQL over HTTP by the GraphQL Foundation's specification: media types, status codes, GET, refusals."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL, make_url

from server.app import create_app
from server.settings import Settings
from tests.conftest import serve

GRAPHQL_RESPONSE = "application/graphql-response+json"
LEGACY = "application/json"

DEPARTMENT = """
query Department($code: String!) { department(code: $code) { name } }
"""

# One field resolves, the other raises a field error: a partial response.
PARTIAL = '{ department(code: "31") { name } node(id: "not-a-global-id") { id } }'

QUERY_AND_MUTATION = """
query Read { department(code: "31") { name } }
mutation Write { updateAction(input: { id: "QWN0aW9uOjE=", version: 1, title: "x" }) { errors { code } } }
"""


def _media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def assert_refusal(response: httpx.Response, status: int) -> None:
    """A GraphQL-shaped error body, in JSON, with nothing of the server's insides."""
    assert response.status_code == status, response.text
    assert _media_type(response) in (GRAPHQL_RESPONSE, LEGACY)
    body = response.json()
    assert "data" not in body
    assert body["errors"]
    assert all(isinstance(error["message"], str) for error in body["errors"])
    assert "Traceback" not in response.text
    assert "<html" not in response.text.lower()


async def _post(http: httpx.AsyncClient, accept: str | None, payload: dict[str, Any]) -> httpx.Response:
    request = http.build_request("POST", "/graphql", json=payload)
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    return await http.send(request)


# -- content negotiation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        pytest.param(None, LEGACY, id="no Accept: a legacy client"),
        pytest.param("*/*", LEGACY, id="a wildcard says nothing of GraphQL"),
        pytest.param("application/*", LEGACY, id="a type wildcard neither"),
        pytest.param(LEGACY, LEGACY, id="application/json"),
        pytest.param(GRAPHQL_RESPONSE, GRAPHQL_RESPONSE, id="graphql-response+json"),
        pytest.param(f"{LEGACY}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE, id="both named: the preferred one"),
        pytest.param(
            f"{GRAPHQL_RESPONSE}; charset=utf-8, {LEGACY}; charset=utf-8",
            GRAPHQL_RESPONSE,
            id="the header the specification recommends",
        ),
        pytest.param(f"{GRAPHQL_RESPONSE};q=0.5, {LEGACY}", LEGACY, id="quality wins over preference"),
        pytest.param(f"{LEGACY}, */*;q=0.1", LEGACY, id="a named type over a wildcard"),
        pytest.param(f"text/html, {GRAPHQL_RESPONSE};q=0.9", GRAPHQL_RESPONSE, id="the one acceptable type"),
        pytest.param(f"*/*, {LEGACY};q=0", GRAPHQL_RESPONSE, id="json refused, the wildcard allows the other"),
    ],
)
async def test_the_response_media_type_follows_the_accept_header(
    http: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    response = await _post(http, accept, {"query": DEPARTMENT, "variables": {"code": "31"}})

    assert response.status_code == 200
    assert _media_type(response) == expected
    assert "charset=utf-8" in response.headers["content-type"]
    assert response.json() == {"data": {"department": {"name": "Haute-Garonne"}}}


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/xml, text/plain;q=0.5",
        f"{GRAPHQL_RESPONSE};q=0, {LEGACY};q=0",
        f"{LEGACY}; charset=iso-8859-1",
    ],
)
async def test_a_client_accepting_neither_json_type_gets_406(http: httpx.AsyncClient, accept: str) -> None:
    response = await _post(http, accept, {"query": DEPARTMENT, "variables": {"code": "31"}})

    assert_refusal(response, 406)
    assert _media_type(response) == LEGACY


# -- status codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"query": '{ department(code: "31" { name }'}, id="the document does not parse"),
        pytest.param({"query": '{ department(code: "31") { mayor } }'}, id="the document does not validate"),
        pytest.param({"query": DEPARTMENT, "variables": {"code": 31}}, id="a variable does not coerce"),
        pytest.param({"query": DEPARTMENT, "variables": {}}, id="a required variable is missing"),
        pytest.param({"query": DEPARTMENT, "operationName": "Nowhere"}, id="an unknown operationName"),
    ],
)
async def test_a_request_error_is_400_with_graphql_response_json_and_200_with_legacy_json(
    http: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    modern = await _post(http, GRAPHQL_RESPONSE, payload)
    legacy = await _post(http, LEGACY, payload)

    assert modern.status_code == 400
    assert _media_type(modern) == GRAPHQL_RESPONSE
    assert legacy.status_code == 200
    assert _media_type(legacy) == LEGACY
    for response in (modern, legacy):
        body = response.json()
        # Nothing was executed: no `data` entry at all, only errors.
        assert "data" not in body
        assert body["errors"][0]["message"]


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, LEGACY])
async def test_field_errors_are_a_200_with_the_data_that_resolved(http: httpx.AsyncClient, accept: str) -> None:
    response = await _post(http, accept, {"query": PARTIAL})

    assert response.status_code == 200
    assert _media_type(response) == accept
    body = response.json()
    assert body["data"] == {"department": {"name": "Haute-Garonne"}, "node": None}
    assert [error["path"] for error in body["errors"]] == [["node"]]


# -- requests that are not well-formed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"query":', id="malformed JSON"),
        pytest.param(b"NONSENSE", id="not JSON"),
        pytest.param(b'{"query": "{ __typename }", "x": "\xff"}', id="not UTF-8"),
        pytest.param(b"[" * 20_000 + b"]" * 20_000, id="nested past the parser's depth"),
        pytest.param(b'[{"query": "{ __typename }"}]', id="a batch"),
        pytest.param(b'"{ __typename }"', id="a JSON string"),
        pytest.param(b"null", id="JSON null"),
        pytest.param(b'{"qeury": "{ __typename }"}', id="no query"),
        pytest.param(b'{"query": 7}', id="a query that is not a string"),
        pytest.param(b'{"query": "{ __typename }", "variables": [7]}', id="variables that are not a map"),
        pytest.param(b'{"query": "{ __typename }", "operationName": 7}', id="an operationName that is not a string"),
    ],
)
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, LEGACY])
async def test_a_request_that_is_not_well_formed_is_a_400(http: httpx.AsyncClient, body: bytes, accept: str) -> None:
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json", "accept": accept})

    assert_refusal(response, 400)
    assert _media_type(response) == accept


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/json; charset=iso-8859-1",
    ],
)
async def test_a_body_that_is_not_json_is_a_415(http: httpx.AsyncClient, content_type: str | None) -> None:
    request = http.build_request("POST", "/graphql", content=json.dumps({"query": "{ __typename }"}).encode())
    if content_type is not None:
        request.headers["content-type"] = content_type
    assert request.headers.get("content-type") == content_type

    response = await http.send(request)

    assert_refusal(response, 415)


async def test_the_json_content_type_may_name_its_utf8_charset(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        content=json.dumps({"query": "{ __typename }"}).encode(),
        headers={"content-type": "application/json; charset=UTF-8"},
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_methods_other_than_get_and_post_are_405(http: httpx.AsyncClient, method: str) -> None:
    response = await http.request(method, "/graphql", json={"query": "{ __typename }"})

    assert_refusal(response, 405)
    assert response.headers["allow"] == "GET, POST"


# -- GET ----------------------------------------------------------------------------------------------


async def test_a_query_may_come_over_get(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql",
        params={"query": DEPARTMENT, "variables": json.dumps({"code": "44"}), "operationName": "Department"},
        headers={"accept": GRAPHQL_RESPONSE},
    )

    assert response.status_code == 200
    assert _media_type(response) == GRAPHQL_RESPONSE
    assert response.json() == {"data": {"department": {"name": "Loire-Atlantique"}}}


async def test_an_empty_operation_name_over_get_means_none(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename }", "operationName": ""})

    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, LEGACY])
async def test_a_mutation_over_get_is_405_and_points_to_post(http: httpx.AsyncClient, accept: str) -> None:
    response = await http.get(
        "/graphql", params={"query": QUERY_AND_MUTATION, "operationName": "Write"}, headers={"accept": accept}
    )

    assert_refusal(response, 405)
    assert response.headers["allow"] == "POST"


async def test_over_get_the_operation_chosen_decides_not_the_document(http: httpx.AsyncClient) -> None:
    # given a document holding a mutation too, the query in it is still served over GET
    response = await http.get("/graphql", params={"query": QUERY_AND_MUTATION, "operationName": "Read"})

    assert response.status_code == 200
    assert response.json() == {"data": {"department": {"name": "Haute-Garonne"}}}


@pytest.mark.parametrize("accept", ["*/*", LEGACY, GRAPHQL_RESPONSE])
async def test_get_without_a_query_is_a_400_for_api_clients(http: httpx.AsyncClient, accept: str) -> None:
    response = await http.get("/graphql", headers={"accept": accept})

    assert_refusal(response, 400)


async def test_a_browser_gets_graphiql(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_without_graphiql_a_browser_gets_a_406_not_a_page(database: URL) -> None:
    settings = Settings(_env_file=None, graphiql=False)
    async with (
        serve(create_app(settings, database)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        response = await client.get("/graphql", headers={"accept": "text/html"})

    assert_refusal(response, 406)


# -- failures of the server itself --------------------------------------------------------------------


async def test_an_unexpected_failure_is_a_500_in_graphql_shape_with_a_request_id(database: URL) -> None:
    # given the service pointed at a database that does not exist on a server that answers: nothing to retry
    missing = database.set(database="maillage_no_such_database")
    async with (
        serve(create_app(Settings(_env_file=None), missing)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        response = await client.post("/graphql", json={"query": "{ __typename }"})

    assert_refusal(response, 500)
    (error,) = response.json()["errors"]
    assert error["message"].startswith("Erreur inattendue du service")
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
        "messageId": "server.internal",
        "parameters": {},
    }


async def test_a_database_that_does_not_answer_is_a_503_to_retry() -> None:
    # given the service pointed at a port where no PostgreSQL listens: the request's scope cannot be set
    dead = make_url("postgresql+asyncpg://maillage@127.0.0.1:9/maillage")
    async with (
        serve(create_app(Settings(_env_file=None), dead)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        response = await client.post("/graphql", json={"query": "{ __typename }"})

    assert_refusal(response, 503)
    assert response.headers["retry-after"] == "5"
    assert response.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
