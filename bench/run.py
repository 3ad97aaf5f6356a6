"""Load Maillage, PostGraphile and each workload's SQL floor with named workloads, one after the other, as
a Cnaf analyst and as each development persona.

    python -m bench.run --database-url postgresql://user@host/db [--workloads A,B,C,D,P20,O10] [--seconds 20]
        [--concurrency 16] [--workers 1,2] [--personas cnaf-analyst,caf-31-agent,...]
        [--writes updateAction,createAction,reportIndicatorValue] [--no-postgraphile] [--no-explain]
        [--profile-seconds 10] [--output bench/RESULTS.md]

First measures what the load clients cost. Then starts `maillage serve --no-prepare` itself with each
worker count, checks that every workload's answer equals its floor's JSON and measures each workload
over HTTP as the analyst; with the first worker count, also every persona's reads (checked against the
persona's own floor; a difference, an error or a timeout is reported, not measured), one client's
latency on the pages, the writes, and EXPLAIN of each persona's statements. Starts PostGraphile
(installed with npm on first use) on the same database, checks that row-level security applies to it and
that its answers equal the floor's, and measures it too; then each floor through asyncpg in this process,
the personas' too. Counts the SQL statements of one request, profiles one of Maillage's workloads (B by
default), takes back what the writes wrote, and writes the results.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
from rich.console import Console
from sqlalchemy.engine import make_url

from bench import (
    check,
    clientcost,
    contenders,
    explain,
    matrix,
    persona_report,
    personas,
    postgraphile,
    report,
    service,
    workloads,
    writes,
    wrk,
)
from bench.caller import BenchCaller
from bench.check import Mismatch
from bench.load import REQUEST_TIMEOUT
from bench.matrix import Matrix
from bench.measure import Meter
from bench.report import Contender, Ratio, Row
from bench.scopes import ScopeError
from bench.service import Service, ServiceError
from bench.wrk import WrkError

console = Console(stderr=True, highlight=False, soft_wrap=True)
_CLIENT_SECONDS = 3.0  # each load client against bench.trivial


async def _has_statistics(client: httpx.AsyncClient, url: str) -> bool:
    response = await client.post(f"{url}/graphql", json={"query": "{ __schema { queryType { fields { name } } } }"})
    response.raise_for_status()
    fields = response.json()["data"]["__schema"]["queryType"]["fields"]
    return any(field["name"] == "actionStatistics" for field in fields)


async def _load_client(args: argparse.Namespace, scratch: Path) -> tuple[str | None, list[clientcost.ClientCost]]:
    path, why = wrk.find()
    if why:
        console.print(f"Load client: {why}; httpx measures every HTTP contender.")
    costs = await clientcost.measure(args.concurrency, _CLIENT_SECONDS, path, scratch)
    for cost in costs:
        console.print(
            f"Load client {cost.client}: {cost.rate:,.0f} req/s against bench.trivial, "
            f"{cost.cpu_share:.2f} of a core, {cost.cpu_per_request:,.0f} µs of CPU per request."
        )
    return path, costs


def _ratios(measured: list[Contender]) -> list[Ratio]:
    names = [contender.name for contender in measured]
    maillage = [name for name in names if name.startswith("Maillage")]
    ratios = [Ratio(f"{later.split()[-1]} ÷ {maillage[0].split()[-1]}", later, maillage[0]) for later in maillage[1:]]
    peers = [name for name in names if name.startswith("PostGraphile")]
    if maillage and peers:
        ratios.append(Ratio(f"PostGraphile ÷ {maillage[0]}", peers[0], maillage[0]))
    return ratios


async def run(args: argparse.Namespace) -> int:
    names: list[str] = args.workloads
    main_names = [name for name in names if name in workloads.NAMES]
    url: str = args.database_url
    # The floors' connections: PostgreSQL's JIT compiles any statement estimated above jit_above_cost, which
    # for a scoped floor (correlated sub-selects, estimated high) costs ten times what running it does.
    pool = await asyncpg.create_pool(
        url, min_size=args.concurrency, max_size=args.concurrency, server_settings={"jit": "off"}
    )
    scratch = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
    measured: list[Contender] = []
    rows: list[Row] = []
    profile = None
    explained: list[explain.Explained] = []
    grid: Matrix | None = None
    try:
        async with pool.acquire() as connection:
            host = await report.machine(connection)
            counts = await report.row_counts(connection)
            data = await report.scale(connection)
            sample = await workloads.sample(connection)
            chosen_personas = await personas.resolve(connection, args.personas)
            left = await writes.restore(connection, None, [])
            if left:
                console.print(f"Deleted {left} actions an interrupted run had created.")
        wrk_path, costs = await _load_client(args, scratch)
        port = service.free_port()
        caller = BenchCaller(scratch / "keys", f"http://127.0.0.1:{port}")
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        # The load's requests give up after REQUEST_TIMEOUT whatever this; the checks wait for a slow service.
        slow = args.service_statement_timeout_ms
        timeout = REQUEST_TIMEOUT if slow is None else max(REQUEST_TIMEOUT, slow / 1000 * 3 + 30)
        async with httpx.AsyncClient(limits=limits, timeout=timeout, headers=caller.headers()) as client:
            meter = Meter(
                client, concurrency=args.concurrency, seconds=args.seconds, wrk_path=wrk_path, scratch=scratch
            )
            session = contenders.Session(url, pool, client, caller, meter, args.concurrency)
            if args.service_statement_timeout_ms is not None:
                session.environment["MAILLAGE_STATEMENT_TIMEOUT_MS"] = str(args.service_statement_timeout_ms)
            # The workloads depend on the schema: ask a first service.
            first = service.Service.maillage(url, port, caller.environment())
            try:
                await first.wait_ready(client)
                statistics = await _has_statistics(client, first.url)
            finally:
                first.stop()
            chosen = workloads.build(main_names, sample, statistics=statistics)
            if not statistics and "C" in names:
                session.notes.append("C: the schema has no `actionStatistics` yet; counted per theme")
            async with pool.acquire() as connection:
                plans = await explain.plans_for(
                    connection, chosen_personas, names, args.writes, statistics=statistics, concurrency=args.concurrency
                )
                grid = Matrix(plans)
                grid.mark = await writes.mark(connection, [write for plan in plans for write in plan.writes])
            service_name = f"Maillage ×{args.workers[0]}"
            if args.check_only:
                return await _check_only(session, port, chosen, grid)

            async def persona_turn(server: Service, done: list[Row]) -> None:
                assert grid is not None
                console.print(f"[bold]{service_name}, as each persona[/]")
                await matrix.service_turn(
                    grid,
                    name=service_name,
                    url=server.url,
                    client=client,
                    pool=pool,
                    caller=caller,
                    meter=meter,
                    measured=done,
                    concurrency=args.concurrency,
                )
                if args.explain:
                    console.print("EXPLAIN of each persona's statements, in-process...")
                    explained[:] = await explain.explain(url, caller, plans, pool, timeout_ms=args.explain_timeout_ms)
                    async with pool.acquire() as connection:
                        await writes.restore(connection, grid.mark, grid.subjects())

            for index, workers in enumerate(args.workers):
                contender, more, profiled = await contenders.maillage(
                    session,
                    port,
                    workers,
                    chosen,
                    profile_seconds=0 if profile else args.profile_seconds,
                    profile_workload=args.profile_workload,
                    while_serving=persona_turn if index == 0 else None,
                )
                profile = profile or profiled
                if contender:
                    measured.append(contender)
                    rows += more
            if args.postgraphile and chosen:
                try:
                    postgraphile.install()
                except postgraphile.PostGraphileUnavailable as error:
                    console.print(f"PostGraphile: {error}; measuring the others.", markup=False)
                    session.notes.append(f"PostGraphile not measured: {error}")
                else:
                    contender, more = await contenders.peer(session, chosen)
                    measured.append(contender)
                    rows += more
            contender, more = await contenders.floor(session, chosen)
            measured.append(contender)
            rows += more
            console.print("[bold]floor, as each persona[/]")
            await matrix.floor_turn(
                grid, pool=pool, meter=meter, issuer=caller.issuer(), concurrency=args.concurrency, measured=rows
            )
    finally:
        if grid is not None and grid.mark is not None:
            async with pool.acquire() as connection:
                await writes.restore(connection, grid.mark, grid.subjects())
        await pool.close()
        shutil.rmtree(scratch, ignore_errors=True)

    hidden = make_url(url).render_as_string(hide_password=True)
    argv = [hidden if argument == url else argument for argument in sys.argv[1:]]
    order = {contender.name: index for index, contender in enumerate(measured)}
    rows.sort(key=lambda row: (names.index(row.workload.name), order[row.contender]))
    sections = persona_report.render(grid, rows, service_name) if grid.plans else []
    if explained:
        sections.append(explain.section(explained, timeout_ms=args.explain_timeout_ms, data=data))
    text = report.render(
        host=host,
        counts=counts,
        commands=[shlex.join(["python", "-m", "bench.run", *argv])],
        contenders=measured,
        concurrency=args.concurrency,
        seconds=args.seconds,
        rows=rows,
        ratios=_ratios(measured),
        client_costs=costs,
        client_seconds=_CLIENT_SECONDS,
        profile=profile,
        notes=session.notes,
        data=data,
        sections=sections,
    )
    args.output.write_text(text, encoding="utf-8")
    console.print(report.rates(rows, measured, _ratios(measured)))
    problems = [verdict for verdict in grid.verdicts if not verdict.agrees]
    for verdict in problems:
        console.print(f"{verdict.persona} {verdict.workload}: {verdict.kind}: {verdict.problem}", markup=False)
    if problems:
        console.print(f"{len(problems)} persona × workload answers differ from their floors, fail or time out.")
    console.print(f"Results written to {args.output}.")
    if profile:
        console.print(profile.text)
    return 0


async def _check_only(session: contenders.Session, port: int, chosen: list[workloads.Workload], grid: Matrix) -> int:
    """Every answer against its floor, the analyst's and each persona's, with nothing measured: 1 if any differs."""
    environment = {**session.caller.environment(), **session.environment}
    server = Service.maillage(session.database_url, port, environment)
    mismatches = []
    try:
        await server.wait_ready(session.client)
        for workload in chosen:
            try:
                await check.maillage(session.client, server.url, session.pool, workload)
            except Mismatch as error:
                mismatches.append(str(error))
        await matrix.service_turn(
            grid,
            name="Maillage",
            url=server.url,
            client=session.client,
            pool=session.pool,
            caller=session.caller,
            meter=session.meter,
            measured=[],
            concurrency=session.concurrency,
            load=False,
        )
    finally:
        server.stop()
    problems = [f"{v.persona} {v.workload}: {v.kind}: {v.problem}" for v in grid.verdicts if not v.agrees]
    for problem in [*mismatches, *problems]:
        console.print(problem, markup=False)
    console.print(
        f"{len(grid.verdicts) + len(chosen) - len(problems) - len(mismatches)} answers equal to their floors, "
        f"{len(problems) + len(mismatches)} not."
    )
    return 1 if problems or mismatches else 0


def _workers(value: str) -> list[int]:
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--workers takes counts separated by commas, not {value!r}") from error
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("--workers takes counts of at least 1")
    return list(dict.fromkeys(counts))


def _names(known: tuple[str, ...], what: str, *, empty: bool = False) -> Callable[[str], list[str]]:
    """A parser of comma-separated names among `known`; `empty`: "none" (or "") gives none."""

    def parse(value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip() and name.strip() != "none"]
        unknown = [name for name in names if name not in known]
        if unknown or (not names and not empty):
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; choose among {', '.join(known)}")
        return list(dict.fromkeys(names))

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL filled by bench.generate")
    parser.add_argument(
        "--workloads",
        type=_names(workloads.PERSONA_NAMES, "workload(s)"),
        default=list(workloads.PERSONA_NAMES),
        help="read workloads, comma-separated (default: all; P20, O10 and F20 are measured for the personas only)",
    )
    parser.add_argument(
        "--personas",
        type=_names(personas.NAMES, "persona(s)", empty=True),
        default=list(personas.NAMES),
        help="who the persona tables measure (default: all five; none: the analyst's main table only)",
    )
    parser.add_argument(
        "--writes",
        type=_names(writes.NAMES, "write workload(s)", empty=True),
        default=list(writes.NAMES),
        help="write workloads, made by the personas allowed to (default: all three; none: no writes)",
    )
    parser.add_argument(
        "--no-explain", dest="explain", action="store_false", help="skip EXPLAIN of the personas' statements"
    )
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="check every answer (the analyst's, each persona's) against its floor and measure nothing",
    )
    parser.add_argument(
        "--service-statement-timeout-ms",
        type=int,
        default=None,
        help="MAILLAGE_STATEMENT_TIMEOUT_MS of the services started (default: theirs, 5 s); with --check-only, "
        "a long one checks answers that the service is still too slow to give",
    )
    parser.add_argument(
        "--explain-timeout-ms", type=int, default=30_000, help="statement timeout of EXPLAIN itself (default 30 s)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time per workload and path")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--workers", type=_workers, default=[1, 2], help="Maillage's uvicorn workers, one run per count (default: 1,2)"
    )
    parser.add_argument(
        "--no-postgraphile", dest="postgraphile", action="store_false", help="measure Maillage and the floor only"
    )
    parser.add_argument(
        "--profile-seconds", type=float, default=10.0, help="profile one workload this long (0: no profile)"
    )
    parser.add_argument(
        "--profile-workload",
        default="B",
        help="the workload to profile (default B, the smallest request: what every request pays); empty: the slowest",
    )
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.concurrency < 1 or args.seconds <= 0:
        console.print("bench.run: --concurrency must be at least 1, --seconds above 0")
        return 2
    try:
        return asyncio.run(run(args))
    except Mismatch as error:
        console.print(f"bench.run: {error}", markup=False)
        return 1
    except (ServiceError, WrkError, ScopeError, OSError, asyncpg.PostgresError) as error:
        console.print(f"bench.run: {error}", markup=False)
        return 1


if __name__ == "__main__":
    sys.exit(main())
