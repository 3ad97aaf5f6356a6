"""createAction over HTTP: who may create actions in a CTG, what the input must be, numbers, idempotent retries.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
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
    row_id,
    send,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

CREATE = """
mutation Create($input: CreateActionInput!) {
  createAction(input: $input) {
    action {
      id number title status version theme periodStart periodEnd budget cafFunding
      carrier { id } ctg { id }
      partners { edges { role node { id } } }
      objectivesServed { nodes { id } }
    }
    errors { field code message currentVersion }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Action { title } } }"

CTG_OF_EPCI = "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = :siren"
ORGANISATION = "SELECT id FROM organisation WHERE ref = :ref"
OBJECTIVE_OF = "SELECT min(id) AS id FROM scheme_objective WHERE scheme_id = :scheme"
PUBLISHED_OBJECTIVE_OF_44 = """
SELECT min(o.id) AS id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
WHERE s.kind = 'SDSF' AND s.department_code = '44'
"""
DEPARTMENTAL_OBJECTIVE_OF_31 = """
SELECT min(o.id) AS id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
WHERE s.kind = 'SDAVS' AND s.department_code = '31'
"""
HIGHEST_NUMBER = "SELECT max(number) AS n FROM action WHERE ctg_id = :ctg"
ACTION_ROW = "SELECT ctg_id, number, title, status, carrier_id, budget, caf_funding FROM action WHERE id = :id"
PARTNERS = "SELECT organisation_id, role FROM action_partner WHERE action_id = :id ORDER BY organisation_id"
OF_CTG = "SELECT count(*) AS n FROM action WHERE ctg_id = :ctg"

TOULOUSE_METROPOLE = "243100518"
NANTES_METROPOLE = "244400404"
PARENTS_ENSEMBLE = BY_NAME["association-member"].organisation
PASSERELLES = "demo:association:centre-social-les-passerelles"
LOIRE_OCEAN = "demo:association:maison-des-parents-loire-ocean"
NUMERIQUE_44 = "demo:association:numerique-solidaire-44"


async def _id(owner: AsyncEngine, statement: str, **parameters: Any) -> int:
    found: int = (await one(owner, statement, **parameters))["id"]
    return found


async def _input(owner: AsyncEngine, siren: str = TOULOUSE_METROPOLE, **fields: Any) -> dict[str, Any]:
    """A valid input for an action of the EPCI's CTG, carried by an association the CTG's Caf knows."""
    carrier = PARENTS_ENSEMBLE if siren == TOULOUSE_METROPOLE else LOIRE_OCEAN
    return {
        "ctgId": gid("Ctg", await _id(owner, CTG_OF_EPCI, siren=siren)),
        "title": "Ludothèque itinérante",
        "theme": "PARENTING",
        "carrierId": gid("Organisation", await _id(owner, ORGANISATION, ref=carrier)),
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "budget": "12000.00",
        "cafFunding": "4000.50",
        **fields,
    }


