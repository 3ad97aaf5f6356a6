"""Creating, changing and archiving organisations: their territory, the caller's capacities, the audit trail.

Callers come with values already checked one by one (formats, check digits, lengths); what needs the
database is checked here: the territory they name exists and agrees with itself, the caller may hold an
organisation there, nobody else holds the same SIREN, SIRET, RNA, EPCI or commune.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from auth.rules import NETWORK_KINDS, ORGANISATION_CONTACT_FIELDS, Key
from db.graph.mapping import ORGANISATION, TRACKED, _table
from db.graph.reads import rows_by_keys
from db.graph.visibility import visible
from db.models import Commune, Department, Epci, Organisation
from db.models.enums import OrganisationKind
from db.policies.conditions import holds, holds_any, organisation_creator, organisation_steward
from db.session import RequestDatabase
from db.writes.access import allows
from db.writes.audit import Actor, changes_between, record
from db.writes.idempotency import create_once
from db.writes.outcome import Outcome, Refusal, camel, refused
from db.writes.rows import changed, insert_new, update_row
from db.writes.versions import stale

_organisation = _table(Organisation)
_department, _epci, _commune = _table(Department), _table(Epci), _table(Commune)

# Constraints whose name does not say which input field they are about.
FIELDS = {
    "uq_organisation_caf_department": "department_id",
    "uq_organisation_epci": "epci_id",
    "uq_organisation_commune": "commune_id",
    "fk_organisation_department_code_department": "department_id",
    "fk_organisation_epci_siren_epci": "epci_id",
    "fk_organisation_commune_insee_code_commune": "commune_id",
    "ck_organisation_caf_has_department": "department_id",
    "ck_organisation_epci_has_territory": "epci_id",
    "ck_organisation_commune_has_territory": "commune_id",
}
# Values are checked before they are written, so the database refusing one of these fields as INVALID
# means another organisation holds it already.
_TAKEN = {
    "siren": "organisation.siren_taken",
    "siret": "organisation.siret_taken",
    "rna": "organisation.rna_taken",
    "epci_id": "organisation.epci_taken",
    "commune_id": "organisation.commune_taken",
    "department_id": "organisation.department_taken",
}
_NETWORK = frozenset({OrganisationKind.CAF.value, OrganisationKind.CNAF.value})
# Kinds whose organisation is, or is the Caf of, a territory: their territory never changes.
_TERRITORIAL = _NETWORK | {OrganisationKind.EPCI.value, OrganisationKind.COMMUNE.value}
_WRITTEN = tuple(name for name in ORGANISATION.columns if name not in ("id", *TRACKED))


def _explained(outcome: Outcome) -> Outcome:
    if outcome.refusal is Refusal.INVALID and outcome.field in _TAKEN:
        return refused(Refusal.INVALID, outcome.field, _TAKEN[outcome.field])
    return outcome


async def _one(database: RequestDatabase, statement: Any) -> Any | None:
    rows = await database.rows(statement)
    return rows[0] if rows else None


async def _territory(database: RequestDatabase, values: Mapping[str, Any]) -> str | Outcome | None:
    """The organisation's department: as given, or that of the EPCI or commune it is; or the refusal."""
    department = values.get("department_code")
    if (
        department is not None
        and await _one(database, select(_department.c.code).where(_department.c.code == department)) is None
    ):
        return refused(Refusal.NOT_FOUND, "department_id", "not_found", type="Department")
    commune = values.get("commune_insee_code")
    if commune is not None:
        found = await _one(database, select(_commune.c.department_code).where(_commune.c.insee_code == commune))
        if found is None:
            return refused(Refusal.NOT_FOUND, "commune_id", "not_found", type="Commune")
        if department is not None and department != found.department_code:
            return refused(
                Refusal.INVALID, "department_id", "organisation.commune_department", department=found.department_code
            )
        return str(found.department_code)
    epci = values.get("epci_siren")
    if epci is not None:
        if await _one(database, select(_epci.c.siren).where(_epci.c.siren == epci)) is None:
            return refused(Refusal.NOT_FOUND, "epci_id", "not_found", type="Epci")
        spanned = select(_commune.c.department_code).where(_commune.c.epci_siren == epci).distinct()
        departments = sorted(str(row.department_code) for row in await database.rows(spanned))
        if department is None and len(departments) == 1:
            return str(departments[0])
        if department is None or department not in departments:
            return refused(
                Refusal.INVALID,
                "department_id",
                "organisation.epci_departments",
                departments=departments,
            )
    return department


async def organisation_row(database: RequestDatabase, organisation_id: int) -> Any | None:
    """The organisation as the caller sees it (None when it does not, or when it is archived)."""
    return (await rows_by_keys(database, ORGANISATION, [organisation_id]))[0]


async def create_organisation(
    database: RequestDatabase,
    values: dict[str, Any],
    actor: Actor,
    idempotency_key: str | None,
) -> Outcome:
    """Create the organisation, once per idempotency key, if its territory holds and the caller may."""

    async def create() -> Outcome:
        department = await _territory(database, values)
        if isinstance(department, Outcome):
            return department
        denied = await _permitted(database, values["kind"], department)
        if denied is not None:
            return denied
        organisation_id = await insert_new(database, _organisation, {**values, "department_code": department}, FIELDS)
        if isinstance(organisation_id, Outcome):
            return _explained(organisation_id)
        row = await organisation_row(database, organisation_id)
        assert row is not None, "its Caf or a Cnaf manager sees the organisation it created"
        outcome = Outcome(row=row)
        created = row._mapping
        nothing = dict.fromkeys(_WRITTEN)
        await record(
            database, actor, "organisation", created["id"], "create", changes_between(nothing, created, _WRITTEN)
        )
        return outcome

    async def load(organisation_id: int) -> Any | None:
        return await organisation_row(database, organisation_id)

    return await create_once(
        database, actor, idempotency_key, "createOrganisation", values, "organisation", create, load
    )


