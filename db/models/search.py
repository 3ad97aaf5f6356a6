"""French full-text search columns: accent-insensitive, computed by PostgreSQL.

The embedded PostgreSQL has no `unaccent` extension, so accents are folded by `fold_accents`, an
immutable SQL function (created by migration 0002) usable in generated columns and indexes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Computed, Index
from sqlalchemy.dialects.postgresql import TSVECTOR


def search_column(*columns: str) -> Any:
    """A stored tsvector over `columns`, in PostgreSQL's `french` configuration, accents folded."""
    document = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return Column(TSVECTOR, Computed(f"to_tsvector('french'::regconfig, fold_accents({document}))", persisted=True))


def search_index(table: str) -> Index:
    return Index(f"ix_{table}_search", "search", postgresql_using="gin")
