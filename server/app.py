"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import URL
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db.engine import create_engine, session_factory
from db.health import database_ready
from server.graphql import MaillageGraphQL
from server.settings import Settings


def create_app(settings: Settings, database_url: URL) -> Starlette:
    engine = create_engine(database_url, pool_size=settings.database_pool_size)
    graphql = MaillageGraphQL(session_factory(engine), graphiql=settings.graphiql)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await engine.dispose()

    async def healthz(request: Request) -> JSONResponse:
        """The process is up and serving; says nothing of its dependencies."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """Ready to serve queries: the database answers."""
        if await database_ready(engine):
            return JSONResponse({"status": "ready", "database": "ok"})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.engine = engine
    return app
