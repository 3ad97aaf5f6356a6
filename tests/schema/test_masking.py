"""Unexpected errors in resolvers: masked for the client with the request id to quote, logged in full."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from db.engine import session_factory
from db.session import RequestDatabase
from schema import schema
from schema.context import Context

DEPARTMENT = '{ department(code: "31") { name } }'


async def test_an_unexpected_error_is_masked_with_the_request_id_and_logged_in_full(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # given a request whose database access is already over: any read fails in a way nobody planned for
    async with session_factory(engine)() as session:
        database = RequestDatabase(session)
        await database.close()
        context = Context(request=Request({"type": "http", "headers": []}), database=database, request_id="req-7")

        # when a field reads
        with caplog.at_level(logging.ERROR, logger="maillage.errors"):
            result = await schema.execute(DEPARTMENT, context_value=context)

    # then the client learns a code and the id, nothing of the error
    (error,) = result.errors or []
    assert error.message.startswith("Erreur inattendue")
    assert error.extensions == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": "req-7",
        "messageId": "server.unexpected",
        "parameters": {},
    }
    assert error.path == ["department"]
    # and the log holds the error itself, with its traceback
    (logged,) = caplog.records
    assert logged.exc_info is not None
    assert "the request is over" in str(logged.exc_info[1])
