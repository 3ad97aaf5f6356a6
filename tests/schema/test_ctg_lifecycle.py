"""The CTG life cycle over HTTP: every legal move, a table of the illegal ones, and signing refused until what is
signed is complete."""

from __future__ import annotations

import re
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
    key_of,
    mutate,
    one,
    organisation_id,
    own_demo,
    owner,
    row_id,
    scheme_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ERRORS = "errors { field code message currentVersion }"
CTG = "id status version supersededBy { id }"
CREATE = f"mutation ($input: CreateCtgInput!) {{ createCtg(input: $input) {{ ctg {{ {CTG} }} {ERRORS} }} }}"
UPDATE = f"mutation ($input: UpdateCtgInput!) {{ updateCtg(input: $input) {{ ctg {{ {CTG} }} {ERRORS} }} }}"
STEPS = {
    step: f"mutation ($input: {kind}!) {{ {step}(input: $input) {{ ctg {{ {CTG} }} {ERRORS} }} }}"
    for step, kind in (
        ("signCtg", "CtgStepInput"),
        ("activateCtg", "CtgStepInput"),
        ("closeCtg", "CtgStepInput"),
        ("supersedeCtg", "SupersedeCtgInput"),
    )
}
SIGNATURE = "signature { id } scheme { version } errors { code field }"
ADD_SIGNATORY = f"mutation ($input: AddSignatoryInput!) {{ addSignatory(input: $input) {{ {SIGNATURE} }} }}"
RECORD_SIGNATURE = f"mutation ($input: RecordSignatureInput!) {{ recordSignature(input: $input) {{ {SIGNATURE} }} }}"
SIGNATURES = "SELECT id FROM signature WHERE scheme_id = :id ORDER BY id"
ROW = "SELECT status, version, superseded_by_id FROM scheme WHERE id = :id"
EVENTS = """
SELECT entity, changes FROM audit_event
WHERE entity_id = :id AND operation = 'update' AND changes ? 'status' ORDER BY id
"""

PYRENEES = org.PYRENEES_HAUT_GARONNAISES


class Ctgs:
    """Drafts CTGs of Haute-Garonne and moves them along, as the Caf 31 agent."""

    def __init__(self, client: httpx.AsyncClient, issuer: LocalIssuer, owner: AsyncEngine) -> None:
        self.client = client
        self.caf = as_named(issuer, "caf-31-agent")
        self.owner = owner

    async def draft(self, **fields: Any) -> dict[str, Any]:
        request = {
            "title": "Convention territoriale globale des Pyrénées Haut-Garonnaises",
            "periodStart": "2025-01-01",
            "periodEnd": "2029-12-31",
            "parentId": gid("Scheme", await scheme_id(self.owner, demo.SDSF_31)),
            "epciId": gid("Epci", PYRENEES.siren),
            "themes": ["YOUTH"],
            **fields,
        }
        payload = await mutate(self.client, CREATE, self.caf, **request)
        assert payload["errors"] == [], payload
        return payload["ctg"]  # type: ignore[no-any-return]

    async def add_signatory(self, ctg: dict[str, Any], ref: str) -> dict[str, Any]:
        payload = await mutate(
            self.client,
            ADD_SIGNATORY,
            self.caf,
            schemeId=ctg["id"],
            schemeVersion=await self.version(ctg),
            organisationId=gid("Organisation", await organisation_id(self.owner, ref)),
            role="Signataire",
        )
        assert payload["errors"] == [], payload
        return payload

    async def sign_all(self, ctg: dict[str, Any]) -> None:
        for row in await sql(self.owner, SIGNATURES, id=row_id(ctg["id"])):
            payload = await mutate(
                self.client,
                RECORD_SIGNATURE,
                self.caf,
                id=gid("Signature", row["id"]),
                schemeVersion=await self.version(ctg),
                signedOn="2025-02-01",
            )
            assert payload["errors"] == [], payload

    async def signable(self, **fields: Any) -> dict[str, Any]:
        """A draft with everything signing needs."""
        ctg = await self.draft(**fields)
        await self.add_signatory(ctg, org.CAF_31)
        await self.add_signatory(ctg, PYRENEES.ref)
        await self.sign_all(ctg)
        return ctg

    async def version(self, ctg: dict[str, Any]) -> int:
        return int((await one(self.owner, ROW, id=int(key_of(ctg["id"]))))["version"])

    async def step(
        self, step: str, ctg: dict[str, Any], caller: dict[str, str] | None = None, **fields: Any
    ) -> dict[str, Any]:
        version = await self.version(ctg)
        return await mutate(
            self.client, STEPS[step], self.caf if caller is None else caller, id=ctg["id"], version=version, **fields
        )


