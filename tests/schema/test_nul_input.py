"""Text no column may hold (a NUL character) is bad input in any mutation: refused before anything runs, with a
typed error naming the argument, and nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.writing import as_named, client, footprint, gid, own_demo, owner, send, writable

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ERRORS = "errors { field code }"
# mutation → (document, its input with a NUL in one text, the argument named)
MUTATIONS: dict[str, tuple[str, dict[str, Any], str]] = {
    "createAction": (
        f"mutation ($input: CreateActionInput!) {{ createAction(input: $input) {{ action {{ id }} {ERRORS} }} }}",
        {
            "ctgId": gid("Ctg", 12),
            "title": "titre\x00nul",
            "theme": "YOUTH",
            "carrierId": gid("Organisation", 1),
            "periodStart": "2026-09-01",
        },
        "title",
    ),
    "updateAction": (
        f"mutation ($input: UpdateActionInput!) {{ updateAction(input: $input) {{ action {{ id }} {ERRORS} }} }}",
        {"id": gid("Action", 1), "version": 1, "description": "avant\x00après"},
        "description",
    ),
    "reportIndicatorValue": (
        "mutation ($input: ReportIndicatorValueInput!) { reportIndicatorValue(input: $input) "
        f"{{ indicatorValue {{ id }} {ERRORS} }} }}",
        {
            "indicatorId": gid("Indicator", 1),
            "periodStart": "2026-01-01",
            "periodEnd": "2026-12-31",
            "value": "1",
            "comment": "nul\x00",
        },
        "comment",
    ),
    "createOrganisation": (
        "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) "
        f"{{ organisation {{ id }} {ERRORS} }} }}",
        {"kind": "ASSOCIATION", "name": "Nul\x00", "departmentId": gid("Department", "31")},
        "name",
    ),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_a_nul_character_is_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, owner: AsyncEngine, graph_issuer: LocalIssuer, mutation: str
) -> None:
    # given a mutation a Caf agent could make, but for a NUL in one of its texts
    document, fields, argument = MUTATIONS[mutation]
    before = await footprint(owner)

    # when it is sent
    response, body = await send(client, document, as_named(graph_issuer, "caf-31-agent"), input=fields)

    # then it is refused as bad input naming that argument, before anything was written
    assert response.status_code == 200, response.text
    (error,) = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["argument"]) == ("BAD_USER_INPUT", argument)
    assert "Traceback" not in response.text
    assert body.get("data") is None
    assert await footprint(owner) == before
