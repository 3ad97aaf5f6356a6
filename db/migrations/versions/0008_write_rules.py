"""Write rules: who may create and change what, archiving, idempotency keys, and the Cnaf manager role.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 10:30:00.000000

The INSERT/UPDATE policies of migration 0004 refused every write; this one writes the rules, in the same
shape as the action update rule of 0006 (a definer function or a test on the row's own columns):

- schemes (and their CTG row, objectives, signatures, communes, governance bodies): the Caf of their
  department, CPOGs excepted; national schemes and CPOGs: the Cnaf's managers;
- actions: created in a CTG by its Caf or its local authority; updated as in 0006; their partners,
  objectives and indicators by those who may change them fully; indicator values also by the carrier;
- organisations: created by a Caf in its department or by the Cnaf's managers; updated by them or by the
  organisation's own admins (the application narrows those to contact data);
- habilitations: an organisation's admins within it, a Caf's managers within its department.

Nothing is deleted but links (partners, objectives, signatures, communes, governance bodies), whose
removal the audit trail records on their parent; schemes, actions and organisations are archived.
An archived row can no longer be changed.

New transaction settings, set with the others for each request: `maillage.national_editor` (Cnaf
managers), `maillage.managed_departments` (Caf managers), `maillage.administered_organisations`
(organisation admins), `maillage.issuer` and `maillage.subject` (the caller's identity, which owns its
idempotency keys).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "maillage_service"
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"
ARCHIVABLE = ("organisation", "scheme", "action")
LINKS = ("action_partner", "action_objective", "signature", "scheme_commune", "governance_body")

ROLES = (
    "association_member",
    "local_authority_staff",
    "cosignatory",
    "caf_agent",
    "caf_manager",
    "cnaf_analyst",
    "cnaf_manager",
    "organisation_admin",
)


def _setting_list(name: str, element: str) -> str:
    return f"""
  SELECT coalesce(array_agg(btrim(item)::{element}), '{{}}')
  FROM unnest(string_to_array(current_setting('maillage.{name}', true), ',')) AS item
  WHERE btrim(item) <> ''
"""


ACCESS_FUNCTIONS = {
    "access_national_editor": (
        "boolean",
        "  SELECT coalesce(current_setting('maillage.national_editor', true), '') = 'true'\n",
    ),
    "access_managed_departments": ("text[]", _setting_list("managed_departments", "text")),
    "access_administered_organisations": ("bigint[]", _setting_list("administered_organisations", "bigint")),
    "access_issuer": ("text", "  SELECT nullif(current_setting('maillage.issuer', true), '')\n"),
    "access_subject": ("text", "  SELECT nullif(current_setting('maillage.subject', true), '')\n"),
}

# Which schemes a caller may change, from the scheme's own columns (usable before the row exists).
SCHEME_WRITABLE = (
    "((SELECT access_national_editor()) AND (scope = 'national' OR kind = 'CPOG'))"
    " OR (department_code IN (SELECT unnest(access_caf_departments())) AND kind <> 'CPOG')"
)

EDITABLE_SCHEME_IDS = f"""
  SELECT id FROM scheme WHERE archived_at IS NULL AND ({SCHEME_WRITABLE})
"""

# The CTGs in which a caller may create actions: those of its Caf, those of its local authority.
CREATABLE_ACTION_CTG_IDS = """
  SELECT s.id FROM scheme AS s
  WHERE s.kind = 'CTG' AND s.archived_at IS NULL
    AND (s.department_code = ANY(access_caf_departments()) OR s.id IN (SELECT local_scheme_ids()))
"""

# As in 0006, without archived actions or actions of archived CTGs.
EDITABLE_ACTIONS = """
  SELECT id, bool_or(fully) FROM (
    SELECT a.id, true AS fully FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE s.department_code = ANY(access_caf_departments())
    UNION ALL
    SELECT id, true FROM action WHERE ctg_id IN (SELECT local_scheme_ids())
    UNION ALL
    SELECT id, false FROM action WHERE carrier_id = ANY(access_organisations())
  ) AS editable
  WHERE id IN (
    SELECT a.id FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE a.archived_at IS NULL AND s.archived_at IS NULL
  )
  GROUP BY id
