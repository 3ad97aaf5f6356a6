"""Load the GraphQL service with named workloads and compare it with each workload's SQL floor.

    python -m bench.run --database-url postgresql://user@host/db [--workloads A,B,C,D] [--seconds 20]
        [--concurrency 16] [--workers 1] [--profile-seconds 10] [--output bench/RESULTS.md]

Starts `maillage serve --no-prepare` itself (one single-process service per worker, each on its own
loopback port, the clients split between them), checks that every workload's GraphQL answer equals
its floor's JSON, then measures each workload over HTTP and its floor through asyncpg, counts the SQL
statements of one request in-process, profiles the slowest workload, and writes the results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shlex
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from rich.console import Console
from sqlalchemy.engine import make_url

from bench import inprocess, report, service, workloads
from bench.caller import BenchCaller
from bench.load import REQUEST_TIMEOUT, Measurement, drive
from bench.service import Service, ServiceError
from bench.workloads import Workload

console = Console(stderr=True, highlight=False, soft_wrap=True)
_WARM_UP = 1.0


class Mismatch(Exception):
    """A workload's GraphQL answer differs from its floor's."""


def _first_difference(graphql: Any, floor: Any, path: str = "data") -> str:
    if isinstance(graphql, dict) and isinstance(floor, dict):
        for key in sorted(graphql.keys() | floor.keys()):
            if graphql.get(key) != floor.get(key):
                return _first_difference(graphql.get(key), floor.get(key), f"{path}.{key}")
    if isinstance(graphql, list) and isinstance(floor, list):
        if len(graphql) != len(floor):
            return f"{path}: {len(graphql)} items from GraphQL, {len(floor)} from the floor"
        for index, (left, right) in enumerate(zip(graphql, floor, strict=True)):
            if left != right:
                return _first_difference(left, right, f"{path}[{index}]")
    left, right = json.dumps(graphql, ensure_ascii=False), json.dumps(floor, ensure_ascii=False)
    return f"{path}: GraphQL gives {left[:200]}, the floor {right[:200]}"


async def _has_statistics(client: httpx.AsyncClient, url: str) -> bool:
    response = await client.post(f"{url}/graphql", json={"query": "{ __schema { queryType { fields { name } } } }"})
    response.raise_for_status()
    fields = response.json()["data"]["__schema"]["queryType"]["fields"]
    return any(field["name"] == "actionStatistics" for field in fields)


async def _check(client: httpx.AsyncClient, url: str, pool: asyncpg.Pool, workload: Workload) -> None:
    """Every call of the workload: same rows, same order, same values through GraphQL and the floor."""
    for call in workload.calls:
        response = await client.post(f"{url}/graphql", json={"query": workload.document, "variables": call.variables})
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise Mismatch(f"workload {workload.name} {call.variables}: GraphQL answered {response.text[:500]}")
        floor = json.loads(await pool.fetchval(workload.floor, *call.floor_arguments))
        if body["data"] != floor:
            where = _first_difference(body["data"], floor)
            raise Mismatch(f"workload {workload.name} {call.variables}: the floor disagrees at {where}")


def _graphql_sender(
    client: httpx.AsyncClient, urls: Sequence[str], workload: Workload
) -> Callable[[int], Awaitable[bool]]:
    async def send(n: int) -> bool:
        call = workload.call(n)
        # With several services, consecutive requests go to each in turn.
        url = urls[n % len(urls)]
        try:
            response = await client.post(
                f"{url}/graphql", json={"query": workload.document, "variables": call.variables}
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and b'"errors"' not in response.content

    return send


def _floor_sender(pool: asyncpg.Pool, workload: Workload) -> Callable[[int], Awaitable[bool]]:
    async def send(n: int) -> bool:
        call = workload.call(n)
        return (await pool.fetchval(workload.floor, *call.floor_arguments)) is not None

    return send


async def _measure(send: Callable[[int], Awaitable[bool]], concurrency: int, seconds: float) -> Measurement:
    await drive(send, concurrency=concurrency, seconds=_WARM_UP)
    return await drive(send, concurrency=concurrency, seconds=seconds)


def _print(measurement: Measurement, what: str) -> None:
    failed = f", {measurement.failed} failed" if measurement.failed else ""
    console.print(
        f"  {what:<8} {measurement.rate:8.1f} req/s  p50 {measurement.percentile(50):7.1f} ms"
        f"  p99 {measurement.percentile(99):7.1f} ms{failed}"
    )


async def run(args: argparse.Namespace) -> int:
    names: list[str] = args.workloads
    url: str = args.database_url
    pool = await asyncpg.create_pool(url, min_size=args.concurrency, max_size=args.concurrency)
    try:
        async with pool.acquire() as connection:
            host = await report.machine(connection)
            counts = await report.row_counts(connection)
            sample = await workloads.sample(connection)

        ports = [service.free_port() for _ in range(args.workers)]
        keys = tempfile.mkdtemp(prefix="maillage-bench-")
        profile = None
        services: list[Service] = []
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        results: list[report.Result] = []
        try:
            caller = BenchCaller(Path(keys), f"http://127.0.0.1:{ports[0]}")
            for port in ports:
                services.append(Service(url, port, caller.environment()))
            async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT, headers=caller.headers()) as client:
                for running in services:
                    await running.wait_ready(client)
                urls = [running.url for running in services]
                statistics = await _has_statistics(client, urls[0])
                chosen = workloads.build(names, sample, statistics=statistics)
                for workload in chosen:
                    await _check(client, urls[0], pool, workload)
                console.print(f"Answers checked: GraphQL and floor agree for {', '.join(names)}.")

                memory = asyncio.create_task(service.watch_memory(services))
                try:
                    for workload in chosen:
                        statements = await inprocess.statements_per_request(url, caller, workload)
                        console.print(f"[bold]{workload.name}[/]: {workload.summary}; {statements} SQL statements")
                        graphql = await _measure(
                            _graphql_sender(client, urls, workload), args.concurrency, args.seconds
                        )
                        _print(graphql, "GraphQL")
                        floor = await _measure(_floor_sender(pool, workload), args.concurrency, args.seconds)
                        _print(floor, "floor")
                        results.append(report.Result(workload, statements, graphql, floor))
                finally:
                    memory.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await memory
                # While the first service still serves the issuer the in-process app trusts.
                if args.profile_seconds and results:
                    slowest = min(results, key=lambda result: result.graphql.rate).workload
                    console.print(f"Profiling {slowest.name} in-process for {args.profile_seconds:g} s...")
                    profile = await inprocess.profile(url, caller, slowest, seconds=args.profile_seconds, concurrency=4)
        finally:
            for running in services:
                running.stop()
            shutil.rmtree(keys, ignore_errors=True)
    finally:
        await pool.close()

    hidden = make_url(url).render_as_string(hide_password=True)
    argv = [hidden if argument == url else argument for argument in sys.argv[1:]]
    serve = shlex.join(["python", *service.command(ports[0])[1:]]).replace(str(ports[0]), "PORT")
    layout = f"one process (`{serve}`, MAILLAGE_LOG_LEVEL=warning)"
    if args.workers > 1:
        layout = (
            f"{args.workers} single-process services (`{serve}`, MAILLAGE_LOG_LEVEL=warning) on {args.workers} "
            "ports, consecutive requests sent to each in turn"
        )
    notes = [] if statistics or "C" not in names else ["C: the schema has no `actionStatistics` yet; counted per theme"]
    text = report.render(
        host=host,
        counts=counts,
        commands=[shlex.join(["python", "-m", "bench.run", *argv])],
        layout=layout,
        concurrency=args.concurrency,
        seconds=args.seconds,
        results=results,
        peak_rss=[running.peak_rss for running in services],
        profile=profile,
        notes=notes,
    )
    args.output.write_text(text, encoding="utf-8")
    console.print(report.table(results))
    console.print(f"Results written to {args.output}.")
    if profile:
        console.print(profile.text)
    return 0


def _workload_names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in workloads.NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown workload(s) {', '.join(unknown)}; choose among {workloads.NAMES}")
    return list(dict.fromkeys(names))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL filled by bench.generate")
    parser.add_argument(
        "--workloads", type=_workload_names, default=list(workloads.NAMES), help="comma-separated (default: all)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time per workload and path")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=1, help="service processes, each on its own port")
    parser.add_argument(
        "--profile-seconds", type=float, default=10.0, help="profile the slowest workload this long (0: no profile)"
    )
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.concurrency < 1 or args.workers < 1 or args.seconds <= 0:
        console.print("bench.run: --concurrency and --workers must be at least 1, --seconds above 0")
        return 2
    try:
        return asyncio.run(run(args))
    except Mismatch as error:
        console.print(f"bench.run: {error}", markup=False)
        return 1
    except (ServiceError, OSError, asyncpg.PostgresError) as error:
        console.print(f"bench.run: {error}", markup=False)
        return 1


if __name__ == "__main__":
    sys.exit(main())
