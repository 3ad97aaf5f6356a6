"""Habilitations: the rights Maillage itself grants to an identity, for issuers that send no roles.

ProConnect, the State's identity federation, sends who someone is (`sub`, `email`, `siret`) but not what
they may do here: an organisation's admin grants that, supervised by its Caf.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, ForeignKey, Index, String, Text, text
from sqlmodel import Field

from db.models.base import Entity, one_of
from db.models.enums import HabilitationStatus, Role


class Habilitation(Entity, table=True):
    __tablename__ = "habilitation"
    __table_args__ = (
        one_of("role", Role),
        one_of("status", HabilitationStatus),
        CheckConstraint("length(issuer) BETWEEN 1 AND 500", name="issuer_length"),
        CheckConstraint("length(subject) BETWEEN 1 AND 255", name="subject_length"),
        # One current habilitation per identity, organisation and role; revoked ones stay, for the record, and
        # do not stand in the way of a new grant.
        Index(
            "uq_habilitation_current",
            "issuer",
            "subject",
            "organisation_id",
            "role",
            unique=True,
            postgresql_where=text("status <> 'revoked'"),
        ),
    )

    # The identity, as its issuer names it: `iss` and `sub` of its tokens.
    issuer: str = Field(sa_type=Text)
    subject: str = Field(sa_type=String(255), index=True)
    email: str | None = Field(default=None, sa_type=String(254))
    organisation_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False, index=True)
    )
    role: str = Field(sa_type=String(30))
    status: str = Field(sa_type=String(12))
    granted_by: str | None = Field(default=None, sa_type=Text)
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
