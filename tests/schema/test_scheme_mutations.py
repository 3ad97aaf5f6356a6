"""Scheme writes over HTTP: creation, changes, objectives, signatories and archiving; who may, what is refused,
and that a refusal leaves nothing behind (read back as the database's owner)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
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
SCHEME = "id kind title summary status scope version periodStart periodEnd department { code } parent { id }"
CREATE = f"mutation ($input: CreateSchemeInput!) {{ createScheme(input: $input) {{ scheme {{ {SCHEME} }} {ERRORS} }} }}"
UPDATE = f"mutation ($input: UpdateSchemeInput!) {{ updateScheme(input: $input) {{ scheme {{ {SCHEME} }} {ERRORS} }} }}"
ARCHIVE = f"mutation ($input: ArchiveSchemeInput!) {{ archiveScheme(input: $input) {{ archivedId {ERRORS} }} }}"
OBJECTIVE = f"""
objective {{ id position title description }}
scheme {{ version objectives {{ nodes {{ title position }} }} }}
{ERRORS}
"""
ADD_OBJECTIVE = f"mutation ($input: AddObjectiveInput!) {{ addObjective(input: $input) {{ {OBJECTIVE} }} }}"
UPDATE_OBJECTIVE = f"mutation ($input: UpdateObjectiveInput!) {{ updateObjective(input: $input) {{ {OBJECTIVE} }} }}"
REMOVE_OBJECTIVE = f"mutation ($input: RemoveObjectiveInput!) {{ removeObjective(input: $input) {{ {OBJECTIVE} }} }}"
SIGNATURE = f"""
signature {{ id role signedOn organisation {{ name }} }}
scheme {{ version signatures {{ totalCount }} }}
{ERRORS}
"""
ADD_SIGNATORY = f"mutation ($input: AddSignatoryInput!) {{ addSignatory(input: $input) {{ {SIGNATURE} }} }}"
RECORD_SIGNATURE = f"mutation ($input: RecordSignatureInput!) {{ recordSignature(input: $input) {{ {SIGNATURE} }} }}"
REMOVE_SIGNATORY = f"mutation ($input: RemoveSignatoryInput!) {{ removeSignatory(input: $input) {{ {SIGNATURE} }} }}"
HISTORY = """
query ($id: ID!) {
  node(id: $id) { ... on Scheme { history(first: 50) { nodes { operation fields { field before after } } } } }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { id } }"
DELETED = 'query { deletedSince(since: "2000-01-01T00:00:00Z") { nodes { id typename } } }'

ROW = "SELECT title, summary, status, period_start, period_end, parent_id, version FROM scheme WHERE id = :id"
EVENTS = "SELECT entity, operation, subject, changes FROM audit_event WHERE entity_id = :id ORDER BY id"
OBJECTIVES = "SELECT title, position FROM scheme_objective WHERE scheme_id = :id ORDER BY position"


def _sdsf_31(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "SDSF",
        "title": "Schéma départemental des services aux familles 2027-2031",
        "periodStart": "2027-01-01",
        "periodEnd": "2031-12-31",
        "departmentId": gid("Department", "31"),
        **fields,
    }


async def _draft_31(client: httpx.AsyncClient, issuer: LocalIssuer, **fields: Any) -> dict[str, Any]:
    payload = await mutate(client, CREATE, as_named(issuer, "caf-31-agent"), **_sdsf_31(**fields))
    assert payload["errors"] == [], payload
    return payload["scheme"]  # type: ignore[no-any-return]


