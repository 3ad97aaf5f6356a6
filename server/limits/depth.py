"""How deep an operation's fields nest, through its fragments."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import OperationDefinitionNode

from server.limits.fragments import Fragments, fold
from server.limits.introspection import is_introspection


def _deepest(measures: Iterable[int]) -> int:
    return max(measures, default=0)


def operation_depth(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """The deepest chain of fields: `{ a { b } }` is 2. Fragments, spread or inline, add no level of their own;
    an introspection field counts as one, whatever lies below it (server/limits/introspection.py)."""
    return fold(operation, fragments, lambda field, below: 1 if is_introspection(field) else 1 + below, _deepest)
