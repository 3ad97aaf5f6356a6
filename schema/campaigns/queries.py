"""Reporting campaign entry points."""

from __future__ import annotations

import strawberry

from db.graph.filters import CampaignFilter, Listing
from schema.campaigns.types import ReportingCampaign
from schema.context import Info
from schema.enums import CampaignStatus
from schema.errors import InputError
from schema.nodes import load_connection
from schema.relay import After, Before, Connection, First, Last, PageArguments


@strawberry.input(description="Filter for reporting campaigns.")
class CampaignFilterInput:
    department: str | None = strawberry.field(default=None, description="A department's code: its campaigns.")
    national: bool | None = strawberry.field(
        default=None, description="True: national campaigns only; false: departmental ones only."
    )
    statuses: list[CampaignStatus] | None = strawberry.field(default=None, description="Open, closed.")
    year: int | None = strawberry.field(default=None, description="Campaigns whose period meets this year.")

    def to_filter(self) -> CampaignFilter:
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise InputError("filter.year", "argument.range", minimum=1900, maximum=2200, value=self.year)
        statuses = tuple(status.value for status in self.statuses or ())
        return CampaignFilter(self.department, self.national, statuses, self.year)


def campaign_listing(filter: CampaignFilterInput | None = None) -> Listing:
    return Listing("ReportingCampaign", filter.to_filter() if filter else CampaignFilter())


@strawberry.type
class CampaignQueries:
    @strawberry.field(
        description="Indicator reporting campaigns (campagnes de bilans), by period. Anyone sees them; their "
        "figures count the actions each caller sees. Page size at most 100."
    )
    async def reporting_campaigns(
        self,
        info: Info,
        filter: CampaignFilterInput | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ReportingCampaign]:
        listing = campaign_listing(filter)
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, ReportingCampaign, arguments, listing.conditions(), listing.order)
