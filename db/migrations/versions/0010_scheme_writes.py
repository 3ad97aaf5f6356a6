"""Scheme writes: a superseded scheme names its successor; a draft's objectives may be removed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:00:00.000000

- `supersedeCtg` moves a CTG to `superseded` naming its successor: `scheme.superseded_by_id` keeps that
  link readable (`supersededBy`) rather than only in the audit trail. Older superseded rows (the demo's
  CEJ) have none. The write policies of 0008 are about rows, so they cover the new column.
- A scheme's objectives are links of the scheme like its signatures: the service may delete them, under
  the same rule as their other writes (the Caf of the department, the Cnaf's managers for national
  schemes and CPOGs). The application removes them from drafts only, and never while actions serve them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ROLE = "maillage_service"
OBJECTIVE_WRITABLE = "scheme_id IN (SELECT editable_scheme_ids())"


def upgrade() -> None:
    op.execute(f"GRANT DELETE ON scheme_objective TO {ROLE}")
    op.execute(
        f"CREATE POLICY scheme_objective_delete ON scheme_objective FOR DELETE TO {ROLE} USING ({OBJECTIVE_WRITABLE})"
    )
    op.add_column("scheme", sa.Column("superseded_by_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f("fk_scheme_superseded_by_id_scheme"), "scheme", "scheme", ["superseded_by_id"], ["id"])
    op.create_index(op.f("ix_scheme_superseded_by_id"), "scheme", ["superseded_by_id"])
    op.create_check_constraint(
        op.f("ck_scheme_superseded_by_consistent"),
        "scheme",
        "superseded_by_id IS NULL OR (status = 'superseded' AND superseded_by_id <> id)",
    )


def downgrade() -> None:
    op.execute("DROP POLICY scheme_objective_delete ON scheme_objective")
    op.execute(f"REVOKE DELETE ON scheme_objective FROM {ROLE}")
    op.drop_constraint(op.f("ck_scheme_superseded_by_consistent"), "scheme", type_="check")
    op.drop_index(op.f("ix_scheme_superseded_by_id"), table_name="scheme")
    op.drop_constraint(op.f("fk_scheme_superseded_by_id_scheme"), "scheme", type_="foreignkey")
    op.drop_column("scheme", "superseded_by_id")
