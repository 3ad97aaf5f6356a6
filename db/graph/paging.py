"""Pages of rows: which slice a connection asks for, and what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Window:
    """`limit` rows from 0-based position `offset`; `from_end`: the last `limit` rows, none before `offset`."""

    offset: int = 0
    limit: int = DEFAULT_PAGE_SIZE
    from_end: bool = False


@dataclass(frozen=True)
class Page:
    """The rows of one page, the 0-based position of its first row, and how many rows match in all."""

    rows: Sequence[Any]
    offset: int
    total: int


@dataclass(frozen=True)
class Order:
    """Order by these fields of the node (its key is always added last, so the order is total)."""

    fields: tuple[str, ...]
    descending: bool = False
