"""The action workflow, as one state machine: which status follows which, and who may move it.

    draft → submitted → validated → in_progress → done
                      ↘ rejected → draft        ↘ abandoned
                                    validated → abandoned

The Caf of the CTG's department validates or rejects what was submitted; whoever may change the action (the
Caf, the CTG's local authority, the action's carrier) submits, starts, finishes or abandons it, but a validated
action is given up before it starts by the Caf or the local authority only; a rejected action goes back to
draft to be reworked. Who is who comes from auth/rules.py. Anything else is an illegal transition, reported as
such, never silently ignored.
"""

from __future__ import annotations

from auth.rules import WHO, Can, Grantor, Relation, allowed
from db.models.enums import ActionStatus as S
from db.writes.outcome import Reason, transition

_ANYONE = allowed(Grantor.ACTION, Can.CHANGE)
_VALIDATING = allowed(Grantor.ACTION, Can.VALIDATE)

TRANSITIONS: dict[tuple[S, S], frozenset[Relation]] = {
    (S.DRAFT, S.SUBMITTED): _ANYONE,
    (S.SUBMITTED, S.VALIDATED): _VALIDATING,
    (S.SUBMITTED, S.REJECTED): _VALIDATING,
    (S.REJECTED, S.DRAFT): _ANYONE,
    (S.VALIDATED, S.IN_PROGRESS): _ANYONE,
    (S.VALIDATED, S.ABANDONED): allowed(Grantor.ACTION, Can.ABANDON_VALIDATED),
    (S.IN_PROGRESS, S.DONE): _ANYONE,
    (S.IN_PROGRESS, S.ABANDONED): _ANYONE,
}


def next_statuses(current: S) -> list[S]:
    return [to for (origin, to) in TRANSITIONS if origin is current]


def check_transition(current: S, target: S, held: frozenset[Relation]) -> Reason | None:
    """None when a caller in the relations `held` to an action may move it from `current` to `target`;
    otherwise why not."""
    allowed_here = TRANSITIONS.get((current, target))
    if allowed_here is None:
        return transition("Action", current, target, [status.name for status in next_statuses(current)])
    if not allowed_here & held:
        relations = [relation.value for relation in Relation if relation in allowed_here and relation in WHO]
        return Reason("action.transition_who", {"who": relations, "current": current, "target": target})
    return None


def is_illegal(current: S, target: S) -> bool:
    return (current, target) not in TRANSITIONS
