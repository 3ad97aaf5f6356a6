"""What the Caf's validation of an action holds to: its Caf funding.

An action is validated with the Caf's planned funding it then had. Only the Caf changes that funding (Can.FUND:
the Caf lines of the action, its `caf_funding`); a change of it once the action is validated sends the action back
for validation (submitted), the reason kept in the action's history, so that a validation never stands for an
amount it did not see.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from db.graph.mapping import _table
from db.models import FundingLine
from db.models.enums import ActionStatus
from db.session import RequestDatabase

_line = _table(FundingLine)


def back_for_validation(status: str, before: Decimal | None, after: Decimal | None) -> tuple[str, str] | None:
    """(the status the action goes to, why) when a change of its Caf funding from `before` to `after` sends it back
    for validation; None when it does not."""
    if status != ActionStatus.VALIDATED.value or before == after:
        return None
    reason = (
        f"the Caf's planned funding changed from {_euros(before)} to {_euros(after)} after the action was "
        "validated: it goes back for validation"
    )
    return ActionStatus.SUBMITTED.value, reason


def _euros(amount: Decimal | None) -> str:
    return "none" if amount is None else f"{amount} €"


async def has_funding_lines(database: RequestDatabase, action_id: int) -> bool:
    """Whether the action has funding lines, whose totals its budget and Caf funding then are (whoever may change
    them reads every line of the action)."""
    rows = await database.rows(select(func.count()).select_from(_line).where(_line.c.action_id == action_id))
    return bool(rows[0][0])
