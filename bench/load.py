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


@dataclass(frozen=True)
class Measurement:
    answered: int  # requests that succeeded
    failed: int
    seconds: float
    latencies: tuple[float, ...]  # of the successful requests, in seconds

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        """The p-th percentile latency in milliseconds (0 without requests)."""
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


async def drive(send: Callable[[int], Awaitable[bool]], *, concurrency: int, seconds: float) -> Measurement:
    """Run `concurrency` clients for `seconds`; `send(n)` makes request n and says whether it succeeded.

    Requests still running at the deadline are awaited (at most REQUEST_TIMEOUT) and counted.
    """
    latencies: list[float] = []
    failed = 0
    numbers = itertools.count()
    deadline = time.perf_counter() + seconds

    async def client() -> None:
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
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Measurement(len(latencies), failed, time.perf_counter() - started, tuple(latencies))
