"""Idempotency keys: a creating mutation retried with the same key returns what the first one created."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, String, Text, func
from sqlmodel import Field, SQLModel


class IdempotencyKey(SQLModel, table=True):
    """A key, owned by the identity that sent it, and the entity its first request created."""

    __tablename__ = "idempotency_key"
    __table_args__ = (CheckConstraint("length(key) BETWEEN 1 AND 200", name="key_length"),)

    issuer: str = Field(primary_key=True, sa_type=Text)
    subject: str = Field(primary_key=True, sa_type=String(255))
    key: str = Field(primary_key=True, sa_type=String(200))
    # The mutation and a hash of its input: the same key with another input is the client's mistake.
    operation: str = Field(sa_type=String(60))
    fingerprint: str = Field(sa_type=String(64))
    entity: str = Field(sa_type=String(40))
    # Null while the first request is under way (its claim is not committed yet, so nobody else sees it).
    entity_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
