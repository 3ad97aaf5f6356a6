"""Creating and changing CTGs: one node over a scheme row, its ctg row and its commune list.

A CTG is drafted by the Caf of its department, under a departmental scheme of that department (its
parent, which says the department). It covers an EPCI with communes in the department, a list of the
department's communes, or the whole department (signed with the departmental council); it may take over a CEJ
of the same department that covers part of its territory (one CTG per CEJ). The scheme row's version guards
the whole: every change moves it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from db.graph.mapping import COVERAGE, CTG, _table
from db.models import Ctg, SchemeCommune
from db.models.enums import SchemeKind, SchemeScope, SchemeStatus
from db.session import RequestDatabase
from db.writes import checks
from db.writes.audit import Actor, changes_between
from db.writes.checks import Invalid
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.rows import changed, database_refusal, insert_new, insert_rows, update_row
from db.writes.schemes import references
from db.writes.schemes.chain import parent_rule
from db.writes.schemes.guards import (
    Target,
    changeable,
    in_status,
    lock,
    record_on,
    reload,
    scheme_table,
    who_writes,
)
from db.writes.schemes.lifecycle import Part
from db.writes.schemes.schemes import (
    FIELDS,
    SCHEME_PARTS,
    created,
    may_create,
    period_and_parent,
    scheme_fields,
    scheme_period,
)

_ctg, _scheme_commune = _table(Ctg), _table(SchemeCommune)

# The ctg row's texts: column, input field, most characters.
_TEXTS = (
    ("diagnostic_summary", "diagnostic.summary", 10_000),
    ("coordinator_name", "coordinator.name", 200),
)
_LIST_LENGTH = 500  # communes or themes in one input

CTG_FIELDS = {"uq_ctg_replaces_scheme_id": "replaces_cej_id", "ck_ctg_not_self_replacing": "replaces_cej_id"}

# The ctg row's fields: which part of the CTG each is, and the input field that sets it.
CTG_PARTS = {
    "themes": (Part.SIGNED_TEXT, "themes"),
    "replaces_scheme_id": (Part.SIGNED_TEXT, "replaces_cej_id"),
    "diagnostic_date": (Part.LIVING, "diagnostic.date"),
    "diagnostic_summary": (Part.LIVING, "diagnostic.summary"),
    "coordinator_name": (Part.LIVING, "coordinator.name"),
    "coordinator_email": (Part.LIVING, "coordinator.email"),
    "coordinator_organisation_id": (Part.LIVING, "coordinator.organisation_id"),
}


@dataclass(frozen=True)
class Territory:
    """An EPCI, a list of communes (INSEE codes), or the whole department: exactly one of them."""

    epci_siren: str | None = None
    communes: tuple[str, ...] = ()
    whole_department: bool = False

    @property
    def scope(self) -> SchemeScope:
        if self.whole_department:
            return SchemeScope.DEPARTMENT
        return SchemeScope.EPCI if self.epci_siren is not None else SchemeScope.COMMUNES

    @property
    def field(self) -> str:
        if self.whole_department:
            return "whole_department"
        return "epci_id" if self.epci_siren is not None else "commune_ids"

    def check(self) -> None:
        """An EPCI, communes each listed once, or the whole department: `Invalid` otherwise."""
        if self.whole_department and (self.epci_siren is not None or self.communes):
            raise Invalid("whole_department", "ctg.territory_department_and_more")
        if self.whole_department:
            return
        if self.epci_siren is not None and self.communes:
            raise Invalid("commune_ids", "ctg.territory_epci_and_communes")
        if self.epci_siren is None and not self.communes:
            raise Invalid("commune_ids", "ctg.territory_none")
        for code in self.communes:
            checks.clean("commune_ids", code)
        checks.bounded("commune_ids", self.communes, _LIST_LENGTH)
        checks.distinct("commune_ids", self.communes)


def themes(values: tuple[str, ...]) -> list[str]:
    """A CTG's themes, each once, as stored."""
    checks.bounded("themes", values, _LIST_LENGTH)
    checks.distinct("themes", values)
    return list(values)


