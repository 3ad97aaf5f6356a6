"""`maillage serve` as real processes: started on free loopback ports, ready once /readyz says so, stopped
with SIGTERM as a supervisor would."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.server.commands import MAILLAGE, environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class ServiceProcess:
    url: str  # base URL, http://127.0.0.1:PORT
    pid: int
    log: Path


async def _wait_until_ready(service: ServiceProcess, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(1200):
            if process.returncode is not None:
                break
            try:
                if (await client.get(f"{service.url}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError(f"{service.url} never became ready:\n{service.log.read_text()[-3000:]}")


@asynccontextmanager
async def running_services(folder: Path, count: int = 1, **settings: str) -> AsyncIterator[list[ServiceProcess]]:
    """`count` service processes, each `maillage serve --no-prepare` on a port of its own with the MAILLAGE_
    `settings` given (database_url among them), once each is ready; stopped with SIGTERM at the end."""
    processes: list[asyncio.subprocess.Process] = []
    services: list[ServiceProcess] = []
    logs = []
    try:
        for index in range(count):
            port = free_port()
            path = folder / f"service-{index}.log"
            log = path.open("w+")
            logs.append(log)
            process = await asyncio.create_subprocess_exec(
                *MAILLAGE,
                "serve",
                "--no-prepare",
                "--port",
                str(port),
                cwd=folder,
                env=environment(**({"graphiql": "false", "shutdown_drain_seconds": "0"} | settings)),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            services.append(ServiceProcess(f"http://127.0.0.1:{port}", process.pid, path))
        for service, process in zip(services, processes, strict=True):
            await _wait_until_ready(service, process)
        yield services
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        for process in processes:
            await asyncio.wait_for(process.wait(), 30)
        for log in logs:
            log.close()
