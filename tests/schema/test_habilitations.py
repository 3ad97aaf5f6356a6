"""Habilitations over HTTP: granting, suspending, reinstating and revoking, who may manage which role where, who
sees them, retries and concurrent clients, and the identity's next request carrying only what still counts.

The tests write, so they run on a demo database of their own (tests/schema/writing.py).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import bearer, sql
from tests.schema.writing import (
    as_named,
    client,
    codes,
    footprint,
    gid,
    mutate,
    one,
    own_demo,
    owner,
    query,
    row_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]

FIELDS = """
habilitation { id version role status subject email expiresAt grantedBy organisation { name } }
errors { field code message currentVersion }
"""
GRANT = f"mutation Grant($input: GrantHabilitationInput!) {{ grantHabilitation(input: $input) {{ {FIELDS} }} }}"
SUSPEND = f"mutation S($input: ChangeHabilitationInput!) {{ suspendHabilitation(input: $input) {{ {FIELDS} }} }}"
REINSTATE = f"mutation R($input: ChangeHabilitationInput!) {{ reinstateHabilitation(input: $input) {{ {FIELDS} }} }}"
REVOKE = f"mutation V($input: ChangeHabilitationInput!) {{ revokeHabilitation(input: $input) {{ {FIELDS} }} }}"
SEEN = "{ actions { totalCount } viewer { habilitations { nodes { role status organisation { name } } } } }"
OF_ORGANISATION = """
query Of($id: ID!) {
  node(id: $id) { ... on Organisation { habilitations(first: 100) { totalCount nodes { subject } } } }
}
"""
NODE = (
    "query Node($id: ID!) { node(id: $id) { ... on Habilitation { subject status history { nodes { operation } } } } }"
)

BY_REF = "SELECT id FROM organisation WHERE ref = :ref"
ROW = "SELECT role, status, granted_by, version FROM habilitation WHERE id = :id"
EVENTS = (
    "SELECT subject, operation, changes FROM audit_event WHERE entity = 'habilitation' AND entity_id = :id ORDER BY id"
)
HELD = "SELECT count(*) AS n FROM habilitation WHERE subject = :subject"

PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"
MAISON_DES_PARENTS_44 = "demo:association:maison-des-parents-loire-ocean"

# Callers the personas do not cover: admins of an organisation holding no other role there, or another one.
TOKENS: dict[str, tuple[tuple[str, ...], str]] = {
    "caf-31-admin": (("organisation_admin",), "caf:31"),
    "cnaf-admin-analyst": (("organisation_admin", "cnaf_analyst"), "cnaf"),
    "cnaf-admin-manager": (("organisation_admin", "cnaf_manager"), "cnaf"),
    "epci-admin": (("organisation_admin",), "epci:243100518"),
}


def _caller(issuer: LocalIssuer, name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    if name in TOKENS:
        roles, organisation = TOKENS[name]
        return bearer(issuer, *roles, organisation=organisation, sub=f"dev-{name}")
    return as_named(issuer, name)


def _identity(issuer: LocalIssuer, subject: str) -> dict[str, str]:
    """A token naming only who someone is, as ProConnect's do: no role, no organisation."""
    return {"authorization": f"Bearer {issuer.access_token(sub=subject, roles=None, organisation=None)}"}


async def _grant_input(owner: AsyncEngine, issuer: LocalIssuer, ref: str, role: str, subject: str) -> dict[str, Any]:
    organisation = await one(owner, BY_REF, ref=ref)
    return {
        "organisationId": gid("Organisation", organisation["id"]),
        "issuer": issuer.url,
        "subject": subject,
        "email": f"{subject}@example.org",
        "role": role,
    }


