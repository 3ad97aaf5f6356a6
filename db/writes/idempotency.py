"""Idempotent creation: a request retried with the same key gets what the first one created.

The key is claimed first (INSERT … ON CONFLICT DO NOTHING), in the transaction that creates the row. A
concurrent retry's INSERT waits on the uncommitted claim: if the first request commits, the retry finds
the key taken and replays its result; if it rolls back, the retry's claim goes through and it creates.
Keys belong to the identity that sent them (issuer, subject), as the table's row-level security says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert

from db.models import IdempotencyKey
from db.session import RequestDatabase
from db.writes import checks
from db.writes.audit import Actor
from db.writes.outcome import Outcome, Refusal, refused

_keys = IdempotencyKey.__table__  # type: ignore[attr-defined]


def _fingerprint(operation: str, values: Mapping[str, Any]) -> str:
    """A hash of what a request asks for, to tell a true retry from a key reused for something else."""
    canonical = json.dumps([operation, values], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def create_once(
    database: RequestDatabase,
    actor: Actor,
    key: str | None,
    operation: str,
    request: Mapping[str, Any],
    entity: str,
    create: Callable[[], Awaitable[Outcome]],
    load: Callable[[int], Awaitable[Any | None]],
) -> Outcome:
    """Run `create` unless this key already created something; then return that, read by `load`. `request` is
    what the request asks for, as a retry would ask for it again; a key that is not one is `Invalid`."""
    key = checks.idempotency_key(key)
    if key is None:
        return await create()
    if actor.issuer is None or actor.subject is None:
        return refused(Refusal.FORBIDDEN, "idempotency_key", "idempotency.anonymous")
    owner = {"issuer": actor.issuer, "subject": actor.subject, "key": key}
    request_fingerprint = _fingerprint(operation, request)
    claimed = await database.execute(
        insert(_keys)
        .values(**owner, operation=operation, fingerprint=request_fingerprint, entity=entity)
        .on_conflict_do_nothing()
    )
    mine = and_(*(_keys.c[name] == value for name, value in owner.items()))
    if not claimed:
        first = (await database.rows(select(_keys).where(mine)))[0]
        if first.operation != operation or first.fingerprint != request_fingerprint:
            return refused(Refusal.KEY_REUSED, "idempotency_key", "idempotency.reused")
        row = await load(first.entity_id)
        if row is None:
            return refused(Refusal.NOT_FOUND, "idempotency_key", "idempotency.gone")
        return Outcome(row=row)
    outcome = await create()
    if outcome.row is not None:
        await database.execute(update(_keys).where(mine).values(entity_id=outcome.row.id))
    return outcome