"""

FUNCTIONS = (
    ("editable_scheme_ids()", "SETOF bigint", EDITABLE_SCHEME_IDS),
    ("creatable_action_ctg_ids()", "SETOF bigint", CREATABLE_ACTION_CTG_IDS),
)

EDITABLE_SCHEME = "scheme_id IN (SELECT editable_scheme_ids())"
FULLY_EDITABLE_ACTION = "action_id IN (SELECT id FROM editable_actions() WHERE fully)"
ORGANISATION_WRITABLE = (
    "(SELECT access_national_editor()) OR department_code IN (SELECT unnest(access_caf_departments()))"
)
HABILITATION_WRITABLE = (
    "organisation_id IN (SELECT unnest(access_administered_organisations()))"
    " OR organisation_id IN (SELECT id FROM organisation WHERE department_code IN (SELECT unnest(access_managed_departments())))"
)

# table → (INSERT check, UPDATE using, UPDATE check); DELETE (links only) uses the UPDATE rule.
WRITE_RULES = {
    "scheme": (SCHEME_WRITABLE, f"archived_at IS NULL AND ({SCHEME_WRITABLE})", SCHEME_WRITABLE),
    "ctg": (EDITABLE_SCHEME, EDITABLE_SCHEME, EDITABLE_SCHEME),
    "scheme_objective": (EDITABLE_SCHEME, EDITABLE_SCHEME, EDITABLE_SCHEME),
    "signature": (EDITABLE_SCHEME, EDITABLE_SCHEME, EDITABLE_SCHEME),
    "scheme_commune": (EDITABLE_SCHEME, EDITABLE_SCHEME, EDITABLE_SCHEME),
    "governance_body": (
        "ctg_id IN (SELECT editable_scheme_ids())",
        "ctg_id IN (SELECT editable_scheme_ids())",
        "ctg_id IN (SELECT editable_scheme_ids())",
    ),
    "action": (
        "ctg_id IN (SELECT creatable_action_ctg_ids())",
        "id IN (SELECT id FROM editable_actions())",
        "id IN (SELECT id FROM editable_actions())",
    ),
    "action_partner": (FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION),
    "action_objective": (FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION),
    "indicator": (FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION, FULLY_EDITABLE_ACTION),
    # The carrier reports values: any right on the action will do.
    "indicator_value": (
        "indicator_id IN (SELECT id FROM indicator WHERE action_id IN (SELECT id FROM editable_actions()))",
        "indicator_id IN (SELECT id FROM indicator WHERE action_id IN (SELECT id FROM editable_actions()))",
        "indicator_id IN (SELECT id FROM indicator WHERE action_id IN (SELECT id FROM editable_actions()))",
    ),
    "organisation": (
        ORGANISATION_WRITABLE,
        f"archived_at IS NULL AND ({ORGANISATION_WRITABLE} OR id IN (SELECT unnest(access_administered_organisations())))",
        f"{ORGANISATION_WRITABLE} OR id IN (SELECT unnest(access_administered_organisations()))",
    ),
    "habilitation": (HABILITATION_WRITABLE, HABILITATION_WRITABLE, HABILITATION_WRITABLE),
}

AUDIT_VISIBLE = (
    "(SELECT access_national())"
    " OR (entity = 'action' AND entity_id IN (SELECT visible_action_ids()))"
    " OR (entity IN ('scheme', 'ctg') AND entity_id IN (SELECT visible_scheme_ids()))"
    " OR (entity = 'organisation' AND entity_id IN (SELECT visible_organisation_ids()))"
    " OR (entity = 'habilitation' AND entity_id IN (SELECT id FROM habilitation))"
)
OLD_AUDIT_VISIBLE = "(SELECT access_national()) OR (entity = 'action' AND entity_id IN (SELECT visible_action_ids()))"

# A CTG is one node over two rows: a change of its ctg row moves the scheme row's version and updated_at,
# so that optimistic concurrency and `updatedSince` see every change of the CTG.
CTG_TOUCHES_SCHEME = """
CREATE FUNCTION ctg_touch_scheme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE scheme SET updated_at = clock_timestamp() WHERE id = NEW.scheme_id;
  RETURN NULL;
