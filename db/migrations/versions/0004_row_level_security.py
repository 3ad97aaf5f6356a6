"""Row-level security: the `maillage_service` role sees only the rows its caller's scope allows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:12:00.000000

The service runs each request's transaction as `maillage_service` (`SET ROLE`), after setting the
caller's scope with `set_config(name, value, true)`, i.e. for that transaction only:

    maillage.national         'true' for Cnaf staff, who see everything
    maillage.caf_departments  department codes of the caller's Cafs, comma-separated
    maillage.organisations    ids of the organisations the caller belongs to, whatever the role
    maillage.local_epcis      SIRENs of the EPCIs whose staff the caller is
    maillage.local_communes   INSEE codes of the communes whose staff the caller is
    maillage.cosignatories    ids of the organisations the caller acts for as a cosignatory

An unset or empty setting means none: a transaction that sets nothing is anonymous and sees the
published schemes and their signatories, the Cafs and the Cnaf, and the territory reference.

The `access_*` functions parse those settings. The `visible_*` functions compute, once per statement,
the ids the scope reaches; they are SECURITY DEFINER, owned by the user running the migrations, who
owns the tables and is therefore not subject to their policies (RLS is enabled, not forced): a policy
calling them never recurses into another table's policy, and the owner's migrations and imports are
not restricted. Each policy wraps its calls in a sub-select, so PostgreSQL evaluates them once per
statement as an init plan rather than once per row.

The settings are trusted: whoever can run SQL as `maillage_service` can set them. They protect
against a query that forgets a filter, not against SQL injection.

The role is cluster-wide while the database is not: several databases (test runs, environments on
one server) share it, so the upgrade creates it only when missing and the downgrade revokes this
database's grants but leaves the role itself alone.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "maillage_service"

# Rows of these tables are scoped by a policy; the service may read and (later) write them, never delete:
# deletion will archive instead.
SCOPED_TABLES = (
    "organisation",
    "scheme",
    "scheme_commune",
    "scheme_objective",
    "signature",
    "ctg",
    "governance_body",
    "action",
    "action_partner",
    "action_objective",
    "indicator",
    "indicator_value",
    "habilitation",
)

# Public reference data, written only by the owner's imports: readable by everyone, writable by no request.
REFERENCE_TABLES = ("region", "department", "epci", "commune", "dataset_import")

IDENTITY_SEQUENCES = tuple(
    f"{table}_id_seq"
    for table in (
        "organisation",
        "scheme",
        "scheme_objective",
        "signature",
        "governance_body",
        "action",
        "indicator",
        "indicator_value",
        "habilitation",
    )
)

# Functions of earlier migrations that the tables' checks and generated columns call.
SHARED_FUNCTIONS = ("luhn_valid(text, integer)", "fold_accents(text)")

# A concurrent migration of another database may create the role between the check and the CREATE.
CREATE_ROLE = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
    BEGIN
      CREATE ROLE {ROLE} NOLOGIN NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  -- A superuser is a member of every role already; a non-superuser owner must be made one to SET ROLE.
  IF NOT pg_has_role(current_user, '{ROLE}', 'MEMBER') THEN
    EXECUTE format('GRANT {ROLE} TO %I', current_user);
  END IF;
END
$$
"""


def _setting_list(name: str, element: str) -> str:
    """The body of a function parsing a comma-separated setting; empty or unset: an empty array."""
    return f"""
  SELECT coalesce(array_agg(btrim(item)::{element}), '{{}}')
  FROM unnest(string_to_array(current_setting('maillage.{name}', true), ',')) AS item
  WHERE btrim(item) <> ''
"""


ACCESS_FUNCTIONS = {
    "access_national": ("boolean", "  SELECT coalesce(current_setting('maillage.national', true), '') = 'true'\n"),
    "access_caf_departments": ("text[]", _setting_list("caf_departments", "text")),
    "access_organisations": ("bigint[]", _setting_list("organisations", "bigint")),
    "access_local_epcis": ("text[]", _setting_list("local_epcis", "text")),
    "access_local_communes": ("text[]", _setting_list("local_communes", "text")),
    "access_cosignatories": ("bigint[]", _setting_list("cosignatories", "bigint")),
}

PUBLISHED_KINDS = "('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER')"

