"""The chain of schemes — COG → CPOG → departmental schemes → CTG — as rules on a scheme's parent.

A scheme sits under one of a lower rank only, so the chain can never loop: COGs have no parent; a CPOG
declines a COG; a departmental scheme (SDSF, SDAVS, education charter) a COG or its department's CPOG; a
CTG implements a departmental scheme of its own department; a CEJ sat under a COG.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models.enums import SchemeKind as K
from db.models.enums import SchemeScope
from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.schemes import references

DEPARTMENTAL = frozenset({K.SDSF, K.SDAVS, K.EDUCATION_CHARTER})

PARENT_KINDS: dict[K, frozenset[K]] = {
    K.COG: frozenset(),
    K.CPOG: frozenset({K.COG}),
    K.SDSF: frozenset({K.COG, K.CPOG}),
    K.SDAVS: frozenset({K.COG, K.CPOG}),
    K.EDUCATION_CHARTER: frozenset({K.COG, K.CPOG}),
    K.CEJ: frozenset({K.COG}),
    K.CTG: DEPARTMENTAL,
}


def _names(kinds: frozenset[K]) -> list[str]:
    return sorted(kind.name for kind in kinds)


def parent_rule(
    kind: K, department_code: str | None, parent: Any, field: str, start: date | None = None
) -> Outcome | None:
    """None when `parent` (a scheme row) may be the parent of a scheme of `kind` in `department_code` starting
    on `start`: a scheme implements one in force when it starts, not one that had ended before."""
    allowed = PARENT_KINDS[kind]
    if not allowed:
        return refused(Refusal.INVALID, field, "chain.head", kind=kind)
    if parent.kind not in allowed:
        return refused(
            Refusal.INVALID, field, "chain.parent_kind", kind=kind, allowed=_names(allowed), parentKind=K(parent.kind)
        )
    if parent.scope != SchemeScope.NATIONAL.value and parent.department_code != department_code:
        return refused(
            Refusal.INVALID,
            field,
            "chain.parent_department",
            parentDepartment=parent.department_code,
            department=department_code,
        )
    if start is not None and parent.period_end is not None and parent.period_end < start:
        return refused(
            Refusal.INVALID,
            field,
            "chain.parent_ended",
            parentKind=K(parent.kind),
            parentEnd=parent.period_end,
            kind=kind,
            start=start,
        )
    return None


async def parent_of(
    database: RequestDatabase, kind: K, department_code: str | None, parent_id: int, field: str, start: date | None
) -> Any | Outcome:
    """The parent row if the caller sees it and the chain allows it; otherwise the refusal."""
    parent = await references.scheme(database, parent_id, field)
    if isinstance(parent, Outcome):
        return parent
    return parent_rule(kind, department_code, parent, field, start) or parent
