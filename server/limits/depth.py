"""How deep an operation's fields nest, through its fragments."""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from server.limits.fragments import Fragments


def operation_depth(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """The deepest chain of fields: `{ a { b } }` is 2. Fragments, spread or inline, add no level of their own."""
    memo: dict[str, int] = {}

    def of_fragment(fragment: FragmentDefinitionNode) -> int:
        return depth(fragment.selection_set)

    def depth(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                deepest = max(deepest, 1 + depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, fragments.measure(selection.name.value, of_fragment, memo, 0))
        return deepest

    return depth(operation.selection_set)
