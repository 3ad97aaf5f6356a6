"""What the caller may do with what it reads, so that a frontend shows the right buttons.

Each is the caller's relations to the object (one statement per page, through a DataLoader) read through the
permissions of auth/rules.py: the same rules the writes and PostgreSQL's policies apply.
"""

from __future__ import annotations

import strawberry

from auth.rules import Can, Grantor, Relation, allowed
from db.models.enums import ActionStatus as Status
from db.writes.actions.workflow import TRANSITIONS
from schema.context import Info
from schema.enums import ActionStatus


def _may(grantor: Grantor, can: Can, held: frozenset[Relation]) -> bool:
    return bool(held & allowed(grantor, can))


@strawberry.type(description="What the caller may do with an action.")
class ActionCapabilities:
    held: strawberry.Private[frozenset[Relation]]
    status: strawberry.Private[Status]

    @strawberry.field(description="Change some of its fields (its carrier: description and progress).")
    def change(self) -> bool:
        return _may(Grantor.ACTION, Can.CHANGE, self.held)

    @strawberry.field(description="Change every field of it, its partners, objectives and indicators; archive it.")
    def change_every_field(self) -> bool:
        return _may(Grantor.ACTION, Can.CHANGE_EVERY_FIELD, self.held)

    @strawberry.field(description="Report its indicators' values.")
    def report(self) -> bool:
        return _may(Grantor.ACTION, Can.REPORT, self.held)

    @strawberry.field(description="Set the amounts of its Caf funding lines.")
    def fund(self) -> bool:
        return _may(Grantor.ACTION, Can.FUND, self.held)

    @strawberry.field(description="The statuses it may move the action to from where it stands.")
    def next_statuses(self) -> list[ActionStatus]:
        return [
            to for (origin, to), relations in TRANSITIONS.items() if origin is self.status and self.held & relations
        ]


@strawberry.type(description="What the caller may do with a CTG or another scheme.")
class SchemeCapabilities:
    held: strawberry.Private[frozenset[Relation]]

    @strawberry.field(description="Create actions in its plan (a CTG).")
    def create_action(self) -> bool:
        return _may(Grantor.SCHEME, Can.CREATE_ACTION, self.held)

    @strawberry.field(
        description="Change it, its objectives, signatories and governance; move it along its life cycle."
    )
    def change(self) -> bool:
        return _may(Grantor.SCHEME, Can.STEWARD, self.held)


async def action_capabilities(info: Info, action_id: int, status: str) -> ActionCapabilities:
    held = await info.context.graph.relations(Grantor.ACTION).load(action_id)
    return ActionCapabilities(held=held, status=Status(status))


async def scheme_capabilities(info: Info, scheme_id: int) -> SchemeCapabilities:
    return SchemeCapabilities(held=await info.context.graph.relations(Grantor.SCHEME).load(scheme_id))
