"""Hooks around every SQL statement an engine runs, for the service's metrics and traces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Called with the statement's text when it starts; returns what to call (with the error, or None) when it ends.
StatementObserver = Callable[[str], Callable[[BaseException | None], None] | None]

_FINISH = "_maillage_finish"


def observe_statements(engine: AsyncEngine, observer: StatementObserver) -> None:
    """Call `observer` around each statement `engine` runs (in the task that runs it)."""
    sync_engine = engine.sync_engine

    def before(connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        finish = observer(statement)
        if finish is not None and context is not None:
            setattr(context, _FINISH, finish)

    def after(connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        finish = getattr(context, _FINISH, None)
        if finish is not None:
            delattr(context, _FINISH)
            finish(None)

    def failed(exception_context: Any) -> None:
        finish = getattr(exception_context.execution_context, _FINISH, None)
        if finish is not None:
            delattr(exception_context.execution_context, _FINISH)
            finish(exception_context.original_exception)

    event.listen(sync_engine, "before_cursor_execute", before)
    event.listen(sync_engine, "after_cursor_execute", after)
    event.listen(sync_engine, "handle_error", failed)
