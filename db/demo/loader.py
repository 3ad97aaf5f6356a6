"""Writing the demo content: organisations, schemes and what hangs off them, CTGs, then the action plans.

Each table is written with idempotent upserts (schemes one generation at a time, since a parent must
exist before its children). Ids are looked up by `ref`, or by natural key, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.demo import actions_31, actions_44, plans, steering
from db.demo.ctgs import CTGS
from db.demo.equipment import write_facilities
from db.demo.lookup import ids_by_ref, missing
from db.demo.organisations import COMMUNES, EPCIS, ORGANISATIONS
from db.demo.records import Action, ObjectiveRef, Scheme
from db.demo.report import DemoReport
from db.demo.schemes import CEJS, COGS, DEPARTMENTAL
from db.demo.upsert import Row, table_of, upsert
from db.models import (
    Commune,
    Ctg,
    Epci,
    GovernanceBody,
    Organisation,
    SchemeCommune,
    SchemeObjective,
    Signature,
)
from db.models import Scheme as SchemeTable
from db.models.enums import OrganisationKind

SCHEMES: tuple[Scheme, ...] = (*COGS, *DEPARTMENTAL, *CEJS, *(ctg.scheme for ctg in CTGS))
ACTIONS: tuple[Action, ...] = actions_31.ACTIONS + actions_44.ACTIONS


async def write_demo(connection: AsyncConnection, report: DemoReport) -> None:
    organisations = await _write_organisations(connection, report)
    schemes = await _write_schemes(connection, organisations, report)
    objectives = await _objective_ids(connection, schemes)
    await _write_ctgs(connection, schemes, organisations, report)
    campaigns = await steering.write_campaigns(connection, organisations, report)
    department = {ctg.scheme.ref: ctg.scheme.department_code for ctg in CTGS}

    def campaign_of(action: Action, year: int) -> int | None:
        ref = steering.campaign_of(department[action.ctg], year)
        return campaigns[ref] if ref else None

    actions = await plans.write_plans(connection, ACTIONS, schemes, organisations, objectives, campaign_of, report)
    await steering.write_meetings(connection, schemes, await _body_ids(connection, schemes), actions, report)
    await write_facilities(connection, organisations, report)


async def _write_organisations(connection: AsyncConnection, report: DemoReport) -> dict[str, int]:
    epci, commune = table_of(Epci), table_of(Commune)
    epci_rows = await connection.execute(
        select(epci.c.siren, epci.c.name).where(epci.c.siren.in_([e.siren for e in EPCIS]))
    )
    epci_names: dict[str, str] = dict(epci_rows.all())
    commune_rows = await connection.execute(
        select(commune.c.insee_code, commune.c.siren, commune.c.department_code).where(
            commune.c.insee_code.in_([c.insee_code for c in COMMUNES])
        )
    )
    communes = {code: (siren, department) for code, siren, department in commune_rows}
    if len(epci_names) < len(EPCIS):
        raise missing("EPCIs", {e.siren for e in EPCIS} - epci_names.keys())
    if len(communes) < len(COMMUNES):
        raise missing("communes", {c.insee_code for c in COMMUNES} - communes.keys())

    rows: list[Row] = [
        _organisation(o.ref, o.kind, o.name, o.department_code, acronym=o.acronym, rna=o.rna) for o in ORGANISATIONS
    ]
    rows += [
        _organisation(
            e.ref, OrganisationKind.EPCI, epci_names[e.siren], e.department_code, siren=e.siren, epci_siren=e.siren
        )
        for e in EPCIS
    ]
    rows += [
        _organisation(
            c.ref,
            OrganisationKind.COMMUNE,
            c.name,
            communes[c.insee_code][1],
            siren=communes[c.insee_code][0],
            commune_insee_code=c.insee_code,
        )
        for c in COMMUNES
    ]
    await upsert(connection, Organisation, ("ref",), rows, report)
    signatories = {s.organisation for scheme in SCHEMES for s in scheme.signatories}
    carriers = {a.carrier for a in ACTIONS} | {p.organisation for a in ACTIONS for p in a.partners}
    coordinators = {ctg.coordinator for ctg in CTGS}
    written = {row["ref"] for row in rows}
    return await ids_by_ref(connection, Organisation, written | signatories | carriers | coordinators)


def _organisation(
    ref: str,
    kind: OrganisationKind,
    name: str,
    department_code: str | None,
    *,
    acronym: str | None = None,
    siren: str | None = None,
    rna: str | None = None,
    epci_siren: str | None = None,
    commune_insee_code: str | None = None,
) -> Row:
    return {
        "ref": ref,
        "kind": kind.value,
        "name": name,
        "acronym": acronym,
        "siren": siren,
        "rna": rna,
        "department_code": department_code,
        "epci_siren": epci_siren,
        "commune_insee_code": commune_insee_code,
    }


def _generations(schemes: Iterable[Scheme]) -> list[list[Scheme]]:
    """Schemes grouped so that every parent comes in an earlier group than its children."""
    remaining, placed, generations = list(schemes), set[str](), []
    while remaining:
        ready = [s for s in remaining if s.parent is None or s.parent in placed]
        if not ready:
            raise ValueError(f"scheme parents are unknown or circular: {sorted(s.ref for s in remaining)}")
        generations.append(ready)
        placed.update(s.ref for s in ready)
        remaining = [s for s in remaining if s.ref not in placed]
    return generations


async def _write_schemes(
    connection: AsyncConnection, organisations: dict[str, int], report: DemoReport
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for generation in _generations(SCHEMES):
        rows: list[Row] = [
            {
                "ref": s.ref,
                "kind": s.kind.value,
                "title": s.title,
                "summary": s.summary,
                "period_start": s.period_start,
                "period_end": s.period_end,
                "scope": s.scope.value,
                "status": s.status.value,
                "department_code": s.department_code,
                "epci_siren": s.epci_siren,
                "parent_id": ids[s.parent] if s.parent else None,
                "source_url": s.source_url,
            }
            for s in generation
        ]
        await upsert(connection, SchemeTable, ("ref",), rows, report)
        ids |= await ids_by_ref(connection, SchemeTable, (s.ref for s in generation))

    communes = [{"scheme_id": ids[s.ref], "commune_insee_code": code} for s in SCHEMES for code in s.communes]
    await upsert(connection, SchemeCommune, ("scheme_id", "commune_insee_code"), communes, report)
    objectives = [
        {"scheme_id": ids[s.ref], "position": position, "title": o.title, "description": o.description}
        for s in SCHEMES
        for position, o in enumerate(s.objectives, start=1)
    ]
    await upsert(connection, SchemeObjective, ("scheme_id", "position"), objectives, report)
    signatures = [
        {
            "scheme_id": ids[s.ref],
            "organisation_id": organisations[signatory.organisation],
            "role": signatory.role,
            "signed_on": signatory.signed_on,
        }
        for s in SCHEMES
        for signatory in s.signatories
    ]
    await upsert(connection, Signature, ("scheme_id", "organisation_id"), signatures, report)
    return ids


async def _body_ids(connection: AsyncConnection, schemes: dict[str, int]) -> dict[tuple[int, int], int]:
    """Governance bodies by (CTG id, position)."""
    table = table_of(GovernanceBody)
    rows = await connection.execute(
        select(table.c.ctg_id, table.c.position, table.c.id).where(table.c.ctg_id.in_(schemes.values()))
    )
    return {(ctg_id, position): id_ for ctg_id, position, id_ in rows}


async def _objective_ids(connection: AsyncConnection, schemes: dict[str, int]) -> dict[ObjectiveRef, int]:
    table = table_of(SchemeObjective)
    refs = {id_: ref for ref, id_ in schemes.items()}
    rows = await connection.execute(
        select(table.c.scheme_id, table.c.position, table.c.id).where(table.c.scheme_id.in_(refs))
    )
    return {ObjectiveRef(refs[scheme_id], position): id_ for scheme_id, position, id_ in rows}


async def _write_ctgs(
    connection: AsyncConnection, schemes: dict[str, int], organisations: dict[str, int], report: DemoReport
) -> None:
    rows: list[Row] = [
        {
            "scheme_id": schemes[ctg.scheme.ref],
            "themes": [theme.value for theme in ctg.themes],
            "diagnostic_date": ctg.diagnostic_date,
            "diagnostic_summary": ctg.diagnostic_summary,
            "coordinator_name": ctg.coordinator_name,
            "coordinator_email": ctg.coordinator_email,
            "coordinator_organisation_id": organisations[ctg.coordinator],
            "replaces_scheme_id": schemes[ctg.replaces] if ctg.replaces else None,
        }
        for ctg in CTGS
    ]
    await upsert(connection, Ctg, ("scheme_id",), rows, report)
    bodies = [
        {
            "ctg_id": schemes[ctg.scheme.ref],
            "position": position,
            "name": body.name,
            "composition": body.composition,
            "meeting_frequency": body.meeting_frequency,
        }
        for ctg in CTGS
        for position, body in enumerate(ctg.governance, start=1)
    ]
    await upsert(connection, GovernanceBody, ("ctg_id", "position"), bodies, report)
