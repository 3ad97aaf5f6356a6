"""The caller's tasks: CTGs ending, reports due or overdue, actions to validate, habilitations expiring."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from db.graph.tasks import TaskKind, TaskRow
from schema.context import Info
from schema.nodes import load_node
from schema.relay import Node, global_id

DEFAULT_MONTHS = 3
MAX_MONTHS = 24

strawberry.enum(
    TaskKind,
    description="What the caller is asked to do: a CTG ends (prepare its renewal), a report is due, an action "
    "awaits its validation, a habilitation expires.",
)


@strawberry.type(description="Something the caller should see to, from the data it may read.")
class Task:
    id: strawberry.ID = strawberry.field(description="Stable: the same task has the same ID for as long as it lasts.")
    kind: TaskKind = strawberry.field(description="What is asked.")
    due_on: date | None = strawberry.field(
        description="When: the CTG's end, the campaign's deadline, the habilitation's expiry; null for an action to "
        "validate."
    )
    overdue: bool = strawberry.field(description="Whether the date has passed.")
    node_type: strawberry.Private[type[Any]]
    key: strawberry.Private[int]

    @strawberry.field(description="What it is about: the Ctg, ReportingCampaign, Action or Habilitation.")
    async def node(self, info: Info) -> Node | None:
        found: Node | None = await load_node(info, self.node_type, self.key)
        return found


def task_of(row: TaskRow) -> Task:
    from schema.node_queries import NODE_TYPES

    about = global_id(row.type_name, row.key)
    return Task(
        id=strawberry.ID(f"{row.kind.value}:{about}"),
        kind=row.kind,
        due_on=row.due_on,
        overdue=row.overdue,
        node_type=NODE_TYPES[row.type_name],
        key=row.key,
    )
