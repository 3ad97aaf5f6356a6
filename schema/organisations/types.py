"""GraphQL types of partner organisations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import ColumnElement
from strawberry.dataloader import DataLoader

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import OrganisationKind
from schema.nodes import edge_field, load_node
from schema.relay import After, Before, First, Last, Node, PageArguments

if TYPE_CHECKING:
    from schema.actions.types import Action, PartneredActionConnection
    from schema.schemes.types import Signature
    from schema.territories.types import Commune, Department, Epci

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
PartneredActionsRef = Annotated["PartneredActionConnection", strawberry.lazy("schema.actions.types")]
SignatureRef = Annotated["Signature", strawberry.lazy("schema.schemes.types")]
DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]
EpciRef = Annotated["Epci", strawberry.lazy("schema.territories.types")]
CommuneRef = Annotated["Commune", strawberry.lazy("schema.territories.types")]


def _is(kind: str) -> list[ColumnElement[bool]]:
    return [m.ORGANISATION.column("kind") == kind]


def CAF_OF_DEPARTMENT(info: Info) -> DataLoader[Any, Any]:
    return info.context.graph.unique(m.ORGANISATION, "department_code", lambda: _is("caf"), "caf")


def ORGANISATION_OF_EPCI(info: Info) -> DataLoader[Any, Any]:
    return info.context.graph.unique(m.ORGANISATION, "epci_siren", lambda: _is("epci"), "epci")


@strawberry.type(
    description="A partner organisation (organisme partenaire): a Caf, the Cnaf, a State service, a departmental "
    "council, an EPCI, a commune, an association, the MSA, a Carsat..."
)
class Organisation(Node):
    spec: ClassVar[NodeSpec] = m.ORGANISATION
    key: strawberry.Private[Any]
    department_code: strawberry.Private[str | None]
    epci_siren: strawberry.Private[str | None]
    commune_insee_code: strawberry.Private[str | None]
    kind: OrganisationKind = strawberry.field(description="What kind of organisation it is.")
    name: str = strawberry.field(description='Name, e.g. "Caf de la Haute-Garonne".')
    acronym: str | None = strawberry.field(description='Short name (sigle), e.g. "Caf 31".')
    siren: str | None = strawberry.field(description="SIREN number (9 digits), when known.")
    siret: str | None = strawberry.field(description="SIRET number of the establishment (14 digits), when known.")
    rna: str | None = strawberry.field(description="RNA number of an association (W + 9 characters), when known.")
    email: str | None = strawberry.field(description="Contact e-mail address.")
    website: str | None = strawberry.field(description="Website.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(description="Home department.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)

    @strawberry.field(description="The EPCI this organisation is, for an EPCI organisation.")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.epci_siren)

    @strawberry.field(description="The commune this organisation is, for a commune organisation.")
    async def commune(self, info: Info) -> CommuneRef | None:
        from schema.territories.types import Commune

        return await load_node(info, Commune, self.commune_insee_code)

    signatures = edge_field(
        m.ORGANISATION_SIGNATURES,
        "The organisation's signatures of schemes (schémas, conventions), with role and date.",
    )

    actions_carried = edge_field(m.ORGANISATION_ACTIONS_CARRIED, "The CTG actions this organisation carries (porteur).")

    facilities_managed = edge_field(
        m.ORGANISATION_FACILITIES, "The facilities (équipements) this organisation manages (gestionnaire)."
    )

    history = edge_field(m.ORGANISATION_HISTORY, "Every recorded change of this organisation, oldest first.")

    habilitations = edge_field(
        m.ORGANISATION_HABILITATIONS,
        "The roles Maillage grants within this organisation, revoked ones included: for those who manage them "
        "(its admins, the Caf managers of its department); anyone else sees at most their own.",
    )

    @strawberry.field(description="The CTG actions this organisation takes part in as a partner, with its role.")
    async def actions_partnered(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PartneredActionsRef:
        from schema.actions.types import partnered_actions

        return await partnered_actions(info, self.key, PageArguments(first, after, last, before))
