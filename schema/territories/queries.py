"""Territory entry points."""

from __future__ import annotations

import strawberry

from db.repositories import territories
from schema.context import Info
from schema.territories.types import Department


@strawberry.type
class TerritoryQueries:
    @strawberry.field(description='A department by its INSEE code ("31", "2A", "971"); null if unknown.')
    async def department(self, info: Info, code: str) -> Department | None:
        row = await territories.department_by_code(info.context.database, code)
        return Department.from_row(row) if row else None
