"""References from a write's input to other rows: each must be a row the caller may see, and fit.

A reference to a row the caller may not see is refused exactly like one to a row that does not exist
(NOT_FOUND, on the input field holding it), so a write never tells what a read would hide.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select

from db.graph import mapping as m
from db.graph.mapping import NodeSpec, _table
from db.graph.reads import rows_by_keys
from db.models import Scheme, SchemeObjective
from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused

_scheme, _objective = _table(Scheme), _table(SchemeObjective)


async def unseen(database: RequestDatabase, spec: NodeSpec, references: Sequence[tuple[str, int]]) -> Outcome | None:
    """NOT_FOUND on the first (field, key) whose row the caller does not see; None when it sees them all."""
    if not references:
        return None
    rows = await rows_by_keys(database, spec, [key for _field, key in references])
    for (field, _key), row in zip(references, rows, strict=True):
        if row is None:
            return refused(Refusal.NOT_FOUND, field, f"no such {spec.type_name.lower()}")
    return None


async def objectives_refusal(
    database: RequestDatabase, ctg_id: int, references: Sequence[tuple[str, int]]
) -> Outcome | None:
    """Why an action of this CTG may not serve these objectives (None if it may): each must be one the caller
    sees, of the CTG itself or of a scheme above it (national, or of the CTG's department; not another CTG
    or CEJ)."""
    hidden = await unseen(database, m.OBJECTIVE, references)
    if hidden or not references:
        return hidden
    department = select(_scheme.c.department_code).where(_scheme.c.id == ctg_id).scalar_subquery()
    fitting = await database.rows(
        select(_objective.c.id)
        .select_from(_objective.join(_scheme, _scheme.c.id == _objective.c.scheme_id))
        .where(
            _objective.c.id.in_([key for _field, key in references]),
            or_(
                _scheme.c.id == ctg_id,
                and_(
                    _scheme.c.kind.not_in(("CTG", "CEJ")),
                    or_(_scheme.c.scope == "national", _scheme.c.department_code == department),
                ),
            ),
        )
    )
    fits = {row.id for row in fitting}
    for field, key in references:
        if key not in fits:
            return refused(Refusal.INVALID, field, "this objective is neither the CTG's nor that of a scheme above it")
    return None
