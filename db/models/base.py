"""What every Maillage table shares: constraint naming, bookkeeping columns and enum checks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Identity, Index, Integer, func, text
from sqlmodel import Field, SQLModel

# Stable constraint names, so that migrations and `alembic check` agree with the database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Tracked(SQLModel):
    """Creation and update timestamps plus a version, on every row.

    A database trigger (see the initial migration) bumps `version` and `updated_at` whenever an
    UPDATE really changes a row, so an idempotent re-import leaves unchanged rows untouched and
    optimistic concurrency can rely on `version`.
    """

    created_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
    version: int | None = Field(
        default=None,
        sa_type=Integer,
        sa_column_kwargs={"server_default": "1", "nullable": False},
    )


class Entity(Tracked):
    """A row with a surrogate identity key."""

    id: int | None = Field(
        default=None,
        primary_key=True,
        sa_type=BigInteger,
        sa_column_args=[Identity(always=False)],
    )


class Archivable(SQLModel):
    """A row that is archived rather than deleted: hidden from reads, kept for the audit trail and the
    `deletedSince` feed, never changed again."""

    archived_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


def archived_index(table: str) -> Index:
    """Archived rows are few: a partial index finds them for the `deletedSince` feed."""
    return Index(f"ix_{table}_archived_at", "archived_at", postgresql_where=text("archived_at IS NOT NULL"))


def one_of(column: str, values: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK constraint restricting a text column to an enum's values."""
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_valid")


def all_of(column: str, values: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK constraint restricting a text[] column to a subset of an enum's values."""
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} <@ ARRAY[{allowed}]::text[]", name=name or f"{column}_valid")


def period_check(start: str = "period_start", end: str = "period_end") -> CheckConstraint:
    """Periods end on or after the day they start; an open end is allowed."""
    return CheckConstraint(f"{end} IS NULL OR {end} >= {start}", name="period_ordered")
