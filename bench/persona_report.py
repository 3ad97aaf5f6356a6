"""The persona dimension in bench/RESULTS.md: who the personas are, their reads beside their floors, one
client's latency, the writes, and where the service's answers differ from the floors."""

from __future__ import annotations

from collections.abc import Sequence

from bench.check import Verdict
from bench.load import Measurement
from bench.matrix import Matrix, WriteRow
from bench.report import FLOOR, Row
from bench.workloads import PERSONA_NAMES, SINGLE_CLIENT

TARGET_P50_MS = 50.0  # one person waiting for a page


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}×" if denominator else "–"


def _ms(m: Measurement | None, value: float) -> str:
    """A latency, or a dash when no request succeeded (there is none to take it from)."""
    return f"{value:,.1f}" if m is not None and m.answered else "–"


def _cells(m: Measurement | None) -> str:
    if m is None:
        return "– | – | –"
    failed = f" ({m.failed} failed)" if m.failed else ""
    return f"{m.rate:,.1f}{failed} | {_ms(m, m.p50)} | {_ms(m, m.p99)}"


def _find(rows: Sequence[Row], persona: str, workload: str, contender: str) -> Measurement | None:
    for row in rows:
        if row.workload.persona == persona and row.workload.name == workload and row.contender == contender:
            return row.measurement
    return None


def _verdict(verdicts: Sequence[Verdict], persona: str, workload: str) -> Verdict | None:
    return next((v for v in verdicts if v.persona == persona and v.workload == workload), None)


def personas(matrix: Matrix) -> list[str]:
    lines = [
        "## Personas",
        "",
        "Each persona's calls ask what it would, from the data it sees: A, A10 and C its department (where it "
        "sees the most CTGs), A100 the first 100 CTGs it sees, B the CTGs it sees, D the same searches over the "
        "actions it sees, P20 its first page of actions, O10 the organisations it sees. Its floors keep the rows "
        "of its scope with the WHERE clauses of `bench/scopes.py`.",
        "",
        "| persona | who | scope | asks about |",
        "| --- | --- | --- | --- |",
    ]
    for plan in matrix.plans:
        lines.append(
            f"| {plan.persona.name} | {plan.persona.persona.description} | {plan.persona.scope.describe()} "
            f"| {plan.asks} |"
        )
    own = {w.name: w for plan in matrix.plans for w in plan.reads if w.name in SINGLE_CLIENT}
    lines += ["", *(f"- **{w.name}**: `{w.document}`: {w.summary}." for w in own.values())]
    return [*lines, ""]


