"""OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is configured: one span per request, its
SQL statements as child spans. The provider is the application's own, never the process-wide one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, use_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from server.observability.record import RequestRecord


class Tracing:
    def __init__(self, endpoint: str, service_name: str) -> None:
        self._provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        self._provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")))
        self._tracer = self._provider.get_tracer("maillage")
        self._propagator = TraceContextTextMapPropagator()

    @contextmanager
    def request_span(self, method: str, path: str, headers: Mapping[str, str]) -> Iterator[Span]:
        """The request's span, current while the request runs; continues the caller's trace (traceparent)."""
        parent = self._propagator.extract(dict(headers))
        span = self._tracer.start_span(f"{method} {path}", context=parent, kind=SpanKind.SERVER)
        with use_span(span, end_on_exit=False):
            yield span

    def finish_request(self, span: Span, record: RequestRecord) -> None:
        span.set_attribute("http.request.method", record.method)
        span.set_attribute("url.path", record.path)
        span.set_attribute("maillage.request_id", record.request_id)
        span.set_attribute("maillage.outcome", record.outcome)
        span.set_attribute("maillage.sql_statements", record.statements)
        if record.status is not None:
            span.set_attribute("http.response.status_code", record.status)
        if record.operation_name:
            span.set_attribute("graphql.operation.name", record.operation_name)
            span.update_name(f"{record.method} {record.path} {record.operation_name}")
        if record.status is None or record.status >= 500:
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    def statement_span(self, statement: str) -> Callable[[BaseException | None], None]:
        """A child span of the current one for one SQL statement; call the result when it ends."""
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        span = self._tracer.start_span(
            verb,
            kind=SpanKind.CLIENT,
            attributes={"db.system.name": "postgresql", "db.query.text": statement},
        )

        def finish(error: BaseException | None) -> None:
            if error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR))
            span.end()

        return finish

    def shutdown(self) -> None:
        """Export what is still buffered, then stop."""
        self._provider.shutdown()
