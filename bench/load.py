"""A closed-loop load generator: N concurrent clients, each sending its next request as soon as the last
one answered, for a fixed time."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# A request that takes longer than this is a failure: the run always ends near its deadline.
REQUEST_TIMEOUT = 30.0
PYTHON_CLIENT = "httpx"


@dataclass(frozen=True)
class Measurement:
    answered: int  # requests that succeeded
    failed: int
    seconds: float
    p50: float  # latency percentiles in milliseconds (0 without requests)
    p99: float
    client: str  # what sent the requests

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    @classmethod
    def of(cls, latencies: list[float], failed: int, seconds: float, client: str) -> Measurement:
        """From the latencies of the successful requests, in seconds."""
        return cls(len(latencies), failed, seconds, _percentile(latencies, 50), _percentile(latencies, 99), client)


def _percentile(latencies: list[float], p: int) -> float:
    if len(latencies) < 2:
        return latencies[0] * 1000 if latencies else 0.0
    return statistics.quantiles(latencies, n=100, method="inclusive")[p - 1] * 1000


async def drive(
    send: Callable[[int], Awaitable[bool]], *, concurrency: int, seconds: float, client: str = PYTHON_CLIENT
) -> Measurement:
    """Run `concurrency` clients for `seconds`; `send(n)` makes request n and says whether it succeeded.

    Requests still running at the deadline are awaited (at most REQUEST_TIMEOUT) and counted.
    """
    latencies: list[float] = []
    failed = 0
    numbers = itertools.count()
    deadline = time.perf_counter() + seconds

    async def one_client() -> None:
        nonlocal failed
        while time.perf_counter() < deadline:
            n = next(numbers)
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    ok = await send(n)
            except TimeoutError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return Measurement.of(latencies, failed, time.perf_counter() - started, client)