@dataclass(frozen=True)
class NewCtg:
    title: str
    period_start: date
    parent_id: int
    territory: Territory
    period_end: date | None = None
    summary: str | None = None
    themes: tuple[str, ...] = ()
    replaces_scheme_id: int | None = None


async def create_ctg(database: RequestDatabase, new: NewCtg, actor: Actor, key: str | None) -> Outcome:
    """A new draft CTG, once per idempotency key."""
    values = asdict(new)
    checks.idempotency_key(key)
    texts = scheme_fields({"title": new.title, "summary": new.summary, "period_start": new.period_start})
    scheme_period(new.period_start, new.period_end)
    new.territory.check()
    themes(new.themes)
    return await create_once(
        database,
        actor,
        key,
        "createCtg",
        values,
        "ctg",
        lambda: _create(database, new, texts, actor),
        lambda ctg_id: reload(database, ctg_id, CTG),
    )


async def _create(database: RequestDatabase, new: NewCtg, texts: dict[str, Any], actor: Actor) -> Outcome:
    parent = await references.scheme(database, new.parent_id, "parent_id")
    if isinstance(parent, Outcome):
        return parent
    bad = parent_rule(SchemeKind.CTG, parent.department_code, parent, "parent_id", new.period_start)
    if bad:
        return bad
    department = parent.department_code
    if not await may_create(database, SchemeKind.CTG.value, new.territory.scope.value, department):
        return refused(Refusal.FORBIDDEN, "parent_id", "ctg.creator", who=who_writes(None), department=department)
    bad = await territory_problem(database, new.territory, department)
    if not bad and new.replaces_scheme_id is not None:
        bad = await cej_problem(database, new.replaces_scheme_id, department, None)
    if bad:
        return bad
    scheme_values = {
        "kind": SchemeKind.CTG.value,
        **texts,
        "period_end": new.period_end,
        "scope": new.territory.scope.value,
        "status": SchemeStatus.DRAFT.value,
        "department_code": department,
        "epci_siren": new.territory.epci_siren,
        "parent_id": new.parent_id,
    }
    ctg_id = await insert_new(database, scheme_table, scheme_values, FIELDS)
    if isinstance(ctg_id, Outcome):
        return ctg_id
    ctg_values = {"themes": list(new.themes), "replaces_scheme_id": new.replaces_scheme_id}
    bad = await insert_rows(database, _ctg, [{"scheme_id": ctg_id, **ctg_values}], CTG_FIELDS)
    bad = bad or await _set_communes(database, ctg_id, new.territory.communes)
    if not bad and new.replaces_scheme_id is not None:
        bad = await cej_covers(database, ctg_id, new.replaces_scheme_id)
    if bad:
        return bad
    row = await reload(database, ctg_id, CTG)
    changes = created(row, {**scheme_values, **ctg_values})
    if new.territory.communes:
        changes["communes"] = [None, sorted(new.territory.communes)]
    await record_on(database, actor, Target(row, True), "create", changes)
    return Outcome(row=row)


async def territory_problem(database: RequestDatabase, territory: Territory, department: str) -> Outcome | None:
    if territory.whole_department:
        return None
    if territory.epci_siren is not None:
        return await references.epci_in(database, territory.epci_siren, department, "epci_id")
    return await references.communes_in(database, territory.communes, department, "commune_ids")


