"""createOrganisation, updateOrganisation and archiveOrganisation over HTTP: who may, what is checked, retries,
concurrent clients, the audit trail, and nothing left behind by a refusal.

The tests write, so they run on a demo database of their own (tests/schema/writing.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models.enums import OrganisationKind
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import sql
from tests.schema.writing import (
    as_named,
    client,
    codes,
    footprint,
    gid,
    mutate,
    new_siren,
    one,
    own_demo,
    owner,
    query,
    row_id,
    siret_of,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]

FIELDS = """
organisation { id version kind name acronym siren siret rna email website department { code } epci { siren } }
errors { field code message currentVersion }
"""
CREATE = f"mutation Create($input: CreateOrganisationInput!) {{ createOrganisation(input: $input) {{ {FIELDS} }} }}"
UPDATE = f"mutation Update($input: UpdateOrganisationInput!) {{ updateOrganisation(input: $input) {{ {FIELDS} }} }}"
ARCHIVE = f"mutation Archive($input: ArchiveOrganisationInput!) {{ archiveOrganisation(input: $input) {{ {FIELDS} }} }}"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
DELETED = 'query { deletedSince(since: "2000-01-01T00:00:00Z", first: 100) { nodes { id typename } } }'

BY_REF = "SELECT id, version FROM organisation WHERE ref = :ref"
ROW = """
SELECT kind, name, acronym, siren, siret, rna, email, website, department_code, epci_siren, commune_insee_code,
       archived_at IS NOT NULL AS archived, version
