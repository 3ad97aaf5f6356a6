"""One rule set for reads and writes, answered by index: grant tables, keys, and policies generated from it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 09:00:00.000000

Until now each policy called visibility functions that computed whole sets over the national tables
(`visible_action_ids()` read every action), and the write rules re-derived them differently; a scoped caller's
statement cost seconds at national scale. The rules are now stated once in auth/rules.py and generated into
everything here (db/policies/): a caller holds keys (`caf:31`, `org:12`...), each action, scheme and
organisation grants relations to keys in a grant table kept by triggers, and every policy is an indexed probe
of those tables. The generated script is frozen beside this file (`0013_access_rules.sql`, and its reverse
`0013_access_rules_down.sql`); the downgrade puts back the functions and policies as 0012 left them
(`0013_previous_access.sql`, taken from a database at 0012).

The request's scope is now one setting, `maillage.keys`, with the identity (`maillage.issuer`,
`maillage.subject`) beside it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.migrations.scripts import run_script

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Tables whose policies the old rules wrote (all are dropped; the frozen script writes them again).
POLICED = (
    "organisation", "scheme", "scheme_commune", "scheme_objective", "signature", "ctg", "governance_body",
    "action", "action_partner", "action_objective", "indicator", "indicator_value", "habilitation",
    "audit_event", "idempotency_key",
)  # fmt: skip

# The old rules' functions, dependants first.
OLD_FUNCTIONS = (
    "caller_memberships(text, text, text, text, text)",
    "creatable_action_ctg_ids()",
    "editable_scheme_ids()",
    "editable_actions()",
    "identity_memberships(text, text)",
    "visible_organisation_ids()",
    "visible_action_ids()",
    "visible_scheme_ids()",
    "local_scheme_ids()",
    "access_administered_organisations()",
    "access_managed_departments()",
    "access_national_editor()",
    "access_cosignatories()",
    "access_local_communes()",
    "access_local_epcis()",
    "access_organisations()",
    "access_caf_departments()",
    "access_national()",
)

DROP_POLICIES = f"""
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT tablename, policyname FROM pg_policies
           WHERE schemaname = 'public' AND tablename IN ({", ".join(f"'{table}'" for table in POLICED)})
  LOOP
    EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
  END LOOP;
END
$$
"""


def _grant_table(name: str, column: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column(column, sa.BigInteger(), nullable=False),
        sa.Column("grantee", sa.Text(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(column, "grantee", "relation", name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_grantee", name, ["grantee", column, "relation"])


def upgrade() -> None:
    _grant_table("action_grant", "action_id", "action")
    _grant_table("scheme_grant", "scheme_id", "scheme")
    _grant_table("organisation_grant", "organisation_id", "organisation")
    op.execute(DROP_POLICIES)
    for signature in OLD_FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature}")
    run_script("0013_access_rules.sql")
    op.execute("SELECT rebuild_grants()")


def downgrade() -> None:
    run_script("0013_access_rules_down.sql")
    run_script("0013_previous_access.sql")
    for name in ("organisation_grant", "scheme_grant", "action_grant"):
        op.drop_index(f"ix_{name}_grantee", table_name=name)
        op.drop_table(name)