async def cej_problem(database: RequestDatabase, cej_id: int, department: str, ctg_id: int | None) -> Outcome | None:
    """None when the CEJ may be the one a CTG of `department` replaces (coverage is checked once written)."""
    cej = await references.scheme(database, cej_id, "replaces_cej_id")
    if isinstance(cej, Outcome):
        return cej
    if cej.kind != SchemeKind.CEJ.value:
        return refused(Refusal.INVALID, "replaces_cej_id", "ctg.replaces_cej_only", kind=SchemeKind(cej.kind))
    if cej.department_code != department:
        return refused(
            Refusal.INVALID,
            "replaces_cej_id",
            "ctg.cej_department",
            cejDepartment=cej.department_code,
            department=department,
        )
    others = await database.rows(
        select(_ctg.c.scheme_id).where(_ctg.c.replaces_scheme_id == cej_id, _ctg.c.scheme_id != (ctg_id or 0))
    )
    if others:
        return refused(Refusal.INVALID, "replaces_cej_id", "ctg.cej_replaced")
    return None


async def cej_covers(database: RequestDatabase, ctg_id: int, cej_id: int) -> Outcome | None:
    """None when the CEJ covered at least one commune the CTG covers."""
    ours = select(COVERAGE.c.commune_insee_code).where(COVERAGE.c.scheme_id == ctg_id)
    theirs = select(COVERAGE.c.commune_insee_code).where(COVERAGE.c.scheme_id == cej_id)
    (row,) = await database.rows(select(ours.intersect(theirs).exists()))
    if row[0]:
        return None
    return refused(Refusal.INVALID, "replaces_cej_id", "ctg.cej_elsewhere")


async def _communes(database: RequestDatabase, ctg_id: int) -> list[str]:
    rows = await database.rows(
        select(_scheme_commune.c.commune_insee_code)
        .where(_scheme_commune.c.scheme_id == ctg_id)
        .order_by(_scheme_commune.c.commune_insee_code)
    )
    return [row.commune_insee_code for row in rows]


async def _set_communes(database: RequestDatabase, ctg_id: int, communes: tuple[str, ...]) -> Outcome | None:
    await database.execute(delete(_scheme_commune).where(_scheme_commune.c.scheme_id == ctg_id))
    rows = [{"scheme_id": ctg_id, "commune_insee_code": code} for code in communes]
    return await insert_rows(database, _scheme_commune, rows)


@dataclass(frozen=True)
class CtgChanges:
    """What an update gives: the scheme row's fields, the ctg row's, and a new territory (None: kept)."""

    scheme: dict[str, Any] = field(default_factory=dict)
    ctg: dict[str, Any] = field(default_factory=dict)
    territory: Territory | None = None

    def checked(self) -> CtgChanges:
        """The changes, each value checked (`Invalid` on the first that is not right), as stored: texts
        trimmed, blank optional ones none, the e-mail address normalised."""
        scheme = scheme_fields(self.scheme)
        if self.territory:
            self.territory.check()
        ctg = dict(self.ctg)
        if "themes" in ctg:
            ctg["themes"] = themes(ctg["themes"])
        if ctg.get("diagnostic_date") is not None:
            checks.day("diagnostic.date", ctg["diagnostic_date"])
        for name, field_name, maximum in _TEXTS:
            if name in ctg:
                ctg[name] = checks.optional_text(field_name, ctg[name], maximum)
        if ctg.get("coordinator_email") is not None:
            ctg["coordinator_email"] = checks.email("coordinator.email", ctg["coordinator_email"])
        return CtgChanges(scheme=scheme, ctg=ctg, territory=self.territory)


