"""Which table backs each node type, which column each field, which join each edge.

Field names here are the GraphQL fields' snake_case names. Columns a type reads but does not show
(foreign keys that edges follow) are listed too: `columns` is everything one row of the node needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, and_, case, func, or_, select, union_all
from sqlalchemy.sql.selectable import NamedFromClause

from auth.rules import Can, Grantor
from db import models
from db.models.enums import FACILITY_FAMILIES
from db.policies.conditions import may, national


def _table(model: type) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


TRACKED = ("created_at", "updated_at", "version")


@dataclass(frozen=True, init=False)
class NodeSpec:
    """A node type: where its rows come from, its key, the columns a row carries, its default order."""

    type_name: str
    source: FromClause
    key: str
    columns: Mapping[str, ColumnElement[object]]
    order: tuple[str, ...]

    def __init__(
        self,
        type_name: str,
        table: Table | NamedFromClause,
        key: str,
        names: tuple[str, ...],
        order: tuple[str, ...],
        *,
        joined: Table | NamedFromClause | None = None,
        on: str = "",
        computed: Mapping[str, Callable[[Table | NamedFromClause], ColumnElement[Any]]] | None = None,
    ) -> None:
        """`names` are columns of `table`, or of `joined` (joined on `joined.<on> = table.<key>`); `computed`
        are expressions over `table` a row carries besides (what the caller may see of it)."""
        columns: dict[str, ColumnElement[object]] = {}
        for name in names:
            if name in table.c and (joined is None or name not in joined.c or name in TRACKED or name == key):
                columns[name] = table.c[name]
            else:
                assert joined is not None, f"{table.name} has no column {name}"
                columns[name] = joined.c[name]
        for name, build in (computed or {}).items():
            columns[name] = build(table)
        source: FromClause = table if joined is None else table.join(joined, joined.c[on] == table.c[key])
        object.__setattr__(self, "type_name", type_name)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "_build", (table, names, joined, on, computed))

    def column(self, name: str) -> ColumnElement[object]:
        return self.columns[name]

    @property
    def stored(self) -> tuple[str, ...]:
        """The names of the columns its rows store (not those computed for the caller)."""
        computed = self._build[4] or {}  # type: ignore[attr-defined]
        return tuple(name for name in self.columns if name not in computed)

    def aliased(self) -> NodeSpec:
        """The same node type over fresh aliases of its tables: for a query reading it twice or more (a scheme
        and its children, an action and its CTG's actions), each reading its own rows."""
        table, names, joined, on, computed = self._build  # type: ignore[attr-defined]
        return NodeSpec(
            self.type_name,
            table.alias(),
            self.key,
            names,
            self.order,
            joined=None if joined is None else joined.alias(),
            on=on,
            computed=computed,
        )

    @property
    def key_column(self) -> ColumnElement[object]:
        return self.columns[self.key]


@dataclass(frozen=True)
class ChildEdge:
    """Rows of `target` whose `foreign_key` column holds the parent's `parent_column` value (and that meet
    `condition`, when the foreign key alone does not say which parent table it points to)."""

    name: str
    target: NodeSpec
    foreign_key: str
    parent_column: str = "id"
    condition: ColumnElement[bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LinkEdge:
    """Rows of `target` reached through a link table; `link_columns` are shown on the edge itself."""

    name: str
    target: NodeSpec
    link: FromClause
    link_parent: str
    link_target: str
    link_columns: tuple[str, ...] = field(default=())
    parent_column: str = "id"


REGION = NodeSpec("Region", _table(models.Region), "code", ("code", "name", "zone", *TRACKED), ("code",))
DEPARTMENT = NodeSpec(
    "Department",
    _table(models.Department),
    "code",
    ("code", "name", "article_kind", "region_code", "zone", *TRACKED),
    ("code",),
)
EPCI = NodeSpec(
    "Epci",
    _table(models.Epci),
    "siren",
    ("siren", "name", "kind", "financing_mode", "population", *TRACKED),
    ("name", "siren"),
)
COMMUNE = NodeSpec(
    "Commune",
    _table(models.Commune),
    "insee_code",
    ("insee_code", "name", "siren", "department_code", "epci_siren", "postcodes", "population", *TRACKED),
    ("insee_code",),
)
ORGANISATION = NodeSpec(
    "Organisation",
    _table(models.Organisation),
    "id",
    (
        "id",
        "kind",
        "name",
        "acronym",
        "siren",
        "siret",
        "rna",
        "email",
        "website",
        "department_code",
        "epci_siren",
        "commune_insee_code",
        *TRACKED,
    ),
    ("name", "id"),
)


def _successor(table: Table | NamedFromClause) -> ColumnElement[Any]:
    """The scheme that took over: the one recorded on supersession, or for a CEJ the CTG that replaced it
    (a CTG names the CEJ it replaces; at most one does, by a unique index)."""
    ctg = _table(models.Ctg).alias("replacing")
    replacing = select(ctg.c.scheme_id).where(ctg.c.replaces_scheme_id == table.c.id).scalar_subquery()
    successor: ColumnElement[Any] = func.coalesce(table.c.superseded_by_id, replacing)
    return successor


_SCHEME_COMPUTED = {"successor_id": _successor}

SCHEME = NodeSpec(
    "Scheme",
    _table(models.Scheme),
    "id",
    (
        "id",
        "kind",
        "title",
        "summary",
        "period_start",
        "period_end",
        "scope",
        "status",
        "department_code",
        "epci_siren",
        "parent_id",
        "source_url",
        "superseded_by_id",
        *TRACKED,
    ),
    ("period_start", "id"),
    computed=_SCHEME_COMPUTED,
)
# A CTG is a scheme row joined with its `ctg` row.
CTG = NodeSpec(
    "Ctg",
    _table(models.Scheme),
    "id",
    (
        *SCHEME.stored,
        "themes",
        "diagnostic_date",
        "diagnostic_summary",
        "coordinator_name",
        "coordinator_email",
        "coordinator_organisation_id",
        "replaces_scheme_id",
    ),
    ("period_start", "id"),
    joined=_table(models.Ctg),
    on="scheme_id",
    computed=_SCHEME_COMPUTED,
)
OBJECTIVE = NodeSpec(
    "SchemeObjective",
    _table(models.SchemeObjective),
    "id",
    ("id", "scheme_id", "position", "title", "description", *TRACKED),
    ("position", "id"),
)
SIGNATURE = NodeSpec(
    "Signature",
    _table(models.Signature),
    "id",
    ("id", "scheme_id", "organisation_id", "role", "signed_on", *TRACKED),
    ("signed_on", "id"),
)
GOVERNANCE_BODY = NodeSpec(
    "GovernanceBody",
    _table(models.GovernanceBody),
    "id",
    ("id", "ctg_id", "position", "name", "composition", "meeting_frequency", *TRACKED),
    ("position", "id"),
)
ACTION = NodeSpec(
    "Action",
    _table(models.Action),
    "id",
    (
        "id",
        "ctg_id",
        "number",
        "title",
        "description",
        "theme",
        "objectives",
        "target_public",
        "carrier_id",
        "period_start",
        "period_end",
        "status",
        "progress",
        "budget",
        "caf_funding",
        *TRACKED,
    ),
    ("ctg_id", "number"),
    # Whether the caller may see the action's budget and Caf funding (auth/rules.py, Can.SEE_BUDGET).
    computed={"money_shown": lambda table: or_(national(), may(Grantor.ACTION, Can.SEE_BUDGET, table.c.id))},
)
INDICATOR = NodeSpec(
    "Indicator",
    _table(models.Indicator),
    "id",
    ("id", "action_id", "name", "unit", "target", *TRACKED),
    ("name", "id"),
)
INDICATOR_VALUE = NodeSpec(
    "IndicatorValue",
    _table(models.IndicatorValue),
    "id",
    (
        "id",
        "indicator_id",
        "period_start",
        "period_end",
        "value",
        "comment",
        "campaign_id",
        "reported_by_issuer",
        "reported_by_subject",
        "reported_at",
        *TRACKED,
    ),
    ("period_start", "id"),
)
CAMPAIGN = NodeSpec(
    "ReportingCampaign",
    _table(models.ReportingCampaign),
    "id",
    (
        "id",
        "title",
        "department_code",
        "opened_by_id",
        "themes",
        "units",
        "period_start",
        "period_end",
        "due_on",
        "status",
        *TRACKED,
    ),
    ("period_start", "id"),
)
REMINDER = NodeSpec(
    "CampaignReminder",
    _table(models.CampaignReminder),
    "id",
    ("id", "campaign_id", "organisation_id", "missing", "sent_at", "issuer", "subject", *TRACKED),
    ("sent_at", "id"),
)
MEETING = NodeSpec(
    "GovernanceMeeting",
    _table(models.GovernanceMeeting),
    "id",
    ("id", "ctg_id", "body_id", "held_on", "attendees", "minutes", *TRACKED),
    ("held_on", "id"),
)
DECISION = NodeSpec(
    "MeetingDecision",
    _table(models.MeetingDecision),
    "id",
    ("id", "meeting_id", "ctg_id", "position", "decision", "action_id", *TRACKED),
    ("position", "id"),
)
FACILITY = NodeSpec(
    "Facility",
    _table(models.Facility),
    "id",
    (
        "id",
        "kind",
        "name",
        "capacity",
        "manager_id",
        "commune_insee_code",
        "department_code",
        "epci_siren",
        "address",
        "email",
        "phone",
        "approved_from",
        "approved_until",
        "opened_on",
        "closed_on",
        "status",
        *TRACKED,
    ),
    ("name", "id"),
    computed={
        # The family of its kind, as GraphQL shows it.
        "family": lambda table: case(
            *[(table.c.kind == kind.value, family.value) for kind, family in FACILITY_FAMILIES.items()]
        ),
        # Beyond its public data (name, kind, commune, capacity), and its money (auth/rules.py).
        "details_shown": lambda table: or_(national(), may(Grantor.FACILITY, Can.SEE_DETAILS, table.c.id)),
        "money_shown": lambda table: or_(national(), may(Grantor.FACILITY, Can.SEE_BUDGET, table.c.id)),
    },
)
FUNDING_LINE = NodeSpec(
    "FundingLine",
    _table(models.FundingLine),
    "id",
    ("id", "action_id", "facility_id", "year", "funder_id", "type", "planned", "granted", "paid", *TRACKED),
    ("year", "id"),
    computed={
        # Its amounts, as the budget of its action or facility.
        "money_shown": lambda table: or_(
            national(),
            and_(table.c.action_id.is_not(None), may(Grantor.ACTION, Can.SEE_BUDGET, table.c.action_id)),
            and_(table.c.facility_id.is_not(None), may(Grantor.FACILITY, Can.SEE_BUDGET, table.c.facility_id)),
        )
    },
)
HABILITATION = NodeSpec(
    "Habilitation",
    _table(models.Habilitation),
    "id",
    ("id", "organisation_id", "issuer", "subject", "email", "role", "status", "granted_by", "expires_at", *TRACKED),
    ("id",),
)

# The audit trail, read as the history of the entity each event is about. Not a node: events have no
# identity of their own for clients.
_audit = _table(models.AuditEvent)
CHANGE = NodeSpec(
    "Change",
    _audit,
    "id",
    (
        "id",
        "occurred_at",
        "issuer",
        "subject",
        "organisation_id",
        "entity",
        "entity_id",
        "operation",
        "changes",
        "reason",
    ),
    ("id",),
)

NODES = {
    spec.type_name: spec
    for spec in (
        REGION,
        DEPARTMENT,
        EPCI,
        COMMUNE,
        ORGANISATION,
        SCHEME,
        CTG,
        OBJECTIVE,
        SIGNATURE,
        GOVERNANCE_BODY,
        ACTION,
        INDICATOR,
        INDICATOR_VALUE,
        HABILITATION,
        FACILITY,
        FUNDING_LINE,
        CAMPAIGN,
        REMINDER,
        MEETING,
        DECISION,
    )
}

# To-many edges. To-one edges are plain foreign-key columns in `columns`, read by key.
REGION_DEPARTMENTS = ChildEdge("departments", DEPARTMENT, "region_code", "code")
DEPARTMENT_COMMUNES = ChildEdge("communes", COMMUNE, "department_code", "code")
EPCI_COMMUNES = ChildEdge("communes", COMMUNE, "epci_siren", "siren")
SCHEME_OBJECTIVES = ChildEdge("objectives", OBJECTIVE, "scheme_id")
SCHEME_SIGNATURES = ChildEdge("signatures", SIGNATURE, "scheme_id")
SCHEME_CHILDREN = ChildEdge("children", SCHEME, "parent_id")
ORGANISATION_SIGNATURES = ChildEdge("signatures", SIGNATURE, "organisation_id")
CTG_ACTIONS = ChildEdge("actions", ACTION, "ctg_id")
CTG_GOVERNANCE = ChildEdge("governance_bodies", GOVERNANCE_BODY, "ctg_id")
ORGANISATION_ACTIONS_CARRIED = ChildEdge("actions_carried", ACTION, "carrier_id")
ACTION_INDICATORS = ChildEdge("indicators", INDICATOR, "action_id")
INDICATOR_VALUES = ChildEdge("values", INDICATOR_VALUE, "indicator_id")
ACTION_PARTNERS = LinkEdge(
    "partners", ORGANISATION, _table(models.ActionPartner), "action_id", "organisation_id", ("role",)
)
ORGANISATION_ACTIONS_PARTNERED = LinkEdge(
    "actions_partnered", ACTION, _table(models.ActionPartner), "organisation_id", "action_id", ("role",)
)
ACTION_OBJECTIVES = LinkEdge(
    "objectives_served", OBJECTIVE, _table(models.ActionObjective), "action_id", "objective_id"
)
CTG_COMMUNE_LIST = LinkEdge("listed_communes", COMMUNE, _table(models.SchemeCommune), "scheme_id", "commune_insee_code")

_scheme, _commune, _scheme_commune = _table(models.Scheme), _table(models.Commune), _table(models.SchemeCommune)

# Which communes each scheme covers: its EPCI's members, its commune list, or its whole department.
COVERAGE = union_all(
    select(_scheme.c.id.label("scheme_id"), _commune.c.insee_code.label("commune_insee_code"))
    .select_from(_scheme.join(_commune, _commune.c.epci_siren == _scheme.c.epci_siren))
    .where(_scheme.c.scope == "epci"),
    select(_scheme_commune.c.scheme_id, _scheme_commune.c.commune_insee_code),
    select(_scheme.c.id, _commune.c.insee_code)
    .select_from(_scheme.join(_commune, _commune.c.department_code == _scheme.c.department_code))
    .where(_scheme.c.scope == "department"),
).subquery("coverage")

# Which departments each EPCI has member communes in (EPCIs may straddle departments).
EPCI_PRESENCE = (
    select(_commune.c.epci_siren, _commune.c.department_code)
    .where(_commune.c.epci_siren.is_not(None))
    .distinct()
    .subquery("epci_presence")
)

DEPARTMENT_EPCIS = LinkEdge("epcis", EPCI, EPCI_PRESENCE, "department_code", "epci_siren", parent_column="code")
EPCI_DEPARTMENTS = LinkEdge(
    "departments", DEPARTMENT, EPCI_PRESENCE, "epci_siren", "department_code", parent_column="siren"
)
DEPARTMENT_SCHEMES = ChildEdge("schemes", SCHEME, "department_code", "code")
DEPARTMENT_CTGS = ChildEdge("ctgs", CTG, "department_code", "code")
# Which CTGs cover each EPCI's territory: any of its communes (its own CTGs, commune lists, its department's).
EPCI_COVERAGE = (
    select(_commune.c.epci_siren, COVERAGE.c.scheme_id)
    .select_from(COVERAGE.join(_commune, _commune.c.insee_code == COVERAGE.c.commune_insee_code))
    .where(_commune.c.epci_siren.is_not(None))
    .distinct()
    .subquery("epci_coverage")
)
EPCI_CTGS = LinkEdge("ctgs", CTG, EPCI_COVERAGE, "epci_siren", "scheme_id", parent_column="siren")
COMMUNE_CTGS = LinkEdge("ctgs", CTG, COVERAGE, "commune_insee_code", "scheme_id", parent_column="insee_code")
SCHEME_COMMUNES = LinkEdge("communes", COMMUNE, COVERAGE, "scheme_id", "commune_insee_code")
ACTION_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "action")
# A CTG is a scheme: its changes are recorded on either row, under the same id.
SCHEME_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity.in_(("scheme", "ctg")))
ORGANISATION_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "organisation")
OBJECTIVE_ACTIONS = LinkEdge("actions", ACTION, _table(models.ActionObjective), "objective_id", "action_id")
ORGANISATION_HABILITATIONS = ChildEdge("habilitations", HABILITATION, "organisation_id")
HABILITATION_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "habilitation")

