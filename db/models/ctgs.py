"""What a CTG (convention territoriale globale) adds to a scheme: themes, diagnostic, governance."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from db.models.base import Entity, Tracked, all_of
from db.models.enums import Theme


class Ctg(Tracked, table=True):
    """One row per scheme of kind CTG; the scheme row holds its period, scope, status and signatures."""

    __tablename__ = "ctg"
    __table_args__ = (
        all_of("themes", Theme),
        CheckConstraint("replaces_scheme_id IS NULL OR replaces_scheme_id <> scheme_id", name="not_self_replacing"),
    )

    scheme_id: int = Field(sa_column=Column(BigInteger, ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True))
    themes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default="{}"))
    diagnostic_date: date | None = Field(default=None, sa_type=Date)
    diagnostic_summary: str | None = Field(default=None, sa_type=Text)
    coordinator_name: str | None = Field(default=None, sa_type=String(200))
    coordinator_email: str | None = Field(default=None, sa_type=String(254))
    coordinator_organisation_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("organisation.id"), index=True)
    )
    # The CEJ (contrat enfance jeunesse) this CTG took over, if any.
    replaces_scheme_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("scheme.id"), unique=True)
    )


class GovernanceBody(Entity, table=True):
    """A CTG governance body (comité de pilotage, comité technique...), in the CTG's own order."""

    __tablename__ = "governance_body"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("length(btrim(name)) BETWEEN 1 AND 200", name="name_length"),
        UniqueConstraint("ctg_id", "position"),
        # What a meeting names: a body of the meeting's CTG.
        UniqueConstraint("id", "ctg_id"),
    )

    ctg_id: int = Field(sa_column=Column(BigInteger, ForeignKey("ctg.scheme_id", ondelete="CASCADE"), nullable=False))
    position: int = Field(sa_type=Integer)
    name: str = Field(sa_type=Text)
    composition: str | None = Field(default=None, sa_type=Text)
    meeting_frequency: str | None = Field(default=None, sa_type=String(100))
