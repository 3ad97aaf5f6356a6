"""A compiled read as one SQL statement whose only value is the response's `data`, as JSON built by PostgreSQL.

Every object is a `json_build_object` over one row; every connection a scalar sub-query aggregating its
page with `json_agg`, its total and its page info computed beside it. Rows are scoped exactly as the
resolvers' reads scope them (`db.graph.visibility`, filters from `db.graph.filters`) and row-level
security applies on top, as for every statement the service runs. JSON is `json`, not `jsonb`: it keeps
the order of the fields, which is the order of the selection.

Values are bind parameters, so the statement's text depends only on the query's shape and PostgreSQL
prepares it once per connection.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    FromClause,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    not_,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.util import ClauseAdapter

from db.compiled import plan as p
from db.graph import mapping as m
from db.graph.deletions import deletion_feed
from db.graph.mapping import ChildEdge, LinkEdge, NodeSpec
from db.graph.paging import Order, Window
from db.graph.statistics import ActionDimension, action_statistics_statement, ctg_coverage_statement
from db.graph.visibility import visible

# Every edge of the mapping, by the name its module gives it (`CTG_ACTIONS`...).
EDGES: dict[str, ChildEdge | LinkEdge] = {
    name: value for name, value in vars(m).items() if isinstance(value, ChildEdge | LinkEdge)
}
EDGE_NAMES: dict[int, str] = {id(edge): name for name, edge in EDGES.items()}

# json_build_object takes at most 100 arguments: 50 fields.
MAX_FIELDS = 50

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_EMPTY_LIST: ColumnElement[Any] = literal_column("'[]'::json")
_DIALECT = postgresql.asyncpg.dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Statement:
    """SQL text with positional parameters ($1, $2...), ready for asyncpg."""

    sql: str
    parameters: tuple[Any, ...]


def _word(text: str) -> ColumnElement[str]:
    """A GraphQL name (field key, type name) as an SQL string literal: names are [_A-Za-z][_0-9A-Za-z]*."""
    if not _NAME.fullmatch(text):
        raise ValueError(f"not a GraphQL name: {text!r}")
    return literal_column(f"'{text}'", Text)


def _bind(value: Any, type_: Any) -> ColumnElement[Any]:
    return bindparam(None, value, type_=type_)


Row = Mapping[str, ColumnElement[Any]]


class _Renderer:
    def __init__(self, national: bool) -> None:
        self.national = national

    # Objects and values.

    def object(self, obj: p.JsonObject, row: Row, spec: NodeSpec | None) -> ColumnElement[Any]:
        if len(obj.fields) > MAX_FIELDS:
            raise ValueError(f"more than {MAX_FIELDS} fields in one object")
        arguments: list[ColumnElement[Any]] = []
        for key, value in obj.fields:
            arguments += [_word(key), self.value(value, row, spec)]
        return func.json_build_object(*arguments)

    def value(self, value: p.Value, row: Row, spec: NodeSpec | None) -> ColumnElement[Any]:
        if isinstance(value, p.Scalar):
            return _encoded(row[value.column], value.codec)
        if isinstance(value, p.Constant):
            return _word(value.value)
        if isinstance(value, p.GlobalId):
            assert spec is not None, "an ID belongs to a node"
            return func.maillage_global_id(_word(value.type_name), cast(row[spec.key], Text))
        if isinstance(value, p.RowGlobalId):
            return func.maillage_global_id(row[value.type_column], cast(row[value.key_column], Text))
        if isinstance(value, p.Guarded):
            return case((row[value.guard], _encoded(row[value.column], value.codec)), else_=null())
        if isinstance(value, p.Composite):
            return self.object(value.object, row, spec)
        if isinstance(value, p.Reference):
            return self.reference(value, row)
        return self.connection(value, row)

    def reference(self, reference: p.Reference, row: Row) -> ColumnElement[Any]:
        target = m.NODES[reference.type_name].aliased()
        conditions = [target.column(reference.target_column or target.key) == row[reference.column]]
        if reference.target_kind is not None:
            conditions.append(target.column("kind") == reference.target_kind)
        found = (
            select(self.object(reference.object, target.columns, target))
            .select_from(target.source)
            .where(*conditions, *visible(target, self.national, archived_too=reference.archived_too))
            .scalar_subquery()
        )
        result: ColumnElement[Any] = found
        if reference.required:
            # A non-null field whose row is not there: the resolvers report an error there, so this
            # statement fails and the resolvers answer instead.
            result = func.coalesce(found, func.maillage_absent(_word(reference.type_name)))
        if reference.when is not None:
            column, expected = reference.when
            result = case((row[column] == _word(expected), result), else_=null())
        if reference.guard is not None:
            result = case((row[reference.guard], result), else_=null())
        return result

    # Connections.

    def connection(self, connection: p.Connection, parent: Row | None) -> ColumnElement[Any]:
        rows = self.rows(connection.rows, parent)
        return _Page(self, rows, connection).json()

    def rows(self, rows: p.Rows, parent: Row | None) -> _Source:
        if rows.deleted_since is not None:
            spec, conditions = deletion_feed(self.national, _bind(rows.deleted_since, DateTime(timezone=True)))
            return _Source(spec, spec.source, conditions, None, {}, ())
        if rows.listing is not None:
            spec = m.NODES[rows.listing.type_name]
            conditions = [*rows.listing.conditions(), *visible(spec, self.national)]
            return _Source(spec, spec.source, conditions, rows.listing.order, {}, ())
        assert rows.edge is not None, "rows come from a listing or an edge"
        assert parent is not None, "an edge starts from a row"
        edge = EDGES[rows.edge]
        spec = edge.target.aliased()
        # The page is a derived table nested in the parent's statement: it must say which of its outer
        # rows it reads, or SQLAlchemy would add them to its own FROM.
        outer = parent[edge.parent_column].table
        if isinstance(edge, ChildEdge):
            conditions = [spec.column(edge.foreign_key) == parent[edge.parent_column]]
            if edge.condition is not None:
                conditions.append(_adapted(edge.condition, edge.target, spec))
            return _Source(spec, spec.source, [*conditions, *visible(spec, self.national)], None, {}, (outer,))
        link = edge.link.alias()
        source = spec.source.join(link, link.c[edge.link_target] == spec.key_column)
        extra = {f"edge_{name}": link.c[name] for name in edge.link_columns}
        conditions = [link.c[edge.link_parent] == parent[edge.parent_column], *visible(spec, self.national)]
        return _Source(spec, source, conditions, None, extra, (outer,))


@dataclass(frozen=True)
class _Source:
    spec: NodeSpec
    source: FromClause
    conditions: Sequence[ColumnElement[bool]]
    order: Order | None
    extra: Mapping[str, ColumnElement[Any]]  # link columns shown on edges
    outer: tuple[FromClause, ...]  # the parent rows it reads


class _Page:
    """One connection: its page of rows numbered by position, its total, and the JSON of its fields."""

    def __init__(self, renderer: _Renderer, source: _Source, connection: p.Connection) -> None:
        self.renderer = renderer
        self.source = source
        self.connection = connection
        self.window: Window = connection.window
        self.offset = _bind(self.window.offset, Integer)
        self.limit = _bind(self.window.limit, Integer)
        self.counted = self.window.from_end or any(
            isinstance(part, p.TotalCount)
            or (isinstance(part, p.PageInfoObject) and any(name == "hasNextPage" for _, name in part.fields))
            for _, part in connection.fields
        )

    def json(self) -> ColumnElement[Any]:
        spec, source = self.source.spec, self.source
        names = [*(source.order.fields if source.order else spec.order)]
        if spec.key not in names:
            names.append(spec.key)
        descending = bool(source.order and source.order.descending) != self.window.from_end
        columns = {**spec.columns, **source.extra}
        inner = (
            select(*[column.label(name) for name, column in columns.items()])
            .select_from(source.source)
            .where(*source.conditions)
            .order_by(*[spec.column(name).desc() if descending else spec.column(name).asc() for name in names])
            .limit(self.limit)
            .correlate(*source.outer)
        )
        if not self.window.from_end:
            inner = inner.offset(self.offset)
        page = inner.subquery()
        ordering = [page.c[name].desc() if descending else page.c[name].asc() for name in names]
        number = func.row_number().over(order_by=ordering)
        count: Any = None
        if self.counted:
            count = (
                select(func.count().label("n"))
                .select_from(source.source)
                .where(*source.conditions)
                .correlate(*source.outer)
                .subquery()
            )
        position = count.c.n - number if self.window.from_end else self.offset + number - 1
        numbered = select(*page.c, position.label("_position")).select_from(page)
        statement: Select[Any]
        if self.counted:
            lateral = numbered.lateral()
            statement = (
                select(self.fields(lateral, count)).select_from(count.outerjoin(lateral, true())).group_by(count.c.n)
            )
        else:
            rows = numbered.subquery()
            statement = select(self.fields(rows, None)).select_from(rows)
        return statement.scalar_subquery()

    def kept(self, rows: Any) -> ColumnElement[bool]:
        position: ColumnElement[int] = rows.c["_position"]
        return position >= self.offset if self.window.from_end else position.is_not(None)

    def fields(self, rows: Any, count: Any) -> ColumnElement[Any]:
        arguments: list[ColumnElement[Any]] = []
        for key, part in self.connection.fields:
            arguments += [_word(key), self.part(part, rows, count)]
        return func.json_build_object(*arguments)

    def part(self, part: p.ConnectionPart, rows: Any, count: Any) -> ColumnElement[Any]:
        if isinstance(part, p.TotalCount):
            total: ColumnElement[int] = count.c.n
            return total
        if isinstance(part, p.Constant):
            return _word(part.value)
        if isinstance(part, p.PageInfoObject):
            return self.page_info(part, rows, count)
        row = {column.key: column for column in rows.c}
        spec = self.source.spec
        if isinstance(part, p.Nodes):
            item = self.renderer.object(part.object, row, spec)
        else:
            arguments: list[ColumnElement[Any]] = []
            for key, edge_part in part.object.fields:
                arguments += [_word(key), self.edge_part(edge_part, row, spec)]
            item = func.json_build_object(*arguments)
        listed = func.json_agg(aggregate_order_by(item, rows.c["_position"])).filter(self.kept(rows))
        return func.coalesce(listed, _EMPTY_LIST)

    def edge_part(self, part: p.EdgePart, row: Row, spec: NodeSpec) -> ColumnElement[Any]:
        if isinstance(part, p.Cursor):
            return func.maillage_cursor(row["_position"])
        if isinstance(part, p.EdgeNode):
            return self.renderer.object(part.object, row, spec)
        if isinstance(part, p.LinkColumn):
            return _encoded(row[f"edge_{part.column}"], part.codec)
        return _word(part.value)

    def page_info(self, info: p.PageInfoObject, rows: Any, count: Any) -> ColumnElement[Any]:
        kept = self.kept(rows)
        position = rows.c["_position"]
        listed = func.count(position).filter(kept)
        if self.window.from_end:
            # As `_last_rows` in db/graph/reads.py: the last rows, none before `after`.
            read = func.least(self.limit, count.c.n)
            first = count.c.n - read
            offset: ColumnElement[Any] = first + func.greatest(0, self.offset - first)
        else:
            offset = self.offset
        values = {
            "hasNextPage": (offset + listed) < (count.c.n if count is not None else 0),
            "hasPreviousPage": offset > 0,
            "startCursor": func.maillage_cursor(func.min(position).filter(kept)),
            "endCursor": func.maillage_cursor(func.max(position).filter(kept)),
        }
        arguments: list[ColumnElement[Any]] = []
        for key, name in info.fields:
            arguments += [_word(key), _word(name.value) if isinstance(name, p.Constant) else values[name]]
        return func.json_build_object(*arguments)


def _adapted(condition: ColumnElement[bool], spec: NodeSpec, aliased: NodeSpec) -> ColumnElement[bool]:
    """A condition on `spec`'s tables, moved onto the aliases of `aliased`."""
    for name, column in spec.columns.items():
        table = getattr(column, "table", None)
        alias = getattr(aliased.columns[name], "table", None)
        if table is not None and alias is not None and table is not alias:
            condition = ClauseAdapter(alias).traverse(condition)
            break
    return condition


