"""The service connects as `maillage_service` itself: who the caller is, resolved by a definer function.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:00:00.000000

Until now a request's transaction took the service role after resolving its caller as the owner. The
service now connects as `maillage_service` from the start, so that nothing it runs ever escapes row-level
security; resolving the caller (which organisations the token names, which habilitations the identity
holds) needs rows the caller may not yet be known to see, so it is a SECURITY DEFINER function, like the
visibility functions of 0004.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The organisations a token names (by one of their keys, or as the Caf of a department), with no role
# (the token's roles apply), and the identity's active habilitations, each with its role.
CALLER_MEMBERSHIPS = """
CREATE FUNCTION caller_memberships(p_key text, p_value text, p_caf text, p_issuer text, p_subject text)
RETURNS TABLE (
  id bigint, kind text, department_code text, epci_siren text, commune_insee_code text, role text
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL::text
  FROM organisation o
  WHERE (p_key = 'ref' AND o.ref = p_value)
     OR (p_key = 'siret' AND o.siret = p_value)
     OR (p_key = 'siren' AND o.siren = p_value)
     OR (p_key = 'id' AND o.id::text = p_value)
     OR (o.kind = 'caf' AND o.department_code = p_caf)
  UNION ALL
  SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, h.role
  FROM identity_memberships(p_issuer, p_subject) AS h JOIN organisation o ON o.id = h.organisation_id
$$
"""

SIGNATURE = "caller_memberships(text, text, text, text, text)"


def upgrade() -> None:
    op.execute(CALLER_MEMBERSHIPS)
    op.execute(f"REVOKE EXECUTE ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO maillage_service")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