def reads(matrix: Matrix, rows: Sequence[Row], service: str) -> list[str]:
    """Per persona and read workload: the service and the floor side by side, and the check's verdict."""
    every = [*rows, *matrix.rows]
    lines = [
        f"## Personas: reads ({service} and each persona's floor)",
        "",
        f"| persona | workload | {service} req/s | p50 ms | p99 ms | client | floor req/s | p50 ms | p99 ms "
        "| floor ÷ service | answer checked | failed requests |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for plan in matrix.plans:
        for workload in plan.reads:
            ours = _find(every, plan.persona.name, workload.name, service)
            floor = _find(every, plan.persona.name, workload.name, FLOOR)
            verdict = _verdict(matrix.verdicts, plan.persona.name, workload.name)
            answers = "equal" if verdict is None or verdict.agrees else f"**{verdict.kind}**"
            ratio = _ratio(floor.rate, ours.rate) if ours and floor else "–"
            why = matrix.failures.get((plan.persona.name, workload.name, service), "–")
            lines.append(
                f"| {plan.persona.name} | {workload.name} | {_cells(ours)} | {ours.client if ours else '–'} "
                f"| {_cells(floor)} | {ratio} | {answers} | {why} |"
            )
    names = ", ".join(PERSONA_NAMES)
    return [
        *lines,
        "",
        f"Workloads {names}; P20, O10 and F20 are the persona table's own (see README.md). A workload whose answer "
        "differed from the floor's, failed or timed out is not measured through the service: see *Answers against "
        "the floors* below.",
        "",
    ]


def single(matrix: Matrix, service: str) -> list[str]:
    lines = [
        "## Personas: one client",
        "",
        f"Sequential requests from one client for the measuring time: what a person waits for a page (the "
        f"target: under {TARGET_P50_MS:.0f} ms p50 for every persona).",
        "",
        f"| persona | workload | {service} p50 ms | p99 ms | req/s | client | floor p50 ms "
        f"| under {TARGET_P50_MS:.0f} ms | failed requests |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for plan in matrix.plans:
        for workload in plan.reads:
            ours = _find(matrix.single, plan.persona.name, workload.name, service)
            floor = _find(matrix.single, plan.persona.name, workload.name, FLOOR)
            if ours is None and floor is None:
                continue
            met = "–" if ours is None else ("yes" if ours.p50 < TARGET_P50_MS and not ours.failed else "**no**")
            why = matrix.failures.get((plan.persona.name, workload.name, f"{service}, 1 client"), "–")
            lines.append(
                f"| {plan.persona.name} | {workload.name} | {_ms(ours, ours.p50 if ours else 0)} "
                f"| {_ms(ours, ours.p99 if ours else 0)} | {f'{ours.rate:,.1f}' if ours else '–'} "
                f"| {ours.client if ours else '–'} | {_ms(floor, floor.p50 if floor else 0)} | {met} | {why} |"
            )
    return [*lines, ""]


def _write_cells(row: WriteRow | None) -> str:
    if row is None:
        return "– | – | – | –"
    return f"{row.clients} | {_cells(row.measurement)}"


def write_table(matrix: Matrix, service: str) -> list[str]:
    if not matrix.write_rows and not any(plan.writes for plan in matrix.plans):
        return []
    lines = [
        "## Writes",
        "",
        "httpx closed loop for both (wrk cannot carry the version an answer returns into the next request); each "
        "client writes its own rows. A failure is an answer with any error, refusals included.",
        "",
        f"| write | persona | {service} clients | req/s | p50 ms | p99 ms | floor clients | req/s | p50 ms "
        "| p99 ms | floor ÷ service | failed requests | what |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for plan in matrix.plans:
        for write in plan.writes:
            ours = next((r for r in matrix.write_rows if r.workload == write and r.contender == service), None)
            floor = next((r for r in matrix.write_rows if r.workload == write and r.contender == FLOOR), None)
            ratio = _ratio(floor.measurement.rate, ours.measurement.rate) if ours and floor else "–"
            why = "; ".join(f"{row.contender}: {row.why}" for row in (ours, floor) if row is not None and row.why)
            lines.append(
                f"| {write.name} | {plan.persona.name} | {_write_cells(ours)} | {_write_cells(floor)} | {ratio} "
                f"| {why or '–'} | {write.summary} |"
            )
    failures = [(row, failure) for row in matrix.write_rows for failure in row.failures]
    if failures:
        lines += ["", "First refusals:", ""]
        lines += [
            f"- {row.workload.name}, {row.workload.persona.name}, {row.contender}: `{failure}`"
            for row, failure in failures
        ]
    return [*lines, ""]


def differences(matrix: Matrix) -> list[str]:
    problems = [verdict for verdict in matrix.verdicts if not verdict.agrees]
    lines = ["## Answers against the floors", ""]
    if not problems:
        return [*lines, "Every persona's answer to every workload equals its floor's.", ""]
    lines += [
        f"{len(problems)} of {len(matrix.verdicts)} persona × workload checks did not give the floor's answer "
        "(first call that did not, first difference):",
        "",
    ]
    lines += [f"- **{v.persona}, {v.workload}** ({v.kind}): {v.problem.replace('|', '/')}" for v in problems]
    return [*lines, ""]


def render(matrix: Matrix, rows: Sequence[Row], service: str) -> list[str]:
    """The persona sections, in reading order."""
    return [
        *personas(matrix),
        *reads(matrix, rows, service),
        *single(matrix, service),
        *write_table(matrix, service),
        *differences(matrix),
    ]
