"""The feed of deletions, for clients that keep a copy of the graph."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.graph.deletions import deleted_since
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, PageArguments, connection, global_id


@strawberry.type(description="A node that was deleted (archived): remove it from what you keep.")
class Deletion:
    id: strawberry.ID = strawberry.field(description="The deleted node's global ID.")
    typename: str = strawberry.field(description="Its GraphQL type: Action, Ctg, Scheme or Organisation.")
    deleted_at: datetime = strawberry.field(description="When it was deleted.")


@strawberry.type
class HistoryQueries:
    @strawberry.field(
        description="Nodes deleted (archived) at or after `since`, oldest first, among those the caller could "
        "see: a syncing client asks with the time of its last sync and drops what comes back."
    )
    async def deleted_since(
        self,
        info: Info,
        since: datetime,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Deletion]:
        window = PageArguments(first, after, last, before).window()
        page = await deleted_since(info.context.database, since, window)
        nodes = [
            Deletion(id=global_id(row.type_name, row.entity_key), typename=row.type_name, deleted_at=row.deleted_at)
            for row in page.rows
        ]
        return connection(page, nodes)
