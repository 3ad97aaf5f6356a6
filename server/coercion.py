"""Values that do not read as their type, worded from the catalogue: `BAD_USER_INPUT` errors naming the argument
(or variable) and where in it, the value given, and what was expected, in the request's language.

graphql-core words these itself (`Value cannot represent a Decimal: "12,5". Invalid literal...`), in English,
with the scalar's internals and no code. Both places where a value is read are covered here: literals in the
document, checked by validation (`LiteralValuesRule`, in place of graphql-core's `ValuesOfCorrectTypeRule`),
and the request's variables, checked when they are coerced (`variable_errors`). The message is chosen from
where the error stands (the type expected there and the value found), not from graphql-core's wording; only
the structural faults of an input object (an unknown or a missing field) are read from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VisitorAction,
    is_enum_type,
    is_input_object_type,
    is_input_type,
    is_non_null_type,
    is_scalar_type,
    print_ast,
    type_from_ast,
)
from graphql.language import SKIP, ArgumentNode
from graphql.pyutils import Undefined, suggestion_list
from graphql.utilities import coerce_input_value
from graphql.utilities.validate_input_value import validate_input_literal, validate_input_value
from graphql.validation import ValuesOfCorrectTypeRule

from schema.messages.errors import MessageError

CODE = "BAD_USER_INPUT"
# A value is echoed in the message, shortened: a hostile caller's megabyte is not worth sending back.
_SHOWN_CHARACTERS = 80
INT_MINIMUM, INT_MAXIMUM = -(2**31), 2**31 - 1
# The message for a value that does not read as a scalar, by scalar.
SCALAR_MESSAGES = {
    "Boolean": "input.Boolean",
    "Date": "input.Date",
    "DateTime": "input.DateTime",
    "Decimal": "input.Decimal",
    "Float": "input.Float",
    "ID": "input.ID",
    "Int": "input.Int",
    "JSON": "input.JSON",
    "String": "input.String",
}
_UNKNOWN_FIELD = re.compile(r"not to include unknown field '(\w+)'")
_MISSING_FIELD = re.compile(r"to include required field '(\w+)'")


def _where(name: str, path: Collection[str | int]) -> str:
    return name + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def _type_at(type_: GraphQLInputType, path: Collection[str | int]) -> GraphQLInputType | None:
    for step in path:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList) and isinstance(step, int):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(step, str) and step in type_.fields:
            type_ = type_.fields[step].type
        elif not isinstance(type_, GraphQLList):
            return None
    return type_


def _value_at(value: Any, path: Collection[str | int]) -> Any:
    for step in path:
        inside = (isinstance(value, Mapping) and step in value) or (
            isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
        )
        if inside:
            value = value[step]
        else:
            return Undefined
    return value


def _node_at(node: ValueNode, path: Collection[str | int]) -> ValueNode | None:
    for step in path:
        if isinstance(node, ObjectValueNode) and isinstance(step, str):
            found = next((field.value for field in node.fields if field.name.value == step), None)
            if found is None:
                return None
            node = found
        elif isinstance(node, ListValueNode) and isinstance(step, int) and 0 <= step < len(node.values):
            node = node.values[step]
        elif not isinstance(node, ListValueNode):
            return None
    return node


def _literal(node: ValueNode | None) -> Any:
    """A literal's value as the caller wrote it: text as text, numbers as numbers."""
    if node is None or isinstance(node, NullValueNode):
        return None
    if isinstance(node, StringValueNode | EnumValueNode):
        return node.value
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, FloatValueNode):
        return node.value
    if isinstance(node, BooleanValueNode):
        return node.value
    return print_ast(node)


