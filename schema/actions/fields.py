"""The values of an action's inputs, checked before any SQL with the one vocabulary of `db.writes.checks`.

The tables' constraints (db/models/actions.py) say the same again, as the backstop; these give the precise
message and never let a value reach PostgreSQL that it could not store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.graph.mapping import NodeSpec
from db.writes import checks
from db.writes.checks import Invalid
from schema.write_inputs import node_keys

TITLE_LENGTH = 300
TEXT_LENGTH = 10_000  # description, objectives, target public
NAME_LENGTH = 200  # an indicator's name, a partner's role
UNIT_LENGTH = 50
COMMENT_LENGTH = 2_000
INT_MAX = 2**31 - 1

_TEXTS = {"description": TEXT_LENGTH, "objectives": TEXT_LENGTH, "target_public": TEXT_LENGTH}


def free_text(field: str, value: str | None, maximum: int) -> str | None:
    """An optional text of an action (a description, a role, a comment), stored as given."""
    return None if value is None else checks.text(field, value, maximum, minimum=0, trim=False)


def listed_keys(field: str, values: Sequence[str], spec: NodeSpec) -> tuple[tuple[str, int], ...]:
    """The row ids behind a list of global IDs, each with its place in the input (`field[index]`), each once."""
    checks.bounded(field, values)
    keys = node_keys(field, values, spec)
    checks.distinct(field, keys, suffix="")
    return tuple((f"{field}[{index}]", key) for index, key in enumerate(keys))


def action_fields(values: dict[str, Any]) -> dict[str, Any]:
    """An action's column values (any of them), checked and normalised: the title trimmed, amounts in cents.

    A pair given together is checked together (the period's end after its start, Caf funding within the
    budget); with one of them only, the table's constraints compare it with the other as stored.
    """
    checked_values = dict(values)
    if checked_values.get("title") is not None:
        checked_values["title"] = checks.text("title", checked_values["title"], TITLE_LENGTH)
    for name, maximum in _TEXTS.items():
        if name in checked_values:
            checked_values[name] = free_text(name, checked_values[name], maximum)
    for name in ("budget", "caf_funding"):
        if checked_values.get(name) is not None:
            checked_values[name] = checks.amount(name, checked_values[name])
    progress = checked_values.get("progress")
    if progress is not None and not 0 <= progress <= 100:
        raise Invalid("progress", "action.progress")
    number = checked_values.get("number")
    if number is not None and not 1 <= number <= INT_MAX:
        raise Invalid("number", "action.number")
    checks.period(checked_values.get("period_start"), checked_values.get("period_end"))
    budget, funding = checked_values.get("budget"), checked_values.get("caf_funding")
    if budget is not None and funding is not None and funding > budget:
        raise Invalid("caf_funding", "action.funding_over_budget", cafFunding=funding, budget=budget)
    return checked_values