def _encoded(column: ColumnElement[Any], codec: p.Codec) -> ColumnElement[Any]:
    if codec is p.Codec.DATETIME:
        return func.maillage_timestamp(column)
    if codec is p.Codec.DECIMAL:
        return cast(column, Text)
    if codec is p.Codec.ENUM:
        return func.upper(column)
    if codec is p.Codec.ENUM_LIST:
        return func.maillage_enum_names(column)
    return column


def _statistics(statistics: p.ActionStatistics, national: bool) -> ColumnElement[Any]:
    group_by = [ActionDimension(name) for name in statistics.group_by]
    rows = action_statistics_statement(statistics.filter, group_by, national).subquery()
    arguments: list[ColumnElement[Any]] = []
    for key, name in statistics.fields:
        if isinstance(name, p.Constant):
            value: ColumnElement[Any] = _word(name.value)
        elif name not in rows.c:
            value = null()  # a dimension not grouped on
        elif name in ("budget", "caf_funding"):
            value = cast(rows.c[name], Text)
        elif name in ("theme", "status"):
            value = func.upper(rows.c[name])
        else:
            value = rows.c[name]
        arguments += [_word(key), value]
    ordering = [rows.c[_LABELS.get(dimension, dimension.value)] for dimension in dict.fromkeys(group_by)]
    item = func.json_build_object(*arguments)
    listed = func.json_agg(aggregate_order_by(item, *ordering)) if ordering else func.json_agg(item)
    return select(func.coalesce(listed, _EMPTY_LIST)).select_from(rows).scalar_subquery()


