"""What operators see: request ids, one JSON log line per request, Prometheus metrics, OpenTelemetry traces
exported to a real OTLP/HTTP receiver."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from server.app import create_app
from server.observability.logs import log_handler
from server.settings import Settings
from tests.auth.issuer import LocalIssuer
from tests.conftest import recorded_statements, serve
from tests.schema.conftest import bearer, trusting

DEPARTMENT = "query Department($code: String!) { department(code: $code) { name epcis(first: 2) { nodes { name } } } }"
ORGANISATION = "caf:31"


@contextmanager
def json_log_lines() -> Iterator[list[dict[str, Any]]]:
    """The JSON lines the service's own log handler writes while the block runs, parsed."""
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


@pytest.fixture(scope="module")
async def observed(database: URL, server_issuer: LocalIssuer) -> AsyncIterator[tuple[str, Starlette]]:
    app = create_app(trusting(server_issuer), database)
    async with serve(app) as base_url:
        yield base_url, app


@pytest.fixture
async def client(observed: tuple[str, Starlette]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=observed[0], timeout=30) as http:
        yield http


# -- request ids -----------------------------------------------------------------------------------


async def test_every_response_carries_a_new_request_id(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json={"query": "{ __typename }"})
    second = await client.get("/healthz")

    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_sane_incoming_request_id_is_kept(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "lb-42.a:b"})

    assert response.headers["x-request-id"] == "lb-42.a:b"


@pytest.mark.parametrize("incoming", ["two words", "x" * 200, "<script>", '"quoted"'])
async def test_an_odd_incoming_request_id_is_replaced(client: httpx.AsyncClient, incoming: str) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": incoming})

    assert response.headers["x-request-id"] != incoming
    assert len(response.headers["x-request-id"]) == 32


async def test_an_unexpected_failure_is_logged_in_full_with_the_id_the_client_got(database: URL) -> None:
    # given a service whose database does not exist: every request fails in a way nobody planned for
    app = create_app(Settings(_env_file=None), database.set(database="maillage_no_such_database"))
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        with json_log_lines() as lines:
            response = await http.post("/graphql", json={"query": "{ __typename }"})

    request_id = response.headers["x-request-id"]
    assert response.json()["errors"][0]["extensions"]["requestId"] == request_id
    (failure,) = [line for line in lines if line["level"] == "ERROR"]
    assert failure["request_id"] == request_id
    assert "maillage_no_such_database" in failure["exc_info"]  # the whole error, for the operator
    assert "maillage_no_such_database" not in response.text  # none of it for the client


# -- the request log line ---------------------------------------------------------------------------


async def test_one_json_line_per_request_without_the_token(
    client: httpx.AsyncClient, observed: tuple[str, Starlette], server_issuer: LocalIssuer
) -> None:
    headers = bearer(server_issuer, "caf_agent", organisation=ORGANISATION, caf="31")
    token = headers["authorization"].removeprefix("Bearer ")
    with json_log_lines() as lines, recorded_statements(observed[1].state.engine) as statements:
        response = await client.post(
            "/graphql", json={"query": DEPARTMENT, "variables": {"code": "31"}}, headers=headers
        )

    (line,) = [line for line in lines if line["logger"] == "maillage.requests"]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["operation"] == "Department"
    assert line["organisation"] == f"ref:{ORGANISATION}"
    assert line["status"] == 200
    assert line["outcome"] == "ok"
    assert line["sql_statements"] == len(statements) > 0
    assert line["duration_ms"] > 0
    assert token not in json.dumps(lines)
    assert "authorization" not in json.dumps(lines).lower()


async def test_refusals_are_logged_with_their_outcome(client: httpx.AsyncClient) -> None:
    with json_log_lines() as lines:
        await client.post("/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Basic YTpi"})
        await client.post("/graphql", json={"query": '{ department(code: "31") { mayor } }'})

    outcomes = [(line["status"], line["outcome"]) for line in lines if line["logger"] == "maillage.requests"]
    assert outcomes == [(401, "refused"), (200, "errors")]


# -- metrics -----------------------------------------------------------------------------------------


async def test_metrics_count_requests_per_operation_and_outcome(client: httpx.AsyncClient) -> None:
    before = await client.get("/metrics")
    await client.post("/graphql", json={"query": DEPARTMENT, "variables": {"code": "44"}})
    after = await client.get("/metrics")

    assert after.headers["content-type"].startswith("text/plain")
    counter = 'maillage_graphql_requests_total{operation="Department",outcome="ok"}'
    assert _value(after.text, counter) == _value(before.text, counter) + 1
    histogram = 'maillage_graphql_request_duration_seconds_count{operation="Department",outcome="ok"}'
    assert _value(after.text, histogram) == _value(after.text, counter)
    assert _value(after.text, "maillage_database_pool_size") == 10
    assert _value(after.text, "maillage_database_pool_in_use") == 0


def _value(exposition: str, series: str) -> float:
    for line in exposition.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# -- traces -------------------------------------------------------------------------------------------


class _Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver: keeps every trace export it is sent."""

    received: list[bytes]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/v1/traces" and self.headers["content-type"] == "application/x-protobuf":
            self.received.append(body)
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, list[bytes]]]:
    """A receiver in a thread of its own: the service's exporter may block its event loop when it flushes."""
    received: list[bytes] = []
    handler = type("Collector", (_Collector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


async def test_a_request_is_one_span_with_its_sql_statements_as_children(database: URL) -> None:
    with otlp_receiver() as (endpoint, received):
        app = create_app(Settings(_env_file=None, otlp_endpoint=endpoint, service_name="maillage-test"), database)
        async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            with recorded_statements(app.state.engine) as statements:
                response = await http.post("/graphql", json={"query": DEPARTMENT, "variables": {"code": "31"}})
        # the app has stopped: its exporter flushed every span

    spans: list[Any] = []
    for body in received:
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
            assert service == "maillage-test"
            spans.extend(span for scope in resource_spans.scope_spans for span in scope.spans)
    (request,) = [span for span in spans if span.name == "POST /graphql Department"]
    attributes = {a.key: a.value for a in request.attributes}
    assert attributes["maillage.request_id"].string_value == response.headers["x-request-id"]
    assert attributes["http.response.status_code"].int_value == 200
    children = [span for span in spans if span.parent_span_id == request.span_id]
    assert [
        {a.key: a.value.string_value for a in child.attributes}["db.query.text"] for child in children
    ] == statements
    assert all(child.trace_id == request.trace_id for child in children)
