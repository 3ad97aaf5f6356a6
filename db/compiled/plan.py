"""What a compiled read asks for: a tree of JSON values over the graph mapping, with every argument bound.

The tree is made of frozen dataclasses holding plain values (node type names, windows, filters, the
caller's budget rights), so that it is hashable: equal trees render the same SQL with the same
parameters, and the rendered statement can be cached under the tree itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from db.graph.filters import ActionFilter, Listing
from db.graph.paging import Window


class Codec(StrEnum):
    """How a column's value becomes the JSON a GraphQL client receives (as Strawberry serializes it)."""

    PLAIN = "plain"  # strings, integers, booleans, lists of strings
    DATE = "date"  # ISO 8601 date
    DATETIME = "datetime"  # ISO 8601, as Python's isoformat() writes an aware UTC datetime
    DECIMAL = "decimal"  # a string, as str(Decimal) writes it
    ENUM = "enum"  # the GraphQL name: the stored value in upper case
    ENUM_LIST = "enum_list"  # a list of those


@dataclass(frozen=True)
class Scalar:
    """A column of the row."""

    column: str
    codec: Codec = Codec.PLAIN


@dataclass(frozen=True)
class Constant:
    """The same value for every row (`__typename`)."""

    value: str


@dataclass(frozen=True)
class GlobalId:
    """The row's Relay ID: its type name and key."""

    type_name: str


@dataclass(frozen=True)
class RowGlobalId:
    """A Relay ID from the row's own columns: its type name and key (a deletion names the node it was)."""

    type_column: str
    key_column: str


@dataclass(frozen=True)
class Guarded:
    """A column shown only where the row's `guard` column says the caller may see it (an action's budget where
    `money_shown`, a facility's address where `details_shown`: db/graph/mapping.py), null elsewhere."""

    column: str
    guard: str
    codec: Codec


@dataclass(frozen=True)
class Composite:
    """An object built from the same row (a CTG's diagnostic, its coordinator)."""

    object: JsonObject


@dataclass(frozen=True)
class Reference:
    """The node a column of the row points to (a foreign key, or a column unique among `kind` rows)."""

    column: str
    type_name: str
    object: JsonObject
    required: bool  # the GraphQL field is non-null: a missing row is not a null but an error
    target_column: str | None = None  # None: the target's key
    target_kind: str | None = None  # the target's `kind` must be this (a department's Caf)
    when: tuple[str, str] | None = None  # (column, value): only for rows where the column holds the value
    archived_too: bool = False  # an archived target is still named
    guard: str | None = None  # shown only where the row's column of that name holds true


@dataclass(frozen=True)
class Rows:
    """Where a connection's rows come from: the edge `edge` (by name in the mapping) from the row, a top-level
    listing, or the feed of what was deleted since a time (`deletedSince`)."""

    listing: Listing | None = None
    edge: str | None = None
    deleted_since: datetime | None = None


@dataclass(frozen=True)
class TotalCount:
    pass


@dataclass(frozen=True)
class PageInfoObject:
    fields: tuple[tuple[str, str | Constant], ...]  # response key → hasNextPage / hasPreviousPage / ...


@dataclass(frozen=True)
class EdgeObject:
    """One edge: `cursor`, `node`, or a column of the link (an action partner's `role`, a facility's `link`)."""

    fields: tuple[tuple[str, EdgePart], ...]


@dataclass(frozen=True)
class Cursor:
    pass


@dataclass(frozen=True)
class EdgeNode:
    object: JsonObject


@dataclass(frozen=True)
class LinkColumn:
    column: str
    codec: Codec = Codec.PLAIN


EdgePart = Cursor | EdgeNode | LinkColumn | Constant


@dataclass(frozen=True)
class Edges:
    object: EdgeObject


@dataclass(frozen=True)
class Nodes:
    object: JsonObject


ConnectionPart = TotalCount | PageInfoObject | Edges | Nodes | Constant


@dataclass(frozen=True)
class Connection:
    """A page of rows, as a Relay connection."""

    rows: Rows
    window: Window
    fields: tuple[tuple[str, ConnectionPart], ...]


Value = Scalar | Constant | GlobalId | RowGlobalId | Guarded | Composite | Reference | Connection


@dataclass(frozen=True)
class JsonObject:
    """A JSON object built from one row of `type_name` (or of the row it is part of)."""

    type_name: str
    fields: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class NodeByKey:
    """A top-level node by its key, or by a column unique among visible rows; null when not found."""

    type_name: str
    key: Any
    object: JsonObject
    column: str | None = None  # None: the key


@dataclass(frozen=True)
class NodeList:
    """`nodes(ids:)`: the nodes in the order asked for, null where one is missing."""

    items: tuple[NodeByKey | None, ...]


@dataclass(frozen=True)
class ActionStatistics:
    """`actionStatistics`: one object per group, fields by the statistic row's names (`action_count`...)."""

    filter: ActionFilter
    group_by: tuple[str, ...]
    fields: tuple[tuple[str, str | Constant], ...]


@dataclass(frozen=True)
class CtgCoverage:
    """`ctgCoverage`: the coverage object of a department or a region on a day, or null."""

    department: str | None
    region: str | None
    on: date
    fields: tuple[tuple[str, str | Constant], ...]


@dataclass(frozen=True)
class Bound:
    """A value known before the statement runs (who the caller is), as JSON text bound to the statement."""

    json: str


@dataclass(frozen=True)
class ViewerObject:
    """`viewer`: the caller's own fields, bound, and its habilitations, read."""

    fields: tuple[tuple[str, Bound | Constant | Connection], ...]


RootValue = NodeByKey | NodeList | Connection | Constant | ActionStatistics | CtgCoverage | ViewerObject


@dataclass(frozen=True)
class Read:
    """A whole query: its top-level fields, and whether the caller reads nationally (no row filter)."""

    fields: tuple[tuple[str, RootValue], ...]
    national: bool
