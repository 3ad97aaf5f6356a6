"""Governance meetings, written: a meeting of a CTG's governance body recorded once held (the day, who attended,
the minutes, the decisions), changed, archived; its decisions added and removed one by one.

The Caf of the CTG's department and the CTG's local authority record them (Can.RECORD_MEETING). A body meets at
most once a day: a second meeting of the same body on the same day is refused on `held_on`, naming the one
recorded, an archived one included (it still holds its day). A decision names, if any, an action of the
meeting's own CTG. A decision's change moves the meeting's version and is recorded on the meeting
(`decisions`: the decision before → after), as a scheme's objectives are on the scheme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, update

from auth.rules import Can, Grantor
from db.graph.mapping import ACTION, DECISION, GOVERNANCE_BODY, MEETING, _table
from db.graph.reads import rows_by_keys
from db.models import GovernanceMeeting, MeetingDecision
from db.policies.conditions import may
from db.session import RequestDatabase
from db.writes.access import allows, forbidden
from db.writes.audit import Actor, changes_between, plain, record
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import one
from db.writes.rows import changed, insert_new, insert_new_unless_taken, update_row
from db.writes.versions import stale

_meeting, _decision = _table(GovernanceMeeting), _table(MeetingDecision)

ENTITY = "governance_meeting"
FIELDS = {
    "uq_governance_meeting_body_id_held_on": "held_on",
    "fk_meeting_body_of_ctg": "body_id",
    "ck_governance_meeting_attendees_count": "attendees",
    "ck_governance_meeting_minutes_length": "minutes",
}
DECISION_FIELDS = {"fk_decision_action_of_ctg": "action_id", "ck_meeting_decision_decision_length": "decision"}
_RECORDED = ("ctg_id", "body_id", "held_on", "attendees", "minutes")
_DECISION = ("id", "position", "decision", "action_id")
# Moved decisions wait above every real position, so that no two ever share one (the constraint is immediate).
_ASIDE = 1_000_000


@dataclass(frozen=True)
class NewDecision:
    """A checked decision of an input, in database terms."""

    decision: str
    action_id: int | None = None


@dataclass(frozen=True)
class NewMeeting:
    """A checked recordMeeting input, in database terms."""

    body_id: int
    held_on: date
    attendees: tuple[str, ...] = ()
    minutes: str | None = None
    decisions: tuple[NewDecision, ...] = ()
    idempotency_key: str | None = field(default=None, compare=False)

    def request(self) -> dict[str, Any]:
        return {
            "body_id": self.body_id,
            "held_on": self.held_on,
            "attendees": list(self.attendees),
            "minutes": self.minutes,
            "decisions": [[item.decision, item.action_id] for item in self.decisions],
        }


@dataclass(frozen=True)
class DecisionChange:
    """What a change of a meeting's decisions leaves: the meeting as it now is, the decision (None once removed)."""

    meeting: Any
    item: Any | None


def _recorder(t: Any) -> Any:
    return may(Grantor.SCHEME, Can.RECORD_MEETING, t.c.ctg_id)


def _entry(row: Any) -> dict[str, Any]:
    return {name: plain(row._mapping[name]) for name in _DECISION}


async def meeting_row(database: RequestDatabase, meeting_id: int) -> Any | None:
    return (await rows_by_keys(database, MEETING, [meeting_id]))[0]


async def _may_record(database: RequestDatabase, ctg_id: int, field: str) -> Outcome | None:
    if await allows(database, _recorder, {"ctg_id": ctg_id}):
        return None
    return forbidden(Grantor.SCHEME, Can.RECORD_MEETING, field, "record this CTG's meetings")


async def _body(database: RequestDatabase, body_id: int, field: str) -> Any | Outcome:
    """The governance body, if the caller sees it and may record its meetings."""
    body = await one(database, GOVERNANCE_BODY, body_id, field, "governance body")
    if isinstance(body, Outcome):
        return body
    return await _may_record(database, body.ctg_id, field) or body


async def _same_day(database: RequestDatabase, body: Any, held_on: date, *, but: int | None = None) -> Outcome | None:
    """INVALID on `held_on` when the body already has a meeting that day (archived or not)."""
    statement = select(_meeting.c.id, _meeting.c.archived_at).where(
        _meeting.c.body_id == body.id, _meeting.c.held_on == held_on
    )
    if but is not None:
        statement = statement.where(_meeting.c.id != but)
    rows = await database.rows(statement)
    if not rows:
        return None
    if rows[0].archived_at is not None:
        return refused(Refusal.INVALID, "held_on", "meeting.archived_same_day", body=body.name, heldOn=held_on)
    return refused(
        Refusal.INVALID,
        "held_on",
        "meeting.same_day",
        body=body.name,
        heldOn=held_on,
    )


