"""What the caller may do with a row, as the access rules say: read beside the row, refused in their words.

The relations an object grants the caller come from its grant table in the same statement as the object
(`relations_held`), and `auth.rules.PERMISSIONS` says what they allow; a refusal names who may, from the same
rules. Rules on an organisation's or a scheme's own columns are evaluated on the proposed values by
PostgreSQL, with the very conditions its policies hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, select

from auth.rules import WHO, Can, Grantor, Relation, allowed
from db.policies.conditions import proposed
from db.session import RequestDatabase
from db.writes.outcome import Outcome, Refusal, refused


def relations(values: Iterable[str] | None) -> frozenset[Relation]:
    """The relations an array column of `relations_held` holds."""
    return frozenset(Relation(value) for value in values or ())


def permits(grantor: Grantor, can: Can, held: frozenset[Relation]) -> bool:
    return bool(held & allowed(grantor, can))


def forbidden(grantor: Grantor, can: Can, field: str | None, what: str) -> Outcome:
    """FORBIDDEN on `field`: only those the rule names may make the change (`what`, for the logs' reader)."""
    who = [relation.value for relation in Relation if relation in allowed(grantor, can) and relation in WHO]
    return refused(Refusal.FORBIDDEN, field, "forbidden.rule", who=who, permission=can.value)


async def allows(database: RequestDatabase, rule: Callable[[Any], ColumnElement[bool]], values: dict[str, Any]) -> bool:
    """Whether the rule holds for a row of these values, for this caller."""
    return bool((await database.rows(select(rule(proposed(values)))))[0][0])