async def test_a_granted_role_counts_from_the_next_request_until_suspended_or_revoked(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an identity with no role of its own, and the association's admin
    admin = _caller(graph_issuer, "association-admin")
    newcomer = _identity(graph_issuer, "newcomer-1")
    assert (await query(client, SEEN, newcomer))["actions"]["totalCount"] == 0

    # when the admin grants it the member role, the identity sees what the association's members see
    granted = await mutate(
        client,
        GRANT,
        admin,
        **await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "newcomer-1"),
    )
    assert granted["errors"] == []
    habilitation = granted["habilitation"]
    assert (habilitation["status"], habilitation["grantedBy"]) == ("ACTIVE", "dev-association-admin")
    seen = await query(client, SEEN, newcomer)
    assert seen["actions"]["totalCount"] > 0
    assert seen["viewer"]["habilitations"]["nodes"] == [
        {"role": "ASSOCIATION_MEMBER", "status": "ACTIVE", "organisation": {"name": "Parents ensemble 31"}}
    ]

    # then suspended, the role no longer counts on the next request, though the identity sees why
    suspended = await mutate(client, SUSPEND, admin, id=habilitation["id"], version=habilitation["version"])
    assert suspended["habilitation"]["status"] == "SUSPENDED"
    seen = await query(client, SEEN, newcomer)
    assert seen["actions"]["totalCount"] == 0
    assert [node["status"] for node in seen["viewer"]["habilitations"]["nodes"]] == ["SUSPENDED"]

    # reinstated, it counts again; revoked, it is gone for good
    reinstated = await mutate(
        client, REINSTATE, admin, id=habilitation["id"], version=suspended["habilitation"]["version"]
    )
    assert (await query(client, SEEN, newcomer))["actions"]["totalCount"] > 0
    revoked = await mutate(client, REVOKE, admin, id=habilitation["id"], version=reinstated["habilitation"]["version"])
    assert revoked["habilitation"]["status"] == "REVOKED"
    assert (await query(client, SEEN, newcomer))["actions"]["totalCount"] == 0
    again = await mutate(client, REINSTATE, admin, id=habilitation["id"], version=revoked["habilitation"]["version"])
    assert codes(again) == [("ILLEGAL_TRANSITION", "id")]

    # and every step is in the trail, before → after
    habilitation_id = row_id(habilitation["id"])
    events = await sql(owner, EVENTS, id=habilitation_id)
    assert [event["operation"] for event in events] == ["create", "update", "update", "update"]
    assert events[0]["changes"]["role"] == [None, "association_member"]
    assert [event["changes"] for event in events[1:]] == [
        {"status": ["active", "suspended"]},
        {"status": ["suspended", "active"]},
        {"status": ["active", "revoked"]},
    ]
    assert {event["subject"] for event in events} == {"dev-association-admin"}


async def test_a_revoked_role_can_be_granted_again_as_a_new_habilitation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = _caller(graph_issuer, "association-admin")
    fields = await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "returning-1")
    first = (await mutate(client, GRANT, admin, **fields))["habilitation"]
    held = await mutate(client, GRANT, admin, **fields)
    await mutate(client, REVOKE, admin, id=first["id"], version=first["version"])

    second = await mutate(client, GRANT, admin, **fields)

    assert codes(held) == [("INVALID", "role")]
    assert second["errors"] == []
    assert second["habilitation"]["id"] != first["id"]
    assert (await one(owner, HELD, subject="returning-1"))["n"] == 2


ALLOWED_GRANTS = [
    ("association-admin", PARENTS_ENSEMBLE, "ORGANISATION_ADMIN"),
    ("caf-44-manager", MAISON_DES_PARENTS_44, "ASSOCIATION_MEMBER"),
    ("caf-44-manager", "caf:44", "CAF_AGENT"),
    ("caf-44-manager", "caf:44", "CAF_MANAGER"),
    ("caf-44-manager", "epci:244400404", "LOCAL_AUTHORITY_STAFF"),
    ("caf-31-admin", "caf:31", "ORGANISATION_ADMIN"),
    ("cnaf-admin-manager", "cnaf", "CNAF_ANALYST"),
]


@pytest.mark.parametrize(("caller", "ref", "role"), ALLOWED_GRANTS, ids=[" ".join(case) for case in ALLOWED_GRANTS])
async def test_a_manager_grants_the_roles_it_may(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, caller: str, ref: str, role: str
) -> None:
    subject = f"granted-{caller}-{role}".lower()

    payload = await mutate(
        client, GRANT, _caller(graph_issuer, caller), **await _grant_input(owner, graph_issuer, ref, role, subject)
    )

    assert payload["errors"] == []
    row = await one(owner, ROW, id=row_id(payload["habilitation"]["id"]))
    assert (row["role"], row["status"], row["granted_by"]) == (role.lower(), "active", f"dev-{caller}")


