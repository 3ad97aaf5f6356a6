"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute

from auth.dev_issuer import DevIssuer
from db.access import SERVICE_ROLE
from db.compiled.session import CompiledReads
from db.engine import create_engine, session_factory
from db.errors import DatabaseSetupError
from db.graph.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from db.health import database_ready, row_security_bypass
from db.instrumentation import StatementObserver, observe_statements
from db.notifications.feed import ChangeFeed
from schema import schema
from server.authentication import BearerTokenBackend, rejection_response
from server.body_limit import BodyLimit
from server.callers import Callers
from server.compiled import CompiledQueries
from server.cors import cors_middleware
from server.exports.endpoint import Exports
from server.graphiql import assets_route
from server.graphql import MaillageGraphQL
from server.language import Language
from server.lifecycle import Lifecycle
from server.limits import OperationLimits
from server.observability.metrics import RequestMetrics
from server.observability.middleware import Observability
from server.observability.record import current_record
from server.observability.tracing import Tracing
from server.operation import OperationPreparer
from server.settings import Settings
from server.subscriptions import MaillageSubscriptions
from server.trusted_documents import TrustedDocuments

logger = logging.getLogger(__name__)


def operation_limits(settings: Settings) -> OperationLimits:
    return OperationLimits(
        max_tokens=settings.max_tokens,
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_cost=settings.max_cost,
        default_page_size=DEFAULT_PAGE_SIZE,
        max_page_size=MAX_PAGE_SIZE,
    )


