"""CTG writes over HTTP: drafts, their territory, themes, diagnostic, coordinator and governance, retries with an
idempotency key, concurrent changes, archiving; who may, and that a refusal leaves nothing behind."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import ctgs as demo_ctgs
from db.demo import organisations as org
from db.demo import schemes as demo
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import sql
from tests.schema.writing import (
    as_named,
    client,
    codes,
    footprint,
    gid,
    mutate,
    one,
    organisation_id,
    own_demo,
    owner,
    post,
    row_id,
    scheme_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ERRORS = "errors { field code message currentVersion }"
CTG = """
id title status scope version themes periodStart periodEnd
department { code } epci { siren } parent { id } replacedCej { id }
communes(first: 100) { totalCount nodes { inseeCode } }
diagnostic { date summary } coordinator { name email organisation { name } }
"""
CREATE = f"mutation ($input: CreateCtgInput!) {{ createCtg(input: $input) {{ ctg {{ {CTG} }} {ERRORS} }} }}"
UPDATE = f"mutation ($input: UpdateCtgInput!) {{ updateCtg(input: $input) {{ ctg {{ {CTG} }} {ERRORS} }} }}"
ARCHIVE = f"mutation ($input: ArchiveCtgInput!) {{ archiveCtg(input: $input) {{ archivedId {ERRORS} }} }}"
BODY = f"""
governanceBody {{ id position name composition meetingFrequency }}
ctg {{ version governanceBodies {{ nodes {{ name position }} }} }}
{ERRORS}
"""
ADD_BODY = f"mutation ($input: AddGovernanceBodyInput!) {{ addGovernanceBody(input: $input) {{ {BODY} }} }}"
UPDATE_BODY = f"mutation ($input: UpdateGovernanceBodyInput!) {{ updateGovernanceBody(input: $input) {{ {BODY} }} }}"
REMOVE_BODY = f"mutation ($input: RemoveGovernanceBodyInput!) {{ removeGovernanceBody(input: $input) {{ {BODY} }} }}"
HISTORY = """
query ($id: ID!) { node(id: $id) { ... on Ctg { history(first: 50) { nodes { operation fields { field } } } } } }
"""
DELETED = 'query { deletedSince(since: "2000-01-01T00:00:00Z") { nodes { id typename } } }'

ROW = """
SELECT s.title, s.status, s.scope, s.epci_siren, s.version, c.themes, c.diagnostic_summary, c.coordinator_name,
       c.coordinator_email, c.replaces_scheme_id,
       ARRAY(SELECT commune_insee_code FROM scheme_commune WHERE scheme_id = s.id ORDER BY 1) AS communes