REFUSED_GRANTS = [
    ("association-admin", PARENTS_ENSEMBLE, "CAF_MANAGER", {}, "INVALID", "role"),
    ("association-admin", PARENTS_ENSEMBLE, "LOCAL_AUTHORITY_STAFF", {}, "INVALID", "role"),
    ("association-member", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {}, "FORBIDDEN", "organisationId"),
    ("caf-31-agent", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {}, "FORBIDDEN", "organisationId"),
    ("caf-44-manager", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {}, "NOT_FOUND", "organisationId"),
    (None, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {}, "NOT_FOUND", "organisationId"),
    ("cnaf-analyst", "cnaf", "CNAF_ANALYST", {}, "FORBIDDEN", "organisationId"),
    ("cnaf-manager", "caf:31", "CAF_MANAGER", {}, "FORBIDDEN", "organisationId"),
    ("caf-31-admin", "caf:31", "CAF_AGENT", {}, "FORBIDDEN", "role"),
    ("caf-31-admin", "caf:31", "CAF_MANAGER", {}, "FORBIDDEN", "role"),
    ("cnaf-admin-analyst", "cnaf", "CNAF_MANAGER", {}, "FORBIDDEN", "role"),
    ("epci-admin", "epci:243100518", "LOCAL_AUTHORITY_STAFF", {}, "FORBIDDEN", "role"),
    (
        "association-admin",
        PARENTS_ENSEMBLE,
        "ASSOCIATION_MEMBER",
        {"expiresAt": "2001-01-01T00:00:00Z"},
        "INVALID",
        "expiresAt",
    ),
    (
        "association-admin",
        PARENTS_ENSEMBLE,
        "ASSOCIATION_MEMBER",
        {"expiresAt": "2999-01-01T00:00:00"},
        "INVALID",
        "expiresAt",
    ),
    ("association-admin", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {"email": "pas une adresse"}, "INVALID", "email"),
    ("association-admin", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {"issuer": "proconnect"}, "INVALID", "issuer"),
    ("association-admin", PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", {"subject": " "}, "INVALID", "subject"),
    (
        "association-admin",
        PARENTS_ENSEMBLE,
        "ASSOCIATION_MEMBER",
        {"organisationId": "nope"},
        "INVALID",
        "organisationId",
    ),
    (
        "association-admin",
        PARENTS_ENSEMBLE,
        "ASSOCIATION_MEMBER",
        {"organisationId": gid("Organisation", 999_999_999)},
        "NOT_FOUND",
        "organisationId",
    ),
]


@pytest.mark.parametrize(
    ("caller", "ref", "role", "overrides", "code", "field"),
    REFUSED_GRANTS,
    ids=[f"{case[0]} {case[1]} {case[2]} {sorted(case[3])}" for case in REFUSED_GRANTS],
)
async def test_a_refused_grant_names_its_field_and_leaves_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    caller: str | None,
    ref: str,
    role: str,
    overrides: dict[str, Any],
    code: str,
    field: str,
) -> None:
    fields = {**await _grant_input(owner, graph_issuer, ref, role, "refused-1"), **overrides}
    # (with an idempotency key, which a refusal must not keep either; anonymous callers may not send one)
    key = {"idempotencyKey": "refused"} if caller else {}
    before = await footprint(owner)

    payload = await mutate(client, GRANT, _caller(graph_issuer, caller), **fields, **key)

    assert payload["habilitation"] is None
    assert codes(payload) == [(code, field)]
    assert await footprint(owner) == before


async def test_only_managers_move_a_habilitation_and_a_stale_version_is_a_conflict(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = _caller(graph_issuer, "association-admin")
    fields = await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "moved-1")
    habilitation = (await mutate(client, GRANT, admin, **fields))["habilitation"]
    before = await footprint(owner)
    at = {"id": habilitation["id"], "version": habilitation["version"]}

    by_member = await mutate(client, SUSPEND, _caller(graph_issuer, "association-member"), **at)
    by_holder = await mutate(client, REVOKE, _identity(graph_issuer, "moved-1"), **at)
    by_other_caf = await mutate(client, SUSPEND, _caller(graph_issuer, "caf-44-manager"), **at)
    stale = await mutate(client, SUSPEND, admin, id=habilitation["id"], version=habilitation["version"] - 1)
    illegal = await mutate(client, REINSTATE, admin, **at)

    assert codes(by_member) == [("NOT_FOUND", "id")]
    assert codes(by_holder) == [("FORBIDDEN", "id")]
    assert codes(by_other_caf) == [("NOT_FOUND", "id")]
    assert codes(stale) == [("CONFLICT", "version")]
    assert stale["errors"][0]["currentVersion"] == habilitation["version"]
    assert codes(illegal) == [("ILLEGAL_TRANSITION", "id")]
    assert await footprint(owner) == before


