"""The audit trail: who changed what, when, from what to what. Append-only for the service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class AuditEvent(SQLModel, table=True):
    """One change, written in the transaction that makes it. Rows are never updated: no version."""

    __tablename__ = "audit_event"
    __table_args__ = (
        CheckConstraint("operation IN ('create', 'update', 'archive')", name="operation_valid"),
        Index("ix_audit_event_entity", "entity", "entity_id", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True, autoincrement=True))
    occurred_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
    issuer: str | None = Field(default=None, sa_type=Text)
    subject: str | None = Field(default=None, sa_type=String(255))
    organisation_id: int | None = Field(default=None, sa_type=BigInteger)
    entity: str = Field(sa_type=String(40))
    entity_id: int = Field(sa_type=BigInteger)
    operation: str = Field(sa_type=String(10))
    # {field: [before, after]} for the fields the change touched.
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    # Why, when the caller said (validating or rejecting an action...).
    reason: str | None = Field(default=None, sa_type=Text)
