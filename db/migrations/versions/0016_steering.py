"""Steering a CTG: reporting campaigns, governance meetings and decisions, who reported a value and why a change.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:00:00.000000

- `reporting_campaign` (its CTGs in `campaign_ctg`, its reminders in `campaign_reminder`): a period's indicator
  values asked of the actions in a scope, by a deadline; `indicator_value` names the campaign it answers, who
  reported it and when (values already there: when they were written).
- `governance_meeting` and `meeting_decision`: a body's meetings, attendees, minutes and decisions, a decision
  naming an action of the same CTG (composite foreign keys on (body, CTG) and (action, CTG)).
- `audit_event.reason`: why, when the caller said.
- The rules' scripts of 0015 are replaced by those of this revision (`0016_access_rules.sql`, `_down.sql`).
"""

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.migrations.scripts import run_script

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


HERE = Path(__file__).parent
ROLE = "maillage_service"
TABLES = ("reporting_campaign", "campaign_ctg", "campaign_reminder", "governance_meeting", "meeting_decision")
SEQUENCES = ("reporting_campaign", "campaign_reminder", "governance_meeting", "meeting_decision")


# 0014's function, now deferring to a bulk load by the owner (the benchmark's generator writes every line with
# totals already equal to its action's): one UPDATE per line would cost minutes at national scale.
FUNDING_TOTALS_BODY = """
DECLARE
  touched bigint[];
  one bigint;
BEGIN
  {deferred}
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
"""
DEFERRED = (
    "IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN\n"
    "    RETURN NULL;\n  END IF;"
)
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"


def _funding_totals(deferred: str) -> str:
    body = FUNDING_TOTALS_BODY.format(deferred=deferred)
    return f"CREATE OR REPLACE FUNCTION funding_totals() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $${body}$$"


