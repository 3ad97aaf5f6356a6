"""Walking an operation through its fragment spreads, each fragment's result worked out once.

A fragment spread N times counts N times, fragments spreading fragments too; memoising per fragment keeps
the walk linear in the document however many times spreads multiply. A fragment cycle (which validation
refuses anyway) counts as nothing rather than recursing forever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from graphql import DocumentNode, FragmentDefinitionNode

T = TypeVar("T")


class Fragments:
    """A document's fragment definitions, and memoised per-fragment results of one measure."""

    def __init__(self, document: DocumentNode) -> None:
        self._definitions = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def measure(self, name: str, compute: Callable[[FragmentDefinitionNode], T], memo: dict[str, T], empty: T) -> T:
        """`compute` of the fragment `name`, once per memo; `empty` for an unknown fragment or inside a cycle."""
        if name in memo:
            return memo[name]
        definition = self._definitions.get(name)
        if definition is None:
            return empty
        memo[name] = empty  # while it is being computed: a spread back into it adds nothing
        memo[name] = compute(definition)
        return memo[name]
