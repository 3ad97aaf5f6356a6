"""How many times what decides a caller's memberships has changed: one row, bumped by the database's own
triggers (migration 0020) in the transaction of every change to habilitations, organisations and communes.

A compiled read reads it in the same statement as its data: equal to the generation the caller's memberships
were read at, the scope the read ran in is still the caller's, without reading them again.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Column
from sqlmodel import Field, SQLModel


class AccessGeneration(SQLModel, table=True):
    __tablename__ = "access_generation"
    __table_args__ = (CheckConstraint("singleton", name="ck_access_generation_singleton"),)

    singleton: bool = Field(default=True, sa_column=Column(Boolean, primary_key=True))
    generation: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
