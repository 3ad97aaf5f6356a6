"""`changes`: the changes a subscriber may see to actions, CTGs, indicator values, campaigns and facilities.

Each change PostgreSQL announces (db/notifications/) is read again, as its node, in a transaction of its own under
the subscriber's scope: a row the subscriber does not see is never mentioned, neither its existence nor its change.
A row that stops being visible (deleted, archived, moved out of the subscriber's scope) is announced as REMOVED only
to a subscriber that saw it: one this subscription has sent, or named in `ids` and visible when it began. That set
is bounded (`KNOWN_LIMIT` rows, the least recently sent forgotten first).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import StrEnum
from typing import Any

import strawberry
from cachetools import LRUCache
from graphql import GraphQLError

from db.notifications.changes import Change as Notified
from db.notifications.changes import ChangeKind, ChangeOperation
from db.notifications.feed import Subscriber, SubscriberDropped
from schema.actions.types import Action, IndicatorValue
from schema.campaigns.types import ReportingCampaign
from schema.context import Info
from schema.ctgs.types import Ctg
from schema.errors import InputError
from schema.facilities.types import Facility
from schema.nodes import load_node
from schema.relay import Node, global_id, key_of, parse_global_id
from schema.subscriptions.context import SubscriberContext, subscriber_of

KNOWN_LIMIT = 10_000
MAX_IDS = 100

NODE_OF: dict[ChangeKind, type[Any]] = {
    ChangeKind.ACTION: Action,
    ChangeKind.CTG: Ctg,
    ChangeKind.INDICATOR_VALUE: IndicatorValue,
    ChangeKind.CAMPAIGN: ReportingCampaign,
    ChangeKind.FACILITY: Facility,
}
_KIND_OF = {cls.spec.type_name: kind for kind, cls in NODE_OF.items()}

strawberry.enum(ChangeKind, name="LiveChangeKind", description="What kind of object changed.")


@strawberry.enum(name="LiveChangeOperation", description="What happened to the object, as the subscriber sees it.")
class ChangeOperationSeen(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    REMOVED = "removed"  # deleted, archived, or no longer visible to the subscriber


@strawberry.type(name="LiveChange", description="A change to an object the subscriber may see.")
class Change:
    kind: ChangeKind = strawberry.field(description="What kind of object changed.")
    operation: ChangeOperationSeen = strawberry.field(description="What happened to it.")
    id: strawberry.ID = strawberry.field(description="Its global ID.")
    node: Node | None = strawberry.field(
        description="The object as it is now, read under the subscriber's rights; null when REMOVED."
    )


def token_expired() -> GraphQLError:
    return GraphQLError(
        "the access token has expired: subscribe again with a new one", extensions={"code": "TOKEN_EXPIRED"}
    )


def dropped(reason: str) -> GraphQLError:
    return GraphQLError(
        f"this subscription was ended, and changes may have been missed ({reason}): read again, then subscribe again",
        extensions={"code": "SUBSCRIPTION_DROPPED"},
    )


async def next_change(context: SubscriberContext, subscriber: Subscriber) -> Notified:
    """The next change committed, or the error ending the subscription: its token expired, or it was dropped."""
    live = context.connected()
    while True:
        left = live.seconds_left()
        if left is not None and left <= 0:
            raise token_expired()
        try:
            change = await subscriber.next(left)
        except SubscriberDropped as error:
            raise dropped(str(error)) from None
        if change is not None:
            return change


def _watched(ids: list[strawberry.ID]) -> set[tuple[ChangeKind, int]]:
    if len(ids) > MAX_IDS:
        raise InputError("ids", "argument.ids_count", maximum=MAX_IDS, count=len(ids))
    watched = set()
    for i, value in enumerate(ids):
        type_name, _ = parse_global_id(value, f"ids[{i}]")
        kind = _KIND_OF.get(type_name)
        if kind is None:
            raise InputError(f"ids[{i}]", "argument.followed_types", types=sorted(_KIND_OF))
        watched.add((kind, key_of(value, NODE_OF[kind].spec, f"ids[{i}]")))
    return watched


@strawberry.type
class ChangeSubscriptions:
    @strawberry.subscription(
        description="The changes committed from now on that the caller may see, each with the object as it is now; "
        "only `kinds` when given, only the objects of `ids` when given. Ends when the access token expires "
        "(error TOKEN_EXPIRED) or when the subscriber falls too far behind (SUBSCRIPTION_DROPPED)."
    )
    async def changes(
        self,
        info: Info,
        kinds: list[ChangeKind] | None = None,
        ids: list[strawberry.ID] | None = None,
    ) -> AsyncGenerator[Change, None]:
        context = subscriber_of(info)
        watched = _watched(ids) if ids is not None else None
        wanted = set(kinds) if kinds is not None else set(ChangeKind)
        known: LRUCache[tuple[ChangeKind, int], bool] = LRUCache(maxsize=KNOWN_LIMIT)
        async with context.connected().feed.subscribe() as subscriber:
            if watched:
                # Subscribed before the first look, so that no change between the two is missed.
                async with context.scoped():
                    for kind, row_id in watched:
                        if await load_node(info, NODE_OF[kind], row_id) is not None:
                            known[kind, row_id] = True
            while True:
                change = await next_change(context, subscriber)
                key = (change.kind, change.id)
                if change.kind not in wanted or (watched is not None and key not in watched):
                    continue
                async with context.scoped():
                    node = None
                    if change.operation is not ChangeOperation.DELETE:
                        node = await load_node(info, NODE_OF[change.kind], change.id)
                    if node is None:
                        if known.pop(key, None) is None:
                            continue  # never seen: not a word of it
                        seen = ChangeOperationSeen.REMOVED
                    else:
                        created = change.operation is ChangeOperation.INSERT
                        seen = ChangeOperationSeen.CREATED if created else ChangeOperationSeen.UPDATED
                        known[key] = True
                    yield Change(
                        kind=change.kind,
                        operation=seen,
                        id=global_id(NODE_OF[change.kind].spec.type_name, change.id),
                        node=node,
                    )
