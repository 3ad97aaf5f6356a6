"""Creating an action in a CTG, with its first partners and the objectives it serves, once per idempotency key.

The Caf of the CTG's department and the CTG's local authority create its actions (migration 0008's
`creatable_action_ctg_ids()` says the same to PostgreSQL). A new action starts as a draft; its number is
the next free one in the CTG unless the input names one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select

from auth.rules import Can, Grantor
from db.graph import mapping as m
from db.graph.mapping import ACTION, CTG, _table
from db.graph.reads import rows_by_keys
from db.graph.visibility import visible
from db.models import Action, ActionPartner, Scheme
from db.models.enums import ActionStatus
from db.policies.conditions import relations_held
from db.session import RequestDatabase
from db.writes.access import forbidden, permits, relations
from db.writes.actions.changes import FIELDS
from db.writes.actions.integrity import ctg_frame, within_ctg
from db.writes.actions.links import OBJECTIVES, PARTNER_FIELDS, PARTNERS, add_objectives, objectives_refusal
from db.writes.audit import Actor, changes_between, record
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import unseen
from db.writes.rows import insert_new, insert_rows

_action, _partner, _scheme = _table(Action), _table(ActionPartner), _table(Scheme)

MAX_NUMBER = 2**31 - 1  # action.number is an integer

CREATE_FIELDS = {**FIELDS, "uq_action_ctg_id_number": "number"}
# What the audit trail records of a new action: every column it was given, and its first links.
_RECORDED = tuple(name for name in ACTION.stored if name not in ("id", *m.TRACKED))


@dataclass(frozen=True)
class NewAction:
    """A checked createAction input, in database terms. `fields` are the action's columns (`number`
    None: the next free one); partners are (where in the input, organisation id, role) and objectives
    (input field, objective id)."""

    ctg_id: int
    fields: dict[str, Any]
    partners: tuple[tuple[str, int, str | None], ...] = ()
    objectives: tuple[tuple[str, int], ...] = ()
    idempotency_key: str | None = field(default=None, compare=False)

    def request(self) -> dict[str, Any]:
        """What it asks for, as a retry asks for it again."""
        return {
            "ctg_id": self.ctg_id,
            **self.fields,
            # Sets: in whichever order a retry lists them.
            "partners": sorted(([key, role] for _field, key, role in self.partners), key=lambda partner: partner[0]),
            "objectives": sorted(key for _field, key in self.objectives),
        }


async def create_action(database: RequestDatabase, new: NewAction, actor: Actor) -> Outcome:
    """Create the action, or return the one this idempotency key already created."""
    return await create_once(
        database,
        actor,
        new.idempotency_key,
        "createAction",
        new.request(),
        "action",
        lambda: _create(database, new, actor),
        lambda action_id: _load(database, action_id),
    )


async def _load(database: RequestDatabase, action_id: int) -> Any | None:
    return (await rows_by_keys(database, ACTION, [action_id]))[0]


async def _refusal(database: RequestDatabase, new: NewAction) -> Outcome | None:
    """Why the caller may not create this action (None if it may): the CTG, then each reference."""
    rows = await database.rows(
        select(relations_held(Grantor.SCHEME, _scheme.c.id).label("relations"))
        .select_from(CTG.source)
        .where(_scheme.c.id == new.ctg_id, *visible(CTG, database.national))
    )
    if not rows:
        return refused(Refusal.NOT_FOUND, "ctg_id", "not_found", type="Ctg")
    if not permits(Grantor.SCHEME, Can.CREATE_ACTION, relations(rows[0].relations)):
        return forbidden(Grantor.SCHEME, Can.CREATE_ACTION, "ctg_id", "create the CTG's actions")
    organisations = [
        ("carrier_id", new.fields["carrier_id"]),
        *((f"{at}.organisation_id", key) for at, key, _ in new.partners),
    ]
    return await unseen(database, m.ORGANISATION, organisations) or await objectives_refusal(
        database, new.ctg_id, new.objectives
    )


async def _number(database: RequestDatabase, new: NewAction) -> int | Outcome:
    """The number the input names if it is free, or the next free one in the CTG. Archived actions keep
    theirs. One creation at a time per CTG picks a number: the lock lasts until the request's transaction
    ends, when the number is taken for all to see."""
    lock = func.hashtextextended(f"action.number:{new.ctg_id}", 0)
    await database.rows(select(func.pg_advisory_xact_lock(lock)))
    wanted = new.fields.get("number")
    if wanted is None:
        highest = (await database.rows(select(func.max(_action.c.number)).where(_action.c.ctg_id == new.ctg_id)))[0][0]
        if highest is not None and highest >= MAX_NUMBER:
            return refused(Refusal.INVALID, "number", "action.no_next_number", highest=highest)
        return (highest or 0) + 1
    taken = await database.rows(select(_action.c.id).where(_action.c.ctg_id == new.ctg_id, _action.c.number == wanted))
    if taken:
        return refused(Refusal.INVALID, "number", "action.number_taken", number=wanted)
    return int(wanted)


async def _create(database: RequestDatabase, new: NewAction, actor: Actor) -> Outcome:
    refusal = await _refusal(database, new)
    if refusal:
        return refusal
    frame = await ctg_frame(database, new.ctg_id)
    misfit = within_ctg(frame, new.fields) if frame is not None else None
    if misfit:
        return misfit
    number = await _number(database, new)
    if isinstance(number, Outcome):
        return number
    values = {**new.fields, "ctg_id": new.ctg_id, "number": number, "status": ActionStatus.DRAFT}
    action_id = await insert_new(database, _action, values, CREATE_FIELDS)
    if isinstance(action_id, Outcome):
        return action_id
    for at, organisation_id, role in new.partners:
        partner = {"action_id": action_id, "organisation_id": organisation_id, "role": role}
        refusal = await insert_rows(database, _partner, [partner], PARTNER_FIELDS)
        if refusal:
            return replace(refusal, field=f"{at}.{refusal.field or 'organisation_id'}")
    refusal = await add_objectives(database, action_id, [key for _field, key in new.objectives])
    if refusal:
        return refusal
    row = await _load(database, action_id)
    assert row is not None, "the caller sees what it created in a CTG it may create actions in"
    changes = changes_between(dict.fromkeys(_RECORDED), row._mapping, _RECORDED)
    for collection in (PARTNERS, OBJECTIVES):
        entries = await collection.entries(database, action_id)
        if entries:
            changes[collection.name] = [[], entries]
    await record(database, actor, "action", action_id, "create", changes)
    return Outcome(row=row)
