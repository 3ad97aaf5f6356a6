"""Prometheus metrics: GraphQL requests and their latency per operation and outcome, the database pool.

Each application has its own registry (tests build many in one process). With several uvicorn workers, `serve`
gives them one folder (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR): each worker writes its
counts there, and a scrape, whichever worker or port answers it, sums them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.observability.record import RequestRecord

ANONYMOUS_OPERATION = "(anonymous)"
OTHER_OPERATIONS = "(other)"
# Operation names come from clients: past this many distinct ones, the rest share one label.
MAX_OPERATION_NAMES = 200


class PoolCollector(Collector):
    """The engine's pool as it is at scrape time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self._engine.sync_engine.pool
        in_use = GaugeMetricFamily("maillage_database_pool_in_use", "Database connections checked out now.")
        in_use.add_metric([], float(getattr(pool, "checkedout", lambda: 0)()))
        size = GaugeMetricFamily("maillage_database_pool_size", "Connections the pool keeps (overflow aside).")
        size.add_metric([], float(getattr(pool, "size", lambda: 0)()))
        yield in_use
        yield size


class PoolGauges:
    """The engine's pool in multiprocess mode, where a scrape cannot ask the other workers' pools: each worker
    writes its own as of the last request it answered, and the scrape sums the live workers'."""

    def __init__(self, engine: AsyncEngine, registry: CollectorRegistry) -> None:
        self._engine = engine
        self._in_use = Gauge(
            "maillage_database_pool_in_use",
            "Database connections checked out, as of each worker's last request.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self._size = Gauge(
            "maillage_database_pool_size",
            "Connections the pools keep (overflow aside).",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.refresh()

    def refresh(self) -> None:
        pool = self._engine.sync_engine.pool
        self._in_use.set(float(getattr(pool, "checkedout", lambda: 0)()))
        self._size.set(float(getattr(pool, "size", lambda: 0)()))


def multiprocess_registry(folder: Path) -> CollectorRegistry:
    """What every worker writing in `folder` has counted, summed."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    return registry


class RequestMetrics:
    def __init__(self, engine: AsyncEngine, multiprocess_dir: Path | None = None) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "maillage_graphql_requests",
            "GraphQL requests served, by operation name and outcome.",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "maillage_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name and outcome.",
            ["operation", "outcome"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self._fallbacks = Counter(
            "maillage_compiled_fallbacks",
            "GraphQL queries the compiled reads left to the resolvers, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self._pool: PoolGauges | None = None
        if multiprocess_dir is None:
            self.registry.register(PoolCollector(engine))
            self.exposed = self.registry  # what a scrape reads
        else:
            self._pool = PoolGauges(engine, self.registry)
            self.exposed = multiprocess_registry(multiprocess_dir)
        self._names: set[str] = set()

    def _operation_label(self, name: str | None) -> str:
        if name is None:
            return ANONYMOUS_OPERATION
        if name not in self._names and len(self._names) >= MAX_OPERATION_NAMES:
            return OTHER_OPERATIONS
        self._names.add(name)
        return name

    def observe(self, record: RequestRecord, seconds: float) -> None:
        labels = (self._operation_label(record.operation_name), record.outcome)
        self._requests.labels(*labels).inc()
        self._latency.labels(*labels).observe(seconds)
        if record.compiled_fallback is not None:
            self._fallbacks.labels(record.compiled_fallback).inc()
        if self._pool is not None:
            self._pool.refresh()

    def route(self) -> Route:
        async def metrics(request: Request) -> Response:
            if self._pool is not None:
                self._pool.refresh()
            return Response(generate_latest(self.exposed), media_type=CONTENT_TYPE_LATEST)

        return Route("/metrics", metrics, methods=["GET"])
