"""From a validated query operation to a compiled read (`db.compiled.plan.Read`), or a refusal to compile.

Fields are collected exactly as graphql-core's executor collects them (fragments, type conditions,
`@skip` / `@include`, merged response keys), and arguments are coerced and converted exactly as the
resolvers receive them; the resolvers' own functions then turn them into listings and windows. Whatever
would make a resolver raise (a bad ID, a page over 100) makes the planner decline, and the resolvers
answer with their error. Whatever the planner does not know (a field with no rule) it declines too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    OperationType,
    get_named_type,
    is_enum_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.values import get_argument_values
from strawberry.types.arguments import convert_arguments

from auth.policy import Scope
from auth.principal import Principal
from db.compiled import plan as p
from db.compiled.render import EDGE_NAMES
from db.graph.filters import ActionFilter, HeldFilter, Listing
from db.graph.mapping import NODES
from schema.actions.queries import action_listing
from schema.compiled.rules import RULES, CompositeRule, EdgeRule, GuardedRule, ReferenceRule
from schema.errors import InputError
from schema.facilities.queries import facility_listing
from schema.node_queries import NODE_TYPES
from schema.nodes import EDGE
from schema.organisations.queries import organisation_listing
from schema.relay import PageArguments, key_of, parse_global_id
from schema.schemes.queries import ctg_listing, scheme_listing
from schema.territories.queries import place_listing
from schema.viewer.queries import viewer_of

FieldDetailsList = list[FieldDetails]


class Unsupported(Exception):
    """The query needs something compiled reads do not do; the resolvers answer it."""


# Top-level connections: the function the resolver itself uses to turn its arguments into a listing.
_LISTINGS: dict[str, Callable[..., Listing]] = {
    "regions": lambda filter=None: place_listing("Region", filter),
    "departments": lambda filter=None: place_listing("Department", filter),
    "epcis": lambda filter=None: place_listing("Epci", filter),
    "communes": lambda filter=None: place_listing("Commune", filter),
    "organisations": organisation_listing,
    "facilities": facility_listing,
    "schemes": scheme_listing,
    "ctgs": ctg_listing,
    "actions": action_listing,
}
_PAGE_ARGUMENTS = ("first", "after", "last", "before")
# The fields of an edge that are columns of its link table (the mapping's LinkEdge.link_columns).
_LINK_COLUMNS = {"role": "role", "link": "link"}
# Top-level look-ups by key: field → (node type, argument).
_BY_KEY = {
    "region": ("Region", "code"),
    "department": ("Department", "code"),
    "epci": ("Epci", "siren"),
    "commune": ("Commune", "insee_code"),
}
_SCALAR_CODECS = {
    "String": p.Codec.PLAIN,
    "Int": p.Codec.PLAIN,
    "Boolean": p.Codec.PLAIN,
    "Date": p.Codec.DATE,
    "DateTime": p.Codec.DATETIME,
    "Decimal": p.Codec.DECIMAL,
}


def _codec(type_: GraphQLOutputType) -> p.Codec:
    """How a column reaches the client as this GraphQL type; Unsupported for types with no SQL twin."""
    inner = type_.of_type if is_non_null_type(type_) else type_
    listed = is_list_type(inner)
    named = get_named_type(inner)
    if is_enum_type(named):
        # Stored values are the names in lower case (db.models.enums); the SQL writes upper(value).
        if not all(name == str(getattr(v.value, "value", v.value)).upper() for name, v in named.values.items()):
            raise Unsupported(f"enum {named.name} names are not its values in upper case")
        return p.Codec.ENUM_LIST if listed else p.Codec.ENUM
    codec = _SCALAR_CODECS.get(named.name)
    if codec is None or (listed and codec is not p.Codec.PLAIN):
        raise Unsupported(f"no SQL encoding for {type_}")
    return codec


def _serialized(type_: GraphQLOutputType, value: Any) -> Any:
    """A value as GraphQL's result serializes it (scalars, enums, lists of them)."""
    if value is None:
        return None
    inner = type_.of_type if is_non_null_type(type_) else type_
    if is_list_type(inner):
        return [_serialized(inner.of_type, item) for item in value]
    named = get_named_type(inner)
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        raise Unsupported(f"no serialization for {named.name}")
    return named.serialize(value)


def _object_type(type_: GraphQLOutputType) -> GraphQLObjectType:
    named: GraphQLNamedType = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        raise Unsupported(f"{named.name} is not an object type")
    return named


