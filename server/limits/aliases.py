"""How many aliased fields an operation asks for, a fragment's aliases counted once per spread."""

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


def alias_count(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Aliases are how one request asks for the same expensive field many times: each counts, as often as
    the fragment holding it is spread."""
    memo: dict[str, int] = {}

    def of_fragment(fragment: FragmentDefinitionNode) -> int:
        return count(fragment.selection_set)

    def count(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += (selection.alias is not None) + count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragments.measure(selection.name.value, of_fragment, memo, 0)
        return total

    return count(operation.selection_set)
