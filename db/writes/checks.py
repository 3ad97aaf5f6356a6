"""The one vocabulary of input checks, for the schema's mutation inputs and the database writes alike.

Each check takes the input field at fault (snake_case, dotted for nested inputs, `[index]` for an item of a
list) and the value, and returns the value as it will be stored — trimmed, normalised — or raises `Invalid`
naming the field, with a message naming it as the client does (camelCase). A mutation stops at the first
(`schema.mutation.run` makes it the payload's refusal). The tables' constraints say the same again, as the
backstop; these say it with a message a person can act on, before any value reaches PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence, Sized
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from pydantic import HttpUrl, TypeAdapter, ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from db.writes.outcome import Outcome, Refusal, camel, refused

T = TypeVar("T")

# The Caf network dates from 1945; nothing it signs runs past the century.
FIRST_DAY = date(1945, 1, 1)
LAST_DAY = date(2100, 12, 31)
LIST_LENGTH = 100  # items of one list in an input, unless a rule says otherwise
KEY_LENGTH = 200  # an idempotency key
REASON_LENGTH = 2000  # why a change was made, as the history keeps it
AMOUNT_LIMIT = Decimal("1e12")  # numeric(14, 2): up to 999 999 999 999.99
CENT = Decimal("0.01")

_URL = TypeAdapter(HttpUrl)
_RNA = re.compile(r"W[0-9A-Z][0-9]{8}")
# Keys of the territory reference, by node type: checked before they reach SQL, so that any other text is a
# plain NOT_FOUND.
_TERRITORY_KEYS = {
    "Department": re.compile(r"[0-9][0-9AB][0-9]?"),
    "Epci": re.compile(r"[0-9]{9}"),
    "Commune": re.compile(r"[0-9][0-9AB][0-9]{3}"),
}


class Invalid(Exception):
    """An input value refused, raised on the first one: the input field at fault (snake_case, dotted for
    nested inputs), why (a message id of the catalogue, and its parameters), and the refusal: INVALID, or
    NOT_FOUND for a key no row can have."""

    def __init__(self, field: str | None, message: str, refusal: Refusal = Refusal.INVALID, **parameters: Any) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.refusal = refusal
        self.parameters = parameters

    @property
    def outcome(self) -> Outcome:
        """The refusal, as a write returns it."""
        return refused(self.refusal, self.field, self.message, **self.parameters)


def present(field: str, value: T | None) -> T:
    """A value that may be changed, not cleared."""
    if value is None:
        raise Invalid(field, "value.cleared")
    return value


def clean(field: str, value: str) -> str:
    """Text PostgreSQL can store: no NUL character, no half of a surrogate pair."""
    if "\x00" in value:
        raise Invalid(field, "text.nul")
    if any(unicodedata.category(character) == "Cs" for character in value):
        raise Invalid(field, "text.surrogate")
    return value


def text(field: str, value: str, maximum: int, *, minimum: int = 1, line: bool = False, trim: bool = True) -> str:
    """Text of `minimum` to `maximum` characters, stored trimmed (`trim`; otherwise as given, and counted so);
    with `line`, one line without control characters."""
    clean(field, value)
    if line and any(unicodedata.category(character) == "Cc" for character in value):
        raise Invalid(field, "text.line")
    stored = value.strip() if trim else value
    if minimum and not stored:
        raise Invalid(field, "text.blank")
    if not minimum <= len(stored) <= maximum:
        messages = {True: ("text.length_trimmed", "text.length"), False: ("text.at_most_trimmed", "text.at_most")}
        message = messages[bool(minimum)][0 if trim else 1]
        raise Invalid(field, message, minimum=minimum, maximum=maximum, length=len(stored))
    return stored


def optional_text(field: str, value: str | None, maximum: int) -> str | None:
    """Text of at most `maximum` characters once trimmed, stored trimmed; blank text is no text (None)."""
    if value is None:
        return None
    return text(field, value, maximum, minimum=0) or None


def day(field: str, value: date) -> date:
    """A day the Caf network may have signed or may sign for."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise Invalid(field, "day.range", first=FIRST_DAY, last=LAST_DAY, value=value)
    return value


def period(start: date | None, end: date | None, *, blame: str = "period_end") -> None:
    """An end on or after the start (either may be open); `blame` is the field at fault, the one the input
    changes when it changes only one end."""
    if start is not None and end is not None and end < start:
        raise Invalid(blame, "period.order", start=start, end=end)