async def _actions_refusal(
    database: RequestDatabase, ctg_id: int, references: Sequence[tuple[str, int]]
) -> Outcome | None:
    """NOT_FOUND on the first action the caller does not see, INVALID on the first of another CTG."""
    if not references:
        return None
    rows = await rows_by_keys(database, ACTION, [key for _field, key in references])
    for (where, _key), row in zip(references, rows, strict=True):
        if row is None:
            return refused(Refusal.NOT_FOUND, where, "not_found", type="Action")
        if row.ctg_id != ctg_id:
            return refused(Refusal.INVALID, where, "meeting.decision_action")
    return None


async def _insert_decision(
    database: RequestDatabase, meeting_id: int, ctg_id: int, position: int, item: NewDecision
) -> int | Outcome:
    values = {
        "meeting_id": meeting_id,
        "ctg_id": ctg_id,
        "position": position,
        "decision": item.decision,
        "action_id": item.action_id,
    }
    return await insert_new(database, _decision, values, DECISION_FIELDS)


async def _decisions(database: RequestDatabase, meeting_id: int) -> list[Any]:
    return list(
        await database.rows(
            select(*[_decision.c[name] for name in _DECISION])
            .where(_decision.c.meeting_id == meeting_id)
            .order_by(_decision.c.position)
        )
    )


async def record_meeting(database: RequestDatabase, new: NewMeeting, actor: Actor) -> Outcome:
    """Record a meeting held, with its decisions in order, once per idempotency key."""

    async def create() -> Outcome:
        body = await _body(database, new.body_id, "body_id")
        if isinstance(body, Outcome):
            return body
        references = [
            (f"decisions[{index}].action_id", item.action_id)
            for index, item in enumerate(new.decisions)
            if item.action_id is not None
        ]
        refusal = await _same_day(database, body, new.held_on) or await _actions_refusal(
            database, body.ctg_id, references
        )
        if refusal:
            return refusal
        values = {
            "ctg_id": body.ctg_id,
            "body_id": body.id,
            "held_on": new.held_on,
            "attendees": list(new.attendees),
            "minutes": new.minutes,
        }
        # A meeting of the body that day recorded concurrently is waited for, and refused as one recorded before.
        meeting_id = await insert_new_unless_taken(database, _meeting, values, ("body_id", "held_on"), FIELDS)
        if meeting_id is None:
            taken = await _same_day(database, body, new.held_on)
            assert taken is not None, "the body's day is taken"
            return taken
        if isinstance(meeting_id, Outcome):
            return meeting_id
        for position, item in enumerate(new.decisions, start=1):
            inserted = await _insert_decision(database, meeting_id, body.ctg_id, position, item)
            if isinstance(inserted, Outcome):
                return inserted
        row = await meeting_row(database, meeting_id)
        assert row is not None, "who records a meeting reads it"
        changes = changes_between(dict.fromkeys(_RECORDED), row._mapping, _RECORDED)
        if new.decisions:
            changes["decisions"] = [None, [_entry(item) for item in await _decisions(database, meeting_id)]]
        await record(database, actor, ENTITY, meeting_id, "create", changes)
        return Outcome(row=row)

    return await create_once(
        database,
        actor,
        new.idempotency_key,
        "recordMeeting",
        new.request(),
        ENTITY,
        create,
        lambda meeting_id: meeting_row(database, meeting_id),
    )


async def _recorded(database: RequestDatabase, meeting_id: int, field: str = "id") -> Any | Outcome:
    """The meeting if the caller may change it; otherwise the refusal (NOT_FOUND for one it does not see)."""
    row = await meeting_row(database, meeting_id)
    if row is None:
        return refused(Refusal.NOT_FOUND, field, "not_found", type="GovernanceMeeting")
    return await _may_record(database, row.ctg_id, field) or row


