"""The national territory reference: regions, departments, EPCIs and communes (INSEE / DGCL)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from db.models.base import Tracked, one_of
from db.models.enums import EpciKind, TerritoryZone


class Region(Tracked, table=True):
    __tablename__ = "region"
    __table_args__ = (
        CheckConstraint("code ~ '^[0-9]{2,3}$'", name="code_format"),
        one_of("zone", TerritoryZone),
    )

    code: str = Field(primary_key=True, sa_type=String(3))
    name: str = Field(sa_type=Text)
    zone: str = Field(sa_type=String(5))


class Department(Tracked, table=True):
    """A department (or an overseas collectivity, zone 'com', which has no Caf)."""

    __tablename__ = "department"
    __table_args__ = (
        CheckConstraint("code ~ '^([0-9]{2}|2[AB]|9[78][0-9])$'", name="code_format"),
        CheckConstraint("article_kind BETWEEN 0 AND 8", name="article_kind_range"),
        one_of("zone", TerritoryZone),
    )

    code: str = Field(primary_key=True, sa_type=String(3))
    name: str = Field(sa_type=Text)
    # INSEE's "type de nom en clair": which article the name takes ("de la Haute-Garonne").
    article_kind: int = Field(sa_type=Integer)
    region_code: str = Field(sa_column=Column(String(3), ForeignKey("region.code"), nullable=False, index=True))
    zone: str = Field(sa_type=String(5))


class Epci(Tracked, table=True):
    """An établissement public de coopération intercommunale à fiscalité propre."""

    __tablename__ = "epci"
    __table_args__ = (
        CheckConstraint("luhn_valid(siren, 9)", name="siren_valid"),
        CheckConstraint("population >= 0", name="population_positive"),
        one_of("kind", EpciKind),
        CheckConstraint("financing_mode IN ('FPU', 'FA')", name="financing_mode_valid"),
    )

    siren: str = Field(primary_key=True, sa_type=String(9))
    name: str = Field(sa_type=Text)
    kind: str = Field(sa_type=String(5))
    financing_mode: str = Field(sa_type=String(3))
    population: int = Field(sa_type=Integer)


class Commune(Tracked, table=True):
    """A current commune. Its EPCI membership comes from the EPCI's member list."""

    __tablename__ = "commune"
    __table_args__ = (
        CheckConstraint("insee_code ~ '^([0-9]{2}|2[AB])[0-9]{3}$'", name="insee_code_format"),
        CheckConstraint("siren IS NULL OR luhn_valid(siren, 9)", name="siren_valid"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
    )

    insee_code: str = Field(primary_key=True, sa_type=String(5))
    name: str = Field(sa_type=Text)
    siren: str | None = Field(default=None, sa_type=String(9), unique=True)
    department_code: str = Field(sa_column=Column(String(3), ForeignKey("department.code"), nullable=False, index=True))
    epci_siren: str | None = Field(
        default=None, sa_column=Column(String(9), ForeignKey("epci.siren"), nullable=True, index=True)
    )
    postcodes: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String(5)), nullable=False, server_default="{}"),
    )
    population: int | None = Field(default=None, sa_type=Integer)
