"""The callers the benchmark measures: development personas (auth/dev_personas.py), each with the scope
its token gives, read from the database.

The Cnaf analyst sees everything; the others are scoped: a Caf agent (department 31), a member of an
association, the staff of an EPCI and a cosignatory departmental council, all in the demo's organisations
(`maillage load-demo` before `bench.generate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from auth.dev_personas import BY_NAME, Persona
from bench import scopes
from bench.scopes import Scope

ANALYST = "cnaf-analyst"
NAMES = (ANALYST, "caf-31-agent", "association-member", "epci-coordinator", "council-44-member")


@dataclass(frozen=True)
class BenchPersona:
    persona: Persona
    scope: Scope

    @property
    def name(self) -> str:
        return self.persona.name

    def describe(self) -> str:
        return f"{self.persona.description} ({self.scope.describe()})"


async def resolve(connection: asyncpg.Connection, names: Sequence[str]) -> list[BenchPersona]:
    """The named personas with their scopes; `scopes.ScopeError` when one's organisation is missing."""
    return [BenchPersona(BY_NAME[name], await scopes.of_persona(connection, BY_NAME[name])) for name in names]


def known(name: str) -> bool:
    return name in BY_NAME
