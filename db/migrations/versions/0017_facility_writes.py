"""The Caf's amounts are the Caf's, in PostgreSQL too.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 16:00:00.000000

- An action's Caf funding is changed by its Caf only (what the Caf's validation of it stood for); the totals of its
  funding lines still move it, by the owner's trigger (`funding_totals`).
- Every funding line's amount granted is set by the Caf of its action or facility only, on insert (a policy) and
  on update (a BEFORE UPDATE trigger generated from the rules, db/policies/limits.py `Reserved`).
The rules' scripts of 0016 are replaced by those of this revision (`0017_access_rules.sql`, `_down.sql`).
"""

from collections.abc import Sequence

from db.migrations.scripts import run_script

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("0016_access_rules_down.sql")
    run_script("0017_access_rules.sql")


def downgrade() -> None:
    run_script("0017_access_rules_down.sql")
    run_script("0016_access_rules.sql")