# The statistics statement labels each dimension by the column it is (db/graph/statistics.py).
_LABELS = {ActionDimension.DEPARTMENT: "department_code", ActionDimension.EPCI: "epci_siren"}


def _coverage(coverage: p.CtgCoverage) -> ColumnElement[Any]:
    row = ctg_coverage_statement(department=coverage.department, region=coverage.region, on=coverage.on).subquery()
    # As statistics.Coverage computes its rates, in floating point; 0 for an empty territory.
    rates = {
        "commune_rate": (row.c.covered_commune_count, row.c.commune_count),
        "population_rate": (row.c.covered_population, row.c.population),
    }
    arguments: list[ColumnElement[Any]] = []
    for key, name in coverage.fields:
        if isinstance(name, p.Constant):
            value: ColumnElement[Any] = _word(name.value)
        elif name == "on":
            value = _bind(coverage.on, Date)
        elif name in rates:
            part, whole = rates[name]
            value = case((whole == 0, literal_column("0.0::float8")), else_=cast(part, Float) / cast(whole, Float))
        else:
            value = row.c[name]
        arguments += [_word(key), value]
    return (
        select(
            case(
                (or_(row.c.department_count == 0, not_(row.c.seen_whole)), null()),
                else_=func.json_build_object(*arguments),
            )
        )
        .select_from(row)
        .scalar_subquery()
    )


