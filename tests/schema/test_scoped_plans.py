"""No scoped caller's statement scans a big table: every one has an index path from the caller's keys.

On the national generator's data (bench/generate.py, at a small scale so that the suite stays fast), each
scoped persona — a Caf agent, an association member, the staff of an EPCI and of one of its communes, a
cosignatory — sends its typical reads and writes, through the compiled reads and the resolvers alike. Each
statement is then explained as that caller, with sequential scans disabled: PostgreSQL still scans a table
sequentially only where it has no other way, and on a big table that is the defect this test is about. At a
small scale the planner would often rightly prefer a scan; with scans priced out, a scan means no index (and
so does a walk down a whole index, which is what PostgreSQL does instead when it can).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from graphql import parse
from sqlalchemy import event, text
from sqlalchemy.engine import URL

from auth.policy import Scope
from auth.rules import PUBLIC_KEY
from db.compiled.render import render
from db.engine import create_engine
from schema import schema
from schema.compiled.planner import Planner
from server.app import create_app
from server.settings import Settings
from tests.auth.issuer import LocalIssuer
from tests.conftest import _dsn, serve
from tests.schema.conftest import bearer, trusting
from tests.schema.writing import gid

BIG_TABLES = frozenset(
    {
        "action",
        "action_partner",
        "action_objective",
        "indicator",
        "indicator_value",
        "organisation",
        "action_grant",
        "scheme_grant",
        "organisation_grant",
        # Not `facility`: everyone reads the open ones' public data, nearly all of them, so a listing or a count of
        # facilities reads the table whatever the caller's scope, as the national reader's does (bench F20).
        "facility_action",
        "facility_grant",
        "funding_line",
    }
)

READS = {
    "page of actions": "{ actions(first: 20) { totalCount nodes { id title budget carrier { name } } } }",
    "organisations found": '{ organisations(first: 10, filter: {search: "familles"}) { totalCount nodes { name } } }',
    "actions in progress": "{ actions(first: 20, filter: {statuses: [IN_PROGRESS]}) { totalCount nodes { title } } }",
    "CTGs and their actions": (
        "{ ctgs(first: 10) { nodes { title signatures { nodes { organisation { name } } } "
        "actions(first: 20) { nodes { title carrier { name } partners { edges { role node { name } } } } } } } }"
    ),
    "statistics": "{ actionStatistics(groupBy: [THEME]) { theme actionCount budget } }",
    "actions found": '{ actions(first: 20, filter: {search: "crèche"}) { totalCount nodes { title ctg { title } } } }',
    "indicators": "{ actions(first: 5) { nodes { indicators { nodes { name values { nodes { value } } } } } } }",
    "facilities": "{ facilities(first: 20) { totalCount nodes { name kind capacity manager { name } } } }",
    "funding by year": (
        "{ actions(first: 5) { nodes { fundingLines { nodes { year type planned granted funder { name } } } "
        "facilities { edges { link node { name } } } } } }"
    ),
}
# Reads the resolvers alone answer, for now.
UNCOMPILED = {
    "history": "{ actions(first: 5) { nodes { history { nodes { operation } } } } }",
    "places by kind": "{ facilityStatistics(groupBy: [KIND]) { kind facilityCount places } }",
}


@dataclass(frozen=True)
class Persona:
    name: str
    organisation_id: int
    ref: str
    role: str
    keys: str


# Who each persona is in the generated data, chosen by what it takes part in.
PERSONAS = {
    "caf agent": (
        "caf_agent",
        "SELECT o.id FROM organisation o WHERE o.kind = 'caf' AND o.department_code = ("
        " SELECT department_code FROM scheme WHERE kind = 'CTG' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)",
    ),
    "association member": (
        "association_member",
        "SELECT a.carrier_id FROM action a JOIN organisation o ON o.id = a.carrier_id "
        "WHERE o.kind = 'association' AND o.ref LIKE 'bench:%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
    "EPCI staff": (
        "local_authority_staff",
        "SELECT o.id FROM organisation o JOIN scheme s ON s.epci_siren = o.epci_siren AND s.kind = 'CTG' "
        "JOIN action a ON a.ctg_id = s.id WHERE o.kind = 'epci' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
    "commune staff": (
        "local_authority_staff",
        "SELECT o.id FROM organisation o JOIN commune c ON c.insee_code = o.commune_insee_code "
        "JOIN scheme s ON s.epci_siren = c.epci_siren AND s.kind = 'CTG' JOIN action a ON a.ctg_id = s.id "
        "WHERE o.kind = 'commune' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
    "cosignatory": (
        "cosignatory",
        "SELECT g.organisation_id FROM signature g JOIN organisation o ON o.id = g.organisation_id "
        "JOIN scheme s ON s.id = g.scheme_id WHERE o.kind = 'departmental_council' AND s.kind = 'CTG' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
}


@pytest.fixture(scope="module")
def generated(national_sample: URL) -> URL:
    return national_sample


@pytest.fixture(scope="module")
async def personas(generated: URL) -> dict[str, Persona]:
    engine = create_engine(generated, pool_size=1)
    found: dict[str, Persona] = {}
    try:
        async with engine.connect() as connection:
            for name, (role, chosen) in PERSONAS.items():
                organisation_id = await connection.scalar(text(chosen))
                assert organisation_id is not None, name
                row = (
                    await connection.execute(
                        text("SELECT ref, membership_keys(id, :role) AS keys FROM organisation WHERE id = :id"),
                        {"id": organisation_id, "role": role},
                    )
                ).one()
                found[name] = Persona(name, organisation_id, row.ref, role, ",".join(sorted(row.keys)))
    finally:
        await engine.dispose()
    return found


def _scans(plan: dict[str, Any]) -> Iterator[str]:
    """The big tables a plan reads whole: sequentially, or down a whole index (no condition bounds the walk,
    which is what PostgreSQL does instead of a sequential scan it was told not to do)."""
    whole = plan.get("Node Type") == "Seq Scan" or (
        plan.get("Node Type") in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan
    )
    if whole and plan.get("Relation Name") in BIG_TABLES:
        yield f"{plan['Node Type']} on {plan['Relation Name']}"
    for child in plan.get("Plans", ()):
        yield from _scans(child)


async def _sequential_scans(url: URL, keys: str, statement: str, parameters: tuple[Any, ...]) -> list[str]:
    """The big tables PostgreSQL scans sequentially for `statement`, run by the service for a caller holding
    `keys`, with sequential scans priced out."""
    connection = await asyncpg.connect(_dsn(url))
    try:
        async with connection.transaction():
            await connection.execute("SET LOCAL ROLE maillage_service")
            await connection.execute("SET LOCAL enable_seqscan = off")
            await connection.execute("SELECT set_config('maillage.keys', $1, true)", keys)
            raw = await connection.fetchval(f"EXPLAIN (FORMAT JSON) {statement}", *parameters)
            (explained,) = json.loads(raw)
            raise _Rollback(list(_scans(explained["Plan"])))
    except _Rollback as done:
        return done.scans
    finally:
        await connection.close()


class _Rollback(Exception):
    def __init__(self, scans: list[str]) -> None:
        self.scans = scans


@pytest.mark.parametrize("persona_name", list(PERSONAS))
@pytest.mark.parametrize("read", list(READS))
async def test_a_compiled_read_of_a_scoped_caller_scans_no_big_table(
    generated: URL, personas: dict[str, Persona], persona_name: str, read: str
) -> None:
    # given a scoped caller and one of its typical reads, compiled as the service compiles it
    persona = personas[persona_name]
    scope = Scope(keys=frozenset({PUBLIC_KEY, *persona.keys.split(",")}))
    planner = Planner(schema)
    statement = render(planner.plan(planner.executor(parse(READS[read]), None, None), scope))

    # when PostgreSQL plans it for that caller
    scans = await _sequential_scans(generated, persona.keys, statement.sql, statement.parameters)

    # then every table is reached by index
    assert scans == []


# name → (persona, mutation, the row it changes (SQL, given the persona's organisation), its input from that row)
WRITES: dict[str, tuple[str, str, str, Callable[[Any], dict[str, Any]]]] = {
    "the carrier's progress": (
        "association member",
        "mutation ($input: UpdateActionInput!) { updateAction(input: $input) { errors { code } } }",
        "SELECT id, version FROM action WHERE carrier_id = :organisation ORDER BY id LIMIT 1",
        lambda row: {"id": gid("Action", row.id), "version": row.version, "progress": 40},
    ),
    "the Caf's change of a title": (
        "caf agent",
        "mutation ($input: UpdateActionInput!) { updateAction(input: $input) { errors { code } } }",
        "SELECT a.id, a.version FROM action a JOIN scheme s ON s.id = a.ctg_id JOIN organisation o "
        "ON o.department_code = s.department_code WHERE o.id = :organisation ORDER BY a.id LIMIT 1",
        lambda row: {"id": gid("Action", row.id), "version": row.version, "title": "Retitrée"},
    ),
    "a report of the carrier's": (
        "association member",
        "mutation ($input: ReportIndicatorValueInput!) { reportIndicatorValue(input: $input) { errors { code } } }",
        "SELECT i.id FROM indicator i JOIN action a ON a.id = i.action_id WHERE a.carrier_id = :organisation "
        "ORDER BY i.id LIMIT 1",
        lambda row: {
            "indicatorId": gid("Indicator", row.id),
            "periodStart": "2031-01-01",
            "periodEnd": "2031-12-31",
            "value": "3",
        },
    ),
}


@pytest.fixture(scope="module")
async def resolvers(generated: URL, graph_issuer: LocalIssuer) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The app answering with its resolvers only, served on loopback, and its engine."""
    settings: Settings = trusting(graph_issuer).model_copy(update={"compiled_reads": "off"})
    app = create_app(settings, generated)
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        yield client, app.state.engine