async def update_ctg(database: RequestDatabase, ctg_id: int, version: int, given: CtgChanges, actor: Actor) -> Outcome:
    """Change a CTG if the caller may, at `version`, and if its status still lets these fields change."""
    given = given.checked()
    target = await changeable(database, ctg_id, version, spec=CTG)
    if isinstance(target, Outcome):
        return target
    if "parent_id" in given.scheme and given.scheme["parent_id"] is None:
        return refused(Refusal.INVALID, "parent_id", "ctg.parent_needed")
    invalid = await period_and_parent(database, target, given.scheme)
    if invalid:
        return invalid
    before = target.row
    scheme_changes = changed(before, given.scheme)
    ctg_changes = changed(before, given.ctg)
    communes_before = await _communes(database, target.id)
    communes_after = communes_before
    if given.territory is not None:
        territory = given.territory
        scheme_changes |= changed(before, {"scope": territory.scope.value, "epci_siren": territory.epci_siren})
        communes_after = sorted(territory.communes)
    invalid = _frozen(target, scheme_changes, ctg_changes, communes_before != communes_after, given.territory)
    invalid = invalid or await _references(database, target, given, ctg_changes)
    if invalid:
        return invalid
    if not scheme_changes and not ctg_changes and communes_after == communes_before:
        return Outcome(row=before)
    written = await _write(database, target, version, scheme_changes, ctg_changes, communes_after, communes_before)
    if written:
        return written
    after = await reload(database, target.id, CTG)
    changes = changes_between(before._mapping, after._mapping, (*scheme_changes, *ctg_changes))
    if communes_after != communes_before:
        changes["communes"] = [communes_before, communes_after]
    await record_on(database, actor, target, "update", changes)
    return Outcome(row=after)


def _frozen(
    target: Target,
    scheme_changes: dict[str, Any],
    ctg_changes: dict[str, Any],
    communes_change: bool,
    territory: Territory | None,
) -> Outcome | None:
    """The first change the CTG's status no longer allows."""
    if territory is not None and (communes_change or {"scope", "epci_siren"} & scheme_changes.keys()):
        frozen = in_status(target, Part.SIGNED_TEXT, "territory", territory.field)
        if frozen:
            return frozen
    for name in scheme_changes.keys() - {"scope", "epci_siren"}:
        frozen = in_status(target, SCHEME_PARTS[name], name.replace("_", " "), name)
        if frozen:
            return frozen
    for name in ctg_changes:
        part, input_field = CTG_PARTS[name]
        frozen = in_status(target, part, input_field.replace(".", " ").replace("_", " "), input_field)
        if frozen:
            return frozen
    return None


async def _references(
    database: RequestDatabase, target: Target, given: CtgChanges, ctg_changes: dict[str, Any]
) -> Outcome | None:
    department = target.row.department_code
    if given.territory is not None:
        bad = await territory_problem(database, given.territory, department)
        if bad:
            return bad
    organisation_id = ctg_changes.get("coordinator_organisation_id")
    if organisation_id is not None:
        found = await references.organisation(database, organisation_id, "coordinator.organisation_id")
        if isinstance(found, Outcome):
            return found
    cej_id = ctg_changes.get("replaces_scheme_id")
    if cej_id is not None:
        if cej_id == target.id:
            return refused(Refusal.INVALID, "replaces_cej_id", "ctg.replaces_itself")
        return await cej_problem(database, cej_id, department, target.id)
    return None


async def _write(
    database: RequestDatabase,
    target: Target,
    version: int,
    scheme_changes: dict[str, Any],
    ctg_changes: dict[str, Any],
    communes_after: list[str],
    communes_before: list[str],
) -> Outcome | None:
    """Write the changes, the scheme row first: its version check (or lock) keeps concurrent changes out."""
    if scheme_changes:
        outcome = await update_row(database, scheme_table, {"id": target.id}, version, scheme_changes, FIELDS)
        if outcome.refused:
            return outcome
    else:
        locked = await lock(database, target, version, "version")
        if locked:
            return locked
    if ctg_changes:
        try:
            await database.execute(update(_ctg).where(_ctg.c.scheme_id == target.id).values(**ctg_changes))
        except DBAPIError as error:
            return database_refusal(error, _ctg, CTG_FIELDS)
    if communes_after != communes_before:
        bad = await _set_communes(database, target.id, tuple(communes_after))
        if bad:
            return bad
    cej_id = ctg_changes.get("replaces_scheme_id", target.row.replaces_scheme_id)
    territory_moved = communes_after != communes_before or {"scope", "epci_siren"} & scheme_changes.keys()
    if cej_id is not None and (territory_moved or "replaces_scheme_id" in ctg_changes):
        return await cej_covers(database, target.id, cej_id)
    return None
