"""Rules on input values alone, before any SQL: text, days, periods, addresses, lists.

Each check returns None when the value is acceptable, or the refusal naming the input field (snake_case,
dotted for nested inputs: `coordinator.email`). The tables' constraints say the same again as a backstop;
these say it with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from email_validator import EmailNotValidError, validate_email
from pydantic import HttpUrl, TypeAdapter, ValidationError

from db.writes.outcome import Outcome, Refusal, refused

# The Caf network dates from 1945; nothing it signs runs past the century.
FIRST_DAY = date(1945, 1, 1)
LAST_DAY = date(2100, 12, 31)

_URL = TypeAdapter(HttpUrl)


class Invalid(Exception):
    """An input value refused, raised on the first one: the input field at fault (snake_case, dotted for
    nested inputs), why, and the refusal: INVALID, or NOT_FOUND for a key no row can have."""

    def __init__(self, field: str | None, message: str, refusal: Refusal = Refusal.INVALID) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.refusal = refusal

    @property
    def outcome(self) -> Outcome:
        """The refusal, as a write returns it."""
        return refused(self.refusal, self.field, self.message)


def first(*checks: Outcome | None) -> Outcome | None:
    """The first refusal among checks already made, if any."""
    return next((check for check in checks if check is not None), None)


def clean(field: str, value: str | None) -> Outcome | None:
    """Text PostgreSQL can store: no NUL character, nothing that is not Unicode text."""
    if value is None:
        return None
    if "\x00" in value:
        return refused(Refusal.INVALID, field, f"{field} may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return refused(Refusal.INVALID, field, f"{field} is not valid Unicode text")
    return None


def text(field: str, value: str | None, high: int, *, low: int = 0) -> Outcome | None:
    """`value`, once trimmed, has `low` to `high` characters (None passes: whether it may be left out is
    the caller's rule)."""
    if value is None:
        return None
    bad = clean(field, value)
    if bad:
        return bad
    length = len(value.strip())
    if not low <= length <= high:
        span = f"{low} to {high}" if low else f"at most {high}"
        return refused(Refusal.INVALID, field, f"{field} has {span} characters (not counting spaces around it)")
    return None


def day(field: str, value: date | None) -> Outcome | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        return refused(Refusal.INVALID, field, f"{field} must fall between {FIRST_DAY} and {LAST_DAY}")
    return None


def period(start: date | None, end: date | None, *, blame: str = "period_end") -> Outcome | None:
    """An end on or after the start; `blame` is the field given in the input when only one end changes."""
    bad = first(day("period_start", start), day("period_end", end))
    if bad:
        return bad
    if start is not None and end is not None and end < start:
        return refused(Refusal.INVALID, blame, f"the period ends on {end}, before it starts on {start}")
    return None


def not_after_today(field: str, value: date | None, today: date) -> Outcome | None:
    if value is not None and value > today:
        return refused(Refusal.INVALID, field, f"{field} is {value}: it cannot be in the future")
    return None


def email(field: str, value: str | None) -> Outcome | None:
    """A well-formed address (its domain is not looked up: `.example` addresses are fine)."""
    if value is None:
        return None
    bad = text(field, value, 254, low=3)
    if bad:
        return bad
    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return refused(Refusal.INVALID, field, f"{field} is not an e-mail address: {error}")
    return None


def url(field: str, value: str | None) -> Outcome | None:
    """An absolute http(s) URL of at most 500 characters."""
    if value is None:
        return None
    bad = text(field, value, 500, low=1)
    if bad:
        return bad
    try:
        _URL.validate_python(value.strip())
    except ValidationError:
        return refused(Refusal.INVALID, field, f"{field} is not an http(s) URL")
    return None


def distinct(field: str, values: Sequence[str], *, low: int = 0, high: int = 500) -> Outcome | None:
    """A list without repeats, of `low` to `high` items."""
    if not low <= len(values) <= high:
        return refused(Refusal.INVALID, field, f"{field} lists {low} to {high} items, not {len(values)}")
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return refused(Refusal.INVALID, field, f"{field} lists {value} twice")
        seen.add(value)
    return None


def trimmed(value: str | None) -> str | None:
    """What is stored of a text: without the spaces around it; empty optional text is no text."""
    if value is None:
        return None
    return value.strip() or None


def all_clean(field: str, values: Iterable[str]) -> Outcome | None:
    return first(*(clean(field, value) for value in values))
