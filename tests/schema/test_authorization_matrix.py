"""The authorization matrix (auth/matrix.py), every row played over HTTP with a real token on a demo database of
this module's own.

Each row's object is made for it by the database's owner (tests/schema/matrix_cases.py), in the state its
mutation needs, where the caller's relation to it is the row's (tests/schema/matrix_plays.py). A row the rules
allow must succeed: no error, the object changed, the change recorded. A refused one must name the row's code and
input field, and leave everything as it was: rows, versions, the audit trail, idempotency keys, habilitations.
Refused rows share their objects (nothing changes them); allowed ones get their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth import matrix as m
from tests.auth.issuer import LocalIssuer
from tests.schema.matrix_cases import CASES, Case
from tests.schema.matrix_plays import PLAYS, headers
from tests.schema.matrix_world import Target, World
from tests.schema.writing import client, own_demo, owner, writable

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module


def _id(row: m.Row) -> str:
    return " | ".join(row.key).replace("→", "->")


def _param(row: m.Row) -> Any:
    return pytest.param(row, id=_id(row))


class Stage:
    """The module's world, the objects refused rows share, each caller's headers, and the footprint as the last
    row left it (None once anything may have changed it since: a new object, a request whose end was not seen)."""

    def __init__(self, world: World, issuer: LocalIssuer) -> None:
        self.world = world
        self.issuer = issuer
        self._shared: dict[tuple[str, Any, Any], Target] = {}
        self._headers: dict[str | None, dict[str, str]] = {}
        self._footprint: dict[str, Any] | None = None

    async def footprint(self) -> dict[str, Any]:
        """The footprint now: as the last row left it, unless something may have changed it since."""
        if self._footprint is None:
            self._footprint = await self.world.footprint()
        return self._footprint

    async def footprint_after(self) -> dict[str, Any]:
        """The footprint after a request, read again."""
        self._footprint = await self.world.footprint()
        return self._footprint

    def forget_footprint(self) -> None:
        self._footprint = None

    async def target(self, family: str, case: Case[Any], setting: Any, *, own: bool) -> Target:
        """The object of a row: its own when the row changes it, otherwise one shared with the refused rows that
        need the same object in the same state (habilitations are always new: making one revokes the identity's
        earlier one)."""
        if own or family == m.HABILITATIONS.title:
            self.forget_footprint()
            return await case.make(self.world, setting)
        key = (family, case.make, setting)
        if key not in self._shared:
            self.forget_footprint()
            self._shared[key] = await case.make(self.world, setting)
        return self._shared[key]

    def headers(self, caller: str | None) -> dict[str, str]:
        if caller not in self._headers:
            self._headers[caller] = headers(self.issuer, caller)
        return self._headers[caller]


@pytest.fixture(scope="module")
async def stage(owner: AsyncEngine, graph_issuer: LocalIssuer) -> AsyncIterator[Stage]:
    async with owner.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield Stage(World(autocommit, graph_issuer.url), graph_issuer)


async def _payload(client: httpx.AsyncClient, document: str, headers: dict[str, str], fields: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": document, "variables": {"input": fields}}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


@pytest.mark.parametrize("row", [_param(row) for row in m.ROWS])
async def test_the_row_holds_over_http(row: m.Row, stage: Stage, client: httpx.AsyncClient) -> None:
    # given the row's caller, and an object where the caller stands in the row's relation to it
    caller, setting = PLAYS[row.family, row.persona, row.relation]
    case = CASES[row.family, row.mutation]
    target = await stage.target(row.family, case, setting, own=row.outcome is m.ALLOWED)
    fields = await case.request(stage.world, target)
    if case.creates and caller is not None:
        # (a refusal must not keep the key; anonymous callers may not send one)
        fields["idempotencyKey"] = f"matrix-{stage.world.serial()}"
    before = await stage.footprint()
    state = await case.probe(stage.world, target) if row.outcome is m.ALLOWED else {}

    # when the caller sends the mutation
    stage.forget_footprint()
    payload = await _payload(client, case.document, stage.headers(caller), fields)
    footprint = await stage.footprint_after()

    # then it is made, or refused as the row says with nothing left behind
    if row.outcome is m.ALLOWED:
        assert payload["errors"] == []
        after = await case.probe(stage.world, target)
        assert {name: after[name] for name in case.changes} != {name: state[name] for name in case.changes}
        assert footprint["events"] > before["events"]
    else:
        assert [(error["code"], error["field"]) for error in payload["errors"]] == [(row.outcome.value, row.field)]
        assert footprint == before


def test_every_row_has_a_caller_a_setting_and_a_case() -> None:
    lines = {(row.family, row.persona, row.relation) for row in m.ROWS}
    mutations = {(row.family, row.mutation) for row in m.ROWS}

    assert lines == set(PLAYS)
    assert mutations == set(CASES)