@pytest.mark.parametrize(
    ("persona", "siren"),
    [
        ("caf-31-agent", TOULOUSE_METROPOLE),
        ("epci-coordinator", TOULOUSE_METROPOLE),
        ("caf-44-manager", NANTES_METROPOLE),
    ],
)
async def test_the_ctg_s_caf_and_local_authority_create_its_actions_as_drafts_with_the_next_number(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str, siren: str
) -> None:
    # given a CTG, a partner and an objective of the CTG for the new action
    ctg = await _id(owner, CTG_OF_EPCI, siren=siren)
    partner = await _id(owner, ORGANISATION, ref=PASSERELLES if siren == TOULOUSE_METROPOLE else NUMERIQUE_44)
    objective = await _id(owner, OBJECTIVE_OF, scheme=ctg)
    highest = (await one(owner, HIGHEST_NUMBER, ctg=ctg))["n"]
    fields = await _input(owner, siren)
    fields |= {
        "partners": [{"organisationId": gid("Organisation", partner), "role": "  Accueil  "}],
        "objectiveIds": [gid("SchemeObjective", objective)],
    }

    # when the persona creates it without a number
    payload = await mutate(client, CREATE, as_named(graph_issuer, persona), **fields)

    # then it is a draft with the next number, its partners and objectives, and its creation is recorded
    assert payload["errors"] == []
    action = payload["action"]
    assert (action["number"], action["status"], action["version"]) == (highest + 1, "DRAFT", 1)
    assert (action["budget"], action["cafFunding"]) == ("12000.00", "4000.50")
    assert action["ctg"]["id"] == fields["ctgId"]
    assert action["partners"]["edges"] == [{"role": "  Accueil  ", "node": {"id": gid("Organisation", partner)}}]
    assert action["objectivesServed"]["nodes"] == [{"id": gid("SchemeObjective", objective)}]
    (event,) = await events(owner, "action", row_id(action["id"]))
    assert (event["operation"], event["subject"]) == ("create", BY_NAME[persona].subject)
    assert event["changes"]["title"] == [None, "Ludothèque itinérante"]
    assert event["changes"]["status"] == [None, "draft"]
    assert event["changes"]["partners"] == [[], [{"organisation_id": partner, "role": "  Accueil  "}]]
    assert event["changes"]["objectives_served"] == [[], [objective]]


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("association-member", "FORBIDDEN"),
        ("association-admin", "FORBIDDEN"),
        ("cnaf-analyst", "FORBIDDEN"),
        ("cnaf-manager", "FORBIDDEN"),
        ("caf-44-manager", "NOT_FOUND"),
        ("council-44-member", "NOT_FOUND"),
        (None, "NOT_FOUND"),
    ],
    ids=["carrier", "carrier's admin", "Cnaf analyst", "Cnaf manager", "Caf 44", "council 44", "anonymous"],
)
async def test_who_may_not_create_in_a_ctg_is_refused_on_it_and_leaves_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, persona: str | None, code: str
) -> None:
    # given an input for the Toulouse Métropole CTG, which these callers see (FORBIDDEN) or do not (NOT_FOUND)
    fields = await _input(owner)
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, persona), **fields)

    assert payload["action"] is None
    assert codes(payload) == [(code, "ctgId")]
    assert await footprint(owner) == before


INVALID_INPUTS = [
    ({"title": "   "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"description": "é" * 10_001}, "description"),
    ({"targetPublic": "\ud800"}, "targetPublic"),
    ({"periodStart": "2026-06-01", "periodEnd": "2026-05-31"}, "periodEnd"),
    ({"budget": "-1.00"}, "budget"),
    ({"budget": "100.001"}, "budget"),
    ({"budget": "NaN"}, "budget"),
    ({"budget": "1e12"}, "budget"),
    ({"budget": "100.00", "cafFunding": "100.01"}, "cafFunding"),
    ({"number": 0}, "number"),
    ({"ctgId": "not an id"}, "ctgId"),
    ({"carrierId": gid("Action", 1)}, "carrierId"),
    ({"objectiveIds": [gid("SchemeObjective", 17), gid("SchemeObjective", 17)]}, "objectiveIds[1]"),
    ({"idempotencyKey": ""}, "idempotencyKey"),
    ({"idempotencyKey": "k" * 201}, "idempotencyKey"),
]


@pytest.mark.parametrize(("fields", "field"), INVALID_INPUTS, ids=[field for _fields, field in INVALID_INPUTS])
async def test_an_invalid_input_is_refused_on_its_field_and_leaves_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, fields: dict[str, Any], field: str
) -> None:
    valid = await _input(owner)
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **valid | fields)

    assert payload["action"] is None
    assert codes(payload) == [("INVALID", field)]
    assert payload["errors"][0]["message"]  # worded in French (tests/server/test_messages.py)
    assert await footprint(owner) == before


