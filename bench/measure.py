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
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import wrk
from bench.load import Measurement, drive, drive_each
from bench.workloads import Workload
from bench.writes import Actor, WriteClient

WARM_UP = 1.0
WRK_ROUNDS = 20
FLOOR_CLIENT = "asyncpg, in-process"
_CODE = re.compile(rb'"code"\s*:\s*"([A-Z_]+)"')  # a GraphQL error's extensions.code
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
        # Why the requests of the last `http` measurement failed, when httpx measured it (wrk does not say).
        self.failures: Counter[str] = Counter()

    async def http(
        self,
        url: str,
        requests: Sequence[str],
        *,
        headers: dict[str, str] | None = None,
        concurrency: int | None = None,
    ) -> Measurement:
        """POST `url`/graphql with each body in turn; a failure is a non-200 or an answer with errors.
        `headers`: the caller's (its token), else the client's; `concurrency`: else the meter's."""
        endpoint = f"{url}/graphql"
        clients = concurrency or self._concurrency
        sent = {**_JSON, **(headers or {})}

        async def send(n: int) -> bool:
            try:
                response = await self._client.post(endpoint, content=requests[n % len(requests)], headers=sent)
            except httpx.HTTPError as error:
                self.failures[type(error).__name__] += 1
                return False
            if response.status_code == 200 and b'"errors"' not in response.content:
                return True
            code = _CODE.search(response.content)
            reason = code.group(1).decode() if code else "errors"
            self.failures[reason if response.status_code == 200 else f"HTTP {response.status_code} {reason}"] += 1
            return False

        warm = await drive(send, concurrency=clients, seconds=WARM_UP)
        self.failures.clear()
        if self._wrk is None or warm.rate * self._seconds < WRK_ROUNDS * clients:
            return await drive(send, concurrency=clients, seconds=self._seconds)
        token = (headers or {}).get("authorization") or self._client.headers["authorization"]
        self._script.write_text(
            wrk.script(requests, {"Content-Type": "application/json", "Authorization": token}), encoding="utf-8"
        )
        measured = await wrk.run(self._wrk, endpoint, self._script, connections=clients, seconds=self._seconds)
        # The requests wrk left in flight are still being served: one more answer, and they are done.
        await send(0)
        return measured

    async def floor(self, pool: asyncpg.Pool, workload: Workload, *, concurrency: int | None = None) -> Measurement:
        clients = concurrency or self._concurrency

        async def send(n: int) -> bool:
            call = workload.call(n)
            return (await pool.fetchval(workload.floor, *call.floor_arguments)) is not None

        await drive(send, concurrency=clients, seconds=WARM_UP, client=FLOOR_CLIENT)
        return await drive(send, concurrency=clients, seconds=self._seconds, client=FLOOR_CLIENT)

    async def writes(self, url: str, writers: Sequence[WriteClient], headers: dict[str, str]) -> Measurement:
        """Each writer a closed-loop client of its own, through httpx: wrk cannot carry the versions the
        answers return into the next request. A failure: a non-200, or an answer with any error."""
        endpoint = f"{url}/graphql"

        def client(writer: WriteClient) -> Callable[[], Awaitable[bool]]:
            async def send() -> bool:
                try:
                    response = await self._client.post(endpoint, json=writer.body(), headers=headers)
                except httpx.HTTPError as error:
                    self.failures[type(error).__name__] += 1
                    return False
                if response.status_code == 200 and writer.accept(response.json()):
                    return True
                code = _CODE.search(response.content)
                reason = code.group(1).decode() if code else "errors"
                self.failures[reason if response.status_code == 200 else f"HTTP {response.status_code} {reason}"] += 1
                return False

            return send

        sends = [client(writer) for writer in writers]
        await drive_each(sends, seconds=WARM_UP)
        self.failures.clear()
        return await drive_each(sends, seconds=self._seconds)

    async def floor_writes(self, pool: asyncpg.Pool, writers: Sequence[WriteClient], actor: Actor) -> Measurement:
        """The same writers, each change made by the floor's transaction."""

        def client(writer: WriteClient) -> Callable[[], Awaitable[bool]]:
            async def send() -> bool:
                async with pool.acquire() as connection:
                    try:
                        return await writer.floor(connection, actor)
                    except asyncpg.PostgresError as error:
                        if len(writer.failures) < 3:
                            writer.failures.append(f"{type(error).__name__}: {error}"[:300])
                        return False

            return send

        sends = [client(writer) for writer in writers]
        await drive_each(sends, seconds=WARM_UP, client=FLOOR_CLIENT)
        return await drive_each(sends, seconds=self._seconds, client=FLOOR_CLIENT)
