"""Values that do not read as their type, in a variable or a literal: each a `BAD_USER_INPUT` naming where it
stands, with its message id and parameters, in French by default and in English on request, and never
graphql-core's English with the scalar's internals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL

from tests.conftest import serve_app

FUNDING = "mutation ($input: AddFundingLineInput!) { addFundingLine(input: $input) { fundingLine { id } } }"
ACTIONS_ON = "query ($on: Date) { actions(filter: {activeOn: $on}) { totalCount } }"
ACTIONS_SINCE = "query ($since: DateTime) { actions(filter: {updatedSince: $since}) { totalCount } }"
ACTIONS_STATUSES = "query ($statuses: [ActionStatus!]) { actions(filter: {statuses: $statuses}) { totalCount } }"
ACTIONS_FIRST = "query ($first: Int) { actions(first: $first) { totalCount } }"
ACTIONS_CTG = "query ($ctg: ID) { actions(filter: {ctg: $ctg}) { totalCount } }"
NODE = "query ($id: ID!) { node(id: $id) { id } }"
INTERNALS = ("Value cannot represent", "cannot represent", "Expected value", "Invalid", "must be in", "isoformat")


@pytest.fixture(scope="module")
async def demo(demo_database: URL) -> AsyncIterator[str]:
    async with serve_app(demo_database) as base_url:
        yield base_url


@pytest.fixture
async def client(demo: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=demo, timeout=30) as http:
        yield http


def _funding(planned: Any) -> dict[str, Any]:
    return {"year": 2025, "funderId": "x", "type": "PRESTATION_DE_SERVICE", "planned": planned}


async def _error(client: httpx.AsyncClient, document: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The one error, asked in French (no Accept-Language) and in English: the same but for the message."""
    body = {"query": document, "variables": variables or {}}
    french = (await client.post("/graphql", json=body)).json()
    english = (await client.post("/graphql", json=body, headers={"Accept-Language": "en"})).json()
    assert "data" not in french or french["data"] is None
    (in_french,) = french["errors"]
    (in_english,) = english["errors"]
    assert in_french["extensions"] == in_english["extensions"]
    assert in_french["extensions"]["code"] == "BAD_USER_INPUT"
    for message in (in_french["message"], in_english["message"]):
        assert not any(internal in message for internal in INTERNALS), message
    return in_french, in_english


async def test_a_decimal_with_a_comma_in_a_variable(client: httpx.AsyncClient) -> None:
    french, english = await _error(client, FUNDING, {"input": _funding("12,5")})
    assert french["extensions"] == {
        "code": "BAD_USER_INPUT",
        "variable": "input",
        "messageId": "input.Decimal",
        "parameters": {"where": "$input.planned", "value": "12,5"},
    }
    assert french["message"].startswith("« $input.planned » : « 12,5 » n'est pas un nombre décimal")
    assert english["message"].startswith('$input.planned: "12,5" is not a decimal number')


async def test_a_decimal_with_a_comma_in_a_literal(client: httpx.AsyncClient) -> None:
    document = (
        'mutation { addFundingLine(input: {year: 2025, funderId: "x", type: PRESTATION_DE_SERVICE, planned: "12,5"})'
        " { fundingLine { id } } }"
    )
    french, english = await _error(client, document)
    assert french["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "input",
        "messageId": "input.Decimal",
        "parameters": {"where": "input.planned", "value": "12,5"},
    }
    assert "n'est pas un nombre décimal" in french["message"]
    assert "is not a decimal number" in english["message"]


