"""The development issuer: served by the service itself, trusted by it over real HTTP, and `maillage dev-token`."""

from __future__ import annotations

import json
import stat
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from joserfc import jws, jwt
from joserfc.jwk import RSAKey
from sqlalchemy.engine import URL

from auth.dev_issuer import KEY_FILE, DevIssuer
from auth.dev_personas import BY_NAME, PERSONAS, Persona
from auth.identity import OrganisationKey
from db.demo import actions_31, actions_44
from server.app import create_app
from server.settings import Settings
from tests.auth.issuer import mint, new_rsa_key
from tests.conftest import base_url_of, loopback_socket, serve_on
from tests.server.commands import assert_one_clear_line, run

VIEWER = "{ viewer { authenticated issuer subject email roles organisation cafDepartment } }"


@dataclass(frozen=True)
class DevService:
    url: str
    settings: Settings

    def issuer(self) -> DevIssuer:
        """The issuer as `maillage dev-token` opens it: another object, the same key file."""
        return DevIssuer.open(
            self.settings.data_dir, issuer=self.settings.dev_issuer_url, audience=self.settings.oidc_audience
        )


@pytest.fixture(scope="module")
async def dev_service(database: URL, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DevService]:
    """The service with the dev issuer enabled, reachable at the public URL it was configured with."""
    sock = loopback_socket()
    settings = Settings(
        _env_file=None, dev_issuer=True, public_url=base_url_of(sock), data_dir=tmp_path_factory.mktemp("state")
    )
    async with serve_on(create_app(settings, database), sock) as base_url:
        yield DevService(base_url, settings)


@pytest.fixture
async def client(dev_service: DevService) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=dev_service.url, timeout=30) as http:
        yield http


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


# -- the issuer over HTTP ---------------------------------------------------------------------------


async def test_the_dev_issuer_publishes_discovery_and_its_public_key(
    client: httpx.AsyncClient, dev_service: DevService
) -> None:
    discovery = await client.get("/dev-issuer/.well-known/openid-configuration")
    jwks = await client.get("/dev-issuer/jwks")

    assert discovery.status_code == 200
    assert discovery.json()["issuer"] == f"{dev_service.url}/dev-issuer"
    assert discovery.json()["jwks_uri"] == f"{dev_service.url}/dev-issuer/jwks"
    assert jwks.status_code == 200
    [key] = jwks.json()["keys"]
    assert key["kty"] == "RSA"
    assert key["kid"] == dev_service.issuer().kid
    assert "d" not in key, "the JWKS must not publish the private key"


@pytest.mark.parametrize("persona", PERSONAS, ids=[persona.name for persona in PERSONAS])
async def test_a_persona_token_is_accepted_and_names_the_persona(
    client: httpx.AsyncClient, dev_service: DevService, persona: Persona
) -> None:
    token = dev_service.issuer().access_token(persona)

    response = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(token))

    assert response.status_code == 200, response.text
    assert response.json()["data"]["viewer"] == {
        "authenticated": True,
        "issuer": f"{dev_service.url}/dev-issuer",
        "subject": persona.subject,
        "email": persona.email,
        "roles": sorted(role.value for role in persona.roles),
        "organisation": persona.organisation,
        "cafDepartment": persona.caf_department,
    }


async def test_a_token_signed_with_another_key_is_refused(client: httpx.AsyncClient, dev_service: DevService) -> None:
    # given a token with the dev issuer's claims and kid, signed by a key that is not the dev issuer's
    genuine = jws.extract_compact(dev_service.issuer().access_token(BY_NAME["cnaf-analyst"]).encode())
    forged = mint(genuine.headers(), json.loads(genuine.payload), new_rsa_key(dev_service.issuer().kid))

    response = await client.post("/graphql", json={"query": VIEWER}, headers=_bearer(forged))

    assert response.status_code == 401
    # (the message is the catalogue's; the technical reason is a parameter and in the challenge)
    assert "signature does not verify" in response.json()["errors"][0]["extensions"]["parameters"]["reason"]
    assert "signature does not verify" in response.headers["www-authenticate"]


async def test_without_the_setting_there_is_no_dev_issuer(http: httpx.AsyncClient) -> None:
    jwks = await http.get("/dev-issuer/jwks")
    discovery = await http.get("/dev-issuer/.well-known/openid-configuration")

    assert jwks.status_code == 404
    assert discovery.status_code == 404


# -- the key and the personas -----------------------------------------------------------------------


