"""What PostgreSQL does with the statements the service sends, per persona and workload: EXPLAIN (ANALYZE,
BUFFERS, FORMAT JSON) of each, run on the request's own connection, just before the statement itself.

    python -m bench.explain --database-url postgresql://user@host/db [--personas ...] [--workloads ...]
        [--writes ...] [--timeout-ms 60000] [--output bench/RESULTS.md] [--dump FOLDER]

Each workload's first call is asked twice through an app made in this process (`httpx.ASGITransport`,
the persona's token): the first request warms the caches (token, prepared operation, compiled statement,
the connection's scope), the second is the one explained. Both ways the app reaches PostgreSQL are watched:

- the resolvers' SQLAlchemy engine, with a `before_cursor_execute` listener: inside the request's transaction
  (its role, `maillage_service`, and the `maillage.*` settings its `set_config` gave), the statement is
  explained in a savepoint that is then rolled back, so a write is measured without being made twice;
- compiled reads, which run on an asyncpg pool of their own (db/compiled/session.py) outside transactions,
  with the caller's settings kept at session level: the pool's connection class is replaced, for this
  process only, by one that explains each data statement on the same connection (in a transaction rolled
  back) before running it.

The statement timeout is raised to `--timeout-ms` for EXPLAIN alone (SET LOCAL, undone with the savepoint),
so that a statement over the service's own limit still gets its real time; past that, its plan is shown
without ANALYZE. Reported: every sequential scan of a big table, and the time spent in the access
functions (SECURITY DEFINER functions are not inlined: their own scans are not in the plan, only the
Function Scan that calls them and its time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from rich.console import Console
from sqlalchemy import event
from sqlalchemy.util import await_

import db.compiled.session as compiled_session
from bench import inprocess, personas, service, workloads, writes
from bench.caller import BenchCaller
from bench.matrix import Plan
from bench.scopes import ScopeError
from bench.service import ServiceError
from bench.writes import WriteWorkload

console = Console(stderr=True, highlight=False, soft_wrap=True)

BIG_TABLES = frozenset({"action", "organisation", "action_partner", "indicator", "indicator_value", "scheme"})
# The access layer's functions, as VERBOSE's output names their calls: those of migrations 0004 to 0012
# (visible_*_ids, local_scheme_ids, editable_actions, caller_memberships...) and of 0013 (caller_access,
# access_keys, membership_keys...).
_ACCESS_FUNCTION = re.compile(r"\b((?:visible|local|editable|creatable|access|caller)_\w+|membership_keys)\(")
# What is not a data statement: the transaction's scope, savepoints, the numbering lock.
_SKIPPED = re.compile(r"^\s*(SELECT set_config\(|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SELECT pg_advisory)", re.I)
_DATA = re.compile(r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b", re.I)
SECTION = "## EXPLAIN"


@dataclass(frozen=True)
class Scan:
    """A node of a plan worth reporting: a sequential scan of a big table, or a call of an access function
    (a Function Scan, or a set-returning function in a select list: a ProjectSet)."""

    kind: str  # "Seq Scan" or "function"
    name: str  # the table, or the function
    loops: int  # times it ran
    rows: int  # rows it returned, over all its loops (estimated when not analysed)
    removed: int  # rows its filter removed, over all its loops
    milliseconds: float  # its actual total time over all its loops (0 when not analysed)
    most_loops: int = 1  # the most times one node of it ran: above 1, once per outer row
    filter: str = ""  # a Seq Scan's filter (the first node's)
    analysed: bool = True  # False: a plan without ANALYZE (rows are estimates, loops are plan nodes)

    @property
    def costs(self) -> bool:
        return self.rows > 0 or self.milliseconds >= 0.1 or not self.analysed

    def describe(self) -> str:
        if not self.analysed:
            what = f"`{self.name}`" if self.kind == "Seq Scan" else f"`{self.name}()`"
            return f"{what} (planned {self.loops} time(s), about {self.rows:,} rows estimated, not run)"
        if self.kind == "Seq Scan":
            return f"`{self.name}` ({self.rows:,} rows kept, {self.removed:,} removed, {self.milliseconds:,.1f} ms)"
        runs = f"{self.loops:,} runs, " if self.loops > 1 else ""
        return f"`{self.name}()` ({runs}{self.rows:,} rows, {self.milliseconds:,.1f} ms)"

    def plus(self, other: Scan) -> Scan:
        return Scan(
            self.kind,
            self.name,
            self.loops + other.loops,
            self.rows + other.rows,
            self.removed + other.removed,
            self.milliseconds + other.milliseconds,
            max(self.most_loops, other.most_loops),
            self.filter or other.filter,
            self.analysed and other.analysed,
        )


def _added(scans: Iterable[Scan]) -> list[Scan]:
    """The scans of one table or function added up, in the order first met."""
    totals: dict[tuple[str, str], Scan] = {}
    for scan in scans:
        key = (scan.kind, scan.name)
        totals[key] = totals[key].plus(scan) if key in totals else scan
    return list(totals.values())


@dataclass
class Statement:
    path: str  # "compiled" (the compiled reads' pool) or "resolvers" (SQLAlchemy)
    sql: str
    plan: dict[str, Any] | None = None  # EXPLAIN's one object: Plan, Planning Time, Execution Time...
    analysed: bool = False
    error: str = ""  # why it was not analysed

    @property
    def execution_ms(self) -> float:
        return float(self.plan.get("Execution Time", 0.0)) if self.plan and self.analysed else 0.0

    @property
    def planning_ms(self) -> float:
        return float(self.plan.get("Planning Time", 0.0)) if self.plan else 0.0

    @property
    def jit_ms(self) -> float:
        """PostgreSQL's JIT compilation, included in the execution time (0 when it did not compile)."""
        jit = self.plan.get("JIT") if self.plan else None
        return float(jit.get("Timing", {}).get("Total", 0.0)) if isinstance(jit, dict) else 0.0

    def scans(self) -> list[Scan]:
        """Its Seq Scans of big tables and access function calls, those of one table or function added up."""
        return _added(_scans(self.plan["Plan"])) if self.plan else []