def not_after(field: str, value: date, today: date) -> date:
    """A day that has come."""
    if value > today:
        raise Invalid(field, "day.future", value=value, today=today)
    return value


def future(field: str, value: datetime) -> datetime:
    """A moment to come, with its time zone."""
    if value.tzinfo is None:
        raise Invalid(field, "moment.time_zone")
    if value <= datetime.now(UTC):
        raise Invalid(field, "moment.past")
    return value


def amount(field: str, value: Decimal) -> Decimal:
    """A non-negative amount, in cents (hundredths), within what the columns hold."""
    if not value.is_finite():
        raise Invalid(field, "amount.number")
    if value < 0:
        raise Invalid(field, "amount.negative")
    if value >= AMOUNT_LIMIT:
        raise Invalid(field, "amount.limit", limit=int(AMOUNT_LIMIT))
    cents = value.quantize(CENT)
    if cents != value:
        raise Invalid(field, "amount.cents")
    return cents


def email(field: str, value: str) -> str:
    """A well-formed address, normalised (its domain is not looked up: `.example` addresses are fine)."""
    clean(field, value)
    try:
        address = validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as bad:
        raise Invalid(field, "email.invalid", reason=str(bad)) from bad
    if len(address) > 254:
        raise Invalid(field, "text.at_most", minimum=0, maximum=254, length=len(address))
    return address


def url(field: str, value: str) -> str:
    """An absolute http(s) address of at most 500 characters, trimmed."""
    address = text(field, value, 500, line=True)
    wrong = Invalid(field, "url.invalid")
    try:
        parts = urlsplit(address)
        _URL.validate_python(address)
    except (ValueError, ValidationError):
        raise wrong from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in address):
        raise wrong
    return address


def _number(field: str, value: str, what: str, digits: int, validate: Callable[[str], str]) -> str:
    try:
        number = validate(value)
    except InvalidChecksum as bad:
        raise Invalid(field, "number.check_digit", number=what) from bad
    except (InvalidLength, NumberError) as bad:
        raise Invalid(field, "number.digits", number=what, digits=digits) from bad
    return number


def siren(field: str, value: str) -> str:
    """A SIREN, compacted: its 9 digits, the last a Luhn check digit."""
    return _number(field, value, "SIREN", 9, stdnum_siren.validate)


def siret(field: str, value: str) -> str:
    """A SIRET, compacted: Luhn over its 14 digits, except La Poste's establishments, numbered by their own rule."""
    return _number(field, value, "SIRET", 14, stdnum_siret.validate)


def rna(field: str, value: str) -> str:
    """An association's RNA number, in capitals: W and 9 characters, the last 8 digits."""
    number = value.strip().upper()
    if not _RNA.fullmatch(number):
        raise Invalid(field, "rna.invalid")
    return number


def well_formed(type_name: str, key: Any) -> bool:
    """Whether `key` may be the key of a row of `type_name` (territory keys have a format; ids are checked
    when their global ID is read)."""
    pattern = _TERRITORY_KEYS.get(type_name)
    return pattern is None or (isinstance(key, str) and pattern.fullmatch(key) is not None)


def territory_key(field: str, type_name: str, key: str) -> str:
    """The key of a department, EPCI or commune; one no territory can have is NOT_FOUND."""
    if not well_formed(type_name, key):
        raise Invalid(field, "not_found", Refusal.NOT_FOUND, type=type_name)
    return key


def bounded(field: str, items: Sized, maximum: int = LIST_LENGTH) -> None:
    """A list of at most `maximum` items."""
    if len(items) > maximum:
        raise Invalid(field, "list.length", maximum=maximum, count=len(items))


def distinct(field: str, values: Sequence[Hashable], *, suffix: str | None = None) -> None:
    """Each value once. A repeat is refused on the list, or, with `suffix`, at its place in the list
    (`field[index]suffix`: `partners[2].organisation_id`)."""
    seen: set[Hashable] = set()
    for index, value in enumerate(values):
        if value in seen:
            if suffix is None:
                raise Invalid(field, "list.repeat", value=value)
            raise Invalid(f"{field}[{index}]{suffix}", "list.repeat_item", list=camel(field), index=index)
        seen.add(value)


def idempotency_key(value: str | None) -> str | None:
    """A key as the idempotency table stores it, as given: 1 to KEY_LENGTH characters; or none."""
    if value is None:
        return None
    return text("idempotency_key", value, KEY_LENGTH, trim=False)
