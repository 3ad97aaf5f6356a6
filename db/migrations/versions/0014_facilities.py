"""Facilities (équipements), the actions that create, extend or fund them, and funding lines by year and funder.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:00:00.000000

- `facility`: a facility of a kind (EAJE, ALSH, LAEP, RPE, centre social, EVS, FJT...), its places, its
  manager, its commune — and the commune's department and EPCI, copied by a trigger (`facility_place`), which
  access and statistics read by index; `facility_action`: the actions that create, extend or fund it.
- `funding_line`: one funder's money for one year and one type of funding (prestation de service, bonus
  territoire, fonds publics et territoires, investment, operating grant...), of an action or of a facility:
  planned, granted, paid. An action's `budget` and `caf_funding` are kept as the totals of its lines (all of
  them; those of the Cafs) by a trigger (`funding_totals`), once it has any.
- The access rules gain facilities (their own grant table) and both tables' policies: the rules' scripts
  of 0013 are replaced by those of this revision (`0014_access_rules.sql`, its reverse `_down.sql`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.migrations.scripts import run_script

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ROLE = "maillage_service"
TABLES = ("facility", "facility_action", "funding_line")
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"

# A facility lies in its commune's department and EPCI.
FACILITY_PLACE = """
CREATE FUNCTION facility_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.department_code, c.epci_siren INTO NEW.department_code, NEW.epci_siren
  FROM commune c WHERE c.insee_code = NEW.commune_insee_code;
  RETURN NEW;
END
$$
"""

# A commune moving to another EPCI moves its facilities with it.
COMMUNE_FACILITIES = f"""
CREATE FUNCTION commune_facilities() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  UPDATE facility SET epci_siren = NEW.epci_siren, department_code = NEW.department_code
  WHERE commune_insee_code = NEW.insee_code;
  RETURN NULL;
END
$$
"""

# An action's budget and Caf funding are the totals of its funding lines (all of them; the Cafs'), once it has any.
FUNDING_TOTALS = f"""
CREATE FUNCTION funding_totals() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  touched bigint[];
  one bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    touched := ARRAY[NEW.action_id];
  ELSIF TG_OP = 'DELETE' THEN
    touched := ARRAY[OLD.action_id];
  ELSE
    touched := ARRAY[OLD.action_id, NEW.action_id];
  END IF;
  FOR one IN SELECT DISTINCT x FROM unnest(touched) AS x WHERE x IS NOT NULL LOOP
    UPDATE action AS a SET budget = t.planned, caf_funding = t.caf
    FROM (
      SELECT sum(l.planned) AS planned, coalesce(sum(l.planned) FILTER (WHERE o.kind = 'caf'), 0) AS caf
      FROM funding_line l JOIN organisation o ON o.id = l.funder_id WHERE l.action_id = one
    ) AS t
    WHERE a.id = one AND t.planned IS NOT NULL
      AND (a.budget IS DISTINCT FROM t.planned OR a.caf_funding IS DISTINCT FROM t.caf);
  END LOOP;
  RETURN NULL;
