"""No typical read falls back to the resolvers unseen: the compiled reads answer the extranet's reads, and a
query they leave to the resolvers says why, in the request log and in a metric.

The typical set: the README's examples, the benchmark's workloads (bench/workloads.py, as the national analyst
and a Caf agent ask them) and the scoped personas' reads (tests/schema/test_scoped_plans.py). A read the
compiled reads do not cover yet is listed in RESOLVERS_ONLY with its reason: compiling it makes this test fail
until the list says so.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import parse
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from auth.policy import Scope
from auth.principal import ANONYMOUS
from auth.rules import PUBLIC_KEY
from bench import workloads
from schema import schema
from schema.compiled.planner import Planner, Unsupported
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import bearer, trusting
from tests.schema.test_scoped_plans import READS, UNCOMPILED
from tests.server.test_observability import _value, json_log_lines

README = Path(__file__).parents[2] / "README.md"
SCOPES = {
    "national analyst": Scope(keys=frozenset({PUBLIC_KEY, "national"})),
    "Caf 31 agent": Scope(keys=frozenset({PUBLIC_KEY, "caf:31", "org:33"})),
    "anonymous": Scope(),
}
# Reads of the typical set the resolvers answer, and why (the planner's own words).
RESOLVERS_ONLY = {
    UNCOMPILED["history"]: "Change is not compiled",
    UNCOMPILED["places by kind"]: "Query.facilityStatistics is not compiled",
}


def _readme_queries() -> list[str]:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [block.strip() for block in blocks if not block.lstrip().startswith(("mutation", "subscription"))]


def _typical() -> dict[str, tuple[str, dict[str, object]]]:
    """name → (document, variables): what the extranet and the benchmark ask."""
    reads: dict[str, tuple[str, dict[str, object]]] = {}
    for n, document in enumerate(_readme_queries(), start=1):
        reads[f"README example {n}"] = (document, {})
    sample = workloads.Sample(department="31", department_ctgs=4, ctg_ids=(1, 2, 3))
    for workload in workloads.build(workloads.PERSONA_NAMES, sample, statistics=True):
        reads[f"workload {workload.name}"] = (workload.document, workload.call(0).variables)
    for name, document in {**READS, **UNCOMPILED}.items():
        reads[f"persona read: {name}"] = (document, {})
    return reads


TYPICAL = _typical()


def test_the_typical_set_holds_the_readmes_examples_and_every_workload() -> None:
    names = set(TYPICAL)
    assert {f"workload {name}" for name in workloads.PERSONA_NAMES} <= names
    assert any(name.startswith("README example") for name in names)
    assert set(RESOLVERS_ONLY) <= {document for document, _ in TYPICAL.values()}


@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize("read", list(TYPICAL))
def test_each_typical_read_is_compiled_or_its_reason_is_known(read: str, scope: str) -> None:
    # given a typical read, as a caller of the scope sends it
    document, variables = TYPICAL[read]
    planner = Planner(schema)

    # when the compiled reads plan it
    try:
        planner.plan(planner.executor(parse(document), variables or None, None), SCOPES[scope], ANONYMOUS)
        reason = None
    except Unsupported as why:
        reason = str(why)

    # then it is compiled, or it is one of the reads known to go to the resolvers, for that very reason
    assert reason == RESOLVERS_ONLY.get(document)


@pytest.fixture(scope="module")
async def served(database: URL, server_issuer: LocalIssuer) -> AsyncIterator[tuple[str, Starlette]]:
    app = create_app(trusting(server_issuer), database)
    async with serve(app) as base_url:
        yield base_url, app


async def test_a_fallback_is_logged_and_counted_by_reason(
    served: tuple[str, Starlette], server_issuer: LocalIssuer
) -> None:
    # given a read the resolvers answer (the organisations of the caller's memberships), and one the compiled
    # reads answer
    viewer = "query Me { viewer { memberships { organisation { name } } } }"
    compiled = 'query Dept { department(code: "31") { name } }'
    headers = bearer(server_issuer, "caf_agent", organisation="caf:31", sub="fallback-test")
    series = 'maillage_compiled_fallbacks_total{reason="ViewerMembership.organisation is not compiled"}'
    async with httpx.AsyncClient(base_url=served[0], timeout=30, headers=headers) as client:
        before = _value((await client.get("/metrics")).text, series)

        # when both are asked
        with json_log_lines() as lines:
            for document in (viewer, compiled):
                response = await client.post("/graphql", json={"query": document})
                assert response.status_code == 200
                assert "errors" not in response.json()
        after = _value((await client.get("/metrics")).text, series)

    # then the request log says which one fell back and why, and the metric counts it
    logged = {line["operation"]: line["compiled_fallback"] for line in lines if line["logger"] == "maillage.requests"}
    assert logged == {"Me": "ViewerMembership.organisation is not compiled", "Dept": None}
    assert after == before + 1
