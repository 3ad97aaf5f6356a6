"""The life cycle of a scheme (a CTG's above all), as one state machine, and what may change in each status.

    draft → signed → active → expired
                            ↘ superseded (naming the scheme that took over)

The CTG mutations name the steps; `transitionScheme` makes the same moves for the other schemes.

- draft → signed (`signCtg`): once what is signed is complete — for a CTG a territory (its EPCI, or at
  least one commune), at least one theme, a period with an end, and among its signatories the Caf of its
  department and its local authority (the EPCI's organisation, each listed commune's, or the departmental
  council for a CTG of the whole department); for any scheme,
  at least one signatory, and every signatory with the day it signed.
- signed → active (`activateCtg`): from the first day of its period.
- active → expired (`closeCtg`): at the end of its period, or earlier when it is ended early.
- active → superseded (`supersedeCtg`): naming its successor, a signed or active scheme of the same kind
  and department.
Anything else is an illegal transition, reported as such with the moves there are, never ignored.

What is signed is settled in draft: title, period, parent, territory, themes, the CEJ replaced,
objectives and signatories. A signed or active scheme keeps them (an amendment is a new CTG that
supersedes it); its summary, published text, diagnostic, coordinator and governance bodies still
change. An expired or superseded scheme is a record: nothing of it changes any more.
"""

from __future__ import annotations

from enum import StrEnum

from db.models.enums import SchemeStatus as S
from db.writes.outcome import Reason, transition


class Part(StrEnum):
    """The parts of a scheme that change together, as the status rules see them."""

    SIGNED_TEXT = "what was signed"  # title, period, parent, territory, themes, CEJ, objectives, signatories
    LIVING = "how it is run"  # summary, source URL, diagnostic, coordinator, governance bodies


TRANSITIONS: dict[tuple[S, S], str] = {
    (S.DRAFT, S.SIGNED): "signCtg",
    (S.SIGNED, S.ACTIVE): "activateCtg",
    (S.ACTIVE, S.EXPIRED): "closeCtg",
    (S.ACTIVE, S.SUPERSEDED): "supersedeCtg",
}

CHANGEABLE: dict[S, frozenset[Part]] = {
    S.DRAFT: frozenset(Part),
    S.SIGNED: frozenset({Part.LIVING}),
    S.ACTIVE: frozenset({Part.LIVING}),
    S.EXPIRED: frozenset(),
    S.SUPERSEDED: frozenset(),
}


def next_statuses(current: S) -> list[S]:
    return [to for (origin, to) in TRANSITIONS if origin is current]


def check_transition(current: S, target: S, noun: str, *, steps: bool = True) -> Reason | None:
    """None when a scheme may go from `current` to `target`; otherwise why not, and what it may do (with
    `steps`, the CTG mutation making each move)."""
    if (current, target) in TRANSITIONS:
        return None
    moves = [f"{TRANSITIONS[(current, to)]} → {to.name}" if steps else to.name for to in next_statuses(current)]
    return transition(noun, current, target, moves)


def check_changeable(status: S, part: Part, what: str, noun: str) -> Reason | None:
    """None when `what` (a part of a scheme in `status`, in words) may still change; otherwise why not."""
    if part in CHANGEABLE[status]:
        return None
    message = "scheme.record" if not CHANGEABLE[status] else "scheme.signed_part"
    return Reason(message, {"type": noun, "status": status, "what": what})
