"""addActionPartner, removeActionPartner and setActionObjectives over HTTP: who may, the action's version, the
audit trail, and nothing left behind by a refusal.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import sql
from tests.schema.writing import (
    as_named,
    client,
    codes,
    events,
    footprint,
    gid,
    mutate,
    one,
    own_demo,
    owner,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ADD = """
mutation Add($input: AddActionPartnerInput!) {
  addActionPartner(input: $input) {
    action { id version partners { edges { role node { id } } } }
    errors { field code message currentVersion }
  }
}
"""
REMOVE = """
mutation Remove($input: RemoveActionPartnerInput!) {
  removeActionPartner(input: $input) {
    action { id version partners { edges { node { id } } } }
    errors { field code message currentVersion }
  }
}
"""
SET_OBJECTIVES = """
mutation Set($input: SetActionObjectivesInput!) {
  setActionObjectives(input: $input) {
    action { id version objectivesServed { nodes { id } } }
    errors { field code message currentVersion }
  }
}
"""

# An action of the Toulouse Métropole CTG carried by the association of the personas.
ACTION = """
SELECT a.id, a.version, a.carrier_id, a.ctg_id FROM action a
JOIN organisation o ON o.id = a.carrier_id JOIN scheme s ON s.id = a.ctg_id
WHERE o.ref = 'demo:association:parents-ensemble-31' AND s.epci_siren = '243100518'
ORDER BY a.id LIMIT 1
"""
VERSION = "SELECT version FROM action WHERE id = :id"
# Organisations of Haute-Garonne that the action's Caf sees and that take no part in the action yet.
OUTSIDERS = """
SELECT o.id FROM organisation o
WHERE o.department_code = '31' AND o.kind IN ('association', 'commune', 'epci')
  AND o.id <> (SELECT carrier_id FROM action WHERE id = :id)
  AND o.id NOT IN (SELECT organisation_id FROM action_partner WHERE action_id = :id)
