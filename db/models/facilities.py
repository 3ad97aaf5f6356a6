"""Facilities (équipements) the Caf funds, the actions that create, extend or fund them, and funding lines.

A facility lies in a commune; its department and EPCI are the commune's, copied onto the row by a trigger
(migration 0014) so that access and statistics find them by index. A funding line is one funder's money for
one year and one kind of funding, of an action or of a facility; an action's `budget` and `caf_funding` are
the totals of its lines once it has any.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlmodel import Field

from db.models.base import Archivable, Entity, Tracked, archived_index, one_of
from db.models.enums import FacilityKind, FacilityLink, FacilityStatus, FundingType
from db.models.search import search_column, search_index


class Facility(Entity, Archivable, table=True):
    __tablename__ = "facility"
    __table_args__ = (
        one_of("kind", FacilityKind),
        one_of("status", FacilityStatus),
        CheckConstraint("length(btrim(name)) BETWEEN 1 AND 300", name="name_length"),
        CheckConstraint("capacity IS NULL OR capacity BETWEEN 0 AND 100000", name="capacity_range"),
        CheckConstraint(
            "approved_until IS NULL OR approved_from IS NULL OR approved_until >= approved_from",
            name="approval_ordered",
        ),
        CheckConstraint("closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on", name="dates_ordered"),
        CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
        search_index("facility"),
        archived_index("facility"),
        # Listings are by name by default: the first page is read down this index, not sorted from all rows.
        Index("ix_facility_name_id", "name", "id"),
    )

    ref: str | None = Field(default=None, sa_type=String(120), unique=True)
    kind: str = Field(sa_type=String(30), index=True)
    name: str = Field(sa_type=Text)
    capacity: int | None = Field(default=None, sa_type=Integer)  # places (agréées, or opened for a project)
    manager_id: int = Field(sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False, index=True))
    commune_insee_code: str = Field(
        sa_column=Column(String(5), ForeignKey("commune.insee_code"), nullable=False, index=True)
    )
    # The commune's, kept by a trigger.
    department_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("department.code"), index=True)
    )
    epci_siren: str | None = Field(default=None, sa_column=Column(String(9), ForeignKey("epci.siren"), index=True))
    address: str | None = Field(default=None, sa_type=Text)
    email: str | None = Field(default=None, sa_type=String(254))
    phone: str | None = Field(default=None, sa_type=String(30))
    approved_from: date | None = Field(default=None, sa_type=Date)  # agrément (PMI, SDJES...) or Caf approval
    approved_until: date | None = Field(default=None, sa_type=Date)
    opened_on: date | None = Field(default=None, sa_type=Date)
    closed_on: date | None = Field(default=None, sa_type=Date)
    status: str = Field(sa_type=String(12), index=True)
    search: str | None = Field(default=None, sa_column=search_column("name", "address"))


class FacilityAction(Tracked, table=True):
    """An action that creates, extends or funds a facility."""

    __tablename__ = "facility_action"
    __table_args__ = (one_of("link", FacilityLink),)

    facility_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("facility.id", ondelete="CASCADE"), primary_key=True)
    )
    action_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    link: str = Field(sa_type=String(12))


class FundingLine(Entity, table=True):
    """One funder's money for one year and one type of funding, of an action or of a facility."""

    __tablename__ = "funding_line"
    __table_args__ = (
        one_of("type", FundingType),
        CheckConstraint("(action_id IS NULL) <> (facility_id IS NULL)", name="of_action_or_facility"),
        CheckConstraint("year BETWEEN 1945 AND 2100", name="year_range"),
        CheckConstraint("planned >= 0", name="planned_positive"),
        CheckConstraint("granted IS NULL OR granted >= 0", name="granted_positive"),
        CheckConstraint("paid IS NULL OR paid >= 0", name="paid_positive"),
        Index(
            "uq_funding_line_action",
            "action_id",
            "year",
            "funder_id",
            "type",
            unique=True,
            postgresql_where=text("action_id IS NOT NULL"),
        ),
        Index(
            "uq_funding_line_facility",
            "facility_id",
            "year",
            "funder_id",
            "type",
            unique=True,
            postgresql_where=text("facility_id IS NOT NULL"),
        ),
    )

    action_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), index=True)
    )
    facility_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("facility.id", ondelete="CASCADE"), index=True)
    )
    year: int = Field(sa_type=Integer)
    funder_id: int = Field(sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False, index=True))
    type: str = Field(sa_type=String(30))
    planned: Decimal = Field(sa_type=Numeric(14, 2))  # amount planned (prévisionnel)
    granted: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))  # amount granted (accordé)
    paid: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))  # amount paid (versé)