def _shown(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"


def worded(
    error: GraphQLError,
    type_: GraphQLInputType,
    path: list[str | int],
    value: Any,
    *,
    name: str,
    extensions: Mapping[str, Any],
    hide_suggestions: bool = False,
) -> MessageError:
    """The catalogue's error for `error`, found at `path` of a value of `type_` named `name` (an argument, or a
    variable as `$name`): `value` is the value found there (Undefined when absent)."""
    expected = _type_at(type_, path)
    found = error.message
    parameters: dict[str, Any] = {"where": _where(name, path)}
    message_id = "input.invalid"
    if (value is Undefined or value is None) and expected is not None and is_non_null_type(expected):
        message_id = "input.required"
    elif expected is not None and is_input_object_type(_named(expected)):
        if (match := _UNKNOWN_FIELD.search(found)) is not None:
            message_id, parameters["name"] = "input.unknown_field", match.group(1)
        elif (match := _MISSING_FIELD.search(found)) is not None:
            message_id, parameters["where"] = "input.required", _where(name, [*path, match.group(1)])
        elif "OneOf" in found:
            message_id = "input.one_of"
        else:
            message_id = "input.object"
    elif expected is not None and is_enum_type(named := _named(expected)):
        message_id = "input.enum"
        parameters.update(value=_shown(value), enum=named.name)
        # Outside production, the values it may have meant (production does not advertise the schema).
        suggestions = [] if hide_suggestions else suggestion_list(str(value), list(named.values))
        if suggestions:
            message_id, parameters["suggestions"] = "input.enum.suggested", suggestions
    elif expected is not None and is_scalar_type(named := _named(expected)):
        parameters["value"] = _shown(value)
        if named.name == "Int" and isinstance(value, int) and not isinstance(value, bool):
            message_id = "input.Int.range"
            parameters.update(minimum=INT_MINIMUM, maximum=INT_MAXIMUM)
        else:
            message_id = SCALAR_MESSAGES.get(named.name, "input.invalid")
    return MessageError(message_id, parameters, code=CODE, nodes=error.nodes, extensions=extensions)


def _named(type_: GraphQLInputType) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


class LiteralValuesRule(ValuesOfCorrectTypeRule):
    """graphql-core's check of the literals in a document, its errors worded from the catalogue."""

    _argument: str | None = None
    _variable: str | None = None

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self._argument = node.name.value

    def leave_argument(self, *_args: Any) -> None:
        self._argument = None

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self._variable = node.variable.name.value

    def leave_variable_definition(self, *_args: Any) -> None:
        self._variable = None

    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None) -> VisitorAction:
        if input_type:
            argument = self._argument
            variable = self._variable
            name = argument or (f"${variable}" if variable else "")
            extensions = {"argument": argument} if argument else {"variable": variable} if variable else {}

            def on_error(error: GraphQLError, path: list[str | int]) -> None:
                found = _literal(_node_at(node, path))
                hide = self.context.hide_suggestions
                self.report_error(
                    worded(error, input_type, path, found, name=name, extensions=extensions, hide_suggestions=hide)
                )

            validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP


def variable_errors(
    schema: GraphQLSchema,
    definitions: Collection[VariableDefinitionNode],
    values: Mapping[str, Any],
    *,
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """The catalogue's errors for the variables that do not read as their type (graphql-core found some)."""
    errors: list[GraphQLError] = []
    for definition in definitions:
        variable = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if type_ is None or not is_input_type(type_):
            continue
        value = values.get(variable, Undefined)
        if value is Undefined and (definition.default_value is not None or not is_non_null_type(type_)):
            continue
        if value is Undefined or value is None or coerce_input_value(value, type_) is Undefined:
            errors.extend(_variable_errors(definition, type_, value, hide_suggestions=hide_suggestions))
    return errors


def _variable_errors(
    definition: VariableDefinitionNode, type_: GraphQLInputType, value: Any, *, hide_suggestions: bool
) -> list[GraphQLError]:
    variable = definition.variable.name.value
    errors: list[GraphQLError] = []

    def on_error(error: GraphQLError, path: list[str | int]) -> None:
        found = GraphQLError(error.message, definition)
        at = _value_at(value, path)
        extensions = {"variable": variable}
        errors.append(
            worded(
                found, type_, path, at, name=f"${variable}", extensions=extensions, hide_suggestions=hide_suggestions
            )
        )

    validate_input_value(value, type_, on_error, hide_suggestions)
    return errors
