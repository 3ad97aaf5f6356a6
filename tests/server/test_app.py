"""The service over HTTP: health, readiness, GraphQL and GraphiQL."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import make_url

from server.app import create_app
from server.settings import Settings

DEPARTMENT = """
query Department($code: String!) {
  department(code: $code) { code name region { code name } caf { name acronym } }
}
"""

TWO_DEPARTMENTS = """
{ a: department(code: "31") { name caf { name } } b: department(code: "44") { name caf { name } } }
"""


async def test_healthz_says_the_process_is_up(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_says_the_database_answers(http: httpx.AsyncClient) -> None:
    response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_readyz_is_503_when_the_database_does_not_answer() -> None:
    # given an app pointed at a port where no PostgreSQL listens
    url = make_url("postgresql+asyncpg://maillage@127.0.0.1:9/maillage")
    app = create_app(Settings(_env_file=None), url)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        ready = await client.get("/readyz")
        alive = await client.get("/healthz")

    assert ready.status_code == 503
    assert ready.json()["database"] == "unreachable"
    assert alive.status_code == 200


async def test_a_department_is_found_by_its_code(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": DEPARTMENT, "variables": {"code": "31"}})

    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "department": {
                "code": "31",
                "name": "Haute-Garonne",
                "region": {"code": "76", "name": "Occitanie"},
                "caf": {"name": "Caf de la Haute-Garonne", "acronym": "Caf 31"},
            }
        }
    }


async def test_an_overseas_collectivity_has_no_caf(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": DEPARTMENT, "variables": {"code": "987"}})

    department = response.json()["data"]["department"]
    assert department["name"] == "Polynésie française"
    assert department["caf"] is None


async def test_an_unknown_code_is_null_without_error(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": DEPARTMENT, "variables": {"code": "00"}})

    assert response.json() == {"data": {"department": None}}


async def test_sibling_fields_share_the_request_session_safely(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": TWO_DEPARTMENTS})

    assert "errors" not in response.json()
    assert response.json()["data"]["b"] == {"name": "Loire-Atlantique", "caf": {"name": "Caf de la Loire-Atlantique"}}


async def test_a_malformed_query_gets_a_graphql_error_not_a_stack_trace(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ department(code: 31 { name }"})

    body = response.json()
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert "Traceback" not in response.text


async def test_graphiql_is_served_to_browsers(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
