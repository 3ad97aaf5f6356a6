"""The conditions the access rules stand for, as SQLAlchemy expressions over a table or an alias of it.

The application adds them to the queries it builds (db/graph/visibility.py, the writes' capability checks),
and `db.policies.ddl` compiles the very same expressions into PostgreSQL's row-level security policies: one
definition serves both layers. Every permission on a grantor is a probe of its grant table by the object's
key and the caller's keys, which both PostgreSQL's planner (a semi-join from the grantee index) and a single
row's check (the primary key) answer by index. The caller's keys are read once per statement, as an init plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Table,
    Text,
    and_,
    any_,
    cast,
    exists,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.sql.selectable import NamedFromClause

from auth.rules import (
    ANY_RELATION,
    CARRIER_ACTION_FIELDS,
    FACILITY_CONTACT_FIELDS,
    NETWORK_KINDS,
    ORGANISATION_CONTACT_FIELDS,
    Can,
    Grantor,
    Key,
    Relation,
    allowed,
)
from db import models

Source = Table | NamedFromClause
Condition = Callable[[Source], ColumnElement[bool]]


def _table(model: type) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


GRANTS: dict[Grantor, tuple[Table, str]] = {
    Grantor.ACTION: (_table(models.ActionGrant), "action_id"),
    Grantor.SCHEME: (_table(models.SchemeGrant), "scheme_id"),
    Grantor.ORGANISATION: (_table(models.OrganisationGrant), "organisation_id"),
    Grantor.FACILITY: (_table(models.FacilityGrant), "facility_id"),
}
_action, _scheme = _table(models.Action), _table(models.Scheme)
_indicator, _organisation = _table(models.Indicator), _table(models.Organisation)
_facility = _table(models.Facility)
_campaign = _table(models.ReportingCampaign)
_meeting = _table(models.GovernanceMeeting)


def caller_keys() -> ColumnElement[Any]:
    """The caller's keys, once per statement (an init plan). In parentheses: `= ANY ((SELECT ...))` compares with
    the array (the cast makes it an expression), where `= ANY (SELECT ...)` would compare with each row."""
    return literal_column("(SELECT access_keys())::text[]", ARRAY(Text))


def national() -> ColumnElement[bool]:
    """Whether the caller is Cnaf staff, who read everything."""
    return select(func.access_national()).scalar_subquery()


def holds(kind: Key, value: ColumnElement[Any] | None = None) -> ColumnElement[bool]:
    """Whether the caller holds the key `kind:value` (`kind` alone without a value)."""
    named: ColumnElement[Any] = literal(kind.value) if value is None else literal(f"{kind.value}:") + cast(value, Text)
    return named == any_(caller_keys())


def granted(
    grantor: Grantor, key: ColumnElement[Any], relations: frozenset[Relation] = ANY_RELATION
) -> ColumnElement[bool]:
    """Whether the object of `grantor` whose key is `key` grants the caller one of `relations`."""
    table, column = GRANTS[grantor]
    grant = table.alias()
    conditions = [grant.c[column] == key, grant.c.grantee == any_(caller_keys())]
    if relations != ANY_RELATION:
        conditions.append(grant.c.relation.in_(sorted(relation.value for relation in relations)))
    return exists(select(literal_column("1")).select_from(grant).where(*conditions).correlate_except(grant))


def may(grantor: Grantor, can: Can, key: ColumnElement[Any]) -> ColumnElement[bool]:
    return granted(grantor, key, allowed(grantor, can))


def _live(table: Table, key: ColumnElement[Any], *more: ColumnElement[bool]) -> ColumnElement[bool]:
    row = table.alias()
    return exists(
        select(literal_column("1"))
        .select_from(row)
        .where(row.c.id == key, row.c.archived_at.is_(None), *[_adapt(condition, table, row) for condition in more])
        .correlate_except(row)
    )


def _adapt(condition: ColumnElement[bool], table: Table, alias: Any) -> ColumnElement[bool]:
    from sqlalchemy.sql.util import ClauseAdapter

    adapted: ColumnElement[bool] = ClauseAdapter(alias).traverse(condition)
    return adapted


def action_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_action, key)


def scheme_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_scheme, key)


def organisation_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_organisation, key)


def facility_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_facility, key)


def facility_readable(status: ColumnElement[Any], key: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether the caller may read the facility: everyone an open one (Relation.PUBLIC, told by its status rather
    than granted: nearly every facility is open, and public grants of them all made every caller's grant set
    national and a listing cost seconds), and the others by grant (grants.FACILITY_SOURCE)."""
    return or_(status == "open", granted(Grantor.FACILITY, key))