# The CTGs and CEJs covering the caller's local territory, with the coverage the graph uses
# (db/graph/mapping.py, COVERAGE): an EPCI's member communes, a commune list, or a whole department.
LOCAL_SCHEME_IDS = """
  WITH local_commune AS (
    SELECT insee_code, department_code, epci_siren FROM commune
    WHERE epci_siren = ANY(access_local_epcis()) OR insee_code = ANY(access_local_communes())
  )
  SELECT s.id FROM scheme AS s
  WHERE s.kind IN ('CTG', 'CEJ') AND (
    s.epci_siren = ANY(access_local_epcis())
    OR (s.scope = 'epci' AND s.epci_siren IN (SELECT epci_siren FROM local_commune))
    OR (s.scope = 'department' AND s.department_code IN (SELECT department_code FROM local_commune))
    OR s.id IN (
      SELECT scheme_id FROM scheme_commune WHERE commune_insee_code IN (SELECT insee_code FROM local_commune)
    )
  )
"""

# National callers see everything through the policies' own `access_national()` test, so the
# functions return nothing for them rather than every id.
VISIBLE_SCHEME_IDS = f"""
  SELECT id FROM (
    SELECT id FROM scheme WHERE kind IN {PUBLISHED_KINDS} AND status <> 'draft'
    UNION
    SELECT id FROM scheme WHERE department_code = ANY(access_caf_departments())
    UNION
    SELECT local_scheme_ids()
    UNION
    SELECT scheme_id FROM signature WHERE organisation_id = ANY(access_organisations() || access_cosignatories())
    UNION
    SELECT ctg_id FROM action WHERE carrier_id = ANY(access_organisations())
    UNION
    SELECT a.ctg_id FROM action_partner AS p JOIN action AS a ON a.id = p.action_id
    WHERE p.organisation_id = ANY(access_organisations())
  ) AS visible
  WHERE NOT access_national()
"""

VISIBLE_ACTION_IDS = """
  SELECT a.id FROM action AS a
  WHERE NOT access_national() AND (
    a.ctg_id IN (SELECT id FROM scheme WHERE department_code = ANY(access_caf_departments()))
    OR a.ctg_id IN (SELECT local_scheme_ids())
    OR a.ctg_id IN (SELECT scheme_id FROM signature WHERE organisation_id = ANY(access_cosignatories()))
    OR a.carrier_id = ANY(access_organisations())
    OR a.id IN (SELECT action_id FROM action_partner WHERE organisation_id = ANY(access_organisations()))
  )
"""

# Besides the list the scope implies, a visible CTG's coordinating organisation: the CTG names it.
VISIBLE_ORGANISATION_IDS = f"""
  SELECT id FROM (
    SELECT id FROM organisation WHERE kind IN ('caf', 'cnaf')
    UNION
    SELECT g.organisation_id FROM signature AS g JOIN scheme AS s ON s.id = g.scheme_id
    WHERE s.kind IN {PUBLISHED_KINDS} AND s.status <> 'draft'
    UNION
    SELECT unnest(access_organisations() || access_cosignatories())
    UNION
    SELECT id FROM organisation WHERE department_code = ANY(access_caf_departments())
    UNION
    SELECT id FROM organisation
    WHERE epci_siren = ANY(access_local_epcis())
      OR commune_insee_code = ANY(access_local_communes())
      OR commune_insee_code IN (SELECT insee_code FROM commune WHERE epci_siren = ANY(access_local_epcis()))
    UNION
    SELECT organisation_id FROM signature WHERE scheme_id IN (SELECT visible_scheme_ids())
    UNION
    SELECT coordinator_organisation_id FROM ctg
    WHERE scheme_id IN (SELECT visible_scheme_ids()) AND coordinator_organisation_id IS NOT NULL
    UNION
    SELECT carrier_id FROM action WHERE id IN (SELECT visible_action_ids())
    UNION
    SELECT organisation_id FROM action_partner WHERE action_id IN (SELECT visible_action_ids())
  ) AS visible
  WHERE NOT access_national()
"""

# Before a caller has a scope, the service must learn which organisations its identity belongs to.
IDENTITY_MEMBERSHIPS = """
  SELECT organisation_id, role FROM habilitation
  WHERE issuer = p_issuer AND subject = p_subject
    AND status = 'active' AND (expires_at IS NULL OR expires_at > now())
"""

# pg_temp last: otherwise a temporary table of the caller's could stand in for a real one.
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"

FUNCTIONS: tuple[tuple[str, str, str, str], ...] = (
    *((f"{name}()", returns, "", body) for name, (returns, body) in ACCESS_FUNCTIONS.items()),
    ("local_scheme_ids()", "SETOF bigint", DEFINER, LOCAL_SCHEME_IDS),
    ("visible_scheme_ids()", "SETOF bigint", DEFINER, VISIBLE_SCHEME_IDS),
    ("visible_action_ids()", "SETOF bigint", DEFINER, VISIBLE_ACTION_IDS),
    ("visible_organisation_ids()", "SETOF bigint", DEFINER, VISIBLE_ORGANISATION_IDS),
    (
        "identity_memberships(p_issuer text, p_subject text)",
        "TABLE (organisation_id bigint, role text)",
        DEFINER,
        IDENTITY_MEMBERSHIPS,
    ),
)