ORDER BY o.id
"""
PARTNERS = "SELECT organisation_id, role FROM action_partner WHERE action_id = :id ORDER BY organisation_id"
SERVED = "SELECT objective_id FROM action_objective WHERE action_id = :id ORDER BY objective_id"
OBJECTIVES_OF = "SELECT id FROM scheme_objective WHERE scheme_id = :scheme ORDER BY id"
OBJECTIVE_OF_SDSF_44 = """
SELECT min(o.id) AS id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
WHERE s.kind = 'SDSF' AND s.department_code = '44'
"""
LOIRE_OCEAN = "SELECT id FROM organisation WHERE ref = 'demo:association:maison-des-parents-loire-ocean'"

REFUSED = [
    ("association-member", "FORBIDDEN"),
    ("association-admin", "FORBIDDEN"),
    ("cnaf-analyst", "FORBIDDEN"),
    ("cnaf-manager", "FORBIDDEN"),
    ("caf-44-manager", "NOT_FOUND"),
    ("council-44-member", "NOT_FOUND"),
    (None, "NOT_FOUND"),
]
REFUSED_IDS = ["carrier", "carrier's admin", "Cnaf analyst", "Cnaf manager", "Caf 44", "council 44", "anonymous"]


async def _action(owner: AsyncEngine) -> dict[str, Any]:
    return await one(owner, ACTION)


async def _outsiders(owner: AsyncEngine, action_id: int) -> list[int]:
    return [row["id"] for row in await sql(owner, OUTSIDERS, id=action_id)]


def _partner_input(action: dict[str, Any], organisation_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "actionId": gid("Action", action["id"]),
        "version": action["version"],
        "organisationId": gid("Organisation", organisation_id),
        **fields,
    }


@pytest.mark.parametrize("persona", ["caf-31-agent", "epci-coordinator"])
async def test_the_caf_and_the_local_authority_add_and_remove_a_partner_version_by_version(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str
) -> None:
    # given the action and an organisation taking no part in it
    action = await _action(owner)
    organisation = (await _outsiders(owner, action["id"]))[0]
    partners_before = await sql(owner, PARTNERS, id=action["id"])
    trail_before = await events(owner, "action", action["id"])

    # when the persona adds it as a partner, then removes it, each time from the version it was given
    added = await mutate(
        client, ADD, as_named(graph_issuer, persona), **_partner_input(action, organisation, role="Prêt de salles")
    )
    removed = await mutate(
        client,
        REMOVE,
        as_named(graph_issuer, persona),
        **_partner_input(action | {"version": added["action"]["version"]}, organisation),
    )

    # then each moved the action one version on, and the trail shows the partners before and after each
    assert added["errors"] == removed["errors"] == []
    assert (added["action"]["version"], removed["action"]["version"]) == (action["version"] + 1, action["version"] + 2)
    assert {"role": "Prêt de salles", "node": {"id": gid("Organisation", organisation)}} in added["action"]["partners"][
        "edges"
    ]
    assert gid("Organisation", organisation) not in str(removed["action"]["partners"])
    assert await sql(owner, PARTNERS, id=action["id"]) == partners_before
    with_it = sorted(
        [*partners_before, {"organisation_id": organisation, "role": "Prêt de salles"}],
        key=lambda partner: partner["organisation_id"],
    )
    new_events = (await events(owner, "action", action["id"]))[len(trail_before) :]
    assert [(event["operation"], event["changes"]) for event in new_events] == [
        ("update", {"partners": [partners_before, with_it]}),
        ("update", {"partners": [with_it, partners_before]}),
    ]


@pytest.mark.parametrize(("persona", "code"), REFUSED, ids=REFUSED_IDS)
async def test_who_may_not_change_the_action_fully_changes_no_partner(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str | None, code: str
) -> None:
    action = await _action(owner)
    organisation = (await _outsiders(owner, action["id"]))[0]
    partner = (await sql(owner, PARTNERS, id=action["id"]))[0]["organisation_id"]
    before = await footprint(owner)

    added = await mutate(client, ADD, as_named(graph_issuer, persona), **_partner_input(action, organisation))
    removed = await mutate(client, REMOVE, as_named(graph_issuer, persona), **_partner_input(action, partner))

    assert codes(added) == codes(removed) == [(code, "actionId")]
    assert added["action"] is removed["action"] is None
    assert await footprint(owner) == before


async def test_partners_must_be_seen_outsiders_and_only_partners_are_removed(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the action, an association of Loire-Atlantique the Caf 31 does not see, the carrier, a partner
    action = await _action(owner)
    hidden = (await one(owner, LOIRE_OCEAN))["id"]
    partner = (await sql(owner, PARTNERS, id=action["id"]))[0]["organisation_id"]
    outsider = (await _outsiders(owner, action["id"]))[0]
    before = await footprint(owner)

    outcomes = [
        await mutate(client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, hidden)),
        await mutate(client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, 10**12)),
        await mutate(
            client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, action["carrier_id"])
        ),
        await mutate(client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, partner)),
        await mutate(
            client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, outsider, role="r" * 201)
        ),
        await mutate(client, REMOVE, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, outsider)),
        await mutate(
            client,
            ADD,
            as_named(graph_issuer, "caf-31-agent"),
            **_partner_input(action, outsider) | {"organisationId": "?"},
        ),
    ]

    assert [codes(payload) for payload in outcomes] == [
        [("NOT_FOUND", "organisationId")],
        [("NOT_FOUND", "organisationId")],
        [("INVALID", "organisationId")],
        [("INVALID", "organisationId")],
        [("INVALID", "role")],
        [("NOT_FOUND", "organisationId")],
        [("INVALID", "organisationId")],
    ]
    assert await footprint(owner) == before


async def test_a_stale_version_is_a_conflict_naming_the_current_one(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    action = await _action(owner)
    organisation = (await _outsiders(owner, action["id"]))[0]
    before = await footprint(owner)

    payload = await mutate(
        client,
        ADD,
        as_named(graph_issuer, "caf-31-agent"),
        **_partner_input(action | {"version": action["version"] - 1}, organisation),
    )

    assert [(error["code"], error["field"], error["currentVersion"]) for error in payload["errors"]] == [
        ("CONFLICT", "version", action["version"])
    ]
    assert await footprint(owner) == before


async def test_concurrent_partners_added_at_one_version_let_exactly_one_through(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given eight clients that read the same version, each adding another organisation
    action = await _action(owner)
    organisations = (await _outsiders(owner, action["id"]))[:8]
    partners_before = await sql(owner, PARTNERS, id=action["id"])
    trail_before = await events(owner, "action", action["id"])

    # when they all send their change at once
    payloads = await asyncio.gather(
        *(
            mutate(client, ADD, as_named(graph_issuer, "caf-31-agent"), **_partner_input(action, organisation))
            for organisation in organisations
        )
    )

    # then one wins; the others are told of the conflict and of the version the winner left; row and trail agree
    winners = [
        organisation for organisation, payload in zip(organisations, payloads, strict=True) if not payload["errors"]
    ]
    assert len(winners) == 1
    losers = [error for payload in payloads for error in payload["errors"]]
    assert {(error["code"], error["currentVersion"]) for error in losers} == {("CONFLICT", action["version"] + 1)}
    assert len(losers) == len(organisations) - 1
    assert (await one(owner, VERSION, id=action["id"]))["version"] == action["version"] + 1
    partners_after = await sql(owner, PARTNERS, id=action["id"])
    assert [p["organisation_id"] for p in partners_after if p not in partners_before] == winners
    (event,) = (await events(owner, "action", action["id"]))[len(trail_before) :]
    assert event["changes"] == {"partners": [partners_before, partners_after]}


async def test_the_objectives_served_are_set_as_a_whole(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given the action and the objectives of its CTG
    action = await _action(owner)
    served_before = [row["objective_id"] for row in await sql(owner, SERVED, id=action["id"])]
    of_ctg = [row["id"] for row in await sql(owner, OBJECTIVES_OF, scheme=action["ctg_id"])]
    wanted = [objective for objective in of_ctg if objective not in served_before][:2]
    trail_before = await events(owner, "action", action["id"])

    payload = await mutate(
        client,
        SET_OBJECTIVES,
        as_named(graph_issuer, "epci-coordinator"),
        actionId=gid("Action", action["id"]),
        version=action["version"],
        objectiveIds=[gid("SchemeObjective", objective) for objective in wanted],
    )

    assert payload["errors"] == []
    assert payload["action"]["version"] == action["version"] + 1
    assert payload["action"]["objectivesServed"]["nodes"] == [
        {"id": gid("SchemeObjective", objective)} for objective in sorted(wanted)
    ]
    assert [row["objective_id"] for row in await sql(owner, SERVED, id=action["id"])] == sorted(wanted)
    (event,) = (await events(owner, "action", action["id"]))[len(trail_before) :]
    assert event["changes"] == {"objectives_served": [served_before, sorted(wanted)]}


@pytest.mark.parametrize(("persona", "code"), [("association-member", "FORBIDDEN"), ("caf-44-manager", "NOT_FOUND")])
async def test_objectives_are_set_by_those_who_change_the_action_fully_and_must_fit_its_ctg(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str, code: str
) -> None:
    action = await _action(owner)
    of_ctg = (await sql(owner, OBJECTIVES_OF, scheme=action["ctg_id"]))[0]["id"]
    elsewhere = (await one(owner, OBJECTIVE_OF_SDSF_44))["id"]
    before = await footprint(owner)

    def _input(*objectives: int) -> dict[str, Any]:
        return {
            "actionId": gid("Action", action["id"]),
            "version": action["version"],
            "objectiveIds": [gid("SchemeObjective", objective) for objective in objectives],
        }

    refused = await mutate(client, SET_OBJECTIVES, as_named(graph_issuer, persona), **_input(of_ctg))
    misfit = await mutate(client, SET_OBJECTIVES, as_named(graph_issuer, "caf-31-agent"), **_input(of_ctg, elsewhere))
    repeated = await mutate(client, SET_OBJECTIVES, as_named(graph_issuer, "caf-31-agent"), **_input(of_ctg, of_ctg))

    assert codes(refused) == [(code, "actionId")]
    assert codes(misfit) == [("INVALID", "objectiveIds[1]")]
    assert codes(repeated) == [("INVALID", "objectiveIds[1]")]
    assert await footprint(owner) == before
