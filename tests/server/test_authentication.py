"""Authentication over HTTP: the service verifies bearer tokens against a real issuer on loopback."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL

from server.app import create_app
from server.settings import Settings
from tests.auth.issuer import AUDIENCE, LocalIssuer, running_issuer
from tests.conftest import serve

VIEWER = "{ viewer { authenticated issuer subject email roles organisation cafDepartment } }"


@pytest.fixture(scope="module")
async def token_issuer() -> AsyncIterator[LocalIssuer]:
    async with running_issuer() as issuer:
        yield issuer


def _settings(issuer: LocalIssuer) -> Settings:
    return Settings(
        _env_file=None,
        oidc_issuer=issuer.url,
        oidc_audience=AUDIENCE,
        oidc_roles_claim="realm_access.roles",
        oidc_jwks_ttl_seconds=10,
    )


@pytest.fixture(scope="module")
async def protected(database: URL, token_issuer: LocalIssuer) -> AsyncIterator[str]:
    """The service trusting `token_issuer`, with Keycloak-style role claims."""
    async with serve(create_app(_settings(token_issuer), database)) as base_url:
        yield base_url


@pytest.fixture
async def client(protected: str, token_issuer: LocalIssuer) -> AsyncIterator[httpx.AsyncClient]:
    token_issuer.reset()
    async with httpx.AsyncClient(base_url=protected, timeout=30) as http:
        yield http


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_without_a_token_the_caller_is_anonymous(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": VIEWER})

    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["authenticated"] is False


async def test_a_valid_token_names_the_caller(client: httpx.AsyncClient, token_issuer: LocalIssuer) -> None:
    token = token_issuer.access_token(
        sub="agent-31",
        email="agent@caf31.example",
        realm_access={"roles": ["caf_agent", "offline_access"]},
        siret="53451779900017",
        caf="31",
    )

    response = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))

    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {
        "authenticated": True,
        "issuer": token_issuer.url,
        "subject": "agent-31",
        "email": "agent@caf31.example",
        "roles": ["caf_agent", "offline_access"],
        "organisation": "53451779900017",
        "cafDepartment": "31",
    }


async def test_a_token_in_a_cookie_is_ignored(client: httpx.AsyncClient, token_issuer: LocalIssuer) -> None:
    # given a token that names its caller when it comes in the Authorization header
    token = token_issuer.access_token(sub="agent-31", realm_access={"roles": ["caf_agent"]}, caf="31")
    in_header = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))
    assert in_header.json()["data"]["viewer"]["subject"] == "agent-31"

    # when the same token comes in cookies, under the names a browser session would use
    cookies = f"authorization=Bearer%20{token}; access_token={token}; token={token}; session={token}"
    in_cookies = await client.post("/graphql", json={"query": VIEWER}, headers={"cookie": cookies})

    # then the caller is anonymous: a page elsewhere cannot borrow a browser's stored credentials
    assert in_cookies.status_code == 200
    assert in_cookies.json()["data"]["viewer"] == {
        "authenticated": False,
        "issuer": None,
        "subject": None,
        "email": None,
        "roles": [],
        "organisation": None,
        "cafDepartment": None,
    }


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 3600}, "the token has expired"),
        ({"aud": "another-api"}, "another audience"),
        ({"iss": "https://elsewhere.example"}, "another issuer"),
    ],
    ids=["expired", "wrong audience", "wrong issuer"],
)
async def test_a_token_that_does_not_verify_is_a_401_with_a_bearer_challenge(
    client: httpx.AsyncClient, token_issuer: LocalIssuer, claims: dict[str, Any], reason: str
) -> None:
    token = token_issuer.access_token(**claims)

    response = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    (error,) = response.json()["errors"]
    assert reason in error["extensions"]["parameters"]["reason"]
    assert error["message"].startswith(("Jeton d'accès refusé", "Le jeton d'accès a expiré"))
    assert "data" not in response.json()


async def test_a_header_that_is_not_a_bearer_token_is_a_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"authorization": "Basic YTpi"})

    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


async def test_an_unreachable_issuer_with_no_cached_keys_is_a_503(database: URL, token_issuer: LocalIssuer) -> None:
    # given a freshly started service, which has fetched no key yet, and an issuer that fails
    token_issuer.reset()
    token = token_issuer.access_token()
    token_issuer.fail()
    try:
        async with (
            serve(create_app(_settings(token_issuer), database)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            # when a caller presents a well-formed token
            response = await http.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))
    finally:
        token_issuer.recover()

    # then the service cannot tell, and says so with a 503 rather than blaming the token
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["errors"][0]["extensions"]["code"] == "IDENTITY_PROVIDER_UNAVAILABLE"


async def test_health_routes_need_no_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"authorization": "Bearer not-a-token"})

    assert response.status_code == 200


async def test_a_service_without_an_issuer_refuses_tokens_rather_than_ignoring_them(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": VIEWER}, headers=_bearer("a.b.c"))

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["messageId"] == "auth.no_provider"
    assert "n'accepte aucun jeton" in response.json()["errors"][0]["message"]


async def test_a_service_holding_the_issuers_keys_keeps_verifying_while_the_issuer_is_down(
    database: URL, token_issuer: LocalIssuer
) -> None:
    # given a service that has verified one token, and so holds the issuer's keys
    token_issuer.reset()
    async with (
        serve(create_app(_settings(token_issuer), database)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        first = await http.post("/graphql", json={"query": VIEWER}, headers=_bearer(token_issuer.access_token()))
        assert first.json()["data"]["viewer"]["authenticated"] is True
        # when the issuer goes down and another caller comes
        token_issuer.fail()
        try:
            token = token_issuer.access_token(sub="during-the-outage")
            response = await http.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))
        finally:
            token_issuer.recover()

    # then the caller is verified with the keys held, not refused
    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["subject"] == "during-the-outage"


async def test_two_authorization_headers_are_refused_as_ambiguous(
    client: httpx.AsyncClient, token_issuer: LocalIssuer
) -> None:
    # given a valid token then garbage, each in its own Authorization header
    headers = [("authorization", f"Bearer {token_issuer.access_token()}"), ("authorization", "Bearer garbage")]
    # when
    response = await client.post("/graphql", json={"query": VIEWER}, headers=headers)
    # then neither is chosen
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.json()["errors"][0]["extensions"]["messageId"] == "auth.several_headers"
    assert "un seul en-tête Authorization" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("bad", ["agent\x00-31", "agent-\ud800"])
async def test_a_signed_token_whose_subject_no_text_may_hold_is_a_401(
    client: httpx.AsyncClient, token_issuer: LocalIssuer, bad: str
) -> None:
    token = token_issuer.access_token(sub=bad, siret=bad, caf=bad)

    response = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
