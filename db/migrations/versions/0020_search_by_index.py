"""Full-text searches answered by their GIN index under row-level security.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 09:30:00.000000

PostgreSQL applies a table's row-level security policy before any condition of the query whose operator is not
leakproof, and `@@` is not: a search of organisations, actions, schemes or facilities could not use its GIN index,
and read every visible row's text instead (350 ms for a national reader's search of the 59,000 organisations, the
same statement run by the owner 3 ms). Each `<table>_matching(query)` finds the ids whose text matches, by the
index, as the owner; the service keeps the rows of those ids its policies let it see. The ids alone reach no
caller: the query they filter is still under the caller's policies.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "maillage_service"
SEARCHED = ("organisation", "action", "scheme", "facility")


def _function(table: str) -> str:
    return f"""
CREATE FUNCTION {table}_matching(query text) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp ROWS 500 AS $$
  SELECT id FROM {table} WHERE search @@ websearch_to_tsquery('french', fold_accents(query))
$$"""


def upgrade() -> None:
    for table in SEARCHED:
        op.execute(_function(table))
        op.execute(f"REVOKE EXECUTE ON FUNCTION {table}_matching(text) FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {table}_matching(text) TO {ROLE}")


def downgrade() -> None:
    for table in reversed(SEARCHED):
        op.execute(f"DROP FUNCTION {table}_matching(text)")
