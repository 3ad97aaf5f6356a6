"""What an action must hold to with its CTG and its own course, whoever writes it.

- Its theme is one of its CTG's themes: a CTG's plan acts in the fields its convention covers.
- Its period lies within its CTG's: it starts no earlier than the CTG and, when the CTG ends, it starts and
  ends by then (an action whose end is not known yet stays open-ended).
- Once done or abandoned, it is a record: only its description (a closing note) still changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from db.graph.mapping import _table
from db.models import Ctg, Scheme
from db.models.enums import ActionStatus, Theme
from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused

_ctg, _scheme = _table(Ctg), _table(Scheme)

# The fields the CTG frames.
FRAMED = frozenset({"theme", "period_start", "period_end"})
FINAL = frozenset({ActionStatus.DONE.value, ActionStatus.ABANDONED.value})
# What an action that is done or abandoned still lets change.
CHANGEABLE_WHEN_FINAL = frozenset({"description"})

_THEME_NAMES = {theme.value: theme.name for theme in Theme}


async def ctg_frame(database: RequestDatabase, ctg_id: int) -> Any | None:
    """The CTG's themes and period (read as its owner's columns: the caller's access is checked before)."""
    rows = await database.rows(
        select(_ctg.c.themes, _scheme.c.period_start, _scheme.c.period_end)
        .select_from(_ctg.join(_scheme, _scheme.c.id == _ctg.c.scheme_id))
        .where(_ctg.c.scheme_id == ctg_id)
    )
    return rows[0] if rows else None


def within_ctg(frame: Any, values: Mapping[str, Any]) -> Outcome | None:
    """Why the action's theme and period, as they will be (`values`), do not fit its CTG; None if they do."""
    theme = values.get("theme")
    if theme is not None and frame.themes and theme not in frame.themes:
        covered = [_THEME_NAMES.get(name, name) for name in frame.themes]
        return refused(Refusal.INVALID, "theme", "action.theme_outside", themes=covered)
    start: date | None = values.get("period_start")
    end: date | None = values.get("period_end")
    if start is not None and start < frame.period_start:
        return refused(Refusal.INVALID, "period_start", "action.starts_before_ctg", ctgStart=frame.period_start)
    if frame.period_end is not None:
        if start is not None and start > frame.period_end:
            return refused(Refusal.INVALID, "period_start", "action.starts_after_ctg", ctgEnd=frame.period_end)
        if end is not None and end > frame.period_end:
            return refused(Refusal.INVALID, "period_end", "action.ends_after_ctg", ctgEnd=frame.period_end)
    return None


def still_open(status: str, changes: Mapping[str, Any]) -> Outcome | None:
    """Why a done or abandoned action refuses these changes; None when it takes them."""
    if status not in FINAL:
        return None
    for name in changes:
        if name not in CHANGEABLE_WHEN_FINAL:
            return refused(Refusal.INVALID, name, "action.final", status=ActionStatus(status))
    return None