@dataclass
class Explained:
    persona: str
    workload: str
    statements: list[Statement] = field(default_factory=list)
    answer: str = ""  # what went wrong with the request itself, if anything

    @property
    def execution_ms(self) -> float:
        return sum(statement.execution_ms for statement in self.statements)

    def found(self, kind: str) -> list[tuple[int, Scan]]:
        """(statement number from 1, scan) for the scans of `kind` ("Seq Scan" or "function")."""
        return [
            (number, scan)
            for number, statement in enumerate(self.statements, 1)
            for scan in statement.scans()
            if scan.kind == kind
        ]

    def totals(self, kind: str) -> list[Scan]:
        """The scans of `kind` over all its statements, those of one table or function added up."""
        return _added(scan for _, scan in self.found(kind))


def _scans(node: dict[str, Any]) -> Iterator[Scan]:
    analysed = "Actual Loops" in node
    loops = int(node.get("Actual Loops", 1) or 1)
    rows = int(node.get("Actual Rows", node.get("Plan Rows", 0))) * loops
    removed = int(node.get("Rows Removed by Filter", 0)) * loops
    milliseconds = float(node.get("Actual Total Time", 0.0)) * loops
    kind = node.get("Node Type", "")
    if kind in ("Seq Scan", "Parallel Seq Scan") and node.get("Relation Name") in BIG_TABLES:
        relation, condition = node["Relation Name"], node.get("Filter", "")
        yield Scan("Seq Scan", relation, loops, rows, removed, milliseconds, loops, condition, analysed)
    if kind in ("Function Scan", "ProjectSet", "Result"):
        called = " ".join([node.get("Function Call", ""), *node.get("Output", [])])
        for name in dict.fromkeys(_ACCESS_FUNCTION.findall(called)):
            yield Scan("function", name, loops, rows, removed, milliseconds, loops, "", analysed)
    for child in node.get("Plans", []):
        yield from _scans(child)


