"""Walking an operation through its fragment spreads, each fragment's result worked out once.

A fragment spread N times counts N times, fragments spreading fragments too; memoising per fragment keeps
the walk linear in the document however many times spreads multiply. A fragment cycle (which validation
refuses anyway) counts as nothing rather than recursing forever.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# What a field is worth, given what its own selection is worth.
FieldMeasure = Callable[[FieldNode, int], int]
# How the measures of a selection set's members make the set's.
Combine = Callable[[Iterable[int]], int]


class Fragments:
    """A document's fragment definitions."""

    def __init__(self, document: DocumentNode) -> None:
        self._definitions = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def measure(self, name: str, compute: Callable[[FragmentDefinitionNode], int], memo: dict[str, int]) -> int:
        """`compute` of the fragment `name`, once per memo; 0 for an unknown fragment or inside a cycle."""
        if name in memo:
            return memo[name]
        definition = self._definitions.get(name)
        if definition is None:
            return 0
        memo[name] = 0  # while it is being computed: a spread back into it adds nothing
        memo[name] = compute(definition)
        return memo[name]


def fold(operation: OperationDefinitionNode, fragments: Fragments, field: FieldMeasure, combine: Combine) -> int:
    """Measure `operation` field by field, fragments (spread or inline) standing for their own fields."""
    memo: dict[str, int] = {}

    def of_fragment(fragment: FragmentDefinitionNode) -> int:
        return of_set(fragment.selection_set)

    def of_set(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        measures = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                measures.append(field(selection, of_set(selection.selection_set)))
            elif isinstance(selection, InlineFragmentNode):
                measures.append(of_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                measures.append(fragments.measure(selection.name.value, of_fragment, memo))
        return combine(measures)

    return of_set(operation.selection_set)