async def test_the_caf_of_the_department_creates_a_departmental_scheme_as_a_draft(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the COG in force
    cog = await scheme_id(owner, demo.COG_2023)

    # when the Caf 31 agent creates an SDSF under it
    caller = as_named(graph_issuer, "caf-31-agent")
    payload = await mutate(
        client, CREATE, caller, **_sdsf_31(parentId=gid("Scheme", cog), summary="  Nouveau schéma  ")
    )

    # then it is a draft of department 31, its texts trimmed, and the trail records its creation
    assert payload["errors"] == []
    scheme = payload["scheme"]
    assert (scheme["kind"], scheme["status"], scheme["scope"]) == ("SDSF", "DRAFT", "DEPARTMENT")
    assert scheme["department"]["code"] == "31"
    assert scheme["parent"]["id"] == gid("Scheme", cog)
    created = row_id(scheme["id"])
    row = await one(owner, ROW, id=created)
    assert (row["summary"], row["status"], row["version"]) == ("Nouveau schéma", "draft", 1)
    (event,) = await sql(owner, EVENTS, id=created)
    assert (event["entity"], event["operation"], event["subject"]) == ("scheme", "create", "dev-caf-31-agent")
    assert event["changes"]["title"] == [None, scheme["title"]]
    assert event["changes"]["parent_id"] == [None, cog]


async def test_cnaf_managers_create_national_schemes_and_cpogs(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caller = as_named(graph_issuer, "cnaf-manager")
    cog = await mutate(
        client, CREATE, caller, kind="COG", title="COG 2028-2032", periodStart="2028-01-01", periodEnd="2032-12-31"
    )
    assert cog["errors"] == []
    assert (cog["scheme"]["scope"], cog["scheme"]["department"]) == ("NATIONAL", None)

    cpog = await mutate(
        client,
        CREATE,
        caller,
        kind="CPOG",
        title="CPOG 2028-2032 de la Caf de Loire-Atlantique",
        periodStart="2028-01-01",
        departmentId=gid("Department", "44"),
        parentId=cog["scheme"]["id"],
    )
    assert cpog["errors"] == []
    assert cpog["scheme"]["parent"]["id"] == cog["scheme"]["id"]


@pytest.mark.parametrize(
    ("persona", "fields", "field"),
    [
        ("association-member", {}, "departmentId"),
        ("epci-coordinator", {}, "departmentId"),
        ("cnaf-analyst", {}, "departmentId"),
        ("council-44-member", {"departmentId": gid("Department", "44")}, "departmentId"),
        (None, {}, "departmentId"),
        ("caf-44-manager", {}, "departmentId"),
        ("cnaf-manager", {}, "departmentId"),
        ("caf-31-agent", {"kind": "COG", "departmentId": None}, "kind"),
        ("caf-31-agent", {"kind": "CPOG"}, "kind"),
        ("cnaf-analyst", {"kind": "COG", "departmentId": None}, "kind"),
    ],
    ids=[
        "association member",
        "EPCI coordinator",
        "Cnaf analyst",
        "departmental council",
        "anonymous",
        "the other department's Caf",
        "Cnaf manager, departmental scheme",
        "Caf, national scheme",
        "Caf, CPOG",
        "Cnaf analyst, national scheme",
    ],
)
async def test_a_caller_without_the_right_creates_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    persona: str | None,
    fields: dict[str, Any],
    field: str,
) -> None:
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, persona), **_sdsf_31(**fields))

    assert payload["scheme"] is None
    assert codes(payload) == [("FORBIDDEN", field)]
    assert await footprint(owner) == before


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"title": "   "}, "INVALID", "title"),
        ({"title": "x" * 301}, "INVALID", "title"),
        ({"periodStart": "2027-01-01", "periodEnd": "2026-12-31"}, "INVALID", "periodEnd"),
        ({"periodStart": "1800-01-01"}, "INVALID", "periodStart"),
        ({"kind": "CTG"}, "INVALID", "kind"),
        ({"kind": "CEJ"}, "INVALID", "kind"),
        ({"departmentId": None}, "INVALID", "departmentId"),
        ({"departmentId": gid("Department", "999")}, "NOT_FOUND", "departmentId"),
        ({"departmentId": gid("Epci", "243100518")}, "INVALID", "departmentId"),
        ({"parentId": "not an id"}, "INVALID", "parentId"),
        ({"parentId": gid("Scheme", 10**12)}, "NOT_FOUND", "parentId"),
        ({"sourceUrl": "ftp://caf.example/sdsf.pdf"}, "INVALID", "sourceUrl"),
        ({"idempotencyKey": ""}, "INVALID", "idempotencyKey"),
    ],
    ids=[
        "blank title",
        "long title",
        "period ending before it starts",
        "date out of range",
        "a CTG",
        "a CEJ",
        "no department",
        "unknown department",
        "an EPCI's ID as department",
        "malformed parent ID",
        "unknown parent",
        "source URL not http",
        "empty idempotency key",
    ],
)
async def test_an_invalid_scheme_is_refused_on_the_field_at_fault(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    fields: dict[str, Any],
    code: str,
    field: str,
) -> None:
    before = await footprint(owner)

    payload = await mutate(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **_sdsf_31(**fields))

    assert codes(payload) == [(code, field)], payload
    assert await footprint(owner) == before


