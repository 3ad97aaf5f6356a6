"""Partner organisations: the Cafs and the Cnaf, local authorities, associations, State services..."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Text, text
from sqlmodel import Field

from db.models.base import Archivable, Entity, archived_index, one_of
from db.models.enums import OrganisationKind
from db.models.search import search_column, search_index


class Organisation(Entity, Archivable, table=True):
    __tablename__ = "organisation"
    __table_args__ = (
        one_of("kind", OrganisationKind),
        CheckConstraint("length(btrim(name)) BETWEEN 1 AND 300", name="name_length"),
        CheckConstraint("siren IS NULL OR luhn_valid(siren, 9)", name="siren_valid"),
        # La Poste's establishments (SIREN 356000000) are numbered outside the Luhn rule.
        CheckConstraint(
            "siret IS NULL OR luhn_valid(siret, 14) OR (siret ~ '^356000000[0-9]{5}$')",
            name="siret_valid",
        ),
        CheckConstraint("siret IS NULL OR siren IS NULL OR left(siret, 9) = siren", name="siret_in_siren"),
        CheckConstraint("rna IS NULL OR rna ~ '^W[0-9A-Z][0-9]{8}$'", name="rna_format"),
        CheckConstraint("kind <> 'epci' OR epci_siren IS NOT NULL", name="epci_has_territory"),
        CheckConstraint("kind <> 'commune' OR commune_insee_code IS NOT NULL", name="commune_has_territory"),
        CheckConstraint("kind <> 'caf' OR department_code IS NOT NULL", name="caf_has_department"),
        # Listings are by name by default: the first page is read down this index, not sorted from all rows.
        Index("ix_organisation_name_id", "name", "id"),
        # One Caf per department; one organisation *is* a given EPCI or commune.
        Index(
            "uq_organisation_caf_department",
            "department_code",
            unique=True,
            postgresql_where=text("kind = 'caf'"),
        ),
        Index("uq_organisation_epci", "epci_siren", unique=True, postgresql_where=text("kind = 'epci'")),
        Index(
            "uq_organisation_commune",
            "commune_insee_code",
            unique=True,
            postgresql_where=text("kind = 'commune'"),
        ),
        search_index("organisation"),
        archived_index("organisation"),
    )

    # A stable external reference (e.g. "caf:31", "epci:243100518"), the key of idempotent imports.
    ref: str | None = Field(default=None, sa_type=String(120), unique=True)
    kind: str = Field(sa_type=String(30), index=True)
    name: str = Field(sa_type=Text)
    acronym: str | None = Field(default=None, sa_type=String(40))
    siren: str | None = Field(default=None, sa_type=String(9), unique=True)
    siret: str | None = Field(default=None, sa_type=String(14), unique=True)
    rna: str | None = Field(default=None, sa_type=String(10), unique=True)
    email: str | None = Field(default=None, sa_type=String(254))
    website: str | None = Field(default=None, sa_type=String(500))
    # Home territory: the department for every local organisation, plus the EPCI or commune
    # that an EPCI or commune organisation *is*.
    department_code: str | None = Field(
        default=None, sa_column=Column(String(3), ForeignKey("department.code"), index=True)
    )
    epci_siren: str | None = Field(default=None, sa_column=Column(String(9), ForeignKey("epci.siren"), index=True))
    commune_insee_code: str | None = Field(
        default=None, sa_column=Column(String(5), ForeignKey("commune.insee_code"), index=True)
    )
    search: str | None = Field(default=None, sa_column=search_column("name", "acronym"))
