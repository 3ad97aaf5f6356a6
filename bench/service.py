"""The servers under load (`maillage serve`, PostGraphile) as subprocesses, watched, and always stopped."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO

import httpx
import psutil

PROJECT = Path(__file__).resolve().parent.parent
_READY_TIMEOUT = 60.0
_STOP_TIMEOUT = 10.0


class ServiceError(Exception):
    """A server did not start or did not become ready; the message carries its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def command(port: int) -> list[str]:
    return [sys.executable, "-m", "server.cli", "serve", "--no-prepare", "--port", str(port)]


async def _readyz(client: httpx.AsyncClient, url: str) -> bool:
    return (await client.get(f"{url}/readyz", timeout=2)).status_code == 200


class Service:
    """A server on a loopback port, started as a subprocess, watched, and always stopped."""

    def __init__(
        self,
        argv: list[str],
        port: int,
        environment: dict[str, str],
        *,
        cwd: Path = PROJECT,
        ready: Callable[[httpx.AsyncClient, str], Awaitable[bool]] = _readyz,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.peak_rss = 0  # of all its processes together, at the sample where they held the most
        self.processes = 0  # the most processes seen at once
        self._ready = ready
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self._process = subprocess.Popen(  # noqa: S603 (our own programs and fixed arguments)
            argv, cwd=cwd, env={**os.environ, **environment}, stdout=self._log, stderr=subprocess.STDOUT
        )

    @classmethod
    def maillage(cls, database_url: str, port: int, environment: dict[str, str], *, workers: int = 1) -> Service:
        """`maillage serve` with `workers` uvicorn workers (MAILLAGE_WORKERS)."""
        full = {
            **environment,
            "MAILLAGE_DATABASE_URL": database_url,
            "MAILLAGE_LOG_LEVEL": "warning",
            "MAILLAGE_WORKERS": str(workers),
        }
        return cls(command(port), port, full)

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace").strip()

    async def wait_ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServiceError(f"{self.url} exited with code {self._process.returncode}:\n{self.output()}")
            try:
                if await self._ready(client, self.url):
                    return
            except httpx.TransportError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
        raise ServiceError(f"{self.url} was not ready within {_READY_TIMEOUT:.0f} s:\n{self.output()}")

    def _tree(self) -> list[psutil.Process]:
        process = psutil.Process(self._process.pid)
        return [process, *process.children(recursive=True)]

    def process_count(self) -> int:
        """How many processes serve now: the started one and its descendants."""
        try:
            return len(self._tree())
        except psutil.Error:
            return 0

    def sample_rss(self) -> None:
        """Record the resident memory of the process and its descendants, if higher than before."""
        try:
            tree = self._tree()
            rss = sum(process.memory_info().rss for process in tree)
        except psutil.Error:
            return  # it is exiting
        self.peak_rss = max(self.peak_rss, rss)
        self.processes = max(self.processes, len(tree))

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


async def watch_memory(services: list[Service], every: float = 0.2) -> None:
    """Sample the services' RSS until cancelled."""
    while True:
        for service in services:
            service.sample_rss()
        await asyncio.sleep(every)
