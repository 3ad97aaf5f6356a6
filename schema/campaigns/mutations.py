"""Opening, changing, closing, reopening and archiving reporting campaigns, and reminding the carriers that owe
them values. Refusals come as `errors` in each payload."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from db.graph import mapping as m
from db.models.enums import CampaignStatus
from db.writes import campaigns, checks
from db.writes.checks import Invalid
from db.writes.outcome import Outcome
from schema.campaigns.types import CampaignReminder, ReportingCampaign
from schema.context import Info
from schema.enums import Theme
from schema.mutation import run
from schema.nodes import from_row
from schema.payloads import MutationError, errors_of
from schema.today import today
from schema.write_inputs import given, node_key, node_keys, optional_key

_TITLE, _UNIT, _UNITS, _CTGS = 200, 50, 20, 500
_VERSION = "The version the client read; the change fails if the campaign moved on."


@strawberry.input(
    description="A new reporting campaign: the values of a period asked of the actions in a scope, by a deadline. "
    "With an `idempotencyKey`, a retry gets the campaign the first request opened."
)
class OpenReportingCampaignInput:
    title: str = strawberry.field(description='Title, 1–200 characters, e.g. "Bilans 2026".')
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="Its department (its Caf opens it); left out, a national campaign (the Cnaf)."
    )
    period_start: datetime.date = strawberry.field(description="First day of the period reported on.")
    period_end: datetime.date = strawberry.field(description="Last day of the period reported on.")
    due_on: datetime.date = strawberry.field(description="The deadline, on or after the period's first day.")
    themes: list[Theme] = strawberry.field(default_factory=list, description="Themes of the actions asked; none: all.")
    units: list[str] = strawberry.field(
        default_factory=list, description="Units of the indicators asked (at most 20, each 1–50 characters); none: all."
    )
    ctg_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="CTGs of its department it is restricted to; none: every CTG."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="1–200 characters, unique per request you mean: a retry sends the same."
    )


@strawberry.input(description="A change to a campaign: fields left out are kept.")
class UpdateReportingCampaignInput:
    id: strawberry.ID = strawberry.field(description="The campaign's ID.")
    version: int = strawberry.field(description=_VERSION)
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Title, 1–200 characters.")
    period_start: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="First day of the period; the values given stay within it."
    )
    period_end: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Last day of the period; the values given stay within it."
    )
    due_on: datetime.date | None = strawberry.field(default=strawberry.UNSET, description="The deadline.")
    themes: list[Theme] | None = strawberry.field(default=strawberry.UNSET, description="Themes asked; [] for all.")
    units: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Units asked; [] for all.")
    ctg_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The CTGs it is restricted to; [] for every CTG of its scope."
    )


@strawberry.input(description="A campaign, at the version the client read.")
class ReportingCampaignVersionInput:
    id: strawberry.ID = strawberry.field(description="The campaign's ID.")
    version: int = strawberry.field(description=_VERSION)


@strawberry.input(description="A campaign whose late carriers to remind.")
class RemindCampaignCarriersInput:
    id: strawberry.ID = strawberry.field(description="The campaign's ID.")


@strawberry.type(description="The outcome of a change to a campaign: the campaign, or why nothing changed.")
class ReportingCampaignPayload:
    campaign: ReportingCampaign | None = strawberry.field(
        description="The campaign as it now is (as it was when archived); null when the change was refused."
    )
    errors: list[MutationError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The reminders recorded, one per carrier still owing values, or why none was.")
class RemindCampaignCarriersPayload:
    reminders: list[CampaignReminder] = strawberry.field(description="The reminders recorded now.")
    errors: list[MutationError] = strawberry.field(description="Why nobody was reminded; empty on success.")


def _title(field: str, value: str) -> str:
    return checks.text(field, value, _TITLE, line=True)


def _themes(values: list[Theme]) -> tuple[str, ...]:
    checks.distinct("themes", [theme.value for theme in values])
    return tuple(theme.value for theme in values)


def _units(values: list[str]) -> tuple[str, ...]:
    checks.bounded("units", values, _UNITS)
    units = tuple(checks.text(f"units[{index}]", value, _UNIT, line=True) for index, value in enumerate(values))
    checks.distinct("units", units)
    return units


def _ctg_ids(values: list[strawberry.ID]) -> tuple[int, ...]:
    checks.bounded("ctg_ids", values, _CTGS)
    keys = tuple(int(key) for key in node_keys("ctg_ids", values, m.CTG))
    checks.distinct("ctg_ids", keys)
    return keys


def _period(start: datetime.date, end: datetime.date, due_on: datetime.date) -> None:
    for field, day in (("period_start", start), ("period_end", end), ("due_on", due_on)):
        checks.day(field, day)
    checks.period(start, end)
    if due_on < start:
        raise Invalid("due_on", "campaign.due_before_period")


def _new(data: OpenReportingCampaignInput) -> campaigns.NewCampaign:
    department = optional_key("department_id", data.department_id, m.DEPARTMENT)
    if department is not None:
        department = checks.territory_key("department_id", "Department", department)
    _period(data.period_start, data.period_end, data.due_on)
    return campaigns.NewCampaign(
        title=_title("title", data.title),
        department_code=department,
        period_start=data.period_start,
        period_end=data.period_end,
        due_on=data.due_on,
        themes=_themes(data.themes),
        units=_units(data.units),
        ctg_ids=_ctg_ids(data.ctg_ids),
        idempotency_key=checks.idempotency_key(data.idempotency_key),
    )


def _changes(data: UpdateReportingCampaignInput) -> tuple[int, dict[str, Any], tuple[int, ...] | None]:
    campaign_id = int(node_key("id", data.id, m.CAMPAIGN))
    values = given(data, ("title", "period_start", "period_end", "due_on", "themes", "units"))
    changes: dict[str, Any] = {}
    for name, value in values.items():
        checks.present(name, value)
        if name == "title":
            changes[name] = _title(name, value)
        elif name == "themes":
            changes[name] = list(_themes(value))
        elif name == "units":
            changes[name] = list(_units(value))
        else:
            changes[name] = checks.day(name, value)
    ctg_ids = None
    if data.ctg_ids is not strawberry.UNSET:
        ctg_ids = _ctg_ids(checks.present("ctg_ids", data.ctg_ids))
    if not changes and ctg_ids is None:
        raise Invalid(None, "input.nothing")
    return campaign_id, changes, ctg_ids


def _payload(outcome: Outcome) -> ReportingCampaignPayload:
    campaign = from_row(ReportingCampaign, outcome.row) if outcome.row is not None else None
    return ReportingCampaignPayload(campaign=campaign, errors=errors_of(outcome))


def _versioned(data: ReportingCampaignVersionInput) -> tuple[int, int]:
    return int(node_key("id", data.id, m.CAMPAIGN)), data.version


@strawberry.type
class CampaignMutations:
    @strawberry.mutation(
        description="Open a reporting campaign: the Caf of its department, or the Cnaf's managers (a national "
        "campaign is theirs alone). Refusals come as `errors`: INVALID naming the field, NOT_FOUND for a "
        "department or CTG that does not exist, FORBIDDEN, KEY_REUSED."
    )
    async def open_reporting_campaign(self, info: Info, input: OpenReportingCampaignInput) -> ReportingCampaignPayload:
        outcome = await run(
            info, lambda: _new(input), lambda database, new, actor: campaigns.open_campaign(database, new, actor)
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Change what a campaign asks and by when: its title, period (which keeps every value given "
        "for it), deadline, themes, units and CTGs. Its Caf or the Cnaf's managers; a stale `version` is a "
        "CONFLICT."
    )
    async def update_reporting_campaign(
        self, info: Info, input: UpdateReportingCampaignInput
    ) -> ReportingCampaignPayload:
        outcome = await run(
            info,
            lambda: _changes(input),
            lambda database, update, actor: campaigns.update_campaign(
                database, update[0], input.version, update[1], update[2], actor
            ),
        )
        return _payload(outcome)

    @strawberry.mutation(description="Close a campaign: it takes no more values. Its Caf or the Cnaf's managers.")
    async def close_reporting_campaign(
        self, info: Info, input: ReportingCampaignVersionInput
    ) -> ReportingCampaignPayload:
        outcome = await run(
            info,
            lambda: _versioned(input),
            lambda database, key, actor: campaigns.set_status(database, *key, CampaignStatus.CLOSED, actor),
        )
        return _payload(outcome)

    @strawberry.mutation(description="Reopen a closed campaign, to take late values. Its Caf or the Cnaf's managers.")
    async def reopen_reporting_campaign(
        self, info: Info, input: ReportingCampaignVersionInput
    ) -> ReportingCampaignPayload:
        outcome = await run(
            info,
            lambda: _versioned(input),
            lambda database, key, actor: campaigns.set_status(database, *key, CampaignStatus.OPEN, actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Archive (delete) a campaign opened by mistake: it leaves every read; the values given keep "
        "naming it. Its Caf or the Cnaf's managers."
    )
    async def archive_reporting_campaign(
        self, info: Info, input: ReportingCampaignVersionInput
    ) -> ReportingCampaignPayload:
        outcome = await run(
            info,
            lambda: _versioned(input),
            lambda database, key, actor: campaigns.archive_campaign(database, *key, actor),
        )
        return _payload(outcome)

    @strawberry.mutation(
        description="Remind every carrier still owing values to an open campaign: one reminder each, with the "
        "values it owes, recorded with who reminded and when (the carrier's contact data is on its node). Its "
        "Caf or the Cnaf's managers."
    )
    async def remind_campaign_carriers(
        self, info: Info, input: RemindCampaignCarriersInput
    ) -> RemindCampaignCarriersPayload:
        reminded = campaigns.Reminded()

        async def remind(database: Any, campaign_id: int, actor: Any) -> Outcome:
            nonlocal reminded
            reminded = await campaigns.remind_carriers(database, campaign_id, today(), actor)
            return reminded.refusal or Outcome()

        outcome = await run(info, lambda: int(node_key("id", input.id, m.CAMPAIGN)), remind)
        if outcome.refused:
            return RemindCampaignCarriersPayload(reminders=[], errors=errors_of(outcome))
        return RemindCampaignCarriersPayload(
            reminders=[from_row(CampaignReminder, row) for row in reminded.reminders], errors=[]
        )
