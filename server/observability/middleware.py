"""Around every HTTP request, whatever answers it: the request id, the log line, the metrics, the span.

Outermost, so that refusals from the layers inside (a 413, a 401, a CORS 403) are logged and counted like
answers, and carry their X-Request-Id too. It knows nothing of how an operation executes: it reads the
request's record (server/observability/record.py), which the inner layers fill.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.observability.logs import REQUESTS
from server.observability.metrics import RequestMetrics
from server.observability.record import RequestRecord, _current, request_id_from
from server.observability.tracing import Tracing

logger = logging.getLogger(REQUESTS)

# Probes and scrapes every few seconds would drown the log.
_QUIET = frozenset({"/healthz", "/readyz", "/metrics"})
GRAPHQL_PATH = "/graphql"


class Observability:
    def __init__(self, app: ASGIApp, *, metrics: RequestMetrics | None, tracing: Tracing | None) -> None:
        self.app = app
        self.metrics = metrics
        self.tracing = tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        record = RequestRecord(request_id_from(headers.get("x-request-id")), scope["method"], scope["path"])
        scope.setdefault("state", {})["request_id"] = record.request_id

        started = time.perf_counter()
        reported = False

        def report() -> None:
            nonlocal reported
            if not reported:
                reported = True
                self._report(record, time.perf_counter() - started)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = record.request_id
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                report()  # before the client has the answer: whoever reads the log next finds the line
            await send(message)

        token = _current.set(record)
        spanning = self.tracing.request_span(record.method, record.path, headers) if self.tracing else nullcontext()
        try:
            with spanning as span:
                try:
                    await self.app(scope, receive, send_with_id)
                finally:
                    if self.tracing is not None and span is not None:
                        self.tracing.finish_request(span, record)
        finally:
            _current.reset(token)
            report()  # an application that failed without answering

    def _report(self, record: RequestRecord, seconds: float) -> None:
        if self.metrics is not None and record.path == GRAPHQL_PATH:
            self.metrics.observe(record, seconds)
        if record.path in _QUIET:
            return
        logger.info(
            "%s %s %s",
            record.method,
            record.path,
            record.status,
            extra={
                "request_id": record.request_id,
                "method": record.method,
                "path": record.path,
                "status": record.status,
                "operation": record.operation_name,
                "organisation": record.organisation,
                "duration_ms": round(seconds * 1000, 2),
                "sql_statements": record.statements,
                "compiled_fallback": record.compiled_fallback,
                "outcome": record.outcome,
            },
        )