FROM scheme s JOIN ctg c ON c.scheme_id = s.id WHERE s.id = :id
"""
EVENTS = "SELECT entity, operation, subject, changes FROM audit_event WHERE entity_id = :id ORDER BY id"
BY_TITLE = "SELECT count(*) AS n FROM scheme WHERE title = :title"

# Pyrénées Haut-Garonnaises: an EPCI of Haute-Garonne without a CTG in the demo; Luchon's communes are in it.
PYRENEES = org.PYRENEES_HAUT_GARONNAISES.siren


async def _new(owner: AsyncEngine, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Convention territoriale globale des Pyrénées Haut-Garonnaises 2025-2029",
        "periodStart": "2025-01-01",
        "periodEnd": "2029-12-31",
        "parentId": gid("Scheme", await scheme_id(owner, demo.SDSF_31)),
        "epciId": gid("Epci", PYRENEES),
        "themes": ["YOUTH", "PARENTING"],
        **fields,
    }


async def _draft(client: httpx.AsyncClient, issuer: LocalIssuer, owner: AsyncEngine, **fields: Any) -> dict[str, Any]:
    payload = await mutate(client, CREATE, as_named(issuer, "caf-31-agent"), **await _new(owner, **fields))
    assert payload["errors"] == [], payload
    return payload["ctg"]  # type: ignore[no-any-return]


async def test_the_caf_drafts_a_ctg_on_an_epci_of_its_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # when the Caf 31 agent drafts a CTG on an EPCI of Haute-Garonne, under the SDSF 31
    payload = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **await _new(owner))

    # then it is a draft CTG of department 31 covering the EPCI's communes, recorded as created
    assert payload["errors"] == []
    ctg = payload["ctg"]
    assert (ctg["status"], ctg["scope"], ctg["department"]["code"], ctg["epci"]["siren"]) == (
        "DRAFT",
        "EPCI",
        "31",
        PYRENEES,
    )
    assert ctg["themes"] == ["YOUTH", "PARENTING"]
    assert ctg["communes"]["totalCount"] > 10
    created = row_id(ctg["id"])
    row = await one(owner, ROW, id=created)
    assert (row["status"], row["epci_siren"], row["themes"], row["communes"]) == (
        "draft",
        PYRENEES,
        ["youth", "parenting"],
        [],
    )
    (event,) = await sql(owner, EVENTS, id=created)
    assert (event["entity"], event["operation"]) == ("ctg", "create")
    assert event["changes"]["epci_siren"] == [None, PYRENEES]
    assert event["changes"]["themes"] == [None, ["youth", "parenting"]]


async def test_a_ctg_may_cover_a_list_of_communes(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    communes = [gid("Commune", code) for code in ("31042", "31500")]

    ctg = await _draft(client, graph_issuer, owner, epciId=None, communeIds=communes)

    assert (ctg["scope"], ctg["epci"]) == ("COMMUNES", None)
    assert sorted(node["inseeCode"] for node in ctg["communes"]["nodes"]) == ["31042", "31500"]
    assert (await one(owner, ROW, id=row_id(ctg["id"])))["communes"] == ["31042", "31500"]


@pytest.mark.parametrize(
    ("persona", "field"),
    [
        ("association-member", "parentId"),
        ("epci-coordinator", "parentId"),
        ("cnaf-analyst", "parentId"),
        ("cnaf-manager", "parentId"),
        ("council-44-member", "parentId"),
        (None, "parentId"),
        ("caf-44-manager", "parentId"),
    ],
)
async def test_only_the_caf_of_the_department_creates_its_ctgs(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, persona: str | None, field: str | None
) -> None:
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, persona), **await _new(owner))

    assert payload["ctg"] is None
    assert codes(payload) == [("FORBIDDEN", field)]
    assert await footprint(owner) == before


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"epciId": gid("Epci", "200000000")}, "NOT_FOUND", "epciId"),
        ({"epciId": gid("Epci", "nope")}, "NOT_FOUND", "epciId"),
        ({"epciId": gid("Epci", org.NANTES_METROPOLE.siren)}, "INVALID", "epciId"),
        ({"epciId": gid("Department", "31")}, "INVALID", "epciId"),
        ({"epciId": "%%%"}, "INVALID", "epciId"),
        ({"epciId": None, "communeIds": [gid("Commune", "31999")]}, "NOT_FOUND", "communeIds"),
        ({"epciId": None, "communeIds": [gid("Commune", "44109")]}, "INVALID", "communeIds"),
        ({"epciId": None, "communeIds": [gid("Commune", "31042")] * 2}, "INVALID", "communeIds"),
        ({"communeIds": [gid("Commune", "31042")]}, "INVALID", "communeIds"),
        ({"epciId": None}, "INVALID", "communeIds"),
        ({"themes": ["YOUTH", "YOUTH"]}, "INVALID", "themes"),
        ({"periodEnd": "2024-12-31"}, "INVALID", "periodEnd"),
        ({"title": ""}, "INVALID", "title"),
        ({"parentId": gid("Scheme", 10**12)}, "NOT_FOUND", "parentId"),
        ({"replacesCejId": gid("Scheme", 10**12)}, "NOT_FOUND", "replacesCejId"),
        ({"idempotencyKey": "k" * 201}, "INVALID", "idempotencyKey"),
    ],
    ids=[
        "unknown EPCI",
        "not a SIREN",
        "EPCI of another department",
        "a department's ID",
        "malformed ID",
        "unknown commune",
        "commune of another department",
        "commune twice",
        "EPCI and communes",
        "no territory",
        "theme twice",
        "period ending before it starts",
        "no title",
        "unknown parent",
        "unknown CEJ",
        "long idempotency key",
    ],
)
async def test_an_invalid_ctg_is_refused_on_the_field_at_fault(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    fields: dict[str, Any],
    code: str,
    field: str,
) -> None:
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **await _new(owner, **fields))

    assert codes(payload) == [(code, field)], payload
    assert await footprint(owner) == before


@pytest.mark.parametrize(
    ("reference", "field", "code"),
    [
        (demo.COG_2023, "parentId", "INVALID"),
        (demo_ctgs.TOULOUSE_METROPOLE, "parentId", "INVALID"),
        (demo.SDSF_31, "replacesCejId", "INVALID"),
        (demo.CEJ_SICOVAL, "replacesCejId", "INVALID"),
        (demo.CEJ_CARENE, "replacesCejId", "NOT_FOUND"),
    ],
    ids=["a COG as parent", "a CTG as parent", "an SDSF as CEJ", "a CEJ already replaced", "a CEJ the Caf cannot see"],
)
async def test_references_must_be_the_right_schemes(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, reference: str, field: str, code: str
) -> None:
    before = await footprint(owner)
    fields = {field: gid("Scheme", await scheme_id(owner, reference))}

    payload = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **await _new(owner, **fields))

    assert codes(payload) == [(code, field)], payload
    assert await footprint(owner) == before


async def test_a_replaced_cej_covers_part_of_the_ctg_s_territory(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the Sicoval CEJ, freed from the CTG that took it over
    cej = await scheme_id(owner, demo.CEJ_SICOVAL)
    async with owner.begin() as connection:
        await connection.execute(
            text("UPDATE ctg SET replaces_scheme_id = NULL WHERE replaces_scheme_id = :id"), {"id": cej}
        )
    before = await footprint(owner)

    # when a CTG of another EPCI would replace it, it is refused; one of the Sicoval takes it over
    elsewhere = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **await _new(owner, replacesCejId=gid("Scheme", cej))
    )
    assert codes(elsewhere) == [("INVALID", "replacesCejId")]
    assert "ne couvrait aucune" in elsewhere["errors"][0]["message"]
    assert await footprint(owner) == before
    sicoval = await _draft(
        client, graph_issuer, owner, epciId=gid("Epci", org.SICOVAL.siren), replacesCejId=gid("Scheme", cej)
    )
    assert sicoval["replacedCej"]["id"] == gid("Scheme", cej)


async def test_a_retried_creation_with_the_same_key_creates_one_ctg(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caller = as_named(graph_issuer, "caf-31-agent")
    title = "CTG créée une seule fois"
    request = await _new(owner, title=title, idempotencyKey="ctg-pyrenees-1")

    # when the same request is sent twice in sequence
    first = await mutate(client, CREATE, caller, **request)
    second = await mutate(client, CREATE, caller, **request)

    # then both get the same CTG, created and recorded once
    assert first["errors"] == second["errors"] == []
    assert first["ctg"]["id"] == second["ctg"]["id"]
    assert (await one(owner, BY_TITLE, title=title))["n"] == 1
    assert len(await sql(owner, EVENTS, id=row_id(first["ctg"]["id"]))) == 1

    # and the same key for another request is refused, leaving nothing behind
    before = await footprint(owner)
    reused = await mutate(client, CREATE, caller, **{**request, "title": "Autre chose"})
    assert codes(reused) == [("KEY_REUSED", "idempotencyKey")]
    assert await footprint(owner) == before


async def test_concurrent_retries_over_http_create_one_ctg(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caller = as_named(graph_issuer, "caf-31-agent")
    title = "CTG créée par six requêtes à la fois"
    request = await _new(owner, title=title, idempotencyKey="ctg-pyrenees-concurrent")

    payloads = await asyncio.gather(*(mutate(client, CREATE, caller, **request) for _ in range(6)))

    assert all(payload["errors"] == [] for payload in payloads), payloads
    assert len({payload["ctg"]["id"] for payload in payloads}) == 1
    assert (await one(owner, BY_TITLE, title=title))["n"] == 1
    assert len(await sql(owner, EVENTS, id=row_id(payloads[0]["ctg"]["id"]))) == 1


async def test_a_draft_s_territory_themes_diagnostic_and_coordinator_change_and_are_recorded(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    draft = await _draft(client, graph_issuer, owner)
    caller = as_named(graph_issuer, "caf-31-agent")
    coordinator_org = gid("Organisation", await organisation_id(owner, org.BAGNERES_DE_LUCHON.ref))

    # when its territory becomes a list of communes, with new themes, a diagnostic and a coordinator
    payload = await mutate(
        client,
        UPDATE,
        caller,
        id=draft["id"],
        version=draft["version"],
        communeIds=[gid("Commune", "31244"), gid("Commune", "31042")],
        themes=["CHILDHOOD"],
        diagnostic={"date": "2024-06-30", "summary": " Vallée peu peuplée "},
        coordinator={
            "name": "Marie Sarrat",
            "email": "m.sarrat@luchon.example",
            "organisationId": coordinator_org,
        },
    )

    # then the CTG reads so, its commune list replaced its EPCI, and one event records each field
    assert payload["errors"] == []
    ctg = payload["ctg"]
    assert (ctg["scope"], ctg["epci"], ctg["communes"]["totalCount"]) == ("COMMUNES", None, 2)
    assert ctg["diagnostic"] == {"date": "2024-06-30", "summary": "Vallée peu peuplée"}
    assert ctg["coordinator"]["organisation"]["name"] == "Mairie de Bagnères-de-Luchon"
    assert ctg["version"] > draft["version"]
    row = await one(owner, ROW, id=row_id(draft["id"]))
    assert (row["scope"], row["epci_siren"], row["communes"], row["themes"]) == (
        "communes",
        None,
        ["31042", "31244"],
        ["childhood"],
    )
    assert row["version"] == ctg["version"]
    event = (await sql(owner, EVENTS, id=row_id(draft["id"])))[-1]
    assert event["changes"]["communes"] == [[], ["31042", "31244"]]
    assert event["changes"]["epci_siren"] == [PYRENEES, None]
    assert event["changes"]["coordinator_email"] == [None, "m.sarrat@luchon.example"]
    history = (await post(client, HISTORY, caller, id=draft["id"]))["data"]["node"]["history"]["nodes"]
    assert "diagnosticSummary" in {field["field"] for field in history[-1]["fields"]}


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"coordinator": {"email": "pas une adresse"}}, "INVALID", "coordinator.email"),
        ({"coordinator": {"organisationId": gid("Organisation", 10**12)}}, "NOT_FOUND", "coordinator.organisationId"),
        ({"diagnostic": {"date": "1900-01-01"}}, "INVALID", "diagnostic.date"),
        ({"epciId": gid("Epci", PYRENEES), "communeIds": [gid("Commune", "31042")]}, "INVALID", "communeIds"),
        ({"communeIds": []}, "INVALID", "communeIds"),
        ({"periodStart": "2030-01-01"}, "INVALID", "periodStart"),
        ({"replacesCejId": gid("Scheme", 10**12)}, "NOT_FOUND", "replacesCejId"),
        ({"title": None}, "INVALID", "title"),
        ({"parentId": None}, "INVALID", "parentId"),
    ],
    ids=[
        "coordinator e-mail",
        "unknown coordinator organisation",
        "diagnostic date out of range",
        "EPCI and communes",
        "no commune",
        "start after the end",
        "unknown CEJ",
        "title cleared",
        "parent cleared",
    ],
)
async def test_an_invalid_change_is_refused_on_the_field_at_fault(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    fields: dict[str, Any],
    code: str,
    field: str,
) -> None:
    draft = await _draft(client, graph_issuer, owner)
    before = await footprint(owner)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "caf-31-agent"),
        **{"id": draft["id"], "version": draft["version"], **fields},
    )

    assert codes(payload) == [(code, field)], payload
    assert await footprint(owner) == before


async def test_an_active_ctg_keeps_what_was_signed_and_its_coordinator_still_changes(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    ctg = await scheme_id(owner, demo_ctgs.TOULOUSE_METROPOLE)
    row = await one(owner, ROW, id=ctg)
    caller = as_named(graph_issuer, "caf-31-agent")
    at = {"id": gid("Ctg", ctg), "version": row["version"]}

    territory = await mutate(client, UPDATE, caller, **{**at, "communeIds": [gid("Commune", "31555")]})
    themes = await mutate(client, UPDATE, caller, **{**at, "themes": ["YOUTH"]})
    period = await mutate(client, UPDATE, caller, **{**at, "periodEnd": "2027-12-31"})

    assert codes(territory) == [("INVALID", "communeIds")]
    assert "CTG à l'état ACTIVE : « communeIds » ne change plus" in territory["errors"][0]["message"]
    assert codes(themes) == [("INVALID", "themes")]
    assert codes(period) == [("INVALID", "periodEnd")]
    assert await one(owner, ROW, id=ctg) == row

    living = await mutate(client, UPDATE, caller, **{**at, "coordinator": {"name": "Nouvelle coordinatrice"}})
    assert living["errors"] == []
    assert (await one(owner, ROW, id=ctg))["coordinator_name"] == "Nouvelle coordinatrice"

    expired = await scheme_id(owner, demo_ctgs.SICOVAL)
    version = (await one(owner, ROW, id=expired))["version"]
    record = await mutate(
        client, UPDATE, caller, id=gid("Ctg", expired), version=version, diagnostic={"summary": "Revu"}
    )
    assert [(error["code"], error["field"].split(".")[0]) for error in record["errors"]] == [("INVALID", "diagnostic")]
    assert "archive" in record["errors"][0]["message"]


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("association-member", "NOT_FOUND"),
        ("epci-coordinator", "NOT_FOUND"),
        ("cnaf-analyst", "FORBIDDEN"),
        ("cnaf-manager", "FORBIDDEN"),
        ("council-44-member", "NOT_FOUND"),
        ("caf-44-manager", "NOT_FOUND"),
        (None, "NOT_FOUND"),
    ],
)
async def test_a_caller_without_the_right_changes_no_ctg(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, persona: str | None, code: str
) -> None:
    draft = await _draft(client, graph_issuer, owner)
    before = await footprint(owner)

    payload = await mutate(
        client, UPDATE, as_named(graph_issuer, persona), id=draft["id"], version=draft["version"], title="Détournée"
    )

    assert codes(payload) == [(code, "id")]
    assert await footprint(owner) == before


async def test_the_local_authority_reads_its_ctg_but_does_not_change_it(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    ctg = await scheme_id(owner, demo_ctgs.TOULOUSE_METROPOLE)
    row = await one(owner, ROW, id=ctg)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "epci-coordinator"),
        id=gid("Ctg", ctg),
        version=row["version"],
        coordinator={"name": "Moi"},
    )

    assert codes(payload) == [("FORBIDDEN", "id")]
    assert await one(owner, ROW, id=ctg) == row


async def test_concurrent_changes_of_one_version_let_exactly_one_through(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a draft that eight clients read at the same version
    draft = await _draft(client, graph_issuer, owner)
    caller = as_named(graph_issuer, "caf-31-agent")
    events_before = len(await sql(owner, EVENTS, id=row_id(draft["id"])))

    # when they all change it at once, some its title (scheme row), some its diagnostic (ctg row)
    def change(n: int) -> dict[str, Any]:
        what = {"title": f"Titre {n}"} if n % 2 else {"diagnostic": {"summary": f"Diagnostic {n}"}}
        return {"id": draft["id"], "version": draft["version"], **what}

    payloads = await asyncio.gather(*(mutate(client, UPDATE, caller, **change(n)) for n in range(8)))

    # then one wins, the others are told of the conflict with the version it left, and row and trail agree
    winners = [payload for payload in payloads if not payload["errors"]]
    losers = [payload for payload in payloads if payload["errors"]]
    assert len(winners) == 1
    (winner,) = winners
    assert {(error["code"], error["currentVersion"]) for loser in losers for error in loser["errors"]} == {
        ("CONFLICT", winner["ctg"]["version"])
    }
    row = await one(owner, ROW, id=row_id(draft["id"]))
    assert row["version"] == winner["ctg"]["version"]
    assert (row["title"], row["diagnostic_summary"]) == (winner["ctg"]["title"], winner["ctg"]["diagnostic"]["summary"])
    events = await sql(owner, EVENTS, id=row_id(draft["id"]))
    assert len(events) == events_before + 1
    assert list(events[-1]["changes"]) in (["title"], ["diagnostic_summary"])


async def test_governance_bodies_change_until_the_ctg_is_a_record(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    ctg = await scheme_id(owner, demo_ctgs.MURETAIN)
    version = (await one(owner, ROW, id=ctg))["version"]
    caller = as_named(graph_issuer, "caf-31-agent")

    added = await mutate(
        client, ADD_BODY, caller, ctgId=gid("Ctg", ctg), ctgVersion=version, name="Comité des jeunes", position=1
    )
    assert added["errors"] == []
    assert [node["name"] for node in added["ctg"]["governanceBodies"]["nodes"]][:2] == [
        "Comité des jeunes",
        "Comité de pilotage",
    ]
    moved = await mutate(
        client,
        UPDATE_BODY,
        caller,
        id=added["governanceBody"]["id"],
        ctgVersion=added["ctg"]["version"],
        position=4,
        meetingFrequency="Chaque mois",
    )
    assert moved["errors"] == []
    assert (moved["governanceBody"]["position"], moved["governanceBody"]["meetingFrequency"]) == (4, "Chaque mois")
    removed = await mutate(
        client, REMOVE_BODY, caller, id=added["governanceBody"]["id"], ctgVersion=moved["ctg"]["version"]
    )
    assert removed["errors"] == []
    positions = await sql(owner, "SELECT position FROM governance_body WHERE ctg_id = :id ORDER BY 1", id=ctg)
    assert [row["position"] for row in positions] == [1, 2, 3]
    events = (await sql(owner, EVENTS, id=ctg))[-3:]
    assert [(event["entity"], list(event["changes"])) for event in events] == [("ctg", ["governance_bodies"])] * 3

    expired = await scheme_id(owner, demo_ctgs.SICOVAL)
    before = await footprint(owner)
    record = await mutate(
        client,
        ADD_BODY,
        caller,
        ctgId=gid("Ctg", expired),
        ctgVersion=(await one(owner, ROW, id=expired))["version"],
        name="X",
    )
    assert codes(record) == [("INVALID", "ctgId")]
    assert await footprint(owner) == before


async def test_a_ctg_with_actions_is_not_archived_and_a_draft_is(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caller = as_named(graph_issuer, "caf-31-agent")
    toulouse = await scheme_id(owner, demo_ctgs.TOULOUSE_METROPOLE)
    before = await footprint(owner)
    in_use = await mutate(
        client, ARCHIVE, caller, id=gid("Ctg", toulouse), version=(await one(owner, ROW, id=toulouse))["version"]
    )
    assert codes(in_use) == [("IN_USE", "id")]
    assert "actions" in in_use["errors"][0]["message"]
    assert await footprint(owner) == before

    draft = await _draft(client, graph_issuer, owner)
    archived = await mutate(client, ARCHIVE, caller, id=draft["id"], version=draft["version"])
    assert archived == {"archivedId": draft["id"], "errors": []}
    assert {"id": draft["id"], "typename": "Ctg"} in (await post(client, DELETED, caller))["data"]["deletedSince"][
        "nodes"
    ]
    assert [event["operation"] for event in await sql(owner, EVENTS, id=row_id(draft["id"]))] == [
        "create",
        "archive",
    ]


ADD_OBJECTIVE = (
    f"mutation ($input: AddObjectiveInput!) {{ addObjective(input: $input) {{ objective {{ id }} {ERRORS} }} }}"
)
UPDATE_OBJECTIVE = f"mutation ($input: UpdateObjectiveInput!) {{ updateObjective(input: $input) {{ {ERRORS} }} }}"
REMOVE_OBJECTIVE = f"mutation ($input: RemoveObjectiveInput!) {{ removeObjective(input: $input) {{ {ERRORS} }} }}"
ADD_SIGNATORY = (
    f"mutation ($input: AddSignatoryInput!) {{ addSignatory(input: $input) {{ signature {{ id }} {ERRORS} }} }}"
)
RECORD_SIGNATURE = f"mutation ($input: RecordSignatureInput!) {{ recordSignature(input: $input) {{ {ERRORS} }} }}"
REMOVE_SIGNATORY = f"mutation ($input: RemoveSignatoryInput!) {{ removeSignatory(input: $input) {{ {ERRORS} }} }}"
SIGN = f"mutation ($input: CtgStepInput!) {{ signCtg(input: $input) {{ {ERRORS} }} }}"
TWICE = f"""
mutation ($first: AddObjectiveInput!, $second: AddObjectiveInput!, $refused: AddObjectiveInput!) {{
  first: addObjective(input: $first) {{ scheme {{ objectives {{ totalCount }} }} {ERRORS} }}
  refused: addObjective(input: $refused) {{ scheme {{ objectives {{ totalCount }} }} {ERRORS} }}
  second: addObjective(input: $second) {{ scheme {{ objectives {{ totalCount }} }} {ERRORS} }}
}}
"""


@pytest.fixture(scope="module")
async def furnished(client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine) -> dict[str, str]:
    """A draft CTG of Haute-Garonne with an objective, a signatory and a governance body."""
    caf = as_named(graph_issuer, "caf-31-agent")
    ctg = await _draft(client, graph_issuer, owner)
    version = ctg["version"]
    objective = await mutate(client, ADD_OBJECTIVE, caf, schemeId=ctg["id"], schemeVersion=version, title="O")
    signature = await mutate(
        client,
        ADD_SIGNATORY,
        caf,
        schemeId=ctg["id"],
        schemeVersion=version + 1,
        organisationId=gid("Organisation", await organisation_id(owner, org.CAF_31)),
        role="Caf",
    )
    body = await mutate(client, ADD_BODY, caf, ctgId=ctg["id"], ctgVersion=version + 2, name="Copil")
    return {
        "ctg": ctg["id"],
        "objective": objective["objective"]["id"],
        "signature": signature["signature"]["id"],
        "body": body["governanceBody"]["id"],
        "organisation": gid("Organisation", await organisation_id(owner, org.DEPARTMENT_31)),
    }


# Each link mutation and step on a CTG, with its input given the furnished CTG's IDs and version.
LINK_CHANGES: dict[str, tuple[str, Callable[[dict[str, str], int], dict[str, Any]]]] = {
    "addObjective": (ADD_OBJECTIVE, lambda f, v: {"schemeId": f["ctg"], "schemeVersion": v, "title": "Intrus"}),
    "updateObjective": (UPDATE_OBJECTIVE, lambda f, v: {"id": f["objective"], "schemeVersion": v, "title": "Intrus"}),
    "removeObjective": (REMOVE_OBJECTIVE, lambda f, v: {"id": f["objective"], "schemeVersion": v}),
    "addSignatory": (
        ADD_SIGNATORY,
        lambda f, v: {"schemeId": f["ctg"], "schemeVersion": v, "organisationId": f["organisation"], "role": "X"},
    ),
    "recordSignature": (
        RECORD_SIGNATURE,
        lambda f, v: {"id": f["signature"], "schemeVersion": v, "signedOn": "2026-01-05"},
    ),
    "removeSignatory": (REMOVE_SIGNATORY, lambda f, v: {"id": f["signature"], "schemeVersion": v}),
    "addGovernanceBody": (ADD_BODY, lambda f, v: {"ctgId": f["ctg"], "ctgVersion": v, "name": "Intrus"}),
    "updateGovernanceBody": (UPDATE_BODY, lambda f, v: {"id": f["body"], "ctgVersion": v, "name": "Intrus"}),
    "removeGovernanceBody": (REMOVE_BODY, lambda f, v: {"id": f["body"], "ctgVersion": v}),
    "signCtg": (SIGN, lambda f, v: {"id": f["ctg"], "version": v}),
    "archiveCtg": (ARCHIVE, lambda f, v: {"id": f["ctg"], "version": v}),
}
OUTSIDERS = {
    "association-member": "NOT_FOUND",
    "epci-coordinator": "NOT_FOUND",
    "cnaf-analyst": "FORBIDDEN",
    "cnaf-manager": "FORBIDDEN",
    "council-44-member": "NOT_FOUND",
    "caf-44-manager": "NOT_FOUND",
    "anonymous": "NOT_FOUND",
}


@pytest.mark.parametrize("mutation", list(LINK_CHANGES))
@pytest.mark.parametrize("persona", list(OUTSIDERS))
async def test_no_one_but_the_caf_changes_a_ctg_s_links_or_moves_it(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    furnished: dict[str, str],
    persona: str,
    mutation: str,
) -> None:
    document, make_input = LINK_CHANGES[mutation]
    version = (await one(owner, ROW, id=row_id(furnished["ctg"])))["version"]
    before = await footprint(owner)

    caller = as_named(graph_issuer, None if persona == "anonymous" else persona)
    payload = await mutate(client, document, caller, **make_input(furnished, version))

    assert [error["code"] for error in payload["errors"]] == [OUTSIDERS[persona]]
    assert await footprint(owner) == before


async def test_mutations_of_one_request_each_read_what_the_ones_before_wrote(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a draft at a version the client knows
    ctg = await _draft(client, graph_issuer, owner)
    v = ctg["version"]
    before = await footprint(owner)

    # when one request adds two objectives, with a refused change between them
    body = await post(
        client,
        TWICE,
        as_named(graph_issuer, "caf-31-agent"),
        first={"schemeId": ctg["id"], "schemeVersion": v, "title": "Un"},
        refused={"schemeId": ctg["id"], "schemeVersion": v, "title": "Périmé"},
        second={"schemeId": ctg["id"], "schemeVersion": v + 1, "title": "Deux"},
    )

    # then each payload counts what was written before it, and only the two kept changes remain
    data = body["data"]
    assert data["first"]["scheme"]["objectives"]["totalCount"] == 1
    assert codes(data["refused"]) == [("CONFLICT", "schemeVersion")]
    assert data["second"]["scheme"]["objectives"]["totalCount"] == 2
    after = await footprint(owner)
    assert (after["objectives"], after["events"]) == (before["objectives"] + 2, before["events"] + 2)


ACTIVE_CTG = """
SELECT s.id, s.version, s.title, s.summary, s.period_start, s.period_end, s.parent_id, s.epci_siren, c.themes,
       c.diagnostic_date, c.diagnostic_summary, c.coordinator_name, c.coordinator_email,
       c.coordinator_organisation_id, c.replaces_scheme_id,
       ARRAY(SELECT commune_insee_code FROM scheme_commune WHERE scheme_id = s.id ORDER BY 1) AS communes
