"""The database side of access: who an identity is in Maillage, and the scope a transaction runs in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from db.session import RequestDatabase

# The role the service connects as: it owns nothing, and row-level security applies to it.
SERVICE_ROLE = "maillage_service"

# Who the caller is in Maillage. A definer function (migration 0005): it reads organisations and
# habilitations the caller's scope does not reach yet.
MEMBERSHIP_FUNCTION = "caller_memberships"


@dataclass(frozen=True)
class MembershipQuery:
    """Who to look up: the identity (issuer, subject) and what its token says of its organisation."""

    issuer: str
    subject: str
    organisation_key: str | None
    organisation_value: str | None
    caf_department: str | None

    def arguments(self) -> tuple[str | None, ...]:
        """The function's arguments, in order."""
        return (self.organisation_key, self.organisation_value, self.caf_department, self.issuer, self.subject)


async def organisations_and_habilitations(database: RequestDatabase, query: MembershipQuery) -> Sequence[Any]:
    """Rows (id, kind, department_code, epci_siren, commune_insee_code, role): role is None for the
    organisations the token names, the habilitation's role otherwise."""
    names = [f"a{i}" for i in range(len(query.arguments()))]
    call = f"SELECT * FROM {MEMBERSHIP_FUNCTION}({', '.join(':' + name for name in names)})"
    return await database.rows(text(call), dict(zip(names, query.arguments(), strict=True)))


async def enter_scope(database: RequestDatabase, settings: dict[str, str]) -> None:
    """Give the transaction the caller's scope, in one statement."""
    names = sorted(settings)
    calls = ", ".join(f"set_config(:name{i}, :value{i}, true)" for i in range(len(names)))
    parameters: dict[str, Any] = {}
    for i, name in enumerate(names):
        parameters[f"name{i}"] = name
        parameters[f"value{i}"] = settings[name]
    await database.rows(text(f"SELECT {calls}"), parameters)
    database.national = settings.get("maillage.national") == "true"
