"""Relay building blocks: the Node interface, opaque global IDs and cursor connections."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import strawberry

from db.graph.mapping import NodeSpec
from db.graph.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, Window
from schema.errors import InputError

T = TypeVar("T")

_DIGITS = re.compile(r"[0-9]+")
# No connection holds a billion rows: a longer position is not one of our cursors.
_MAX_CURSOR_DIGITS = 9


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(value: str) -> str:
    padded = value + "=" * (-len(value) % 4)
    return base64.urlsafe_b64decode(padded.encode()).decode()


def global_id(type_name: str, key: Any) -> strawberry.ID:
    return strawberry.ID(_encode(f"{type_name}:{key}"))


def parse_global_id(value: str, argument: str) -> tuple[str, str]:
    """(type name, key) of a global ID, or an InputError naming `argument`."""
    try:
        type_name, key = _decode(value).split(":", 1)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InputError(argument, "argument.not_id", value=value) from error
    return type_name, key


def key_of(value: str, spec: NodeSpec, argument: str) -> Any:
    """The row key behind a global ID that must be of `spec`'s type."""
    type_name, key = parse_global_id(value, argument)
    if type_name != spec.type_name:
        raise InputError(argument, "argument.id_type", type=spec.type_name, given=type_name)
    if spec.key == "id":
        # Row ids are PostgreSQL bigints: at most 18 ASCII digits is always in range.
        if not _DIGITS.fullmatch(key) or len(key) > 18:
            raise InputError(argument, "argument.not_id", value=value)
        return int(key)
    return key


@strawberry.interface(description="An object with a global ID, which `node(id:)` fetches back.")
class Node:
    spec: ClassVar[NodeSpec]

    @strawberry.field(description="Opaque global identifier; stable, to be stored and passed back as is.")
    def id(self) -> strawberry.ID:
        return global_id(self.spec.type_name, self.key)  # type: ignore[attr-defined]


@strawberry.type(description="Where a page stands in its connection (Relay PageInfo).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More rows follow this page.")
    has_previous_page: bool = strawberry.field(description="Rows come before this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge; null when empty.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge; null when empty.")


@strawberry.type(description="One node of a connection, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position, for `after` / `before`.")
    node: T = strawberry.field(description="The node.")


@strawberry.type(description="A page of a list (Relay connection), with the total count of matching rows.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's nodes with their cursors.")
    page_info: PageInfo = strawberry.field(description="Whether pages come before or after this one.")
    total_count: int = strawberry.field(description="How many rows match in all, across every page.")

    @strawberry.field(description="The page's nodes, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def cursor(position: int) -> str:
    return _encode(f"cursor:{position}")


def _position(value: str, argument: str) -> int:
    try:
        prefix, number = _decode(value).split(":", 1)
        if prefix != "cursor" or not _DIGITS.fullmatch(number) or len(number) > _MAX_CURSOR_DIGITS:
            raise ValueError(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InputError(argument, "argument.cursor", value=value) from error
    return int(number)


# The pagination arguments of every connection, with the page-size cap stated in the schema.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size: the first N rows (after `after`); at most {MAX_PAGE_SIZE}, {DEFAULT_PAGE_SIZE} "
        "when neither first nor last is given."
    ),
]
After = Annotated[str | None, strawberry.argument(description="Cursor: start after this edge.")]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size from the end: the last N rows (before `before`); at most {MAX_PAGE_SIZE}."
    ),
]
Before = Annotated[str | None, strawberry.argument(description="Cursor: stop before this edge.")]


@dataclass(frozen=True)
class PageArguments:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def window(self) -> Window:
        """The rows asked for; page sizes over the cap, negative sizes and bad cursors are InputErrors."""
        for name, size in (("first", self.first), ("last", self.last)):
            if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
                raise InputError(name, "argument.range", minimum=0, maximum=MAX_PAGE_SIZE, value=size)
        if self.first is not None and self.last is not None:
            raise InputError("last", "argument.first_and_last")
        start = _position(self.after, "after") + 1 if self.after else 0
        stop = _position(self.before, "before") if self.before else None
        if self.last is not None:
            if stop is None:
                # The last rows, but none before `after`: reads drop those below `start`.
                return Window(start, self.last, from_end=True)
            begin = max(start, stop - self.last)
            return Window(begin, max(0, stop - begin))
        size = self.first if self.first is not None else DEFAULT_PAGE_SIZE
        if stop is not None:
            size = max(0, min(size, stop - start))
        return Window(start, size)


def page_info(page: Page, cursors: list[str]) -> PageInfo:
    return PageInfo(
        has_next_page=page.offset + len(cursors) < page.total,
        has_previous_page=page.offset > 0,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def connection(page: Page, nodes: list[T]) -> Connection[T]:
    """A connection over one page of rows already turned into `nodes`."""
    edges = [Edge(cursor=cursor(page.offset + i), node=node) for i, node in enumerate(nodes)]
    return Connection(edges=edges, page_info=page_info(page, [edge.cursor for edge in edges]), total_count=page.total)
