"""Turning rows into node objects, and loading nodes, edges and connections through the loaders."""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Sequence
from typing import Annotated, Any, Protocol, TypeVar

import strawberry
from sqlalchemy import ColumnElement

from db.graph import reads
from db.graph.mapping import ChildEdge, LinkEdge, NodeSpec
from db.graph.paging import Order
from schema.context import Info
from schema.loaders import Conditions, _no_conditions
from schema.relay import After, Before, Connection, First, Last, PageArguments, connection


class NodeType(Protocol):
    spec: Any


N = TypeVar("N")


_ROW_FIELDS: dict[type[Any], tuple[str, tuple[str, ...]]] = {}

# The metadata key under which a connection field built by `edge_field` names its edge.
EDGE = "maillage.edge"


def _row_fields(cls: type[Any]) -> tuple[str, tuple[str, ...]]:
    """The key column and the type's fields read from a row: worked out once per type, not per row."""
    found = _ROW_FIELDS.get(cls)
    if found is None:
        spec: NodeSpec = cls.spec
        fields = tuple(name for name in cls.__dataclass_fields__ if name in spec.columns and name != "id")
        found = _ROW_FIELDS[cls] = (spec.key, fields)
    return found


def from_row(cls: type[N], row: Any) -> N:
    """An instance of the strawberry type `cls` from a row of its node spec (the key goes to `key`)."""
    mapping = row._mapping
    key, fields = _row_fields(cls)
    return cls(key=mapping[key], **{name: mapping[name] for name in fields})  # type: ignore[call-arg]


async def load_node(info: Info, cls: type[N], key: Any, *, archived_too: bool = False) -> N | None:
    if key is None:
        return None
    row = await info.context.graph.node(cls.spec, archived_too=archived_too).load(key)  # type: ignore[attr-defined]
    return from_row(cls, row) if row is not None else None


async def load_edge(
    info: Info,
    edge: ChildEdge | LinkEdge,
    parent: Any,
    cls: type[N],
    arguments: PageArguments,
    *,
    order: Order | None = None,
    filter_key: Hashable = None,
    conditions: Conditions = _no_conditions,
) -> Connection[N]:
    window = arguments.window()
    page = await info.context.graph.pages(edge, window, order, filter_key, conditions).load(parent)
    return connection(page, [from_row(cls, row) for row in page.rows])


async def load_connection(
    info: Info,
    cls: type[N],
    arguments: PageArguments,
    conditions: Sequence[ColumnElement[bool]],
    order: Order | None = None,
) -> Connection[N]:
    window = arguments.window()
    spec: NodeSpec = cls.spec  # type: ignore[attr-defined]
    page = await reads.page(info.context.database, spec, conditions, order, window)
    return connection(page, [from_row(cls, row) for row in page.rows])


# The module defining each node type, for lazy references (types refer to each other across domains).
_TYPE_MODULES = {
    "Region": "schema.territories.types",
    "Department": "schema.territories.types",
    "Epci": "schema.territories.types",
    "Commune": "schema.territories.types",
    "Organisation": "schema.organisations.types",
    "Scheme": "schema.schemes.types",
    "SchemeObjective": "schema.schemes.types",
    "Signature": "schema.schemes.types",
    "Ctg": "schema.ctgs.types",
    "GovernanceBody": "schema.ctgs.types",
    "Action": "schema.actions.types",
    "Indicator": "schema.actions.types",
    "IndicatorValue": "schema.actions.types",
    "Change": "schema.history.types",
    "Habilitation": "schema.habilitations.types",
    "Facility": "schema.facilities.types",
    "FundingLine": "schema.facilities.types",
    "ReportingCampaign": "schema.campaigns.types",
    "CampaignReminder": "schema.campaigns.types",
    "GovernanceMeeting": "schema.meetings.types",
    "MeetingDecision": "schema.meetings.types",
}


def edge_field(edge: ChildEdge | LinkEdge, description: str) -> Any:
    """A connection field following `edge` from the parent node to its target nodes, paginated."""
    module = _TYPE_MODULES[edge.target.type_name]
    target: Any = Annotated[edge.target.type_name, strawberry.lazy(module)]

    async def resolve(
        self: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        cls = getattr(importlib.import_module(module), edge.target.type_name)
        return await load_edge(info, edge, self.key, cls, PageArguments(first, after, last, before))

    resolve.__annotations__ = {
        "info": Info,
        "first": First,
        "after": After,
        "last": Last,
        "before": Before,
        "return": Connection[target],
    }
    # The edge travels with the field, for the reads that compile a whole query to SQL (schema/compiled/).
    return strawberry.field(resolver=resolve, description=description, metadata={EDGE: edge})
