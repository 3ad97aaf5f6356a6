"""createAction over HTTP: who may create actions in a CTG, what the input must be, numbers, idempotent retries.

The tests write, so they run on a demo database of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from auth.dev_personas import BY_NAME
from tests.auth.issuer import LocalIssuer
from tests.conftest import DatabaseFactory
from tests.schema.action_writing import (
    WritableDemo,
    counts,
    events,
    mutate,
    node_id,
    one,
    refusals,
    row_id,
    send,
    writable_demo,
)

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


@pytest.fixture(scope="module")
async def demo(new_database: DatabaseFactory, graph_issuer: LocalIssuer) -> AsyncIterator[WritableDemo]:
    async with writable_demo(new_database, graph_issuer) as served:
        yield served


async def _id(demo: WritableDemo, statement: str, **parameters: Any) -> int:
    found: int = (await one(demo.owner, statement, **parameters))["id"]
    return found


async def _input(demo: WritableDemo, siren: str = TOULOUSE_METROPOLE, **fields: Any) -> dict[str, Any]:
    """A valid input for an action of the EPCI's CTG, carried by an association the CTG's Caf knows."""
    carrier = PARENTS_ENSEMBLE if siren == TOULOUSE_METROPOLE else LOIRE_OCEAN
    return {
        "ctgId": node_id("Ctg", await _id(demo, CTG_OF_EPCI, siren=siren)),
        "title": "Ludothèque itinérante",
        "theme": "PARENTING",
        "carrierId": node_id("Organisation", await _id(demo, ORGANISATION, ref=carrier)),
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
    demo: WritableDemo, persona: str, siren: str
) -> None:
    # given a CTG, a partner and an objective of the CTG for the new action
    ctg = await _id(demo, CTG_OF_EPCI, siren=siren)
    partner = await _id(demo, ORGANISATION, ref=PASSERELLES if siren == TOULOUSE_METROPOLE else NUMERIQUE_44)
    objective = await _id(demo, OBJECTIVE_OF, scheme=ctg)
    highest = (await one(demo.owner, HIGHEST_NUMBER, ctg=ctg))["n"]
    fields = await _input(demo, siren)
    fields |= {
        "partners": [{"organisationId": node_id("Organisation", partner), "role": "  Accueil  "}],
        "objectiveIds": [node_id("SchemeObjective", objective)],
    }

    # when the persona creates it without a number
    payload = await mutate(demo, CREATE, persona, input=fields)

    # then it is a draft with the next number, its partners and objectives, and its creation is recorded
    assert payload["errors"] == []
    action = payload["action"]
    assert (action["number"], action["status"], action["version"]) == (highest + 1, "DRAFT", 1)
    assert (action["budget"], action["cafFunding"]) == ("12000.00", "4000.50")
    assert action["ctg"]["id"] == fields["ctgId"]
    assert action["partners"]["edges"] == [{"role": "  Accueil  ", "node": {"id": node_id("Organisation", partner)}}]
    assert action["objectivesServed"]["nodes"] == [{"id": node_id("SchemeObjective", objective)}]
    (event,) = await events(demo.owner, row_id(action["id"]))
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
    demo: WritableDemo, persona: str | None, code: str
) -> None:
    # given an input for the Toulouse Métropole CTG, which these callers see (FORBIDDEN) or do not (NOT_FOUND)
    fields = await _input(demo)
    before = await counts(demo.owner)

    payload = await mutate(demo, CREATE, persona, input=fields)

    assert payload["action"] is None
    assert refusals(payload) == [(code, "ctgId")]
    assert await counts(demo.owner) == before


INVALID_INPUTS = [
    ({"title": "   "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"title": "titre\x00nul"}, "title"),
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
    ({"carrierId": node_id("Action", 1)}, "carrierId"),
    ({"objectiveIds": [node_id("SchemeObjective", 17), node_id("SchemeObjective", 17)]}, "objectiveIds[1]"),
    ({"idempotencyKey": ""}, "idempotencyKey"),
    ({"idempotencyKey": "k" * 201}, "idempotencyKey"),
]


@pytest.mark.parametrize(("fields", "field"), INVALID_INPUTS, ids=[field for _fields, field in INVALID_INPUTS])
async def test_an_invalid_input_is_refused_on_its_field_and_leaves_nothing(
    demo: WritableDemo, fields: dict[str, Any], field: str
) -> None:
    valid = await _input(demo)
    before = await counts(demo.owner)

    payload = await mutate(demo, CREATE, "caf-31-agent", input=valid | fields)

    assert payload["action"] is None
    assert refusals(payload) == [("INVALID", field)]
    assert field in payload["errors"][0]["message"] or field == "idempotencyKey"
    assert await counts(demo.owner) == before


async def test_partners_are_neither_the_carrier_nor_repeated(demo: WritableDemo) -> None:
    fields = await _input(demo)
    passerelles = node_id("Organisation", await _id(demo, ORGANISATION, ref=PASSERELLES))
    before = await counts(demo.owner)

    as_carrier = await mutate(
        demo, CREATE, "caf-31-agent", input=fields | {"partners": [{"organisationId": fields["carrierId"]}]}
    )
    repeated = await mutate(
        demo,
        CREATE,
        "caf-31-agent",
        input=fields | {"partners": [{"organisationId": passerelles}, {"organisationId": passerelles, "role": "x"}]},
    )

    assert refusals(as_carrier) == [("INVALID", "partners[0].organisationId")]
    assert refusals(repeated) == [("INVALID", "partners[1].organisationId")]
    assert await counts(demo.owner) == before


async def test_organisations_and_objectives_the_caller_cannot_see_are_not_found(demo: WritableDemo) -> None:
    # given, for a Caf 31 agent, an association of Loire-Atlantique it does not see, an id nothing has, and an
    # objective of a Loire-Atlantique CTG
    fields = await _input(demo)
    hidden = node_id("Organisation", await _id(demo, ORGANISATION, ref=LOIRE_OCEAN))
    missing = node_id("Organisation", 10**12)
    hidden_objective = node_id("SchemeObjective", await _id(demo, OBJECTIVE_OF, scheme=await _nantes_ctg(demo)))
    before = await counts(demo.owner)

    outcomes = [
        await mutate(demo, CREATE, "caf-31-agent", input=fields | changed)
        for changed in (
            {"carrierId": hidden},
            {"carrierId": missing},
            {"partners": [{"organisationId": missing}]},
            {"objectiveIds": [hidden_objective]},
        )
    ]

    assert [refusals(payload) for payload in outcomes] == [
        [("NOT_FOUND", "carrierId")],
        [("NOT_FOUND", "carrierId")],
        [("NOT_FOUND", "partners[0].organisationId")],
        [("NOT_FOUND", "objectiveIds[0]")],
    ]
    assert await counts(demo.owner) == before


async def _nantes_ctg(demo: WritableDemo) -> int:
    return await _id(demo, CTG_OF_EPCI, siren=NANTES_METROPOLE)


async def test_an_action_serves_objectives_of_its_ctg_or_of_schemes_above_it_only(demo: WritableDemo) -> None:
    # given a published objective of Loire-Atlantique (seen by all) and one of Haute-Garonne's SDAVS
    fields = await _input(demo)
    elsewhere = node_id("SchemeObjective", await _id(demo, PUBLISHED_OBJECTIVE_OF_44))
    above = node_id("SchemeObjective", await _id(demo, DEPARTMENTAL_OBJECTIVE_OF_31))
    before = await counts(demo.owner)

    refused = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"objectiveIds": [above, elsewhere]})
    assert refusals(refused) == [("INVALID", "objectiveIds[1]")]
    assert await counts(demo.owner) == before

    created = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"objectiveIds": [above]})
    assert created["action"]["objectivesServed"]["nodes"] == [{"id": above}]


async def test_a_number_given_is_used_when_free_and_refused_when_taken(demo: WritableDemo) -> None:
    fields = await _input(demo)
    ctg = row_id(fields["ctgId"])
    free = (await one(demo.owner, HIGHEST_NUMBER, ctg=ctg))["n"] + 10

    created = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"number": free})
    before = await counts(demo.owner)
    taken = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"number": free, "title": "Autre"})

    assert created["action"]["number"] == free
    assert refusals(taken) == [("INVALID", "number")]
    assert await counts(demo.owner) == before


async def test_concurrent_creations_in_one_ctg_take_consecutive_numbers(demo: WritableDemo) -> None:
    fields = await _input(demo)
    ctg = row_id(fields["ctgId"])
    highest = (await one(demo.owner, HIGHEST_NUMBER, ctg=ctg))["n"]

    payloads = await asyncio.gather(
        *(mutate(demo, CREATE, "epci-coordinator", input=fields | {"title": f"Action {n}"}) for n in range(6))
    )

    assert [payload["errors"] for payload in payloads] == [[]] * 6
    assert sorted(payload["action"]["number"] for payload in payloads) == list(range(highest + 1, highest + 7))


async def test_a_retry_with_the_same_key_returns_the_first_action_and_creates_nothing_more(demo: WritableDemo) -> None:
    fields = await _input(demo, idempotencyKey="retry-in-sequence", title="Créée une fois")
    ctg = row_id(fields["ctgId"])
    before = await one(demo.owner, OF_CTG, ctg=ctg)

    first = await mutate(demo, CREATE, "caf-31-agent", input=fields)
    second = await mutate(demo, CREATE, "caf-31-agent", input=fields)

    assert first["errors"] == second["errors"] == []
    assert first["action"]["id"] == second["action"]["id"]
    assert (await one(demo.owner, OF_CTG, ctg=ctg))["n"] == before["n"] + 1
    assert [event["operation"] for event in await events(demo.owner, row_id(first["action"]["id"]))] == ["create"]


async def test_concurrent_retries_with_one_key_create_exactly_one_action(demo: WritableDemo) -> None:
    fields = await _input(demo, idempotencyKey="retry-at-once", title="Envoyée six fois")
    ctg = row_id(fields["ctgId"])
    before = await one(demo.owner, OF_CTG, ctg=ctg)

    payloads = await asyncio.gather(*(mutate(demo, CREATE, "epci-coordinator", input=fields) for _ in range(6)))

    assert {payload["action"]["id"] for payload in payloads if not payload["errors"]} == {payloads[0]["action"]["id"]}
    assert [payload["errors"] for payload in payloads] == [[]] * 6
    assert (await one(demo.owner, OF_CTG, ctg=ctg))["n"] == before["n"] + 1
    assert len(await events(demo.owner, row_id(payloads[0]["action"]["id"]))) == 1


async def test_a_key_sent_again_with_another_input_is_key_reused_and_changes_nothing(demo: WritableDemo) -> None:
    fields = await _input(demo, idempotencyKey="one-request-only")
    first = await mutate(demo, CREATE, "caf-31-agent", input=fields)
    before = await counts(demo.owner)

    reused = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"title": "Une autre action"})

    assert first["errors"] == []
    assert refusals(reused) == [("KEY_REUSED", "idempotencyKey")]
    assert reused["action"] is None
    assert await counts(demo.owner) == before


async def test_keys_belong_to_who_sent_them(demo: WritableDemo) -> None:
    fields = await _input(demo, idempotencyKey="shared-words")

    agent = await mutate(demo, CREATE, "caf-31-agent", input=fields)
    coordinator = await mutate(demo, CREATE, "epci-coordinator", input=fields)

    assert agent["errors"] == coordinator["errors"] == []
    assert agent["action"]["id"] != coordinator["action"]["id"]


async def test_a_refused_creation_leaves_its_key_free_for_the_corrected_request(demo: WritableDemo) -> None:
    fields = await _input(demo, idempotencyKey="corrected-later")

    refused = await mutate(demo, CREATE, "caf-31-agent", input=fields | {"carrierId": node_id("Organisation", 10**12)})
    corrected = await mutate(demo, CREATE, "caf-31-agent", input=fields)

    assert refusals(refused) == [("NOT_FOUND", "carrierId")]
    assert corrected["errors"] == []


TWO_CREATIONS = """
mutation Two($good: CreateActionInput!, $bad: CreateActionInput!) {
  good: createAction(input: $good) { action { id } errors { code field } }
  bad: createAction(input: $bad) { action { id } errors { code field } }
}
"""


async def test_a_refused_creation_next_to_a_successful_one_leaves_nothing_of_its_own(demo: WritableDemo) -> None:
    good = await _input(demo, title="Gardée", idempotencyKey="kept")
    bad = await _input(demo, title="Refusée", idempotencyKey="dropped", cafFunding="99999.00")
    before = await counts(demo.owner)

    response, body = await send(demo, TWO_CREATIONS, "caf-31-agent", good=good, bad=bad)

    assert response.status_code == 200
    assert body["data"]["good"]["errors"] == []
    assert body["data"]["bad"] == {"action": None, "errors": [{"code": "INVALID", "field": "cafFunding"}]}
    after = await counts(demo.owner)
    assert (after["action"], after["audit_event"], after["idempotency_key"]) == (
        before["action"] + 1,
        before["audit_event"] + 1,
        before["idempotency_key"] + 1,
    )
