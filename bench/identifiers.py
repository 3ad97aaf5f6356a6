"""SIREN, SIRET and RNA numbers that pass the database's checks and never collide."""

from __future__ import annotations

import random


def with_check_digit(body: str) -> str:
    """`body` followed by the digit that makes it pass the Luhn check (`luhn_valid` in SQL)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        # The check digit will be rightmost, so every other digit from the right of `body` doubles.
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return body + str(-total % 10)


def head_office_siret(siren: str) -> str:
    """The SIRET of an organisation's first establishment: its SIREN, NIC 0001 and a check digit."""
    return with_check_digit(siren + "0001")


class Identifiers:
    """Hands out unused identifiers; `taken` holds every SIREN, SIRET and RNA already in use."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self._rng = rng
        self._taken = taken
        self._rna_next: dict[str, int] = {}

    def claim(self, identifier: str | None) -> str | None:
        """`identifier` if no one holds it yet (it is then held), otherwise None."""
        if identifier is None or identifier in self._taken:
            return None
        self._taken.add(identifier)
        return identifier

    def association_siren(self) -> str:
        # Associations mostly hold SIRENs starting with 7 or 8, public bodies 1 or 2: a generated
        # association can never take the SIREN of a commune or an EPCI of the reference.
        while True:
            siren = with_check_digit(self._rng.choice("78") + f"{self._rng.randrange(10**7):07d}")
            if self.claim(siren):
                return siren

    def rna(self, department_code: str) -> str:
        """A number of the prefecture's register: W, a three-character register code, six digits."""
        register = _register(department_code)
        while True:
            number = self._rna_next.get(register) or self._rng.randrange(1_000, 400_000)
            self._rna_next[register] = number + self._rng.randint(1, 9)
            rna = f"W{register}{number:06d}"
            if self.claim(rna):
                return rna


def _register(department_code: str) -> str:
    # Corsica keeps the pre-1976 code 20; mainland prefectures are '<department>1'; overseas, the code itself.
    if department_code in ("2A", "2B"):
        return "20" + ("1" if department_code == "2A" else "2")
    return department_code if len(department_code) == 3 else department_code + "1"
