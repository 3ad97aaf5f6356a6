"""The machine, the data and the figures of a load run, as Markdown for bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import psutil

from bench.clientcost import ClientCost
from bench.inprocess import Profile
from bench.load import Measurement
from bench.workloads import Workload

FLOOR = "floor"  # the contender every other is compared with
COUNTED_TABLES = (
    "organisation",
    "scheme",
    "ctg",
    "signature",
    "action",
    "action_partner",
    "indicator",
    "indicator_value",
    "audit_event",
)
# What `bench.generate --scale 1.0` makes (seed 2026): the scale of a database is read against these.
_NATIONAL_EPCIS, _NATIONAL_ACTIONS = 1255, 44_866


@dataclass(frozen=True)
class Machine:
    cores: int
    memory_gb: float
    cpu: str
    python: str
    postgresql: str


@dataclass(frozen=True)
class Contender:
    name: str  # as the tables name it
    description: str  # what it is and how it ran
    peak_rss: int = 0  # bytes, over all its processes at once; 0: not sampled (the floor runs in this process)
    processes: int = 0


@dataclass(frozen=True)
class Row:
    workload: Workload
    contender: str
    statements: int | None  # SQL statements per request, where known
    measurement: Measurement


@dataclass(frozen=True)
class Ratio:
    name: str  # e.g. "Maillage ×2 ÷ ×1"
    numerator: str  # contender names
    denominator: str


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def machine(connection: asyncpg.Connection) -> Machine:
    return Machine(
        cores=os.cpu_count() or 0,
        memory_gb=psutil.virtual_memory().total / 2**30,
        cpu=_cpu_model(),
        python=platform.python_version(),
        postgresql=await connection.fetchval("SHOW server_version"),
    )


async def row_counts(connection: asyncpg.Connection) -> dict[str, int]:
    return {
        table: await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 (the constant names above)
        for table in COUNTED_TABLES
    }


async def scale(connection: asyncpg.Connection) -> str:
    """The scale the data was generated at, as near as the rows say: below 1.0 a sample of the EPCIs has
    CTGs; above, every EPCI has, and the actions per CTG grow with the scale."""
    epcis, actions = await connection.fetchrow(
        "SELECT (SELECT count(DISTINCT epci_siren) FROM scheme WHERE ref LIKE 'bench:%' AND kind = 'CTG'), "
        "(SELECT count(*) FROM action WHERE ref LIKE 'bench:%')"
    )
    if not epcis:
        return "No generated rows (`bench:` refs): the demo alone."
    estimate = epcis / _NATIONAL_EPCIS if epcis < _NATIONAL_EPCIS * 0.99 else actions / _NATIONAL_ACTIONS
    return (
        f"Generated at scale ≈ {estimate:.2g}: CTGs on {epcis:,} EPCIs and {actions:,} generated actions "
        f"(scale 1.0: all {_NATIONAL_EPCIS:,} EPCIs, {_NATIONAL_ACTIONS:,} actions; above 1.0 the actions grow "
        "with the scale)."
    )


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}×" if denominator else "–"


def table(rows: list[Row]) -> str:
    """Every contender on every workload, with the floor's rate over the contender's."""
    floors = {row.workload.name: row.measurement.rate for row in rows if row.contender == FLOOR}
    lines = [
        "| workload | contender | load client | req/s | p50 ms | p99 ms | SQL statements / request "
        "| floor ÷ contender |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        m = row.measurement
        failed = f" ({m.failed} failed)" if m.failed else ""
        statements = "–" if row.statements is None else str(row.statements)
        ratio = "–" if row.contender == FLOOR else _ratio(floors.get(row.workload.name, 0.0), m.rate)
        lines.append(
            f"| {row.workload.name} | {row.contender} | {m.client} | {m.rate:.1f}{failed} | {m.p50:.1f} | {m.p99:.1f} "
            f"| {statements} | {ratio} |"
        )
    return "\n".join(lines)


def rates(rows: list[Row], contenders: list[Contender], ratios: list[Ratio]) -> str:
    """Requests per second, a column per contender, and the ratios asked for."""
    rate = {(row.workload.name, row.contender): row.measurement.rate for row in rows}
    workloads = list(dict.fromkeys(row.workload.name for row in rows))
    names = [contender.name for contender in contenders]
    lines = [
        "| workload | " + " | ".join(names + [ratio.name for ratio in ratios]) + " |",
        "| --- |" + " ---: |" * (len(names) + len(ratios)),
    ]
    for workload in workloads:
        cells = [f"{rate[(workload, name)]:.1f}" if (workload, name) in rate else "–" for name in names]
        for ratio in ratios:
            key, under = (workload, ratio.numerator), (workload, ratio.denominator)
            cells.append(_ratio(rate[key], rate[under]) if key in rate and under in rate else "–")
        lines.append(f"| {workload} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _memory(contenders: list[Contender]) -> str:
    parts = []
    for contender in contenders:
        if contender.processes:
            over = "1 process" if contender.processes == 1 else f"{contender.processes} processes together"
            parts.append(f"{contender.name} {_mb(contender.peak_rss)} ({over})")
    return "Peak RSS: " + "; ".join(parts) + "." if parts else ""


def _client_costs(costs: list[ClientCost], seconds: float, concurrency: int) -> list[str]:
    if not costs:
        return []
    return [
        "## Load client",
        "",
        f"What each client costs, measured first: {concurrency} connections for {seconds:g} s against "
        "`bench.trivial` (asyncio, one fixed answer), the client's CPU time over the wall time.",
        "",
        "| client | req/s | CPU (1.0 = one core) | CPU per request |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {cost.client} | {cost.rate:,.0f} | {cost.cpu_share:.2f} | {cost.cpu_per_request:,.0f} µs |"
            for cost in costs
        ),
        "",
    ]


def render(
    *,
    host: Machine,
    counts: dict[str, int],
    commands: list[str],
    contenders: list[Contender],
    concurrency: int,
    seconds: float,
    rows: list[Row],
    ratios: list[Ratio],
    client_costs: list[ClientCost],
    client_seconds: float,
    profile: Profile | None,
    notes: list[str],
    data: str = "",
    sections: Sequence[str] = (),
) -> str:
    """The whole file; `data`: a sentence on the data (its scale); `sections`: Markdown after the figures."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    workloads = list({row.workload.name: row.workload for row in rows}.values())
    out = [
        "# Load results",
        "",
        f"Written by `python -m bench.run` on {when}; a new run replaces this file.",
        "",
        "## Machine",
        "",
        f"- {host.cores} cores, {host.memory_gb:.0f} GB RAM, {host.cpu}",
        f"- Python {host.python}, PostgreSQL {host.postgresql} on the same machine (loopback)",
        "- load client, servers and PostgreSQL share these cores; one contender runs at a time",
        "",
        "## Data",
        "",
        f"Generated by `python -m bench.generate` (see README.md) after `maillage load-demo`. {data}".rstrip(),
        "",
        "| table | rows |",
        "| --- | ---: |",
        *(f"| `{name}` | {count:,} |" for name, count in counts.items()),
        "",
        "## Commands",
        "",
        "```sh",
        *commands,
        "```",
        "",
        "## Contenders",
        "",
        *(f"- **{contender.name}**: {contender.description}." for contender in contenders),
        "",
        f"Each workload: {concurrency} concurrent closed-loop clients for {seconds:g} s after a 1 s warm-up, "
        "one contender after the other.",
        "",
        *_client_costs(client_costs, client_seconds, concurrency),
        "## Workloads",
        "",
        *(f"- **{workload.name}**: {workload.summary}." for workload in workloads),
        *(f"- {note}" for note in notes),
        "",
        "## Figures: every contender, as the Cnaf analyst",
        "",
        rates(rows, contenders, ratios),
        "",
        table(rows),
        "",
        "Latencies are as the load client measures them, queueing included. *SQL statements / request*: for "
        "Maillage, the `sql_statements` of its request log for the second of two identical requests in-process "
        "(every round trip to PostgreSQL: a compiled read's statement, the resolvers' statements; BEGIN, ROLLBACK "
        "and the pool's pre-ping are not counted); for PostGraphile, the statements its pool sent for one "
        "request, BEGIN and COMMIT not counted. *floor ÷ contender*: how many times more requests per second the "
        "single hand-written statement serves.",
        "",
        _memory(contenders),
        "",
        *sections,
    ]
    if profile:
        out += [
            "## Profile",
            "",
            f"Workload {profile.workload}, {profile.requests} requests from "
            f"{profile.concurrency} clients in one process through `httpx.ASGITransport` ({profile.seconds:.1f} s, "
            f"{profile.requests / profile.seconds:.0f} req/s), sampled every ms by pyinstrument. "
            "Share of the samples by where the code lives (self time):",
            "",
            "| where | share |",
            "| --- | ---: |",
            *(f"| {name} | {share:.0%} |" for name, share in profile.groups if share >= 0.005),
            "",
            "Functions with the most self time:",
            "",
            "| function | share |",
            "| --- | ---: |",
            *(f"| `{name}` | {share:.1%} |" for name, share in profile.functions),
            "",
        ]
    return "\n".join(out)