async def test_a_caf_manager_manages_the_habilitations_of_its_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = _caller(graph_issuer, "association-admin")
    habilitation = (
        await mutate(
            client,
            GRANT,
            admin,
            **await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ORGANISATION_ADMIN", "supervised-1"),
        )
    )["habilitation"]
    caf_31_manager = bearer(graph_issuer, "caf_manager", organisation="caf:31", caf="31", sub="dev-caf-31-manager")

    payload = await mutate(client, SUSPEND, caf_31_manager, id=habilitation["id"], version=habilitation["version"])

    assert payload["errors"] == []
    assert (await one(owner, ROW, id=row_id(habilitation["id"])))["status"] == "suspended"


async def test_habilitations_are_shown_to_those_who_manage_them_and_to_their_holder(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a habilitation in the association
    admin = _caller(graph_issuer, "association-admin")
    fields = await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "shown-1")
    habilitation = (await mutate(client, GRANT, admin, **fields))["habilitation"]
    organisation = gid("Organisation", (await one(owner, BY_REF, ref=PARENTS_ENSEMBLE))["id"])
    expected = (
        await one(owner, "SELECT count(*) AS n FROM habilitation WHERE organisation_id = :id", id=row_id(organisation))
    )["n"]

    # when each caller lists the association's habilitations and fetches that one
    def listed(body: dict[str, Any]) -> int:
        return int(body["node"]["habilitations"]["totalCount"]) if body["node"] else 0

    counts, fetched = {}, {}
    for name, headers in {
        "admin": admin,
        "member": _caller(graph_issuer, "association-member"),
        "caf agent": _caller(graph_issuer, "caf-31-agent"),
        "cnaf analyst": _caller(graph_issuer, "cnaf-analyst"),
        "holder": _identity(graph_issuer, "shown-1"),
    }.items():
        counts[name] = listed(await query(client, OF_ORGANISATION, headers, id=organisation))
        fetched[name] = (await query(client, NODE, headers, id=habilitation["id"]))["node"]

    # then its managers see them all; the holder sees its own; readers of the association see none
    assert counts == {"admin": expected, "member": 0, "caf agent": 0, "cnaf analyst": 0, "holder": 1}
    assert fetched["admin"] == {
        "subject": "shown-1",
        "status": "ACTIVE",
        "history": {"nodes": [{"operation": "CREATE"}]},
    }
    assert fetched["holder"] is not None
    assert fetched["member"] is None
    assert fetched["cnaf analyst"] is None


async def test_a_retried_grant_gets_the_first_habilitation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = _caller(graph_issuer, "association-admin")
    fields = await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "retried-1")
    expiry = (datetime.now(UTC) + timedelta(days=30)).isoformat()

    first = await mutate(client, GRANT, admin, idempotencyKey="grant-1", expiresAt=expiry, **fields)
    second = await mutate(client, GRANT, admin, idempotencyKey="grant-1", expiresAt=expiry, **fields)
    concurrent = await asyncio.gather(
        *(
            mutate(client, GRANT, admin, idempotencyKey="grant-2", **{**fields, "subject": "retried-2"})
            for _ in range(6)
        )
    )
    reused = await mutate(client, GRANT, admin, idempotencyKey="grant-1", **{**fields, "subject": "retried-3"})

    assert first["errors"] == second["errors"] == []
    assert first["habilitation"]["id"] == second["habilitation"]["id"]
    assert (await one(owner, HELD, subject="retried-1"))["n"] == 1
    assert all(payload["errors"] == [] for payload in concurrent)
    assert len({payload["habilitation"]["id"] for payload in concurrent}) == 1
    assert (await one(owner, HELD, subject="retried-2"))["n"] == 1
    assert codes(reused) == [("KEY_REUSED", "idempotencyKey")]
    assert (await one(owner, HELD, subject="retried-3"))["n"] == 0


async def test_concurrent_moves_of_one_version_let_exactly_one_through(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    admin = _caller(graph_issuer, "association-admin")
    fields = await _grant_input(owner, graph_issuer, PARENTS_ENSEMBLE, "ASSOCIATION_MEMBER", "raced-1")
    habilitation = (await mutate(client, GRANT, admin, **fields))["habilitation"]

    payloads = await asyncio.gather(
        *(mutate(client, SUSPEND, admin, id=habilitation["id"], version=habilitation["version"]) for _ in range(6))
    )

    winners = [payload for payload in payloads if not payload["errors"]]
    assert len(winners) == 1
    assert {code for payload in payloads if payload["errors"] for code, _ in codes(payload)} == {"CONFLICT"}
    habilitation_id = row_id(habilitation["id"])
    assert (await one(owner, ROW, id=habilitation_id))["version"] == habilitation["version"] + 1
    assert [event["operation"] for event in await sql(owner, EVENTS, id=habilitation_id)] == ["create", "update"]
