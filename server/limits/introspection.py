"""Introspection, bounded by the schema rather than by the depth limit.

GraphiQL's own introspection query nests 15 levels (`ofType` within `ofType`, for the deepest wrapped types):
each level is one object, so the answer is bounded by the schema's size, and an introspection field's
subtree counts for nothing against the depth limit. What could multiply is a list of a type's members asked
within another (`fields { type { fields { type { fields ... } } } }`): as GraphQL.js's
MaxIntrospectionDepthRule does, at most 3 of those lists may nest.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import FieldNode, OperationDefinitionNode, OperationType

from server.limits.fragments import Fragments, fold

ROOTS = frozenset({"__schema", "__type"})
MEMBER_LISTS = frozenset({"fields", "inputFields", "interfaces", "possibleTypes"})
MAX_NESTED_MEMBER_LISTS = 3


def is_introspection(field: FieldNode) -> bool:
    return field.name.value in ROOTS


def _deepest(measures: Iterable[int]) -> int:
    return max(measures, default=0)


def _member_lists(field: FieldNode, below: int) -> int:
    return (field.name.value in MEMBER_LISTS) + below


def nested_member_lists(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """The most lists of type members nested in one another under `__schema` or `__type` (the domain's own
    fields may share their names: only what lies under an introspection root counts)."""

    def root(field: FieldNode, below: int) -> int:
        if not is_introspection(field) or field.selection_set is None:
            return below
        # fold walks an operation: the root's selection, wrapped as one.
        subtree = OperationDefinitionNode(operation=OperationType.QUERY, selection_set=field.selection_set)
        return fold(subtree, fragments, _member_lists, _deepest)

    return fold(operation, fragments, root, _deepest)
