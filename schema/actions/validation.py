"""Checks of the values a mutation on actions is given, before any SQL, each naming the input field at
fault and saying what is wrong. The tables' constraints (db/models/actions.py) say the same again, as the
backstop; these give the precise message and never let a value reach PostgreSQL that it could not store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence, Sized
from datetime import date
from decimal import Decimal
from typing import Any

from db.graph.mapping import NodeSpec
from db.writes.checks import Invalid
from db.writes.outcome import camel
from schema.write_inputs import node_keys

TITLE_LENGTH = 300
TEXT_LENGTH = 10_000  # description, objectives, target public
NAME_LENGTH = 200  # an indicator's name, a partner's role
UNIT_LENGTH = 50
COMMENT_LENGTH = 2_000
KEY_LENGTH = 200  # an idempotency key
LIST_LENGTH = 100  # partners or objectives in one input
# numeric(14, 2): up to 999 999 999 999.99, in cents.
AMOUNT_LIMIT = Decimal("1e12")
CENT = Decimal("0.01")
INT_MAX = 2**31 - 1


def text(field: str, value: str, maximum: int, *, required: bool = False) -> str:
    """The text, trimmed when it is `required` (a title, a name), as PostgreSQL can store it."""
    if "\x00" in value or any(unicodedata.category(character) == "Cs" for character in value):
        raise Invalid(field, f"{camel(field)} holds a character text cannot hold (NUL, or half of a surrogate pair)")
    if required:
        value = value.strip()
        if not value:
            raise Invalid(field, f"{camel(field)} may not be blank")
    if len(value) > maximum:
        raise Invalid(field, f"{camel(field)} has at most {maximum} characters")
    return value


def amount(field: str, value: Decimal) -> Decimal:
    """A non-negative amount in cents, within what the columns hold."""
    if not value.is_finite():
        raise Invalid(field, f"{camel(field)} must be a number")
    if value < 0:
        raise Invalid(field, f"{camel(field)} may not be negative")
    if value >= AMOUNT_LIMIT:
        raise Invalid(field, f"{camel(field)} must be below {AMOUNT_LIMIT:,.0f}")
    cents = value.quantize(CENT)
    if cents != value:
        raise Invalid(field, f"{camel(field)} has at most two decimals")
    return cents


def period(start_field: str, start: date | None, end_field: str, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise Invalid(end_field, f"{camel(end_field)} ({end}) is before {camel(start_field)} ({start})")


def bounded(field: str, items: Sized) -> None:
    if len(items) > LIST_LENGTH:
        raise Invalid(field, f"{camel(field)} lists at most {LIST_LENGTH} items")


def distinct(field: str, keys: Iterable[Any], suffix: str = "") -> None:
    """Each key once: a repeat is refused at its place in the list (`field[index]suffix`)."""
    seen: set[Any] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise Invalid(f"{field}[{index}]{suffix}", f"{camel(field)}[{index}] repeats an earlier item")
        seen.add(key)


def listed_keys(field: str, values: Sequence[str], spec: NodeSpec) -> tuple[tuple[str, int], ...]:
    """The row ids behind a list of global IDs, each with its place in the input (`field[index]`), each once."""
    bounded(field, values)
    keys = node_keys(field, values, spec)
    distinct(field, keys)
    return tuple((f"{field}[{index}]", key) for index, key in enumerate(keys))


_TEXTS = {"description": TEXT_LENGTH, "objectives": TEXT_LENGTH, "target_public": TEXT_LENGTH}


def action_fields(values: dict[str, Any]) -> dict[str, Any]:
    """An action's column values (any of them), checked and normalised: the title trimmed, amounts in cents.

    A pair given together is checked together (the period's end after its start, Caf funding within the
    budget); with one of them only, the table's constraints compare it with the other as stored.
    """
    checked_values = dict(values)
    if checked_values.get("title") is not None:
        checked_values["title"] = text("title", checked_values["title"], TITLE_LENGTH, required=True)
    for name, maximum in _TEXTS.items():
        if checked_values.get(name) is not None:
            checked_values[name] = text(name, checked_values[name], maximum)
    for name in ("budget", "caf_funding"):
        if checked_values.get(name) is not None:
            checked_values[name] = amount(name, checked_values[name])
    progress = checked_values.get("progress")
    if progress is not None and not 0 <= progress <= 100:
        raise Invalid("progress", "progress is a percentage, from 0 to 100")
    number = checked_values.get("number")
    if number is not None and not 1 <= number <= INT_MAX:
        raise Invalid("number", "an action's number is at least 1")
    period("period_start", checked_values.get("period_start"), "period_end", checked_values.get("period_end"))
    budget, funding = checked_values.get("budget"), checked_values.get("caf_funding")
    if budget is not None and funding is not None and funding > budget:
        raise Invalid("caf_funding", f"cafFunding ({funding}) exceeds the budget ({budget})")
    return checked_values


def idempotency_key(value: str | None) -> str | None:
    """A key as the idempotency table stores it (1 to KEY_LENGTH characters), or None."""
    if value is None:
        return None
    if not value:
        raise Invalid("idempotency_key", f"idempotencyKey has 1 to {KEY_LENGTH} characters")
    return text("idempotency_key", value, KEY_LENGTH)
