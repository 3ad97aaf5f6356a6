"""The change feed's subscribers: changes in order, coalesced while they wait, and a slow one dropped, bounded."""

from __future__ import annotations

import pytest

from db.notifications.changes import Change, ChangeKind, ChangeOperation, parse_change
from db.notifications.feed import Subscriber, SubscriberDropped


def _change(key: int, operation: ChangeOperation = ChangeOperation.UPDATE) -> Change:
    return Change(ChangeKind.ACTION, key, operation)


async def test_changes_come_in_order_and_the_same_change_waiting_is_coalesced() -> None:
    subscriber = Subscriber(capacity=4)
    for change in (_change(1), _change(2), _change(1), _change(1, ChangeOperation.DELETE)):
        subscriber.offer(change)
    received = [await subscriber.next(0.1) for _ in range(3)]
    assert received == [_change(1), _change(2), _change(1, ChangeOperation.DELETE)]
    assert await subscriber.next(0.05) is None
    # once received, the same change is news again
    subscriber.offer(_change(1))
    assert await subscriber.next(0.1) == _change(1)


async def test_a_subscriber_falling_behind_is_dropped_and_its_queue_emptied() -> None:
    subscriber = Subscriber(capacity=3)
    for key in range(10_000):
        subscriber.offer(_change(key))
    assert subscriber.dropped
    assert subscriber._queue.qsize() == 1  # the notice alone: memory stays bounded
    with pytest.raises(SubscriberDropped, match="more than 3 changes"):
        await subscriber.next(0.1)


def test_a_payload_says_kind_id_and_operation_and_unknown_ones_are_ignored() -> None:
    assert parse_change('{"kind":"ctg","id":12,"op":"insert"}') == Change(ChangeKind.CTG, 12, ChangeOperation.INSERT)
    assert parse_change('{"kind":"secret","id":12,"op":"insert"}') is None
    assert parse_change("not json") is None
