"""Reporting the value of an action's indicator for a period. Refusals come as `errors`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from db.graph import mapping as m
from db.writes import checks
from db.writes.actions.indicator_values import Report, report_value
from schema.actions.fields import COMMENT_LENGTH, free_text
from schema.actions.payloads import IndicatorValuePayload, indicator_value_payload
from schema.context import Info
from schema.mutation import run
from schema.write_inputs import node_key, optional_key


@strawberry.input(
    description="A value of an indicator for a period. The period is known by its first day: the first report "
    "creates its value, later ones change it and carry the `version` of the value the client read."
)
class ReportIndicatorValueInput:
    indicator_id: strawberry.ID = strawberry.field(description="The indicator.")
    period_start: date = strawberry.field(description="First day of the period reported on.")
    period_end: date = strawberry.field(description="Last day of the period, not before its first.")
    value: Decimal = strawberry.field(description="The value in the indicator's unit, ≥ 0, in hundredths.")
    comment: str | None = strawberry.field(default=None, description="A comment, up to 2,000 characters.")
    version: int | None = strawberry.field(
        default=None,
        description="The version of the value already reported for the period, when changing it; left out for "
        "the first report.",
    )
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The reporting campaign the value answers; left out, the one open campaign whose scope takes "
        "the action and whose period holds the report's, if there is exactly one.",
    )


def _checked(data: ReportIndicatorValueInput) -> Report:
    indicator_id = node_key("indicator_id", data.indicator_id, m.INDICATOR)
    checks.period(data.period_start, data.period_end)
    value = checks.amount("value", data.value)
    comment = free_text("comment", data.comment, COMMENT_LENGTH)
    campaign_id = optional_key("campaign_id", data.campaign_id, m.CAMPAIGN)
    return Report(indicator_id, data.period_start, data.period_end, value, comment, data.version, campaign_id)


@strawberry.type
class IndicatorValueMutations:
    @strawberry.mutation(
        description="Report the value of an action's indicator for a period: its carrier, the Caf of the "
        "department and the CTG's local authority may. The period meets the action's and no other "
        "period of the indicator; a second report for the same period changes the value, from its version. The "
        "value records who reported it and when, and the campaign it answers; the action's updatedAt moves. "
        "Refusals come as `errors`."
    )
    async def report_indicator_value(self, info: Info, input: ReportIndicatorValueInput) -> IndicatorValuePayload:
        outcome = await run(
            info, lambda: _checked(input), lambda database, report, actor: report_value(database, report, actor)
        )
        return indicator_value_payload(outcome)