@pytest.fixture
def ctgs(client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine) -> Ctgs:
    return Ctgs(client, graph_issuer, owner)


async def test_a_ctg_is_signed_activated_and_closed(ctgs: Ctgs, owner: AsyncEngine) -> None:
    ctg = await ctgs.signable()

    statuses = []
    for step in ("signCtg", "activateCtg", "closeCtg"):
        payload = await ctgs.step(step, ctg)
        assert payload["errors"] == [], payload
        statuses.append(payload["ctg"]["status"])

    assert statuses == ["SIGNED", "ACTIVE", "EXPIRED"]
    assert (await one(owner, ROW, id=row_id(ctg["id"])))["status"] == "expired"
    events = await sql(owner, EVENTS, id=row_id(ctg["id"]))
    assert [(event["entity"], event["changes"]["status"]) for event in events] == [
        ("ctg", ["draft", "signed"]),
        ("ctg", ["signed", "active"]),
        ("ctg", ["active", "expired"]),
    ]


async def test_an_active_ctg_is_superseded_by_the_one_that_takes_over(ctgs: Ctgs, owner: AsyncEngine) -> None:
    old = await ctgs.signable()
    for step in ("signCtg", "activateCtg"):
        assert (await ctgs.step(step, old))["errors"] == []
    new = await ctgs.signable(periodStart="2026-01-01")
    draft = await ctgs.draft()
    nantes = gid("Ctg", await scheme_id(owner, demo_ctgs.NANTES_METROPOLE))
    before = await footprint(owner)

    # a draft, the CTG itself, one the Caf cannot see or no CTG at all cannot take over
    for successor, code in ((draft["id"], "INVALID"), (old["id"], "INVALID"), (nantes, "NOT_FOUND")):
        refused = await ctgs.step("supersedeCtg", old, replacedById=successor)
        assert codes(refused) == [(code, "replacedById")], refused
    assert await footprint(owner) == before

    assert (await ctgs.step("signCtg", new))["errors"] == []
    payload = await ctgs.step("supersedeCtg", old, replacedById=new["id"])

    assert payload["errors"] == []
    assert (payload["ctg"]["status"], payload["ctg"]["supersededBy"]["id"]) == (
        "SUPERSEDED",
        gid("Scheme", key_of(new["id"])),
    )
    row = await one(owner, ROW, id=row_id(old["id"]))
    assert (row["status"], row["superseded_by_id"]) == ("superseded", row_id(new["id"]))
    (last,) = (await sql(owner, EVENTS, id=row_id(old["id"])))[-1:]
    assert last["changes"]["superseded_by_id"] == [None, row_id(new["id"])]


