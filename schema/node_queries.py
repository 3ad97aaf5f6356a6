"""`node(id)` and `nodes(ids)`: any object by its global ID."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry

from schema.actions.types import Action, Indicator, IndicatorValue
from schema.campaigns.types import CampaignReminder, ReportingCampaign
from schema.context import Info
from schema.ctgs.types import Ctg, GovernanceBody
from schema.errors import InputError
from schema.facilities.types import Facility, FundingLine
from schema.habilitations.types import Habilitation
from schema.meetings.types import GovernanceMeeting, MeetingDecision
from schema.nodes import load_node
from schema.organisations.types import Organisation
from schema.relay import Node, key_of, parse_global_id
from schema.schemes.types import Scheme, SchemeObjective, Signature
from schema.territories.types import Commune, Department, Epci, Region

NODE_TYPES: dict[str, type[Any]] = {
    cls.spec.type_name: cls
    for cls in (
        Region,
        Department,
        Epci,
        Commune,
        Organisation,
        Scheme,
        Ctg,
        SchemeObjective,
        Signature,
        GovernanceBody,
        Action,
        Indicator,
        IndicatorValue,
        Habilitation,
        Facility,
        FundingLine,
        ReportingCampaign,
        CampaignReminder,
        GovernanceMeeting,
        MeetingDecision,
    )
}


async def _node(info: Info, value: str, argument: str) -> Node | None:
    type_name, _ = parse_global_id(value, argument)
    cls = NODE_TYPES.get(type_name)
    if cls is None:
        raise InputError(argument, "argument.not_id", value=value)
    node: Node | None = await load_node(info, cls, key_of(value, cls.spec, argument))
    return node


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global ID; null if it does not exist.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _node(info, id, "id")

    @strawberry.field(description="Objects by their global IDs, in the same order; null where one does not exist.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > 100:
            raise InputError("ids", "argument.ids_count", maximum=100, count=len(ids))
        # Gathered, so that the DataLoaders batch them: one statement per node type, not per ID. Every
        # look-up finishes before the first error is raised, so none outlives the request.
        found = await asyncio.gather(
            *(_node(info, value, f"ids[{i}]") for i, value in enumerate(ids)), return_exceptions=True
        )
        for result in found:
            if isinstance(result, BaseException):
                raise result
        return [result for result in found if not isinstance(result, BaseException)]
