"""Territory look-ups."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from db.models import Department, Organisation, Region
from db.session import RequestDatabase


async def department_by_code(database: RequestDatabase, code: str) -> Department | None:
    return await database.get(Department, code)


async def regions_by_codes(database: RequestDatabase, codes: Sequence[str]) -> list[Region | None]:
    """Regions aligned with `codes` (None where a code is unknown), in one statement."""
    found = {region.code: region for region in await database.all(select(Region).where(Region.code.in_(codes)))}  # type: ignore[attr-defined]
    return [found.get(code) for code in codes]


async def cafs_by_department(database: RequestDatabase, codes: Sequence[str]) -> list[Organisation | None]:
    """The Caf of each department code, aligned with `codes`, in one statement."""
    rows = await database.all(
        select(Organisation).where(col(Organisation.kind) == "caf", col(Organisation.department_code).in_(codes))
    )
    found = {caf.department_code: caf for caf in rows}
    return [found.get(code) for code in codes]