async def test_signing_is_refused_until_what_is_signed_is_complete(ctgs: Ctgs, owner: AsyncEngine) -> None:
    ctg = await ctgs.draft(themes=[], periodEnd=None)

    async def refused_on(field: str, words: str) -> None:
        before = await footprint(owner)
        payload = await ctgs.step("signCtg", ctg)
        assert codes(payload) == [("INVALID", field)], payload
        assert words in payload["errors"][0]["message"]
        assert await footprint(owner) == before

    async def update(**fields: Any) -> None:
        payload = await mutate(
            ctgs.client, UPDATE, ctgs.caf, **{"id": ctg["id"], "version": await ctgs.version(ctg), **fields}
        )
        assert payload["errors"] == [], payload

    await refused_on("themes", "thématique")
    await update(themes=["PARENTING"])
    await refused_on("periodEnd", "fin")
    await update(periodEnd="2029-12-31")
    await refused_on("signatures", "Caf du département 31")
    await ctgs.add_signatory(ctg, org.CAF_31)
    await refused_on("signatures", "EPCI")
    await ctgs.add_signatory(ctg, PYRENEES.ref)
    await refused_on("signatures", "Pas encore signé")
    await ctgs.sign_all(ctg)

    payload = await ctgs.step("signCtg", ctg)
    assert payload["errors"] == []
    assert payload["ctg"]["status"] == "SIGNED"


async def test_a_ctg_of_communes_is_signed_by_each_of_them(ctgs: Ctgs, owner: AsyncEngine) -> None:
    ctg = await ctgs.draft(epciId=None, communeIds=[gid("Commune", "31042"), gid("Commune", "31244")])
    await ctgs.add_signatory(ctg, org.CAF_31)
    await ctgs.add_signatory(ctg, org.BAGNERES_DE_LUCHON.ref)
    await ctgs.sign_all(ctg)

    missing = await ctgs.step("signCtg", ctg)
    assert codes(missing) == [("INVALID", "signatures")]
    assert "31244" in missing["errors"][0]["message"]

    await ctgs.add_signatory(ctg, org.JUZET_DE_LUCHON.ref)
    await ctgs.sign_all(ctg)
    assert (await ctgs.step("signCtg", ctg))["ctg"]["status"] == "SIGNED"


async def test_the_demo_draft_is_signed_once_its_five_signatories_have_signed(ctgs: Ctgs, owner: AsyncEngine) -> None:
    luchon = {"id": gid("Ctg", await scheme_id(owner, demo_ctgs.PAYS_DE_LUCHON))}

    unsigned = await ctgs.step("signCtg", luchon)
    assert codes(unsigned) == [("INVALID", "signatures")]
    await ctgs.sign_all(luchon)

    assert (await ctgs.step("signCtg", luchon))["ctg"]["status"] == "SIGNED"


async def test_a_ctg_becomes_active_from_the_first_day_of_its_period(ctgs: Ctgs, owner: AsyncEngine) -> None:
    ctg = await ctgs.signable(periodStart="2090-01-01", periodEnd="2094-12-31")
    assert (await ctgs.step("signCtg", ctg))["errors"] == []
    before = await footprint(owner)

    payload = await ctgs.step("activateCtg", ctg)

    assert codes(payload) == [("INVALID", "periodStart")]
    assert await footprint(owner) == before


async def test_a_signed_ctg_no_longer_takes_signatories(ctgs: Ctgs, owner: AsyncEngine) -> None:
    ctg = await ctgs.signable()
    assert (await ctgs.step("signCtg", ctg))["errors"] == []
    before = await footprint(owner)

    payload = await mutate(
        ctgs.client,
        ADD_SIGNATORY,
        ctgs.caf,
        schemeId=ctg["id"],
        schemeVersion=await ctgs.version(ctg),
        organisationId=gid("Organisation", await organisation_id(owner, org.DEPARTMENT_31)),
        role="Partenaire",
    )

    assert codes(payload) == [("INVALID", "schemeId")]
    assert await footprint(owner) == before


