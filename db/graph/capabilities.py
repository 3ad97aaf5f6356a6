"""What the caller may do with objects it reads: the relations their grant tables give it, for many objects in
one statement (auth/rules.py says what each relation allows)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import any_, func, select

from auth.rules import Grantor, Relation
from db.policies.conditions import GRANTS, caller_keys
from db.session import RequestDatabase


async def relations_to(database: RequestDatabase, grantor: Grantor, keys: Sequence[int]) -> list[frozenset[Relation]]:
    """The caller's relations to each object of `grantor`, aligned with `keys` (empty for none)."""
    table, column = GRANTS[grantor]
    rows = await database.rows(
        select(table.c[column], func.array_agg(table.c.relation.distinct()))
        .where(table.c[column].in_(list(keys)), table.c.grantee == any_(caller_keys()))
        .group_by(table.c[column])
    )
    found = {row[0]: frozenset(Relation(value) for value in row[1]) for row in rows}
    return [found.get(key, frozenset()) for key in keys]
