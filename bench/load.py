"""A closed-loop load generator: N concurrent clients, each sending its next request as soon as the last
one answered, for a fixed time."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
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
    numbers = itertools.count()

    async def next_request() -> bool:
        return await send(next(numbers))

    return await drive_each([next_request] * concurrency, seconds=seconds, client=client)


async def drive_each(
    sends: Sequence[Callable[[], Awaitable[bool]]], *, seconds: float, client: str = PYTHON_CLIENT
) -> Measurement:
    """One closed-loop client per callable, for `seconds`: a client's requests are its own (a writer keeping
    the versions its answers return). A callable says whether its request succeeded."""
    latencies: list[float] = []
    failed = 0
    deadline = time.perf_counter() + seconds

    async def one_client(send: Callable[[], Awaitable[bool]]) -> None:
        nonlocal failed
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    ok = await send()
            except TimeoutError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client(send) for send in sends))
    return Measurement.of(latencies, failed, time.perf_counter() - started, client)
