"""Optimistic concurrency, checked on the row as read before a change, so that the audit trail's "before"
is the version the client changed from."""

from __future__ import annotations

from db.writes.outcome import Outcome, Refusal, refused


def stale(entity: str, current: int, version: int) -> Outcome | None:
    """CONFLICT, with the version the row is at, unless the client read `current`; None when it did."""
    if current == version:
        return None
    return refused(
        Refusal.CONFLICT,
        "version",
        f"the {entity} changed since version {version}: it is at version {current}; read it again",
        current,
    )