class Planner:
    """Plans the queries of one schema. Stateless between calls: safe to share across requests."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self.schema = schema
        self.graphql = schema._schema
        self._scalars = schema.schema_converter.scalar_registry

    def executor(self, document: Any, variables: dict[str, Any] | None, operation_name: str | None) -> Executor[Any]:
        """The operation, fragments and coerced variables exactly as execution would see them."""
        built = Executor.build(self.graphql, document, raw_variable_values=variables, operation_name=operation_name)
        if isinstance(built, list):
            raise Unsupported("the operation or its variables are refused")
        if built.operation.operation is not OperationType.QUERY:
            raise Unsupported("only queries are compiled")
        return built

    def plan(self, executor: Executor[Any], scope: Scope, principal: Principal | None = None) -> p.Read:
        """The compiled read of the operation for a caller of `scope`; `viewer` needs the caller itself, and
        makes the read the caller's own (never shared with another caller of the same scope)."""
        return _Walk(self, executor, scope, principal).read()


class _Walk:
    """One planning of one operation for one caller."""

    def __init__(self, planner: Planner, executor: Executor[Any], scope: Scope, principal: Principal | None) -> None:
        self.planner = planner
        self.executor = executor
        self.scope = scope
        self.principal = principal

    # Collecting fields and arguments as the executor does.

    def _collected(self, grouped: Any) -> dict[str, FieldDetailsList]:
        if grouped.new_defer_usages:
            raise Unsupported("@defer")
        fields: dict[str, FieldDetailsList] = grouped.grouped_field_set
        return fields

    def _subfields(self, type_: GraphQLObjectType, details: FieldDetailsList) -> dict[str, FieldDetailsList]:
        e = self.executor
        return self._collected(
            collect_subfields(self.planner.graphql, e.fragments, e.variable_values, e.operation, type_, details)
        )

    def _arguments(self, definition: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
        """The resolver's keyword arguments (Python names, inputs as Strawberry objects)."""
        detail = details[0]
        try:
            raw = get_argument_values(
                definition, detail.node, self.executor.variable_values, detail.fragment_variable_values
            )
        except GraphQLError as error:
            raise Unsupported("arguments do not coerce") from error
        strawberry_field = definition.extensions["strawberry-definition"]
        converted: dict[str, Any] = convert_arguments(
            raw,
            strawberry_field.arguments,
            scalar_registry=self.planner._scalars,
            config=self.planner.schema.config,
        )
        return converted

    # The operation.

    def read(self) -> p.Read:
        e = self.executor
        query = self.planner.graphql.query_type
        assert query is not None, "the schema has a Query type"
        grouped = collect_fields(self.planner.graphql, e.fragments, e.variable_values, query, e.operation)
        fields = []
        for key, details in self._collected(grouped).items():
            fields.append((key, self._root(query, details)))
        return p.Read(tuple(fields), national=self.scope.national)

    def _root(self, query: GraphQLObjectType, details: FieldDetailsList) -> p.RootValue:
        name = details[0].node.name.value
        if name == "__typename":
            return p.Constant(query.name)
        definition = query.fields[name]
        arguments = self._arguments(definition, details)
        try:
            return self._root_value(name, definition, arguments, details)
        except InputError as error:
            raise Unsupported("the resolver refuses its arguments") from error

    def _root_value(
        self, name: str, definition: GraphQLField, arguments: dict[str, Any], details: FieldDetailsList
    ) -> p.RootValue:
        if name in _LISTINGS:
            page = {key: arguments.pop(key) for key in _PAGE_ARGUMENTS}
            listing = _LISTINGS[name](**arguments)
            return self._connection(p.Rows(listing=listing), PageArguments(**page), definition.type, details)
        if name in _BY_KEY:
            type_name, argument = _BY_KEY[name]
            return self._node(type_name, arguments[argument], details)
        if name == "organisation":
            siren, siret = arguments["siren"], arguments["siret"]
            if (siren is None) == (siret is None):
                raise Unsupported("exactly one of siren or siret")
            column, value = ("siren", siren) if siren is not None else ("siret", siret)
            return self._node("Organisation", value, details, column=column)
        if name == "actionStatistics":
            group_by = tuple(dimension.value for dimension in arguments["group_by"])
            return p.ActionStatistics(
                arguments["filter"].to_filter() if arguments["filter"] else ActionFilter(),
                group_by,
                self._plain_fields(_object_type(definition.type), details),
            )
        if name == "ctgCoverage":
            department, region = arguments["department"], arguments["region"]
            if (department is None) == (region is None):
                raise Unsupported("exactly one of department or region")
            fields = self._plain_fields(_object_type(definition.type), details)
            return p.CtgCoverage(department, region, arguments["on"], fields)
        if name == "deletedSince":
            window = PageArguments(**{key: arguments.pop(key) for key in _PAGE_ARGUMENTS})
            return self._connection(p.Rows(deleted_since=arguments["since"]), window, definition.type, details)
        if name == "viewer" and self.principal is not None:
            return self._viewer(_object_type(definition.type), details)
        if name == "node":
            return self._node_by_id(arguments["id"], "id", details)
        if name == "nodes":
            ids = arguments["ids"]
            if len(ids) > 100:
                raise Unsupported("too many IDs")
            return p.NodeList(tuple(self._node_by_id(value, f"ids[{i}]", details) for i, value in enumerate(ids)))
        raise Unsupported(f"Query.{name} is not compiled")

    def _node_by_id(self, value: str, argument: str, details: FieldDetailsList) -> p.NodeByKey:
        type_name, _ = parse_global_id(value, argument)
        cls = NODE_TYPES.get(type_name)
        if cls is None:
            raise Unsupported("not a node type")
        return self._node(type_name, key_of(value, cls.spec, argument), details)

    def _node(self, type_name: str, key: Any, details: FieldDetailsList, column: str | None = None) -> p.NodeByKey:
        type_ = self.planner.graphql.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType), "node types are object types"
        return p.NodeByKey(type_name, key, self._object(type_, details), column)

    def _plain_fields(
        self, type_: GraphQLObjectType, details: FieldDetailsList
    ) -> tuple[tuple[str, str | p.Constant], ...]:
        """An object of plain data fields (statistics): response key → the field's Python name."""
        fields: list[tuple[str, str | p.Constant]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                fields.append((key, p.Constant(type_.name)))
            elif isinstance(get_named_type(type_.fields[name].type), GraphQLObjectType):
                raise Unsupported(f"{type_.name}.{name} is an object: the resolvers load it")
            else:
                fields.append((key, type_.fields[name].extensions["strawberry-definition"].python_name))
        return tuple(fields)

    # The caller.

    def _viewer(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.ViewerObject:
        """The caller's fields as the resolver makes them (`viewer_of`), serialized as GraphQL does, bound to
        the statement; its habilitations, a connection read like any other."""
        assert self.principal is not None, "a viewer needs its caller"
        viewer = viewer_of(self.principal, self.scope)
        fields: list[tuple[str, p.Bound | p.Constant | p.Connection]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            definition = type_.fields.get(name)
            if name == "__typename":
                fields.append((key, p.Constant(type_.name)))
            elif name == "habilitations":
                identity = self.principal.identity
                held = HeldFilter(identity.issuer, identity.subject) if identity is not None else HeldFilter(None, None)
                listing = Listing("Habilitation", held)
                page = PageArguments(**self._arguments(definition, field_details))
                fields.append((key, self._connection(p.Rows(listing=listing), page, definition.type, field_details)))
            elif name == "memberships":
                member = _object_type(definition.type)
                items = [self._plain_object(member, field_details, item) for item in viewer.memberships]
                fields.append((key, p.Bound(json.dumps(items))))
            elif isinstance(get_named_type(definition.type), GraphQLObjectType):
                raise Unsupported(f"Viewer.{name} is not compiled")
            else:
                value = getattr(viewer, definition.extensions["strawberry-definition"].python_name)
                fields.append((key, p.Bound(json.dumps(_serialized(definition.type, value)))))
        return p.ViewerObject(tuple(fields))

    def _plain_object(self, type_: GraphQLObjectType, details: FieldDetailsList, item: Any) -> dict[str, Any]:
        """An object of the caller's own (a membership) as GraphQL serializes it; Unsupported for a field the
        resolvers load (its organisation)."""
        serialized: dict[str, Any] = {}
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                serialized[key] = type_.name
                continue
            definition = type_.fields[name]
            if isinstance(get_named_type(definition.type), GraphQLObjectType):
                raise Unsupported(f"{type_.name}.{name} is not compiled")
            serialized[key] = _serialized(
                definition.type, getattr(item, definition.extensions["strawberry-definition"].python_name)
            )
        return serialized

    # Objects.

    def _object(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.JsonObject:
        if type_.name == "Deletion":
            return self._deletion(type_, details)
        if type_.name not in NODES:
            raise Unsupported(f"{type_.name} is not compiled")
        fields = []
        for key, field_details in self._subfields(type_, details).items():
            fields.append((key, self._value(type_, field_details)))
        return p.JsonObject(type_.name, tuple(fields))

    def _deletion(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.JsonObject:
        """A row of the feed of deletions (db/graph/deletions.py): the ID and type of the node it was, and when."""
        columns = {"typename": "type_name", "deletedAt": "deleted_at"}
        fields: list[tuple[str, p.Value]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                fields.append((key, p.Constant(type_.name)))
            elif name == "id":
                fields.append((key, p.RowGlobalId("type_name", "entity_key")))
            else:
                fields.append((key, p.Scalar(columns[name], _codec(type_.fields[name].type))))
        return p.JsonObject(type_.name, tuple(fields))

    def _value(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.Value:
        name = details[0].node.name.value
        if name == "__typename":
            return p.Constant(type_.name)
        definition = type_.fields[name]
        rule = RULES.get((type_.name, name))
        if isinstance(rule, ReferenceRule):
            return self._reference(rule, definition, details)
        if isinstance(rule, GuardedRule):
            return p.Guarded(rule.column, rule.guard, _codec(definition.type))
        if isinstance(rule, CompositeRule):
            return p.Composite(self._composite(rule, _object_type(definition.type), details))
        strawberry_field = definition.extensions["strawberry-definition"]
        edge = EDGE_NAMES.get(id(strawberry_field.metadata.get(EDGE)))
        if isinstance(rule, EdgeRule) or edge is not None:
            page = PageArguments(**self._arguments(definition, details))
            rows = p.Rows(edge=rule.edge if isinstance(rule, EdgeRule) else edge)
            try:
                return self._connection(rows, page, definition.type, details)
            except InputError as error:
                raise Unsupported("the resolver refuses its arguments") from error
        spec = NODES[type_.name]
        if name == "id":
            return p.GlobalId(type_.name)
        if strawberry_field.base_resolver is None and strawberry_field.python_name in spec.columns:
            return p.Scalar(strawberry_field.python_name, _codec(definition.type))
        raise Unsupported(f"{type_.name}.{name} is not compiled")

    def _reference(self, rule: ReferenceRule, definition: GraphQLField, details: FieldDetailsList) -> p.Reference:
        target = _object_type(definition.type)
        return p.Reference(
            rule.column,
            target.name,
            self._object(target, details),
            required=is_non_null_type(definition.type),
            target_column=rule.target_column,
            target_kind=rule.target_kind,
            when=rule.when,
            archived_too=rule.archived_too,
            guard=rule.guard,
        )

    def _composite(self, rule: CompositeRule, type_: GraphQLObjectType, details: FieldDetailsList) -> p.JsonObject:
        fields: list[tuple[str, p.Value]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                fields.append((key, p.Constant(type_.name)))
                continue
            source = rule.fields[name]
            definition = type_.fields[name]
            if isinstance(source, ReferenceRule):
                fields.append((key, self._reference(source, definition, field_details)))
            else:
                fields.append((key, p.Scalar(source, _codec(definition.type))))
        return p.JsonObject(type_.name, tuple(fields))

    # Connections.

    def _connection(
        self, rows: p.Rows, page: PageArguments, type_: GraphQLOutputType, details: FieldDetailsList
    ) -> p.Connection:
        window = page.window()
        connection = _object_type(type_)
        parts: list[tuple[str, p.ConnectionPart]] = []
        for key, field_details in self._subfields(connection, details).items():
            name = field_details[0].node.name.value
            definition = connection.fields.get(name)
            if name == "__typename":
                parts.append((key, p.Constant(connection.name)))
            elif name == "totalCount":
                parts.append((key, p.TotalCount()))
            elif name == "pageInfo":
                parts.append((key, self._page_info(_object_type(definition.type), field_details)))
            elif name == "nodes":
                node_type = _object_type(definition.type)
                parts.append((key, p.Nodes(self._object(node_type, field_details))))
            elif name == "edges":
                parts.append((key, p.Edges(self._edge(_object_type(definition.type), field_details))))
            else:
                raise Unsupported(f"{connection.name}.{name} is not compiled")
        return p.Connection(rows, window, tuple(parts))

    def _page_info(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.PageInfoObject:
        fields: list[tuple[str, str | p.Constant]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            fields.append((key, p.Constant(type_.name) if name == "__typename" else name))
        return p.PageInfoObject(tuple(fields))

    def _edge(self, type_: GraphQLObjectType, details: FieldDetailsList) -> p.EdgeObject:
        fields: list[tuple[str, p.EdgePart]] = []
        for key, field_details in self._subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                fields.append((key, p.Constant(type_.name)))
            elif name == "cursor":
                fields.append((key, p.Cursor()))
            elif name == "node":
                node_type = _object_type(type_.fields[name].type)
                fields.append((key, p.EdgeNode(self._object(node_type, field_details))))
            elif name in _LINK_COLUMNS:
                fields.append((key, p.LinkColumn(_LINK_COLUMNS[name], _codec(type_.fields[name].type))))
            else:
                raise Unsupported(f"{type_.name}.{name} is not compiled")
        return p.EdgeObject(tuple(fields))
