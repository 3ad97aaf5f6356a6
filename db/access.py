"""The database side of access: who an identity is in Maillage, and the scope a transaction runs in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from auth.policy import KEYS_SETTING
from auth.rules import NATIONAL_KEY
from db.engine import LOCAL_ROLE
from db.session import RequestDatabase

# The role the service connects as: it owns nothing, and row-level security applies to it.
SERVICE_ROLE = "maillage_service"

# Who the caller is in Maillage, with the keys each membership gives. A definer function (db/policies/keys.py):
# it reads organisations and habilitations the caller's scope does not reach yet.
MEMBERSHIP_FUNCTION = "caller_access"
MEMBERSHIP_ARGUMENTS = 6  # as `MembershipQuery.arguments()` gives them


@dataclass(frozen=True)
class MembershipQuery:
    """Who to look up: the identity (issuer, subject) and what its token says of its organisation."""

    issuer: str
    subject: str
    organisation_key: str | None
    organisation_value: str | None
    caf_department: str | None
    roles: tuple[str, ...] = ()  # the token's roles, for the organisations it names

    def arguments(self) -> tuple[str | list[str] | None, ...]:
        """The function's arguments, in order."""
        return (
            self.organisation_key,
            self.organisation_value,
            self.caf_department,
            self.issuer,
            self.subject,
            list(self.roles),
        )


# The generation of access (migration 0020), which every change to what decides memberships moves.
GENERATION_SQL = "SELECT generation FROM access_generation"


@dataclass(frozen=True)
class MembershipRead:
    """Who an identity is, as of one generation of access."""

    rows: Sequence[Any]  # `caller_access` rows
    generation: int
    seconds_left: float | None  # before the first of its habilitations in force expires (None: none does)


def memberships_sql(placeholders: Sequence[str]) -> str:
    """One statement: the identity's memberships (`caller_access` rows as a JSON array), the generation of access
    they are at, and the seconds before its first habilitation in force expires. `placeholders` name the
    arguments of `MembershipQuery.arguments()` in the driver's style."""
    call = f"{MEMBERSHIP_FUNCTION}({', '.join(placeholders)})"
    issuer, subject = placeholders[3], placeholders[4]
    return (
        f"SELECT (SELECT coalesce(json_agg(m), '[]') FROM {call} AS m) AS rows, ({GENERATION_SQL}) AS generation, "
        f"caller_access_expiry({issuer}, {subject}) AS seconds_left"
    )


async def memberships_now(database: RequestDatabase, query: MembershipQuery) -> MembershipRead:
    """The identity's memberships, with the generation they are at and their first expiry, in one statement."""
    arguments = dict(zip([f"a{i}" for i in range(MEMBERSHIP_ARGUMENTS)], query.arguments(), strict=True))
    (row,) = await database.rows(text(memberships_sql([f":{name}" for name in arguments])), arguments)
    rows = row.rows if isinstance(row.rows, list) else json.loads(row.rows)
    return MembershipRead(rows, row.generation, row.seconds_left)


async def enter_scope(database: RequestDatabase, settings: dict[str, str], *, generation: bool = False) -> int | None:
    """Give the transaction the caller's scope, in one statement; behind a transaction pooler, the service role
    too (`SET LOCAL ROLE`), since its connections could not start as it (db/engine.py). With `generation`, the
    same statement reads the generation of access, and returns it."""
    role = database.session.info.get(LOCAL_ROLE)
    if role:
        settings = {**settings, "role": role}
    names = sorted(settings)
    calls = ", ".join(f"set_config(:name{i}, :value{i}, true)" for i in range(len(names)))
    if generation:
        calls += f", ({GENERATION_SQL}) AS generation"
    parameters: dict[str, Any] = {}
    for i, name in enumerate(names):
        parameters[f"name{i}"] = name
        parameters[f"value{i}"] = settings[name]
    (row,) = await database.rows(text(f"SELECT {calls}"), parameters)
    database.national = NATIONAL_KEY in settings.get(KEYS_SETTING, "").split(",")
    return int(row.generation) if generation else None
