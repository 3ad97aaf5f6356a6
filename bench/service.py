"""The service under load: `maillage serve` started as a subprocess, watched, and always stopped."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx
import psutil

PROJECT = Path(__file__).resolve().parent.parent
_READY_TIMEOUT = 60.0
_STOP_TIMEOUT = 10.0


class ServiceError(Exception):
    """The service did not start or did not become ready; the message carries its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def command(port: int) -> list[str]:
    return [sys.executable, "-m", "server.cli", "serve", "--no-prepare", "--port", str(port)]


class Service:
    """One single-process `maillage serve` on a loopback port."""

    def __init__(self, database_url: str, port: int, environment: dict[str, str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.peak_rss = 0
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        full = {
            **os.environ,
            **environment,
            "MAILLAGE_DATABASE_URL": database_url,
            "MAILLAGE_LOG_LEVEL": "warning",
        }
        self._process = subprocess.Popen(  # noqa: S603 (this interpreter and fixed arguments)
            command(port), cwd=PROJECT, env=full, stdout=self._log, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace").strip()

    async def wait_ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServiceError(f"the service exited with code {self._process.returncode}:\n{self.output()}")
            try:
                if (await client.get(f"{self.url}/readyz", timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
        raise ServiceError(f"the service was not ready within {_READY_TIMEOUT:.0f} s:\n{self.output()}")

    def sample_rss(self) -> None:
        """Record the resident memory of the process and its children, if higher than before."""
        try:
            process = psutil.Process(self._process.pid)
            rss = process.memory_info().rss + sum(child.memory_info().rss for child in process.children(True))
        except psutil.Error:
            return  # it is exiting
        self.peak_rss = max(self.peak_rss, rss)

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
