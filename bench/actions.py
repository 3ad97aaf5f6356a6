"""The actions of each CTG's plan: carrier, partners, budget, objectives served and indicators."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from bench import vocabulary as words
from bench.facilities import FacilityIndex, split
from bench.french import Noun, at, capitalised, listing, of
from bench.organisations import Directory
from bench.reference import REFERENCE_DAY, stamp
from bench.schemes import WrittenCtg
from bench.tables import Rows
from db.models.enums import ActionStatus as Status
from db.models.enums import FundingType, SchemeStatus, Theme

# About 30 actions per CTG, with the spread of real plans (a handful to several dozen).
_ACTIONS_SHAPE, _ACTIONS_SCALE = 4.0, 7.75
_STATUS_WEIGHTS: dict[SchemeStatus, dict[Status, int]] = {
    SchemeStatus.DRAFT: {Status.DRAFT: 70, Status.SUBMITTED: 30},
    SchemeStatus.SIGNED: {Status.DRAFT: 10, Status.SUBMITTED: 30, Status.VALIDATED: 60},
    SchemeStatus.ACTIVE: {
        Status.DRAFT: 5,
        Status.SUBMITTED: 8,
        Status.VALIDATED: 15,
        Status.REJECTED: 4,
        Status.IN_PROGRESS: 45,
        Status.DONE: 15,
        Status.ABANDONED: 8,
    },
    SchemeStatus.EXPIRED: {Status.DONE: 75, Status.ABANDONED: 18, Status.REJECTED: 7},
}
_UNDER_WAY = (Status.IN_PROGRESS, Status.DONE, Status.ABANDONED)
_PARTNER_COUNTS, _PARTNER_COUNT_WEIGHTS = (0, 1, 2, 3), (30, 35, 25, 10)
_MEDIAN_BUDGET_EUROS = 25_000
_LAST_REPORTED_YEAR = REFERENCE_DAY.year - 1
_CAF_TYPES = (FundingType.PRESTATION_DE_SERVICE, FundingType.FONDS_PUBLICS_ET_TERRITOIRES, FundingType.INVESTISSEMENT)
_CAF_TYPE_WEIGHTS = (50, 35, 15)
_LINKS, _LINK_WEIGHTS = ("creates", "extends", "funds"), (20, 30, 50)


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


class _PlanWriter:
    """Writes one CTG's actions; the pools of organisations are built once per CTG."""

    def __init__(
        self, rng: random.Random, directory: Directory, ctg: WrittenCtg, facilities: FacilityIndex, rows: Rows
    ) -> None:
        self.rng = rng
        self.facilities = facilities
        self.rows = rows
        self.ctg = ctg
        self.names = directory.names
        plan = ctg.plan
        bodies = directory.departments[plan.epci.department_code]
        territory = plan.communes or plan.epci.communes
        self.places = [commune.name for commune in territory]
        self.territory_codes = [commune.insee_code for commune in territory]
        self.commune_names = {
            directory.communes[commune.insee_code]: commune.name
            for commune in territory
            if commune.insee_code in directory.communes
        }
        self.communes = list(self.commune_names)
        self.associations = directory.associations.get(plan.epci.siren, [])
        self.epci = None if plan.communes else directory.epcis[plan.epci.siren]
        self.institutions = [
            body for body in (self.epci, bodies.council, bodies.msa, bodies.carsat, bodies.state) if body is not None
        ]
        self.fallback = bodies.caf

    def write(self, number: int) -> None:
        rng, plan = self.rng, self.ctg.plan
        # An action acts in one of the fields its CTG covers (the write rules hold every action to it).
        theme = rng.choice(self.ctg.themes)
        carrier = self._carrier()
        partners = self._partners(carrier)
        start, end = self._period()
        weights = _STATUS_WEIGHTS[plan.status]
        status = rng.choices(tuple(weights), weights=tuple(weights.values()))[0]
        if start > REFERENCE_DAY and status in _UNDER_WAY:
            status = Status.VALIDATED
        title, place = self._title(theme, carrier)
        public = rng.choice(words.PUBLICS[theme])
        goals = rng.sample(words.GOALS[theme], min(2, len(words.GOALS[theme])))
        with_whom = f", avec {listing([self.names[partner] for partner, _ in partners])}" if partners else ""
        budget, caf_funding = self._funding(status)
        created = min(self.ctg.created + timedelta(days=rng.randrange(365)), stamp(REFERENCE_DAY))
        action_id = self.rows.new(
            "action",
            created,
            ref=f"{plan.ref}:{number}",
            ctg_id=self.ctg.scheme_id,
            number=number,
            title=title,
            description=f"{capitalised(goals[0])} pour {public}{place}. Action portée par "
            f"{self.names[carrier]}{with_whom}.",
            theme=theme.value,
            objectives=" ; ".join(capitalised(goal) for goal in goals),
            target_public=capitalised(public),
            carrier_id=carrier,
            period_start=start,
            period_end=end,
            status=status.value,
            progress=self._progress(status),
            budget=budget,
            caf_funding=caf_funding,
        )
        for partner, role in partners:
            self.rows.add("action_partner", created, action_id=action_id, organisation_id=partner, role=role)
        for objective in self._objectives(theme):
            self.rows.add("action_objective", created, action_id=action_id, objective_id=objective)
        self._indicators(action_id, theme, start, created)
        self._funding_lines(action_id, carrier, start, end, budget, caf_funding, created)
        facility = self.facilities.pick(rng, theme, self.territory_codes)
        if facility is not None:
            link = rng.choices(_LINKS, weights=_LINK_WEIGHTS)[0]
            self.rows.add("facility_action", created, facility_id=facility, action_id=action_id, link=link)

    def _funding_lines(
        self,
        action_id: int,
        carrier: int,
        start: date,
        end: date | None,
        budget: Decimal | None,
        caf_funding: Decimal | None,
        created: datetime,
    ) -> None:
        """Lines by year adding up exactly to the action's budget (all lines) and Caf funding (the Caf's).

        An action with no Caf funding figure gets none: lines would make its Caf funding a zero it never said.
        """
        if budget is None or caf_funding is None or carrier == self.fallback:
            return
        rng = self.rng
        last = min(end.year if end is not None else start.year + 2, start.year + 2)
        years = list(range(start.year, last + 1))
        caf_type = rng.choices(_CAF_TYPES, weights=_CAF_TYPE_WEIGHTS)[0]
        other = rng.choice(self.institutions) if self.institutions and rng.random() < 0.7 else carrier
        other_type = FundingType.SUBVENTION_FONCTIONNEMENT if other != carrier else FundingType.OTHER
        caf_cents = int(caf_funding * 100)
        shares = zip(years, split(caf_cents, len(years)), split(int(budget * 100) - caf_cents, len(years)), strict=True)
        for year, caf_share, other_share in shares:
            past = year < REFERENCE_DAY.year
            for funder, kind, cents in ((self.fallback, caf_type, caf_share), (other, other_type, other_share)):
                if cents > 0:
                    amount = _euros(cents)
                    self.rows.new("funding_line", created, action_id=action_id, year=year, funder_id=funder,
                                  type=kind.value, planned=amount, granted=amount if past else None,
                                  paid=amount if past and funder == self.fallback else None)  # fmt: skip

    def _carrier(self) -> int:
        draw = self.rng.random()
        if draw < 0.55 and self.associations:
            return self.rng.choice(self.associations)
        if draw < 0.85 and self.communes:
            return self.rng.choice(self.communes)
        return self.epci or self.rng.choice(self.communes or self.associations or [self.fallback])

    def _partners(self, carrier: int) -> list[tuple[int, str | None]]:
        wanted = self.rng.choices(_PARTNER_COUNTS, weights=_PARTNER_COUNT_WEIGHTS)[0]
        chosen: list[int] = []
        for _ in range(wanted * 3):
            if len(chosen) == wanted:
                break
            draw = self.rng.random()
            pool = self.associations if draw < 0.4 else self.communes if draw < 0.7 else self.institutions
            if pool:
                partner = self.rng.choice(pool)
                if partner != carrier and partner not in chosen:
                    chosen.append(partner)
        return [(partner, self.rng.choice(words.PARTNER_ROLES)) for partner in chosen]

    def _period(self) -> tuple[date, date | None]:
        plan = self.ctg.plan
        year = self.rng.randint(plan.start.year, min(plan.end.year, plan.start.year + 3))
        start = max(plan.start, date(year, self.rng.choice((1, 1, 1, 9)), 1))
        draw = self.rng.random()
        if draw < 0.7:
            return start, plan.end
        if draw < 0.9:
            return start, min(plan.end, date(start.year + self.rng.randint(1, 3), start.month, 1) - timedelta(days=1))
        return start, None

    def _title(self, theme: Theme, carrier: int) -> tuple[str, str]:
        """The action's title, and where it happens as a phrase for the description ("" if nowhere said)."""
        rng = self.rng
        facility: Noun = rng.choice(words.FACILITIES[theme])
        draw = rng.random()
        if draw < 0.35:
            title = f"{rng.choice(words.STARTING)} {of(facility.indefinite)}"
        elif draw < 0.7:
            title = f"{rng.choice(words.ONGOING)} {of(facility.definite)}"
        else:
            qualifier = f" {rng.choice(words.QUALIFIERS).agreeing(facility)}" if rng.random() < 0.5 else ""
            title = capitalised(facility.text) + qualifier
        draw = rng.random()
        if draw < 0.45:
            place = " " + at(self.commune_names.get(carrier) or rng.choice(self.places))
        elif draw < 0.65:
            place = " sur le territoire " + of(self.ctg.plan.party)
        else:
            place = ""
        return title + place, place

    def _funding(self, status: Status) -> tuple[Decimal | None, Decimal | None]:
        if status == Status.DRAFT and self.rng.random() < 0.4:
            return None, None
        euros = self.rng.lognormvariate(math.log(_MEDIAN_BUDGET_EUROS), 0.9)
        budget = max(500, round(euros / 10) * 10) * 100
        if self.rng.random() < 0.1:
            return _euros(budget), None
        # A share in whole percent of a whole number of cents, rounded down: never above the budget.
        return _euros(budget), _euros(budget * self.rng.randint(10, 80) // 100)

    def _progress(self, status: Status) -> int | None:
        if status == Status.IN_PROGRESS:
            return self.rng.randrange(5, 100, 5)
        if status == Status.DONE:
            return 100
        if status == Status.ABANDONED:
            return self.rng.randrange(0, 60, 10)
        return 0 if status == Status.VALIDATED else None

    def _objectives(self, theme: Theme) -> list[int]:
        objectives = self.ctg.objectives
        matching = [objective for objective, served in objectives if served == theme]
        first = matching[0] if matching else self.rng.choice(objectives)[0]
        if self.rng.random() < 0.4:
            second = self.rng.choice(objectives)[0]
            if second != first:
                return [first, second]
        return [first]

    def _indicators(self, action_id: int, theme: Theme, start: date, created: datetime) -> None:
        rng = self.rng
        candidates = words.INDICATORS[theme] + words.GENERAL_INDICATORS
        for name, unit, low, high in rng.sample(candidates, rng.randint(1, 3)):
            usual = rng.randint(low, high)
            indicator_id = self.rows.new(
                "indicator",
                created,
                action_id=action_id,
                name=name,
                unit=unit,
                target=Decimal(usual) if rng.random() < 0.85 else None,
            )
            for year in range(start.year, start.year + rng.randint(1, 3)):
                value = max(0, round(usual * rng.uniform(0.8, 1.15)))
                if year > _LAST_REPORTED_YEAR:
                    comment: str | None = "Prévisionnel"
                else:
                    comment = rng.choice(words.VALUE_COMMENTS) if rng.random() < 0.2 else None
                self.rows.new(
                    "indicator_value",
                    created,
                    indicator_id=indicator_id,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    value=Decimal(min(value, 100) if unit == "%" else value),
                    comment=comment,
                )


def add_actions(
    rng: random.Random,
    ctgs: Sequence[WrittenCtg],
    directory: Directory,
    facilities: FacilityIndex,
    density: float,
    rows: Rows,
    on_ctg: Callable[[int], None],
) -> None:
    """Write each CTG's plan, numbered from 1; a draft CTG's plan is about half as long."""
    for ctg in ctgs:
        writer = _PlanWriter(rng, directory, ctg, facilities, rows)
        share = 0.5 if ctg.plan.status == SchemeStatus.DRAFT else 1.0
        count = max(1, round(rng.gammavariate(_ACTIONS_SHAPE, _ACTIONS_SCALE) * density * share))
        for number in range(1, count + 1):
            writer.write(number)
        on_ctg(1)
