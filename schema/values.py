"""Checking a mutation's input values one by one, with a message naming the field for each refusal.

Each check returns the value as it will be stored (trimmed, compacted, normalised) or raises `Invalid`.
The database's constraints say the same again, as the backstop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from db.writes.checks import Invalid
from db.writes.outcome import camel

_RNA = re.compile(r"W[0-9A-Z][0-9]{8}")


def text(value: str, field: str, maximum: int) -> str:
    """One line of text, trimmed, of 1 to `maximum` characters."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise Invalid(field, f"{camel(field)} is one line of text, without control characters")
    trimmed = value.strip()
    if not 1 <= len(trimmed) <= maximum:
        raise Invalid(field, f"{camel(field)} has 1 to {maximum} characters")
    return trimmed


def email(value: str, field: str = "email") -> str:
    try:
        address = validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as bad:
        raise Invalid(field, f"{camel(field)} is not an e-mail address: {bad}") from bad
    if len(address) > 254:
        raise Invalid(field, f"{camel(field)} has at most 254 characters")
    return address


def website(value: str, field: str = "website") -> str:
    address = text(value, field, 500)
    try:
        parts = urlsplit(address)
    except ValueError as bad:
        raise Invalid(field, f"{camel(field)} is not a web address") from bad
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in address):
        raise Invalid(field, f"{camel(field)} is an http:// or https:// address, e.g. https://www.caf.fr")
    return address


def _number(value: str, field: str, what: str, digits: int, validate: Callable[[str], str]) -> str:
    try:
        return validate(value)
    except InvalidChecksum as bad:
        raise Invalid(field, f"{camel(field)}: the {what}'s check digit is wrong (Luhn)") from bad
    except (InvalidLength, ValidationError) as bad:
        raise Invalid(field, f"{camel(field)}: a {what} has {digits} digits (spaces and dots are ignored)") from bad


def siren(value: str, field: str = "siren") -> str:
    return _number(value, field, "SIREN", 9, stdnum_siren.validate)


def siret(value: str, field: str = "siret") -> str:
    """A SIRET: Luhn over its 14 digits, except La Poste's establishments, numbered by their own rule."""
    return _number(value, field, "SIRET", 14, stdnum_siret.validate)


def rna(value: str, field: str = "rna") -> str:
    number = value.strip().upper()
    if not _RNA.fullmatch(number):
        raise Invalid(field, f"{camel(field)}: an RNA number is W and 9 characters, the last 8 digits (W313999902)")
    return number


def future(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise Invalid(field, f"{camel(field)} needs a time zone, e.g. 2027-01-01T00:00:00Z")
    if value <= datetime.now(UTC):
        raise Invalid(field, f"{camel(field)} is in the past")
    return value