_facility_action = _table(models.FacilityAction)
COMMUNE_FACILITIES = ChildEdge("facilities", FACILITY, "commune_insee_code", "insee_code")
EPCI_FACILITIES = ChildEdge("facilities", FACILITY, "epci_siren", "siren")
DEPARTMENT_FACILITIES = ChildEdge("facilities", FACILITY, "department_code", "code")
ORGANISATION_FACILITIES = ChildEdge("facilities_managed", FACILITY, "manager_id")
ACTION_FACILITIES = LinkEdge("facilities", FACILITY, _facility_action, "action_id", "facility_id", ("link",))
FACILITY_ACTIONS = LinkEdge("actions", ACTION, _facility_action, "facility_id", "action_id", ("link",))
ACTION_FUNDING = ChildEdge("funding_lines", FUNDING_LINE, "action_id")
FACILITY_FUNDING = ChildEdge("funding_lines", FUNDING_LINE, "facility_id")
FACILITY_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "facility")

CAMPAIGN_CTGS = LinkEdge("ctgs", CTG, _table(models.CampaignCtg), "campaign_id", "ctg_id")
CAMPAIGN_REMINDERS = ChildEdge("reminders", REMINDER, "campaign_id")
CAMPAIGN_VALUES = ChildEdge("values", INDICATOR_VALUE, "campaign_id")
CAMPAIGN_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "reporting_campaign")
CTG_MEETINGS = ChildEdge("meetings", MEETING, "ctg_id")
BODY_MEETINGS = ChildEdge("meetings", MEETING, "body_id")
MEETING_DECISIONS = ChildEdge("decisions", DECISION, "meeting_id")
ACTION_DECISIONS = ChildEdge("decisions", DECISION, "action_id")
MEETING_HISTORY = ChildEdge("history", CHANGE, "entity_id", condition=_audit.c.entity == "governance_meeting")
