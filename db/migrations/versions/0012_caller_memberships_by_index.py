"""Who the caller is, by index: `caller_memberships` without the OR that made it read every organisation.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00.000000

Every request resolves its caller through this function. Written with one OR over the keys a token may
name an organisation by, it could use no index and scanned the whole organisation table: 16 ms per request
at national scale (59,000 organisations). Each key is now its own branch, which its unique index answers;
UNION (not UNION ALL) keeps an organisation named twice (by its reference and as the Caf of the token's
department) once, as the OR did. A numeric id is compared as a number, so the primary key serves it too.

It is PL/pgSQL rather than SQL: a SECURITY DEFINER SQL function is never inlined, and PostgreSQL plans its
body again at every call, which cost more than the query itself; PL/pgSQL keeps the plan for the session.
The identity's habilitations are read in the same body, as `identity_memberships` reads them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "caller_memberships(text, text, text, text, text)"
SIGNATURE_ARGUMENTS = "(p_key text, p_value text, p_caf text, p_issuer text, p_subject text)"
RETURNS = """RETURNS TABLE (
  id bigint, kind text, department_code text, epci_siren text, commune_insee_code text, role text
)"""
HEAD = f"""
CREATE FUNCTION caller_memberships{SIGNATURE_ARGUMENTS}
{RETURNS}
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- PL/pgSQL checks the result's types exactly: the varchar columns are returned as text.
  RETURN QUERY
  SELECT m.id, m.kind::text, m.department_code::text, m.epci_siren::text, m.commune_insee_code::text, m.role::text
  FROM (
"""
HEAD_BEFORE = f"""
CREATE FUNCTION caller_memberships{SIGNATURE_ARGUMENTS}
{RETURNS}
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
"""
NAMED = """
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o WHERE p_key = 'ref' AND o.ref = p_value
  UNION
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o WHERE p_key = 'siret' AND o.siret = p_value
  UNION
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o WHERE p_key = 'siren' AND o.siren = p_value
  UNION
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o
  WHERE p_key = 'id' AND o.id = CASE WHEN p_value ~ '^[0-9]{1,18}$' THEN p_value::bigint END
  UNION
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o WHERE o.kind = 'caf' AND o.department_code = p_caf
"""
NAMED_BEFORE = """
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o
  WHERE (p_key = 'ref' AND o.ref = p_value)
     OR (p_key = 'siret' AND o.siret = p_value)
     OR (p_key = 'siren' AND o.siren = p_value)
     OR (p_key = 'id' AND o.id::text = p_value)
     OR (o.kind = 'caf' AND o.department_code = p_caf)
"""
HABILITATIONS = """
  UNION ALL
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, h.role
  FROM habilitation AS h JOIN organisation o ON o.id = h.organisation_id
  WHERE h.issuer = p_issuer AND h.subject = p_subject
    AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > now())
  ) AS m (id, kind, department_code, epci_siren, commune_insee_code, role);
END
$$
"""
HABILITATIONS_BEFORE = """
  UNION ALL
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, h.role
  FROM identity_memberships(p_issuer, p_subject) AS h JOIN organisation o ON o.id = h.organisation_id
$$
"""
GRANTS = (
    f"REVOKE EXECUTE ON FUNCTION {SIGNATURE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO maillage_service",
)


def _replace(definition: str) -> None:
    # Another language: dropped and created again, with the grants of 0005.
    op.execute(f"DROP FUNCTION {SIGNATURE}")
    op.execute(definition)
    for grant in GRANTS:
        op.execute(grant)


def upgrade() -> None:
    _replace(HEAD + "(" + NAMED + ")" + HABILITATIONS)


def downgrade() -> None:
    _replace(HEAD_BEFORE + NAMED_BEFORE + HABILITATIONS_BEFORE)
