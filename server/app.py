"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.engine import URL
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from auth.dev_issuer import DevIssuer
from db.access import SERVICE_ROLE
from db.compiled.session import CompiledReads
from db.engine import create_engine, session_factory
from db.health import database_ready
from server.authentication import BearerTokenBackend, rejection_response
from server.body_limit import BodyLimit
from server.compiled import CompiledEndpoint
from server.cors import cors_middleware
from server.graphiql import assets_route
from server.graphql import MaillageGraphQL
from server.settings import Settings


def create_app(settings: Settings, database_url: URL) -> Starlette:
    # First, since it may fail (an unwritable data folder) and has nothing to clean up.
    dev_issuer = (
        DevIssuer.open(settings.data_dir, issuer=settings.dev_issuer_url, audience=settings.oidc_audience)
        if settings.dev_issuer
        else None
    )
    # Every connection runs as the service role, which owns nothing and is bound by row-level security.
    engine = create_engine(database_url, pool_size=settings.database_pool_size, role=SERVICE_ROLE)
    graphql = MaillageGraphQL(session_factory(engine), graphiql=settings.graphiql)
    # Queries the compiler covers are answered by one statement, on a pool of their own (server/compiled.py).
    compiled_reads = CompiledReads(database_url, size=settings.database_pool_size, role=SERVICE_ROLE)
    endpoint = CompiledEndpoint(graphql, compiled_reads, mode=settings.compiled_reads)
    # One client for the issuer's discovery document and keys, shared by every request.
    issuer_http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
    authenticated_graphql = AuthenticationMiddleware(
        endpoint,
        backend=BearerTokenBackend(settings.oidc(), settings.claims(), issuer_http),
        on_error=rejection_response,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await compiled_reads.open()
        try:
            yield
        finally:
            await compiled_reads.close()
            await issuer_http.aclose()
            await engine.dispose()

    async def healthz(request: Request) -> JSONResponse:
        """The process is up and serving; says nothing of its dependencies."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """Ready to serve queries: the database answers."""
        if await database_ready(engine):
            return JSONResponse({"status": "ready", "database": "ok"})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        # Every method reaches the endpoint, which answers any but GET and POST with a GraphQL-shaped 405.
        Route("/graphql", authenticated_graphql),
    ]
    if settings.graphiql:
        routes.append(assets_route())
    if dev_issuer is not None:
        routes.append(dev_issuer.routes())

    # CORS outermost, so that refusals from the layers inside (a 413) still reach the extranet's pages.
    http_middleware = [
        *cors_middleware(settings.cors_origins),
        Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
    ]
    app = Starlette(
        routes=routes,
        middleware=http_middleware,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.compiled = endpoint
    return app
