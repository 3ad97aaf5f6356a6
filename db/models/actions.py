"""The actions of a CTG's plan, their partners, the objectives they serve and their indicators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlmodel import Field

from db.models.base import Archivable, Entity, Tracked, archived_index, one_of, period_check
from db.models.enums import ActionStatus, Theme
from db.models.search import search_column, search_index


class Action(Entity, Archivable, table=True):
    __tablename__ = "action"
    __table_args__ = (
        one_of("theme", Theme),
        one_of("status", ActionStatus),
        period_check(),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("length(btrim(title)) BETWEEN 1 AND 300", name="title_length"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_positive"),
        CheckConstraint("caf_funding IS NULL OR caf_funding >= 0", name="caf_funding_positive"),
        CheckConstraint(
            "caf_funding IS NULL OR budget IS NULL OR caf_funding <= budget", name="caf_funding_within_budget"
        ),
        CheckConstraint("progress IS NULL OR progress BETWEEN 0 AND 100", name="progress_percent"),
        UniqueConstraint("ctg_id", "number"),
        # What a meeting's decision names: an action of the decision's CTG.
        UniqueConstraint("id", "ctg_id"),
        search_index("action"),
        archived_index("action"),
    )

    ref: str | None = Field(default=None, sa_type=String(120), unique=True)
    ctg_id: int = Field(sa_column=Column(BigInteger, ForeignKey("ctg.scheme_id"), nullable=False, index=True))
    number: int = Field(sa_type=Integer)
    title: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    theme: str = Field(sa_type=String(30), index=True)
    objectives: str | None = Field(default=None, sa_type=Text)
    target_public: str | None = Field(default=None, sa_type=Text)
    carrier_id: int = Field(sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False, index=True))
    period_start: date = Field(sa_type=Date)
    period_end: date | None = Field(default=None, sa_type=Date)
    status: str = Field(sa_type=String(12), index=True)
    progress: int | None = Field(default=None, sa_type=Integer)
    budget: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    caf_funding: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    search: str | None = Field(
        default=None, sa_column=search_column("title", "description", "objectives", "target_public")
    )


class ActionPartner(Tracked, table=True):
    """An organisation taking part in an action it does not carry."""

    __tablename__ = "action_partner"
    __table_args__ = (CheckConstraint("role IS NULL OR length(role) <= 200", name="role_length"),)

    action_id: int = Field(sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True))
    organisation_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("organisation.id"), primary_key=True, index=True)
    )
    role: str | None = Field(default=None, sa_type=Text)


class ActionObjective(Tracked, table=True):
    """A scheme objective that an action serves."""

    __tablename__ = "action_objective"

    action_id: int = Field(sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True))
    objective_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("scheme_objective.id"), primary_key=True, index=True)
    )


class Indicator(Entity, table=True):
    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("length(btrim(name)) BETWEEN 1 AND 200", name="name_length"),
        CheckConstraint("target IS NULL OR target >= 0", name="target_positive"),
        UniqueConstraint("action_id", "name"),
    )

    action_id: int = Field(sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), nullable=False))
    name: str = Field(sa_type=Text)
    unit: str = Field(sa_type=String(50))
    target: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))


class IndicatorValue(Entity, table=True):
    """A value reported for an indicator over one period (a year, a half-year...)."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        period_check(),
        CheckConstraint("value >= 0", name="value_positive"),
        UniqueConstraint("indicator_id", "period_start"),
        Index("ix_indicator_value_campaign_id", "campaign_id", postgresql_where=text("campaign_id IS NOT NULL")),
    )

    indicator_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False)
    )
    period_start: date = Field(sa_type=Date)
    period_end: date = Field(sa_type=Date)
    value: Decimal = Field(sa_type=Numeric(14, 2))
    comment: str | None = Field(default=None, sa_type=Text)
    # The reporting campaign it answers, if any.
    campaign_id: int | None = Field(default=None, sa_column=Column(BigInteger, ForeignKey("reporting_campaign.id")))
    # Who reported the value last, and when (an identity of the issuer; null for values loaded in bulk).
    reported_by_issuer: str | None = Field(default=None, sa_type=Text)
    reported_by_subject: str | None = Field(default=None, sa_type=String(255))
    reported_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
