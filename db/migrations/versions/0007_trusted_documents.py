"""Trusted documents: operations registered by hash, which the service may be told to accept exclusively.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 10:05:00.000000

Written by the operator's CLI, as the owner; the service only reads them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trusted_document",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("client_name", sa.String(length=200), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_trusted_document_sha256_format")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_trusted_document")),
    )
    op.execute("GRANT SELECT ON trusted_document TO maillage_service")


def downgrade() -> None:
    op.execute("REVOKE ALL ON trusted_document FROM maillage_service")
    op.drop_table("trusted_document")
