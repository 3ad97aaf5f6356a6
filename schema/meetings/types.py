"""GraphQL types of governance meetings (réunions des instances) and their decisions (relevé de décisions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.nodes import edge_field, load_node
from schema.relay import Node

if TYPE_CHECKING:
    from schema.actions.types import Action
    from schema.ctgs.types import Ctg, GovernanceBody

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
BodyRef = Annotated["GovernanceBody", strawberry.lazy("schema.ctgs.types")]


@strawberry.type(description="A meeting of a CTG's governance body: when, who attended, the minutes, the decisions.")
class GovernanceMeeting(Node):
    spec: ClassVar[NodeSpec] = m.MEETING
    key: strawberry.Private[Any]
    ctg_id: strawberry.Private[int]
    body_id: strawberry.Private[int]
    held_on: date = strawberry.field(description="The day it was held.")
    attendees: list[str] = strawberry.field(description='Who attended, as the minutes list them ("Nom — structure").')
    minutes: str | None = strawberry.field(description="The minutes (compte rendu).")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(description="The body that met.")
    async def body(self, info: Info) -> BodyRef:
        from schema.ctgs.types import GovernanceBody

        body = await load_node(info, GovernanceBody, self.body_id)
        assert body is not None, "governance_meeting.body_id is a foreign key"
        return body

    @strawberry.field(description="The CTG whose body met.")
    async def ctg(self, info: Info) -> CtgRef:
        from schema.ctgs.types import Ctg

        ctg = await load_node(info, Ctg, self.ctg_id)
        assert ctg is not None, "governance_meeting.ctg_id is a foreign key"
        return ctg

    decisions = edge_field(m.MEETING_DECISIONS, "Its decisions, in the order of the minutes.")

    history = edge_field(m.MEETING_HISTORY, "Every recorded change of it, oldest first.")


@strawberry.type(description="A decision taken at a governance meeting, about an action of the CTG or not.")
class MeetingDecision(Node):
    spec: ClassVar[NodeSpec] = m.DECISION
    key: strawberry.Private[Any]
    meeting_id: strawberry.Private[int]
    ctg_id: strawberry.Private[int]
    action_id: strawberry.Private[int | None]
    position: int = strawberry.field(description="Rank within the meeting's decisions, from 1.")
    decision: str = strawberry.field(description="What was decided, in the minutes' words.")

    @strawberry.field(description="The meeting that took it.")
    async def meeting(self, info: Info) -> GovernanceMeeting:
        meeting = await load_node(info, GovernanceMeeting, self.meeting_id)
        assert meeting is not None, "meeting_decision.meeting_id is a foreign key"
        return meeting

    @strawberry.field(description="The action of the CTG it concerns, if any (null too if you may not see it).")
    async def action(self, info: Info) -> ActionRef | None:
        from schema.actions.types import Action

        return await load_node(info, Action, self.action_id)
