"""Listings in name order read their first page down an index; an open facility is readable by its column.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 09:00:00.000000

Facilities and organisations are listed by name (then id) unless asked otherwise. Without an index in that order
PostgreSQL read every visible row and sorted them for each page: at national scale, 63,000 facilities for a page
of 20 (about 45 ms a page for a Cnaf reader, whatever the page size).

Everyone may read an open facility: the access rules now say so by the row's status
(db/policies/conditions.facility_readable) instead of a grant to the public key, and the public grants leave
`facility_grant`. With one for nearly every facility, every caller's grant set was national: counting the
60,000 facilities a Caf agent sees took seconds, a look-up per row. The rules' scripts
of 0017 are replaced by those of this revision (`0019_access_rules.sql`, `_down.sql`).
"""

from collections.abc import Sequence
from pathlib import Path

from alembic import op

from db.migrations.scripts import run_script

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HERE = Path(__file__).parent


def upgrade() -> None:
    op.create_index("ix_facility_name_id", "facility", ["name", "id"], unique=False)
    op.create_index("ix_organisation_name_id", "organisation", ["name", "id"], unique=False)
    run_script("0017_access_rules_down.sql")
    run_script("0019_access_rules.sql")
    op.execute("DELETE FROM facility_grant WHERE relation = 'public'")


def downgrade() -> None:
    run_script("0019_access_rules_down.sql")
    run_script("0017_access_rules.sql")
    op.execute(
        "INSERT INTO facility_grant (facility_id, grantee, relation) "
        "SELECT id, 'public', 'public' FROM facility WHERE status = 'open' ON CONFLICT DO NOTHING"
    )
    op.drop_index("ix_organisation_name_id", table_name="organisation")
    op.drop_index("ix_facility_name_id", table_name="facility")
