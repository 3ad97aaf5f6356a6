"""Managing habilitations through the API, and organisations created by a Caf.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 09:00:00.000000

- A revoked habilitation is final but kept: the uniqueness of (issuer, subject, organisation, role) now
  holds among current (active or suspended) habilitations only, so the role can be granted again.
- An identity sees its own habilitations, suspended ones included, wherever they are.
- `carries_live_actions(organisation)`: whether an organisation carries actions that are not archived, in
  CTGs that are not, whoever may see them; an organisation is archived only when it carries none.
- An organisation of a Caf's department is visible to that Caf by its own column: the INSERT … RETURNING
  of an organisation the Caf creates checks the new row against the SELECT policy, and the visibility
  functions, which read the statement's snapshot, do not see it yet.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "maillage_service"
IDENTITY = ("issuer", "subject", "organisation_id", "role")

HABILITATION_VISIBLE = (
    "(SELECT access_national()) OR organisation_id IN (SELECT unnest(access_organisations()))"
    " OR organisation_id IN (SELECT id FROM organisation WHERE department_code IN (SELECT unnest(access_caf_departments())))"
)
OWN_HABILITATION = "(issuer = (SELECT access_issuer()) AND subject = (SELECT access_subject()))"
ORGANISATION_VISIBLE = "(SELECT access_national()) OR id IN (SELECT visible_organisation_ids())"
IN_CAF_DEPARTMENT = "department_code IN (SELECT unnest(access_caf_departments()))"

DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"
CARRIES_LIVE_ACTIONS = f"""
CREATE FUNCTION carries_live_actions(p_organisation bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE {DEFINER} AS $$
  SELECT EXISTS (
    SELECT FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE a.carrier_id = p_organisation AND a.archived_at IS NULL AND s.archived_at IS NULL
  )
$$
"""


def _select_policy(table: str, using: str) -> None:
    op.execute(f"DROP POLICY {table}_visible ON {table}")
    op.execute(f"CREATE POLICY {table}_visible ON {table} FOR SELECT TO {ROLE} USING ({using})")


def upgrade() -> None:
    op.drop_constraint("uq_habilitation_issuer_subject_organisation_id_role", "habilitation", type_="unique")
    op.create_index(
        "uq_habilitation_current", "habilitation", list(IDENTITY), unique=True, postgresql_where="status <> 'revoked'"
    )
    _select_policy("habilitation", f"{HABILITATION_VISIBLE} OR {OWN_HABILITATION}")
    _select_policy("organisation", f"{ORGANISATION_VISIBLE} OR {IN_CAF_DEPARTMENT}")
    op.execute(CARRIES_LIVE_ACTIONS)
    op.execute("REVOKE EXECUTE ON FUNCTION carries_live_actions(bigint) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION carries_live_actions(bigint) TO {ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION carries_live_actions(bigint)")
    # Fails while an identity holds a role again after a revocation of it: the old constraint cannot hold.
    _select_policy("organisation", ORGANISATION_VISIBLE)
    _select_policy("habilitation", HABILITATION_VISIBLE)
    op.drop_index("uq_habilitation_current", table_name="habilitation")
    op.create_unique_constraint("uq_habilitation_issuer_subject_organisation_id_role", "habilitation", list(IDENTITY))
