"""GraphQL types of CTG actions, their partners and indicators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.capabilities import ActionCapabilities, action_capabilities
from schema.context import Info
from schema.enums import ActionStatus, Theme
from schema.nodes import edge_field, from_row, load_node
from schema.relay import After, Before, First, Last, Node, PageArguments, PageInfo, cursor, page_info

if TYPE_CHECKING:
    from schema.campaigns.types import ReportingCampaign
    from schema.ctgs.types import Ctg
    from schema.facilities.types import ActionFacilityConnection
    from schema.organisations.types import Organisation
    from schema.schemes.types import SchemeObjective

CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
CampaignRef = Annotated["ReportingCampaign", strawberry.lazy("schema.campaigns.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
ObjectiveRef = Annotated["SchemeObjective", strawberry.lazy("schema.schemes.types")]
ActionFacilitiesRef = Annotated["ActionFacilityConnection", strawberry.lazy("schema.facilities.types")]


@strawberry.type(description="An action of a CTG's plan (fiche action), carried by a partner organisation.")
class Action(Node):
    spec: ClassVar[NodeSpec] = m.ACTION
    key: strawberry.Private[Any]
    ctg_id: strawberry.Private[int]
    carrier_id: strawberry.Private[int]
    number: int = strawberry.field(description="Number of the action within its CTG, from 1.")
    title: str = strawberry.field(description="Title (intitulé).")
    description: str | None = strawberry.field(description="What the action does; illustrative demo rows say so.")
    theme: Theme = strawberry.field(description="Field of family policy (thématique).")
    objectives: str | None = strawberry.field(description="The action's own objectives, as free text.")
    target_public: str | None = strawberry.field(description="Who it is for (public cible).")
    period_start: date = strawberry.field(description="First day of the action.")
    period_end: date | None = strawberry.field(description="Last day of the action; null when open-ended.")
    status: ActionStatus = strawberry.field(description="Where the action stands in its workflow.")
    progress: int | None = strawberry.field(description="Progress reported by the carrier, in percent (0–100).")
    budget: strawberry.Private[Decimal | None]
    caf_funding: strawberry.Private[Decimal | None]
    money_shown: strawberry.Private[bool]
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(
        name="budget",
        description="Total budget in euros; null unless the caller is the Cnaf, the Caf of the CTG's department, "
        "the carrier or the CTG's local authority.",
    )
    def budget_shown(self) -> Decimal | None:
        return self.budget if self.money_shown else None

    @strawberry.field(
        name="cafFunding",
        description="Caf funding in euros (financement Caf), ≤ budget; null unless the caller may see the budget.",
    )
    def caf_funding_shown(self) -> Decimal | None:
        return self.caf_funding if self.money_shown else None

    @strawberry.field(description="What the caller may do with the action.")
    async def viewer_can(self, info: Info) -> ActionCapabilities:
        return await action_capabilities(info, self.key, self.status)

    @strawberry.field(description="The CTG whose plan the action belongs to.")
    async def ctg(self, info: Info) -> CtgRef:
        from schema.ctgs.types import Ctg

        ctg = await load_node(info, Ctg, self.ctg_id)
        assert ctg is not None, "action.ctg_id is a foreign key"
        return ctg

    @strawberry.field(description="The organisation carrying the action (porteur).")
    async def carrier(self, info: Info) -> OrganisationRef:
        from schema.organisations.types import Organisation

        carrier = await load_node(info, Organisation, self.carrier_id)
        assert carrier is not None, "action.carrier_id is a foreign key"
        return carrier

    @strawberry.field(description="Partner organisations (partenaires) of the action, with their role.")
    async def partners(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ActionPartnerConnection:
        from schema.organisations.types import Organisation

        page = await info.context.graph.pages(
            m.ACTION_PARTNERS, PageArguments(first, after, last, before).window()
        ).load(self.key)
        edges = [
            ActionPartnerEdge(
                cursor=cursor(page.offset + i), node=from_row(Organisation, row), role=row._mapping["edge_role"]
            )
            for i, row in enumerate(page.rows)
        ]
        return ActionPartnerConnection(
            edges=edges, page_info=page_info(page, [edge.cursor for edge in edges]), total_count=page.total
        )

    objectives_served = edge_field(m.ACTION_OBJECTIVES, "Scheme objectives (CTG, SDSF...) the action serves.")

    indicators = edge_field(m.ACTION_INDICATORS, "The action's indicators, with their reported values.")

    decisions = edge_field(m.ACTION_DECISIONS, "Decisions of the CTG's governance meetings about this action.")

    funding_lines = edge_field(
        m.ACTION_FUNDING,
        "Its funding lines, by year, funder and type; `budget` and `cafFunding` are their totals once it has any. "
        "Amounts as the caller may see the budget.",
    )

    @strawberry.field(description="The facilities the action creates, extends or funds, with what it does for each.")
    async def facilities(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> ActionFacilitiesRef:
        from schema.facilities.types import action_facilities

        return await action_facilities(info, self.key, PageArguments(first, after, last, before))

    history = edge_field(
        m.ACTION_HISTORY, "Every recorded change of this action, oldest first; budgets as the caller may see them."
    )


@strawberry.type(description="An indicator of an action (indicateur), with a target and reported values.")
class Indicator(Node):
    spec: ClassVar[NodeSpec] = m.INDICATOR
    key: strawberry.Private[Any]
    action_id: strawberry.Private[int]
    name: str = strawberry.field(description='What is measured, e.g. "Familles accueillies".')
    unit: str = strawberry.field(description='Unit, e.g. "familles", "heures", "%".')
    target: Decimal | None = strawberry.field(description="Target value.")

    @strawberry.field(description="The action measured.")
    async def action(self, info: Info) -> Action:
        action = await load_node(info, Action, self.action_id)
        assert action is not None, "indicator.action_id is a foreign key"
        return action

    values = edge_field(m.INDICATOR_VALUES, "Values reported, by period.")


@strawberry.type(description="A value reported for an indicator over one period.")
class IndicatorValue(Node):
    spec: ClassVar[NodeSpec] = m.INDICATOR_VALUE
    key: strawberry.Private[Any]
    indicator_id: strawberry.Private[int]
    period_start: date = strawberry.field(description="First day of the period reported on.")
    period_end: date = strawberry.field(description="Last day of the period reported on.")
    value: Decimal = strawberry.field(description="The value, in the indicator's unit.")
    comment: str | None = strawberry.field(description="The carrier's comment.")
    version: int = strawberry.field(description="Row version: a new report for the period carries it.")
    campaign_id: strawberry.Private[int | None]
    reported_by_issuer: str | None = strawberry.field(
        description="The identity provider of the person who reported it last; null for values loaded in bulk."
    )
    reported_by_subject: str | None = strawberry.field(
        description="The person who reported it last, as that provider names them; null for values loaded in bulk."
    )
    reported_at: datetime = strawberry.field(description="When it was last reported.")

    @strawberry.field(description="The reporting campaign it answers, if any.")
    async def campaign(self, info: Info) -> CampaignRef | None:
        from schema.campaigns.types import ReportingCampaign

        return await load_node(info, ReportingCampaign, self.campaign_id)


@strawberry.type(description="A partner of an action, with its role.")
class ActionPartnerEdge:
    cursor: str = strawberry.field(description="Opaque position, for `after` / `before`.")
    node: OrganisationRef = strawberry.field(description="The partner organisation.")
    role: str | None = strawberry.field(description="Its role in the action.")


@strawberry.type(description="A page of an action's partners.")
class ActionPartnerConnection:
    edges: list[ActionPartnerEdge] = strawberry.field(description="The partners with their roles.")
    page_info: PageInfo = strawberry.field(description="Whether pages come before or after this one.")
    total_count: int = strawberry.field(description="How many partners in all.")


@strawberry.type(description="An action an organisation is a partner of, with its role.")
class PartneredActionEdge:
    cursor: str = strawberry.field(description="Opaque position, for `after` / `before`.")
    node: Action = strawberry.field(description="The action.")
    role: str | None = strawberry.field(description="The organisation's role in it.")


@strawberry.type(description="A page of the actions an organisation is a partner of.")
class PartneredActionConnection:
    edges: list[PartneredActionEdge] = strawberry.field(description="The actions with the organisation's role.")
    page_info: PageInfo = strawberry.field(description="Whether pages come before or after this one.")
    total_count: int = strawberry.field(description="How many actions in all.")


async def partnered_actions(info: Info, organisation_id: int, arguments: PageArguments) -> PartneredActionConnection:
    page = await info.context.graph.pages(m.ORGANISATION_ACTIONS_PARTNERED, arguments.window()).load(organisation_id)
    edges = [
        PartneredActionEdge(cursor=cursor(page.offset + i), node=from_row(Action, row), role=row._mapping["edge_role"])
        for i, row in enumerate(page.rows)
    ]
    return PartneredActionConnection(
        edges=edges, page_info=page_info(page, [edge.cursor for edge in edges]), total_count=page.total
    )
