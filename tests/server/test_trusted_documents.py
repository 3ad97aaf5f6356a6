"""Trusted documents: registered from a manifest by `maillage documents load`, then run by hash; with
MAILLAGE_TRUSTED_DOCUMENTS_ONLY, nothing else is run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from db.engine import create_engine
from server.app import create_app
from server.settings import Settings
from tests.conftest import recorded_statements, serve
from tests.schema.conftest import sql
from tests.server.commands import assert_one_clear_line, run

REGION = 'query Region { region(code: "76") { name } }'
DEPARTMENT = "query Department($code: String!) { department(code: $code) { name } }"
UNREGISTERED = '{ region(code: "53") { name } }'
LOOKUP = "FROM trusted_document"
SHA1_OF_REGION = hashlib.sha1(REGION.encode(), usedforsecurity=False).hexdigest()  # older Codegen's default


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _url(database: URL) -> str:
    return database.render_as_string(hide_password=False)


async def _registered(database: URL) -> dict[str, Any]:
    engine = create_engine(database, pool_size=1)
    try:
        rows = await sql(engine, "SELECT sha256, body, client_name FROM trusted_document")
    finally:
        await engine.dispose()
    return {row["sha256"]: row for row in rows}


@pytest.fixture(scope="module")
def loaded(database: URL, tmp_path_factory: pytest.TempPathFactory) -> URL:
    """The run's database with REGION and DEPARTMENT registered, from an Apollo and a Codegen manifest."""
    folder = tmp_path_factory.mktemp("manifests")
    apollo = folder / "persisted-query-manifest.json"
    apollo.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha256(REGION), "name": "Region", "type": "query", "body": REGION}],
            }
        )
    )
    codegen = folder / "persisted-documents.json"
    codegen.write_text(json.dumps({f"sha256:{sha256(DEPARTMENT)}": DEPARTMENT}))
    for manifest in (apollo, codegen):
        result = run(["documents", "load", str(manifest)], folder, database_url=_url(database))
        assert result.returncode == 0, result.stderr
        assert "1 registered" in result.stderr
    return database


# -- registering -----------------------------------------------------------------------------------


async def test_a_manifest_registers_its_documents_by_hash(loaded: URL) -> None:
    registered = await _registered(loaded)

    assert registered[sha256(REGION)]["body"] == REGION
    assert registered[sha256(REGION)]["client_name"] == "persisted-query-manifest.json"
    assert registered[sha256(DEPARTMENT)]["body"] == DEPARTMENT


def test_loading_a_manifest_again_changes_nothing(loaded: URL, tmp_path: Path) -> None:
    manifest = tmp_path / "again.json"
    manifest.write_text(json.dumps({sha256(REGION): REGION}))

    result = run(["documents", "load", str(manifest), "--client", "extranet"], tmp_path, database_url=_url(loaded))

    assert result.returncode == 0, result.stderr
    assert "0 registered, 1 already registered" in result.stderr


@pytest.mark.parametrize(
    ("manifest", "pattern"),
    [
        pytest.param({sha256(REGION): UNREGISTERED}, r"hashes to [0-9a-f]{64} with SHA-256", id="a wrong hash"),
        pytest.param({SHA1_OF_REGION: REGION}, r"is not a SHA-256 hash", id="a SHA-1"),
        pytest.param({sha256("{ mayor }"): "{ mayor }"}, r"does not validate", id="a document the schema refuses"),
        pytest.param([REGION], r"expected a JSON object", id="not a manifest"),
    ],
)
async def test_a_bad_entry_refuses_the_whole_manifest(
    database: URL, tmp_path: Path, manifest: Any, pattern: str
) -> None:
    # given a manifest whose first entry is good and whose second is not
    good = 'query Fine { region(code: "84") { name } }'
    entries = {sha256(good): good, **manifest} if isinstance(manifest, dict) else manifest
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(entries))

    result = run(["documents", "load", str(path)], tmp_path, database_url=_url(database))

    assert_one_clear_line(result, pattern)
    assert sha256(good) not in await _registered(database)


# -- running by hash -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def open_service(loaded: URL) -> AsyncIterator[tuple[str, Starlette]]:
    app = create_app(Settings(_env_file=None), loaded)
    async with serve(app) as base_url:
        yield base_url, app


