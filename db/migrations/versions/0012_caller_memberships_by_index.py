"""Who the caller is, by index: `caller_memberships` without the OR that made it read every organisation.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00.000000

Every request resolves its caller through this function. Written with one OR over the keys a token may
name an organisation by, it could use no index and scanned the whole organisation table: 16 ms per request
at national scale (59,000 organisations). Each key is now its own branch, which its unique index answers, and
only the branch of the key the token names runs; an organisation named twice (by its reference and as the
Caf of the token's department) comes once, as with the OR. A numeric id is compared as a number, so the
primary key serves it too.

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
_ROW = "o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text"
# PL/pgSQL checks the result's types exactly: the varchar columns are returned as text.
BODY = f"""
CREATE FUNCTION caller_memberships{SIGNATURE_ARGUMENTS}
{RETURNS}
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- The organisation the token names, by the one key it names it by.
  IF p_key = 'ref' THEN
    RETURN QUERY SELECT {_ROW}, NULL::text FROM organisation o WHERE o.ref = p_value;
  ELSIF p_key = 'siret' THEN
    RETURN QUERY SELECT {_ROW}, NULL::text FROM organisation o WHERE o.siret = p_value;
  ELSIF p_key = 'siren' THEN
    RETURN QUERY SELECT {_ROW}, NULL::text FROM organisation o WHERE o.siren = p_value;
  ELSIF p_key = 'id' AND p_value ~ '^[0-9]{{1,18}}$' THEN
    RETURN QUERY SELECT {_ROW}, NULL::text FROM organisation o WHERE o.id = p_value::bigint;
  END IF;
  -- The Caf of the token's department, unless that is the organisation named already.
  IF p_caf IS NOT NULL THEN
    RETURN QUERY SELECT {_ROW}, NULL::text FROM organisation o
    WHERE o.kind = 'caf' AND o.department_code = p_caf
      AND NOT coalesce(CASE p_key
        WHEN 'ref' THEN o.ref = p_value
        WHEN 'siret' THEN o.siret = p_value
        WHEN 'siren' THEN o.siren = p_value
        WHEN 'id' THEN o.id::text = p_value
      END, false);
  END IF;
  -- The identity's habilitations in force, each with its role.
  RETURN QUERY SELECT {_ROW}, h.role::text
  FROM habilitation AS h JOIN organisation o ON o.id = h.organisation_id
  WHERE h.issuer = p_issuer AND h.subject = p_subject
    AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > now());
END
$$
"""
HEAD_BEFORE = f"""
CREATE FUNCTION caller_memberships{SIGNATURE_ARGUMENTS}
{RETURNS}
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
    _replace(BODY)


def downgrade() -> None:
    _replace(HEAD_BEFORE + NAMED_BEFORE + HABILITATIONS_BEFORE)
