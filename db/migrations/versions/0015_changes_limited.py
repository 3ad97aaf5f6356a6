"""The columns an update changes, under the same rules: limits that row-level security cannot express.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:00:00.000000

- An action's CTG and number never change (an action was moved into a CTG its writer did not steward, since
  the update's check read the action's grants as they were before the move).
- A carrier changes only its action's description, progress and status; an organisation's admins only its
  contact data; a facility's manager only its contact data — in PostgreSQL too, by BEFORE UPDATE triggers
  generated from the rules (db/policies/limits.py).
- A Caf is not its own steward: only the Cnaf's managers change or archive a Caf or the Cnaf.
- A facility's steward keeps it in a department whose Caf it is.
- The service's table privileges follow the rules (no DELETE where no rule deletes).
The rules' scripts of 0014 are replaced by those of this revision (`0015_access_rules.sql`, `_down.sql`).
"""

from collections.abc import Sequence

from db.migrations.scripts import run_script

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("0014_access_rules_down.sql")
    run_script("0015_access_rules.sql")


def downgrade() -> None:
    run_script("0015_access_rules_down.sql")
    run_script("0014_access_rules.sql")
