"""Runs of a workload inside this process, through `httpx.ASGITransport`: the SQL statements one request
sends, and a sampling profile of many requests."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from bench.caller import BenchCaller
from bench.workloads import Workload
from db.engine import database_url
from server.app import create_app

if TYPE_CHECKING:
    from pyinstrument.frame import Frame

# Where the time goes, by the file a frame's code lives in; the first match wins.
_GROUPS = (
    ("event loop idle (waiting for PostgreSQL or clients)", ("/selectors.py",)),
    ("asyncpg (driver)", ("/asyncpg/",)),
    ("SQLAlchemy (compile, execute, rows)", ("/sqlalchemy/",)),
    ("graphql-core: parse and validate the document", ("/graphql/language/", "/graphql/validation/")),
    ("graphql-core: execute (resolve and complete fields)", ("/graphql/",)),
    ("Strawberry", ("/strawberry/",)),
    ("Maillage code (schema/, db/, server/)", ("/main/schema/", "/main/db/", "/main/server/")),
    ("Starlette", ("/starlette/",)),
    ("httpx and httpcore (the load client)", ("/httpx/", "/httpcore/", "/anyio/")),
    ("asyncio", ("/asyncio/",)),
    ("JSON", ("/json/",)),
)


@dataclass(frozen=True)
class Profile:
    workload: str
    requests: int
    concurrency: int
    seconds: float
    groups: list[tuple[str, float]]  # (group, share of the samples' time), largest first
    functions: list[tuple[str, float]]  # (function at file:line, share of self time), largest first
    text: str  # pyinstrument's own rendering of the call tree


@asynccontextmanager
async def app_client(url: str, caller: BenchCaller) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    """A client of the app made in this process (the analyst's token unless a request says otherwise)."""
    # ASGITransport runs no lifespan: the pools are closed here, as the app's lifespan would.
    app = create_app(caller.settings(), database_url(url))
    engine: AsyncEngine = app.state.engine
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=caller.headers()) as client:
            yield client, app
    finally:
        await app.state.compiled.reads.close()
        await engine.dispose()


@asynccontextmanager
async def _client(url: str, caller: BenchCaller) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncEngine]]:
    async with app_client(url, caller) as (client, app):
        yield client, app.state.engine


async def _ask(client: httpx.AsyncClient, workload: Workload, n: int) -> dict[str, Any]:
    call = workload.call(n)
    response = await client.post("/graphql", json={"query": workload.document, "variables": call.variables})
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


class _Statements(logging.Handler):
    """The SQL statement counts of the service's request log lines (compiled reads and resolvers alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts.append(getattr(record, "sql_statements", 0))


async def statements_per_request(url: str, caller: BenchCaller, workload: Workload) -> int:
    """SQL statements the app sends for the workload's call, once its caches are warm: the second of two
    identical requests, as the request log counts them (the first also looks the caller up)."""
    requests = logging.getLogger("maillage.requests")
    handler, level = _Statements(), requests.level
    async with _client(url, caller) as (client, _engine):
        requests.addHandler(handler)
        requests.setLevel(logging.INFO)
        try:
            await _ask(client, workload, 0)
            body = await _ask(client, workload, 0)
        finally:
            requests.removeHandler(handler)
            requests.setLevel(level)
    if "errors" in body:
        raise RuntimeError(f"workload {workload.name} answered errors: {body['errors']}")
    return handler.counts[-1]


def _walk(frame: Frame, caller: str = "") -> Iterator[tuple[Frame, str]]:
    """Every frame with the file it counts for: built-ins (`<built-in>`) count for their caller's file."""
    path = frame.file_path or ""
    where = path if path.startswith("/") else caller
    yield frame, where
    for child in frame.children:
        yield from _walk(child, where)


def _group(path: str) -> str:
    for name, markers in _GROUPS:
        if any(marker in path for marker in markers):
            return name
    return "other"


async def profile(url: str, caller: BenchCaller, workload: Workload, *, seconds: float, concurrency: int) -> Profile:
    """Sample the requests of `workload` that `concurrency` in-process clients send in about `seconds`.

    The profiler samples the one thread whatever it runs, so time the event loop spends waiting
    shows as such rather than being charged to the awaiting coroutines.
    """
    # A dev tool (pip install pyinstrument), needed only when profiling.
    from pyinstrument import Profiler

    async with _client(url, caller) as (client, _):
        await _ask(client, workload, 0)  # warm: the pool connects, Strawberry caches the parsed document
        numbers = itertools.count()
        done = 0
        deadline = time.perf_counter() + seconds

        async def run() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await _ask(client, workload, next(numbers))
                done += 1

        profiler = Profiler(interval=0.001, async_mode="disabled")
        started = time.perf_counter()
        profiler.start()
        try:
            await asyncio.gather(*(run() for _ in range(concurrency)))
        finally:
            profiler.stop()
        elapsed = time.perf_counter() - started
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        raise RuntimeError("the profiler recorded nothing")
    groups: dict[str, float] = {}
    functions: dict[str, float] = {}
    for frame, path in _walk(root):
        own = frame.total_self_time
        if own <= 0 or frame.is_synthetic:
            continue
        groups[_group(path)] = groups.get(_group(path), 0.0) + own
        where = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        functions[where] = functions.get(where, 0.0) + own
    total = sum(groups.values()) or 1.0
    return Profile(
        workload=workload.name,
        requests=done,
        concurrency=concurrency,
        seconds=elapsed,
        groups=sorted(((name, time_ / total) for name, time_ in groups.items()), key=lambda g: -g[1]),
        functions=sorted(((name, time_ / total) for name, time_ in functions.items()), key=lambda f: -f[1])[:15],
        text=profiler.output_text(unicode=False, color=False, show_all=False),
    )
