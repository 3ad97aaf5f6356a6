"""Messages in French by default and in English on request, for every code a mutation can refuse with; their
parameters as data beside them; both catalogues holding every message id the code uses, and no other.

The mutations refused here write nothing, so each is sent twice, in each language, on a demo database of the
module's own (tests/schema/writing.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.rules import WHO
from db.graph.mapping import NODES
from schema.messages import CATALOGUES, ENGLISH, FRENCH, negotiate
from tests.auth.issuer import LocalIssuer
from tests.schema.writing import as_named, client, gid, mutate, one, own_demo, owner, writable

__all__ = ["client", "own_demo", "owner", "writable"]

ROOT = Path(__file__).resolve().parents[2]
ERRORS = "errors { field code message currentVersion messageId parameters }"
CREATE = f"mutation ($input: CreateOrganisationInput!) {{ createOrganisation(input: $input) {{ {ERRORS} }} }}"
UPDATE = f"mutation ($input: UpdateOrganisationInput!) {{ updateOrganisation(input: $input) {{ {ERRORS} }} }}"
ARCHIVE = f"mutation ($input: ArchiveOrganisationInput!) {{ archiveOrganisation(input: $input) {{ {ERRORS} }} }}"
OPEN = """
mutation ($input: OpenReportingCampaignInput!) { openReportingCampaign(input: $input) { campaign { id version } } }
"""
CLOSE = f"""
mutation ($input: ReportingCampaignVersionInput!) {{ closeReportingCampaign(input: $input) {{
  campaign {{ version }} {ERRORS} }} }}
"""
BY_REF = "SELECT id, version FROM organisation WHERE ref = :ref"
PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"


def _in(language: str | None, headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Accept-Language": language} if language else headers


async def _refusal(
    client: httpx.AsyncClient, document: str, headers: dict[str, str], language: str | None, **fields: Any
) -> dict[str, Any]:
    payload = await mutate(client, document, _in(language, headers), **fields)
    (error,) = payload["errors"]
    return error  # type: ignore[no-any-return]


async def _organisation(owner: AsyncEngine, ref: str) -> dict[str, Any]:
    row = await one(owner, BY_REF, ref=ref)
    return {"id": gid("Organisation", row["id"]), "version": row["version"]}


async def _both(
    client: httpx.AsyncClient, document: str, headers: dict[str, str], **fields: Any
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The refusal with no Accept-Language, in English, and with a language the service does not speak."""
    french = await _refusal(client, document, headers, None, **fields)
    english = await _refusal(client, document, headers, "en-GB,en;q=0.9,fr;q=0.5", **fields)
    other = await _refusal(client, document, headers, "de", **fields)
    assert {key: value for key, value in french.items() if key != "message"} == {
        key: value for key, value in english.items() if key != "message"
    }
    assert other == french
    return french, english, french["parameters"]


async def test_not_found_in_french_and_english(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await _organisation(owner, PARENTS_ENSEMBLE)
    french, english, parameters = await _both(client, ARCHIVE, as_named(graph_issuer, "caf-44-manager"), **organisation)
    assert (french["code"], french["messageId"]) == ("NOT_FOUND", "not_found")
    assert french["message"] == "Organisation introuvable"
    assert english["message"] == "no such organisation"
    assert parameters == {"field": "id", "type": "Organisation"}


async def test_forbidden_in_french_and_english(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    caf = await _organisation(owner, "caf:31")
    french, english, parameters = await _both(client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), **caf)
    assert french["code"] == "FORBIDDEN"
    assert french["message"] == "Vous pouvez consulter cet élément (Organisation), pas le modifier"
    assert english["message"] == "you may read this organisation, not change it"
    assert parameters == {"field": "id", "type": "Organisation"}


async def test_in_use_in_french_and_english(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    carrier = await _organisation(owner, PARENTS_ENSEMBLE)
    french, english, _ = await _both(client, ARCHIVE, as_named(graph_issuer, "caf-31-agent"), **carrier)
    assert french["code"] == "IN_USE"
    assert french["message"].startswith("L'organisation porte des actions non archivées")
    assert english["message"].startswith("it carries actions that are not archived")


async def test_conflict_in_french_and_english_with_the_current_version(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    organisation = await _organisation(owner, PARENTS_ENSEMBLE)
    stale = organisation["version"] - 1
    french, english, parameters = await _both(
        client, UPDATE, as_named(graph_issuer, "caf-31-agent"), id=organisation["id"], version=stale, name="Plus tard"
    )
    assert (french["code"], french["currentVersion"]) == ("CONFLICT", organisation["version"])
    current = organisation["version"]
    assert french["message"] == (
        f"L'élément a changé depuis la version {stale} : il en est à la version {current} ; "
        "relisez-le avant de recommencer"
    )
    assert english["message"] == f"it changed since version {stale}: it is at version {current}; read it again"
    assert parameters == {"field": "version", "version": stale, "currentVersion": current}


async def test_invalid_in_french_and_english_naming_its_field(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer
) -> None:
    fields = {"kind": "ASSOCIATION", "name": "   ", "departmentId": gid("Department", "31")}
    french, english, parameters = await _both(client, CREATE, as_named(graph_issuer, "caf-31-agent"), **fields)
    assert (french["code"], french["field"], french["messageId"]) == ("INVALID", "name", "text.blank")
    assert french["message"] == "« name » ne peut pas être vide"
    assert english["message"] == "name may not be blank"
    assert parameters == {"field": "name"}


async def test_key_reused_in_french_and_english(client: httpx.AsyncClient, graph_issuer: LocalIssuer) -> None:
    headers = as_named(graph_issuer, "caf-44-manager")
    fields = {"kind": "ASSOCIATION", "name": "Demande unique", "departmentId": gid("Department", "44")}
    assert (await mutate(client, CREATE, headers, idempotencyKey="messages-1", **fields))["errors"] == []
    french, english, _ = await _both(client, CREATE, headers, idempotencyKey="messages-1", **fields, acronym="DU")
    assert french["code"] == "KEY_REUSED"
    assert french["message"] == "Cette clé d'idempotence a déjà servi à une autre requête"
    assert english["message"] == "this idempotency key was used for another request"


async def test_illegal_transition_in_french_and_english(client: httpx.AsyncClient, graph_issuer: LocalIssuer) -> None:
    caf = as_named(graph_issuer, "caf-31-agent")
    opened = await mutate(
        client,
        OPEN,
        caf,
        title="Campagne des messages",
        departmentId=gid("Department", "31"),
        periodStart="2024-01-01",
        periodEnd="2024-12-31",
        dueOn="2025-01-31",
    )
    campaign = opened["campaign"]
    closed = await mutate(client, CLOSE, caf, id=campaign["id"], version=campaign["version"])
    version = closed["campaign"]["version"]
    french, english, parameters = await _both(client, CLOSE, caf, id=campaign["id"], version=version)
    assert french["code"] == "ILLEGAL_TRANSITION"
    assert french["message"] == "La campagne est déjà à l'état CLOSED"
    assert english["message"] == "the campaign is already CLOSED"
    assert parameters == {"field": "id", "status": "CLOSED"}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, FRENCH),
        ("", FRENCH),
        ("en", ENGLISH),
        ("en-US,en;q=0.9", ENGLISH),
        ("fr-FR,fr;q=0.9,en;q=0.8", FRENCH),
        ("de-DE,en;q=0.5", ENGLISH),
        ("en;q=0.4,fr;q=0.6", FRENCH),
        ("de, es", FRENCH),
        ("*", FRENCH),
        ("en;q=nonsense", FRENCH),
    ],
)
def test_the_language_is_negotiated_french_unless_english_is_preferred(header: str | None, language: str) -> None:
    assert negotiate(header) == language