def test_the_key_is_created_once_readable_by_its_owner_only_and_reused(tmp_path: Path) -> None:
    first = DevIssuer.open(tmp_path / "state", issuer="http://127.0.0.1:1/dev-issuer", audience="maillage")
    key_file = tmp_path / "state" / KEY_FILE
    written = key_file.read_bytes()

    second = DevIssuer.open(tmp_path / "state", issuer="http://127.0.0.1:1/dev-issuer", audience="maillage")

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert second.kid == first.kid
    assert key_file.read_bytes() == written
    assert [path.name for path in key_file.parent.iterdir()] == [KEY_FILE]


def test_the_association_persona_carries_actions_in_several_demo_ctgs() -> None:
    persona = BY_NAME["association-member"]

    ctgs = {action.ctg for action in actions_31.ACTIONS + actions_44.ACTIONS if action.carrier == persona.organisation}

    assert len(ctgs) >= 2


def test_enabling_the_dev_issuer_makes_it_the_trusted_issuer_unless_one_is_set() -> None:
    by_default = Settings(_env_file=None, dev_issuer=True, public_url="http://localhost:9000/")
    explicit = Settings(_env_file=None, dev_issuer=True, oidc_issuer="https://idp.example/realms/caf")

    oidc = by_default.oidc()
    assert oidc is not None
    assert oidc.issuer == "http://localhost:9000/dev-issuer"
    assert by_default.claims().organisation_claim == "organisation"
    assert by_default.claims().organisation_key is OrganisationKey.REF
    assert explicit.oidc_issuer == "https://idp.example/realms/caf"
    assert explicit.claims().organisation_key is OrganisationKey.SIRET


# -- maillage dev-token -----------------------------------------------------------------------------


def _assert_one_clear_line(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    # The dev-token refusals exit 1 precisely, and print nothing where a token would go.
    assert_one_clear_line(result, pattern)
    assert result.returncode == 1
    assert result.stdout == ""


def test_dev_token_prints_one_signed_token_for_the_persona(tmp_path: Path) -> None:
    result = run(["dev-token", "caf-31-agent"], tmp_path, dev_issuer="true", data_dir=str(tmp_path / "state"))

    assert result.returncode == 0, result.stderr
    [token] = result.stdout.splitlines()
    key = RSAKey.import_key(json.loads((tmp_path / "state" / KEY_FILE).read_text()))
    decoded = jwt.decode(token, key, algorithms=["RS256"])
    assert decoded.header == {"alg": "RS256", "typ": "at+jwt", "kid": key.kid}
    claims = decoded.claims
    assert claims["iss"] == "http://127.0.0.1:8000/dev-issuer"
    assert claims["aud"] == "maillage"
    assert claims["sub"] == "dev-caf-31-agent"
    assert claims["roles"] == ["caf_agent"]
    assert claims["organisation"] == "caf:31"
    assert claims["caf"] == "31"
    assert claims["email"].endswith(".example")
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["jti"]
    assert claims["client_id"]


def test_dev_token_list_names_every_persona(tmp_path: Path) -> None:
    result = run(["dev-token", "--list"], tmp_path, dev_issuer="true", data_dir=str(tmp_path / "state"))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [persona.name for persona in PERSONAS]


def test_an_unknown_persona_is_one_clear_line_naming_the_known_ones(tmp_path: Path) -> None:
    result = run(["dev-token", "nobody"], tmp_path, dev_issuer="true", data_dir=str(tmp_path / "state"))

    _assert_one_clear_line(result, r"unknown persona 'nobody'; known personas: .*caf-31-agent")


def test_dev_token_refuses_when_the_dev_issuer_is_not_enabled(tmp_path: Path) -> None:
    result = run(["dev-token", "caf-31-agent"], tmp_path, data_dir=str(tmp_path / "state"))

    _assert_one_clear_line(result, r"development issuer is not enabled; set MAILLAGE_DEV_ISSUER=true")
    assert not (tmp_path / "state").exists()


@pytest.mark.parametrize("command", [["serve"], ["dev-token", "caf-31-agent"]], ids=["serve", "dev-token"])
def test_the_dev_issuer_is_refused_in_production(tmp_path: Path, command: list[str]) -> None:
    result = run(
        command, tmp_path, environment="production", dev_issuer="true", database_url="postgresql://x@127.0.0.1:9/x"
    )

    _assert_one_clear_line(result, r"MAILLAGE_DEV_ISSUER=true is refused in production")
