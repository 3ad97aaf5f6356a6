"""Bookkeeping of reference-data imports, so that an unchanged dataset is not imported twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, func
from sqlmodel import Field, SQLModel


class DatasetImport(SQLModel, table=True):
    __tablename__ = "dataset_import"

    name: str = Field(primary_key=True, sa_type=String(60))
    checksum: str = Field(sa_type=String(64))
    rows: int = Field(sa_type=Integer)
    imported_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )
