"""The export endpoint: authenticate (the middleware, as for /graphql), read the filter, enter the caller's scope,
check the row bound, then stream.

Bounds, as for every request: the rows are counted first with the same query, and an export of more than
`max_rows` is refused (400 `EXPORT_TOO_LARGE`) before anything is sent; every statement runs under the export's
statement timeout (504 `STATEMENT_TIMEOUT` when it strikes before the first byte). A CSV is sent as PostgreSQL
produces it: should the database fail once rows have gone out, the file ends with a last line saying the export
is incomplete. A workbook is written whole to a temporary file, then sent.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from auth.principal import Principal
from db.errors import is_database_unavailable, is_statement_timeout
from db.exports import stream, tables
from db.exports.tables import ExportRows
from db.session import RequestDatabase
from schema.masking import DATABASE_UNAVAILABLE, STATEMENT_TIMEOUT
from schema.today import today
from server.access import enter_request_scope
from server.authentication import AuthenticatedCaller
from server.exports.parameters import (
    ParameterError,
    Parameters,
    action_filter,
    ctg_filter,
    facility_filter,
    funding_filter,
    read_filter,
)
from server.exports.spreadsheet import Spreadsheet
from server.graphql_errors import graphql_error_response

logger = logging.getLogger(__name__)

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff".encode()
INTERRUPTED = "# EXPORT INCOMPLET : la base de données a interrompu la lecture ; relancez l'export ou filtrez-le.\r\n"


@dataclass(frozen=True)
class Listing:
    """An exportable listing: how its query parameters become a filter, and its rows for that filter."""

    filter: Callable[[Parameters], Any]
    rows: Callable[[Any, bool], ExportRows]


LISTINGS: dict[str, Listing] = {
    "actions": Listing(action_filter, tables.actions),
    "ctgs": Listing(ctg_filter, tables.ctgs),
    "facilities": Listing(facility_filter, tables.facilities),
    "funding-lines": Listing(funding_filter, tables.funding_lines),
}
FORMATS = ("csv", "xlsx")


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


class Exports:
    """The ASGI app behind `/export/{listing}.{format}` (authenticated by the middleware around it)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, max_rows: int, statement_timeout_ms: int) -> None:
        self._sessions = sessions
        self._max_rows = max_rows
        self._statement_timeout_ms = statement_timeout_ms

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The session lives as long as the response, streamed or not; so does whatever streams from it.
        database = RequestDatabase(self._sessions)
        closers: list[Callable[[], Awaitable[None]]] = []
        try:
            try:
                response = await self._respond(Request(scope, receive), database, closers)
            except _Refused as refusal:
                response = refusal.response
            await response(scope, receive, send)
        finally:
            for close in closers:
                await close()
            await database.dispose()

    async def _respond(
        self, request: Request, database: RequestDatabase, closers: list[Callable[[], Awaitable[None]]]
    ) -> Response:
        name, extension = request.path_params["listing"], request.path_params["format"]
        listing = LISTINGS.get(name)
        if listing is None or extension not in FORMATS:
            raise _Refused(
                graphql_error_response(
                    404,
                    "export.not_found",
                    {"path": request.url.path, "listings": list(LISTINGS), "formats": list(FORMATS)},
                    code="NOT_FOUND",
                )
            )
        try:
            found = read_filter(request.query_params, listing.filter)
        except ParameterError as error:
            raise _Refused(
                graphql_error_response(
                    400,
                    error.message_id,
                    error.parameters,
                    code="BAD_USER_INPUT",
                    extensions={"argument": error.parameter},
                )
            ) from None
        identity = request.user.caller if isinstance(request.user, AuthenticatedCaller) else None
        try:
            principal, _ = await enter_request_scope(
                database, identity, statement_timeout_ms=self._statement_timeout_ms
            )
            await stream.prepare(database)
            rows = listing.rows(found, database.national)
            total = await stream.count(database, rows)
            if total > self._max_rows:
                raise _Refused(self._too_large(total))
            filename = f"{name}-{scope_name(principal, database.national)}-{today().isoformat()}.{extension}"
            headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
            if extension == "csv":
                return await self._csv(database, rows, headers, closers)
            return await self._xlsx(database, rows, headers)
        except _Refused:
            raise
        except Exception as error:
            refusal = self._database_failure(error)
            if refusal is None:
                raise
            raise _Refused(refusal) from error

    async def _csv(
        self,
        database: RequestDatabase,
        rows: ExportRows,
        headers: dict[str, str],
        closers: list[Callable[[], Awaitable[None]]],
    ) -> Response:
        chunks = stream.csv_chunks(database, rows)
        closers.append(chunks.aclose)
        # The first chunk (the header row at least) before the response starts: a statement that fails before
        # producing anything (a timeout while sorting) is still a clear error status.
        first = await anext(chunks)

        async def body() -> AsyncIterator[bytes]:
            yield BOM + first
            try:
                async for chunk in chunks:
                    yield chunk
            except Exception as error:
                if self._database_failure(error) is None:
                    raise
                logger.warning("export interrupted: %s", error)
                yield INTERRUPTED.encode()

        return StreamingResponse(body(), media_type=CSV, headers=headers)

    async def _xlsx(self, database: RequestDatabase, rows: ExportRows, headers: dict[str, str]) -> Response:
        folder = tempfile.TemporaryDirectory(prefix="maillage-export-")
        try:
            path = Path(folder.name) / "export.xlsx"
            sheet = Spreadsheet(path, rows.name, rows.headers, [column.kind for column in rows.columns])
            async for batch in stream.row_batches(database, rows):
                # Formatting cells is the CPU's work: off the event loop, which serves other requests meanwhile.
                await asyncio.to_thread(sheet.write, batch)
            await asyncio.to_thread(sheet.close)
        except BaseException:
            folder.cleanup()
            raise
        return FileResponse(path, media_type=XLSX, headers=headers, background=BackgroundTask(folder.cleanup))

    def _too_large(self, total: int) -> Response:
        return graphql_error_response(
            400,
            "export.too_large",
            {"maximum": self._max_rows, "count": total},
            code="EXPORT_TOO_LARGE",
            extensions={"limit": self._max_rows, "rows": total},
        )

    def _database_failure(self, error: BaseException) -> Response | None:
        if is_statement_timeout(error):
            return graphql_error_response(
                504,
                "export.statement_timeout",
                {"milliseconds": self._statement_timeout_ms},
                code=STATEMENT_TIMEOUT,
                extensions={"limit": self._statement_timeout_ms},
            )
        if is_database_unavailable(error):
            return graphql_error_response(
                503,
                "server.database_unavailable",
                code=DATABASE_UNAVAILABLE,
                headers={"Retry-After": "5"},
            )
        return None


def scope_name(principal: Principal, national: bool) -> str:
    """Whose rows, for the file name: `france` for national readers, `caf-31` for a Caf's staff, the
    organisation otherwise (`association-12`), `public` for what anyone sees."""
    if national:
        return "france"
    counting = [membership for membership in principal.memberships if membership.counts]
    for membership in counting:
        if membership.organisation_kind == "caf" and membership.department_code:
            return f"caf-{membership.department_code}"
    if counting:
        first = counting[0]
        return f"{first.organisation_kind.replace('_', '-')}-{first.organisation_id}"
    return "public"