# Ids the catalogue resolves from data rather than from a literal in the code: GraphQL types (`type.Action`),
# relations to an object (`who.caf`) and the words that join them.
DYNAMIC = ("type.", "who.", "word.")
# Where each maker of a message takes its id.
MESSAGE_ARGUMENT = {
    "refused": 2,
    "Invalid": 1,
    "InputError": 1,
    "MessageError": 0,
    "Reason": 0,
    "ProtocolError": 1,
    "ParameterError": 1,
    "graphql_error_response": 1,
    "_Rejected": 1,
}


def _code() -> list[ast.Module]:
    return [
        ast.parse(path.read_text())
        for package in ("db", "schema", "server", "auth")
        for path in (ROOT / package).rglob("*.py")
    ]


def _ids_named_by_calls(modules: list[ast.Module]) -> set[str]:
    """The ids written as the message of `refused(...)`, `Invalid(...)` and the other makers of messages."""
    found: set[str] = set()
    for node in (node for module in modules for node in ast.walk(module)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_ARGUMENT:
            position = MESSAGE_ARGUMENT[node.func.id]
            argument = node.args[position] if len(node.args) > position else None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def _string_constants(modules: list[ast.Module]) -> set[str]:
    return {
        node.value
        for module in modules
        for node in ast.walk(module)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_both_catalogues_hold_the_same_ids_each_with_the_same_parameters() -> None:
    assert set(CATALOGUES[FRENCH]) == set(CATALOGUES[ENGLISH])
    for message_id, french in CATALOGUES[FRENCH].items():
        english = CATALOGUES[ENGLISH][message_id]
        assert set(re.findall(r"{(\w+)}", french)) <= set(re.findall(r"{(\w+)}", english)) | {"field"}, message_id


def test_every_message_id_the_code_uses_is_in_the_catalogue_and_every_id_is_used() -> None:
    modules = _code()
    named = _ids_named_by_calls(modules)
    assert "text.blank" in named, "the calls are no longer read"
    assert named - set(CATALOGUES[FRENCH]) == set()
    # Ids kept in tables (the database's refusals, the ids of a state machine's answers) count as used too.
    written = _string_constants(modules)
    assert {message_id for message_id in CATALOGUES[FRENCH] if not message_id.startswith(DYNAMIC)} - written == set()


def test_every_type_and_relation_a_message_names_has_its_words() -> None:
    types = set(NODES) | {"row"}
    assert {message_id for message_id in CATALOGUES[FRENCH] if message_id.startswith("type.")} == {
        f"type.{name}" for name in types
    }
    assert {message_id for message_id in CATALOGUES[FRENCH] if message_id.startswith("who.")} == {
        f"who.{relation.value}" for relation in WHO
    } | {"who.nobody"}


async def test_a_bad_argument_is_worded_in_the_request_language_with_its_parameters(client: httpx.AsyncClient) -> None:
    document = 'query { node(id: "bm9wZQ") { id } }'
    french = await client.post("/graphql", json={"query": document})
    english = await client.post("/graphql", json={"query": document}, headers={"Accept-Language": "en"})

    assert (french.headers["content-language"], english.headers["content-language"]) == (FRENCH, ENGLISH)
    assert "Accept-Language" in french.headers["vary"]
    (in_french,) = french.json()["errors"]
    (in_english,) = english.json()["errors"]
    assert in_french["message"] == "« id » : bm9wZQ n'est pas un identifiant Maillage"
    assert in_english["message"] == "id: bm9wZQ is not a Maillage ID"
    assert (
        in_french["extensions"]
        == in_english["extensions"]
        == {
            "code": "BAD_USER_INPUT",
            "argument": "id",
            "messageId": "argument.not_id",
            "parameters": {"argument": "id", "value": "bm9wZQ"},
        }
    )