async def test_partners_are_neither_the_carrier_nor_repeated(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner)
    passerelles = gid("Organisation", await _id(owner, ORGANISATION, ref=PASSERELLES))
    before = await footprint(owner)

    as_carrier = await mutate(
        client,
        CREATE,
        as_named(graph_issuer, "caf-31-agent"),
        **fields | {"partners": [{"organisationId": fields["carrierId"]}]},
    )
    repeated = await mutate(
        client,
        CREATE,
        as_named(graph_issuer, "caf-31-agent"),
        **fields | {"partners": [{"organisationId": passerelles}, {"organisationId": passerelles, "role": "x"}]},
    )

    assert codes(as_carrier) == [("INVALID", "partners[0].organisationId")]
    assert codes(repeated) == [("INVALID", "partners[1].organisationId")]
    assert await footprint(owner) == before


async def test_organisations_and_objectives_the_caller_cannot_see_are_not_found(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given, for a Caf 31 agent, an association of Loire-Atlantique it does not see, an id nothing has, and an
    # objective of a Loire-Atlantique CTG
    fields = await _input(owner)
    hidden = gid("Organisation", await _id(owner, ORGANISATION, ref=LOIRE_OCEAN))
    missing = gid("Organisation", 10**12)
    hidden_objective = gid(
        "SchemeObjective",
        await _id(owner, OBJECTIVE_OF, scheme=await _nantes_ctg(owner)),
    )
    before = await footprint(owner)

    outcomes = [
        await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | changed)
        for changed in (
            {"carrierId": hidden},
            {"carrierId": missing},
            {"partners": [{"organisationId": missing}]},
            {"objectiveIds": [hidden_objective]},
        )
    ]

    assert [codes(payload) for payload in outcomes] == [
        [("NOT_FOUND", "carrierId")],
        [("NOT_FOUND", "carrierId")],
        [("NOT_FOUND", "partners[0].organisationId")],
        [("NOT_FOUND", "objectiveIds[0]")],
    ]
    assert await footprint(owner) == before


async def _nantes_ctg(owner: AsyncEngine) -> int:
    return await _id(owner, CTG_OF_EPCI, siren=NANTES_METROPOLE)


async def test_an_action_serves_objectives_of_its_ctg_or_of_schemes_above_it_only(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    # given a published objective of Loire-Atlantique (seen by all) and one of Haute-Garonne's SDAVS
    fields = await _input(owner)
    elsewhere = gid("SchemeObjective", await _id(owner, PUBLISHED_OBJECTIVE_OF_44))
    above = gid("SchemeObjective", await _id(owner, DEPARTMENTAL_OBJECTIVE_OF_31))
    before = await footprint(owner)

    refused = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"objectiveIds": [above, elsewhere]}
    )
    assert codes(refused) == [("INVALID", "objectiveIds[1]")]
    assert await footprint(owner) == before

    created = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"objectiveIds": [above]})
    assert created["action"]["objectivesServed"]["nodes"] == [{"id": above}]


async def test_a_number_given_is_used_when_free_and_refused_when_taken(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner)
    ctg = row_id(fields["ctgId"])
    free = (await one(owner, HIGHEST_NUMBER, ctg=ctg))["n"] + 10

    created = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"number": free})
    before = await footprint(owner)
    taken = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"number": free, "title": "Autre"}
    )

    assert created["action"]["number"] == free
    assert codes(taken) == [("INVALID", "number")]
    assert await footprint(owner) == before


async def test_concurrent_creations_in_one_ctg_take_consecutive_numbers(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner)
    ctg = row_id(fields["ctgId"])
    highest = (await one(owner, HIGHEST_NUMBER, ctg=ctg))["n"]

    payloads = await asyncio.gather(
        *(
            mutate(client, CREATE, as_named(graph_issuer, "epci-coordinator"), **fields | {"title": f"Action {n}"})
            for n in range(6)
        )
    )

    assert [payload["errors"] for payload in payloads] == [[]] * 6
    assert sorted(payload["action"]["number"] for payload in payloads) == list(range(highest + 1, highest + 7))


