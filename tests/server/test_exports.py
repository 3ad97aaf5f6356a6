"""GET /export/...: the files hold what GraphQL answers the same caller for the same filter, nothing more."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy.engine import URL

from auth.dev_personas import BY_NAME
from db.labels import label
from db.models.enums import ActionStatus, FacilityKind, FundingType, Theme
from schema.today import today
from server.app import create_app
from tests.auth.issuer import LocalIssuer
from tests.conftest import serve
from tests.schema.conftest import as_persona, trusting

ACTIONS = """
query Actions($filter: ActionFilterInput, $after: String) {
  actions(filter: $filter, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id number title theme status periodStart periodEnd progress budget cafFunding
      ctg { title } carrier { name }
    }
  }
}
"""
FACILITIES = """
query Facilities($filter: FacilityFilterInput, $after: String) {
  facilities(filter: $filter, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name kind capacity address email }
  }
}
"""
CTGS = """
query Ctgs($filter: SchemeFilterInput, $after: String) {
  ctgs(filter: $filter, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id title periodStart }
  }
}
"""
FUNDING = """
query Funding($filter: FundingFilterInput) {
  fundingStatistics(filter: $filter, groupBy: [TYPE]) { type lineCount planned }
}
"""

ACTION_HEADERS = [
    "Identifiant",
    "CTG",
    "Département",
    "N°",
    "Intitulé",
    "Thématique",
    "Statut",
    "Porteur",
    "Public cible",
    "Début",
    "Fin",
    "Avancement (%)",
    "Budget (€)",
    "Financement Caf (€)",
    "Dernière modification",
]


@pytest.fixture(scope="module")
async def service(demo_database: URL, server_issuer: LocalIssuer) -> AsyncIterator[str]:
    async with serve(create_app(trusting(server_issuer), demo_database)) as base_url:
        yield base_url


def client(base_url: str, issuer: LocalIssuer | None, persona: str | None) -> httpx.AsyncClient:
    headers = as_persona(issuer, BY_NAME[persona]) if issuer and persona else {}
    return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60)


async def every_node(http: httpx.AsyncClient, query: str, field: str, **variables: Any) -> list[dict[str, Any]]:
    """Every node of a connection, page after page."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        response = await http.post("/graphql", json={"query": query, "variables": {**variables, "after": after}})
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body
        connection = body["data"][field]
        nodes += connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


def csv_rows(response: httpx.Response) -> tuple[list[str], list[dict[str, str]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode()), "a BOM, so that Excel reads the accents"
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def xlsx_rows(response: httpx.Response) -> tuple[list[str], list[dict[str, Any]]]:
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    headers = [str(value) for value in header]
    return headers, [dict(zip(headers, row, strict=True)) for row in rows]


def money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def expected_action(node: dict[str, Any]) -> dict[str, Any]:
    """An action as GraphQL answered it, in the export's terms."""
    return {
        "Identifiant": node["id"],
        "CTG": node["ctg"]["title"],
        "N°": node["number"],
        "Intitulé": node["title"],
        "Thématique": label(Theme, Theme[node["theme"]]),
        "Statut": label(ActionStatus, ActionStatus[node["status"]]),
        "Porteur": node["carrier"]["name"],
        "Début": date.fromisoformat(node["periodStart"]),
        "Fin": date.fromisoformat(node["periodEnd"]) if node["periodEnd"] else None,
        "Avancement (%)": node["progress"],
        "Budget (€)": money(node["budget"]),
        "Financement Caf (€)": money(node["cafFunding"]),
    }


def action_from_csv(row: dict[str, str]) -> dict[str, Any]:
    return {
        "Identifiant": row["Identifiant"],
        "CTG": row["CTG"],
        "N°": int(row["N°"]),
        "Intitulé": row["Intitulé"],
        "Thématique": row["Thématique"],
        "Statut": row["Statut"],
        "Porteur": row["Porteur"],
        "Début": date.fromisoformat(row["Début"]),
        "Fin": date.fromisoformat(row["Fin"]) if row["Fin"] else None,
        "Avancement (%)": int(row["Avancement (%)"]) if row["Avancement (%)"] else None,
        "Budget (€)": money(row["Budget (€)"] or None),
        "Financement Caf (€)": money(row["Financement Caf (€)"] or None),
    }


def action_from_xlsx(row: dict[str, Any]) -> dict[str, Any]:
    def day(value: Any) -> date | None:
        return value.date() if isinstance(value, datetime) else value

    def euros(value: Any) -> Decimal | None:
        # A number in the sheet, in euros and cents.
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))

    return {
        "Identifiant": row["Identifiant"],
        "CTG": row["CTG"],
        "N°": row["N°"],
        "Intitulé": row["Intitulé"],
        "Thématique": row["Thématique"],
        "Statut": row["Statut"],
        "Porteur": row["Porteur"],
        "Début": day(row["Début"]),
        "Fin": day(row["Fin"]),
        "Avancement (%)": row["Avancement (%)"],
        "Budget (€)": euros(row["Budget (€)"]),
        "Financement Caf (€)": euros(row["Financement Caf (€)"]),
    }


