"""Each contender's turn: start it, check its answers against the floor, measure every workload, stop it."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import httpx
from rich.console import Console

from bench import check, inprocess, measure, postgraphile, postgraphile_workloads, service
from bench.caller import BenchCaller
from bench.inprocess import Profile
from bench.load import Measurement
from bench.measure import Meter
from bench.report import FLOOR, Contender, Row
from bench.service import Service
from bench.workloads import Workload

console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Session:
    """What every turn shares."""

    database_url: str
    pool: asyncpg.Pool
    client: httpx.AsyncClient  # carries the analyst's token
    caller: BenchCaller
    meter: Meter
    concurrency: int
    notes: list[str] = field(default_factory=list)
    statements: dict[str, int] = field(default_factory=dict)  # Maillage's, per workload, counted once
    environment: dict[str, str] = field(default_factory=dict)  # more for `maillage serve` (a statement timeout)


def show(measurement: Measurement, what: str) -> None:
    failed = f", {measurement.failed} failed" if measurement.failed else ""
    console.print(
        f"  {what:<16} {measurement.rate:8.1f} req/s  p50 {measurement.p50:7.1f} ms  p99 {measurement.p99:7.1f} ms"
        f"  ({measurement.client}{failed})"
    )


@contextlib.asynccontextmanager
async def _watched(server: Service) -> AsyncIterator[None]:
    memory = asyncio.create_task(service.watch_memory([server]))
    try:
        yield
    finally:
        memory.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await memory


async def maillage(
    session: Session,
    port: int,
    workers: int,
    chosen: Sequence[Workload],
    *,
    profile_seconds: float,
    profile_workload: str | None = None,
    while_serving: Callable[[Service, list[Row]], Awaitable[None]] | None = None,
) -> tuple[Contender | None, list[Row], Profile | None]:
    """`maillage serve` with `workers` workers on `port` (the issuer's: the caller's tokens name it).
    `while_serving`: more to do with the service up, after its workloads (given the rows measured)."""
    name = f"Maillage ×{workers}"
    serve = shlex.join(["python", *service.command(port)[1:]]).replace(str(port), "PORT")
    environment = {**session.caller.environment(), **session.environment}
    server = Service.maillage(session.database_url, port, environment, workers=workers)
    rows: list[Row] = []
    profile = None
    session.client.headers.update(session.caller.headers())  # a fresh token: a long run outlives an hour
    try:
        await server.wait_ready(session.client)
        if workers > 1 and server.process_count() == 1:
            note = f"{name}: `maillage serve` ran one process, ignoring MAILLAGE_WORKERS={workers}; not measured"
            console.print(note)
            session.notes.append(note)
            return None, [], None
        for workload in chosen:
            await check.maillage(session.client, server.url, session.pool, workload)
        processes = server.process_count()
        console.print(
            f"[bold]{name}[/] ({processes} process{'es' if processes > 1 else ''}): answers agree with the floor's."
        )
        async with _watched(server):
            for workload in chosen:
                if workload.name not in session.statements:
                    session.statements[workload.name] = await inprocess.statements_per_request(
                        session.database_url, session.caller, workload
                    )
                requests = measure.bodies(workload.document, [call.variables for call in workload.calls])
                measured = await session.meter.http(server.url, requests)
                show(measured, f"{workload.name} {name}")
                rows.append(Row(workload, name, session.statements[workload.name], measured))
            if while_serving is not None:
                await while_serving(server, rows)
        # While the service still serves the issuer the in-process app trusts.
        if profile_seconds and rows:
            named = [row.workload for row in rows if row.workload.name == profile_workload]
            target = named[0] if named else min(rows, key=lambda row: row.measurement.rate).workload
            console.print(f"Profiling {target.name} in-process for {profile_seconds:g} s...")
            profile = await inprocess.profile(
                session.database_url, session.caller, target, seconds=profile_seconds, concurrency=4
            )
    finally:
        server.stop()
    description = f"`{serve}` with MAILLAGE_WORKERS={workers} and MAILLAGE_LOG_LEVEL=warning"
    return Contender(name, description, server.peak_rss, server.processes), rows, profile


async def peer(session: Session, chosen: Sequence[Workload]) -> tuple[Contender, list[Row]]:
    """PostGraphile on the same database, row-level security checked, then every workload in its schema."""
    name = f"PostGraphile {postgraphile.version()}"
    server = postgraphile.start(
        session.database_url, service.free_port(), session.caller, pool_size=session.concurrency
    )
    rows: list[Row] = []
    session.client.headers.update(session.caller.headers())
    try:
        await server.wait_ready(session.client)
        async with httpx.AsyncClient() as anonymous:
            unscoped = await postgraphile.ctgs_seen(anonymous, server.url)
        scoped = await postgraphile.ctgs_seen(session.client, server.url)
        console.print(
            f"{name}, row-level security: {unscoped} CTGs without the analyst's settings, {scoped:,} with them."
        )
        if unscoped:
            raise check.Mismatch(f"{name} sees {unscoped} CTGs anonymously: row-level security does not apply")
        peers = [postgraphile_workloads.build(workload) for workload in chosen]
        for workload, asked in zip(chosen, peers, strict=True):
            await check.postgraphile(session.client, server.url, session.pool, workload, asked)
        console.print(f"[bold]{name}[/]: answers agree with the floor's.")
        async with _watched(server):
            for workload, asked in zip(chosen, peers, strict=True):
                statements = await _statements(session.client, server.url, asked)
                measured = await session.meter.http(server.url, measure.bodies(asked.document, asked.variables))
                show(measured, f"{workload.name} PostGraphile")
                rows.append(Row(workload, name, statements, measured))
    finally:
        server.stop()
    description = (
        f"{postgraphile.describe()}, one Node process on the same database as the same role "
        f"(`maillage_service`, row-level security on), a pool of {session.concurrency} connections"
    )
    return Contender(name, description, server.peak_rss, server.processes), rows


async def _statements(client: httpx.AsyncClient, url: str, asked: postgraphile_workloads.PeerWorkload) -> int:
    before = await postgraphile.statements(client, url)
    response = await client.post(f"{url}/graphql", json={"query": asked.document, "variables": asked.call(0)})
    response.raise_for_status()
    return await postgraphile.statements(client, url) - before


async def floor(session: Session, chosen: Sequence[Workload]) -> tuple[Contender, list[Row]]:
    rows = []
    for workload in chosen:
        measured = await session.meter.floor(session.pool, workload)
        show(measured, f"{workload.name} floor")
        rows.append(Row(workload, FLOOR, 1, measured))
    description = (
        f"each workload's one hand-written SQL statement through an asyncpg pool of {session.concurrency} "
        "connections as the database owner with `jit = off`, in the runner's process (no HTTP)"
    )
    return Contender(FLOOR, description), rows
