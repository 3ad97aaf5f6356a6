"""CORS: the extranet's configured origins may call from a browser, no other origin, and none by default."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy.engine import URL

from server.app import create_app
from server.settings import Settings
from tests.conftest import serve

EXTRANET = "https://extranet.caf.example"
ELSEWHERE = "https://evil.example"
QUERY = {"query": "{ __typename }"}


def _preflight(origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }


def _cors_headers(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.startswith("access-control-")}


@pytest.fixture(scope="module")
async def extranet_service(database: URL) -> AsyncIterator[str]:
    settings = Settings(_env_file=None, cors_origins=[EXTRANET, "http://localhost:5173"])
    async with serve(create_app(settings, database)) as base_url:
        yield base_url


@pytest.fixture
async def browser(extranet_service: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=extranet_service, timeout=30) as client:
        yield client


async def test_a_preflight_from_a_listed_origin_is_allowed(browser: httpx.AsyncClient) -> None:
    response = await browser.options("/graphql", headers=_preflight(EXTRANET))

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == EXTRANET
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    allowed_headers = {name.lower() for name in response.headers["access-control-allow-headers"].split(", ")}
    assert {"authorization", "content-type"} <= allowed_headers
    assert response.headers["access-control-max-age"] == "600"
    # Tokens are headers, not cookies: no credentials.
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_another_origin_gets_no_cors_header(browser: httpx.AsyncClient) -> None:
    response = await browser.options("/graphql", headers=_preflight(ELSEWHERE))

    assert response.status_code == 403
    assert _cors_headers(response) == {}
    assert response.json()["errors"][0]["extensions"]["code"] == "ORIGIN_NOT_ALLOWED"


async def test_a_preflight_asking_for_another_method_is_refused(browser: httpx.AsyncClient) -> None:
    headers = {**_preflight(EXTRANET), "access-control-request-method": "DELETE"}

    response = await browser.options("/graphql", headers=headers)

    assert response.status_code == 400


async def test_a_request_from_a_listed_origin_may_be_read_by_its_page(browser: httpx.AsyncClient) -> None:
    response = await browser.post("/graphql", json=QUERY, headers={"origin": EXTRANET})

    assert response.json() == {"data": {"__typename": "Query"}}
    assert response.headers["access-control-allow-origin"] == EXTRANET
    assert "origin" in response.headers["vary"].lower()
    assert "access-control-allow-credentials" not in response.headers


async def test_a_request_from_another_origin_gets_no_cors_header(browser: httpx.AsyncClient) -> None:
    response = await browser.post("/graphql", json=QUERY, headers={"origin": ELSEWHERE})

    # The service answers (CORS binds browsers, not servers), but the browser will not hand the answer over.
    assert response.status_code == 200
    assert _cors_headers(response) == {}
    assert "origin" in response.headers["vary"].lower()


async def test_a_413_still_carries_the_headers_its_page_needs_to_read_it(browser: httpx.AsyncClient) -> None:
    too_large = {"query": "{ __typename }", "variables": {"padding": "x" * 200_000}}

    response = await browser.post("/graphql", json=too_large, headers={"origin": EXTRANET})

    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == EXTRANET


async def test_by_default_no_origin_gets_cors_headers(http: httpx.AsyncClient) -> None:
    preflight = await http.options("/graphql", headers=_preflight(EXTRANET))
    request = await http.post("/graphql", json=QUERY, headers={"origin": EXTRANET})

    assert _cors_headers(preflight) == {}
    assert preflight.status_code == 405
    assert request.status_code == 200
    assert _cors_headers(request) == {}


@pytest.mark.parametrize(
    "origin",
    ["*", "https://extranet.caf.example/", "https://extranet.caf.example/app", "extranet.caf.example", "HTTPS://X.FR"],
)
def test_an_origin_setting_that_no_browser_would_send_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(_env_file=None, cors_origins=[origin])


def test_origins_come_from_the_environment_as_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_CORS_ORIGINS", f'["{EXTRANET}", "http://localhost:5173"]')

    assert Settings(_env_file=None).cors_origins == (EXTRANET, "http://localhost:5173")
