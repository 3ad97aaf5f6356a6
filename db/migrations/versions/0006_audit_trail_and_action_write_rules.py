"""Audit trail, append-only for the service, and the first write rule: who may update an action.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 07:06:00.000000

The service may insert audit events and read those of the entities it sees, never change or delete one.
An action may be updated by the Caf of its CTG's department, by the local authority whose territory its
CTG covers, and by its carrier (the application narrows a carrier to the fields it may change); the Cnaf
reads everything and writes nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who may change an action, and whether fully (Caf of the department, local authority of the CTG) or only
# as its carrier: one row per editable action.
EDITABLE_ACTIONS = """
CREATE FUNCTION editable_actions() RETURNS TABLE (id bigint, fully boolean)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id, bool_or(fully) FROM (
    SELECT a.id, true AS fully FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE s.department_code = ANY(access_caf_departments())
    UNION ALL
    SELECT id, true FROM action WHERE ctg_id IN (SELECT local_scheme_ids())
    UNION ALL
    SELECT id, false FROM action WHERE carrier_id = ANY(access_organisations())
  ) AS editable
  GROUP BY id
$$
"""

EDITABLE = "id IN (SELECT id FROM editable_actions())"
AUDIT_VISIBLE = "(SELECT access_national()) OR (entity = 'action' AND entity_id IN (SELECT visible_action_ids()))"


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("organisation_id", sa.BigInteger(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("operation IN ('create', 'update', 'archive')", name=op.f("ck_audit_event_operation_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_entity", "audit_event", ["entity", "entity_id", "id"], unique=False)
    # Append-only: the service may add and read events, never update or delete them.
    op.execute("GRANT SELECT, INSERT ON audit_event TO maillage_service")
    op.execute("GRANT USAGE ON SEQUENCE audit_event_id_seq TO maillage_service")
    op.execute("ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY audit_event_visible ON audit_event FOR SELECT TO maillage_service USING ({AUDIT_VISIBLE})"
    )
    op.execute("CREATE POLICY audit_event_insert ON audit_event FOR INSERT TO maillage_service WITH CHECK (true)")

    op.execute(EDITABLE_ACTIONS)
    op.execute("REVOKE EXECUTE ON FUNCTION editable_actions() FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION editable_actions() TO maillage_service")
    op.execute("DROP POLICY action_update ON action")
    op.execute(
        f"CREATE POLICY action_update ON action FOR UPDATE TO maillage_service USING ({EDITABLE}) WITH CHECK ({EDITABLE})"
    )


def downgrade() -> None:
    op.execute("DROP POLICY action_update ON action")
    op.execute("CREATE POLICY action_update ON action FOR UPDATE TO maillage_service USING (false) WITH CHECK (false)")
    op.execute("DROP FUNCTION editable_actions()")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
    op.drop_table("audit_event")
