"""The persona dimension of a run: every persona's read workloads and writes, through the service and through
their floors, one after the other; answers checked first, and a persona whose answer differs from its floor,
fails or times out is reported rather than measured, without stopping the others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
import httpx
from rich.console import Console

from bench import check, measure, writes
from bench.caller import BenchCaller
from bench.check import Verdict
from bench.load import REQUEST_TIMEOUT, Measurement
from bench.measure import Meter
from bench.personas import BenchPersona
from bench.report import FLOOR, Row
from bench.workloads import SINGLE_CLIENT, Workload
from bench.writes import WriteWorkload

console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class Plan:
    """What one persona asks: its read workloads (its department, its CTGs) and the writes it makes."""

    persona: BenchPersona
    reads: tuple[Workload, ...]
    writes: tuple[WriteWorkload, ...] = ()
    asks: str = ""  # what its calls are about, for the report


@dataclass(frozen=True)
class WriteRow:
    workload: WriteWorkload
    contender: str
    clients: int
    measurement: Measurement
    failures: tuple[str, ...] = ()  # the first refusals, when some requests failed
    why: str = ""  # why requests failed, counted


@dataclass
class Matrix:
    """The persona dimension's results, filled by the service's turn and the floor's."""

    plans: list[Plan]
    rows: list[Row] = field(default_factory=list)  # read workloads, every persona
    single: list[Row] = field(default_factory=list)  # one client, the SINGLE_CLIENT workloads
    write_rows: list[WriteRow] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)  # the service's answers against the floors
    # (persona, workload, contender) → why requests failed under load, e.g. "16 STATEMENT_TIMEOUT"
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    mark: writes.Mark | None = None  # the database before the run's writes

    def subjects(self) -> list[str]:
        return [plan.persona.persona.subject for plan in self.plans]

    def agreed(self, workload: Workload) -> bool:
        return any(v.agrees and v.persona == workload.persona and v.workload == workload.name for v in self.verdicts)


def _show(measured: Measurement, what: str) -> None:
    failed = f", {measured.failed} failed" if measured.failed else ""
    console.print(
        f"  {what:<34} {measured.rate:8.1f} req/s  p50 {measured.p50:7.1f} ms  p99 {measured.p99:7.1f} ms"
        f"  ({measured.client}{failed})",
        markup=False,
    )


async def service_turn(
    matrix: Matrix,
    *,
    name: str,
    url: str,
    client: httpx.AsyncClient,
    pool: asyncpg.Pool,
    caller: BenchCaller,
    meter: Meter,
    measured: Sequence[Row],
    concurrency: int,
    load: bool = True,
) -> None:
    """The service (contender `name`, at `url`) as each persona: check, load, one client, writes.
    `measured`: rows of the main table already measured as the analyst, not measured again; without `load`,
    the checks alone (each read's calls, one request of each write)."""
    done = {(row.workload.persona, row.workload.name) for row in measured if row.contender == name}
    for plan in matrix.plans:
        persona = plan.persona
        headers = caller.headers(persona.persona)
        for workload in plan.reads:
            if (persona.name, workload.name) in done:  # checked and measured as the main table's
                matrix.verdicts.append(Verdict(persona.name, workload.name))
                continue
            verdict = await check.persona(client, url, pool, workload, headers)
            matrix.verdicts.append(verdict)
            if not verdict.agrees:
                console.print(f"  {persona.name} {workload.name}: {verdict.kind}: {verdict.problem}", markup=False)
                continue
            if not load:
                console.print(f"  {persona.name} {workload.name}: equal to the floor's", markup=False)
                continue
            bodies = measure.bodies(workload.document, [call.variables for call in workload.calls])
            result = await meter.http(url, bodies, headers=headers)
            _show(result, f"{persona.name} {workload.name} {name}")
            matrix.rows.append(Row(workload, name, None, result))
            if result.failed:
                matrix.failures[(persona.name, workload.name, name)] = _why(result, meter)
        for workload in plan.reads:
            if load and workload.name in SINGLE_CLIENT and matrix.agreed(workload):
                bodies = measure.bodies(workload.document, [call.variables for call in workload.calls])
                result = await meter.http(url, bodies, headers=headers, concurrency=1)
                _show(result, f"{persona.name} {workload.name} {name}, 1 client")
                matrix.single.append(Row(workload, name, None, result))
                if result.failed:
                    matrix.failures[(persona.name, workload.name, f"{name}, 1 client")] = _why(result, meter)
    for plan in matrix.plans:
        headers = caller.headers(plan.persona.persona)
        for write in plan.writes:
            async with pool.acquire() as connection:
                writers = await writes.clients(connection, write, concurrency)
            first = writers[0]
            response = await client.post(f"{url}/graphql", json=first.body(), headers=headers)
            if response.status_code != 200 or not first.accept(response.json()):
                problem = f"{plan.persona.name} {write.name}: {first.failures[-1] if first.failures else response.text}"
                matrix.verdicts.append(Verdict(plan.persona.name, write.name, problem[:500], "errors"))
                console.print(f"  {problem}", markup=False)
                continue
            matrix.verdicts.append(Verdict(plan.persona.name, write.name))
            if not load:
                console.print(f"  {plan.persona.name} {write.name}: answered without errors", markup=False)
                continue
            result = await meter.writes(url, writers, headers)
            _show(result, f"{plan.persona.name} {write.name} {name}")
            failures = tuple(failure for writer in writers for failure in writer.failures)[:3]
            why = _why(result, meter) if result.failed else ""
            matrix.write_rows.append(WriteRow(write, name, len(writers), result, failures, why))
    await _restore(matrix, pool)


