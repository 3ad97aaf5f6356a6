"""Signed schemes — COG, CPOG, departmental schemes, CEJ and CTG — their objectives and signatures."""

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
from sqlmodel import Field

from db.models.base import Archivable, Entity, Tracked, archived_index, one_of, period_check
from db.models.enums import SchemeKind, SchemeScope, SchemeStatus
from db.models.search import search_column, search_index


class Scheme(Entity, Archivable, table=True):
    """One signed (or drafted) scheme in the chain COG → CPOG → SDSF / SDAVS / charter → CTG."""

    __tablename__ = "scheme"
    __table_args__ = (
        one_of("kind", SchemeKind),
        one_of("scope", SchemeScope),
        one_of("status", SchemeStatus),
        period_check(),
        CheckConstraint("length(btrim(title)) BETWEEN 1 AND 300", name="title_length"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # The territory columns say where the scheme applies; exactly the one its scope names.
        CheckConstraint(
            "(scope = 'national' AND department_code IS NULL AND epci_siren IS NULL)"
            " OR (scope = 'department' AND department_code IS NOT NULL AND epci_siren IS NULL)"
            " OR (scope = 'epci' AND epci_siren IS NOT NULL)"
            " OR (scope = 'communes' AND epci_siren IS NULL)",
            name="scope_territory",
        ),
        CheckConstraint("kind <> 'COG' OR scope = 'national'", name="cog_is_national"),
        CheckConstraint("kind <> 'CTG' OR scope <> 'national'", name="ctg_is_local"),
        # Only a superseded scheme names its successor, never itself.
        CheckConstraint(
            "superseded_by_id IS NULL OR (status = 'superseded' AND superseded_by_id <> id)",
            name="superseded_by_consistent",
        ),
        search_index("scheme"),
        archived_index("scheme"),
    )

    ref: str | None = Field(default=None, sa_type=String(120), unique=True)
    kind: str = Field(sa_type=String(20), index=True)
    title: str = Field(sa_type=Text)
    summary: str | None = Field(default=None, sa_type=Text)
    period_start: date = Field(sa_type=Date)
    period_end: date | None = Field(default=None, sa_type=Date)
    scope: str = Field(sa_type=String(12))
    status: str = Field(sa_type=String(12), index=True)
    # The department is also set on EPCI- and commune-scoped schemes: the Caf's department.
    department_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("department.code"), index=True)
    )
    epci_siren: str | None = Field(default=None, sa_column=Column(String(9), ForeignKey("epci.siren"), index=True))
    parent_id: int | None = Field(default=None, sa_column=Column(BigInteger, ForeignKey("scheme.id"), index=True))
    source_url: str | None = Field(default=None, sa_type=String(500))
    # The scheme that took over from this one, once it is superseded.
    superseded_by_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("scheme.id"), index=True)
    )
    search: str | None = Field(default=None, sa_column=search_column("title", "summary"))


class SchemeCommune(Tracked, table=True):
    """A commune covered by a scheme whose scope is a set of communes."""

    __tablename__ = "scheme_commune"

    scheme_id: int = Field(sa_column=Column(BigInteger, ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True))
    commune_insee_code: str = Field(
        sa_column=Column(String(5), ForeignKey("commune.insee_code"), primary_key=True, index=True)
    )


class SchemeObjective(Entity, table=True):
    """An orientation, stake or objective of a scheme, in the scheme's own order."""

    __tablename__ = "scheme_objective"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("length(btrim(title)) BETWEEN 1 AND 500", name="title_length"),
        UniqueConstraint("scheme_id", "position"),
    )

    scheme_id: int = Field(sa_column=Column(BigInteger, ForeignKey("scheme.id", ondelete="CASCADE"), nullable=False))
    position: int = Field(sa_type=Integer)
    title: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)


class Signature(Entity, table=True):
    """An organisation's signature of a scheme, with its role and the day it signed."""

    __tablename__ = "signature"
    __table_args__ = (
        CheckConstraint("length(btrim(role)) BETWEEN 1 AND 200", name="role_length"),
        UniqueConstraint("scheme_id", "organisation_id"),
    )

    scheme_id: int = Field(sa_column=Column(BigInteger, ForeignKey("scheme.id", ondelete="CASCADE"), nullable=False))
    organisation_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("organisation.id"), nullable=False, index=True)
    )
    role: str = Field(sa_type=Text)
    signed_on: date | None = Field(default=None, sa_type=Date)