@pytest.mark.parametrize(
    ("parent", "why"),
    [(demo.SDSF_44, "dépend d'un schéma"), (demo.CPOG_44_2013, "département 44"), (demo.CEJ_SICOVAL, "dépend d'un")],
    ids=["a departmental scheme", "another department's CPOG", "a CEJ"],
)
async def test_a_parent_out_of_the_chain_is_refused(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, parent: str, why: str
) -> None:
    parent_id = await scheme_id(owner, parent)

    payload = await mutate(
        client, CREATE, as_named(graph_issuer, "caf-31-agent"), **_sdsf_31(parentId=gid("Scheme", parent_id))
    )

    assert codes(payload) == [("INVALID", "parentId")]
    assert why in payload["errors"][0]["message"]


async def test_a_draft_changes_at_its_version_and_the_trail_says_from_what_to_what(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a draft
    draft = await _draft_31(client, graph_issuer)
    caller = as_named(graph_issuer, "caf-31-agent")

    # when its title and end change at the version read
    payload = await mutate(
        client, UPDATE, caller, id=draft["id"], version=draft["version"], title="Retitré", periodEnd=None
    )

    # then the row moved one version on, and the trail says what changed
    assert payload["errors"] == []
    assert (payload["scheme"]["title"], payload["scheme"]["periodEnd"]) == ("Retitré", None)
    assert payload["scheme"]["version"] == draft["version"] + 1
    events = await sql(owner, EVENTS, id=row_id(draft["id"]))
    assert events[-1]["operation"] == "update"
    assert events[-1]["changes"] == {"title": [draft["title"], "Retitré"], "period_end": ["2031-12-31", None]}

    # and the history connection reads it back
    body = await post(client, HISTORY, caller, id=draft["id"])
    last = body["data"]["node"]["history"]["nodes"][-1]
    assert last["operation"] == "UPDATE"
    assert {change["field"] for change in last["fields"]} == {"title", "periodEnd"}

    # and a client still at the first version gets a conflict naming the current one, and changes nothing
    stale = await mutate(client, UPDATE, caller, id=draft["id"], version=draft["version"], title="Trop tard")
    assert [(e["code"], e["field"], e["currentVersion"]) for e in stale["errors"]] == [
        ("CONFLICT", "version", draft["version"] + 1)
    ]
    assert (await one(owner, ROW, id=row_id(draft["id"])))["title"] == "Retitré"


async def test_an_active_scheme_keeps_what_was_signed_and_its_summary_still_changes(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    sdsf = await scheme_id(owner, demo.SDSF_31)
    row = await one(owner, ROW, id=sdsf)
    caller = as_named(graph_issuer, "caf-31-agent")

    frozen = await mutate(
        client, UPDATE, caller, id=gid("Scheme", sdsf), version=row["version"], periodStart="2016-02-01"
    )
    assert codes(frozen) == [("INVALID", "periodStart")]
    assert "ne change plus" in frozen["errors"][0]["message"]
    assert await one(owner, ROW, id=sdsf) == row

    living = await mutate(client, UPDATE, caller, id=gid("Scheme", sdsf), version=row["version"], summary="Résumé revu")
    assert living["errors"] == []
    assert (await one(owner, ROW, id=sdsf))["summary"] == "Résumé revu"


@pytest.mark.parametrize(
    ("persona", "target", "code"),
    [
        ("caf-44-manager", "published", "FORBIDDEN"),
        ("caf-44-manager", "draft", "NOT_FOUND"),
        ("cnaf-analyst", "draft", "FORBIDDEN"),
        ("cnaf-manager", "published", "FORBIDDEN"),
        ("association-member", "published", "FORBIDDEN"),
        ("epci-coordinator", "draft", "NOT_FOUND"),
        ("council-44-member", "published", "FORBIDDEN"),
        (None, "published", "FORBIDDEN"),
        (None, "draft", "NOT_FOUND"),
    ],
)
async def test_a_caller_without_the_right_changes_no_scheme(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    persona: str | None,
    target: str,
    code: str,
) -> None:
    if target == "draft":
        scheme = row_id((await _draft_31(client, graph_issuer))["id"])
    else:
        scheme = await scheme_id(owner, demo.SDAVS_31)
    row = await one(owner, ROW, id=scheme)
    before = await footprint(owner)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, persona),
        id=gid("Scheme", scheme),
        version=row["version"],
        summary="Détourné",
    )

    assert codes(payload) == [(code, "id")]
    assert await footprint(owner) == before
    assert await one(owner, ROW, id=scheme) == row