async def _with_capacities(database: RequestDatabase, organisation_id: int) -> Any | None:
    """The organisation as the caller sees it, with whether it changes it fully (`as_editor`: a Cnaf
    manager, or the Caf of its department) or as one of its admins (`as_admin`), as the write policies say."""
    return await _one(
        database,
        select(
            *[column.label(name) for name, column in ORGANISATION.columns.items()],
            organisation_steward(_organisation).label("as_editor"),
            holds(Key.ADMIN, _organisation.c.id).label("as_admin"),
        ).where(_organisation.c.id == organisation_id, *visible(ORGANISATION, database.national)),
    )


async def _permitted(database: RequestDatabase, kind: str, department_code: str | None) -> Outcome | None:
    """None when the caller may hold an organisation of this kind in this department; otherwise why not."""
    if await allows(database, organisation_creator, {"kind": kind, "department_code": department_code}):
        return None
    if kind in NETWORK_KINDS:
        return refused(Refusal.FORBIDDEN, "kind", "organisation.network_kind", kind=OrganisationKind(kind))
    # A Caf's staff would be allowed in their own department; others, nowhere.
    elsewhere = (await database.rows(select(holds_any(Key.CAF))))[0][0]
    return refused(
        Refusal.FORBIDDEN,
        "department_id" if elsewhere else None,
        "organisation.creator",
    )


async def _changeable(database: RequestDatabase, organisation_id: int) -> Any | Outcome:
    found = await _with_capacities(database, organisation_id)
    if found is None:
        return refused(Refusal.NOT_FOUND, "id", "not_found", type="Organisation")
    if not (found.as_editor or found.as_admin):
        return refused(Refusal.FORBIDDEN, "id", "read_only", type="Organisation")
    return found


async def _moved(database: RequestDatabase, before: Any, changes: Mapping[str, Any]) -> Outcome | None:
    """Why the organisation may not take this kind or department, if it may not."""
    kind = changes.get("kind", before.kind)
    if "kind" in changes and kind != before.kind and {kind, before.kind} & _TERRITORIAL:
        return refused(Refusal.INVALID, "kind", "organisation.kind_kept")
    if "department_code" not in changes or changes["department_code"] == before.department_code:
        return None if "kind" not in changes else await _permitted(database, kind, before.department_code)
    if before.kind in _TERRITORIAL:
        return refused(Refusal.INVALID, "department_id", "organisation.department_kept")
    department = await _territory(database, {"department_code": changes["department_code"]})
    if isinstance(department, Outcome):
        return department
    return await _permitted(database, kind, department)


async def update_organisation(
    database: RequestDatabase,
    organisation_id: int,
    version: int,
    changes: dict[str, Any],
    actor: Actor,
) -> Outcome:
    """Apply `changes` if the caller may (its admins: `contact_fields` only), and if nobody changed the
    organisation since `version`."""
    found = await _changeable(database, organisation_id)
    if isinstance(found, Outcome):
        return found
    before = found
    if not before.as_editor:
        for name in changes:
            if name not in ORGANISATION_CONTACT_FIELDS:
                field = "department_id" if name == "department_code" else name
                return refused(
                    Refusal.FORBIDDEN,
                    field,
                    "organisation.admin_fields",
                    fields=sorted(camel(name) for name in ORGANISATION_CONTACT_FIELDS),
                )
    siren, siret = changes.get("siren", before.siren), changes.get("siret", before.siret)
    if siren is not None and siret is not None and siret[:9] != siren:
        field = "siret" if "siret" in changes else "siren"
        return refused(Refusal.INVALID, field, "organisation.siret_siren")
    conflict = stale(version, before.version, noun="organisation")
    if conflict is not None:
        return conflict
    moved = await _moved(database, before, changes)
    if moved is not None:
        return moved
    changes = changed(before, changes)
    if not changes:
        # Nothing would change: no new version, no history entry.
        return Outcome(row=before)
    outcome = _explained(await update_row(database, _organisation, {"id": before.id}, version, changes, FIELDS))
    if outcome.row is None:
        return outcome
    after = outcome.row._mapping
    await record(
        database, actor, "organisation", before.id, "update", changes_between(before._mapping, after, tuple(changes))
    )
    return outcome


async def archive_organisation(database: RequestDatabase, organisation_id: int, version: int, actor: Actor) -> Outcome:
    """Archive the organisation unless others still need it: it leaves every read and is changed no more."""
    found = await _changeable(database, organisation_id)
    if isinstance(found, Outcome):
        return found
    if not found.as_editor:
        return refused(Refusal.FORBIDDEN, "id", "organisation.archiver")
    if found.kind in _NETWORK:
        return refused(Refusal.IN_USE, "id", "organisation.network_kept")
    # Counted whoever may see the actions: one the caller cannot see needs its carrier as much.
    (carries,) = (await database.rows(select(func.carries_live_actions(found.id))))[0]
    if carries:
        return refused(Refusal.IN_USE, "id", "organisation.carries_actions")
    conflict = stale(version, found.version, noun="organisation")
    if conflict is not None:
        return conflict
    outcome = await update_row(database, _organisation, {"id": found.id}, version, {"archived_at": func.now()}, FIELDS)
    if outcome.row is None:
        return outcome
    changes = changes_between({"archived_at": None}, outcome.row._mapping, ("archived_at",))
    await record(database, actor, "organisation", found.id, "archive", changes)
    return outcome
