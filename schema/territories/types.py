"""GraphQL types of the territory reference: regions, departments, EPCIs, communes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import EpciKind, TerritoryZone
from schema.nodes import edge_field, from_row, load_node
from schema.relay import Node

if TYPE_CHECKING:
    from schema.ctgs.types import Ctg
    from schema.organisations.types import Organisation
    from schema.schemes.types import Scheme

CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
SchemeRef = Annotated["Scheme", strawberry.lazy("schema.schemes.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]


@strawberry.type(description="A region (région), or an overseas collectivity listed as one.")
class Region(Node):
    spec: ClassVar[NodeSpec] = m.REGION
    key: strawberry.Private[Any]
    code: str = strawberry.field(description='INSEE code (code région), e.g. "76" for Occitanie.')
    name: str = strawberry.field(description='Official name (nom), e.g. "Occitanie".')
    zone: TerritoryZone = strawberry.field(description="Metropolitan, overseas department or collectivity.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")

    departments = edge_field(m.REGION_DEPARTMENTS, "The departments (départements) of the region.")


@strawberry.type(description="A department (département) or an overseas collectivity (collectivité d'outre-mer).")
class Department(Node):
    spec: ClassVar[NodeSpec] = m.DEPARTMENT
    key: strawberry.Private[Any]
    region_code: strawberry.Private[str]
    code: str = strawberry.field(description='INSEE code (code département): "31", "2A", "971"...')
    name: str = strawberry.field(description='Official name (nom), e.g. "Haute-Garonne".')
    zone: TerritoryZone = strawberry.field(description="Metropolitan, overseas department or collectivity.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")

    @strawberry.field(description="The region the department belongs to.")
    async def region(self, info: Info) -> Region:
        region = await load_node(info, Region, self.region_code)
        assert region is not None, "department.region_code is a foreign key"
        return region

    @strawberry.field(description="The department's Caf (caisse d'Allocations familiales); null for collectivities.")
    async def caf(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import CAF_OF_DEPARTMENT, Organisation

        row = await CAF_OF_DEPARTMENT(info).load(self.code)
        return from_row(Organisation, row) if row is not None else None

    epcis = edge_field(m.DEPARTMENT_EPCIS, "The EPCIs with at least one member commune in the department.")

    communes = edge_field(m.DEPARTMENT_COMMUNES, "The department's current communes.")

    schemes = edge_field(
        m.DEPARTMENT_SCHEMES, "Schemes of the department: departmental schemes, CEJs and CTGs (not national ones)."
    )

    ctgs = edge_field(m.DEPARTMENT_CTGS, "The CTGs (conventions territoriales globales) of the department.")

    facilities = edge_field(m.DEPARTMENT_FACILITIES, "The facilities (équipements) of the department's communes.")


@strawberry.type(
    description="An EPCI (établissement public de coopération intercommunale à fiscalité propre): "
    "communauté de communes, d'agglomération, urbaine, or métropole."
)
class Epci(Node):
    spec: ClassVar[NodeSpec] = m.EPCI
    key: strawberry.Private[Any]
    siren: str = strawberry.field(description="SIREN number, the EPCI's national identifier (9 digits).")
    name: str = strawberry.field(description='Official name, e.g. "Toulouse Métropole".')
    kind: EpciKind = strawberry.field(description="EPCI type (CC, CA, CU, METRO, MET69).")
    financing_mode: str = strawberry.field(description="Tax regime: FPU (fiscalité professionnelle unique) or FA.")
    population: int = strawberry.field(description="Total legal population (population totale).")
    updated_at: datetime = strawberry.field(description="Last change of this row.")

    departments = edge_field(m.EPCI_DEPARTMENTS, "The departments where the EPCI has member communes.")

    communes = edge_field(m.EPCI_COMMUNES, "The member communes (communes membres).")

    @strawberry.field(description="The organisation that is this EPCI, when it is a partner in Maillage.")
    async def organisation(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import ORGANISATION_OF_EPCI, Organisation

        row = await ORGANISATION_OF_EPCI(info).load(self.siren)
        return from_row(Organisation, row) if row is not None else None

    ctgs = edge_field(m.EPCI_CTGS, "The CTGs signed on this EPCI's territory.")

    facilities = edge_field(m.EPCI_FACILITIES, "The facilities (équipements) of its member communes.")


@strawberry.type(description="A current commune (commune actuelle).")
class Commune(Node):
    spec: ClassVar[NodeSpec] = m.COMMUNE
    key: strawberry.Private[Any]
    department_code: strawberry.Private[str]
    epci_siren: strawberry.Private[str | None]
    insee_code: str = strawberry.field(description='INSEE code (code commune, COG), e.g. "31555" for Toulouse.')
    name: str = strawberry.field(description='Official name, e.g. "Toulouse".')
    siren: str | None = strawberry.field(description="SIREN number of the commune as a legal entity.")
    postcodes: list[str] = strawberry.field(description="Postcodes (codes postaux).")
    population: int | None = strawberry.field(description="Legal population (population municipale).")
    updated_at: datetime = strawberry.field(description="Last change of this row.")

    @strawberry.field(description="The commune's department.")
    async def department(self, info: Info) -> Department:
        department = await load_node(info, Department, self.department_code)
        assert department is not None, "commune.department_code is a foreign key"
        return department

    @strawberry.field(description="The EPCI the commune is a member of; null for the few communes outside any.")
    async def epci(self, info: Info) -> Epci | None:
        return await load_node(info, Epci, self.epci_siren)

    facilities = edge_field(m.COMMUNE_FACILITIES, "The facilities (équipements) in the commune.")

    ctgs = edge_field(
        m.COMMUNE_CTGS, "The CTGs covering the commune: through its EPCI, a commune list, or its department."
    )
