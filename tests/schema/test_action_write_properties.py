"""Generated inputs for createAction and reportIndicatorValue: whatever a client sends, the answer is an HTTP
200 with either the node written or typed `errors`, never a GraphQL error or a 500, and a refusal leaves
every table as it was.

Strings of any kind (empty, huge, NUL, half of a surrogate pair), dates in any order, amounts negative,
huge, not numbers or with too many decimals, IDs of rows that do not exist, are hidden or are of another
type. Each example is one HTTP request to the served application, on a demo database of the module's own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.schema.writing import (
    as_named,
    client,
    footprint,
    gid,
    holds_nul,
    one,
    own_demo,
    owner,
    send,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

CREATE = """
mutation Create($input: CreateActionInput!) {
  createAction(input: $input) {
    action { id number title status budget cafFunding partners { totalCount } objectivesServed { totalCount } }
    errors { field code message currentVersion }
  }
}
"""
REPORT = """
mutation Report($input: ReportIndicatorValueInput!) {
  reportIndicatorValue(input: $input) {
    indicatorValue { id periodStart periodEnd value comment version }
    errors { field code message currentVersion }
  }
}
"""

# The rows the generated references point at: ones the Caf 31 agent and the association see, ones they do not.
REFERENCES = {
    ("Ctg", "seen"): "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = '243100518'",
    ("Ctg", "hidden"): "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = '244400404'",
    ("Organisation", "seen"): "SELECT id FROM organisation WHERE ref = 'demo:association:parents-ensemble-31'",
    (
        "Organisation",
        "other",
    ): "SELECT id FROM organisation WHERE ref = 'demo:association:centre-social-les-passerelles'",
    (
        "Organisation",
        "hidden",
    ): "SELECT id FROM organisation WHERE ref = 'demo:association:maison-des-parents-loire-ocean'",
    ("SchemeObjective", "seen"): """
        SELECT min(o.id) AS id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
        WHERE s.kind = 'CTG' AND s.epci_siren = '243100518'""",
    ("SchemeObjective", "hidden"): """
        SELECT min(o.id) AS id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
        WHERE s.kind = 'CTG' AND s.epci_siren = '244400404'""",
    ("Indicator", "seen"): """
        SELECT min(i.id) AS id FROM indicator i JOIN action a ON a.id = i.action_id
        JOIN organisation o ON o.id = a.carrier_id WHERE o.ref = 'demo:association:parents-ensemble-31'""",
    ("Indicator", "hidden"): """
        SELECT min(i.id) AS id FROM indicator i JOIN action a ON a.id = i.action_id
        JOIN scheme s ON s.id = a.ctg_id WHERE s.department_code = '44'""",
}
CODES = {"NOT_FOUND", "FORBIDDEN", "CONFLICT", "INVALID", "ILLEGAL_TRANSITION", "IN_USE", "KEY_REUSED"}
THEMES = ("EARLY_CHILDHOOD", "CHILDHOOD", "YOUTH", "PARENTING", "SOCIAL_LIFE", "ACCESS_TO_RIGHTS", "HOUSING")

EXAMPLES = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Mostly values a careful client sends, so that many examples get as far as writing; then anything.
plain_texts = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=60).filter(str.strip)
strange_texts = st.sampled_from(
    ["", "   ", "\x00", "avant\x00après", "\ud800", "fin \udfff", "x" * 301, "x" * 10_001, "🙂" * 301, "'; --"]
)
texts = st.one_of(
    plain_texts, plain_texts, plain_texts, st.text(max_size=40), st.text(min_size=290, max_size=310), strange_texts
)
optional_texts = st.one_of(st.none(), texts)
plain_amounts = st.decimals(min_value=0, max_value=10**6, places=2).map(str)
amounts = st.one_of(
    plain_amounts,
    plain_amounts,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.sampled_from(["-0", "0.001", "1e12", "999999999999.99", "1e-30", "sNaN", "-Infinity", "1_000"]),
    st.floats(allow_nan=False, allow_infinity=False),
)
optional_amounts = st.one_of(st.none(), amounts)
iso_dates = st.dates().map(date.isoformat)


def references(type_name: str, *kinds: str) -> st.SearchStrategy[tuple[str, str]]:
    """What a generated ID points at: one of the rows named in REFERENCES (the first most often), no row, a
    row of another type, or no ID at all."""
    named = [(type_name, kind) for kind in kinds]
    return st.sampled_from([*named[:1] * 6, *named, (type_name, "missing"), ("Action", "seen"), ("", "garbage")])


create_inputs = st.fixed_dictionaries(
    {
        "ctgId": references("Ctg", "seen", "hidden"),
        "title": texts,
        "theme": st.sampled_from(THEMES),
        "carrierId": references("Organisation", "seen", "hidden"),
        "periodStart": iso_dates,
    },
    optional={
        "periodEnd": st.one_of(st.none(), iso_dates),
        "number": st.one_of(st.none(), st.none(), st.integers(min_value=-(2**31), max_value=2**31 - 1)),
        "description": optional_texts,
        "objectives": optional_texts,
        "targetPublic": optional_texts,
        "budget": optional_amounts,
        "cafFunding": optional_amounts,
        "partners": st.lists(
            st.fixed_dictionaries(
                {"organisationId": references("Organisation", "other", "seen", "hidden")},
                optional={"role": optional_texts},
            ),
            max_size=3,
        ),
        "objectiveIds": st.lists(references("SchemeObjective", "seen", "hidden"), max_size=3),
        "idempotencyKey": st.one_of(st.none(), st.sampled_from(["k1", "k2"]), texts),
    },
)

report_inputs = st.fixed_dictionaries(
    {
        "indicatorId": references("Indicator", "seen", "hidden"),
        "periodStart": iso_dates,
        "periodEnd": iso_dates,
        "value": amounts,
    },
    optional={"comment": optional_texts, "version": st.one_of(st.none(), st.integers(min_value=-5, max_value=5))},
)


@pytest.fixture(scope="module")
async def ids(owner: AsyncEngine) -> dict[tuple[str, str], str]:
    """The global ID each generated reference stands for."""
    found = {
        reference: gid(reference[0], (await one(owner, statement))["id"]) for reference, statement in REFERENCES.items()
    }
    types = {type_name for type_name, _kind in REFERENCES}
    return {
        **found,
        **{(type_name, "missing"): gid(type_name, 10**15) for type_name in types},
        ("Action", "seen"): gid("Action", 1),
        ("", "garbage"): "pas un identifiant",
    }


def _resolved(value: Any, ids: dict[tuple[str, str], str]) -> Any:
    """The input with each generated reference replaced by its global ID."""
    if isinstance(value, tuple):
        return ids[value]
    if isinstance(value, dict):
        return {name: _resolved(item, ids) for name, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, ids) for item in value]
    return value


async def _answered(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    document: str,
    persona: str,
    fields: dict[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, Any]]:
    """Send the mutation; check the response is a 200 holding data and no GraphQL error, and that a refusal is
    typed and left every table as it was. The node written (None if refused), and the counts before and after."""
    before = await footprint(owner)
    response, body = await send(client, document, as_named(graph_issuer, persona), input=fields)
    after = await footprint(owner)
    assert response.status_code == 200, response.text
    if holds_nul(fields):
        # text no column may hold is bad input, refused before anything runs (tests/schema/test_nul_input.py)
        assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"], body
        assert after == before
        return None, before, after
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    event(" ".join(f"{error['code']} {error['field']}" for error in payload["errors"]) or "written")
    (node,) = (value for name, value in payload.items() if name != "errors")
    for error in payload["errors"]:
        assert error["code"] in CODES
        assert error["message"]
    if payload["errors"]:
        assert node is None
        assert after == before
        return None, before, after
    return node, before, after


@given(
    fields=create_inputs,
    persona=st.sampled_from(["caf-31-agent", "caf-31-agent", "epci-coordinator", "association-member"]),
)
@EXAMPLES
async def test_create_action_answers_any_input_with_an_action_or_typed_errors(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    ids: dict[tuple[str, str], str],
    fields: dict[str, Any],
    persona: str,
) -> None:
    action, before, after = await _answered(client, owner, graph_issuer, CREATE, persona, _resolved(fields, ids))

    if action is None:
        return
    if after["actions"] == before["actions"]:
        # A retry of an earlier example's key: the first action again, nothing more.
        assert fields.get("idempotencyKey") is not None
        assert after == before
    else:
        assert action["status"] == "DRAFT"
        assert after["actions"] == before["actions"] + 1
        assert after["events"] == before["events"] + 1
        assert action["partners"]["totalCount"] == len(fields.get("partners") or [])


@given(
    fields=report_inputs,
    persona=st.sampled_from(["association-member", "association-member", "caf-31-agent", "cnaf-analyst"]),
)
@EXAMPLES
async def test_report_indicator_value_answers_any_input_with_a_value_or_typed_errors(
    client: httpx.AsyncClient,
    owner: AsyncEngine,
    graph_issuer: LocalIssuer,
    ids: dict[tuple[str, str], str],
    fields: dict[str, Any],
    persona: str,
) -> None:
    value, before, after = await _answered(client, owner, graph_issuer, REPORT, persona, _resolved(fields, ids))

    if value is None:
        return
    assert Decimal(value["value"]) == Decimal(str(fields["value"]))
    assert value["periodEnd"] >= value["periodStart"]
    if fields.get("version") is None:
        assert value["version"] == 1
        assert after["indicator_values"] == before["indicator_values"] + 1
    else:
        assert value["version"] >= fields["version"]
        assert after["indicator_values"] == before["indicator_values"]
