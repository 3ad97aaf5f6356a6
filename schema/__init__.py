"""Maillage's GraphQL schema: the root types inherit one query mixin per domain."""

from __future__ import annotations

from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from schema.territories.queries import TerritoryQueries


@strawberry.type(description="Read access to the Caf partnership graph.")
class Query(TerritoryQueries):
    pass


def _is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by code, rather than reported on purpose, are masked for clients and logged."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


schema = strawberry.Schema(query=Query, extensions=[partial(MaskErrors, should_mask_error=_is_unexpected)])
