"""Property-based: whatever createCtg and updateScheme are given — any text, dates in any order, unknown or
malformed IDs, odd combinations of enums — the answer is a 200 with the node or typed errors, never an internal
error, and a refused input leaves the database as it was."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import organisations as org
from db.demo import schemes as demo
from db.models.enums import SchemeKind, Theme
from tests.auth.issuer import LocalIssuer
from tests.schema.writing import (
    as_named,
    client,
    footprint,
    gid,
    holds_nul,
    mutate,
    one,
    own_demo,
    owner,
    post,
    row_id,
    scheme_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

ERRORS = "errors { field code message currentVersion }"
CREATE_CTG = f"""
mutation ($input: CreateCtgInput!) {{ createCtg(input: $input) {{ ctg {{ id status themes version }} {ERRORS} }} }}
"""
CREATE_SCHEME = (
    f"mutation ($input: CreateSchemeInput!) {{ createScheme(input: $input) {{ scheme {{ id version }} {ERRORS} }} }}"
)
UPDATE_SCHEME = f"""
mutation ($input: UpdateSchemeInput!) {{ updateScheme(input: $input) {{ scheme {{ id title version }} {ERRORS} }} }}
"""
CODES = {"NOT_FOUND", "FORBIDDEN", "CONFLICT", "INVALID", "ILLEGAL_TRANSITION", "IN_USE", "KEY_REUSED"}
PROPERTIES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.text(max_size=320)
days = st.dates().map(lambda day: day.isoformat())
int32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)
# IDs that exist, exist elsewhere, do not exist, or are not IDs at all.
ids = st.one_of(
    st.sampled_from(
        [
            gid("Epci", org.PYRENEES_HAUT_GARONNAISES.siren),
            gid("Epci", org.NANTES_METROPOLE.siren),
            gid("Epci", "000000000"),
            gid("Commune", "31042"),
            gid("Commune", "44109"),
            gid("Commune", "3l042"),
            gid("Department", "31"),
            gid("Scheme", 1),
            gid("Scheme", 10**17),
            gid("Ctg", 1),
            gid("Organisation", 1),
        ]
    ),
    texts,
)
themes = st.lists(st.sampled_from([theme.name for theme in Theme]), max_size=12)
# Plausible values too, so that inputs are accepted as well as refused.
some_texts = st.one_of(st.text(min_size=1, max_size=80), texts)
some_days = st.one_of(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)).map(date.isoformat), days)
some_themes = st.one_of(st.lists(st.sampled_from([theme.name for theme in Theme]), max_size=4, unique=True), themes)
territories = st.one_of(
    st.just({"epciId": gid("Epci", org.PYRENEES_HAUT_GARONNAISES.siren)}),
    st.fixed_dictionaries(
        {
            "communeIds": st.lists(
                st.sampled_from(["31042", "31500", "31360", "31244"]).map(lambda code: gid("Commune", code)),
                min_size=1,
                max_size=3,
                unique=True,
            )
        }
    ),
    st.fixed_dictionaries(
        {},
        optional={"epciId": st.one_of(st.none(), ids), "communeIds": st.one_of(st.none(), st.lists(ids, max_size=4))},
    ),
)


def _is_typed_refusal_or_success(payload: dict[str, Any], node: str) -> bool:
    # `--hypothesis-show-statistics` shows how often each outcome was met.
    event(" ".join(f"{error['code']} {error['field']}" for error in payload["errors"]) or "accepted")
    if payload["errors"]:
        assert payload[node] is None
        assert {error["code"] for error in payload["errors"]} <= CODES
        assert all(error["message"] for error in payload["errors"])
        return False
    assert payload[node] is not None
    return True


@PROPERTIES
@given(
    data=st.tuples(
        st.fixed_dictionaries(
            {"title": some_texts, "periodStart": some_days, "themes": some_themes},
            optional={
                "periodEnd": st.one_of(st.none(), some_days),
                "summary": st.one_of(st.none(), texts),
                "replacesCejId": st.one_of(st.none(), ids),
                "idempotencyKey": st.one_of(st.none(), st.sampled_from(["k1", "k2"]), texts),
                "parentId": ids,
            },
        ),
        territories,
    ).map(lambda parts: {**parts[0], **parts[1]}),
    persona=st.sampled_from(["caf-31-agent", "caf-31-agent", "caf-44-manager", "cnaf-manager", None]),
    real_parent=st.booleans(),
)
async def test_create_ctg_answers_a_ctg_or_typed_errors_and_a_refusal_changes_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    data: dict[str, Any],
    persona: str | None,
    real_parent: bool,
) -> None:
    if real_parent or "parentId" not in data:
        data["parentId"] = gid("Scheme", await scheme_id(owner, demo.SDSF_31))
    before = await footprint(owner)

    body = await post(client, CREATE_CTG, as_named(graph_issuer, persona), input=data)

    if holds_nul(data):
        # text no column may hold is bad input, refused before anything runs (tests/schema/test_nul_input.py)
        assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"], body
        assert await footprint(owner) == before
        return
    assert "errors" not in body, body
    created = _is_typed_refusal_or_success(body["data"]["createCtg"], "ctg")
    after = await footprint(owner)
    if not created:
        assert after == before
    else:
        replayed = after["schemes"] == before["schemes"]  # a key used by an earlier example replays its CTG
        assert after["schemes"] == before["schemes"] + (0 if replayed else 1)
        assert after["events"] == before["events"] + (0 if replayed else 1)


@PROPERTIES
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "title": st.one_of(st.none(), some_texts),
            "summary": st.one_of(st.none(), texts),
            "periodStart": st.one_of(st.none(), some_days),
            "periodEnd": st.one_of(st.none(), some_days),
            "parentId": st.one_of(st.none(), ids),
            "sourceUrl": st.one_of(st.none(), texts, st.just("https://caf.example/sdsf.pdf")),
        },
    ),
    stale=st.one_of(st.none(), st.none(), int32),
    persona=st.sampled_from(["caf-31-agent", "caf-31-agent", "caf-31-agent", "caf-44-manager", "cnaf-analyst"]),
    kind=st.sampled_from([SchemeKind.SDSF, SchemeKind.SDAVS, SchemeKind.EDUCATION_CHARTER]),
)
async def test_update_scheme_answers_the_scheme_or_typed_errors_and_a_refusal_changes_nothing(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    data: dict[str, Any],
    stale: int | None,
    persona: str,
    kind: SchemeKind,
) -> None:
    # given a draft of department 31, at the version the database holds (or one a client made up)
    draft = await mutate(
        client,
        CREATE_SCHEME,
        as_named(graph_issuer, "caf-31-agent"),
        kind=kind.name,
        title="Schéma à l'épreuve",
        periodStart="2027-01-01",
        departmentId=gid("Department", "31"),
    )
    scheme = draft["scheme"]
    version = scheme["version"] if stale is None else stale
    before = await footprint(owner)

    body = await post(
        client, UPDATE_SCHEME, as_named(graph_issuer, persona), input={"id": scheme["id"], "version": version, **data}
    )

    if holds_nul(data):
        # text no column may hold is bad input, refused before anything runs (tests/schema/test_nul_input.py)
        assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"], body
        assert await footprint(owner) == before
        return
    assert "errors" not in body, body
    changed = _is_typed_refusal_or_success(body["data"]["updateScheme"], "scheme")
    after = await footprint(owner)
    if not changed:
        assert after == before
    else:
        row = await one(owner, "SELECT version FROM scheme WHERE id = :id", id=row_id(scheme["id"]))
        moved = row["version"] - scheme["version"]
        assert moved in (0, 1)
        assert after["events"] == before["events"] + moved
