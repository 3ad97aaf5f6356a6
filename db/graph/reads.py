"""Batched reads of the graph, driven by the mapping: by key, one page, or one page per parent.

Each function is one SQL statement whatever the number of keys, parents or rows, which is what keeps
a request's statement count independent of its page sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Select, and_, any_, bindparam, func, or_, select, true

from db.graph.mapping import ChildEdge, LinkEdge, NodeSpec
from db.graph.paging import Order, Page, Window
from db.graph.visibility import visible
from db.session import RequestDatabase


def _keys_match(column: ColumnElement[Any], keys: Sequence[Any]) -> ColumnElement[bool]:
    # One array parameter rather than IN (...): the statement text stays the same for any batch size.
    return column == any_(bindparam(None, list(keys), type_=ARRAY(column.type)))


def _order_by(spec: NodeSpec, order: Order | None, reverse: bool) -> list[ColumnElement[Any]]:
    names = [*(order.fields if order else spec.order)]
    if spec.key not in names:
        names.append(spec.key)
    descending = bool(order and order.descending) != reverse
    return [spec.column(name).desc() if descending else spec.column(name).asc() for name in names]


def _selected(spec: NodeSpec) -> list[ColumnElement[Any]]:
    return [column.label(name) for name, column in spec.columns.items()]


async def rows_by_keys(
    database: RequestDatabase, spec: NodeSpec, keys: Sequence[Any], *, archived_too: bool = False
) -> list[Any | None]:
    """Rows of `spec` aligned with `keys` (None where there is no such row, or an archived one unless
    `archived_too`)."""
    statement = (
        select(*_selected(spec))
        .select_from(spec.source)
        .where(_keys_match(spec.key_column, keys), *visible(spec, database.national, archived_too=archived_too))
    )
    found = {row._mapping[spec.key]: row for row in await database.rows(statement)}
    return [found.get(key) for key in keys]


def _windowed(
    spec: NodeSpec,
    partition: ColumnElement[Any],
    extra: Sequence[ColumnElement[Any]],
    source: Any,
    conditions: Sequence[ColumnElement[bool]],
    order: Order | None,
    window: Window,
) -> Select[Any]:
    # The last rows are the first ones in reverse order; _pages puts them back in order.
    ordering = _order_by(spec, order, reverse=window.from_end)
    position = func.row_number().over(partition_by=partition, order_by=ordering)
    total = func.count().over(partition_by=partition)
    inner = (
        select(*_selected(spec), *extra, partition.label("_parent"), position.label("_n"), total.label("_total"))
        .select_from(source)
        .where(*conditions)
        .subquery()
    )
    in_window = and_(inner.c["_n"] > window.offset, inner.c["_n"] <= window.offset + window.limit)
    if window.from_end:
        in_window = inner.c["_n"] <= window.limit
    # Row 1 of every partition is always kept, so that a page past the end still reports its total.
    keep = or_(in_window, inner.c["_n"] == 1)
    return select(inner).where(keep).order_by(inner.c["_parent"], inner.c["_n"])


def _pages(rows: Sequence[Any], window: Window) -> dict[Any, Page]:
    """Each parent's page, from windowed rows (row 1 of each parent kept only for its total)."""
    grouped: dict[Any, list[Any]] = {}
    totals: dict[Any, int] = {}
    for row in rows:
        key = row._mapping["_parent"]
        totals[key] = row._mapping["_total"]
        grouped.setdefault(key, [])
        n = row._mapping["_n"]
        if window.from_end:
            if n <= window.limit:
                grouped[key].append(row)
        elif window.offset < n <= window.offset + window.limit:
            grouped[key].append(row)
    pages = {}
    for key, kept in grouped.items():
        if window.from_end:
            pages[key] = _last_rows(kept, totals[key], window)
        else:
            pages[key] = Page(kept, window.offset, totals[key])
    return pages


async def page(
    database: RequestDatabase,
    spec: NodeSpec,
    conditions: Sequence[ColumnElement[bool]],
    order: Order | None,
    window: Window,
) -> Page:
    """One page of `spec`'s rows and the total count, in one statement.

    The count and the page are separate sub-queries joined laterally, so PostgreSQL can count from an
    index and fetch the page with a top-N sort rather than numbering every matching row.
    """
    conditions = [*conditions, *visible(spec, database.national)]
    total = select(func.count().label("_total")).select_from(spec.source).where(*conditions).subquery("total")
    rows = (
        select(*_selected(spec))
        .select_from(spec.source)
        .where(*conditions)
        .order_by(*_order_by(spec, order, reverse=window.from_end))
        .limit(window.limit)
        .offset(0 if window.from_end else window.offset)
        .lateral("page")
    )
    statement = select(total.c._total, rows).select_from(total.outerjoin(rows, true()))
    result = await database.rows(statement)
    count = result[0]._mapping["_total"]
    found = [row for row in result if row._mapping[spec.key] is not None]
    if window.from_end:
        return _last_rows(found, count, window)
    return Page(found, window.offset, count)


def _last_rows(reversed_rows: list[Any], total: int, window: Window) -> Page:
    """The last rows in order, without those before `window.offset` (`last` with `after`)."""
    rows = list(reversed(reversed_rows))
    first_position = total - len(rows)
    skipped = max(0, window.offset - first_position)
    return Page(rows[skipped:], first_position + skipped, total)


async def child_pages(
    database: RequestDatabase,
    edge: ChildEdge,
    parents: Sequence[Any],
    conditions: Sequence[ColumnElement[bool]],
    order: Order | None,
    window: Window,
) -> list[Page]:
    """One page of `edge`'s target rows for each parent key, aligned with `parents`."""
    spec = edge.target
    foreign_key = spec.column(edge.foreign_key)
    statement = _windowed(
        spec,
        foreign_key,
        (),
        spec.source,
        [
            _keys_match(foreign_key, parents),
            *([] if edge.condition is None else [edge.condition]),
            *conditions,
            *visible(spec, database.national),
        ],
        order,
        window,
    )
    pages = _pages(await database.rows(statement), window)
    empty = Page([], 0, 0)
    return [pages.get(parent, empty) for parent in parents]


async def link_pages(
    database: RequestDatabase,
    edge: LinkEdge,
    parents: Sequence[Any],
    conditions: Sequence[ColumnElement[bool]],
    order: Order | None,
    window: Window,
) -> list[Page]:
    """Like `child_pages`, through a link table; the link's own columns come as `edge_<name>`."""
    spec = edge.target
    link_parent = edge.link.c[edge.link_parent]
    source = spec.source.join(edge.link, edge.link.c[edge.link_target] == spec.key_column)
    extra = [edge.link.c[name].label(f"edge_{name}") for name in edge.link_columns]
    statement = _windowed(
        spec,
        link_parent,
        extra,
        source,
        [_keys_match(link_parent, parents), *conditions, *visible(spec, database.national)],
        order,
        window,
    )
    pages = _pages(await database.rows(statement), window)
    empty = Page([], 0, 0)
    return [pages.get(parent, empty) for parent in parents]


async def rows_by_unique(
    database: RequestDatabase,
    spec: NodeSpec,
    column: str,
    values: Sequence[Any],
    conditions: Sequence[ColumnElement[bool]],
) -> list[Any | None]:
    """Rows of `spec` whose `column` holds each of `values`, aligned with them."""
    statement = (
        select(*_selected(spec))
        .select_from(spec.source)
        .where(_keys_match(spec.column(column), values), *conditions, *visible(spec, database.national))
    )
    found = {row._mapping[column]: row for row in await database.rows(statement)}
    return [found.get(value) for value in values]
