"""Recording, changing and archiving governance meetings, and adding and removing their decisions. Refusals come
as `errors` in each payload."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from db.graph import mapping as m
from db.writes import checks, meetings
from db.writes.checks import Invalid
from db.writes.outcome import Outcome
from schema.context import Info
from schema.meetings.types import GovernanceMeeting, MeetingDecision
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.today import today
from schema.write_inputs import given, node_key, optional_key

_ATTENDEE, _ATTENDEES, _MINUTES, _DECISION, _DECISIONS = 300, 200, 50_000, 5000, 100
_VERSION = "The version the client read; the change fails if the meeting moved on."
_HELD = "The day it was held: today at the latest (a meeting is recorded once held)."


@strawberry.input(description="A decision taken at a meeting: what was decided, and the action of the CTG it concerns.")
class MeetingDecisionInput:
    decision: str = strawberry.field(description="What was decided, in the minutes' words: 1–5000 characters.")
    action_id: strawberry.ID | None = strawberry.field(
        default=None, description="The action of the meeting's CTG it concerns, if any."
    )


@strawberry.input(
    description="A meeting of a CTG's governance body, once held. With an `idempotencyKey`, a retry gets the "
    "meeting the first request recorded."
)
class RecordMeetingInput:
    body_id: strawberry.ID = strawberry.field(description="The governance body that met (it meets once a day).")
    held_on: datetime.date = strawberry.field(description=_HELD)
    attendees: list[str] = strawberry.field(
        default_factory=list,
        description='Who attended, as the minutes list them ("Nom — structure"): at most 200, each one line of '
        "at most 300 characters.",
    )
    minutes: str | None = strawberry.field(default=None, description="The minutes, at most 50 000 characters.")
    decisions: list[MeetingDecisionInput] = strawberry.field(
        default_factory=list, description="Its decisions, in the order of the minutes (at most 100)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(description="A change to a meeting: fields left out are kept (decisions change one by one).")
class UpdateMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting's ID.")
    version: int = strawberry.field(description=_VERSION)
    body_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Another governance body of the same CTG, that met instead."
    )
    held_on: datetime.date | None = strawberry.field(default=strawberry.UNSET, description=_HELD)
    attendees: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Who attended, replacing the list; [] for nobody listed."
    )
    minutes: str | None = strawberry.field(default=strawberry.UNSET, description="The minutes; null clears them.")


@strawberry.input(description="A meeting, at the version the client read.")
class ArchiveMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="A decision to add to a meeting, after its others.")
class AddMeetingDecisionInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting's ID.")
    meeting_version: int = strawberry.field(description=_VERSION)
    decision: str = strawberry.field(description="What was decided, in the minutes' words: 1–5000 characters.")
    action_id: strawberry.ID | None = strawberry.field(
        default=None, description="The action of the meeting's CTG it concerns, if any."
    )


@strawberry.input(description="A decision to take off its meeting; those after it move up.")
class RemoveMeetingDecisionInput:
    id: strawberry.ID = strawberry.field(description="The decision's ID.")
    meeting_version: int = strawberry.field(description=_VERSION)


@strawberry.type(description="The outcome of a change to a meeting: the meeting, or why nothing changed.")
class GovernanceMeetingPayload:
    meeting: GovernanceMeeting | None = strawberry.field(
        description="The meeting as it now is (as it was when archived); null when the change was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The outcome of a change to a meeting's decisions.")
class MeetingDecisionPayload:
    decision: MeetingDecision | None = strawberry.field(
        description="The decision as it now is; null when removed or refused."
    )
    meeting: GovernanceMeeting | None = strawberry.field(description="Its meeting as it now is; null when refused.")
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


def _held_on(field: str, value: datetime.date) -> datetime.date:
    return checks.not_after(field, checks.day(field, value), today())


def _attendees(values: list[str]) -> list[str]:
    checks.bounded("attendees", values, _ATTENDEES)
    names = [checks.text(f"attendees[{index}]", name, _ATTENDEE, line=True) for index, name in enumerate(values)]
    checks.distinct("attendees", names)
    return names


def _decision(field: str, value: str) -> str:
    return checks.text(field, value, _DECISION)


def _decisions(values: list[MeetingDecisionInput]) -> tuple[meetings.NewDecision, ...]:
    checks.bounded("decisions", values, _DECISIONS)
    return tuple(
        meetings.NewDecision(
            decision=_decision(f"decisions[{index}].decision", item.decision),
            action_id=optional_key(f"decisions[{index}].action_id", item.action_id, m.ACTION),
        )
        for index, item in enumerate(values)
    )


def _new(data: RecordMeetingInput) -> meetings.NewMeeting:
    return meetings.NewMeeting(
        body_id=int(node_key("body_id", data.body_id, m.GOVERNANCE_BODY)),
        held_on=_held_on("held_on", data.held_on),
        attendees=tuple(_attendees(data.attendees)),
        minutes=checks.optional_text("minutes", data.minutes, _MINUTES),
        decisions=_decisions(data.decisions),
        idempotency_key=checks.idempotency_key(data.idempotency_key),
    )


def _changes(data: UpdateMeetingInput) -> tuple[int, dict[str, Any]]:
    meeting_id = int(node_key("id", data.id, m.MEETING))
    changes: dict[str, Any] = {}
    for name, value in given(data, ("body_id", "held_on", "attendees", "minutes")).items():
        if name == "minutes":
            changes[name] = checks.optional_text(name, value, _MINUTES)
            continue
        checks.present(name, value)
        if name == "body_id":
            changes[name] = int(node_key(name, value, m.GOVERNANCE_BODY))
        elif name == "held_on":
            changes[name] = _held_on(name, value)
        else:
            changes[name] = _attendees(value)
    if not changes:
        raise Invalid(None, "input.nothing")
    return meeting_id, changes


def _payload(outcome: Outcome) -> GovernanceMeetingPayload:
    meeting = from_row(GovernanceMeeting, outcome.row) if outcome.row is not None else None
    return GovernanceMeetingPayload(meeting=meeting, errors=errors_of(outcome))


def _decision_payload(outcome: Outcome) -> MeetingDecisionPayload:
    change = outcome.row if isinstance(outcome.row, meetings.DecisionChange) else meetings.DecisionChange(None, None)
    return MeetingDecisionPayload(
        decision=from_row(MeetingDecision, change.item) if change.item is not None else None,
        meeting=from_row(GovernanceMeeting, change.meeting) if change.meeting is not None else None,
        errors=errors_of(outcome),
    )


def _new_decision(data: AddMeetingDecisionInput) -> tuple[int, meetings.NewDecision]:
    meeting_id = int(node_key("meeting_id", data.meeting_id, m.MEETING))
    item = meetings.NewDecision(
        decision=_decision("decision", data.decision),
        action_id=optional_key("action_id", data.action_id, m.ACTION),
    )
    return meeting_id, item


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(
        description="Record a meeting of a CTG's governance body, once held: the day, who attended, the minutes, "
        "its decisions (each about an action of the same CTG, or none). The Caf of the CTG's department or the "
        "CTG's local authority. Refusals come as `errors`: INVALID naming the field (a day in the future, a "
        "second meeting of the body that day, an action of another CTG), NOT_FOUND, FORBIDDEN, KEY_REUSED."
    )
    async def record_meeting(self, info: Info, input: RecordMeetingInput) -> GovernanceMeetingPayload:
        outcome = await run(
            info, lambda: _new(input), lambda database, new, actor: meetings.record_meeting(database, new, actor)
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Change a meeting: its body (of the same CTG), day, attendees or minutes. Whoever records "
        "the CTG's meetings; a stale `version` is a CONFLICT; what changes nothing is no change."
    )
    async def update_meeting(self, info: Info, input: UpdateMeetingInput) -> GovernanceMeetingPayload:
        outcome = await run(
            info,
            lambda: _changes(input),
            lambda database, update, actor: meetings.update_meeting(
                database, update[0], input.version, update[1], actor
            ),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) a meeting recorded by mistake: it and its decisions leave every read, its "
        "history is kept, and it still holds its body's day. Whoever records the CTG's meetings."
    )
    async def archive_meeting(self, info: Info, input: ArchiveMeetingInput) -> GovernanceMeetingPayload:
        outcome = await run(
            info,
            lambda: int(node_key("id", input.id, m.MEETING)),
            lambda database, meeting_id, actor: meetings.archive_meeting(database, meeting_id, input.version, actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Add a decision to a meeting, after its others, about an action of the same CTG or none. "
        "Moves the meeting's version."
    )
    async def add_meeting_decision(self, info: Info, input: AddMeetingDecisionInput) -> MeetingDecisionPayload:
        outcome = await run(
            info,
            lambda: _new_decision(input),
            lambda database, new, actor: meetings.add_decision(database, new[0], input.meeting_version, new[1], actor),
        )
        return _decision_payload(outcome)

    @strawberry.mutation(
        description="Remove a decision of a meeting; those after it move up. Moves the meeting's version."
    )
    async def remove_meeting_decision(self, info: Info, input: RemoveMeetingDecisionInput) -> MeetingDecisionPayload:
        outcome = await run(
            info,
            lambda: int(node_key("id", input.id, m.DECISION)),
            lambda database, decision_id, actor: meetings.remove_decision(
                database, decision_id, input.meeting_version, actor
            ),
        )
        return _decision_payload(outcome)