def create_app(settings: Settings, database_url: URL, *, lifecycle: Lifecycle | None = None) -> Starlette:
    # First, since it may fail (an unwritable data folder) and has nothing to clean up.
    dev_issuer = (
        DevIssuer.open(settings.data_dir, issuer=settings.dev_issuer_url, audience=settings.oidc_audience)
        if settings.dev_issuer
        else None
    )
    lifecycle = lifecycle or Lifecycle()
    # Every connection runs as the service role, which owns nothing and is bound by row-level security; behind a
    # transaction pooler, every transaction takes it itself.
    pooled = settings.database_pooler == "transaction"
    local_role = SERVICE_ROLE if pooled else None
    engine = create_engine(
        database_url,
        pool_size=settings.database_pool_size,
        role=SERVICE_ROLE,
        timeouts=settings.database_timeouts(),
        transaction_pooler=pooled,
    )
    metrics = RequestMetrics(engine, settings.metrics_multiprocess_dir) if settings.metrics else None
    tracing = Tracing(settings.otlp_endpoint, settings.service_name) if settings.otlp_endpoint else None
    observe_statements(engine, _statement_observer(tracing))
    # Queries the compiler covers are answered by one statement, on a pool of their own (server/compiled.py).
    compiled_reads = CompiledReads(
        database_url,
        size=settings.compiled_pool_size,
        role=SERVICE_ROLE,
        statement_timeout_ms=settings.statement_timeout_ms,
        timeouts=settings.database_timeouts(),
        transaction_pooler=pooled,
    )
    # Who each caller is, as of the generation of access: shared by compiled reads and resolvers.
    callers = Callers()
    compiled = CompiledQueries(
        compiled_reads,
        callers,
        mode=settings.compiled_reads,
        cache_bytes=settings.prepared_cache_bytes,
        max_cost=settings.compiled_max_cost,
    )
    graphql = MaillageGraphQL(
        session_factory(engine, local_role=local_role),
        graphiql=settings.graphiql,
        preparer=OperationPreparer(
            schema._schema,
            operation_limits(settings),
            production=settings.is_production,
            cache_bytes=settings.prepared_cache_bytes,
        ),
        documents=TrustedDocuments(only=settings.trusted_documents_only),
        statement_timeout_ms=settings.statement_timeout_ms,
        compiled=compiled,
        callers=callers,
    )
    # One client for the issuer's discovery document and keys, shared by every request.
    issuer_http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
    authentication = BearerTokenBackend(settings.oidc(), settings.claims(), issuer_http)
    authenticated_graphql = AuthenticationMiddleware(graphql, backend=authentication, on_error=rejection_response)
    # Files of a listing's rows, under the same token and rules as /graphql (server/exports/).
    exports = Exports(
        session_factory(engine, local_role=local_role),
        max_rows=settings.export_max_rows,
        statement_timeout_ms=settings.export_statement_timeout_ms,
    )
    authenticated_exports = AuthenticationMiddleware(exports, backend=authentication, on_error=rejection_response)
    # Subscriptions over WebSocket on the same path, fed by the process's one listening connection.
    feed = ChangeFeed(database_url.set(drivername="postgresql").render_as_string(hide_password=False))
    subscriptions = MaillageSubscriptions(
        session_factory(engine, local_role=local_role),
        feed,
        authentication=authentication,
        preparer=OperationPreparer(schema._schema, operation_limits(settings), production=settings.is_production),
        allowed_origins=list(settings.cors_origins),
        statement_timeout_ms=settings.statement_timeout_ms,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await refuse_row_security_bypass(engine, local_role)
        except DatabaseSetupError:
            await issuer_http.aclose()
            await engine.dispose()
            raise
        await compiled_reads.open()
        try:
            yield
        finally:
            lifecycle.begin_shutdown()
            await feed.close()
            await compiled_reads.close()
            await issuer_http.aclose()
            await engine.dispose()
            logger.info("database pool closed")
            if tracing is not None:
                tracing.shutdown()

    async def healthz(request: Request) -> JSONResponse:
        """The process is up and serving; says nothing of its dependencies."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """Ready to serve queries: the database answers, and the process is not shutting down."""
        if lifecycle.shutting_down:
            return JSONResponse({"status": "shutting_down"}, status_code=503)
        if not await database_ready(engine):
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        try:
            bypass = await row_security_bypass(engine, timeout=2.0, local_role=local_role)
        except (SQLAlchemyError, OSError):
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        if bypass is not None:
            logger.error("not ready: %s", bypass)
            return JSONResponse(
                {"status": "unavailable", "database": "bypasses row-level security", "reason": bypass},
                status_code=503,
            )
        return JSONResponse({"status": "ready", "database": "ok"})

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        # Every method reaches the endpoint, which answers any but GET and POST with a GraphQL-shaped 405.
        Route("/graphql", authenticated_graphql),
        WebSocketRoute("/graphql", subscriptions),
        Route("/export/{listing}.{format}", authenticated_exports, methods=["GET"]),
    ]
    if metrics is not None and settings.metrics_port is None:
        routes.append(metrics.route())  # else `serve` serves them on a port of their own (server/cli.py)
    if settings.graphiql:
        routes.append(assets_route())
    if dev_issuer is not None:
        routes.append(dev_issuer.routes())

    # Observability outermost, so that every answer is logged, counted and carries its request id; then CORS,
    # so that refusals from the layers inside (a 413) still reach the extranet's pages.
    http_middleware = [
        Middleware(Observability, metrics=metrics, tracing=tracing),
        Middleware(Language),  # every refusal inside is worded in the request's language
        *cors_middleware(settings.cors_origins),
        Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
    ]
    app = Starlette(
        routes=routes,
        middleware=http_middleware,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.lifecycle = lifecycle
    app.state.compiled = compiled
    app.state.metrics = metrics
    return app


async def refuse_row_security_bypass(engine: AsyncEngine, local_role: str | None = None) -> None:
    """Refuse to start when requests would run unbound by row-level security; a database that cannot be reached
    yet is not a reason not to start (readiness says so, and checks again)."""
    try:
        bypass = await row_security_bypass(engine, local_role=local_role)
    except (SQLAlchemyError, OSError):
        logger.warning("the database cannot be reached: its role is checked again by /readyz")
        return
    if bypass is not None:
        raise DatabaseSetupError(bypass)


def _statement_observer(tracing: Tracing | None) -> StatementObserver:
    """Counts each statement in the request's record and, with tracing on, gives it a span."""

    def observe(statement: str) -> Callable[[BaseException | None], None] | None:
        record = current_record()
        if record is None:
            return None  # outside any request: a readiness probe's SELECT 1
        record.statements += 1
        return tracing.statement_span(statement) if tracing is not None else None

    return observe
