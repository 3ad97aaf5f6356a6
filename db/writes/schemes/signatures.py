"""A scheme's signatories: planned (organisation and role, no date), signed (the day), or taken off.

Signatories belong to what is signed: they change while the scheme is a draft only. Each change moves
the scheme's version and is recorded on it (`signatures`: the signatory before → after).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select

from db.graph.mapping import SIGNATURE, _table
from db.graph.reads import rows_by_keys
from db.models import Signature
from db.session import RequestDatabase
from db.writes import checks
from db.writes.audit import Actor
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import one
from db.writes.rows import insert_new, update_row
from db.writes.schemes import references
from db.writes.schemes.guards import LinkChange, Target, changeable, in_status, record_on, reload, snapshot, touch
from db.writes.schemes.lifecycle import Part

_signature = _table(Signature)

ITEM = ("id", "organisation_id", "role", "signed_on")
FIELDS = {"uq_signature_scheme_id_organisation_id": "organisation_id", "ck_signature_role_length": "role"}


async def _open(database: RequestDatabase, scheme_id: int, version: int, id_field: str) -> Target | Outcome:
    """The scheme, if the caller may change its signatories now."""
    target = await changeable(database, scheme_id, version, id_field=id_field, version_field="scheme_version")
    if isinstance(target, Outcome):
        return target
    return _frozen(target, id_field) or target


def _frozen(target: Target, id_field: str) -> Outcome | None:
    """The refusal when the scheme's status no longer lets its signatories change."""
    return in_status(target, Part.SIGNED_TEXT, "signatories", id_field)


async def add_signatory(
    database: RequestDatabase, scheme_id: int, version: int, organisation_id: int, role: str, actor: Actor
) -> Outcome:
    """Plan an organisation's signature, in a role, not yet dated."""
    role = checks.text("role", role, 200)
    target = await _open(database, scheme_id, version, "scheme_id")
    if isinstance(target, Outcome):
        return target
    organisation = await references.organisation(database, organisation_id, "organisation_id")
    if isinstance(organisation, Outcome):
        return organisation
    already = await database.rows(
        select(_signature.c.id).where(
            _signature.c.scheme_id == target.id, _signature.c.organisation_id == organisation_id
        )
    )
    if already:
        return refused(
            Refusal.INVALID, "organisation_id", "scheme.already_signs", organisation=organisation.name, type=target.noun
        )
    touched = await touch(database, target, version, "scheme_version")
    if touched:
        return touched
    signature_id = await insert_new(
        database, _signature, {"scheme_id": target.id, "organisation_id": organisation_id, "role": role}, FIELDS
    )
    if isinstance(signature_id, Outcome):
        return signature_id
    (signature,) = await rows_by_keys(database, SIGNATURE, [signature_id])
    await record_on(database, actor, target, "update", {"signatures": [None, snapshot(signature, ITEM)]})
    return Outcome(row=LinkChange(await reload(database, target.id), signature))


async def _moved(database: RequestDatabase, target: Target, version: int) -> Outcome | None:
    """Move the scheme one version on for a change of one of its signatures, if its status still lets its
    signatories change; otherwise, or when it moved on since `version`, the refusal."""
    return _frozen(target, "id") or await touch(database, target, version, "scheme_version")


async def _signatory(database: RequestDatabase, signature_id: int, version: int) -> tuple[Any, Target] | Outcome:
    """The signature and its scheme, if the caller may change the scheme and it is still at `version`."""
    signature = await one(database, SIGNATURE, signature_id, "id", "signature")
    if isinstance(signature, Outcome):
        return signature
    target = await changeable(database, signature.scheme_id, version, version_field="scheme_version")
    return target if isinstance(target, Outcome) else (signature, target)


async def record_signature(
    database: RequestDatabase, signature_id: int, version: int, signed_on: date, actor: Actor, today: date
) -> Outcome:
    """Record the day a signatory signed (or correct it, while the scheme is a draft). The day it holds
    already is no change: no new version, no history entry, whatever the scheme's status."""
    checks.not_after("signed_on", checks.day("signed_on", signed_on), today)
    found = await _signatory(database, signature_id, version)
    if isinstance(found, Outcome):
        return found
    before, target = found
    if before.signed_on == signed_on:
        return Outcome(row=LinkChange(target.row, before))
    moved = await _moved(database, target, version)
    if moved:
        return moved
    updated = await update_row(database, _signature, {"id": before.id}, before.version, {"signed_on": signed_on})
    if updated.row is None:
        return updated
    await record_on(
        database, actor, target, "update", {"signatures": [snapshot(before, ITEM), snapshot(updated.row, ITEM)]}
    )
    return Outcome(row=LinkChange(await reload(database, target.id), updated.row))


async def remove_signatory(database: RequestDatabase, signature_id: int, version: int, actor: Actor) -> Outcome:
    """Take a signatory off a draft scheme."""
    found = await _signatory(database, signature_id, version)
    if isinstance(found, Outcome):
        return found
    before, target = found
    moved = await _moved(database, target, version)
    if moved:
        return moved
    await database.execute(delete(_signature).where(_signature.c.id == before.id))
    await record_on(database, actor, target, "update", {"signatures": [snapshot(before, ITEM), None]})
    return Outcome(row=LinkChange(await reload(database, target.id), None))
