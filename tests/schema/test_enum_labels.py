"""Every value of every enum of the schema has a label in French and in English, and `enumLabels` answers in the
request's language: French by default, English on request."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from graphql import GraphQLEnumType
from sqlalchemy.engine import URL

from db.labels import LABELS, VOCABULARIES
from schema import schema
from tests.conftest import serve_app

SCHEMA_ENUMS = {
    name: set(type_.values)
    for name, type_ in schema._schema.type_map.items()
    if isinstance(type_, GraphQLEnumType) and not name.startswith("__")
}
LABELS_OF = "query ($enums: [String!]) { enumLabels(enums: $enums) { enum value label } }"


def test_every_enum_of_the_schema_has_a_vocabulary_and_no_vocabulary_is_left_over() -> None:
    assert {"ActionStatus", "Role", "Theme"} <= set(SCHEMA_ENUMS)
    assert set(VOCABULARIES) == set(SCHEMA_ENUMS)


@pytest.mark.parametrize("enum", sorted(SCHEMA_ENUMS))
def test_every_value_has_a_french_and_an_english_label(enum: str) -> None:
    assert set(VOCABULARIES[enum]) == SCHEMA_ENUMS[enum]
    for label in VOCABULARIES[enum].values():
        assert all(text and text.strip() == text for text in (label.fr, label.en)), label


def test_the_exports_labels_are_the_french_ones_by_stored_value() -> None:
    for enum, labels in LABELS.items():
        assert labels == {member.value: VOCABULARIES[enum.__name__][member.name].fr for member in enum}


@pytest.fixture(scope="module")
async def demo(demo_database: URL) -> AsyncIterator[str]:
    async with serve_app(demo_database) as base_url:
        yield base_url


@pytest.fixture
async def client(demo: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=demo, timeout=30) as http:
        yield http


async def _labels(client: httpx.AsyncClient, enums: list[str] | None, language: str | None) -> list[dict[str, str]]:
    headers = {"Accept-Language": language} if language else {}
    response = await client.post("/graphql", json={"query": LABELS_OF, "variables": {"enums": enums}}, headers=headers)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["enumLabels"]  # type: ignore[no-any-return]


async def test_labels_are_french_by_default_and_english_on_request(client: httpx.AsyncClient) -> None:
    french = await _labels(client, ["ActionStatus", "Theme"], None)
    english = await _labels(client, ["ActionStatus", "Theme"], "en-GB,en;q=0.9")

    assert [(row["enum"], row["value"]) for row in french] == [(row["enum"], row["value"]) for row in english]
    assert {(row["enum"], row["value"]) for row in french} == {
        (enum, value) for enum in ("ActionStatus", "Theme") for value in SCHEMA_ENUMS[enum]
    }
    assert {"enum": "ActionStatus", "value": "IN_PROGRESS", "label": "En cours"} in french
    assert {"enum": "ActionStatus", "value": "IN_PROGRESS", "label": "In progress"} in english
    assert {"enum": "Theme", "value": "PARENTING", "label": "Soutien à la parentalité"} in french


async def test_without_names_every_enum_is_labelled(client: httpx.AsyncClient) -> None:
    every = await _labels(client, None, "en")
    assert {(row["enum"], row["value"]) for row in every} == {
        (enum, value) for enum, values in SCHEMA_ENUMS.items() for value in values
    }


async def test_an_unknown_enum_is_bad_input_worded_in_the_request_language(client: httpx.AsyncClient) -> None:
    body = {"query": LABELS_OF, "variables": {"enums": ["Theme", "Couleur"]}}
    french = (await client.post("/graphql", json=body)).json()
    english = (await client.post("/graphql", json=body, headers={"Accept-Language": "en"})).json()

    (in_french,) = french["errors"]
    (in_english,) = english["errors"]
    assert (
        in_french["extensions"]
        == in_english["extensions"]
        == {
            "code": "BAD_USER_INPUT",
            "argument": "enums",
            "messageId": "argument.unknown_enum",
            "parameters": {"argument": "enums", "value": "Couleur"},
        }
    )
    assert in_french["message"] == "« enums » : Couleur n'est pas une énumération de l'API"
    assert in_english["message"] == "enums: Couleur is not one of the API's enums"