Recorded = tuple[str, tuple[Any, ...]]


async def _recorded(
    client: httpx.AsyncClient, engine: Any, headers: dict[str, str], body: dict[str, Any]
) -> list[Recorded]:
    """The statements one request sends that PostgreSQL can explain, with their parameters."""
    seen: list[Recorded] = []

    def record(connection: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        seen.append((statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.post("/graphql", json=body, headers=headers)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.json()
    return [recorded for recorded in seen if _explainable(recorded[0])]


async def _scanning(url: URL, keys: str, statements: list[Recorded]) -> dict[str, list[str]]:
    """The statements (their head) that scan a big table, with the tables."""
    found: dict[str, list[str]] = {}
    for statement, parameters in statements:
        scans = await _sequential_scans(url, keys, statement, parameters)
        if scans:
            found[statement[:160]] = scans
    return found


def _explainable(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper()
    return (
        head in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}
        and "set_config(" not in statement
        and ("caller_access(" not in statement)
    )


@pytest.mark.parametrize("persona_name", ["caf agent", "association member", "EPCI staff", "cosignatory"])
async def test_the_resolvers_statements_of_a_scoped_caller_scan_no_big_table(
    generated: URL,
    personas: dict[str, Persona],
    resolvers: tuple[httpx.AsyncClient, Any],
    graph_issuer: LocalIssuer,
    persona_name: str,
) -> None:
    # given a scoped caller reading as the resolvers do
    persona = personas[persona_name]
    client, engine = resolvers
    headers = bearer(graph_issuer, persona.role, organisation=persona.ref, sub=f"plans-{persona.organisation_id}")

    # when it sends its typical reads
    statements = [
        recorded
        for document in (*READS.values(), *UNCOMPILED.values())
        for recorded in await _recorded(client, engine, headers, {"query": document})
    ]

    # then none of their statements scans a big table
    assert statements
    assert await _scanning(generated, persona.keys, statements) == {}


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_write_of_a_scoped_caller_scans_no_big_table(
    generated: URL,
    personas: dict[str, Persona],
    resolvers: tuple[httpx.AsyncClient, Any],
    graph_issuer: LocalIssuer,
    write: str,
) -> None:
    # given a scoped caller and an object it may change
    persona_name, document, target, variables = WRITES[write]
    persona = personas[persona_name]
    client, engine = resolvers
    headers = bearer(graph_issuer, persona.role, organisation=persona.ref, sub=f"plans-{persona.organisation_id}")
    owner = create_engine(generated, pool_size=1)
    try:
        async with owner.connect() as connection:
            row = (await connection.execute(text(target), {"organisation": persona.organisation_id})).one()
    finally:
        await owner.dispose()

    # when it writes
    body = {"query": document, "variables": {"input": variables(row)}}
    statements = await _recorded(client, engine, headers, body)

    # then none of its statements scans a big table
    assert statements
    scanned = {
        statement[:120]: await _sequential_scans(generated, persona.keys, statement, parameters)
        for statement, parameters in statements
    }
    assert {statement: scans for statement, scans in scanned.items() if scans} == {}
