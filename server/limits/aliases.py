"""How many aliased fields an operation asks for, a fragment's aliases counted once per spread."""

from __future__ import annotations

from graphql import OperationDefinitionNode

from server.limits.fragments import Fragments, fold


def alias_count(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Aliases are how one request asks for the same expensive field many times: each counts, as often as
    the fragment holding it is spread."""
    return fold(operation, fragments, lambda field, below: (field.alias is not None) + below, sum)
