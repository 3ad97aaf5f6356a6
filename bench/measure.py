"""One measurement: a contender's closed loop over one workload, after a warm-up, by the right client.

The HTTP contenders are warmed up by the httpx client (1 s, every request awaited), whose rate then
chooses who measures: wrk, whose CPU per request is a small fraction of httpx's, unless the rate is so
low that each connection would get fewer than `WRK_ROUNDS` answers in the timed run. wrk stops at the
deadline and counts none of the requests in flight, which makes its rate low by about one answer per
connection; below that many rounds the httpx client measures, which awaits them, and at such rates
costs little CPU. The floor is always run in this process, through the asyncpg pool.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import wrk
from bench.load import Measurement, drive
from bench.workloads import Workload

WARM_UP = 1.0
WRK_ROUNDS = 20
FLOOR_CLIENT = "asyncpg, in-process"
_JSON = {"content-type": "application/json"}


def bodies(document: str, variables: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """The request bodies of a workload's calls, as JSON in ASCII (what wrk's script embeds)."""
    return tuple(json.dumps({"query": document, "variables": each}) for each in variables)


class Meter:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        concurrency: int,
        seconds: float,
        wrk_path: str | None,
        scratch: Path,
    ) -> None:
        self._client = client
        self._concurrency = concurrency
        self._seconds = seconds
        self._wrk = wrk_path
        self._script = scratch / "workload.lua"

    async def http(self, url: str, requests: Sequence[str]) -> Measurement:
        """POST `url`/graphql with each body in turn; a failure is a non-200 or an answer with errors."""
        endpoint = f"{url}/graphql"

        async def send(n: int) -> bool:
            try:
                response = await self._client.post(endpoint, content=requests[n % len(requests)], headers=_JSON)
            except httpx.HTTPError:
                return False
            return response.status_code == 200 and b'"errors"' not in response.content

        warm = await drive(send, concurrency=self._concurrency, seconds=WARM_UP)
        if self._wrk is None or warm.rate * self._seconds < WRK_ROUNDS * self._concurrency:
            return await drive(send, concurrency=self._concurrency, seconds=self._seconds)
        headers = {"Content-Type": "application/json", "Authorization": self._client.headers["authorization"]}
        self._script.write_text(wrk.script(requests, headers), encoding="utf-8")
        measured = await wrk.run(
            self._wrk, endpoint, self._script, connections=self._concurrency, seconds=self._seconds
        )
        # The requests wrk left in flight are still being served: one more answer, and they are done.
        await send(0)
        return measured

    async def floor(self, pool: asyncpg.Pool, workload: Workload) -> Measurement:
        async def send(n: int) -> bool:
            call = workload.call(n)
            return (await pool.fetchval(workload.floor, *call.floor_arguments)) is not None

        await drive(send, concurrency=self._concurrency, seconds=WARM_UP, client=FLOOR_CLIENT)
        return await drive(send, concurrency=self._concurrency, seconds=self._seconds, client=FLOOR_CLIENT)