# The same functions as the catalog names them, by argument types.
FUNCTION_SIGNATURES = (
    *(f"{name}()" for name in ACCESS_FUNCTIONS),
    "local_scheme_ids()",
    "visible_scheme_ids()",
    "visible_action_ids()",
    "visible_organisation_ids()",
    "identity_memberships(text, text)",
)

NATIONAL = "(SELECT access_national())"
SCHEMES = "(SELECT visible_scheme_ids())"
ACTIONS = "(SELECT visible_action_ids())"

# What each scoped table's SELECT policy lets the service see.
VISIBILITY = {
    "scheme": f"{NATIONAL} OR id IN {SCHEMES}",
    "ctg": f"{NATIONAL} OR scheme_id IN {SCHEMES}",
    "scheme_objective": f"{NATIONAL} OR scheme_id IN {SCHEMES}",
    "signature": f"{NATIONAL} OR scheme_id IN {SCHEMES}",
    "scheme_commune": f"{NATIONAL} OR scheme_id IN {SCHEMES}",
    "governance_body": f"{NATIONAL} OR ctg_id IN {SCHEMES}",
    "action": f"{NATIONAL} OR id IN {ACTIONS}",
    "action_partner": f"{NATIONAL} OR action_id IN {ACTIONS}",
    "action_objective": f"{NATIONAL} OR action_id IN {ACTIONS}",
    "indicator": f"{NATIONAL} OR action_id IN {ACTIONS}",
    # The sub-select on indicator is itself filtered by indicator's policy.
    "indicator_value": f"{NATIONAL} OR indicator_id IN (SELECT id FROM indicator)",
    "organisation": f"{NATIONAL} OR id IN (SELECT visible_organisation_ids())",
    # A member sees its organisation's habilitations; a Caf supervises those of its department.
    "habilitation": (
        f"{NATIONAL} OR organisation_id IN (SELECT unnest(access_organisations()))"
        " OR organisation_id IN (SELECT id FROM organisation WHERE department_code IN (SELECT unnest(access_caf_departments())))"
    ),
}


def upgrade() -> None:
    op.execute(CREATE_ROLE)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(SCOPED_TABLES)} TO {ROLE}")
    op.execute(f"GRANT SELECT ON {', '.join(REFERENCE_TABLES)} TO {ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE {', '.join(IDENTITY_SEQUENCES)} TO {ROLE}")
    op.execute(f"GRANT EXECUTE ON FUNCTION {', '.join(SHARED_FUNCTIONS)} TO {ROLE}")

    for signature, returns, options, body in FUNCTIONS:
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS {returns}\n"
            f"LANGUAGE sql STABLE PARALLEL SAFE {options} AS $$\n{body}$$"
        )
    # The definer functions read every row: only the service (and the owner) may call them.
    op.execute(f"REVOKE EXECUTE ON FUNCTION {', '.join(FUNCTION_SIGNATURES)} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {', '.join(FUNCTION_SIGNATURES)} TO {ROLE}")

    for table, visible in VISIBILITY.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_visible ON {table} FOR SELECT TO {ROLE} USING ({visible})")
        # No write rule exists yet: until one does, nothing is written through the service role.
        # (Without these, RLS would deny too; they say so where a reader of the policies looks.)
        op.execute(f"CREATE POLICY {table}_insert ON {table} FOR INSERT TO {ROLE} WITH CHECK (false)")
        op.execute(f"CREATE POLICY {table}_update ON {table} FOR UPDATE TO {ROLE} USING (false) WITH CHECK (false)")


def downgrade() -> None:
    for table in reversed(VISIBILITY):
        for policy in ("update", "insert", "visible"):
            op.execute(f"DROP POLICY {table}_{policy} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for signature in reversed(FUNCTION_SIGNATURES):
        op.execute(f"DROP FUNCTION {signature}")
    op.execute(f"REVOKE EXECUTE ON FUNCTION {', '.join(SHARED_FUNCTIONS)} FROM {ROLE}")
    op.execute(f"REVOKE ALL ON SEQUENCE {', '.join(IDENTITY_SEQUENCES)} FROM {ROLE}")
    op.execute(f"REVOKE ALL ON {', '.join(SCOPED_TABLES + REFERENCE_TABLES)} FROM {ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {ROLE}")
    # The role and its members stay: other databases on this server may still use them.