def filename(response: httpx.Response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    return disposition.split('filename="', 1)[1].rstrip('"')


async def test_a_caf_agent_downloads_the_departments_actions_with_budgets_as_graphql_shows_them(
    service: str, server_issuer: LocalIssuer
) -> None:
    # Given the Caf 31 agent, and what GraphQL answers it for the actions of department 31
    async with client(service, server_issuer, "caf-31-agent") as http:
        nodes = await every_node(http, ACTIONS, "actions", filter={"territory": {"department": "31"}})
        # When it downloads the same filter as CSV and as a workbook
        as_csv = await http.get("/export/actions.csv", params={"department": "31"})
        as_xlsx = await http.get("/export/actions.xlsx", params={"department": "31"})
    expected = [expected_action(node) for node in nodes]
    assert expected
    assert any(row["Budget (€)"] is not None for row in expected), "the demo gives 31 budgets"
    # Then both hold the same rows, in the same order, with the same values: budgets included
    headers, rows = csv_rows(as_csv)
    assert headers == ACTION_HEADERS
    assert [action_from_csv(row) for row in rows] == expected
    assert {row["Département"] for row in rows} == {"31"}
    sheet_headers, sheet_rows = xlsx_rows(as_xlsx)
    assert sheet_headers == ACTION_HEADERS
    assert [action_from_xlsx(row) for row in sheet_rows] == expected
    # Amounts are numbers in the sheet, not text
    assert all(isinstance(row["Budget (€)"], int | float) for row in sheet_rows if row["Budget (€)"] is not None)
    # And the files are named after the Caf and the day
    day = today().isoformat()
    assert filename(as_csv) == f"actions-caf-31-{day}.csv"
    assert filename(as_xlsx) == f"actions-caf-31-{day}.xlsx"


async def test_an_association_member_exports_only_its_actions_and_no_budget_it_may_not_see(
    service: str, server_issuer: LocalIssuer
) -> None:
    async with client(service, server_issuer, "association-member") as http:
        nodes = await every_node(http, ACTIONS, "actions")
        response = await http.get("/export/actions.csv")
    async with client(service, server_issuer, "caf-31-agent") as http:
        everything = await http.get("/export/actions.csv", params={"department": "31"})
    _, rows = csv_rows(response)
    assert [action_from_csv(row) for row in rows] == [expected_action(node) for node in nodes]
    # The association sees fewer actions than its Caf, and not every budget
    assert 0 < len(rows) < len(csv_rows(everything)[1])
    hidden = [node for node in nodes if node["budget"] is None]
    assert all(row["Budget (€)"] == "" for row in rows if row["Identifiant"] in {node["id"] for node in hidden})
    assert filename(response).startswith("actions-association-")


async def test_another_departments_caf_gets_none_of_them(service: str, server_issuer: LocalIssuer) -> None:
    async with client(service, server_issuer, "caf-44-manager") as http:
        as_csv = await http.get("/export/actions.csv", params={"department": "31"})
        as_xlsx = await http.get("/export/actions.xlsx", params={"department": "31"})
        own = await http.get("/export/actions.csv", params={"department": "44"})
    headers, rows = csv_rows(as_csv)
    assert headers == ACTION_HEADERS
    assert rows == []
    assert xlsx_rows(as_xlsx) == (ACTION_HEADERS, [])
    assert csv_rows(own)[1], "its own department's actions are there"
    assert filename(own).startswith("actions-caf-44-")


async def test_the_cnaf_exports_facilities_ctgs_and_funding_lines_as_graphql_lists_them(
    service: str, server_issuer: LocalIssuer
) -> None:
    async with client(service, server_issuer, "cnaf-analyst") as http:
        facilities = await every_node(http, FACILITIES, "facilities", filter={"kinds": ["MULTI_ACCUEIL", "RPE"]})
        facility_file = await http.get("/export/facilities.xlsx", params={"kinds": "MULTI_ACCUEIL,RPE"})
        ctgs = await every_node(http, CTGS, "ctgs", filter={"territory": {"department": "44"}})
        ctg_file = await http.get("/export/ctgs.csv", params={"department": "44"})
        funding = await http.post("/graphql", json={"query": FUNDING, "variables": {"filter": {"years": [2026]}}})
        funding_file = await http.get("/export/funding-lines.csv", params={"years": "2026"})
    _, facility_rows = xlsx_rows(facility_file)
    assert facilities
    assert [row["Identifiant"] for row in facility_rows] == [node["id"] for node in facilities]
    assert [row["Type"] for row in facility_rows] == [label(FacilityKind, FacilityKind[n["kind"]]) for n in facilities]
    assert [row["Adresse"] for row in facility_rows] == [node["address"] for node in facilities]
    assert filename(facility_file) == f"facilities-france-{today().isoformat()}.xlsx"
    _, ctg_rows = csv_rows(ctg_file)
    assert ctgs
    assert [(row["Identifiant"], row["Intitulé"]) for row in ctg_rows] == [(n["id"], n["title"]) for n in ctgs]
    # Funding lines: as many of each type, adding up to the same amounts, as the statistics say
    totals = {row["type"]: row for row in funding.json()["data"]["fundingStatistics"]}
    _, line_rows = csv_rows(funding_file)
    assert totals
    assert {row["Année"] for row in line_rows} == {"2026"}
    for kind, total in totals.items():
        lines = [row for row in line_rows if row["Type de financement"] == label(FundingType, FundingType[kind])]
        assert len(lines) == total["lineCount"]
        assert sum(Decimal(row["Prévu (€)"]) for row in lines) == Decimal(total["planned"])


async def test_anonymous_callers_export_what_anonymous_graphql_shows(service: str) -> None:
    async with client(service, None, None) as http:
        facilities = await every_node(http, FACILITIES, "facilities")
        response = await http.get("/export/facilities.csv")
        actions = await http.get("/export/actions.csv")
    _, rows = csv_rows(response)
    assert [row["Identifiant"] for row in rows] == [node["id"] for node in facilities]
    assert all(row["Adresse"] == "" and row["Gestionnaire"] == "" for row in rows), "public data only"
    assert filename(response).startswith("facilities-public-")
    assert csv_rows(actions)[1] == []


@pytest.mark.parametrize(
    ("path", "params", "parameter", "message_id"),
    [
        ("/export/actions.csv", {"themes": "EARLY_CHILDHOOD,KNITTING"}, "themes", "export.enum"),
        ("/export/actions.xlsx", {"activeOn": "06/12/2026"}, "activeOn", "input.Date"),
        ("/export/actions.csv", {"ctg": "not-an-id"}, "ctg", "argument.not_id"),
        (
            "/export/actions.csv",
            {"periodStart": "2026-12-01", "periodEnd": "2026-01-01"},
            "periodEnd",
            "argument.period_order",
        ),
        ("/export/actions.csv", {"departement": "31"}, "departement", "export.unknown_parameter"),
        ("/export/facilities.csv", {"statuses": "open"}, "statuses", "export.enum"),
        ("/export/funding-lines.csv", {"years": "2026,deux-mille"}, "years", "input.Int"),
        ("/export/ctgs.csv", {"department": ["31", "44"]}, "department", "export.repeated"),
    ],
)
async def test_a_bad_parameter_is_refused_by_name(
    service: str, server_issuer: LocalIssuer, path: str, params: dict[str, Any], parameter: str, message_id: str
) -> None:
    async with client(service, server_issuer, "caf-31-agent") as http:
        response = await http.get(path, params=params)
        english = await http.get(path, params=params, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert {key: value for key, value in error["extensions"].items() if key != "parameters"} == {
        "code": "BAD_USER_INPUT",
        "argument": parameter,
        "messageId": message_id,
    }
    assert parameter in error["extensions"]["parameters"].values()
    assert error["message"].startswith(f"« {parameter} »"), error["message"]
    (in_english,) = english.json()["errors"]
    assert in_english["extensions"] == error["extensions"]
    assert in_english["message"].startswith(f"{parameter}"), in_english["message"]


async def test_a_bad_token_or_an_unknown_export_is_refused(service: str) -> None:
    async with httpx.AsyncClient(base_url=service, headers={"authorization": "Bearer nope"}) as http:
        refused = await http.get("/export/actions.csv")
    async with client(service, None, None) as http:
        unknown = await http.get("/export/budgets.csv")
        wrong_format = await http.get("/export/actions.pdf")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert unknown.status_code == 404
    assert wrong_format.status_code == 404


async def test_an_export_past_the_row_bound_is_refused_before_anything_is_sent(
    demo_database: URL, server_issuer: LocalIssuer
) -> None:
    settings = trusting(server_issuer).model_copy(update={"export_max_rows": 3})
    async with (
        serve(create_app(settings, demo_database)) as base_url,
        client(base_url, server_issuer, "caf-31-agent") as http,
    ):
        nodes = await every_node(http, ACTIONS, "actions", filter={"territory": {"department": "31"}})
        over = await http.get("/export/actions.csv", params={"department": "31"})
    assert len(nodes) > 3
    assert over.status_code == 400
    (error,) = over.json()["errors"]
    assert error["extensions"] == {
        "code": "EXPORT_TOO_LARGE",
        "limit": 3,
        "rows": len(nodes),
        "messageId": "export.too_large",
        "parameters": {"maximum": 3, "count": len(nodes)},
    }
