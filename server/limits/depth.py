"""How deep an operation's fields nest, through its fragments."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import OperationDefinitionNode

from server.limits.fragments import Fragments, fold


def _deepest(measures: Iterable[int]) -> int:
    return max(measures, default=0)


def operation_depth(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """The deepest chain of fields: `{ a { b } }` is 2. Fragments, spread or inline, add no level of their own."""
    return fold(operation, fragments, lambda field, below: 1 + below, _deepest)
