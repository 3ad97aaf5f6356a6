"""Trusted documents: the GraphQL operations the extranet's frontend registered, by SHA-256 hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, Text, func
from sqlmodel import Field, SQLModel


class TrustedDocument(SQLModel, table=True):
    """One registered operation. Written by the operator's CLI (as the owner), read by the service."""

    __tablename__ = "trusted_document"
    __table_args__ = (CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_format"),)

    # Lower-case hex SHA-256 of the document's exact text, as the client sends it.
    sha256: str = Field(primary_key=True, sa_type=String(64))
    body: str = Field(sa_type=Text)
    # Where it came from (the manifest's name or the client's), for the operator.
    client_name: str | None = Field(default=None, sa_type=String(200))
    registered_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
