"""Optimistic concurrency: the one refusal of a change made from a version the row is no longer at.

Writers compare the version the client read with the row as read before the change, so that the audit
trail's "before" is the version the client changed from; the UPDATE applies only at that version again
(`rows.update_row`), and says the same when a concurrent change got there first.
"""

from __future__ import annotations

from db.writes.outcome import Outcome, Refusal, refused


def conflict(version: int, current: int, *, field: str = "version", noun: str | None = None) -> Outcome:
    """CONFLICT on `field` (the input holding the version the client read), naming the version the row is
    at now (`currentVersion`), so that the client reads it again before retrying."""
    return refused(Refusal.CONFLICT, field, "version.conflict", current, version=version)


def stale(version: int, current: int, *, field: str = "version", noun: str | None = None) -> Outcome | None:
    """The conflict when the client read `version` and the row is at `current`; None when they agree."""
    return None if current == version else conflict(version, current, field=field, noun=noun)
