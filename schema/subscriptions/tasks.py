"""`tasks`: the caller's tasks (schema/viewer/tasks.py), the current ones first, then each new one as it appears.

The tasks are computed again, under the caller's scope, after each change to the rows they derive from (actions,
CTGs, indicator values, campaigns) and at least every `RECOMPUTE_SECONDS`, since some appear with the date alone
(a CTG entering the horizon); a task is sent when it was not among those of the previous computation.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator

import strawberry

from db.graph.tasks import tasks
from db.notifications.changes import ChangeKind
from db.notifications.feed import SubscriberDropped
from schema.context import Info
from schema.errors import InputError
from schema.subscriptions.changes import dropped, token_expired
from schema.subscriptions.context import subscriber_of
from schema.today import today
from schema.viewer.tasks import DEFAULT_MONTHS, MAX_MONTHS, Task, task_of

RECOMPUTE_SECONDS = 3600.0
_RELEVANT = frozenset({ChangeKind.ACTION, ChangeKind.CTG, ChangeKind.INDICATOR_VALUE, ChangeKind.CAMPAIGN})


@strawberry.type
class TaskSubscriptions:
    @strawberry.subscription(
        description="The caller's tasks (see `viewer.tasks`): those of now first, then each new one as it appears. "
        "Ends when the access token expires (error TOKEN_EXPIRED)."
    )
    async def tasks(self, info: Info, within_months: int = DEFAULT_MONTHS) -> AsyncGenerator[Task, None]:
        if not 0 <= within_months <= MAX_MONTHS:
            raise InputError("withinMonths", "argument.range", minimum=0, maximum=MAX_MONTHS, value=within_months)
        context = subscriber_of(info)
        live = context.connected()
        sent: set[str] = set()
        async with live.feed.subscribe() as subscriber:
            while True:
                async with context.scoped():
                    current = [task_of(row) for row in await tasks(context.database, today(), within_months)]
                    for task in current:
                        if task.id not in sent:
                            yield task
                sent = {task.id for task in current}
                recompute_at = time.monotonic() + RECOMPUTE_SECONDS
                while time.monotonic() < recompute_at:
                    left = live.seconds_left()
                    if left is not None and left <= 0:
                        raise token_expired()
                    wait = recompute_at - time.monotonic()
                    try:
                        change = await subscriber.next(wait if left is None else min(left, wait))
                    except SubscriberDropped as error:
                        raise dropped(str(error)) from None
                    if change is not None and change.kind in _RELEVANT:
                        break
