"""Before anything is measured: every contender's answer to every call equals the floor's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from bench.postgraphile_workloads import PeerWorkload
from bench.workloads import Workload


class Mismatch(Exception):
    """A contender's answer differs from the floor's, or is an error."""


def _show(value: Any, size: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= size else text[: size - 1] + "…"


def _scalars(value: Any) -> dict[str, Any] | None:
    """A row's own fields (not its nested objects and lists), through a wrapper such as an edge's `node`:
    what tells one row from another."""
    while isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), dict):
        value = next(iter(value.values()))
    if not isinstance(value, dict):
        return None
    return {key: item for key, item in value.items() if not isinstance(item, dict | list)}


def first_difference(answer: Any, floor: Any, path: str = "data") -> str:
    """Where two JSON values first differ. Lists are compared item by item: at the first item that differs,
    two different rows (their own fields differ) are both shown, the same row is followed into what differs
    in it; a row missing from one side shows as the first row that differs, and the lengths are said."""
    if isinstance(answer, dict) and isinstance(floor, dict):
        for key in sorted(answer.keys() | floor.keys()):
            if answer.get(key) != floor.get(key):
                return first_difference(answer.get(key), floor.get(key), f"{path}.{key}")
    if isinstance(answer, list) and isinstance(floor, list):
        lengths = (
            "" if len(answer) == len(floor) else f" ({len(answer)} items in the answer, {len(floor)} from the floor)"
        )
        for index, (left, right) in enumerate(zip(answer, floor, strict=False)):
            if left == right:
                continue
            if isinstance(left, dict) and _scalars(left) == _scalars(right):
                return first_difference(left, right, f"{path}[{index}]") + lengths
            return (
                f"{path}[{index}]{lengths}: the answer's row {_show(_scalars(left) or left)}, "
                f"the floor's {_show(_scalars(right) or right)}"
            )
        shorter = min(len(answer), len(floor))
        side, extra = ("answer", answer) if len(answer) > len(floor) else ("floor", floor)
        return f"{path}{lengths}: first row only in the {side}, [{shorter}]: {_show(extra[shorter])}"
    return f"{path}: the answer gives {_show(answer)}, the floor {_show(floor)}"


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


@dataclass(frozen=True)
class Verdict:
    """How a persona's answers to a workload compare with the floor's: `problem` is empty when they agree."""

    persona: str
    workload: str
    problem: str = ""
    kind: str = ""  # "differs", "errors", "timeout", "floor" (the floor itself failed); "" when they agree

    @property
    def agrees(self) -> bool:
        return not self.problem


def _error_codes(body: Any) -> list[str]:
    errors = body.get("errors") if isinstance(body, dict) else None
    return [str((error.get("extensions") or {}).get("code", "")) for error in errors or [] if isinstance(error, dict)]


async def persona(
    client: httpx.AsyncClient,
    url: str,
    pool: asyncpg.Pool,
    workload: Workload,
    headers: dict[str, str],
    *,
    floor_timeout: float = 60.0,
) -> Verdict:
    """Every call of the workload as the persona, against its floor; never raises for an answer: a
    difference, an error or a timeout is the verdict."""

    def verdict(problem: str, kind: str) -> Verdict:
        return Verdict(workload.persona, workload.name, problem, kind)

    for call in workload.calls:
        asked = f"{workload.persona} {workload.name} {json.dumps(call.variables, ensure_ascii=False)}"
        try:
            response = await client.post(
                f"{url}/graphql", json={"query": workload.document, "variables": call.variables}, headers=headers
            )
        except httpx.TimeoutException:
            return verdict(f"{asked}: no answer within {client.timeout.read:g} s", "timeout")
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        codes = _error_codes(body)
        if "STATEMENT_TIMEOUT" in codes:
            return verdict(f"{asked}: the service stopped a statement at its statement timeout", "timeout")
        if response.status_code != 200 or codes or "data" not in body:
            return verdict(f"{asked}: HTTP {response.status_code}, {response.text[:300]}", "errors")
        try:
            async with asyncio.timeout(floor_timeout):
                raw = await pool.fetchval(workload.floor, *call.floor_arguments)
        except TimeoutError:
            return verdict(f"{asked}: the floor took more than {floor_timeout:g} s", "floor")
        floor = json.loads(raw)
        if body["data"] != floor:
            return verdict(f"{asked}: differs at {first_difference(body['data'], floor)}", "differs")
    return verdict("", "")