END
$$
"""

TRIGGERS = (
    "CREATE TRIGGER facility_place BEFORE INSERT OR UPDATE OF commune_insee_code ON facility "
    "FOR EACH ROW EXECUTE FUNCTION facility_place()",
    "CREATE TRIGGER commune_facilities AFTER UPDATE ON commune FOR EACH ROW "
    "WHEN (OLD.epci_siren IS DISTINCT FROM NEW.epci_siren) EXECUTE FUNCTION commune_facilities()",
    "CREATE TRIGGER funding_totals AFTER INSERT OR UPDATE OR DELETE ON funding_line "
    "FOR EACH ROW EXECUTE FUNCTION funding_totals()",
    *(
        f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION touch_row()"
        for table in TABLES
    ),
)


def upgrade() -> None:
    op.create_table(
        "facility",
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("ref", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.BigInteger(), nullable=False),
        sa.Column("commune_insee_code", sa.String(length=5), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=True),
        sa.Column("epci_siren", sa.String(length=9), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("approved_from", sa.Date(), nullable=True),
        sa.Column("approved_until", sa.Date(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('french'::regconfig, fold_accents(coalesce(name, '') || ' ' || coalesce(address, '')))",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "kind IN ('multi_accueil', 'creche_collective', 'creche_familiale', 'creche_parentale', 'micro_creche', 'alsh_extrascolaire', 'alsh_periscolaire', 'laep', 'rpe', 'centre_social', 'evs', 'fjt', 'information_jeunesse', 'ps_jeunes')",
            name=op.f("ck_facility_kind_valid"),
        ),
        sa.CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name=op.f("ck_facility_closed_has_date")),
        sa.CheckConstraint("status IN ('planned', 'open', 'closed')", name=op.f("ck_facility_status_valid")),
        sa.CheckConstraint(
            "approved_until IS NULL OR approved_from IS NULL OR approved_until >= approved_from",
            name=op.f("ck_facility_approval_ordered"),
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity BETWEEN 0 AND 100000", name=op.f("ck_facility_capacity_range")
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on", name=op.f("ck_facility_dates_ordered")
        ),
        sa.CheckConstraint("length(btrim(name)) BETWEEN 1 AND 300", name=op.f("ck_facility_name_length")),
        sa.ForeignKeyConstraint(
            ["commune_insee_code"], ["commune.insee_code"], name=op.f("fk_facility_commune_insee_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"], ["department.code"], name=op.f("fk_facility_department_code_department")
        ),
        sa.ForeignKeyConstraint(["epci_siren"], ["epci.siren"], name=op.f("fk_facility_epci_siren_epci")),
        sa.ForeignKeyConstraint(["manager_id"], ["organisation.id"], name=op.f("fk_facility_manager_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
        sa.UniqueConstraint("ref", name=op.f("uq_facility_ref")),
    )
    op.create_index(
        "ix_facility_archived_at",
        "facility",
        ["archived_at"],
        unique=False,
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    op.create_index(op.f("ix_facility_commune_insee_code"), "facility", ["commune_insee_code"], unique=False)
    op.create_index(op.f("ix_facility_department_code"), "facility", ["department_code"], unique=False)
    op.create_index(op.f("ix_facility_epci_siren"), "facility", ["epci_siren"], unique=False)
    op.create_index(op.f("ix_facility_kind"), "facility", ["kind"], unique=False)
    op.create_index(op.f("ix_facility_manager_id"), "facility", ["manager_id"], unique=False)
    op.create_index("ix_facility_search", "facility", ["search"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_facility_status"), "facility", ["status"], unique=False)
    op.create_table(
        "facility_grant",
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("grantee", sa.Text(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_facility_grant_facility_id_facility"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("facility_id", "grantee", "relation", name=op.f("pk_facility_grant")),
    )
    op.create_index("ix_facility_grant_grantee", "facility_grant", ["grantee", "facility_id", "relation"], unique=False)
    op.create_table(
        "facility_action",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=False),
        sa.Column("link", sa.String(length=12), nullable=False),
        sa.CheckConstraint("link IN ('creates', 'extends', 'funds')", name=op.f("ck_facility_action_link_valid")),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_facility_action_action_id_action"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_facility_action_facility_id_facility"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("facility_id", "action_id", name=op.f("pk_facility_action")),
    )
    op.create_index(op.f("ix_facility_action_action_id"), "facility_action", ["action_id"], unique=False)
    op.create_table(
        "funding_line",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.Column("facility_id", sa.BigInteger(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("planned", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("granted", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.CheckConstraint(
            "type IN ('prestation_de_service', 'bonus_territoire', 'fonds_publics_et_territoires', 'investissement', 'subvention_fonctionnement', 'other')",
            name=op.f("ck_funding_line_type_valid"),
        ),
        sa.CheckConstraint(
            "(action_id IS NULL) <> (facility_id IS NULL)", name=op.f("ck_funding_line_of_action_or_facility")
        ),
        sa.CheckConstraint("granted IS NULL OR granted >= 0", name=op.f("ck_funding_line_granted_positive")),
        sa.CheckConstraint("paid IS NULL OR paid >= 0", name=op.f("ck_funding_line_paid_positive")),
        sa.CheckConstraint("planned >= 0", name=op.f("ck_funding_line_planned_positive")),
        sa.CheckConstraint("year BETWEEN 1945 AND 2100", name=op.f("ck_funding_line_year_range")),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_funding_line_action_id_action"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_funding_line_facility_id_facility"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["funder_id"], ["organisation.id"], name=op.f("fk_funding_line_funder_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_line")),
    )
    op.create_index(op.f("ix_funding_line_action_id"), "funding_line", ["action_id"], unique=False)
    op.create_index(op.f("ix_funding_line_facility_id"), "funding_line", ["facility_id"], unique=False)
    op.create_index(op.f("ix_funding_line_funder_id"), "funding_line", ["funder_id"], unique=False)
    op.create_index(
        "uq_funding_line_action",
        "funding_line",
        ["action_id", "year", "funder_id", "type"],
        unique=True,
        postgresql_where=sa.text("action_id IS NOT NULL"),
    )
    op.create_index(
        "uq_funding_line_facility",
        "funding_line",
        ["facility_id", "year", "funder_id", "type"],
        unique=True,
        postgresql_where=sa.text("facility_id IS NOT NULL"),
    )
    for function in (FACILITY_PLACE, COMMUNE_FACILITIES, FUNDING_TOTALS):
        op.execute(function)
    op.execute("REVOKE EXECUTE ON FUNCTION commune_facilities(), funding_totals() FROM PUBLIC")
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(TABLES)} TO {ROLE}")
    op.execute(f"GRANT DELETE ON facility_action, funding_line TO {ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE facility_id_seq, funding_line_id_seq TO {ROLE}")
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    run_script("0013_access_rules_down.sql")
    run_script("0014_access_rules.sql")
    op.execute("SELECT rebuild_grants()")


def downgrade() -> None:
    run_script("0014_access_rules_down.sql")
    run_script("0013_access_rules.sql")
    op.execute("SELECT rebuild_grants()")
    for trigger in ("commune_facilities ON commune", "funding_totals ON funding_line", "facility_place ON facility"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP FUNCTION funding_totals(), commune_facilities(), facility_place()")
    op.drop_index(
        "uq_funding_line_facility", table_name="funding_line", postgresql_where=sa.text("facility_id IS NOT NULL")
    )
    op.drop_index(
        "uq_funding_line_action", table_name="funding_line", postgresql_where=sa.text("action_id IS NOT NULL")
    )
    op.drop_index(op.f("ix_funding_line_funder_id"), table_name="funding_line")
    op.drop_index(op.f("ix_funding_line_facility_id"), table_name="funding_line")
    op.drop_index(op.f("ix_funding_line_action_id"), table_name="funding_line")
    op.drop_table("funding_line")
    op.drop_index(op.f("ix_facility_action_action_id"), table_name="facility_action")
    op.drop_table("facility_action")
    op.drop_index("ix_facility_grant_grantee", table_name="facility_grant")
    op.drop_table("facility_grant")
    op.drop_index(op.f("ix_facility_status"), table_name="facility")
    op.drop_index("ix_facility_search", table_name="facility", postgresql_using="gin")
    op.drop_index(op.f("ix_facility_manager_id"), table_name="facility")
    op.drop_index(op.f("ix_facility_kind"), table_name="facility")
    op.drop_index(op.f("ix_facility_epci_siren"), table_name="facility")
    op.drop_index(op.f("ix_facility_department_code"), table_name="facility")
    op.drop_index(op.f("ix_facility_commune_insee_code"), table_name="facility")
    op.drop_index("ix_facility_archived_at", table_name="facility", postgresql_where=sa.text("archived_at IS NOT NULL"))
    op.drop_table("facility")
    # ### end Alembic commands ###