@pytest.fixture(scope="module")
async def in_each_status(client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine) -> dict[str, Any]:
    """A CTG of Haute-Garonne in each status, and a CTG that may take over from another."""
    ctgs = Ctgs(client, graph_issuer, owner)
    signed = await ctgs.signable()
    assert (await ctgs.step("signCtg", signed))["errors"] == []
    superseded = await ctgs.signable()
    for step, fields in (("signCtg", {}), ("activateCtg", {}), ("supersedeCtg", {"replacedById": signed["id"]})):
        assert (await ctgs.step(step, superseded, **fields))["errors"] == []
    return {
        "draft": await ctgs.draft(),
        "signed": signed,
        "active": {"id": gid("Ctg", await scheme_id(owner, demo_ctgs.MURETAIN))},
        "expired": {"id": gid("Ctg", await scheme_id(owner, demo_ctgs.SICOVAL))},
        "superseded": superseded,
        "successor": signed,
    }


ILLEGAL = [
    ("draft", "activateCtg", "active", "signCtg → signed"),
    ("draft", "closeCtg", "expired", "signCtg → signed"),
    ("draft", "supersedeCtg", "superseded", "signCtg → signed"),
    ("signed", "signCtg", "signed", "activateCtg → active"),
    ("signed", "closeCtg", "expired", "activateCtg → active"),
    ("signed", "supersedeCtg", "superseded", "activateCtg → active"),
    ("active", "signCtg", "signed", "closeCtg → expired, supersedeCtg → superseded"),
    ("active", "activateCtg", "active", "closeCtg → expired, supersedeCtg → superseded"),
    ("expired", "signCtg", "signed", "none: it is final"),
    ("expired", "activateCtg", "active", "none: it is final"),
    ("expired", "closeCtg", "expired", "none: it is final"),
    ("expired", "supersedeCtg", "superseded", "none: it is final"),
    ("superseded", "signCtg", "signed", "none: it is final"),
    ("superseded", "activateCtg", "active", "none: it is final"),
    ("superseded", "closeCtg", "expired", "none: it is final"),
    ("superseded", "supersedeCtg", "superseded", "none: it is final"),
]


@pytest.mark.parametrize(("status", "step", "to", "options"), ILLEGAL, ids=[f"{s} {m}" for s, m, _, _ in ILLEGAL])
async def test_an_illegal_move_says_what_is_possible_and_changes_nothing(
    ctgs: Ctgs, owner: AsyncEngine, in_each_status: dict[str, Any], status: str, step: str, to: str, options: str
) -> None:
    ctg = in_each_status[status]
    before = await footprint(owner)
    fields = {"replacedById": in_each_status["successor"]["id"]} if step == "supersedeCtg" else {}

    payload = await ctgs.step(step, ctg, **fields)

    assert codes(payload) == [("ILLEGAL_TRANSITION", None)]
    current, target = status.upper(), to.upper()
    moves = re.sub(r"→ (\w+)", lambda move: f"→ {move[1].upper()}", options)
    why = f"{current} est un état final" if options == "none: it is final" else f"depuis {current} : {moves}"
    assert payload["errors"][0]["message"] == f"CTG : le passage de {current} à {target} n'existe pas ({why})"
    assert await footprint(owner) == before


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("caf-44-manager", "NOT_FOUND"),
        ("cnaf-analyst", "FORBIDDEN"),
        ("cnaf-manager", "FORBIDDEN"),
        ("epci-coordinator", "FORBIDDEN"),
        ("association-member", "NOT_FOUND"),
        ("council-44-member", "NOT_FOUND"),
        (None, "NOT_FOUND"),
    ],
)
async def test_only_the_caf_moves_a_ctg_along(
    ctgs: Ctgs,
    owner: AsyncEngine,
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    in_each_status: dict[str, Any],
    persona: str | None,
    code: str,
) -> None:
    toulouse = {"id": gid("Ctg", await scheme_id(owner, demo_ctgs.TOULOUSE_METROPOLE))}
    target = toulouse if persona == "epci-coordinator" else in_each_status["signed"]
    before = await footprint(owner)

    payload = await ctgs.step(
        "activateCtg" if target is not toulouse else "closeCtg", target, as_named(graph_issuer, persona)
    )

    assert codes(payload) == [(code, "id")]
    assert await footprint(owner) == before
