"""GraphQL types of the territory reference."""

from __future__ import annotations

import strawberry

from db import models
from schema.context import Info


@strawberry.type(description="A region (région), or an overseas collectivity listed as one.")
class Region:
    code: str = strawberry.field(description='INSEE code of the region, e.g. "76" for Occitanie.')
    name: str = strawberry.field(description='Official name (nom), e.g. "Occitanie".')

    @classmethod
    def from_row(cls, row: models.Region) -> Region:
        return cls(code=row.code, name=row.name)


@strawberry.type(description="An organisation (organisme): a Caf, the Cnaf, a local authority, an association...")
class Organisation:
    name: str = strawberry.field(description='Name, e.g. "Caf de la Haute-Garonne".')
    acronym: str | None = strawberry.field(description='Short name (sigle), e.g. "Caf 31".')

    @classmethod
    def from_row(cls, row: models.Organisation) -> Organisation:
        return cls(name=row.name, acronym=row.acronym)


@strawberry.type(description="A department (département) or an overseas collectivity (collectivité d'outre-mer).")
class Department:
    code: str = strawberry.field(description='INSEE code: "31", "2A", "971"...')
    name: str = strawberry.field(description='Official name (nom), e.g. "Haute-Garonne".')
    region_code: strawberry.Private[str]

    @strawberry.field(description="The region the department belongs to.")
    async def region(self, info: Info) -> Region:
        row = await info.context.territories.region_by_code.load(self.region_code)
        assert row is not None, "department.region_code is a foreign key"
        return Region.from_row(row)

    @strawberry.field(
        description="The department's Caf (caisse d'Allocations familiales); null for overseas collectivities."
    )
    async def caf(self, info: Info) -> Organisation | None:
        row = await info.context.territories.caf_by_department.load(self.code)
        return Organisation.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: models.Department) -> Department:
        return cls(code=row.code, name=row.name, region_code=row.region_code)
