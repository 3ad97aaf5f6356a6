"""Just enough French grammar for generated names and titles: articles, elision and contractions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# 'h' is not a vowel here: the few words that start with one in the vocabulary take no elision
# ("la halte-garderie", "le handicap"), and neither do most place names ("de Hazebrouck").
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


@dataclass(frozen=True)
class Noun:
    """A noun phrase and its gender: 'm', 'f' or 'p' (plural)."""

    text: str
    gender: str

    @property
    def definite(self) -> str:
        if self.gender == "p":
            return "les " + self.text
        if self.text[0] in _VOWELS:
            return "l'" + self.text
        return ("le " if self.gender == "m" else "la ") + self.text

    @property
    def indefinite(self) -> str:
        return {"m": "un ", "f": "une ", "p": "des "}[self.gender] + self.text


@dataclass(frozen=True)
class Adjective:
    masculine: str
    feminine: str
    plural: str

    def agreeing(self, noun: Noun) -> str:
        return {"m": self.masculine, "f": self.feminine, "p": self.plural}[noun.gender]


def of(phrase: str) -> str:
    """'de' before a phrase or a place name: "du Mans", "des familles", "d'Albi", "de la Rochelle"."""
    first, _, rest = phrase.partition(" ")
    if first in ("le", "Le") and rest:
        return "du " + rest
    if first in ("les", "Les") and rest:
        return "des " + rest
    if first == "des" and rest:
        return ("d'" if rest[0] in _VOWELS else "de ") + rest
    if phrase[0] in _VOWELS:
        return "d'" + phrase
    return "de " + phrase


def at(place: str) -> str:
    """'à' before a place name: "au Mans", "aux Sables-d'Olonne", "à Muret"."""
    first, _, rest = place.partition(" ")
    if first == "Le" and rest:
        return "au " + rest
    if first == "Les" and rest:
        return "aux " + rest
    return "à " + place


_EPCI_KINDS = {"CC": "communauté de communes", "CA": "communauté d'agglomération", "CU": "communauté urbaine"}
# Words that make an EPCI's name a proper name of its own: "Rodez Agglomération", "Communauté Pévèle Carembault".
_SELF_NAMED = re.compile(r"\b(Communauté|Agglomération|Agglo|Métropole|Eurométropole)\b")


def epci_phrase(name: str) -> str:
    """An EPCI's name as it reads in a sentence: "la communauté de communes du Pays de Gex"."""
    kind, _, rest = name.partition(" ")
    if kind not in _EPCI_KINDS or not rest:
        kind, rest = "", name
    named = _SELF_NAMED.match(rest)
    if named:
        return Noun(rest, "f").definite
    if _SELF_NAMED.search(rest.partition("(")[0]) or not kind:
        return rest
    return f"la {_EPCI_KINDS[kind]} {rest}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def listing(items: Sequence[str]) -> str:
    """ "A", "A et B", "A, B et C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for e-mail domains and web addresses."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
