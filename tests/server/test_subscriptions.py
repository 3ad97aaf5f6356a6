"""Subscriptions over WebSocket, with a real graphql-transport-ws client, against two `maillage serve` processes
on one database: a change made through one process reaches the subscribers of the other, under their scope."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
import websockets
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME, Persona
from tests.auth.issuer import AUDIENCE, LocalIssuer
from tests.schema.conftest import as_persona, sql
from tests.server.processes import running_services

CHANGES = """
subscription Changes($kinds: [LiveChangeKind!], $ids: [ID!]) {
  changes(kinds: $kinds, ids: $ids) { kind operation id node { id ... on Action { description } } }
}
"""
DESCRIBE = """
mutation Describe($input: UpdateActionInput!) {
  updateAction(input: $input) { action { version description } errors { code message } }
}
"""
CARRIED_IN_31 = """
SELECT a.id FROM action a JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = :ref AND s.department_code = '31' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1
"""
AN_ACTION_IN_44 = """
SELECT a.id FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE s.department_code = '44' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1
"""
LISTENING = "SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = 'maillage-changes'"


def _global_id(type_name: str, key: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


@dataclass(frozen=True)
class Services:
    first: str  # base URLs of the two processes
    second: str


@pytest.fixture(scope="module")
async def services(
    own_demo: URL, server_issuer: LocalIssuer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Services]:
    """Two service processes on the same database, trusting the same issuer."""
    async with running_services(
        tmp_path_factory.mktemp("services"),
        2,
        database_url=own_demo.render_as_string(hide_password=False),
        oidc_issuer=server_issuer.url,
        oidc_audience=AUDIENCE,
        oidc_organisation_claim="organisation",
        oidc_organisation_key="ref",
        compiled_reads="off",
    ) as (first, second):
        yield Services(first.url, second.url)


def _with_claims(issuer: LocalIssuer, persona: Persona, **claims: Any) -> dict[str, str]:
    more: dict[str, Any] = {"sub": persona.subject, **claims}
    if persona.caf_department:
        more["caf"] = persona.caf_department
    token = issuer.access_token(roles=[role.value for role in persona.roles], organisation=persona.organisation, **more)
    return {"authorization": f"Bearer {token}"}


def _init(headers: dict[str, str]) -> dict[str, Any]:
    return {"type": "connection_init", "payload": {"Authorization": headers["authorization"]}}


class Subscriber:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    async def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next message other than a ping, or None when `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message: dict[str, Any] = json.loads(await asyncio.wait_for(self.connection.recv(), left))
            except TimeoutError:
                return None
            if message["type"] not in ("ping", "pong"):
                return message
        return None


@asynccontextmanager
async def subscribed(
    base_url: str, headers: dict[str, str], owner: AsyncEngine, variables: dict[str, Any], query: str = CHANGES
) -> AsyncIterator[Subscriber]:
    """A graphql-transport-ws connection authenticated by its connection_init payload, subscribed to `changes`,
    once the process listens for changes."""
    listening_before = (await sql(owner, LISTENING))[0]["count"]
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
        await connection.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": headers["authorization"]}})
        )
        assert json.loads(await connection.recv())["type"] == "connection_ack"
        await connection.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
        )
        for _ in range(100):
            if (await sql(owner, LISTENING))[0]["count"] > 0 and listening_before >= 0:
                break
            await asyncio.sleep(0.05)
        # The subscription registers with the feed as it starts: give it that moment.
        await asyncio.sleep(0.5)
        yield Subscriber(connection)


async def _describe(base_url: str, headers: dict[str, str], owner: AsyncEngine, action_id: int, text_: str) -> None:
    (row,) = await sql(owner, "SELECT version FROM action WHERE id = :id", id=action_id)
    body = {"input": {"id": _global_id("Action", action_id), "version": row["version"], "description": text_}}
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{base_url}/graphql", json={"query": DESCRIBE, "variables": body}, headers=headers
        )
    payload = response.json()
    assert payload["data"]["updateAction"]["errors"] == [], payload


async def test_a_carriers_subscription_receives_within_a_second_the_cafs_change_made_through_another_process(
    services: Services, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the association member subscribed, through the first process, to one of its actions in 31
    member = BY_NAME["association-member"]
    (row,) = await sql(owner, CARRIED_IN_31, ref=member.organisation)
    action_id = row["id"]
    async with subscribed(
        services.first, as_persona(server_issuer, member), owner, {"ids": [_global_id("Action", action_id)]}
    ) as subscriber:
        # when the Caf of 31 redescribes it through the second process
        await _describe(
            services.second, as_persona(server_issuer, BY_NAME["caf-31-agent"]), owner, action_id, "Revue par la Caf"
        )
        changed_at = time.monotonic()
        message = await subscriber.receive(timeout=5)
        received_after = time.monotonic() - changed_at

    # then the member learns it within a second, with the action as it is now
    assert message is not None, "nothing came"
    assert message["type"] == "next", message
    assert message["payload"]["data"]["changes"] == {
        "kind": "ACTION",
        "operation": "UPDATED",
        "id": _global_id("Action", action_id),
        "node": {"id": _global_id("Action", action_id), "description": "Revue par la Caf"},
    }
    assert received_after < 1.0


async def test_a_caf_44_subscriber_learns_nothing_of_caf_31s_changes(
    services: Services, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    member = BY_NAME["association-member"]
    (in_31,) = await sql(owner, CARRIED_IN_31, ref=member.organisation)
    (in_44,) = await sql(owner, AN_ACTION_IN_44)
    # given a Caf 44 manager subscribed to every change, through the first process
    async with subscribed(
        services.first, as_persona(server_issuer, BY_NAME["caf-44-manager"]), owner, {}
    ) as subscriber:
        # when the Caf of 31 changes one of its actions through the second process
        await _describe(
            services.second, as_persona(server_issuer, BY_NAME["caf-31-agent"]), owner, in_31["id"], "Vue de Toulouse"
        )
        # then nothing reaches the Caf 44 subscriber
        assert await subscriber.receive(timeout=1.5) is None
        # while a change in 44 does: the subscription was listening all along
        async with owner.begin() as connection:
            await connection.execute(
                text("UPDATE action SET description = 'Vue de Nantes' WHERE id = :id"), {"id": in_44["id"]}
            )
        message = await subscriber.receive(timeout=5)
    assert message is not None, "nothing came"
    assert message["type"] == "next", message
    assert message["payload"]["data"]["changes"]["id"] == _global_id("Action", in_44["id"])
    assert message["payload"]["data"]["changes"]["node"]["description"] == "Vue de Nantes"


async def test_a_subscription_ends_when_its_token_expires(
    services: Services, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a subscription whose token expires in three seconds
    expires = int(time.time()) + 3
    headers = _with_claims(server_issuer, BY_NAME["caf-44-manager"], exp=expires)
    async with subscribed(services.first, headers, owner, {}) as subscriber:
        # then it ends then, saying why, and nothing more comes
        message = await subscriber.receive(timeout=10)
        ended_at = time.time()
        assert message is not None, "nothing came"
        assert message["type"] == "next", message
        assert message["payload"]["errors"][0]["extensions"]["code"] == "TOKEN_EXPIRED"
        completed = await subscriber.receive(timeout=2)
    assert completed == {"id": "1", "type": "complete"}
    assert expires <= ended_at < expires + 1.5


async def test_a_token_that_does_not_verify_closes_the_connection(
    services: Services, server_issuer: LocalIssuer
) -> None:
    url = services.first.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
        await connection.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(connection.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_queries_are_not_served_over_websocket(
    services: Services, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    url = services.first.replace("http://", "ws://") + "/graphql"
    headers = as_persona(server_issuer, BY_NAME["caf-44-manager"])
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
        await connection.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": headers["authorization"]}})
        )
        assert json.loads(await connection.recv())["type"] == "connection_ack"
        await connection.send(
            json.dumps({"id": "q", "type": "subscribe", "payload": {"query": "{ viewer { subject } }"}})
        )
        message = json.loads(await asyncio.wait_for(connection.recv(), 5))
    assert message["type"] == "error"
    assert "only subscriptions" in message["payload"][0]["message"]


TASKS = "subscription { tasks { id kind node { id } } }"
A_DRAFT_IN_44 = """
SELECT a.id FROM action a JOIN scheme s ON s.id = a.ctg_id
WHERE s.department_code = '44' AND a.status = 'draft' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1
"""


async def test_a_new_task_is_published_as_it_appears(
    services: Services, server_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    (draft,) = await sql(owner, A_DRAFT_IN_44)
    action = _global_id("Action", draft["id"])
    manager = as_persona(server_issuer, BY_NAME["caf-44-manager"])
    # given the Caf 44 manager subscribed to its tasks: the current ones come first
    async with subscribed(services.first, manager, owner, {}, TASKS) as subscriber:
        current = []
        while (message := await subscriber.receive(timeout=1)) is not None:
            current.append(message["payload"]["data"]["tasks"])
        assert all(task["node"]["id"] != action for task in current)
        # when an action of 44 is submitted for validation, by another process's transaction
        async with owner.begin() as connection:
            await connection.execute(text("UPDATE action SET status = 'submitted' WHERE id = :id"), {"id": draft["id"]})
        # then the new task, and it alone, is published
        message = await subscriber.receive(timeout=5)
        assert message is not None, "nothing came"
        assert message["payload"]["data"]["tasks"]["kind"] == "ACTION_TO_VALIDATE"
        assert message["payload"]["data"]["tasks"]["node"]["id"] == action
        assert await subscriber.receive(timeout=1) is None


async def test_a_notification_names_the_row_and_the_operation_and_nothing_of_its_content(
    own_demo: URL, owner: AsyncEngine
) -> None:
    (row,) = await sql(owner, AN_ACTION_IN_44)
    received: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(own_demo.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await listener.add_listener("maillage_changes", lambda *args: received.put_nowait(args[3]))
        async with owner.begin() as connection:
            await connection.execute(
                text("UPDATE action SET description = 'Secret de Nantes' WHERE id = :id"), {"id": row["id"]}
            )
        payload = await asyncio.wait_for(received.get(), 5)
    finally:
        await listener.close()
    assert json.loads(payload) == {"kind": "action", "id": row["id"], "op": "update"}


async def test_a_subscription_over_http_is_refused_plainly(services: Services) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(f"{services.first}/graphql", json={"query": "subscription { changes { id } }"})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["errors"], response.text