def _why(result: Measurement, meter: Meter) -> str:
    """Why a measurement's requests failed: the error codes httpx saw, the rest past the client's timeout."""
    if result.client != "httpx":
        return f"{result.failed} ({result.client} does not say why)"
    reasons = [f"{count} {reason}" for reason, count in meter.failures.most_common()]
    beyond = result.failed - sum(meter.failures.values())
    if beyond > 0:
        reasons.append(f"{beyond} without an answer within {REQUEST_TIMEOUT:g} s")
    return ", ".join(reasons)


async def floor_turn(
    matrix: Matrix,
    *,
    pool: asyncpg.Pool,
    meter: Meter,
    issuer: str,
    concurrency: int,
    measured: Sequence[Row],
) -> None:
    """Every persona's floors: reads (but those `measured` already, the main table's), one client, writes."""
    done = {(row.workload.persona, row.workload.name) for row in measured if row.contender == FLOOR}
    for plan in matrix.plans:
        for workload in plan.reads:
            if (plan.persona.name, workload.name) in done:
                continue
            result = await meter.floor(pool, workload)
            _show(result, f"{plan.persona.name} {workload.name} floor")
            matrix.rows.append(Row(workload, FLOOR, 1, result))
        for workload in plan.reads:
            if workload.name in SINGLE_CLIENT:
                result = await meter.floor(pool, workload, concurrency=1)
                _show(result, f"{plan.persona.name} {workload.name} floor, 1 client")
                matrix.single.append(Row(workload, FLOOR, 1, result))
    for plan in matrix.plans:
        actor = writes.Actor(issuer, plan.persona.persona.subject, plan.persona.scope.organisation)
        for write in plan.writes:
            async with pool.acquire() as connection:
                writers = await writes.clients(connection, write, concurrency)
            result = await meter.floor_writes(pool, writers, actor)
            _show(result, f"{plan.persona.name} {write.name} floor")
            failures = tuple(failure for writer in writers for failure in writer.failures)[:3]
            why = f"{result.failed} (see the first refusals)" if result.failed else ""
            matrix.write_rows.append(WriteRow(write, FLOOR, len(writers), result, failures, why))
    await _restore(matrix, pool)


async def _restore(matrix: Matrix, pool: asyncpg.Pool) -> None:
    if not any(plan.writes for plan in matrix.plans):
        return
    async with pool.acquire() as connection:
        created = await writes.restore(connection, matrix.mark, matrix.subjects())
    console.print(f"  writes taken back: {created} actions created, the run's values and audit rows deleted")
