"""A generation of access: a compiled read checks it instead of reading the caller's memberships every time.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 11:30:00.000000

Every compiled read used to call `caller_access` in its own statement, to check that the caller's memberships
still gave the scope it ran in (habilitations change). That call cost more PostgreSQL time than a small read
itself. The read now reads one counter instead, which triggers bump in the transaction of every change to what
`caller_access` reads: habilitations, organisations (the columns that name them and give keys), communes (their
EPCI and department). The same generation as when the memberships were read: they are what they were.

Habilitations also end by time, with no write: `caller_access_expiry` gives, with the memberships, how many
seconds remain before the first of the caller's habilitations in force expires; the service reads them again
then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"
# Statement-level: a bulk change bumps once. Organisations: only the columns `caller_access` reads.
TRIGGERS = {
    "habilitation": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
    "organisation": "INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, kind, ref, siret, siren, department_code, "
    "epci_siren, commune_insee_code, archived_at",
    "commune": "INSERT OR DELETE OR TRUNCATE OR UPDATE OF insee_code, epci_siren, department_code",
}


def upgrade() -> None:
    op.create_table(
        "access_generation",
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("singleton", name="ck_access_generation_singleton"),
        sa.PrimaryKeyConstraint("singleton"),
    )
    op.execute("INSERT INTO access_generation (singleton, generation) VALUES (true, 0)")
    op.execute("GRANT SELECT ON access_generation TO maillage_service")
    op.execute(
        f"""CREATE FUNCTION access_generation_bump() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  UPDATE access_generation SET generation = generation + 1;
  RETURN NULL;
END
$$"""
    )
    op.execute("REVOKE EXECUTE ON FUNCTION access_generation_bump() FROM PUBLIC")
    for table, events in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {table}_access_generation AFTER {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION access_generation_bump()"
        )
    op.execute(
        f"""CREATE FUNCTION caller_access_expiry(p_issuer text, p_subject text) RETURNS double precision
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT extract(epoch FROM min(h.expires_at) - now())::double precision FROM habilitation AS h
  WHERE h.issuer = p_issuer AND h.subject = p_subject AND h.status = 'active' AND h.expires_at > now()
$$"""
    )
    op.execute("REVOKE EXECUTE ON FUNCTION caller_access_expiry(text, text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION caller_access_expiry(text, text) TO maillage_service")


def downgrade() -> None:
    op.execute("DROP FUNCTION caller_access_expiry(text, text)")
    for table in TRIGGERS:
        op.execute(f"DROP TRIGGER {table}_access_generation ON {table}")
    op.execute("DROP FUNCTION access_generation_bump()")
    op.drop_table("access_generation")