class _Undo(Exception):
    """Leaves the savepoint (or transaction) EXPLAIN ran in, rolling it back, with EXPLAIN's answer."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _plan(raw: Any) -> dict[str, Any]:
    decoded = json.loads(raw) if isinstance(raw, bytes | str) else raw
    plan: dict[str, Any] = decoded[0]
    return plan


async def _explain_once(
    connection: asyncpg.Connection, sql: str, args: Sequence[Any], options: str, timeout: int
) -> Any:
    # A savepoint inside the request's transaction, a transaction of its own outside one; rolled back either way.
    try:
        async with connection.transaction():
            await connection.execute(f"SET LOCAL statement_timeout = {int(timeout)}")
            raise _Undo(await connection.fetchval(f"EXPLAIN ({options}) {sql}", *args))
    except _Undo as undo:
        return undo.value


async def explain_on(connection: asyncpg.Connection, sql: str, args: Sequence[Any], timeout: int) -> Statement:
    """EXPLAIN ANALYZE of `sql` on `connection` as it stands (role, settings, transaction), then undone;
    the plan alone when it cannot be analysed (past the timeout, or failing)."""
    try:
        raw = await _explain_once(connection, sql, args, "ANALYZE, BUFFERS, VERBOSE, FORMAT JSON", timeout)
        return Statement("", sql, _plan(raw), analysed=True)
    except asyncpg.PostgresError as error:
        why = f"not analysed ({getattr(error, 'sqlstate', '')}: {error})"
    try:
        raw = await _explain_once(connection, sql, args, "VERBOSE, FORMAT JSON", timeout)
        return Statement("", sql, _plan(raw), error=why)
    except asyncpg.PostgresError as error:
        return Statement("", sql, None, error=f"{why}; EXPLAIN failed too: {error}")


class Recorder:
    """Where the explained statements of the request under study go; None between such requests."""

    def __init__(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        self.current: list[Statement] | None = None
        self._busy = False  # EXPLAIN's own statements are not explained

    def wants(self, sql: str) -> bool:
        return self.current is not None and not self._busy and bool(_DATA.match(sql)) and not _SKIPPED.match(sql)

    async def record(self, path: str, connection: asyncpg.Connection, sql: str, args: Sequence[Any]) -> None:
        assert self.current is not None
        self._busy = True
        try:
            statement = await explain_on(connection, sql, args, self.timeout_ms)
        finally:
            self._busy = False
        statement.path = path
        self.current.append(statement)


_RECORDER: Recorder | None = None  # the one the compiled reads' connections report to


class _ExplainingConnection(compiled_session.ScopedConnection):
    """A compiled reads' connection that explains each data statement before running it."""

    async def fetchrow(self, query: str, *args: Any, **options: Any) -> Any:
        if _RECORDER is not None and _RECORDER.wants(query):
            await _RECORDER.record("compiled", self, query, args)
        return await super().fetchrow(query, *args, **options)

    async def fetchval(self, query: str, *args: Any, **options: Any) -> Any:
        if _RECORDER is not None and _RECORDER.wants(query):
            await _RECORDER.record("compiled", self, query, args)
        return await super().fetchval(query, *args, **options)


@contextlib.contextmanager
def _compiled_reads_explained(recorder: Recorder) -> Iterator[None]:
    """Pools of compiled reads opened meanwhile use `_ExplainingConnection` (this process only)."""
    global _RECORDER
    original = compiled_session.ScopedConnection
    compiled_session.ScopedConnection = _ExplainingConnection  # type: ignore[misc]
    _RECORDER = recorder
    try:
        yield
    finally:
        compiled_session.ScopedConnection = original  # type: ignore[misc]
        _RECORDER = None


