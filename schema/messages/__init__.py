"""Messages in the caller's language, from one catalogue: schema/messages/fr.po and en.po.

Code names a message by its id (`text.blank`) with its parameters as data (`{"field": "title"}`); the text is
rendered here, in the language the request negotiated (`Accept-Language`: French unless English is preferred),
and the parameters go to the client beside it (JSON-ready), so that a frontend may word its own. The db layer
returns ids and parameters only; the schema and the server render them. The catalogues are read once, at
import, with Babel: no build step. tests/schema/test_messages.py checks that every id used is in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

FRENCH = "fr"
ENGLISH = "en"
LANGUAGES = (FRENCH, ENGLISH)
DEFAULT = FRENCH

# The request's language, set by the server for each request (server/language.py) before anything runs.
LANGUAGE: ContextVar[str] = ContextVar("language", default=DEFAULT)


def _catalogue(language: str) -> dict[str, str]:
    with (Path(__file__).parent / f"{language}.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    return {str(message.id): str(message.string) for message in catalog if message.id and message.string}


CATALOGUES: dict[str, dict[str, str]] = {language: _catalogue(language) for language in LANGUAGES}


def negotiate(accept_language: str | None) -> str:
    """The language of an `Accept-Language` header: the supported one of the highest quality (the first
    named on a tie), French when none is named or the header does not read."""
    best, best_quality = DEFAULT, 0.0
    for part in (accept_language or "").split(","):
        tag, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES and quality > best_quality:
            best, best_quality = primary, quality
    return best


def current() -> str:
    """The language of the request being served."""
    return LANGUAGE.get()


def known(message_id: str) -> bool:
    return message_id in CATALOGUES[DEFAULT]


def data(value: Any) -> Any:
    """A parameter as the client receives it, in JSON: days and instants in ISO 8601, amounts as decimal
    text (exact), enum values by their GraphQL name, lists as lists."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): data(item) for key, item in value.items()}
    return value


def parameters_data(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {name: data(value) for name, value in parameters.items()}


def _shown(value: Any, language: str) -> str:
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, datetime):
        return format_datetime(value, format="medium", locale=language)
    if isinstance(value, date):
        return format_date(value, format="long", locale=language)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal):
        return format_decimal(value, locale=language)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_shown(item, language) for item in value)
    return str(value)


# Parameters holding terms of the catalogue rather than text: `type` a GraphQL type (`type.Action`: "action"),
# `who` a list of relations to an object (`who.caf`: "the Caf of the department"), joined by "or".
_TERMS = {"type": "type.", "who": "who."}


def _term(prefix: str, value: Any, language: str) -> str:
    if isinstance(value, list | tuple):
        words = [_term(prefix, item, language) for item in value]
        return CATALOGUES[language]["word.or"].join(words) if words else CATALOGUES[language]["who.nobody"]
    return CATALOGUES[language].get(f"{prefix}{data(value)}", str(data(value)))


def text(message_id: str, parameters: Mapping[str, Any] | None = None, language: str | None = None) -> str:
    """The message `message_id` in `language` (the request's by default), its parameters put in. An id the
    catalogue lacks is shown as is (never raised: a message is not worth a failed request)."""
    language = language or current()
    template = CATALOGUES[language].get(message_id) or CATALOGUES[DEFAULT].get(message_id)
    if template is None:
        return message_id
    shown = {
        name: _term(_TERMS[name], value, language) if name in _TERMS else _shown(value, language)
        for name, value in (parameters or {}).items()
    }
    try:
        return template.format_map(shown)
    except (KeyError, IndexError, ValueError):
        return template