def meeting_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_meeting, key)


def campaign_live(key: ColumnElement[Any]) -> ColumnElement[bool]:
    return _live(_campaign, key)


def campaign_steered(key: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether the campaign `key` is live and the caller runs it."""
    return _live(_campaign, key, campaign_steward(_campaign))


def funded_by_a_caf(funder_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether a funding line's funder is a Caf: its amounts are the Caf's to set."""
    funder = _organisation.alias()
    return exists(
        select(literal_column("1"))
        .select_from(funder)
        .where(funder.c.id == funder_id, funder.c.kind == "caf")
        .correlate_except(funder)
    )


def indicator_action(
    indicator_id: ColumnElement[Any], condition: Callable[[ColumnElement[Any]], ColumnElement[bool]]
) -> ColumnElement[bool]:
    """`condition` on the action of the indicator `indicator_id`."""
    indicator = _indicator.alias()
    return exists(
        select(literal_column("1"))
        .select_from(indicator)
        .where(indicator.c.id == indicator_id, condition(indicator.c.action_id))
        .correlate_except(indicator)
    )


def own(t: Source) -> ColumnElement[bool]:
    """A row naming the caller's own identity (its habilitations, its idempotency keys)."""
    return and_(
        t.c.issuer == select(func.access_issuer()).scalar_subquery(),
        t.c.subject == select(func.access_subject()).scalar_subquery(),
    )


def _organisation_where(organisation_id: ColumnElement[Any], kind: Key) -> ColumnElement[bool]:
    """Whether the caller holds `kind:<department>` for the organisation's department."""
    organisation = _organisation.alias()
    return exists(
        select(literal_column("1"))
        .select_from(organisation)
        .where(organisation.c.id == organisation_id, holds(kind, organisation.c.department_code))
        .correlate_except(organisation)
    )


def organisation_steward(t: Source) -> ColumnElement[bool]:
    """Who creates, changes and archives an organisation: the Cnaf's managers, and the Caf of its department
    for any kind but the Caf network's own (a Caf is not its own steward)."""
    return or_(
        holds(Key.CNAF_EDITOR),
        and_(t.c.kind.not_in(sorted(NETWORK_KINDS)), holds(Key.CAF, t.c.department_code)),
    )


# Creating an organisation takes what changing it takes, judged on the row to be.
organisation_creator = organisation_steward


def campaign_steward(t: Source) -> ColumnElement[bool]:
    """Who opens and runs a reporting campaign: the Cnaf's managers, and the Caf of its department."""
    return or_(holds(Key.CNAF_EDITOR), and_(t.c.department_code.is_not(None), holds(Key.CAF, t.c.department_code)))


def holds_any(kind: Key) -> ColumnElement[bool]:
    """Whether the caller holds some key of this kind (`caf:...`)."""
    key = func.unnest(caller_keys()).table_valued("key").render_derived()
    return exists(select(literal_column("1")).select_from(key).where(key.c.key.startswith(f"{kind.value}:")))


def scheme_steward(t: Source) -> ColumnElement[bool]:
    """Who changes a scheme, from its own columns (the same function gives its STEWARD grants)."""
    steward: ColumnElement[Any] = func.scheme_steward_key(t.c.kind, t.c.scope, t.c.department_code)
    return steward == any_(caller_keys())


def manages_habilitations(organisation_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """An organisation's habilitations are managed by its admins and the Caf managers of its department."""
    return or_(holds(Key.ADMIN, organisation_id), _organisation_where(organisation_id, Key.CAF_MANAGER))


def confers(organisation_id: ColumnElement[Any], role: ColumnElement[Any]) -> ColumnElement[bool]:
    """Nobody confers more than they hold: what the role gives there is within what the caller can."""
    confers_within: ColumnElement[bool] = func.confers_within(
        func.membership_keys(organisation_id, role), caller_keys()
    )
    return confers_within


@dataclass(frozen=True)
class Partly:
    """Callers who may update a row without `whole` change only `fields` of it (besides its version and
    time of change): `whole` must hold of the row both as it was and as it becomes."""

    whole: Condition
    fields: frozenset[str]


@dataclass(frozen=True)
class Reserved:
    """Columns only callers for whom `who` holds of the row (as it was and as it becomes) change: the Caf's amounts
    on rows others may change too."""

    who: Condition
    fields: frozenset[str]


@dataclass(frozen=True)
class TableRules:
    """A table's row-level security: who reads rows, inserts them, updates them (which rows, into what), deletes
    them. None: the service may not. Policies judge rows; what they cannot judge, the columns that change,
    a trigger does: `fixed` columns keep their value for good, `partly` limits some callers to some fields, and
    `reserved` keeps some fields to some callers."""

    read: Condition
    insert: Condition | None = None
    update: Condition | None = None
    update_check: Condition | None = None  # None: as `update`
    delete: Condition | None = None
    fixed: frozenset[str] = frozenset()
    partly: Partly | None = None
    reserved: Reserved | None = None


def _of_action(column: str, can: Can) -> Condition:
    return lambda t: and_(may(Grantor.ACTION, can, t.c[column]), action_live(t.c[column]))


def _of_scheme(column: str) -> Condition:
    return lambda t: and_(may(Grantor.SCHEME, Can.STEWARD, t.c[column]), scheme_live(t.c[column]))


def _action_part(column: str = "action_id", *, deleted: bool = True) -> TableRules:
    write = _of_action(column, Can.PLAN)
    return TableRules(lambda t: granted(Grantor.ACTION, t.c[column]), write, write, None, write if deleted else None)


def _scheme_part(column: str = "scheme_id", *, deleted: bool = True) -> TableRules:
    write = _of_scheme(column)
    return TableRules(lambda t: granted(Grantor.SCHEME, t.c[column]), write, write, None, write if deleted else None)


def _report(t: Source) -> ColumnElement[bool]:
    return indicator_action(
        t.c.indicator_id, lambda action_id: and_(may(Grantor.ACTION, Can.REPORT, action_id), action_live(action_id))
    )


def _habilitation_write(t: Source) -> ColumnElement[bool]:
    # Suspending or revoking one's own habilitation is fine; granting or reinstating it is not.
    return and_(
        manages_habilitations(t.c.organisation_id),
        or_(t.c.status != "active", not_(own(t))),
        confers(t.c.organisation_id, t.c.role),
    )


def _funding_read(t: Source) -> ColumnElement[bool]:
    return or_(
        and_(t.c.action_id.is_not(None), granted(Grantor.ACTION, t.c.action_id)),
        and_(t.c.facility_id.is_not(None), may(Grantor.FACILITY, Can.SEE_DETAILS, t.c.facility_id)),
    )


def _funds(t: Source) -> ColumnElement[bool]:
    """Whether the caller is the Caf of a funding line's action or facility (Can.FUND): its amounts granted are
    the Caf's."""
    return or_(
        and_(t.c.action_id.is_not(None), may(Grantor.ACTION, Can.FUND, t.c.action_id)),
        and_(t.c.facility_id.is_not(None), may(Grantor.FACILITY, Can.FUND, t.c.facility_id)),
    )


def _funding_insert(t: Source) -> ColumnElement[bool]:
    return and_(_funding_write(t), or_(t.c.granted.is_(None), _funds(t)))


def _funding_write(t: Source) -> ColumnElement[bool]:
    """An action's lines: those who plan it, a Caf's lines only by the Caf; a facility's: its Caf."""
    return or_(
        and_(
            t.c.action_id.is_not(None),
            may(Grantor.ACTION, Can.PLAN, t.c.action_id),
            action_live(t.c.action_id),
            or_(not_(funded_by_a_caf(t.c.funder_id)), may(Grantor.ACTION, Can.FUND, t.c.action_id)),
        ),
        and_(
            t.c.facility_id.is_not(None),
            may(Grantor.FACILITY, Can.FUND, t.c.facility_id),
            facility_live(t.c.facility_id),
        ),
    )


def _of_campaign(column: str) -> Condition:
    """Writes to what belongs to a live campaign: its steward's."""
    return lambda t: campaign_steered(t.c[column])


def _of_meetings(t: Source) -> ColumnElement[bool]:
    return and_(may(Grantor.SCHEME, Can.RECORD_MEETING, t.c.ctg_id), scheme_live(t.c.ctg_id))


def _facility_link_write(t: Source) -> ColumnElement[bool]:
    return and_(may(Grantor.FACILITY, Can.STEWARD, t.c.facility_id), facility_live(t.c.facility_id))


def _audited(t: Source) -> ColumnElement[bool]:
    return or_(
        and_(t.c.entity == "action", granted(Grantor.ACTION, t.c.entity_id)),
        and_(t.c.entity.in_(("scheme", "ctg")), granted(Grantor.SCHEME, t.c.entity_id)),
        and_(t.c.entity == "organisation", granted(Grantor.ORGANISATION, t.c.entity_id)),
        and_(t.c.entity == "facility", may(Grantor.FACILITY, Can.SEE_DETAILS, t.c.entity_id)),
        t.c.entity == "reporting_campaign",
        and_(t.c.entity == "governance_meeting", _readable(_table(models.GovernanceMeeting), t.c.entity_id)),
        and_(t.c.entity == "habilitation", _readable(_table(models.Habilitation), t.c.entity_id)),
    )


def _readable(table: Table, key: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether the row `key` of `table` is one the caller reads: that table's own policy decides."""
    row = table.alias()
    return exists(select(literal_column("1")).select_from(row).where(row.c.id == key).correlate_except(row))


# Every table the service reads under row-level security, and what it may do there.
TABLES: dict[str, TableRules] = {
    "action": TableRules(
        read=lambda t: granted(Grantor.ACTION, t.c.id),
        insert=lambda t: and_(
            may(Grantor.SCHEME, Can.CREATE_ACTION, t.c.ctg_id), _live(_scheme, t.c.ctg_id, _scheme.c.kind == "CTG")
        ),
        update=lambda t: and_(t.c.archived_at.is_(None), may(Grantor.ACTION, Can.CHANGE, t.c.id)),
        update_check=lambda t: may(Grantor.ACTION, Can.CHANGE, t.c.id),
        # An action belongs to its CTG's plan for good, under its number there.
        fixed=frozenset({"ctg_id", "number"}),
        # Its carrier changes what CARRIER_ACTION_FIELDS name, and moves it along the workflow.
        partly=Partly(
            lambda t: may(Grantor.ACTION, Can.CHANGE_EVERY_FIELD, t.c.id), CARRIER_ACTION_FIELDS | {"status"}
        ),
        # Its Caf funding is the Caf's (what its validation stood for); the totals of its lines move it too, by a
        # trigger of the owner's.
        reserved=Reserved(lambda t: may(Grantor.ACTION, Can.FUND, t.c.id), frozenset({"caf_funding"})),
    ),
    "action_partner": _action_part(),
    "action_objective": _action_part(),
    "indicator": _action_part(deleted=False),
    "indicator_value": TableRules(
        read=lambda t: indicator_action(t.c.indicator_id, lambda action_id: granted(Grantor.ACTION, action_id)),
        insert=_report,
        update=_report,
    ),
    "scheme": TableRules(
        read=lambda t: granted(Grantor.SCHEME, t.c.id),
        insert=scheme_steward,
        update=lambda t: and_(t.c.archived_at.is_(None), may(Grantor.SCHEME, Can.STEWARD, t.c.id)),
        update_check=scheme_steward,
    ),
    "ctg": _scheme_part(deleted=False),
    "scheme_objective": _scheme_part(),
    "signature": _scheme_part(),
    "scheme_commune": _scheme_part(),
    "governance_body": _scheme_part("ctg_id"),
    "organisation": TableRules(
        read=lambda t: granted(Grantor.ORGANISATION, t.c.id),
        insert=organisation_creator,
        update=lambda t: and_(t.c.archived_at.is_(None), or_(organisation_steward(t), holds(Key.ADMIN, t.c.id))),
        update_check=lambda t: or_(organisation_steward(t), holds(Key.ADMIN, t.c.id)),
        partly=Partly(organisation_steward, ORGANISATION_CONTACT_FIELDS),
    ),
    "habilitation": TableRules(
        # Its members see an organisation's habilitations, its Caf supervises them, an identity sees its own.
        read=lambda t: or_(
            holds(Key.ORGANISATION, t.c.organisation_id),
            _organisation_where(t.c.organisation_id, Key.CAF),
            own(t),
        ),
        insert=_habilitation_write,
        update=lambda t: manages_habilitations(t.c.organisation_id),
        update_check=_habilitation_write,
    ),
    "facility": TableRules(
        read=lambda t: facility_readable(t.c.status, t.c.id),
        # The department is the commune's, set by a trigger before the check.
        insert=lambda t: holds(Key.CAF, t.c.department_code),
        update=lambda t: and_(
            t.c.archived_at.is_(None),
            or_(may(Grantor.FACILITY, Can.STEWARD, t.c.id), may(Grantor.FACILITY, Can.CHANGE_CONTACT, t.c.id)),
        ),
        # Its steward keeps it in its own department; the others' changes leave the department as it was.
        update_check=lambda t: or_(
            and_(may(Grantor.FACILITY, Can.STEWARD, t.c.id), holds(Key.CAF, t.c.department_code)),
            and_(not_(may(Grantor.FACILITY, Can.STEWARD, t.c.id)), may(Grantor.FACILITY, Can.CHANGE_CONTACT, t.c.id)),
        ),
        partly=Partly(lambda t: may(Grantor.FACILITY, Can.STEWARD, t.c.id), FACILITY_CONTACT_FIELDS),
    ),
    "facility_action": TableRules(
        read=lambda t: or_(
            may(Grantor.FACILITY, Can.SEE_DETAILS, t.c.facility_id), granted(Grantor.ACTION, t.c.action_id)
        ),
        insert=_facility_link_write,
        update=_facility_link_write,
        delete=_facility_link_write,
    ),
    "funding_line": TableRules(
        read=_funding_read,
        insert=_funding_insert,
        update=_funding_write,
        delete=_funding_write,
        # Every line's amount granted is the Caf's.
        reserved=Reserved(_funds, frozenset({"granted"})),
    ),
    "reporting_campaign": TableRules(
        read=lambda t: true(),
        insert=campaign_steward,
        update=lambda t: and_(t.c.archived_at.is_(None), campaign_steward(t)),
        update_check=campaign_steward,
    ),
    "campaign_ctg": TableRules(
        read=lambda t: true(), insert=_of_campaign("campaign_id"), delete=_of_campaign("campaign_id")
    ),
    "campaign_reminder": TableRules(
        # The campaign's stewards, and the reminded organisation's members.
        read=lambda t: or_(_of_campaign("campaign_id")(t), holds(Key.ORGANISATION, t.c.organisation_id)),
        insert=_of_campaign("campaign_id"),
    ),
    "governance_meeting": TableRules(
        read=lambda t: granted(Grantor.SCHEME, t.c.ctg_id),
        insert=_of_meetings,
        update=lambda t: and_(t.c.archived_at.is_(None), _of_meetings(t)),
        update_check=_of_meetings,
    ),
    "meeting_decision": TableRules(
        read=lambda t: granted(Grantor.SCHEME, t.c.ctg_id),
        insert=_of_meetings,
        update=_of_meetings,
        delete=_of_meetings,
    ),
    "audit_event": TableRules(read=_audited, insert=lambda t: true()),
    "idempotency_key": TableRules(read=own, insert=own, update=own),
}

# The model of every table in TABLES.
MODELS: dict[str, type] = {
    "action": models.Action,
    "action_partner": models.ActionPartner,
    "action_objective": models.ActionObjective,
    "indicator": models.Indicator,
    "indicator_value": models.IndicatorValue,
    "scheme": models.Scheme,
    "ctg": models.Ctg,
    "scheme_objective": models.SchemeObjective,
    "signature": models.Signature,
    "scheme_commune": models.SchemeCommune,
    "governance_body": models.GovernanceBody,
    "organisation": models.Organisation,
    "habilitation": models.Habilitation,
    "facility": models.Facility,
    "facility_action": models.FacilityAction,
    "funding_line": models.FundingLine,
    "reporting_campaign": models.ReportingCampaign,
    "campaign_ctg": models.CampaignCtg,
    "campaign_reminder": models.CampaignReminder,
    "governance_meeting": models.GovernanceMeeting,
    "meeting_decision": models.MeetingDecision,
    "audit_event": models.AuditEvent,
    "idempotency_key": models.IdempotencyKey,
}


def table_of(name: str) -> Table:
    return _table(MODELS[name])


# Tables whose policies let national callers read every row.
NATIONAL_READS = frozenset(TABLES) - {"idempotency_key"}


def relations_held(grantor: Grantor, key: ColumnElement[Any]) -> ColumnElement[Any]:
    """The relations the object of `grantor` whose key is `key` grants the caller, as an array: read beside the
    object in the same statement, for the application to say what the caller may do with it."""
    table, column = GRANTS[grantor]
    grant = table.alias()
    held = (
        select(func.coalesce(func.array_agg(grant.c.relation.distinct()), literal_column("'{}'::text[]")))
        .where(grant.c[column] == key, grant.c.grantee == any_(caller_keys()))
        .correlate_except(grant)
        .scalar_subquery()
    )
    return held


def proposed(values: dict[str, Any]) -> Any:
    """A row of proposed values, to evaluate a rule on columns (`organisation_steward`...) before it exists."""
    return select(*[literal(value).label(name) for name, value in values.items()]).subquery()
