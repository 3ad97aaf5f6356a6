"""The application's own scoping of graph reads, on top of row-level security.

Row-level security already hides what a caller may not see; these conditions say it again in every query the
application builds, from the same rules (db/policies/conditions.py), so that a connection which escaped the
service role (a misconfiguration, a superuser URL) still returns only the caller's rows. They are also what
makes a scoped caller's query fast: each is a semi-join PostgreSQL drives from the grant tables' grantee
index, where the policies only check the rows found.

Archived rows, and the children of archived rows, leave every read; row-level security does not hide them (the
feed of what was deleted reads them), the application does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_

from auth.rules import Can, Grantor, Key
from db.graph.mapping import NodeSpec
from db.policies.conditions import (
    action_live,
    campaign_live,
    campaign_steered,
    facility_live,
    facility_readable,
    granted,
    holds,
    indicator_action,
    manages_habilitations,
    may,
    meeting_live,
    own,
    scheme_live,
)

Column = Callable[[str], ColumnElement[Any]]

# Node types whose rows are archived rather than deleted: archived rows are gone for every reader.
_ARCHIVABLE = frozenset(
    {"Scheme", "Ctg", "Action", "Organisation", "Facility", "ReportingCampaign", "GovernanceMeeting"}
)

# Node type → whether its row's parent is live: a child of an archived row is gone with it.
_PARENT_LIVE: dict[str, Callable[[Column], ColumnElement[bool]]] = {
    "SchemeObjective": lambda c: scheme_live(c("scheme_id")),
    "Signature": lambda c: scheme_live(c("scheme_id")),
    "GovernanceBody": lambda c: scheme_live(c("ctg_id")),
    "Indicator": lambda c: action_live(c("action_id")),
    "IndicatorValue": lambda c: indicator_action(c("indicator_id"), action_live),
    # The identity holding a habilitation may no longer see its organisation: asked of a definer function.
    "Habilitation": lambda c: not_(func.organisation_archived(c("organisation_id"))),
    "FundingLine": lambda c: or_(action_live(c("action_id")), facility_live(c("facility_id"))),
    "CampaignReminder": lambda c: campaign_live(c("campaign_id")),
    "GovernanceMeeting": lambda c: scheme_live(c("ctg_id")),
    "MeetingDecision": lambda c: and_(meeting_live(c("meeting_id")), scheme_live(c("ctg_id"))),
}

# Node type → what the caller must be granted to read a row, from the row's columns (as the policies say).
_READ: dict[str, Callable[[Column], ColumnElement[bool]]] = {
    "Scheme": lambda c: granted(Grantor.SCHEME, c("id")),
    "Ctg": lambda c: granted(Grantor.SCHEME, c("id")),
    "SchemeObjective": lambda c: granted(Grantor.SCHEME, c("scheme_id")),
    "Signature": lambda c: granted(Grantor.SCHEME, c("scheme_id")),
    "GovernanceBody": lambda c: granted(Grantor.SCHEME, c("ctg_id")),
    "Action": lambda c: granted(Grantor.ACTION, c("id")),
    "Indicator": lambda c: granted(Grantor.ACTION, c("action_id")),
    "IndicatorValue": lambda c: indicator_action(c("indicator_id"), lambda action: granted(Grantor.ACTION, action)),
    "Organisation": lambda c: granted(Grantor.ORGANISATION, c("id")),
    "Facility": lambda c: facility_readable(c("status"), c("id")),
    "FundingLine": lambda c: or_(
        and_(c("action_id").is_not(None), granted(Grantor.ACTION, c("action_id"))),
        and_(c("facility_id").is_not(None), may(Grantor.FACILITY, Can.SEE_DETAILS, c("facility_id"))),
    ),
    "CampaignReminder": lambda c: or_(
        campaign_steered(c("campaign_id")), holds(Key.ORGANISATION, c("organisation_id"))
    ),
    "GovernanceMeeting": lambda c: granted(Grantor.SCHEME, c("ctg_id")),
    "MeetingDecision": lambda c: granted(Grantor.SCHEME, c("ctg_id")),
}


def _managed_or_own(spec: NodeSpec) -> ColumnElement[bool]:
    """Habilitations are listed to those who manage them (the organisation's admins, the Caf managers of its
    department) and to the identity holding them, national readers included: row-level security lets an
    organisation's members and its Caf see more, to resolve and supervise, not to list."""
    return or_(manages_habilitations(spec.column("organisation_id")), own(spec.key_column.table))


# Node type → a condition applied to every reader, national or not.
_NARROWED = {"Habilitation": _managed_or_own}


def visible(spec: NodeSpec, national: bool, *, archived_too: bool = False) -> list[ColumnElement[bool]]:
    """Conditions keeping the rows of `spec` the transaction's caller may see: never an archived row or a child
    of one (unless `archived_too`: a signature still names who signed); for callers other than national ones,
    only the rows their keys are granted (the territory reference is public)."""
    conditions: list[ColumnElement[bool]] = []
    if not archived_too:
        if spec.type_name in _ARCHIVABLE:
            # The key's table is the archived one (a CTG's is its scheme row), aliased or not.
            conditions.append(spec.key_column.table.c.archived_at.is_(None))
        parent_live = _PARENT_LIVE.get(spec.type_name)
        if parent_live is not None:
            conditions.append(parent_live(spec.column))
    narrowed = _NARROWED.get(spec.type_name)
    if narrowed is not None:
        conditions.append(narrowed(spec))
    read = _READ.get(spec.type_name)
    if national or read is None:
        return conditions
    return [*conditions, read(spec.column)]


def reached(type_name: str, column: ColumnElement[object], national: bool) -> list[ColumnElement[bool]]:
    """The scope part of `visible` alone, archived rows included: for the feed of what was deleted, which
    tells a caller of the rows it could see before."""
    read = _READ.get(type_name)
    if national or read is None:
        return []
    return [read(lambda _name: column)]