def upgrade() -> None:
    # What the composite foreign keys of meetings and decisions refer to.
    op.create_unique_constraint(op.f("uq_action_id_ctg_id"), "action", ["id", "ctg_id"])
    op.create_unique_constraint(op.f("uq_governance_body_id_ctg_id"), "governance_body", ["id", "ctg_id"])
    op.create_table(
        "reporting_campaign",
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("ref", sa.String(length=120), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=True),
        sa.Column("opened_by_id", sa.BigInteger(), nullable=False),
        sa.Column("themes", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("units", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_reporting_campaign_status_valid")),
        sa.CheckConstraint(
            "themes <@ ARRAY['early_childhood', 'childhood', 'youth', 'parenting', 'social_life', 'access_to_rights', 'housing', 'disability', 'seniors']::text[]",
            name=op.f("ck_reporting_campaign_themes_valid"),
        ),
        sa.CheckConstraint("due_on >= period_start", name=op.f("ck_reporting_campaign_due_after_start")),
        sa.CheckConstraint("length(btrim(title)) BETWEEN 1 AND 200", name=op.f("ck_reporting_campaign_title_length")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_reporting_campaign_period_ordered")),
        sa.ForeignKeyConstraint(
            ["department_code"], ["department.code"], name=op.f("fk_reporting_campaign_department_code_department")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["organisation.id"], name=op.f("fk_reporting_campaign_opened_by_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_campaign")),
        sa.UniqueConstraint("ref", name=op.f("uq_reporting_campaign_ref")),
    )
    op.create_index(
        "ix_reporting_campaign_archived_at",
        "reporting_campaign",
        ["archived_at"],
        unique=False,
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    op.create_index(
        "ix_reporting_campaign_department_code_period_start",
        "reporting_campaign",
        ["department_code", "period_start"],
        unique=False,
    )
    op.create_table(
        "campaign_ctg",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("campaign_id", sa.BigInteger(), nullable=False),
        sa.Column("ctg_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["reporting_campaign.id"],
            name=op.f("fk_campaign_ctg_campaign_id_reporting_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["ctg_id"], ["ctg.scheme_id"], name=op.f("fk_campaign_ctg_ctg_id_ctg")),
        sa.PrimaryKeyConstraint("campaign_id", "ctg_id", name=op.f("pk_campaign_ctg")),
    )
    op.create_index(op.f("ix_campaign_ctg_ctg_id"), "campaign_ctg", ["ctg_id"], unique=False)
    op.create_table(
        "campaign_reminder",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("campaign_id", sa.BigInteger(), nullable=False),
        sa.Column("organisation_id", sa.BigInteger(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.CheckConstraint("missing >= 1", name=op.f("ck_campaign_reminder_missing_positive")),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["reporting_campaign.id"],
            name=op.f("fk_campaign_reminder_campaign_id_reporting_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_campaign_reminder_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_reminder")),
    )
    op.create_index(
        "ix_campaign_reminder_campaign_id_organisation_id",
        "campaign_reminder",
        ["campaign_id", "organisation_id"],
        unique=False,
    )
    op.create_table(
        "governance_meeting",
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("ctg_id", sa.BigInteger(), nullable=False),
        sa.Column("body_id", sa.BigInteger(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.CheckConstraint("cardinality(attendees) <= 200", name=op.f("ck_governance_meeting_attendees_count")),
        sa.CheckConstraint(
            "minutes IS NULL OR length(minutes) <= 50000", name=op.f("ck_governance_meeting_minutes_length")
        ),
        sa.ForeignKeyConstraint(
            ["body_id", "ctg_id"], ["governance_body.id", "governance_body.ctg_id"], name="fk_meeting_body_of_ctg"
        ),
        sa.ForeignKeyConstraint(["ctg_id"], ["ctg.scheme_id"], name=op.f("fk_governance_meeting_ctg_id_ctg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_meeting")),
        sa.UniqueConstraint("id", "ctg_id", name=op.f("uq_governance_meeting_id_ctg_id")),
        sa.UniqueConstraint("body_id", "held_on", name=op.f("uq_governance_meeting_body_id_held_on")),
    )
    op.create_index(
        "ix_governance_meeting_archived_at",
        "governance_meeting",
        ["archived_at"],
        unique=False,
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    op.create_index("ix_governance_meeting_ctg_id_held_on", "governance_meeting", ["ctg_id", "held_on"], unique=False)
    op.create_table(
        "meeting_decision",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("ctg_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("action_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "length(btrim(decision)) BETWEEN 1 AND 5000", name=op.f("ck_meeting_decision_decision_length")
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_meeting_decision_position_positive")),
        sa.ForeignKeyConstraint(
            ["action_id", "ctg_id"], ["action.id", "action.ctg_id"], name="fk_decision_action_of_ctg"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id", "ctg_id"],
            ["governance_meeting.id", "governance_meeting.ctg_id"],
            name="fk_decision_meeting_of_ctg",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decision")),
        sa.UniqueConstraint("meeting_id", "position", name=op.f("uq_meeting_decision_meeting_id_position")),
    )
    op.create_index("ix_meeting_decision_action_id", "meeting_decision", ["action_id"], unique=False)
    op.create_index("ix_meeting_decision_ctg_id", "meeting_decision", ["ctg_id"], unique=False)
    op.add_column("audit_event", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("indicator_value", sa.Column("campaign_id", sa.BigInteger(), nullable=True))
    op.add_column("indicator_value", sa.Column("reported_by_issuer", sa.Text(), nullable=True))
    op.add_column("indicator_value", sa.Column("reported_by_subject", sa.String(length=255), nullable=True))
    op.add_column(
        "indicator_value",
        sa.Column("reported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index(
        "ix_indicator_value_campaign_id",
        "indicator_value",
        ["campaign_id"],
        unique=False,
        postgresql_where=sa.text("campaign_id IS NOT NULL"),
    )
    op.create_foreign_key(
        op.f("fk_indicator_value_campaign_id_reporting_campaign"),
        "indicator_value",
        "reporting_campaign",
        ["campaign_id"],
        ["id"],
    )
    op.execute("UPDATE indicator_value SET reported_at = updated_at")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION touch_row()")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"GRANT USAGE ON SEQUENCE {', '.join(f'{table}_id_seq' for table in SEQUENCES)} TO {ROLE}")
    op.execute(_funding_totals(DEFERRED))
    run_script("0015_access_rules_down.sql")
    run_script("0016_access_rules.sql")


def downgrade() -> None:
    run_script("0016_access_rules_down.sql")
    run_script("0015_access_rules.sql")
    op.execute(_funding_totals(""))
    op.drop_constraint(op.f("fk_indicator_value_campaign_id_reporting_campaign"), "indicator_value", type_="foreignkey")
    op.drop_index(
        "ix_indicator_value_campaign_id",
        table_name="indicator_value",
        postgresql_where=sa.text("campaign_id IS NOT NULL"),
    )
    op.drop_column("indicator_value", "reported_at")
    op.drop_column("indicator_value", "reported_by_subject")
    op.drop_column("indicator_value", "reported_by_issuer")
    op.drop_column("indicator_value", "campaign_id")
    op.drop_column("audit_event", "reason")
    op.drop_index("ix_meeting_decision_ctg_id", table_name="meeting_decision")
    op.drop_index("ix_meeting_decision_action_id", table_name="meeting_decision")
    op.drop_table("meeting_decision")
    op.drop_index("ix_governance_meeting_ctg_id_held_on", table_name="governance_meeting")
    op.drop_index(
        "ix_governance_meeting_archived_at",
        table_name="governance_meeting",
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    op.drop_table("governance_meeting")
    op.drop_index("ix_campaign_reminder_campaign_id_organisation_id", table_name="campaign_reminder")
    op.drop_table("campaign_reminder")
    op.drop_index(op.f("ix_campaign_ctg_ctg_id"), table_name="campaign_ctg")
    op.drop_table("campaign_ctg")
    op.drop_index("ix_reporting_campaign_department_code_period_start", table_name="reporting_campaign")
    op.drop_index(
        "ix_reporting_campaign_archived_at",
        table_name="reporting_campaign",
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    op.drop_table("reporting_campaign")
    op.drop_constraint(op.f("uq_governance_body_id_ctg_id"), "governance_body", type_="unique")
    op.drop_constraint(op.f("uq_action_id_ctg_id"), "action", type_="unique")
