"""Statements by shape: one rendering per shape of read, its values bound afresh for each request.

Rendering a read through SQLAlchemy costs milliseconds; two reads that differ only by their values (another
CTG's ID, another department, another page) have the same statement with other parameters. A read splits
into its shape (everything but its values) and its values. The first read of a shape is rendered with a
sentinel in place of each value, and each statement parameter is traced back to the sentinel it carries:
the recipe then binds any read of that shape from its own values, without rendering.

A parameter that carries no sentinel is a constant of the statement; a shape whose sentinels do not all come
out unchanged (a value transformed in Python on its way into the SQL) is not cached by shape.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from db.compiled import plan as p
from db.compiled.render import Rendered, Statement, render_parameters
from db.graph import filters
from db.graph.paging import Window

# Fields holding values rather than shape; in filters, every field does.
_VALUE_FIELDS: dict[type, frozenset[str]] = {
    p.NodeByKey: frozenset({"key"}),
    p.CtgCoverage: frozenset({"department", "region", "on"}),
    p.Bound: frozenset({"json"}),
    p.Rows: frozenset({"deleted_since"}),
    Window: frozenset({"offset", "limit"}),
}
_FILTERS = (
    filters.ActionFilter,
    filters.SchemeFilter,
    filters.OrganisationFilter,
    filters.FacilityFilter,
    filters.HeldFilter,
    filters.PlaceFilter,
    filters.TerritoryFilter,
    filters.Period,
)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}

_SENTINEL_INT = 7_000_000_000_000
_SENTINEL_DAY = date(1, 1, 1)
_SENTINEL_INSTANT = datetime(1, 1, 1, tzinfo=UTC)


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def _is_value(value: Any) -> bool:
    """A leaf that varies between reads of one shape. None, empty strings and booleans are shape: the SQL
    depends on them (a filter given or not), as it does on the length of a list."""
    return not isinstance(value, bool) and isinstance(value, str | int | date | Decimal) and value != ""


class _Walk:
    """Both directions at once: split a read into (shape, values), or rebuild it with sentinels."""

    def __init__(self, sentinels: bool) -> None:
        self.sentinels = sentinels
        self.values: list[Any] = []

    def leaf(self, value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(self.leaf(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.node(value, all_values=True)
        if value is None or not _is_value(value):
            return value
        index = len(self.values)
        self.values.append(value)
        return _sentinel(value, index) if self.sentinels else type(value)

    def node(self, value: Any, all_values: bool = False) -> Any:
        cls = type(value)
        if isinstance(value, tuple):
            return tuple(self.node(item) for item in value)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        all_values = all_values or isinstance(value, _FILTERS)
        chosen = _VALUE_FIELDS.get(cls, frozenset())
        parts = {}
        for name in _names(cls):
            item = getattr(value, name)
            parts[name] = self.leaf(item) if all_values or name in chosen else self.node(item)
        if self.sentinels:
            return cls(**parts)
        return (cls, tuple(parts.values()))


def _sentinel(value: Any, index: int) -> Any:
    if isinstance(value, str):
        return f"\x00{index}\x00"
    if isinstance(value, int):
        return _SENTINEL_INT + index
    if isinstance(value, datetime):
        return _SENTINEL_INSTANT + timedelta(seconds=index)
    if isinstance(value, date):
        return _SENTINEL_DAY + timedelta(days=index)
    return Decimal(_SENTINEL_INT + index)


def split(read: p.Read) -> tuple[Any, list[Any]]:
    """The read's shape (hashable) and its values, in a fixed order."""
    walk = _Walk(sentinels=False)
    shape = walk.node(read)
    return shape, walk.values


@dataclass(frozen=True)
class Recipe:
    """How to bind a read of one shape: per parameter, the index of the read's value it carries (or a list of
    indexes, for an array), or the statement's own constant."""

    sql: str
    slots: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]

    def statement(self, values: list[Any]) -> Statement:
        parameters = []
        for kind, what, processor in self.slots:
            if kind == "value":
                value = values[what]
            elif kind == "array":
                value = [values[index] for index in what]
            else:
                value = what
            parameters.append(processor(value) if processor is not None and kind != "constant" else value)
        return Statement(self.sql, tuple(parameters))


def recipe(read: p.Read, render: Callable[[p.Read], Rendered] = render_parameters) -> Recipe | None:
    """The recipe of the read's shape, or None when its values cannot be traced through the statement."""
    walk = _Walk(sentinels=True)
    template = walk.node(read)
    index = {_sentinel(value, i): i for i, value in enumerate(walk.values)}
    rendered = render(template)
    found: set[int] = set()
    slots: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
    for raw, processor in rendered.parameters:
        if isinstance(raw, list) and raw and all(_hashable(item) and item in index for item in raw):
            positions = [index[item] for item in raw]
            found.update(positions)
            slots.append(("array", tuple(positions), processor))
        elif _hashable(raw) and raw in index:
            found.add(index[raw])
            slots.append(("value", index[raw], processor))
        elif _looks_like_sentinel(raw):
            return None  # a value transformed on its way: not traceable
        else:
            slots.append(("constant", processor(raw) if processor is not None else raw, None))
    if found != set(range(len(walk.values))):
        return None
    return Recipe(rendered.sql, tuple(slots))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _looks_like_sentinel(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_looks_like_sentinel(item) for item in value)
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, int) and not isinstance(value, bool):
        return value >= _SENTINEL_INT
    if isinstance(value, date):
        return value.year == 1
    return False
