"""GraphQL types of facilities (équipements) and of funding lines (lignes de financement)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import FacilityFamily, FacilityKind, FacilityLink, FacilityStatus, FundingType
from schema.nodes import edge_field, from_row, load_node
from schema.relay import After, Before, First, Last, Node, PageArguments, PageInfo, cursor, page_info

if TYPE_CHECKING:
    from schema.actions.types import Action
    from schema.facilities.figures import BonusTerritoireEligibility
    from schema.organisations.types import Organisation
    from schema.territories.types import Commune, Department, Epci

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
BonusRef = Annotated["BonusTerritoireEligibility", strawberry.lazy("schema.facilities.figures")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
CommuneRef = Annotated["Commune", strawberry.lazy("schema.territories.types")]
DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]
EpciRef = Annotated["Epci", strawberry.lazy("schema.territories.types")]

_DETAILS = (
    "null unless the caller may see the facility beyond its public data (its Caf, its manager, the local "
    "authorities of its territory, the Cnaf)."
)


@strawberry.type(
    description="A facility (équipement) the Caf funds: a crèche or another EAJE, an accueil de loisirs, a LAEP, a "
    "relais petite enfance, a centre social or an espace de vie sociale, a foyer de jeunes travailleurs... Anyone "
    "sees an open facility's public data (name, kind, commune, capacity); its other fields are " + _DETAILS
)
class Facility(Node):
    spec: ClassVar[NodeSpec] = m.FACILITY
    key: strawberry.Private[Any]
    manager_id: strawberry.Private[int]
    commune_insee_code: strawberry.Private[str]
    department_code: strawberry.Private[str | None]
    epci_siren: strawberry.Private[str | None]
    details_shown: strawberry.Private[bool]
    money_shown: strawberry.Private[bool]
    address: strawberry.Private[str | None]
    kind: FacilityKind = strawberry.field(description="What kind of facility it is.")
    family: FacilityFamily = strawberry.field(
        description="The family of its kind (EAJE, ALSH, LAEP, RPE, vie sociale, jeunesse)."
    )
    name: str = strawberry.field(description='Name, e.g. "Multi-accueil Les Petits Pas".')
    capacity: int | None = strawberry.field(description="Places (agréées, or planned for a project).")
    status: FacilityStatus = strawberry.field(description="Planned, open or closed.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")
    email: strawberry.Private[str | None]
    phone: strawberry.Private[str | None]
    approved_from: strawberry.Private[date | None]
    approved_until: strawberry.Private[date | None]
    opened_on: strawberry.Private[date | None]
    closed_on: strawberry.Private[date | None]

    @strawberry.field(name="address", description="Postal address; " + _DETAILS)
    def address_shown(self) -> str | None:
        return self.address if self.details_shown else None

    @strawberry.field(name="email", description="Contact e-mail address; " + _DETAILS)
    def email_shown(self) -> str | None:
        return self.email if self.details_shown else None

    @strawberry.field(name="phone", description="Contact telephone number; " + _DETAILS)
    def phone_shown(self) -> str | None:
        return self.phone if self.details_shown else None

    @strawberry.field(
        name="approvedFrom", description="First day of its approval (agrément, autorisation, Caf approval); " + _DETAILS
    )
    def approved_from_shown(self) -> date | None:
        return self.approved_from if self.details_shown else None

    @strawberry.field(name="approvedUntil", description="Last day of its approval; " + _DETAILS)
    def approved_until_shown(self) -> date | None:
        return self.approved_until if self.details_shown else None

    @strawberry.field(name="openedOn", description="The day it opened; " + _DETAILS)
    def opened_on_shown(self) -> date | None:
        return self.opened_on if self.details_shown else None

    @strawberry.field(name="closedOn", description="The day it closed; " + _DETAILS)
    def closed_on_shown(self) -> date | None:
        return self.closed_on if self.details_shown else None

    @strawberry.field(description="The organisation managing it (gestionnaire); " + _DETAILS)
    async def manager(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.manager_id) if self.details_shown else None

    @strawberry.field(description="The commune it lies in.")
    async def commune(self, info: Info) -> CommuneRef:
        from schema.territories.types import Commune

        commune = await load_node(info, Commune, self.commune_insee_code)
        assert commune is not None, "facility.commune_insee_code is a foreign key"
        return commune

    @strawberry.field(description="The EPCI of its commune.")
    async def epci(self, info: Info) -> EpciRef | None:
        from schema.territories.types import Epci

        return await load_node(info, Epci, self.epci_siren)

    @strawberry.field(description="The department of its commune.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)

    @strawberry.field(description="The actions that create, extend or fund it, with what each does; " + _DETAILS)
    async def actions(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> FacilityActionConnection:
        return await facility_actions(info, self.key, PageArguments(first, after, last, before))

    @strawberry.field(
        description="Whether it receives the bonus territoire on a day: a CTG in force then covers its commune."
    )
    async def bonus_territoire(self, info: Info, on: date) -> BonusRef:
        from schema.facilities.figures import eligibility

        return await eligibility(info, self, on)

    funding_lines = edge_field(
        m.FACILITY_FUNDING, "Its funding lines, by year, funder and type; amounts as the caller may see them."
    )
    history = edge_field(m.FACILITY_HISTORY, "Every recorded change of the facility, oldest first.")


@strawberry.type(
    description="One funder's money for one year and one type of funding, of an action or of a facility. Amounts "
    "are null unless the caller may see the budget of its action or facility."
)
class FundingLine(Node):
    spec: ClassVar[NodeSpec] = m.FUNDING_LINE
    key: strawberry.Private[Any]
    action_id: strawberry.Private[int | None]
    facility_id: strawberry.Private[int | None]
    funder_id: strawberry.Private[int]
    money_shown: strawberry.Private[bool]
    planned: strawberry.Private[Decimal]
    granted: strawberry.Private[Decimal | None]
    paid: strawberry.Private[Decimal | None]
    year: int = strawberry.field(description="The year it funds.")
    type: FundingType = strawberry.field(description="The kind of funding.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(name="planned", description="Amount planned (prévisionnel), in euros.")
    def planned_shown(self) -> Decimal | None:
        return self.planned if self.money_shown else None

    @strawberry.field(
        name="granted", description="Amount granted (accordé) by the funder, in euros; a Caf's lines by the Caf."
    )
    def granted_shown(self) -> Decimal | None:
        return self.granted if self.money_shown else None

    @strawberry.field(name="paid", description="Amount paid (versé), in euros.")
    def paid_shown(self) -> Decimal | None:
        return self.paid if self.money_shown else None

    @strawberry.field(description="The funder (financeur).")
    async def funder(self, info: Info) -> OrganisationRef:
        from schema.organisations.types import Organisation

        funder = await load_node(info, Organisation, self.funder_id, archived_too=True)
        assert funder is not None, "funding_line.funder_id is a foreign key"
        return funder

    @strawberry.field(description="The action it funds, for a line of an action.")
    async def action(self, info: Info) -> ActionRef | None:
        from schema.actions.types import Action

        return await load_node(info, Action, self.action_id)

    @strawberry.field(description="The facility it funds, for a line of a facility.")
    async def facility(self, info: Info) -> Facility | None:
        return await load_node(info, Facility, self.facility_id)


@strawberry.type(description="An action of a facility, with what the action does for it.")
class FacilityActionEdge:
    cursor: str = strawberry.field(description="Opaque position, for `after` / `before`.")
    node: ActionRef = strawberry.field(description="The action.")
    link: FacilityLink = strawberry.field(description="Whether it creates, extends or funds the facility.")


@strawberry.type(description="A page of a facility's actions.")
class FacilityActionConnection:
    edges: list[FacilityActionEdge] = strawberry.field(description="The actions, with what each does.")
    page_info: PageInfo = strawberry.field(description="Whether pages come before or after this one.")
    total_count: int = strawberry.field(description="How many actions in all.")


@strawberry.type(description="A facility of an action, with what the action does for it.")
class ActionFacilityEdge:
    cursor: str = strawberry.field(description="Opaque position, for `after` / `before`.")
    node: Facility = strawberry.field(description="The facility.")
    link: FacilityLink = strawberry.field(description="Whether the action creates, extends or funds it.")


@strawberry.type(description="A page of an action's facilities.")
class ActionFacilityConnection:
    edges: list[ActionFacilityEdge] = strawberry.field(description="The facilities, with what the action does.")
    page_info: PageInfo = strawberry.field(description="Whether pages come before or after this one.")
    total_count: int = strawberry.field(description="How many facilities in all.")


async def facility_actions(info: Info, facility_id: int, arguments: PageArguments) -> FacilityActionConnection:
    from schema.actions.types import Action

    page = await info.context.graph.pages(m.FACILITY_ACTIONS, arguments.window()).load(facility_id)
    edges = [
        FacilityActionEdge(cursor=cursor(page.offset + i), node=from_row(Action, row), link=row._mapping["edge_link"])
        for i, row in enumerate(page.rows)
    ]
    return FacilityActionConnection(
        edges=edges, page_info=page_info(page, [edge.cursor for edge in edges]), total_count=page.total
    )


async def action_facilities(info: Info, action_id: int, arguments: PageArguments) -> ActionFacilityConnection:
    page = await info.context.graph.pages(m.ACTION_FACILITIES, arguments.window()).load(action_id)
    edges = [
        ActionFacilityEdge(cursor=cursor(page.offset + i), node=from_row(Facility, row), link=row._mapping["edge_link"])
        for i, row in enumerate(page.rows)
    ]
    return ActionFacilityConnection(
        edges=edges, page_info=page_info(page, [edge.cursor for edge in edges]), total_count=page.total
    )