FROM scheme s JOIN ctg c ON c.scheme_id = s.id
WHERE s.kind = 'CTG' AND s.status = 'active' AND s.department_code = '31' AND s.archived_at IS NULL
ORDER BY s.id LIMIT 1
"""
BODY_OF_A_RECORD = """
SELECT b.id, b.name, b.composition, b.meeting_frequency, b.position, s.version AS ctg_version
FROM governance_body b JOIN scheme s ON s.id = b.ctg_id
WHERE s.status IN ('expired', 'superseded') AND s.department_code = '31' AND s.archived_at IS NULL
ORDER BY b.id LIMIT 1
"""


def _as_given(ctg: dict[str, Any]) -> dict[str, Any]:
    """Every field of an updateCtg input, set to what the CTG holds."""
    territory = (
        {"epciId": gid("Epci", ctg["epci_siren"])}
        if ctg["epci_siren"]
        else {"communeIds": [gid("Commune", code) for code in ctg["communes"]]}
    )
    diagnostic = {"date": ctg["diagnostic_date"] and str(ctg["diagnostic_date"]), "summary": ctg["diagnostic_summary"]}
    coordinator = {
        "name": ctg["coordinator_name"],
        "email": ctg["coordinator_email"],
        "organisationId": ctg["coordinator_organisation_id"]
        and gid("Organisation", ctg["coordinator_organisation_id"]),
    }
    return {
        "id": gid("Ctg", ctg["id"]),
        "version": ctg["version"],
        "title": ctg["title"],
        "summary": ctg["summary"],
        "periodStart": str(ctg["period_start"]),
        "periodEnd": ctg["period_end"] and str(ctg["period_end"]),
        "parentId": gid("Scheme", ctg["parent_id"]),
        **territory,
        "themes": [theme.upper() for theme in ctg["themes"]],
        "diagnostic": diagnostic if any(diagnostic.values()) else None,
        "coordinator": coordinator if any(coordinator.values()) else None,
        "replacesCejId": ctg["replaces_scheme_id"] and gid("Scheme", ctg["replaces_scheme_id"]),
    }


async def test_an_update_of_a_ctg_that_changes_nothing_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an active CTG, whose signed parts no longer change
    ctg = await one(owner, ACTIVE_CTG)
    before = await footprint(owner)

    # when its Caf sets every field to what it holds
    payload = await mutate(client, UPDATE, as_named(graph_issuer, "caf-31-agent"), **_as_given(ctg))

    # then it succeeds at the same version, with no history entry
    assert payload["errors"] == []
    assert payload["ctg"]["version"] == ctg["version"]
    assert await footprint(owner) == before


async def test_an_update_of_a_governance_body_that_changes_nothing_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a governance body of a CTG that is a record: none of its bodies changes any more
    body = await one(owner, BODY_OF_A_RECORD)
    before = await footprint(owner)

    # when its Caf sets the body's fields and position to what they are
    payload = await mutate(
        client,
        UPDATE_BODY,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("GovernanceBody", body["id"]),
        ctgVersion=body["ctg_version"],
        name=body["name"],
        composition=body["composition"],
        meetingFrequency=body["meeting_frequency"],
        position=body["position"],
    )

    # then it succeeds at the same version, with no history entry
    assert payload["errors"] == []
    assert payload["ctg"]["version"] == body["ctg_version"]
    assert await footprint(owner) == before
