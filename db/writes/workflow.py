"""The action workflow, as one state machine: which status follows which, and who may move it.

    draft → submitted → validated → in_progress → done
                      ↘ rejected → draft        ↘ abandoned
                                    validated → abandoned

The Caf of the CTG's department validates or rejects what was submitted; the local authority of the CTG
and the action's carrier submit, start, finish or abandon it; a rejected action goes back to draft to be
reworked. Anything else is an illegal transition, reported as such, never silently ignored.
"""

from __future__ import annotations

from enum import StrEnum

from db.models.enums import ActionStatus as S


class Capacity(StrEnum):
    """In what capacity a caller acts on an action."""

    CAF = "caf"  # staff of the Caf of the CTG's department
    LOCAL_AUTHORITY = "local_authority"  # staff of the local authority whose territory the CTG covers
    CARRIER = "carrier"  # staff of the organisation carrying the action


_ANYONE = frozenset(Capacity)
_CAF = frozenset({Capacity.CAF})
_LOCAL = frozenset({Capacity.CAF, Capacity.LOCAL_AUTHORITY})

TRANSITIONS: dict[tuple[S, S], frozenset[Capacity]] = {
    (S.DRAFT, S.SUBMITTED): _ANYONE,
    (S.SUBMITTED, S.VALIDATED): _CAF,
    (S.SUBMITTED, S.REJECTED): _CAF,
    (S.REJECTED, S.DRAFT): _ANYONE,
    (S.VALIDATED, S.IN_PROGRESS): _ANYONE,
    (S.VALIDATED, S.ABANDONED): _LOCAL,
    (S.IN_PROGRESS, S.DONE): _ANYONE,
    (S.IN_PROGRESS, S.ABANDONED): _ANYONE,
}


def next_statuses(current: S) -> list[S]:
    return [to for (origin, to) in TRANSITIONS if origin is current]


def check_transition(current: S, target: S, capacities: frozenset[Capacity]) -> str | None:
    """None when a caller acting in `capacities` may move an action from `current` to `target`;
    otherwise why not."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        options = ", ".join(status.value for status in next_statuses(current)) or "none: it is final"
        return f"an action cannot go from {current.value} to {target.value} (from {current.value}: {options})"
    if not allowed & capacities:
        who = " or ".join(sorted(capacity.value.replace("_", " ") for capacity in allowed))
        return f"only the {who} may move an action from {current.value} to {target.value}"
    return None


def is_illegal(current: S, target: S) -> bool:
    return (current, target) not in TRANSITIONS