def _listen(engine: Any, recorder: Recorder) -> None:
    """Explain each data statement of the resolvers' engine on its own connection, in its transaction."""

    def before(connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if many or not recorder.wants(statement):
            return
        raw = connection.connection.driver_connection  # the asyncpg connection under SQLAlchemy's adapter
        await_(recorder.record("resolvers", raw, statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", before)


def _problem(response: httpx.Response) -> str:
    """What went wrong with a request, if anything: its status, GraphQL errors, a mutation's refusal."""
    try:
        body = response.json()
    except ValueError:
        body = None
    payloads = (body.get("data") or {}).values() if isinstance(body, dict) else []
    refused = any(isinstance(payload, dict) and payload.get("errors") for payload in payloads)
    if response.status_code != 200 or not isinstance(body, dict) or "errors" in body or refused:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    return ""


async def explain(
    url: str, caller: BenchCaller, plans: Sequence[Plan], pool: asyncpg.Pool, *, timeout_ms: int
) -> list[Explained]:
    """Every plan's read workloads (first call) and writes, explained as described above. The writes are
    made (two per persona and workload), then taken back by the caller of this function."""
    recorder = Recorder(timeout_ms)
    found: list[Explained] = []
    with _compiled_reads_explained(recorder):
        async with inprocess.app_client(url, caller) as (client, app):
            _listen(app.state.engine, recorder)
            for plan in plans:
                headers = caller.headers(plan.persona.persona)
                for workload in plan.reads:
                    body = {"query": workload.document, "variables": workload.calls[0].variables}
                    found.append(await _twice(client, recorder, (plan.persona.name, workload.name), headers, body))
                for write in plan.writes:
                    async with pool.acquire() as connection:
                        writer = (await writes.clients(connection, write, 1))[0]

                    def following(answer: Any, writer: writes.WriteClient = writer) -> dict[str, Any]:
                        writer.accept(answer)  # the version the first write returned
                        return writer.body()

                    what = (plan.persona.name, write.name)
                    found.append(await _twice(client, recorder, what, headers, writer.body(), following))
                console.print(f"  explained {plan.persona.name}'s workloads", markup=False)
    return found


async def _twice(
    client: httpx.AsyncClient,
    recorder: Recorder,
    what: tuple[str, str],
    headers: dict[str, str],
    body: dict[str, Any],
    following: Callable[[Any], dict[str, Any]] | None = None,
) -> Explained:
    """The request twice, the second explained; a write's second body follows from the first's answer."""
    response = await client.post("/graphql", json=body, headers=headers)
    second = following(response.json()) if following is not None else body
    recorder.current = []
    try:
        problem = _problem(await client.post("/graphql", json=second, headers=headers))
    finally:
        statements, recorder.current = recorder.current, None
    return Explained(*what, statements=statements, answer=problem)


_GENERATION_WRAPPER = re.compile(r"^SELECT q\.data, \(SELECT generation FROM access_generation\) AS generation FROM \(")


def _short(sql: str, size: int = 160) -> str:
    """The start of a statement, on one line; a compiled read's, without the generation check wrapped around
    it."""
    text = " ".join(_GENERATION_WRAPPER.sub("", sql).split()).replace("`", "'")
    return text if len(text) <= size else text[: size - 1] + "…"


def dump(found: Sequence[Explained], folder: Path) -> None:
    """Each explained statement as two files: its SQL and its plan (JSON)."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in found:
        for number, statement in enumerate(item.statements, 1):
            stem = f"{item.persona}.{item.workload}.{number}"
            (folder / f"{stem}.sql").write_text(statement.sql + "\n", encoding="utf-8")
            (folder / f"{stem}.json").write_text(json.dumps(statement.plan, indent=1) + "\n", encoding="utf-8")


def section(found: Sequence[Explained], *, timeout_ms: int, data: str = "") -> str:
    """The Markdown section of RESULTS.md: a line per persona and workload, then each finding."""
    lines = [
        SECTION,
        "",
        "Each persona's workloads (first call) and writes, the second of two identical requests through an "
        "in-process app; every data statement it sent explained with `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT "
        "JSON)` on the request's own connection, just before it ran (same role, same `maillage.*` settings, same "
        f"transaction; rolled back), the statement timeout raised to {timeout_ms / 1000:g} s for EXPLAIN alone. "
        "*execution ms*: PostgreSQL's, summed over the statements (EXPLAIN ANALYZE's own instrumentation "
        f"included). {data}".rstrip(),
        "",
        "| persona | workload | statements (path) | execution ms | of which JIT | planning ms "
        "| Seq Scans of big tables | access functions | notes |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for item in found:
        paths = ", ".join(sorted({statement.path for statement in item.statements})) or "–"
        seq = "; ".join(scan.describe() for scan in item.totals("Seq Scan")) or "none"
        functions = "; ".join(scan.describe() for scan in item.totals("function") if scan.costs) or "–"
        errors = dict.fromkeys(statement.error[:160] for statement in item.statements if statement.error)
        notes = "; ".join(filter(None, [item.answer[:160], *errors])).replace("|", "/") or "–"
        planning = sum(statement.planning_ms for statement in item.statements)
        unrun = sum(1 for statement in item.statements if not statement.analysed)
        execution = f"{item.execution_ms:,.1f}" + (
            f" + {unrun} not run to the end (over {timeout_ms / 1000:g} s, or failing)" if unrun else ""
        )
        lines.append(
            f"| {item.persona} | {item.workload} | {len(item.statements)} ({paths}) | {execution} "
            f"| {sum(statement.jit_ms for statement in item.statements):,.1f} | {planning:,.1f} | {seq} "
            f"| {functions} | {notes} |"
        )
    findings = [(item, number, scan) for item in found for number, scan in item.found("Seq Scan")]
    repeated = [
        (item, number, scan)
        for item in found
        for number, scan in item.found("function")
        if scan.most_loops > 1 and scan.analysed and scan.costs
    ]
    lines += ["", f"**Sequential scans of big tables** ({', '.join(sorted(BIG_TABLES))}): {len(findings)}.", ""]
    lines += [
        f"- {item.persona}, {item.workload}, statement {number} ({item.statements[number - 1].path}, "
        f"`{_short(item.statements[number - 1].sql, 90)}`): {scan.describe()}, filter `{_short(scan.filter, 240)}`"
        for item, number, scan in findings
    ]
    lines += [
        "",
        f"**Access functions run once per outer row** (a node of the plan running them more than once): "
        f"{len(repeated)}.",
        "",
    ]
    lines += [
        f"- {item.persona}, {item.workload}, statement {number}: {scan.describe()}" for item, number, scan in repeated
    ]
    lines += [
        "",
        "At small scales the planner reads small tables sequentially whatever their indexes: a Seq Scan matters on "
        "national data. The access functions are SECURITY DEFINER functions, never inlined: their own statements "
        "are not in these plans, only their calls (a Function Scan, or a ProjectSet when called in a select list) "
        "and the time they took.",
        "",
    ]
    return "\n".join(lines)


def replace_section(document: str, text: str) -> str:
    """`document` with its EXPLAIN section replaced by `text` (appended when it has none)."""
    start = document.find(f"\n{SECTION}\n")
    if start < 0:
        return document.rstrip("\n") + "\n\n" + text
    end = document.find("\n## ", start + len(SECTION) + 2)
    return document[: start + 1] + text + (document[end:] if end >= 0 else "")


async def plans_for(
    connection: asyncpg.Connection,
    chosen: Sequence[personas.BenchPersona],
    read_names: Sequence[str],
    write_names: Sequence[str],
    *,
    statistics: bool,
    concurrency: int,
) -> list[Plan]:
    """Each persona's read workloads (what it would ask) and writes (those it makes)."""
    plans = []
    for persona in chosen:
        sample = await workloads.sample(connection, persona.scope)
        reads = workloads.build(read_names, sample, statistics=statistics, scope=persona.scope, persona=persona.name)
        made: list[WriteWorkload] = []
        for name in write_names:
            if persona.name in writes.PERFORMED_BY[name]:
                target = await writes.targets(connection, persona, name, concurrency)
                if target is not None:
                    made.append(target)
        where = f"department {sample.department} ({sample.department_ctgs} CTGs it sees)" if sample.department else ""
        asks = ", ".join(filter(None, [where, f"B over {len(sample.ctg_ids)} CTGs"]))
        plans.append(Plan(persona, tuple(reads), tuple(made), asks))
    return plans


async def _main(args: argparse.Namespace) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="maillage-explain-"))
    pool = await asyncpg.create_pool(args.database_url, min_size=1, max_size=2)
    port = service.free_port()
    caller = BenchCaller(scratch / "keys", f"http://127.0.0.1:{port}")
    # The in-process app verifies tokens against the issuer a running service publishes.
    server = service.Service.maillage(args.database_url, port, caller.environment())
    try:
        async with httpx.AsyncClient() as client:
            await server.wait_ready(client)
        async with pool.acquire() as connection:
            chosen = await personas.resolve(connection, args.personas)
            plans = await plans_for(
                connection, chosen, args.workloads, args.writes, statistics=True, concurrency=args.concurrency
            )
            await writes.restore(connection, None, [])
            before = await writes.mark(connection, [write for plan in plans for write in plan.writes])
        try:
            found = await explain(args.database_url, caller, plans, pool, timeout_ms=args.timeout_ms)
        finally:
            async with pool.acquire() as connection:
                await writes.restore(connection, before, [plan.persona.persona.subject for plan in plans])
    finally:
        server.stop()
        await pool.close()
        shutil.rmtree(scratch, ignore_errors=True)
    text = section(found, timeout_ms=args.timeout_ms)
    print(text)
    if args.dump:
        dump(found, args.dump)
        console.print(f"Statements and plans written to {args.dump}.")
    if args.output:
        document = args.output.read_text(encoding="utf-8") if args.output.exists() else "# Load results\n"
        args.output.write_text(replace_section(document, text), encoding="utf-8")
        console.print(f"EXPLAIN section written to {args.output}.")
    return 0


def _names(known: Sequence[str], what: str) -> Any:
    def parse(value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; choose among {', '.join(known)}")
        return list(dict.fromkeys(names))

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL filled by load-demo then bench.generate")
    parser.add_argument("--personas", type=_names(personas.NAMES, "persona(s)"), default=list(personas.NAMES))
    parser.add_argument(
        "--workloads", type=_names(workloads.PERSONA_NAMES, "workload(s)"), default=list(workloads.PERSONA_NAMES)
    )
    parser.add_argument("--writes", type=_names(writes.NAMES, "write(s)"), default=list(writes.NAMES))
    parser.add_argument("--timeout-ms", type=int, default=30_000, help="statement timeout of EXPLAIN itself")
    parser.add_argument("--concurrency", type=int, default=16, help="as bench.run's: which rows the writes pick")
    parser.add_argument("--output", type=Path, default=None, help="replace the EXPLAIN section of this file")
    parser.add_argument("--dump", type=Path, default=None, help="write each statement and its plan in this folder")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(_main(args))
    except (ScopeError, ServiceError, OSError, asyncpg.PostgresError) as error:
        console.print(f"bench.explain: {error}", markup=False)
        return 1


if __name__ == "__main__":
    sys.exit(main())