async def test_a_retry_with_the_same_key_returns_the_first_action_and_creates_nothing_more(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner, idempotencyKey="retry-in-sequence", title="Créée une fois")
    ctg = row_id(fields["ctgId"])
    before = await one(owner, OF_CTG, ctg=ctg)

    first = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)
    second = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)

    assert first["errors"] == second["errors"] == []
    assert first["action"]["id"] == second["action"]["id"]
    assert (await one(owner, OF_CTG, ctg=ctg))["n"] == before["n"] + 1
    assert [event["operation"] for event in await events(owner, "action", row_id(first["action"]["id"]))] == ["create"]


async def test_concurrent_retries_with_one_key_create_exactly_one_action(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner, idempotencyKey="retry-at-once", title="Envoyée six fois")
    ctg = row_id(fields["ctgId"])
    before = await one(owner, OF_CTG, ctg=ctg)

    payloads = await asyncio.gather(
        *(mutate(client, CREATE, as_named(graph_issuer, "epci-coordinator"), **fields) for _ in range(6))
    )

    assert {payload["action"]["id"] for payload in payloads if not payload["errors"]} == {payloads[0]["action"]["id"]}
    assert [payload["errors"] for payload in payloads] == [[]] * 6
    assert (await one(owner, OF_CTG, ctg=ctg))["n"] == before["n"] + 1
    assert len(await events(owner, "action", row_id(payloads[0]["action"]["id"]))) == 1


async def test_a_key_sent_again_with_another_input_is_key_reused_and_changes_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner, idempotencyKey="one-request-only")
    first = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)
    before = await footprint(owner)

    reused = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"title": "Une autre action"}
    )

    assert first["errors"] == []
    assert codes(reused) == [("KEY_REUSED", "idempotencyKey")]
    assert reused["action"] is None
    assert await footprint(owner) == before


async def test_keys_belong_to_who_sent_them(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner, idempotencyKey="shared-words")

    agent = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)
    coordinator = await mutate(client, CREATE, as_named(graph_issuer, "epci-coordinator"), **fields)

    assert agent["errors"] == coordinator["errors"] == []
    assert agent["action"]["id"] != coordinator["action"]["id"]


async def test_a_refused_creation_leaves_its_key_free_for_the_corrected_request(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    fields = await _input(owner, idempotencyKey="corrected-later")

    refused = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields | {"carrierId": gid("Organisation", 10**12)}
    )
    corrected = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)

    assert codes(refused) == [("NOT_FOUND", "carrierId")]
    assert corrected["errors"] == []


TWO_CREATIONS = """
mutation Two($good: CreateActionInput!, $bad: CreateActionInput!) {
  good: createAction(input: $good) { action { id } errors { code field } }
  bad: createAction(input: $bad) { action { id } errors { code field } }
}
"""


async def test_a_refused_creation_next_to_a_successful_one_leaves_nothing_of_its_own(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer
) -> None:
    good = await _input(owner, title="Gardée", idempotencyKey="kept")
    bad = await _input(owner, title="Refusée", idempotencyKey="dropped", cafFunding="99999.00")
    before = await footprint(owner)

    response, body = await send(client, TWO_CREATIONS, as_named(graph_issuer, "caf-31-agent"), good=good, bad=bad)

    assert response.status_code == 200
    assert body["data"]["good"]["errors"] == []
    assert body["data"]["bad"] == {"action": None, "errors": [{"code": "INVALID", "field": "cafFunding"}]}
    after = await footprint(owner)
    assert (after["actions"], after["events"], after["keys"]) == (
        before["actions"] + 1,
        before["events"] + 1,
        before["keys"] + 1,
    )
