"""Trusted documents: the operations registered by SHA-256, written by the owner, read by the service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models.documents import TrustedDocument
from db.session import RequestDatabase

_BODY = text("SELECT body FROM trusted_document WHERE sha256 = :sha256")


async def registered_body(database: RequestDatabase, sha256: str) -> str | None:
    """The text registered under `sha256` (lower-case hex), or None."""
    rows = await database.rows(_BODY, {"sha256": sha256})
    return str(rows[0][0]) if rows else None


@dataclass(frozen=True)
class Registration:
    registered: int  # new in the table
    already: int  # there before, unchanged (a hash names one text forever)


async def register_documents(
    engine: AsyncEngine, documents: Mapping[str, str], client_name: str | None
) -> Registration:
    """Register `documents` (sha256 → body, hashes already verified) in one transaction, as the table's owner."""
    if not documents:
        return Registration(0, 0)
    table = TrustedDocument.__table__  # type: ignore[attr-defined]
    rows = [{"sha256": sha256, "body": body, "client_name": client_name} for sha256, body in documents.items()]
    async with engine.begin() as connection:
        existing = set(
            (await connection.execute(select(table.c.sha256).where(table.c.sha256.in_(list(documents))))).scalars()
        )
        await connection.execute(insert(table).on_conflict_do_nothing(index_elements=["sha256"]), rows)
    return Registration(len(documents) - len(existing), len(existing))
