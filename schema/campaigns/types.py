"""GraphQL types of indicator reporting campaigns (campagnes de bilans), their completion and reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.campaigns import Completion, CompletionGrouping
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import CampaignStatus, Theme
from schema.nodes import edge_field, load_node
from schema.relay import Node
from schema.today import today

if TYPE_CHECKING:
    from schema.actions.types import Action
    from schema.ctgs.types import Ctg
    from schema.organisations.types import Organisation
    from schema.territories.types import Department

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
CtgRef = Annotated["Ctg", strawberry.lazy("schema.ctgs.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
DepartmentRef = Annotated["Department", strawberry.lazy("schema.territories.types")]

strawberry.enum(
    CompletionGrouping,
    description="What a campaign's completion is counted per: CTG, carrier, action, or department (for a "
    "national campaign).",
)


@strawberry.type(
    description="A campaign's completion for one group (a CTG, a carrier, an action, a department): the values "
    "owed and given, the actions in scope and those complete. It counts the actions you see."
)
class CampaignCompletion:
    grouping: strawberry.Private[CompletionGrouping]
    key: strawberry.Private[Any]
    expected: int = strawberry.field(description="Indicator values owed: one per indicator of each action in scope.")
    reported: int = strawberry.field(description="Indicator values given for the campaign.")
    actions: int = strawberry.field(description="Actions in scope.")
    complete_actions: int = strawberry.field(description="Actions whose every value owed is given.")
    overdue: bool = strawberry.field(description="Whether values are still owed after the deadline.")

    @strawberry.field(description="Values still owed.")
    def missing(self) -> int:
        return self.expected - self.reported

    @strawberry.field(description="The share of values given, from 0 to 1; null when none is owed.")
    def rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @strawberry.field(description="The CTG, when counted per CTG.")
    async def ctg(self, info: Info) -> CtgRef | None:
        from schema.ctgs.types import Ctg

        return await load_node(info, Ctg, self.key) if self.grouping is CompletionGrouping.CTG else None

    @strawberry.field(description="The carrier, when counted per carrier: whom to remind.")
    async def carrier(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        if self.grouping is not CompletionGrouping.CARRIER:
            return None
        return await load_node(info, Organisation, self.key)

    @strawberry.field(description="The action, when counted per action.")
    async def action(self, info: Info) -> ActionRef | None:
        from schema.actions.types import Action

        return await load_node(info, Action, self.key) if self.grouping is CompletionGrouping.ACTION else None

    @strawberry.field(description="The department, when counted per department.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        if self.grouping is not CompletionGrouping.DEPARTMENT:
            return None
        return await load_node(info, Department, self.key)


def _completion(row: Completion, grouping: CompletionGrouping) -> CampaignCompletion:
    return CampaignCompletion(
        grouping=grouping,
        key=row.key,
        expected=row.expected,
        reported=row.reported,
        actions=row.actions,
        complete_actions=row.complete_actions,
        overdue=row.overdue,
    )


@strawberry.type(
    description="An indicator reporting campaign (campagne de bilans): the values of a period asked of the "
    "actions in its scope — a department (the whole country, for the Cnaf), and as it names them some CTGs, "
    "themes and units of indicator — by a deadline. Anyone sees its scope, period and deadline; its figures "
    "count the actions you see."
)
class ReportingCampaign(Node):
    spec: ClassVar[NodeSpec] = m.CAMPAIGN
    key: strawberry.Private[Any]
    department_code: strawberry.Private[str | None]
    opened_by_id: strawberry.Private[int]
    title: str = strawberry.field(description='Title, e.g. "Bilans 2026".')
    themes: list[Theme] = strawberry.field(description="The themes of the actions it asks; empty: every theme.")
    units: list[str] = strawberry.field(description="The units of the indicators it asks; empty: every unit.")
    period_start: date = strawberry.field(description="First day of the period reported on.")
    period_end: date = strawberry.field(description="Last day of the period reported on.")
    due_on: date = strawberry.field(description="The deadline: values are owed by the end of this day.")
    status: CampaignStatus = strawberry.field(description="Open, or closed by its Caf (or the Cnaf).")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(description="Its department; null for a national campaign.")
    async def department(self, info: Info) -> DepartmentRef | None:
        from schema.territories.types import Department

        return await load_node(info, Department, self.department_code)

    @strawberry.field(description="Whose campaign it is: the Caf of its department, the Cnaf for a national one.")
    async def opened_by(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.opened_by_id)

    ctgs = edge_field(m.CAMPAIGN_CTGS, "The CTGs it is restricted to; none: every CTG of its scope.")

    @strawberry.field(
        description="Its completion per CTG, carrier, action or department, counting the actions you see; with "
        "`overdueOnly`, only the groups still owing values after the deadline (whom to remind)."
    )
    async def completion(
        self, info: Info, per: CompletionGrouping = CompletionGrouping.CTG, overdue_only: bool = False
    ) -> list[CampaignCompletion]:
        rows = await info.context.graph.completion(per, today(), overdue_only).load(self.key)
        return [_completion(row, per) for row in rows]

    reminders = edge_field(m.CAMPAIGN_REMINDERS, "The reminders sent, oldest first (its stewards and the reminded).")

    values = edge_field(m.CAMPAIGN_VALUES, "The values reported for it that you see.")

    history = edge_field(m.CAMPAIGN_HISTORY, "Every recorded change of it, oldest first.")


@strawberry.type(description="A carrier reminded of the values it still owed a campaign.")
class CampaignReminder(Node):
    spec: ClassVar[NodeSpec] = m.REMINDER
    key: strawberry.Private[Any]
    campaign_id: strawberry.Private[int]
    organisation_id: strawberry.Private[int]
    missing: int = strawberry.field(description="Values it still owed when reminded.")
    sent_at: datetime = strawberry.field(description="When it was reminded.")
    issuer: str | None = strawberry.field(description="The identity provider of the person who reminded it.")
    subject: str | None = strawberry.field(description="The person who reminded it, as that provider names them.")

    @strawberry.field(description="The campaign.")
    async def campaign(self, info: Info) -> ReportingCampaign | None:
        return await load_node(info, ReportingCampaign, self.campaign_id)

    @strawberry.field(description="The carrier reminded.")
    async def organisation(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.organisation_id)