async def test_a_ctg_is_not_changed_as_a_scheme(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    ctg = await scheme_id(owner, demo_ctgs.TOULOUSE_METROPOLE)
    row = await one(owner, ROW, id=ctg)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Scheme", ctg),
        version=row["version"],
        summary="Par la porte de côté",
    )

    assert codes(payload) == [("INVALID", "id")]
    assert "updateCtg" in payload["errors"][0]["message"]


async def test_objectives_are_added_moved_and_removed_in_order_each_moving_the_scheme_version(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    draft = await _draft_31(client, graph_issuer)
    scheme = row_id(draft["id"])
    caller = as_named(graph_issuer, "caf-31-agent")
    version = draft["version"]

    # when three objectives are added, a fourth first, then the third moved second and the fourth removed
    ids = []
    for title, position in (("Accueil", None), ("Parentalité", None), ("Jeunesse", None), ("Diagnostic", 1)):
        payload = await mutate(
            client, ADD_OBJECTIVE, caller, schemeId=draft["id"], schemeVersion=version, title=title, position=position
        )
        assert payload["errors"] == []
        assert payload["scheme"]["version"] == version + 1
        version = payload["scheme"]["version"]
        ids.append(payload["objective"]["id"])
    assert [row["title"] for row in await sql(owner, OBJECTIVES, id=scheme)] == [
        "Diagnostic",
        "Accueil",
        "Parentalité",
        "Jeunesse",
    ]
    moved = await mutate(
        client, UPDATE_OBJECTIVE, caller, id=ids[2], schemeVersion=version, position=2, description="Les 11-17 ans"
    )
    assert moved["errors"] == []
    assert (moved["objective"]["position"], moved["objective"]["description"]) == (2, "Les 11-17 ans")
    version = moved["scheme"]["version"]
    removed = await mutate(client, REMOVE_OBJECTIVE, caller, id=ids[3], schemeVersion=version)
    assert removed["errors"] == []
    assert removed["objective"] is None

    # then the positions run from 1 without gaps, and each change is recorded on the scheme
    assert await sql(owner, OBJECTIVES, id=scheme) == [
        {"title": "Jeunesse", "position": 1},
        {"title": "Accueil", "position": 2},
        {"title": "Parentalité", "position": 3},
    ]
    titles = [node["title"] for node in removed["scheme"]["objectives"]["nodes"]]
    assert titles == ["Jeunesse", "Accueil", "Parentalité"]
    events = (await sql(owner, EVENTS, id=scheme))[1:]
    assert [list(event["changes"]) for event in events] == [["objectives"]] * 6
    assert events[-1]["changes"]["objectives"][0]["title"] == "Diagnostic"
    assert events[-1]["changes"]["objectives"][1] is None

    # and a position past the end, or a stale version, is refused without a trace
    before = await footprint(owner)
    late = await mutate(
        client, ADD_OBJECTIVE, caller, schemeId=draft["id"], schemeVersion=version + 1, title="X", position=9
    )
    assert codes(late) == [("INVALID", "position")]
    stale = await mutate(client, ADD_OBJECTIVE, caller, schemeId=draft["id"], schemeVersion=1, title="X")
    assert codes(stale) == [("CONFLICT", "schemeVersion")]
    assert await footprint(owner) == before


async def test_signatories_are_planned_dated_and_removed_on_a_draft(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    draft = await _draft_31(client, graph_issuer)
    scheme = row_id(draft["id"])
    caller = as_named(graph_issuer, "caf-31-agent")
    caf = gid("Organisation", await organisation_id(owner, org.CAF_31))
    prefecture = gid("Organisation", await organisation_id(owner, org.PREFECTURE_31))

    # when the Caf and the prefecture are planned, the Caf's signature dated, the prefecture taken off
    planned = await mutate(
        client,
        ADD_SIGNATORY,
        caller,
        schemeId=draft["id"],
        schemeVersion=draft["version"],
        organisationId=caf,
        role=" Caf ",
    )
    assert planned["errors"] == []
    assert (planned["signature"]["role"], planned["signature"]["signedOn"]) == ("Caf", None)
    version = planned["scheme"]["version"]
    twice = await mutate(
        client, ADD_SIGNATORY, caller, schemeId=draft["id"], schemeVersion=version, organisationId=caf, role="Caf"
    )
    assert codes(twice) == [("INVALID", "organisationId")]
    second = await mutate(
        client,
        ADD_SIGNATORY,
        caller,
        schemeId=draft["id"],
        schemeVersion=version,
        organisationId=prefecture,
        role="État",
    )
    version = second["scheme"]["version"]
    future = await mutate(
        client, RECORD_SIGNATURE, caller, id=planned["signature"]["id"], schemeVersion=version, signedOn="2999-01-01"
    )
    assert codes(future) == [("INVALID", "signedOn")]
    dated = await mutate(
        client, RECORD_SIGNATURE, caller, id=planned["signature"]["id"], schemeVersion=version, signedOn="2026-11-30"
    )
    assert dated["errors"] == []
    assert dated["signature"]["signedOn"] == "2026-11-30"
    removed = await mutate(
        client, REMOVE_SIGNATORY, caller, id=second["signature"]["id"], schemeVersion=dated["scheme"]["version"]
    )
    assert removed["errors"] == []
    assert removed["scheme"]["signatures"]["totalCount"] == 1

    # then one dated signature is left, and the scheme's trail has each step, before → after
    rows = await sql(owner, "SELECT role, signed_on FROM signature WHERE scheme_id = :id", id=scheme)
    assert [(row["role"], str(row["signed_on"])) for row in rows] == [("Caf", "2026-11-30")]
    changes = [event["changes"]["signatures"] for event in (await sql(owner, EVENTS, id=scheme))[1:]]
    assert [(before is None, after is None) for before, after in changes] == [
        (True, False),
        (True, False),
        (False, False),
        (False, True),
    ]
    assert changes[2][0]["signed_on"] is None
    assert changes[2][1]["signed_on"] == "2026-11-30"
    assert (await one(owner, ROW, id=scheme))["version"] == draft["version"] + 4


async def test_signatories_of_a_signed_scheme_no_longer_change_and_others_cannot_touch_them(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    charter = await scheme_id(owner, demo.CHARTER_44)
    version = (await one(owner, ROW, id=charter))["version"]
    caf_31 = gid("Organisation", await organisation_id(owner, org.CAF_31))
    before = await footprint(owner)
    add = {"schemeId": gid("Scheme", charter), "schemeVersion": version, "organisationId": caf_31, "role": "Caf"}

    manager = await mutate(client, ADD_SIGNATORY, as_named(graph_issuer, "caf-44-manager"), **add)
    agent = await mutate(client, ADD_SIGNATORY, as_named(graph_issuer, "caf-31-agent"), **add)
    council = await mutate(client, ADD_SIGNATORY, as_named(graph_issuer, "council-44-member"), **add)
    unknown = await mutate(
        client,
        ADD_SIGNATORY,
        as_named(graph_issuer, "caf-44-manager"),
        **{**add, "organisationId": gid("Organisation", 10**12)},
    )

    assert codes(manager) == [("INVALID", "schemeId")]
    assert "ne change plus" in manager["errors"][0]["message"]
    assert codes(agent) == [("FORBIDDEN", "schemeId")]
    assert codes(council) == [("FORBIDDEN", "schemeId")]
    assert codes(unknown) == [("INVALID", "schemeId")]
    assert await footprint(owner) == before


async def test_archiving_waits_until_nothing_needs_the_scheme_then_it_leaves_every_read(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caller = as_named(graph_issuer, "caf-31-agent")
    sdsf = await scheme_id(owner, demo.SDSF_31)
    before = await footprint(owner)
    in_use = await mutate(
        client, ARCHIVE, caller, id=gid("Scheme", sdsf), version=(await one(owner, ROW, id=sdsf))["version"]
    )
    assert codes(in_use) == [("IN_USE", "id")]
    assert await footprint(owner) == before

    draft = await _draft_31(client, graph_issuer)
    archived = await mutate(client, ARCHIVE, caller, id=draft["id"], version=draft["version"])
    assert archived == {"archivedId": draft["id"], "errors": []}
    assert (await post(client, NODE, caller, id=draft["id"]))["data"]["node"] is None
    deleted = (await post(client, DELETED, caller))["data"]["deletedSince"]["nodes"]
    assert {"id": draft["id"], "typename": "Scheme"} in deleted
    events = await sql(owner, EVENTS, id=row_id(draft["id"]))
    assert [event["operation"] for event in events] == ["create", "archive"]
    again = await mutate(client, ARCHIVE, caller, id=draft["id"], version=draft["version"] + 1)
    assert codes(again) == [("NOT_FOUND", "id")]


TRANSITION = f"""
mutation ($input: TransitionSchemeInput!) {{ transitionScheme(input: $input) {{ scheme {{ {SCHEME} }} {ERRORS} }} }}
"""


async def test_a_national_scheme_is_signed_then_in_force_and_published(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a draft COG, which anonymous readers do not see
    manager = as_named(graph_issuer, "cnaf-manager")
    anonymous = as_named(graph_issuer, None)
    created = await mutate(
        client, CREATE, manager, kind="COG", title="COG 2033-2037", periodStart="2026-01-01", periodEnd="2037-12-31"
    )
    cog = created["scheme"]
    assert (await post(client, NODE, anonymous, id=cog["id"]))["data"]["node"] is None

    async def move(status: str) -> dict[str, Any]:
        version = (await one(owner, ROW, id=row_id(cog["id"])))["version"]
        return await mutate(client, TRANSITION, manager, id=cog["id"], version=version, status=status)

    # when it would go straight to active, or be signed without signatories, it is refused
    before = await footprint(owner)
    illegal = await move("ACTIVE")
    assert codes(illegal) == [("ILLEGAL_TRANSITION", None)]
    illegal_move = "Schéma : le passage de DRAFT à ACTIVE n'existe pas (depuis DRAFT : SIGNED)"
    assert illegal["errors"][0]["message"] == illegal_move
    assert codes(await move("SIGNED")) == [("INVALID", "signatures")]
    assert await footprint(owner) == before

    # when the State and the Cnaf sign it, it is signed, then active, and published
    for ref in (org.STATE, org.CNAF):
        version = (await one(owner, ROW, id=row_id(cog["id"])))["version"]
        planned = await mutate(
            client,
            ADD_SIGNATORY,
            manager,
            schemeId=cog["id"],
            schemeVersion=version,
            organisationId=gid("Organisation", await organisation_id(owner, ref)),
            role="Signataire",
        )
        dated = await mutate(
            client,
            RECORD_SIGNATURE,
            manager,
            id=planned["signature"]["id"],
            schemeVersion=version + 1,
            signedOn="2025-12-15",
        )
        assert dated["errors"] == []
    assert (await move("SIGNED"))["scheme"]["status"] == "SIGNED"
    assert (await move("ACTIVE"))["scheme"]["status"] == "ACTIVE"
    assert (await post(client, NODE, anonymous, id=cog["id"]))["data"]["node"] == {"id": cog["id"]}


async def test_a_ctg_does_not_move_as_a_scheme(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    ctg = await scheme_id(owner, demo_ctgs.MURETAIN)
    row = await one(owner, ROW, id=ctg)

    payload = await mutate(
        client,
        TRANSITION,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Scheme", ctg),
        version=row["version"],
        status="EXPIRED",
    )

    assert codes(payload) == [("INVALID", "id")]
    assert await one(owner, ROW, id=ctg) == row


OBJECTIVE_IN_FORCE = """
SELECT o.id, o.title, o.description, o.position, s.version AS scheme_version
FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
WHERE s.kind = 'CTG' AND s.status = 'active' AND s.department_code = '31' AND s.archived_at IS NULL
ORDER BY o.id LIMIT 1
"""
SIGNATURE_IN_FORCE = """
SELECT g.id, g.signed_on, s.version AS scheme_version
FROM signature g JOIN scheme s ON s.id = g.scheme_id
WHERE s.kind = 'CTG' AND s.status = 'active' AND s.department_code = '31' AND s.archived_at IS NULL
  AND g.signed_on IS NOT NULL
ORDER BY g.id LIMIT 1
"""


async def test_an_update_of_an_objective_that_changes_nothing_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an objective of a CTG in force, whose objectives no longer change
    objective = await one(owner, OBJECTIVE_IN_FORCE)
    before = await footprint(owner)

    # when its Caf sets the objective's texts and position to what they are
    payload = await mutate(
        client,
        UPDATE_OBJECTIVE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("SchemeObjective", objective["id"]),
        schemeVersion=objective["scheme_version"],
        title=objective["title"],
        description=objective["description"],
        position=objective["position"],
    )

    # then it succeeds at the same version, with no history entry
    assert payload["errors"] == []
    assert payload["scheme"]["version"] == objective["scheme_version"]
    assert await footprint(owner) == before


async def test_a_signature_recorded_again_on_its_day_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a dated signature of a CTG in force, whose signatories no longer change
    signature = await one(owner, SIGNATURE_IN_FORCE)
    before = await footprint(owner)

    # when its Caf records the day it holds
    payload = await mutate(
        client,
        RECORD_SIGNATURE,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Signature", signature["id"]),
        schemeVersion=signature["scheme_version"],
        signedOn=str(signature["signed_on"]),
    )

    # then it succeeds at the same version, with no history entry
    assert payload["errors"] == []
    assert payload["scheme"]["version"] == signature["scheme_version"]
    assert await footprint(owner) == before
