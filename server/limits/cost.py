"""An estimate of how many objects an operation may return, multiplying by the page sizes it asks for.

Every field returning an object counts once per parent it may be asked for; a paginated field (one taking
`first` or `last`) counts its page size per parent, and multiplies everything below it by that size. So
`ctgs(first: 100) { nodes { actions(first: 100) { nodes { title } } } }` costs 100 + 100 × 100 = 10,100.
The plumbing of Relay connections (fields of `...Connection` and `...Edge` types: `nodes`, `edges`, `node`,
`pageInfo`) adds nothing: the page's objects are counted at the paginated field. Scalars and enums are free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    value_from_ast,
)

from server.limits.fragments import Fragments

_PLUMBING = ("Connection", "Edge")
_PAGE_ARGUMENTS = ("first", "last")


class _Pages:
    def __init__(self, variables: Mapping[str, Any], default_size: int, max_size: int) -> None:
        self.variables = dict(variables)
        self.default_size = default_size
        self.max_size = max_size

    def size(self, field: FieldNode, definition_args: Mapping[str, Any]) -> int | None:
        """The page size a paginated field asks for (the default when it names none); None when not paginated.

        Sizes over the maximum are refused by the field itself, with an error naming the argument: here they
        count as the maximum, so that such a request gets that clearer error.
        """
        if not any(name in definition_args for name in _PAGE_ARGUMENTS):
            return None
        sizes = [
            value_from_ast(argument.value, GraphQLInt, self.variables)
            for argument in field.arguments or ()
            if argument.name.value in _PAGE_ARGUMENTS
        ]
        given = [size for size in sizes if isinstance(size, int)]
        size = max(given) if given else self.default_size
        return min(max(size, 0), self.max_size)

    def list_size(self, field: FieldNode) -> int:
        """A list field without pagination (`nodes(ids: [...])`): as long as its longest list argument."""
        longest = 1
        for argument in field.arguments or ():
            value = argument.value
            if isinstance(value, ListValueNode):
                longest = max(longest, len(value.values))
            elif isinstance(value, VariableNode) and isinstance(self.variables.get(value.name.value), list):
                longest = max(longest, len(self.variables[value.name.value]))
        return longest


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Fragments,
    variables: Mapping[str, Any],
    *,
    default_page_size: int,
    max_page_size: int,
) -> int:
    """The estimated number of objects `operation` may return, with its coerced `variables`."""
    pages = _Pages(variables, default_page_size, max_page_size)
    memo: dict[str, int] = {}

    def of_fragment(fragment: FragmentDefinitionNode) -> int:
        return cost(fragment.selection_set, schema.get_type(fragment.type_condition.name.value))

    def cost(selection_set: SelectionSetNode | None, parent: Any) -> int:
        # Linear in the number of parents, so a fragment's cost is worked out once, per parent, and multiplied.
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                total += cost(selection.selection_set, schema.get_type(condition.name.value) if condition else parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragments.measure(selection.name.value, of_fragment, memo)
        return total

    def field_cost(field: FieldNode, parent: Any) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0  # a union's __typename, or a type validation would refuse
        definition = parent.fields.get(field.name.value)
        if definition is None or not is_composite_type(get_named_type(definition.type)):
            return 0
        child = get_named_type(definition.type)
        page = pages.size(field, definition.args)
        if page is not None:
            return page + page * cost(field.selection_set, child)
        if parent.name.endswith(_PLUMBING):
            return cost(field.selection_set, child)
        count = pages.list_size(field) if isinstance(get_nullable_type(definition.type), GraphQLList) else 1
        return count + count * cost(field.selection_set, child)

    return cost(operation.selection_set, schema.get_root_type(operation.operation))
