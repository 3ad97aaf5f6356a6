"""The rows a scheme's input refers to, as the caller sees them (`db.writes.references`): an unknown row and a
hidden one are both NOT_FOUND.

The territory reference (departments, EPCIs, communes) is public; organisations and schemes are read
through the caller's visibility, never archived.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from db.graph.mapping import COMMUNE, DEPARTMENT, EPCI, EPCI_PRESENCE, ORGANISATION, SCHEME, _table
from db.graph.reads import rows_by_keys
from db.models import Epci
from db.session import RequestDatabase
from db.writes.checks import well_formed
from db.writes.outcome import Outcome, Refusal, refused
from db.writes.references import one

_epci = _table(Epci)


async def department(database: RequestDatabase, code: str, field: str) -> Any | Outcome:
    return await one(database, DEPARTMENT, code, field, "department")


async def organisation(database: RequestDatabase, organisation_id: int, field: str) -> Any | Outcome:
    return await one(database, ORGANISATION, organisation_id, field, "organisation")


async def scheme(database: RequestDatabase, scheme_id: int, field: str) -> Any | Outcome:
    return await one(database, SCHEME, scheme_id, field, "scheme")


async def epci_in(database: RequestDatabase, siren: str, department_code: str, field: str) -> Outcome | None:
    """None when the EPCI exists and has member communes in the department."""
    if not well_formed(EPCI.type_name, siren):
        return refused(Refusal.NOT_FOUND, field, "not_found", type="Epci")
    rows = await database.rows(
        select(
            _epci.c.name,
            select(EPCI_PRESENCE.c.department_code)
            .where(EPCI_PRESENCE.c.epci_siren == siren, EPCI_PRESENCE.c.department_code == department_code)
            .exists()
            .label("present"),
        ).where(_epci.c.siren == siren)
    )
    if not rows:
        return refused(Refusal.NOT_FOUND, field, "not_found", type="Epci")
    if not rows[0].present:
        return refused(Refusal.INVALID, field, "ctg.epci_outside", epci=rows[0].name, department=department_code)
    return None


async def communes_in(
    database: RequestDatabase, codes: Sequence[str], department_code: str, field: str
) -> Outcome | None:
    """None when every commune exists and lies in the department."""
    unknown = [code for code in codes if not well_formed(COMMUNE.type_name, code)]
    rows = await rows_by_keys(database, COMMUNE, [code for code in codes if code not in unknown])
    found = {row.insee_code: row for row in rows if row is not None}
    unknown += [code for code in codes if code not in found and code not in unknown]
    if unknown:
        return refused(Refusal.NOT_FOUND, field, "ctg.communes_unknown", communes=list(unknown))
    elsewhere = [f"{row.name} ({code})" for code, row in found.items() if row.department_code != department_code]
    if elsewhere:
        return refused(Refusal.INVALID, field, "ctg.communes_outside", department=department_code, communes=elsewhere)
    return None
