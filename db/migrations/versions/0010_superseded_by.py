"""A superseded scheme names the scheme that took over from it.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 08:00:00.000000

`supersedeCtg` moves a CTG to `superseded` naming its successor; the column keeps that link readable
(`supersededBy`) rather than only in the audit trail. Older superseded rows (the demo's CEJ) may have none.
The write policies of 0008 cover the new column: they are about rows, not columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("scheme", sa.Column("superseded_by_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f("fk_scheme_superseded_by_id_scheme"), "scheme", "scheme", ["superseded_by_id"], ["id"])
    op.create_index(op.f("ix_scheme_superseded_by_id"), "scheme", ["superseded_by_id"])
    op.create_check_constraint(
        op.f("ck_scheme_superseded_by_consistent"),
        "scheme",
        "superseded_by_id IS NULL OR (status = 'superseded' AND superseded_by_id <> id)",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_scheme_superseded_by_consistent"), "scheme", type_="check")
    op.drop_index(op.f("ix_scheme_superseded_by_id"), table_name="scheme")
    op.drop_constraint(op.f("fk_scheme_superseded_by_id_scheme"), "scheme", type_="foreignkey")
    op.drop_column("scheme", "superseded_by_id")
