"""graphql-http's server audits (the GraphQL over HTTP specification's reference implementation), run with
Node.js against the service on the demo: every MUST, SHOULD and MAY audit passes."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from tests.conftest import serve_app

AUDIT_DIR = Path(__file__).parent / "graphql-http-audit"
UNREACHABLE = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH")


@pytest.fixture(scope="module")
def audit_script() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run graphql-http's audits")
    installing = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=AUDIT_DIR, capture_output=True, text=True, timeout=300
    )
    if installing.returncode != 0:
        if any(code in installing.stderr for code in UNREACHABLE):
            pytest.skip("the npm registry cannot be reached: graphql-http cannot be installed")
        raise AssertionError(f"npm ci failed:\n{installing.stderr[-2000:]}")
    return AUDIT_DIR / "audit.mjs"


@pytest.fixture(scope="module")
async def demo(demo_database: URL) -> AsyncIterator[str]:
    async with serve_app(demo_database) as base_url:
        yield base_url


async def test_every_graphql_over_http_audit_passes(audit_script: Path, demo: str) -> None:
    node = shutil.which("node")
    assert node is not None
    process = await asyncio.create_subprocess_exec(
        node, str(audit_script), f"{demo}/graphql", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    audits = [json.loads(line) for line in out.decode().splitlines()]
    failed = [f"{audit['name']}: {audit['reason']}" for audit in audits if audit["status"] != "ok"]
    assert len(audits) > 50
    assert failed == []
