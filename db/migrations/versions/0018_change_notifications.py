"""Change notifications: every committed change to the rows subscribers follow is announced on one channel.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 08:30:00.000000

AFTER INSERT, UPDATE and DELETE triggers on actions, CTGs (their `scheme` row and their `ctg` row), indicator
values, reporting campaigns and facilities call `pg_notify` on the channel `maillage_changes` with a small JSON
payload: the kind of row, its id and the operation, never the row's content (`{"kind":"action","id":12,
"op":"update"}`). PostgreSQL delivers a notification only when the transaction that made it commits, and to every
session listening on the channel: every worker and every instance of the service learns every change
(db/notifications/feed.py), and each decides per subscriber, under that subscriber's scope, what to tell.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "maillage_changes"

# (table, kind announced, key column, condition on the row): a scheme is announced only when it is a CTG.
WATCHED = (
    ("action", "action", "id", None),
    ("scheme", "ctg", "id", "kind = 'CTG'"),
    ("ctg", "ctg", "scheme_id", None),
    ("indicator_value", "indicator_value", "id", None),
    ("reporting_campaign", "campaign", "id", None),
    ("facility", "facility", "id", None),
)

FUNCTION = f"""
CREATE FUNCTION notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    -- The kind and the key column come from the trigger's arguments; nothing of the row but its key is sent.
    PERFORM pg_notify(
        '{CHANNEL}',
        json_build_object('kind', TG_ARGV[0], 'id', (changed ->> TG_ARGV[1])::bigint, 'op', lower(TG_OP))::text
    );
    RETURN NULL;
END
$$
"""


def _triggers(table: str, kind: str, key: str, condition: str | None) -> list[str]:
    if condition is None:
        return [
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION notify_change('{kind}', '{key}')"
        ]
    # A WHEN clause may not read NEW on DELETE nor OLD on INSERT: one trigger per side.
    return [
        f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE ON {table} FOR EACH ROW "
        f"WHEN (NEW.{condition}) EXECUTE FUNCTION notify_change('{kind}', '{key}')",
        f"CREATE TRIGGER notify_change_deleted AFTER DELETE ON {table} FOR EACH ROW "
        f"WHEN (OLD.{condition}) EXECUTE FUNCTION notify_change('{kind}', '{key}')",
    ]


def upgrade() -> None:
    op.execute(FUNCTION)
    for table, kind, key, condition in WATCHED:
        for statement in _triggers(table, kind, key, condition):
            op.execute(statement)


def downgrade() -> None:
    for table, _kind, _key, condition in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS notify_change ON {table}")
        if condition is not None:
            op.execute(f"DROP TRIGGER IF EXISTS notify_change_deleted ON {table}")
    op.execute("DROP FUNCTION IF EXISTS notify_change()")
