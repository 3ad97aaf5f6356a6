"""Before anything is measured: every contender's answer to every call equals the floor's."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx

from bench.postgraphile_workloads import PeerWorkload
from bench.workloads import Workload


class Mismatch(Exception):
    """A contender's answer differs from the floor's, or is an error."""


def first_difference(answer: Any, floor: Any, path: str = "data") -> str:
    if isinstance(answer, dict) and isinstance(floor, dict):
        for key in sorted(answer.keys() | floor.keys()):
            if answer.get(key) != floor.get(key):
                return first_difference(answer.get(key), floor.get(key), f"{path}.{key}")
    if isinstance(answer, list) and isinstance(floor, list):
        if len(answer) != len(floor):
            return f"{path}: {len(answer)} items in the answer, {len(floor)} from the floor"
        for index, (left, right) in enumerate(zip(answer, floor, strict=True)):
            if left != right:
                return first_difference(left, right, f"{path}[{index}]")
    left, right = json.dumps(answer, ensure_ascii=False), json.dumps(floor, ensure_ascii=False)
    return f"{path}: the answer gives {left[:200]}, the floor {right[:200]}"


async def _agree(
    client: httpx.AsyncClient,
    url: str,
    pool: asyncpg.Pool,
    workload: Workload,
    ask: Callable[[int], dict[str, Any]],
    answer: Callable[[dict[str, Any]], Any],
    who: str,
) -> None:
    for n, call in enumerate(workload.calls):
        body = ask(n)
        response = await client.post(f"{url}/graphql", json=body)
        if response.status_code != 200 or "errors" in response.json():
            raise Mismatch(f"workload {workload.name} {body['variables']}: {who} answered {response.text[:500]}")
        floor = json.loads(await pool.fetchval(workload.floor, *call.floor_arguments))
        data = answer(response.json()["data"])
        if data != floor:
            where = first_difference(data, floor)
            raise Mismatch(f"workload {workload.name} {body['variables']}: {who} and the floor disagree at {where}")


async def maillage(client: httpx.AsyncClient, url: str, pool: asyncpg.Pool, workload: Workload) -> None:
    """Every call of the workload: same rows, same order, same values through Maillage and the floor."""

    def ask(n: int) -> dict[str, Any]:
        return {"query": workload.document, "variables": workload.call(n).variables}

    await _agree(client, url, pool, workload, ask, lambda data: data, "Maillage")


async def postgraphile(
    client: httpx.AsyncClient, url: str, pool: asyncpg.Pool, workload: Workload, peer: PeerWorkload
) -> None:
    """The same for PostGraphile, its answer read in Maillage's shape."""

    def ask(n: int) -> dict[str, Any]:
        return {"query": peer.document, "variables": peer.call(n)}

    await _agree(client, url, pool, workload, ask, peer.answer, "PostGraphile")
