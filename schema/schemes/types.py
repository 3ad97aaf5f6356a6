"""GraphQL types of signed schemes: COG, CPOG, SDSF, SDAVS, education charter, CEJ; their objectives and signatures."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import SchemeKind, SchemeScope, SchemeStatus
from schema.nodes import edge_field, load_node
from schema.relay import Node

if TYPE_CHECKING:
    from schema.actions.types import Action
    from schema.ctgs.types import Ctg
    from schema.organisations.types import Organisation
    from schema.territories.types import Commune, Department, Epci

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]
EpciRef = Annotated["Epci", strawberry.lazy("schema.territories.types")]
CommuneRef = Annotated["Commune", strawberry.lazy("schema.territories.types")]


@strawberry.type(description="What every scheme has, CTGs included.")
class SchemeFields:
    key: strawberry.Private[Any]
    department_code: strawberry.Private[str | None]
    epci_siren: strawberry.Private[str | None]
    parent_id: strawberry.Private[int | None]
    superseded_by_id: strawberry.Private[int | None]
    successor_id: strawberry.Private[int | None]
    kind: SchemeKind = strawberry.field(description="Kind of scheme (COG, CPOG, SDSF, SDAVS, charter, CEJ, CTG).")
    title: str = strawberry.field(description="Title, as signed.")
    summary: str | None = strawberry.field(description="Summary; illustrative demo rows say so here.")
    period_start: date = strawberry.field(description="First day the scheme applies.")
    period_end: date | None = strawberry.field(description="Last day the scheme applies; null when open-ended.")
    scope: SchemeScope = strawberry.field(description="Where it applies: national, department, EPCI or communes.")
    status: SchemeStatus = strawberry.field(description="Draft, signed, active, expired or superseded.")
    source_url: str | None = strawberry.field(description="Where the scheme's text is published.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(description="The department it applies to (for a CTG: its Caf's department).")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)

    @strawberry.field(description="The EPCI it applies to, for an EPCI-scoped scheme.")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.epci_siren)

    @strawberry.field(description="The scheme above it in the chain COG → CPOG → SDSF / SDAVS / charter → CTG.")
    async def parent(self, info: Info) -> Scheme | None:
        return await load_node(info, Scheme, self.parent_id)

    @strawberry.field(
        description="The scheme that took over from it: its successor once superseded, or for a CEJ the CTG "
        "that replaced it."
    )
    async def superseded_by(self, info: Info) -> Scheme | None:
        return await load_node(info, Scheme, self.successor_id)

    children = edge_field(m.SCHEME_CHILDREN, "The schemes below it in the chain.")

    objectives = edge_field(
        m.SCHEME_OBJECTIVES, "Its orientations, stakes or objectives (orientations, enjeux), in order."
    )

    signatures = edge_field(m.SCHEME_SIGNATURES, "Its signatures (signataires): organisation, role, date signed.")

    communes = edge_field(
        m.SCHEME_COMMUNES, "The communes it covers: an EPCI's members, its commune list, or a department's."
    )

    history = edge_field(m.SCHEME_HISTORY, "Every recorded change of it (of its CTG part too), oldest first.")


@strawberry.type(description="A signed scheme (schéma, convention, contrat) of the Caf partnership chain.")
class Scheme(SchemeFields, Node):
    spec: ClassVar[NodeSpec] = m.SCHEME

    @strawberry.field(description="The CTG view of this scheme, when it is a CTG; null otherwise.")
    async def ctg(self, info: Info) -> CtgRef | None:
        from schema.ctgs.types import Ctg

        return await load_node(info, Ctg, self.key) if self.kind == "CTG" else None


@strawberry.type(description="An orientation, stake or objective of a scheme (orientation, enjeu, objectif).")
class SchemeObjective(Node):
    spec: ClassVar[NodeSpec] = m.OBJECTIVE
    key: strawberry.Private[Any]
    scheme_id: strawberry.Private[int]
    position: int = strawberry.field(description="Rank within the scheme, from 1.")
    title: str = strawberry.field(description="The objective, in the scheme's own words.")
    description: str | None = strawberry.field(description="Details.")

    @strawberry.field(description="The scheme it belongs to.")
    async def scheme(self, info: Info) -> Scheme:
        scheme = await load_node(info, Scheme, self.scheme_id)
        assert scheme is not None, "scheme_objective.scheme_id is a foreign key"
        return scheme

    actions = edge_field(m.OBJECTIVE_ACTIONS, "The CTG actions that serve this objective.")


@strawberry.type(description="An organisation's signature of a scheme (signataire), with its role and date.")
class Signature(Node):
    spec: ClassVar[NodeSpec] = m.SIGNATURE
    key: strawberry.Private[Any]
    scheme_id: strawberry.Private[int]
    organisation_id: strawberry.Private[int]
    role: str = strawberry.field(description='Role in the scheme, e.g. "Caf signataire".')
    signed_on: date | None = strawberry.field(description="Day it signed; null when not recorded.")

    @strawberry.field(description="The scheme signed.")
    async def scheme(self, info: Info) -> Scheme:
        scheme = await load_node(info, Scheme, self.scheme_id)
        assert scheme is not None, "signature.scheme_id is a foreign key"
        return scheme

    @strawberry.field(description="The signatory organisation, archived or not: who signed is a fact of the past.")
    async def organisation(self, info: Info) -> OrganisationRef:
        from schema.organisations.types import Organisation

        organisation = await load_node(info, Organisation, self.organisation_id, archived_too=True)
        assert organisation is not None, "signature.organisation_id is a foreign key"
        return organisation