async def update_meeting(
    database: RequestDatabase, meeting_id: int, version: int, changes: dict[str, Any], actor: Actor
) -> Outcome:
    """Change the meeting's body (one of its CTG's), day, attendees or minutes, if nobody changed it since
    `version`. What changes nothing is no change: no new version, no history entry."""
    before = await _recorded(database, meeting_id)
    if isinstance(before, Outcome):
        return before
    changes = changed(before, changes)
    if not changes:
        return stale(version, before.version, noun="meeting") or Outcome(row=before)
    if {"body_id", "held_on"} & changes.keys():
        body = await one(
            database, GOVERNANCE_BODY, changes.get("body_id", before.body_id), "body_id", "governance body"
        )
        if isinstance(body, Outcome):
            return body
        if body.ctg_id != before.ctg_id:
            return refused(Refusal.INVALID, "body_id", "meeting.body_ctg")
        refusal = await _same_day(database, body, changes.get("held_on", before.held_on), but=before.id)
        if refusal:
            return refusal
    outcome = await update_row(database, _meeting, {"id": meeting_id}, version, changes, FIELDS)
    if outcome.row is None:
        return outcome
    after = await meeting_row(database, meeting_id)
    assert after is not None, "who changes a meeting reads it"
    await record(
        database, actor, ENTITY, meeting_id, "update", changes_between(before._mapping, after._mapping, tuple(changes))
    )
    return Outcome(row=after)


async def archive_meeting(database: RequestDatabase, meeting_id: int, version: int, actor: Actor) -> Outcome:
    """Archive a meeting recorded by mistake: it and its decisions leave every read; it still holds its day."""
    before = await _recorded(database, meeting_id)
    if isinstance(before, Outcome):
        return before
    conflict = stale(version, before.version, noun="meeting")
    if conflict is not None:
        return conflict
    outcome = await update_row(database, _meeting, {"id": meeting_id}, version, {"archived_at": func.now()}, FIELDS)
    if outcome.row is None:
        return outcome
    await record(
        database, actor, ENTITY, meeting_id, "archive", {"archived_at": [None, plain(outcome.row.archived_at)]}
    )
    return Outcome(row=before)


async def _touch(database: RequestDatabase, meeting: Any, version: int) -> Outcome | None:
    """Move the meeting one version on for a change of its decisions, if it is still at `version`."""
    conflict = stale(version, meeting.version, field="meeting_version", noun="meeting")
    if conflict is not None:
        return conflict
    outcome = await update_row(
        database,
        _meeting,
        {"id": meeting.id},
        version,
        {"updated_at": func.clock_timestamp()},
        version_field="meeting_version",
    )
    return outcome if outcome.refused else None


async def add_decision(
    database: RequestDatabase, meeting_id: int, version: int, item: NewDecision, actor: Actor
) -> Outcome:
    """Add a decision to the meeting, after its others."""
    meeting = await _recorded(database, meeting_id, "meeting_id")
    if isinstance(meeting, Outcome):
        return meeting
    references = [("action_id", item.action_id)] if item.action_id is not None else []
    refusal = await _actions_refusal(database, meeting.ctg_id, references) or await _touch(database, meeting, version)
    if refusal:
        return refusal
    last = (
        await database.rows(
            select(func.coalesce(func.max(_decision.c.position), 0)).where(_decision.c.meeting_id == meeting.id)
        )
    )[0][0]
    decision_id = await _insert_decision(database, meeting.id, meeting.ctg_id, int(last) + 1, item)
    if isinstance(decision_id, Outcome):
        return decision_id
    (decision,) = await rows_by_keys(database, DECISION, [decision_id])
    await record(database, actor, ENTITY, meeting.id, "update", {"decisions": [None, _entry(decision)]})
    return Outcome(row=DecisionChange(await meeting_row(database, meeting.id), decision))


async def remove_decision(database: RequestDatabase, decision_id: int, version: int, actor: Actor) -> Outcome:
    """Remove a decision of a meeting; those after it move up."""
    decision = await one(database, DECISION, decision_id, "id", "decision")
    if isinstance(decision, Outcome):
        return decision
    meeting = await _recorded(database, decision.meeting_id)
    if isinstance(meeting, Outcome):
        return meeting
    touched = await _touch(database, meeting, version)
    if touched:
        return touched
    await database.execute(delete(_decision).where(_decision.c.id == decision.id))
    later = (_decision.c.meeting_id == meeting.id) & (_decision.c.position > decision.position)
    await database.execute(update(_decision).where(later).values(position=_decision.c.position + _ASIDE))
    aside = (_decision.c.meeting_id == meeting.id) & (_decision.c.position > _ASIDE)
    await database.execute(update(_decision).where(aside).values(position=_decision.c.position - _ASIDE - 1))
    await record(database, actor, ENTITY, meeting.id, "update", {"decisions": [_entry(decision), None]})
    return Outcome(row=DecisionChange(await meeting_row(database, meeting.id), None))
