"""TokenVerifier against a certified OpenID provider (node-oidc-provider 9) issuing JWT access tokens.

The provider runs as a Node.js process on a loopback port, signing with keys generated here; a token is
obtained by the client_credentials grant over HTTP, then verified exactly as a request's bearer token is.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from auth.errors import InvalidToken
from auth.oidc_config import OidcConfig
from auth.tokens import TokenVerifier
from tests.auth.issuer import AUDIENCE, new_rsa_key

PROVIDER_DIR = Path(__file__).parent / "oidc-provider"
CLIENT_ID = "maillage-batch"
CLIENT_SECRET = "interop-secret-not-used-anywhere-else"
STARTUP_SECONDS = 20


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    kid: str


@pytest.fixture(scope="module")
def installed_provider() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run oidc-provider; install Node.js 20.19+ to run these tests")
    installing = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, capture_output=True, text=True, timeout=300
    )
    if installing.returncode != 0:
        if _registry_unreachable(installing.stderr):
            pytest.skip("the npm registry cannot be reached: oidc-provider cannot be installed")
        raise AssertionError(f"npm ci failed:\n{installing.stderr[-2000:]}")
    return PROVIDER_DIR


def _registry_unreachable(npm_output: str) -> bool:
    """npm's own words for a registry it could not reach (no network, no DNS, a proxy refusing)."""
    return any(
        code in npm_output
        for code in ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH")
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def provider(installed_provider: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = new_rsa_key("interop-rsa-1")
    jwks_file = folder / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [key.as_dict(private=True)]}))
    log_file = folder / "provider.log"
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    with log_file.open("w") as log:
        process = subprocess.Popen(
            ["node", "server.mjs", str(port), str(jwks_file), AUDIENCE, CLIENT_ID, CLIENT_SECRET],
            cwd=installed_provider,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_discovery(issuer, process, log_file)
            yield RunningProvider(issuer=issuer, kid="interop-rsa-1")
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_discovery(issuer: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider exited with {process.returncode}:\n{log_file.read_text()}")
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == httpx.codes.OK:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"oidc-provider did not serve its discovery document within {STARTUP_SECONDS} s:\n{log_file.read_text()}"
    )


async def client_credentials_token(http: httpx.AsyncClient, issuer: str) -> str:
    discovery = (await http.get(f"{issuer}/.well-known/openid-configuration")).json()
    response = await http.post(
        discovery["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "api"},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert response.status_code == httpx.codes.OK, response.text
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    token: str = body["access_token"]
    return token


def _header(token: str) -> dict[str, str]:
    segment = token.split(".")[0]
    header: dict[str, str] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return header


async def test_a_client_credentials_token_from_oidc_provider_verifies(
    provider: RunningProvider, outbound_http: httpx.AsyncClient
) -> None:
    # given a token obtained from the provider by the client_credentials grant
    token = await client_credentials_token(outbound_http, provider.issuer)
    verifier = TokenVerifier(OidcConfig(issuer=provider.issuer, audience=AUDIENCE), outbound_http)
    # when
    claims = await verifier.verify(token)
    # then
    assert _header(token) == {"alg": "RS256", "typ": "at+jwt", "kid": provider.kid}
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == AUDIENCE
    assert claims["client_id"] == CLIENT_ID
    assert claims["scope"] == "api"


async def test_an_oidc_provider_token_for_another_audience_is_refused(
    provider: RunningProvider, outbound_http: httpx.AsyncClient
) -> None:
    # given
    token = await client_credentials_token(outbound_http, provider.issuer)
    verifier = TokenVerifier(OidcConfig(issuer=provider.issuer, audience="https://other.test"), outbound_http)
    # when
    with pytest.raises(InvalidToken) as refusal:
        await verifier.verify(token)
    # then
    assert refusal.value.reason == "the token is meant for another audience"
