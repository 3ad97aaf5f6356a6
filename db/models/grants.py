"""Grant tables: who relates how to each action, scheme, organisation and facility (see auth/rules.py).

Derived data, kept by the database's triggers from the rows they are about (db/policies/grants.py): the
service reads them, never writes them. Each row says that holders of `grantee` (a key such as `caf:31` or
`org:12`) stand in `relation` to the object; the index on (grantee, object) lets a scoped caller's rows be
found from its keys, the primary key lets one row be checked against them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel


class ActionGrant(SQLModel, table=True):
    __tablename__ = "action_grant"
    __table_args__ = (Index("ix_action_grant_grantee", "grantee", "action_id", "relation"),)

    action_id: int = Field(sa_column=Column(BigInteger, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True))
    grantee: str = Field(sa_column=Column(Text, primary_key=True))
    relation: str = Field(sa_column=Column(String(20), primary_key=True))


class SchemeGrant(SQLModel, table=True):
    __tablename__ = "scheme_grant"
    __table_args__ = (Index("ix_scheme_grant_grantee", "grantee", "scheme_id", "relation"),)

    scheme_id: int = Field(sa_column=Column(BigInteger, ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True))
    grantee: str = Field(sa_column=Column(Text, primary_key=True))
    relation: str = Field(sa_column=Column(String(20), primary_key=True))


class OrganisationGrant(SQLModel, table=True):
    __tablename__ = "organisation_grant"
    __table_args__ = (Index("ix_organisation_grant_grantee", "grantee", "organisation_id", "relation"),)

    organisation_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    )
    grantee: str = Field(sa_column=Column(Text, primary_key=True))
    relation: str = Field(sa_column=Column(String(20), primary_key=True))


class FacilityGrant(SQLModel, table=True):
    __tablename__ = "facility_grant"
    __table_args__ = (Index("ix_facility_grant_grantee", "grantee", "facility_id", "relation"),)

    facility_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("facility.id", ondelete="CASCADE"), primary_key=True)
    )
    grantee: str = Field(sa_column=Column(Text, primary_key=True))
    relation: str = Field(sa_column=Column(String(20), primary_key=True))