FROM organisation WHERE id = :id
"""
EVENTS = """
SELECT subject, operation, changes FROM audit_event WHERE entity = 'organisation' AND entity_id = :id ORDER BY id
"""
EPCI_WITHOUT_ORGANISATION = """
SELECT e.siren, min(c.department_code) AS department FROM epci e JOIN commune c ON c.epci_siren = e.siren
WHERE e.siren NOT IN (SELECT epci_siren FROM organisation WHERE epci_siren IS NOT NULL)
GROUP BY e.siren HAVING count(DISTINCT c.department_code) = 1 ORDER BY e.siren LIMIT 1
"""
KEYS = "SELECT count(*) AS n FROM idempotency_key WHERE key = :key"
NAMED = "SELECT count(*) AS n FROM organisation WHERE name = :name"

PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"
MAISON_DES_PARENTS_44 = "demo:association:maison-des-parents-loire-ocean"
NUMERIQUE_SOLIDAIRE_44 = "demo:association:numerique-solidaire-44"


def _department(code: str) -> str:
    return gid("Department", code)


def _id(organisation_id: int) -> str:
    return gid("Organisation", organisation_id)


def _association(name: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "ASSOCIATION", "name": name, "departmentId": _department("31"), **fields}


async def test_a_caf_agent_creates_an_organisation_in_its_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given a new association's identifiers
    siren = new_siren()
    siret = siret_of(siren)

    # when an agent of the Caf 31 creates it in Haute-Garonne
    payload = await mutate(
        client,
        CREATE,
        as_named(graph_issuer, "caf-31-agent"),
        **_association(
            "  Ludothèque des Minimes  ",
            acronym="LdM",
            siren=f"{siren[:3]} {siren[3:6]} {siren[6:]}",
            siret=siret,
            rna="w313000042",
            email="Contact@Ludotheque-Minimes.example",
            website="https://ludotheque-minimes.example",
        ),
    )

    # then it exists as given (trimmed, compacted, normalised), and its creation is recorded
    assert payload["errors"] == []
    created = payload["organisation"]
    assert (created["name"], created["siren"], created["siret"], created["rna"]) == (
        "Ludothèque des Minimes",
        siren,
        siret,
        "W313000042",
    )
    assert created["department"] == {"code": "31"}
    organisation_id = row_id(created["id"])
    row = await one(owner, ROW, id=organisation_id)
    assert (row["kind"], row["email"], row["department_code"], row["version"]) == (
        "association",
        "Contact@ludotheque-minimes.example",
        "31",
        1,
    )
    (event,) = await sql(owner, EVENTS, id=organisation_id)
    assert event["subject"] == "dev-caf-31-agent"
    assert event["operation"] == "create"
    assert event["changes"]["siren"] == [None, siren]
    assert event["changes"]["name"] == [None, "Ludothèque des Minimes"]
    assert "epci_siren" not in event["changes"]


async def test_a_cnaf_manager_creates_anywhere_and_an_epci_organisation_takes_its_department(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    epci = await one(owner, EPCI_WITHOUT_ORGANISATION)
    headers = as_named(graph_issuer, "cnaf-manager")

    as_epci = await mutate(
        client, CREATE, headers, kind="EPCI", name="Communauté de test", epciId=gid("Epci", epci["siren"])
    )
    national = await mutate(client, CREATE, headers, kind="FEDERATION", name="Fédération nationale de test")

    assert as_epci["errors"] == []
    assert as_epci["organisation"]["epci"] == {"siren": epci["siren"]}
    assert as_epci["organisation"]["department"] == {"code": epci["department"]}
    assert national["errors"] == []
    assert national["organisation"]["department"] is None


async def test_la_poste_establishments_are_numbered_by_their_own_rule(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer
) -> None:
    # 356 000 000 49837: not a Luhn number, yet a SIRET of La Poste (its digits add up to a multiple of 5)
    payload = await mutate(
        client,
        CREATE,
        as_named(graph_issuer, "caf-31-agent"),
        **_association("Bureau de poste de test", siren="356000000", siret="35600000049837"),
    )

    assert payload["errors"] == []
    assert payload["organisation"]["siret"] == "35600000049837"


REFUSED_CREATIONS = [
    ("caf-31-agent", _association("Hors département", departmentId=_department("44")), "FORBIDDEN", "departmentId"),
    ("caf-31-agent", {"kind": "CAF", "name": "Caf bis", "departmentId": _department("31")}, "FORBIDDEN", "kind"),
    ("association-admin", _association("Par une association"), "FORBIDDEN", None),
    ("cnaf-analyst", _association("Par un analyste"), "FORBIDDEN", None),
    (None, _association("Anonyme"), "FORBIDDEN", None),
    ("caf-31-agent", _association("Clé SIREN", siren="732829321"), "INVALID", "siren"),
    ("caf-31-agent", _association("SIREN court", siren="12345"), "INVALID", "siren"),
    ("caf-31-agent", _association("Clé SIRET", siret="73282932000075"), "INVALID", "siret"),
    ("caf-31-agent", _association("SIRET d'un autre", siren="732829320", siret="55210055400013"), "INVALID", "siret"),
    ("caf-31-agent", _association("RNA", rna="W31-000042"), "INVALID", "rna"),
    ("caf-31-agent", _association("SIREN pris", siren="243100518"), "INVALID", "siren"),
    ("caf-31-agent", _association("Courriel", email="pas une adresse"), "INVALID", "email"),
    ("caf-31-agent", _association("Site", website="ftp://exemple.example"), "INVALID", "website"),
    ("caf-31-agent", _association(" \t "), "INVALID", "name"),
    ("caf-31-agent", _association("x" * 301), "INVALID", "name"),
    ("caf-31-agent", _association("Sigle", acronym="x" * 41), "INVALID", "acronym"),
    ("caf-31-agent", _association("Département inconnu", departmentId=_department("00")), "NOT_FOUND", "departmentId"),
    ("caf-31-agent", _association("Pas un ID", departmentId="nope"), "INVALID", "departmentId"),
    ("caf-31-agent", _association("Pas un département", departmentId=gid("Region", "76")), "INVALID", "departmentId"),
    (
        "caf-31-agent",
        {"kind": "EPCI", "name": "EPCI sans EPCI", "departmentId": _department("31")},
        "INVALID",
        "epciId",
    ),
    ("caf-31-agent", _association("Avec EPCI", epciId=gid("Epci", "243100518")), "INVALID", "epciId"),
    ("caf-31-agent", {"kind": "EPCI", "name": "EPCI pris", "epciId": gid("Epci", "243100518")}, "INVALID", "epciId"),
    (
        "caf-31-agent",
        {"kind": "COMMUNE", "name": "Commune ailleurs", "communeId": gid("Commune", "44109")},
        "FORBIDDEN",
        "departmentId",
    ),
    ("cnaf-manager", {"kind": "CNAF", "name": "Cnaf bis"}, "INVALID", "kind"),
    (
        "cnaf-manager",
        {"kind": "CAF", "name": "Caf 31 bis", "departmentId": _department("31")},
        "INVALID",
        "departmentId",
    ),
    ("cnaf-manager", {"kind": "CAF", "name": "Caf sans département"}, "INVALID", "departmentId"),
    ("caf-31-agent", _association("Clé vide", idempotencyKey=""), "INVALID", "idempotencyKey"),
]


@pytest.mark.parametrize(
    ("persona_name", "fields", "code", "field"),
    REFUSED_CREATIONS,
    ids=[f"{case[0]}: {case[1]['name'][:20]}" for case in REFUSED_CREATIONS],
)
async def test_a_refused_creation_names_its_field_and_leaves_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    persona_name: str | None,
    fields: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    before = await footprint(owner)

    # (with an idempotency key, which a refusal must not keep either; anonymous callers may not send one)
    headers, key = (as_named(graph_issuer, persona_name), {"idempotencyKey": "refused"}) if persona_name else ({}, {})

    payload = await mutate(client, CREATE, headers, **{**key, **fields})

    assert payload["organisation"] is None
    assert codes(payload) == [(code, field)]
    assert payload["errors"][0]["message"]
    assert await footprint(owner) == before


async def test_a_retry_with_the_same_key_gets_the_first_organisation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    headers = as_named(graph_issuer, "caf-44-manager")
    fields = {"kind": "ASSOCIATION", "name": "Association rejouée", "departmentId": _department("44")}

    first = await mutate(client, CREATE, headers, idempotencyKey="retry-1", **fields)
    second = await mutate(client, CREATE, headers, idempotencyKey="retry-1", **fields)

    assert first["errors"] == second["errors"] == []
    assert first["organisation"]["id"] == second["organisation"]["id"]
    assert (await one(owner, NAMED, name="Association rejouée"))["n"] == 1
    events = await sql(owner, EVENTS, id=row_id(first["organisation"]["id"]))
    assert [event["operation"] for event in events] == ["create"]


async def test_concurrent_retries_with_one_key_create_one_organisation(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    headers = as_named(graph_issuer, "caf-44-manager")
    fields = {"kind": "ASSOCIATION", "name": "Association concurrente", "departmentId": _department("44")}

    payloads = await asyncio.gather(
        *(mutate(client, CREATE, headers, idempotencyKey="concurrent-1", **fields) for _ in range(6))
    )

    assert all(payload["errors"] == [] for payload in payloads)
    assert len({payload["organisation"]["id"] for payload in payloads}) == 1
    assert (await one(owner, NAMED, name="Association concurrente"))["n"] == 1
    assert (await one(owner, KEYS, key="concurrent-1"))["n"] == 1


async def test_a_key_reused_for_another_input_is_refused(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    headers = as_named(graph_issuer, "caf-44-manager")
    fields = {"kind": "ASSOCIATION", "name": "Première demande", "departmentId": _department("44")}
    await mutate(client, CREATE, headers, idempotencyKey="reused-1", **fields)
    before = await footprint(owner)

    payload = await mutate(client, CREATE, headers, idempotencyKey="reused-1", **{**fields, "name": "Autre demande"})

    assert codes(payload) == [("KEY_REUSED", "idempotencyKey")]
    assert await footprint(owner) == before


async def test_the_caf_of_its_department_changes_everything(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await one(owner, BY_REF, ref=MAISON_DES_PARENTS_44)
    before = await one(owner, ROW, id=organisation["id"])
    siren = new_siren()

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "caf-44-manager"),
        id=_id(organisation["id"]),
        version=organisation["version"],
        name="Maison des parents Loire-Océan (renommée)",
        kind="FEDERATION",
        siren=siren,
        acronym=None,
    )

    assert payload["errors"] == []
    after = await one(owner, ROW, id=organisation["id"])
    assert (after["name"], after["kind"], after["siren"], after["acronym"]) == (
        "Maison des parents Loire-Océan (renommée)",
        "federation",
        siren,
        None,
    )
    assert after["version"] == before["version"] + 1
    events = await sql(owner, EVENTS, id=organisation["id"])
    assert events[-1]["operation"] == "update"
    assert events[-1]["changes"] == {
        "name": [before["name"], after["name"]],
        "kind": ["association", "federation"],
        "siren": [None, siren],
        **({"acronym": [before["acronym"], None]} if before["acronym"] is not None else {}),
    }


async def test_a_cnaf_manager_changes_an_organisation_anywhere(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await one(owner, BY_REF, ref=NUMERIQUE_SOLIDAIRE_44)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "cnaf-manager"),
        id=_id(organisation["id"]),
        version=organisation["version"],
        acronym="NS 44",
        departmentId=None,
    )

    assert payload["errors"] == []
    after = await one(owner, ROW, id=organisation["id"])
    assert (after["acronym"], after["department_code"]) == ("NS 44", None)


async def test_its_own_admins_change_only_its_contact_data(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await one(owner, BY_REF, ref=PARENTS_ENSEMBLE)
    headers = as_named(graph_issuer, "association-admin")

    contact = await mutate(
        client,
        UPDATE,
        headers,
        id=_id(organisation["id"]),
        version=organisation["version"],
        email="bonjour@parents-ensemble-31.example",
        website="https://parents-ensemble-31.example",
    )
    before = await footprint(owner)
    renamed = await mutate(
        client,
        UPDATE,
        headers,
        id=_id(organisation["id"]),
        version=organisation["version"] + 1,
        email="autre@parents-ensemble-31.example",
        name="Parents ensemble 31 (renommée)",
    )

    assert contact["errors"] == []
    assert contact["organisation"]["email"] == "bonjour@parents-ensemble-31.example"
    assert codes(renamed) == [("FORBIDDEN", "name")]
    assert await footprint(owner) == before
    assert (await one(owner, ROW, id=organisation["id"]))["email"] == "bonjour@parents-ensemble-31.example"


REFUSED_UPDATES: list[tuple[str | None, str, dict[str, Any], str, str | None]] = [
    ("association-member", PARENTS_ENSEMBLE, {"email": "x@parents-ensemble-31.example"}, "FORBIDDEN", "id"),
    ("caf-31-agent", NUMERIQUE_SOLIDAIRE_44, {"name": "Détournée"}, "NOT_FOUND", "id"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {"departmentId": _department("44")}, "FORBIDDEN", "departmentId"),
    ("cnaf-analyst", PARENTS_ENSEMBLE, {"name": "Par un analyste"}, "FORBIDDEN", "id"),
    (None, "caf:31", {"name": "Anonyme"}, "FORBIDDEN", "id"),
    (None, PARENTS_ENSEMBLE, {"name": "Anonyme"}, "NOT_FOUND", "id"),
    ("cnaf-manager", "caf:31", {"departmentId": _department("32")}, "INVALID", "departmentId"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {"kind": "EPCI"}, "INVALID", "kind"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {"name": None}, "INVALID", "name"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {"siren": "732829320", "siret": "55210055400013"}, "INVALID", "siret"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {"siren": "244400404"}, "INVALID", "siren"),
    ("caf-31-agent", PARENTS_ENSEMBLE, {}, "INVALID", None),
]


@pytest.mark.parametrize(
    ("persona_name", "ref", "fields", "code", "field"),
    REFUSED_UPDATES,
    ids=[f"{case[0]}: {case[1]} {sorted(case[2])}" for case in REFUSED_UPDATES],
)
async def test_a_refused_update_changes_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    persona_name: str | None,
    ref: str,
    fields: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    organisation = await one(owner, BY_REF, ref=ref)
    before = await footprint(owner)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, persona_name),
        id=_id(organisation["id"]),
        version=organisation["version"],
        **fields,
    )

    assert payload["organisation"] is None
    assert codes(payload) == [(code, field)]
    assert await footprint(owner) == before


async def test_a_stale_version_is_a_conflict_that_names_the_current_one(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await one(owner, BY_REF, ref=MAISON_DES_PARENTS_44)
    before = await footprint(owner)

    payload = await mutate(
        client,
        UPDATE,
        as_named(graph_issuer, "caf-44-manager"),
        id=_id(organisation["id"]),
        version=organisation["version"] - 1,
        name="Trop tard",
    )

    assert codes(payload) == [("CONFLICT", "version")]
    assert payload["errors"][0]["currentVersion"] == organisation["version"]
    assert await footprint(owner) == before


async def test_concurrent_updates_of_one_version_let_exactly_one_through(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given one organisation and eight clients that all read the same version
    organisation = await one(owner, BY_REF, ref=MAISON_DES_PARENTS_44)
    headers = as_named(graph_issuer, "caf-44-manager")
    events_before = len(await sql(owner, EVENTS, id=organisation["id"]))

    # when they all change it at once
    payloads = await asyncio.gather(
        *(
            mutate(
                client, UPDATE, headers, id=_id(organisation["id"]), version=organisation["version"], name=f"Nom {n}"
            )
            for n in range(8)
        )
    )

    # then one wins, the others are told of the conflict, and the row and the trail agree
    winners = [payload for payload in payloads if not payload["errors"]]
    losers = [payload for payload in payloads if payload["errors"]]
    assert len(winners) == 1
    assert {code for payload in losers for code, _ in codes(payload)} == {"CONFLICT"}
    after = await one(owner, ROW, id=organisation["id"])
    assert after["version"] == organisation["version"] + 1
    assert after["name"] == winners[0]["organisation"]["name"]
    events = await sql(owner, EVENTS, id=organisation["id"])
    assert len(events) == events_before + 1
    assert events[-1]["changes"]["name"][1] == after["name"]


async def test_an_archived_organisation_leaves_every_read_and_the_feed_says_so(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an organisation that carries nothing
    headers = as_named(graph_issuer, "caf-31-agent")
    created = await mutate(client, CREATE, headers, **_association("Association éphémère"))
    node_id = created["organisation"]["id"]

    # when its Caf archives it
    payload = await mutate(client, ARCHIVE, headers, id=node_id, version=created["organisation"]["version"])

    # then it is archived, recorded, gone from reads and listed as deleted
    assert payload["errors"] == []
    organisation_id = row_id(node_id)
    assert (await one(owner, ROW, id=organisation_id))["archived"] is True
    assert [event["operation"] for event in await sql(owner, EVENTS, id=organisation_id)] == ["create", "archive"]
    assert (await query(client, NODE, headers, id=node_id))["node"] is None
    deleted = (await query(client, DELETED, headers))["deletedSince"]["nodes"]
    assert {"id": node_id, "typename": "Organisation"} in deleted
    again = await mutate(client, UPDATE, headers, id=node_id, version=payload["organisation"]["version"], name="Non")
    assert codes(again) == [("NOT_FOUND", "id")]


@pytest.mark.parametrize(
    ("persona_name", "ref", "code"),
    [
        ("caf-31-agent", PARENTS_ENSEMBLE, "IN_USE"),
        ("cnaf-manager", "caf:31", "IN_USE"),
        ("caf-31-agent", "caf:31", "FORBIDDEN"),
        ("cnaf-manager", "cnaf", "IN_USE"),
        ("association-admin", PARENTS_ENSEMBLE, "FORBIDDEN"),
        ("caf-44-manager", PARENTS_ENSEMBLE, "NOT_FOUND"),
    ],
    ids=[
        "carrier of actions",
        "a Caf",
        "a Caf by its own staff",
        "the Cnaf",
        "its own admin",
        "another department's Caf",
    ],
)
async def test_an_organisation_others_need_or_not_yours_is_not_archived(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine, persona_name: str, ref: str, code: str
) -> None:
    organisation = await one(owner, BY_REF, ref=ref)
    before = await footprint(owner)

    payload = await mutate(
        client,
        ARCHIVE,
        as_named(graph_issuer, persona_name),
        id=_id(organisation["id"]),
        version=organisation["version"],
    )

    assert codes(payload) == [(code, "id")]
    assert await footprint(owner) == before


# Inputs of every shape: arbitrary text, digit strings of any length, IDs of any type or none, kinds the
# creation refuses and kinds that are no kind at all.
_texts = st.text(max_size=320)
_words = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=320)
_digits = st.text(alphabet="0123456789", max_size=16)
_ids = st.one_of(
    st.text(max_size=24),
    st.builds(
        gid,
        st.sampled_from(["Department", "Epci", "Commune", "Region", "Organisation"]),
        st.one_of(st.text(max_size=12), st.sampled_from(["31", "44", "2A", "243100518", "31555", "999"])),
    ),
)
_KINDS = [kind.name for kind in OrganisationKind]
_INPUTS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([*_KINDS, "ASSOCIATION", "ASSOCIATION", "OTHER", "association", "NO_SUCH_KIND"]),
        "name": st.one_of(st.sampled_from(["Centre social", " Crèche "]), _words, _texts),
    },
    optional={
        "acronym": st.one_of(st.none(), _texts),
        "siren": st.one_of(st.none(), st.builds(new_siren), _digits, _texts),
        "siret": st.one_of(st.none(), st.builds(siret_of, st.builds(new_siren)), _digits, _texts),
        "rna": st.one_of(st.none(), st.from_regex(r"W[0-9A-Z][0-9]{6,9}", fullmatch=True), _texts),
        "email": st.one_of(st.none(), st.emails(), _texts),
        "website": st.one_of(st.none(), st.just("https://exemple.example/"), _texts),
        "departmentId": st.one_of(st.none(), st.sampled_from([gid("Department", "31"), gid("Department", "44")]), _ids),
        "epciId": st.one_of(st.none(), _ids),
        "communeId": st.one_of(st.none(), _ids),
        "idempotencyKey": st.one_of(st.none(), st.text(max_size=210)),
    },
)


@settings(max_examples=60, deadline=None)
@given(fields=_INPUTS, persona_name=st.sampled_from(["caf-31-agent", "cnaf-manager", "association-admin", None]))
async def test_any_creation_input_gives_the_organisation_or_typed_errors(
    writable: str, graph_issuer: LocalIssuer, owner: AsyncEngine, fields: dict[str, Any], persona_name: str | None
) -> None:
    before = await footprint(owner)
    headers = as_named(graph_issuer, persona_name)

    async with httpx.AsyncClient(base_url=writable, timeout=60) as http:
        response = await http.post("/graphql", json={"query": CREATE, "variables": {"input": fields}}, headers=headers)

    assert response.status_code == 200, response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text
    body = response.json()
    if "errors" in body:
        # Only a variable GraphQL itself refuses (a kind that is none, a name left out): nothing ran.
        assert body.get("data") is None, body
        assert await footprint(owner) == before
        return
    payload = body["data"]["createOrganisation"]
    event(" ".join(f"{error['code']}:{error['field']}" for error in payload["errors"]) or "created")
    assert (payload["organisation"] is None) != (payload["errors"] == [])
    if payload["errors"]:
        assert all(error["code"] and error["message"] for error in payload["errors"])
        assert await footprint(owner) == before
    else:
        created = await one(owner, ROW, id=row_id(payload["organisation"]["id"]))
        assert created["name"] == payload["organisation"]["name"]