@pytest.fixture(scope="module")
async def trusted_only(loaded: URL) -> AsyncIterator[tuple[str, Starlette]]:
    app = create_app(Settings(_env_file=None, trusted_documents_only=True), loaded)
    async with serve(app) as base_url:
        yield base_url, app


async def _post(base_url: str, payload: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        return await http.post("/graphql", json=payload)


def _code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


async def test_a_document_id_runs_the_registered_document(open_service: tuple[str, Starlette]) -> None:
    response = await _post(open_service[0], {"documentId": f"sha256:{sha256(DEPARTMENT)}", "variables": {"code": "31"}})

    assert response.json() == {"data": {"department": {"name": "Haute-Garonne"}}}


async def test_an_apollo_persisted_query_hash_runs_the_registered_document(
    open_service: tuple[str, Starlette],
) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256(REGION)}}

    response = await _post(open_service[0], {"extensions": extensions})

    assert response.json() == {"data": {"region": {"name": "Occitanie"}}}


async def test_a_document_id_over_get(open_service: tuple[str, Starlette]) -> None:
    async with httpx.AsyncClient(base_url=open_service[0], timeout=30) as http:
        response = await http.get("/graphql", params={"documentId": f"sha256:{sha256(REGION)}"})

    assert response.json() == {"data": {"region": {"name": "Occitanie"}}}


async def test_an_unknown_hash_is_persisted_query_not_found(open_service: tuple[str, Starlette]) -> None:
    response = await _post(open_service[0], {"documentId": f"sha256:{sha256(UNREGISTERED)}"})

    assert "data" not in response.json()
    assert _code(response) == "PERSISTED_QUERY_NOT_FOUND"
    assert sha256(UNREGISTERED) in response.json()["errors"][0]["message"]


async def test_an_apollo_client_retrying_with_the_text_is_served(open_service: tuple[str, Starlette]) -> None:
    # given a hash the service does not know, sent again with its text, as Apollo clients do
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256(UNREGISTERED)}}

    response = await _post(open_service[0], {"query": UNREGISTERED, "extensions": extensions})

    assert response.json() == {"data": {"region": {"name": "Bretagne"}}}


async def test_a_text_that_does_not_match_its_hash_is_refused(open_service: tuple[str, Starlette]) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256(REGION)}}

    response = await _post(open_service[0], {"query": UNREGISTERED, "extensions": extensions})

    assert _code(response) == "BAD_REQUEST"


@pytest.mark.parametrize("document_id", ["md5:abc", f"sha256:{sha256(REGION).upper()}", 7, "sha256:"])
async def test_a_malformed_document_id_is_refused(open_service: tuple[str, Starlette], document_id: object) -> None:
    response = await _post(open_service[0], {"documentId": document_id})

    assert _code(response) == "BAD_REQUEST"


async def test_a_registered_document_is_looked_up_once(loaded: URL) -> None:
    # given a service that has not run this document yet
    app = create_app(Settings(_env_file=None), loaded)
    payload = {"documentId": f"sha256:{sha256(DEPARTMENT)}", "variables": {"code": "44"}}
    async with serve(app) as base_url:
        with recorded_statements(app.state.engine) as first:
            await _post(base_url, payload)
        # when it runs it again
        with recorded_statements(app.state.engine) as second:
            response = await _post(base_url, payload)

    # then the second time costs no lookup
    assert response.json() == {"data": {"department": {"name": "Loire-Atlantique"}}}
    assert sum(LOOKUP in statement for statement in first) == 1
    assert not any(LOOKUP in statement for statement in second)
    assert len(second) == len(first) - 1


# -- registered documents only ----------------------------------------------------------------------


async def test_only_registered_documents_run_when_configured(trusted_only: tuple[str, Starlette]) -> None:
    base_url, app = trusted_only
    with recorded_statements(app.state.engine) as statements:
        refused = await _post(base_url, {"query": REGION})

    assert "data" not in refused.json()
    assert _code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
    assert "documentId" in refused.json()["errors"][0]["message"]
    assert statements == []
    served = await _post(base_url, {"documentId": f"sha256:{sha256(REGION)}"})
    assert served.json() == {"data": {"region": {"name": "Occitanie"}}}


async def test_in_trusted_mode_the_text_with_its_hash_must_still_be_registered(
    trusted_only: tuple[str, Starlette],
) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256(UNREGISTERED)}}

    response = await _post(trusted_only[0], {"query": UNREGISTERED, "extensions": extensions})

    assert _code(response) == "PERSISTED_QUERY_NOT_FOUND"