END
$$
"""

IDEMPOTENCY_OWN = "issuer = (SELECT access_issuer()) AND subject = (SELECT access_subject())"


def _role_check(roles: Sequence[str]) -> str:
    return "role IN (" + ", ".join(f"'{role}'" for role in roles) + ")"


def upgrade() -> None:
    for table in ARCHIVABLE:
        op.add_column(table, sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_scheme_archived_at", "scheme", ["archived_at"], postgresql_where="archived_at IS NOT NULL")
    op.create_index("ix_action_archived_at", "action", ["archived_at"], postgresql_where="archived_at IS NOT NULL")
    op.create_index(
        "ix_organisation_archived_at", "organisation", ["archived_at"], postgresql_where="archived_at IS NOT NULL"
    )

    op.drop_constraint(op.f("ck_habilitation_role_valid"), "habilitation", type_="check")
    op.create_check_constraint(op.f("ck_habilitation_role_valid"), "habilitation", _role_check(ROLES))

    op.create_table(
        "idempotency_key",
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("length(key) BETWEEN 1 AND 200", name=op.f("ck_idempotency_key_key_length")),
        sa.PrimaryKeyConstraint("issuer", "subject", "key", name=op.f("pk_idempotency_key")),
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON idempotency_key TO {ROLE}")
    op.execute("ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY")

    for name, (returns, body) in ACCESS_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS {returns} LANGUAGE sql STABLE PARALLEL SAFE AS $$\n{body}$$")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {name}() FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name}() TO {ROLE}")
    for signature, returns, body in FUNCTIONS:
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS {returns} LANGUAGE sql STABLE PARALLEL SAFE {DEFINER} AS $$\n{body}$$"
        )
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {ROLE}")
    op.execute(
        "CREATE OR REPLACE FUNCTION editable_actions() RETURNS TABLE (id bigint, fully boolean) LANGUAGE sql "
        f"STABLE PARALLEL SAFE {DEFINER} AS $$\n{EDITABLE_ACTIONS}$$"
    )

    op.execute(f"CREATE POLICY idempotency_key_own ON idempotency_key TO {ROLE} USING ({IDEMPOTENCY_OWN})")

    op.execute(f"GRANT DELETE ON {', '.join(LINKS)} TO {ROLE}")
    for table, (insert_check, update_using, update_check) in WRITE_RULES.items():
        op.execute(f"DROP POLICY {table}_insert ON {table}")
        op.execute(f"DROP POLICY {table}_update ON {table}")
        op.execute(f"CREATE POLICY {table}_insert ON {table} FOR INSERT TO {ROLE} WITH CHECK ({insert_check})")
        op.execute(
            f"CREATE POLICY {table}_update ON {table} FOR UPDATE TO {ROLE} "
            f"USING ({update_using}) WITH CHECK ({update_check})"
        )
        if table in LINKS:
            op.execute(f"CREATE POLICY {table}_delete ON {table} FOR DELETE TO {ROLE} USING ({update_using})")

    op.execute("DROP POLICY audit_event_visible ON audit_event")
    op.execute(f"CREATE POLICY audit_event_visible ON audit_event FOR SELECT TO {ROLE} USING ({AUDIT_VISIBLE})")

    op.execute(CTG_TOUCHES_SCHEME)
    op.execute(
        "CREATE TRIGGER ctg_touch_scheme AFTER UPDATE ON ctg FOR EACH ROW "
        "WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION ctg_touch_scheme()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ctg_touch_scheme ON ctg")
    op.execute("DROP FUNCTION ctg_touch_scheme()")
    op.execute("DROP POLICY audit_event_visible ON audit_event")
    op.execute(f"CREATE POLICY audit_event_visible ON audit_event FOR SELECT TO {ROLE} USING ({OLD_AUDIT_VISIBLE})")
    for table in WRITE_RULES:
        if table in LINKS:
            op.execute(f"DROP POLICY {table}_delete ON {table}")
        op.execute(f"DROP POLICY {table}_update ON {table}")
        op.execute(f"DROP POLICY {table}_insert ON {table}")
        op.execute(f"CREATE POLICY {table}_insert ON {table} FOR INSERT TO {ROLE} WITH CHECK (false)")
        if table == "action":
            using = "id IN (SELECT id FROM editable_actions())"
            op.execute(
                f"CREATE POLICY action_update ON action FOR UPDATE TO {ROLE} USING ({using}) WITH CHECK ({using})"
            )
        else:
            op.execute(f"CREATE POLICY {table}_update ON {table} FOR UPDATE TO {ROLE} USING (false) WITH CHECK (false)")
    op.execute(f"REVOKE DELETE ON {', '.join(LINKS)} FROM {ROLE}")
    op.execute(
        "CREATE OR REPLACE FUNCTION editable_actions() RETURNS TABLE (id bigint, fully boolean) LANGUAGE sql "
        f"STABLE PARALLEL SAFE {DEFINER} AS $$\n"
        "  SELECT id, bool_or(fully) FROM (\n"
        "    SELECT a.id, true AS fully FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id\n"
        "    WHERE s.department_code = ANY(access_caf_departments())\n"
        "    UNION ALL\n"
        "    SELECT id, true FROM action WHERE ctg_id IN (SELECT local_scheme_ids())\n"
        "    UNION ALL\n"
        "    SELECT id, false FROM action WHERE carrier_id = ANY(access_organisations())\n"
        "  ) AS editable\n"
        "  GROUP BY id\n$$"
    )
    op.drop_table("idempotency_key")
    for signature, _returns, _body in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
    for name in reversed(ACCESS_FUNCTIONS):
        op.execute(f"DROP FUNCTION {name}()")
    op.drop_constraint(op.f("ck_habilitation_role_valid"), "habilitation", type_="check")
    op.create_check_constraint(
        op.f("ck_habilitation_role_valid"), "habilitation", _role_check([r for r in ROLES if r != "cnaf_manager"])
    )
    op.drop_index("ix_organisation_archived_at", table_name="organisation")
    op.drop_index("ix_action_archived_at", table_name="action")
    op.drop_index("ix_scheme_archived_at", table_name="scheme")
    for table in ARCHIVABLE:
        op.drop_column(table, "archived_at")