@pytest.mark.parametrize(
    ("document", "variables", "message_id", "parameters", "french", "english"),
    [
        (
            ACTIONS_ON,
            {"on": "2025-13-01"},
            "input.Date",
            {"where": "$on", "value": "2025-13-01"},
            "« $on » : « 2025-13-01 » n'est pas une date",
            '$on: "2025-13-01" is not a date',
        ),
        (
            ACTIONS_SINCE,
            {"since": "hier"},
            "input.DateTime",
            {"where": "$since", "value": "hier"},
            "« $since » : « hier » n'est pas une date et heure",
            '$since: "hier" is not a date and time',
        ),
        (
            ACTIONS_CTG,
            {"ctg": 1.5},
            "input.ID",
            {"where": "$ctg", "value": "1.5"},
            "« $ctg » : « 1.5 » n'est pas un identifiant",
            '$ctg: "1.5" is not an ID',
        ),
        (
            ACTIONS_FIRST,
            {"first": "dix"},
            "input.Int",
            {"where": "$first", "value": "dix"},
            "« $first » : « dix » n'est pas un nombre entier",
            '$first: "dix" is not a whole number',
        ),
        (
            ACTIONS_FIRST,
            {"first": 2**40},
            "input.Int.range",
            {"where": "$first", "value": 2**40, "minimum": -(2**31), "maximum": 2**31 - 1},
            "« $first » : 1\u202f099\u202f511\u202f627\u202f776 est hors des bornes d'un entier",
            "$first: 1,099,511,627,776 is out of the range of an integer",
        ),
        (
            ACTIONS_STATUSES,
            {"statuses": ["DONE", "FINI"]},
            "input.enum",
            {"where": "$statuses[1]", "value": "FINI", "enum": "ActionStatus"},
            "« $statuses[1] » : « FINI » n'est pas une valeur de ActionStatus",
            '$statuses[1]: "FINI" is not a value of ActionStatus',
        ),
        (NODE, {}, "input.required", {"where": "$id"}, "« $id » est obligatoire", "$id is required"),
    ],
)
async def test_each_scalar_in_a_variable(
    client: httpx.AsyncClient,
    document: str,
    variables: dict[str, Any],
    message_id: str,
    parameters: dict[str, Any],
    french: str,
    english: str,
) -> None:
    in_french, in_english = await _error(client, document, variables)
    variable = document.split("$")[1].split(":")[0]
    assert in_french["extensions"] == {
        "code": "BAD_USER_INPUT",
        "variable": variable,
        "messageId": message_id,
        "parameters": parameters,
    }
    assert in_french["message"].startswith(french), in_french["message"]
    assert in_english["message"].startswith(english), in_english["message"]


@pytest.mark.parametrize(
    ("literal", "argument", "message_id", "parameters"),
    [
        (
            'filter: {activeOn: "31/03/2025"}',
            "filter",
            "input.Date",
            {"where": "filter.activeOn", "value": "31/03/2025"},
        ),
        (
            'filter: {updatedSince: "2025-03-31 25:00"}',
            "filter",
            "input.DateTime",
            {"where": "filter.updatedSince", "value": "2025-03-31 25:00"},
        ),
        (
            "filter: {statuses: [FINI]}",
            "filter",
            "input.enum",
            {"where": "filter.statuses[0]", "value": "FINI", "enum": "ActionStatus"},
        ),
        (
            "first: 99999999999",
            "first",
            "input.Int.range",
            {"where": "first", "value": 99999999999, "minimum": -(2**31), "maximum": 2**31 - 1},
        ),
        ('first: "dix"', "first", "input.Int", {"where": "first", "value": "dix"}),
        ("filter: {ctg: 1.5}", "filter", "input.ID", {"where": "filter.ctg", "value": "1.5"}),
        ("filter: {nope: 1}", "filter", "input.unknown_field", {"where": "filter", "name": "nope"}),
    ],
)
async def test_each_scalar_in_a_literal(
    client: httpx.AsyncClient, literal: str, argument: str, message_id: str, parameters: dict[str, Any]
) -> None:
    in_french, in_english = await _error(client, f"query {{ actions({literal}) {{ totalCount }} }}")
    assert in_french["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": argument,
        "messageId": message_id,
        "parameters": parameters,
    }
    assert in_french["message"].startswith(f"« {parameters['where']} »"), in_french["message"]
    assert in_english["message"].startswith(f"{parameters['where']}"), in_english["message"]
    assert in_french["message"] != in_english["message"]
