"""What a change notification says: the kind of row, its id, the operation. Never the row's content."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

# The channel migration 0018's triggers notify on.
CHANNEL = "maillage_changes"


class ChangeKind(StrEnum):
    ACTION = "action"
    CTG = "ctg"
    INDICATOR_VALUE = "indicator_value"
    CAMPAIGN = "campaign"
    FACILITY = "facility"


class ChangeOperation(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    id: int
    operation: ChangeOperation


def parse_change(payload: str) -> Change | None:
    """The change a notification's payload announces; None for one this version does not know."""
    try:
        data = json.loads(payload)
        return Change(ChangeKind(data["kind"]), int(data["id"]), ChangeOperation(data["op"]))
    except (ValueError, TypeError, KeyError):
        return None
