"""Maillage's GraphQL schema: the root types inherit one query mixin per domain."""

from __future__ import annotations

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from schema.actions.mutations import ActionMutations
from schema.actions.queries import ActionQueries
from schema.campaigns.mutations import CampaignMutations
from schema.campaigns.queries import CampaignQueries
from schema.ctgs.mutations import CtgMutations
from schema.facilities.figures import FacilityFigures
from schema.facilities.mutations import FacilityMutations
from schema.facilities.queries import FacilityQueries
from schema.habilitations.mutations import HabilitationMutations
from schema.history.queries import HistoryQueries
from schema.labels.queries import LabelQueries
from schema.masking import MaskUnexpectedErrors
from schema.meetings.mutations import MeetingMutations
from schema.node_queries import NODE_TYPES, NodeQueries
from schema.organisations.mutations import OrganisationMutations
from schema.organisations.queries import OrganisationQueries
from schema.schemes.mutations import SchemeMutations
from schema.schemes.queries import SchemeQueries
from schema.statistics.queries import CtgStatisticsQueries, StatisticsQueries
from schema.subscriptions.root import Subscription
from schema.territories.queries import TerritoryQueries
from schema.viewer.queries import ViewerQueries


@strawberry.type(description="Read access to the Caf partnership graph.")
class Query(
    NodeQueries,
    TerritoryQueries,
    OrganisationQueries,
    SchemeQueries,
    ActionQueries,
    FacilityQueries,
    FacilityFigures,
    CampaignQueries,
    StatisticsQueries,
    CtgStatisticsQueries,
    HistoryQueries,
    ViewerQueries,
    LabelQueries,
):
    pass


def _is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by code, rather than reported on purpose, are masked for clients and logged."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


logger = logging.getLogger("maillage.errors")


class MaillageSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Only unexpected errors are logged (in full, with the request id every log line carries); a client's bad
        # query or argument is its own business.
        for error in errors:
            if _is_unexpected(error):
                logger.error("unexpected error at %s: %s", error.path, error.message, exc_info=error.original_error)


@strawberry.type(description="Changes to the Caf partnership graph, each in one transaction.")
class Mutation(
    ActionMutations,
    CtgMutations,
    SchemeMutations,
    OrganisationMutations,
    HabilitationMutations,
    CampaignMutations,
    MeetingMutations,
    FacilityMutations,
):
    pass


schema = MaillageSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=list(NODE_TYPES.values()),
    extensions=[
        partial(MaskUnexpectedErrors, should_mask_error=_is_unexpected),
        # The extranet sends the same few documents over and over: parse and validate each once (the caches
        # live at module level, shared by the extensions built for each request; bounded against abuse).
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
    ],
)
