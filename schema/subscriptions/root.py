"""The Subscription root type: one mixin per feed."""

from __future__ import annotations

import strawberry

from schema.subscriptions.changes import ChangeSubscriptions
from schema.subscriptions.tasks import TaskSubscriptions


@strawberry.type(
    description="Live feeds over WebSocket (graphql-transport-ws, at /graphql), each event read under the "
    "subscriber's rights."
)
class Subscription(ChangeSubscriptions, TaskSubscriptions):
    pass
