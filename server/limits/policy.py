"""The service's limits on one operation, and the errors naming them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode

from server.limits.aliases import alias_count
from server.limits.cost import operation_cost
from server.limits.depth import operation_depth
from server.limits.errors import LimitExceeded
from server.limits.fragments import Fragments
from server.limits.introspection import MAX_NESTED_MEMBER_LISTS, nested_member_lists

CODE = "OPERATION_TOO_COMPLEX"


@dataclass(frozen=True)
class OperationLimits:
    max_tokens: int
    max_depth: int
    max_aliases: int
    max_cost: int
    default_page_size: int
    max_page_size: int

    def tokens_exceeded(self) -> LimitExceeded:
        """The parser stops at `max_tokens` (it never reads the rest): the value is only known to be over."""
        return LimitExceeded(
            CODE,
            "tokens",
            limit=self.max_tokens,
            value=self.max_tokens + 1,
        )

    def check_shape(self, operation: OperationDefinitionNode, fragments: Fragments) -> None:
        """Depth, introspection and aliases: what the document alone decides."""
        depth = operation_depth(operation, fragments)
        if depth > self.max_depth:
            raise LimitExceeded(
                CODE,
                "depth",
                limit=self.max_depth,
                value=depth,
            )
        lists = nested_member_lists(operation, fragments)
        if lists > MAX_NESTED_MEMBER_LISTS:
            raise LimitExceeded(
                CODE,
                "introspection",
                limit=MAX_NESTED_MEMBER_LISTS,
                value=lists,
            )
        aliases = alias_count(operation, fragments)
        if aliases > self.max_aliases:
            raise LimitExceeded(
                CODE,
                "aliases",
                limit=self.max_aliases,
                value=aliases,
            )

    def check_cost(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Fragments,
        variables: Mapping[str, Any],
    ) -> int:
        """The estimated number of objects, which the page sizes in `variables` may multiply: returned when
        within the limit."""
        cost = operation_cost(
            schema,
            operation,
            fragments,
            variables,
            default_page_size=self.default_page_size,
            max_page_size=self.max_page_size,
        )
        if cost > self.max_cost:
            raise LimitExceeded(
                CODE,
                "cost",
                limit=self.max_cost,
                value=cost,
            )
        return cost
