"""What the load client itself costs: requests per second it drives against `bench.trivial`, and the
CPU it spends doing so, for the httpx client and for wrk.

On two cores shared by the client, the servers and PostgreSQL, a client spending a millisecond of CPU
per request would take a whole core from the servers at a thousand requests per second.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import wrk
from bench.load import PYTHON_CLIENT, REQUEST_TIMEOUT, drive
from bench.service import PROJECT, free_port

_BODY = '{"query": "{ ok }"}'


@dataclass(frozen=True)
class ClientCost:
    client: str
    rate: float  # requests per second against the trivial server
    cpu_share: float  # the client's CPU seconds per second of wall time (1.0: one core)

    @property
    def cpu_per_request(self) -> float:
        """Microseconds of the client's CPU per request."""
        return self.cpu_share / self.rate * 1e6 if self.rate else 0.0


async def _listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            await asyncio.sleep(0.05)
    raise OSError(f"bench.trivial did not listen on port {port}")


async def _httpx(url: str, concurrency: int, seconds: float) -> ClientCost:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT) as client:

        async def send(n: int) -> bool:
            response = await client.post(url, content=_BODY, headers={"content-type": "application/json"})
            return response.status_code == 200

        await drive(send, concurrency=concurrency, seconds=0.5)
        cpu = time.process_time()
        measured = await drive(send, concurrency=concurrency, seconds=seconds)
        return ClientCost(PYTHON_CLIENT, measured.rate, (time.process_time() - cpu) / measured.seconds)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _wrk(path: str, url: str, scratch: Path, concurrency: int, seconds: float) -> ClientCost:
    script = scratch / "trivial.lua"
    script.write_text(wrk.script([_BODY], {"Content-Type": "application/json"}), encoding="utf-8")
    # Counted once waited for: the children still running (the trivial server) are not in it.
    cpu = _children_cpu()
    measured = await wrk.run(path, url, script, connections=concurrency, seconds=seconds)
    return ClientCost(wrk.CLIENT, measured.rate, (_children_cpu() - cpu) / measured.seconds)


def _trivial(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (this interpreter and fixed arguments)
        [sys.executable, "-m", "bench.trivial", str(port)],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def measure(concurrency: int, seconds: float, wrk_path: str | None, scratch: Path) -> list[ClientCost]:
    """Each client with `concurrency` connections for `seconds` against a fresh `bench.trivial`."""
    port = free_port()
    server = _trivial(port)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        await _listening(port, server)
        costs = [await _httpx(url, concurrency, seconds)]
        if wrk_path:
            costs.append(await _wrk(wrk_path, url, scratch, concurrency, seconds))
        return costs
    finally:
        server.terminate()
        server.wait(10)