def _root(renderer: _Renderer, value: p.RootValue) -> ColumnElement[Any]:
    if isinstance(value, p.Constant):
        return _word(value.value)
    if isinstance(value, p.ViewerObject):
        arguments: list[ColumnElement[Any]] = []
        for key, part in value.fields:
            arguments += [_word(key), _viewer_part(renderer, part)]
        return func.json_build_object(*arguments)
    if isinstance(value, p.ActionStatistics):
        return _statistics(value, renderer.national)
    if isinstance(value, p.CtgCoverage):
        return _coverage(value)
    if isinstance(value, p.Connection):
        return renderer.connection(value, None)
    if isinstance(value, p.NodeList):
        return func.json_build_array(*[null() if item is None else _root(renderer, item) for item in value.items])
    spec = m.NODES[value.type_name].aliased()
    column = spec.column(value.column or spec.key)
    return (
        select(renderer.object(value.object, spec.columns, spec))
        .select_from(spec.source)
        .where(column == _bind(value.key, column.type), *visible(spec, renderer.national))
        .scalar_subquery()
    )


def _viewer_part(renderer: _Renderer, part: p.Bound | p.Constant | p.Connection) -> ColumnElement[Any]:
    if isinstance(part, p.Bound):
        return cast(_bind(part.json, Text), postgresql.JSON)
    if isinstance(part, p.Constant):
        return _word(part.value)
    return renderer.connection(part, None)


@dataclass(frozen=True)
class Rendered:
    """A rendered statement's text and its parameters before conversion: (value, converter or None)."""

    sql: str
    parameters: tuple[tuple[Any, Any], ...]


def render_parameters(read: p.Read) -> Rendered:
    """The statement answering `read`: one row, one `json` value, the response's `data`."""
    renderer = _Renderer(read.national)
    if len(read.fields) > MAX_FIELDS:
        raise ValueError(f"more than {MAX_FIELDS} top-level fields")
    arguments: list[ColumnElement[Any]] = []
    for key, value in read.fields:
        arguments += [_word(key), _root(renderer, value)]
    statement = select(func.json_build_object(*arguments).label("data"))
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    processors = compiled._bind_processors
    parameters = []
    for name in compiled.positiontup or ():
        processor = processors.get(name)
        parameters.append((values[name], processor if callable(processor) else None))
    return Rendered(compiled.string, tuple(parameters))


def render(read: p.Read) -> Statement:
    rendered = render_parameters(read)
    parameters = tuple(value if convert is None else convert(value) for value, convert in rendered.parameters)
    return Statement(rendered.sql, parameters)
