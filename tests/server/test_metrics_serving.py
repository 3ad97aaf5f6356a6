"""Prometheus metrics as `maillage serve` exposes them: summed across its workers, whichever worker answers the
scrape, and on a port of their own when MAILLAGE_METRICS_PORT says so."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import URL

from tests.server.commands import assert_one_clear_line, run
from tests.server.processes import ServiceProcess, free_port, running_services

COUNTED = "query Counted { __typename }"


def _samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def _counted(exposition: str) -> float:
    samples = _samples(exposition)
    labels = (("operation", "Counted"), ("outcome", "ok"))
    assert samples[("maillage_graphql_request_duration_seconds_count", labels)] == samples.get(
        ("maillage_graphql_requests_total", labels)
    )
    return samples.get(("maillage_graphql_requests_total", labels), 0.0)


def _workers_serving(service: ServiceProcess) -> int:
    """How many of the service's processes hold connections from clients on its port."""
    port = int(service.url.rsplit(":", 1)[1])
    serving = 0
    main = psutil.Process(service.pid)
    for process in [main, *main.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        if any(c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port for c in connections):
            serving += 1
    return serving


async def _send_counted(service: ServiceProcess) -> tuple[int, int]:
    """One request over each of connections kept open, opened one by one until every worker holds some (at most
    100): how many requests were sent, and how many workers held their connections."""
    workers = len(psutil.Process(service.pid).children()) or 1
    clients: list[httpx.AsyncClient] = []
    serving = 0
    try:
        while len(clients) < 100 and serving < workers:
            clients.append(httpx.AsyncClient(base_url=service.url, timeout=30))
            assert (await clients[-1].post("/graphql", json={"query": COUNTED})).status_code == 200
            serving = _workers_serving(service)
        return len(clients), serving
    finally:
        for client in clients:
            await client.aclose()


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("metrics")


async def test_with_two_workers_every_scrape_counts_the_requests_of_both(demo_database: URL, folder: Path) -> None:
    # given two workers
    async with running_services(
        folder, database_url=demo_database.render_as_string(hide_password=False), workers="2", database_pool_size="2"
    ) as (service,):
        # when requests come over connections that both of them hold
        sent, serving = await _send_counted(service)
        assert serving == 2
        # then each scrape, whichever worker answers it, counts them all, and both workers' pools
        for _ in range(6):
            async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
                scraped = (await client.get("/metrics")).text
            assert _counted(scraped) == sent
            assert _samples(scraped)[("maillage_database_pool_size", ())] == 2 * 2


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_with_a_metrics_port_metrics_leave_the_main_one(demo_database: URL, folder: Path, workers: str) -> None:
    metrics_port = free_port()
    async with running_services(
        folder,
        database_url=demo_database.render_as_string(hide_password=False),
        workers=workers,
        database_pool_size="2",
        metrics_port=str(metrics_port),
    ) as (service,):
        sent, _ = await _send_counted(service)
        async with httpx.AsyncClient(timeout=30) as client:
            on_main = await client.get(f"{service.url}/metrics")
            scraped = await client.get(f"http://127.0.0.1:{metrics_port}/metrics")
    assert on_main.status_code == 404
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    assert _counted(scraped.text) == sent


def test_a_metrics_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = run(
            ["serve", "--port", str(free_port())],
            tmp_path,
            database_url="postgresql://x@127.0.0.1:9/x",
            metrics_port=str(port),
        )

    assert_one_clear_line(result, rf"port {port} on 127\.0\.0\.1 is already in use; .* MAILLAGE_METRICS_PORT")
