"""How a CTG is steered: indicator reporting campaigns, governance meetings and their decisions.

A reporting campaign asks, for one period, the indicator values of the actions in its scope (a department,
or the whole country for the Cnaf; optionally some CTGs, themes and indicator units), by a deadline. A value
reported for it names it (`indicator_value.campaign_id`). A reminder records that a carrier was reminded.

A meeting is held by a CTG's governance body; a decision may concern one action of the same CTG, which
composite foreign keys guarantee: (body, CTG) and (action, CTG) must exist together.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from db.models.base import Archivable, Entity, Tracked, all_of, archived_index, one_of
from db.models.enums import CampaignStatus, Theme


class ReportingCampaign(Entity, Archivable, table=True):
    __tablename__ = "reporting_campaign"
    __table_args__ = (
        one_of("status", CampaignStatus),
        all_of("themes", Theme),
        CheckConstraint("length(btrim(title)) BETWEEN 1 AND 200", name="title_length"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("due_on >= period_start", name="due_after_start"),
        Index("ix_reporting_campaign_department_code_period_start", "department_code", "period_start"),
        archived_index("reporting_campaign"),
    )

    ref: str | None = Field(default=None, sa_type=String(120), unique=True)
    title: str = Field(sa_type=Text)
    # None: every department (a national campaign, which only the Cnaf opens).
    department_code: str | None = Field(default=None, sa_column=Column(String(3), ForeignKey("department.code")))
    opened_by_id: int = Field(sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False))
    # Empty: every theme; every unit of indicator.
    themes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default="{}"))
    units: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default="{}"))
    period_start: date = Field(sa_type=Date)
    period_end: date = Field(sa_type=Date)
    due_on: date = Field(sa_type=Date)
    status: str = Field(sa_type=String(10))


class CampaignCtg(Tracked, table=True):
    """The CTGs a campaign is restricted to; a campaign without any covers every CTG of its scope."""

    __tablename__ = "campaign_ctg"

    campaign_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("reporting_campaign.id", ondelete="CASCADE"), primary_key=True)
    )
    ctg_id: int = Field(sa_column=Column(BigInteger, ForeignKey("ctg.scheme_id"), primary_key=True, index=True))


class CampaignReminder(Entity, table=True):
    """A carrier reminded of the values it still owes a campaign, by whom and when."""

    __tablename__ = "campaign_reminder"
    __table_args__ = (
        CheckConstraint("missing >= 1", name="missing_positive"),
        Index("ix_campaign_reminder_campaign_id_organisation_id", "campaign_id", "organisation_id"),
    )

    campaign_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("reporting_campaign.id", ondelete="CASCADE"), nullable=False)
    )
    organisation_id: int = Field(sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False))
    missing: int = Field(sa_type=Integer)
    sent_at: datetime | None = Field(
        default=None, sa_type=DateTime(timezone=True), sa_column_kwargs={"server_default": func.now()}
    )
    issuer: str | None = Field(default=None, sa_type=Text)
    subject: str | None = Field(default=None, sa_type=String(255))


class GovernanceMeeting(Entity, Archivable, table=True):
    __tablename__ = "governance_meeting"
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR length(minutes) <= 50000", name="minutes_length"),
        CheckConstraint("cardinality(attendees) <= 200", name="attendees_count"),
        ForeignKeyConstraint(
            ["body_id", "ctg_id"], ["governance_body.id", "governance_body.ctg_id"], name="fk_meeting_body_of_ctg"
        ),
        UniqueConstraint("id", "ctg_id"),
        # A body meets at most once a day.
        UniqueConstraint("body_id", "held_on"),
        Index("ix_governance_meeting_ctg_id_held_on", "ctg_id", "held_on"),
        archived_index("governance_meeting"),
    )

    ctg_id: int = Field(sa_column=Column(BigInteger, ForeignKey("ctg.scheme_id"), nullable=False))
    body_id: int = Field(sa_type=BigInteger)
    held_on: date = Field(sa_type=Date)
    # "Name — organisation", as the minutes list them.
    attendees: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default="{}")
    )
    minutes: str | None = Field(default=None, sa_type=Text)


class MeetingDecision(Entity, table=True):
    __tablename__ = "meeting_decision"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("length(btrim(decision)) BETWEEN 1 AND 5000", name="decision_length"),
        ForeignKeyConstraint(
            ["meeting_id", "ctg_id"],
            ["governance_meeting.id", "governance_meeting.ctg_id"],
            ondelete="CASCADE",
            name="fk_decision_meeting_of_ctg",
        ),
        ForeignKeyConstraint(["action_id", "ctg_id"], ["action.id", "action.ctg_id"], name="fk_decision_action_of_ctg"),
        UniqueConstraint("meeting_id", "position"),
        Index("ix_meeting_decision_action_id", "action_id"),
        Index("ix_meeting_decision_ctg_id", "ctg_id"),
    )

    meeting_id: int = Field(sa_type=BigInteger)
    ctg_id: int = Field(sa_type=BigInteger)
    position: int = Field(sa_type=Integer)
    decision: str = Field(sa_type=Text)
    action_id: int | None = Field(default=None, sa_type=BigInteger)
