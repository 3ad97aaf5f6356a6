"""The application's own scoping of graph reads, on top of row-level security.

Row-level security (migration 0004) already hides what a caller may not see; these conditions say it
again in every query the application builds, so that a connection which escaped the service role
(a misconfiguration, a superuser URL) still returns only the caller's rows. Both read the same
visibility functions, fed by the transaction's `maillage.*` settings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from db.graph.mapping import NodeSpec, _table
from db.models import Indicator, Organisation

_indicator = _table(Indicator)
_organisation = _table(Organisation)

# Node types whose rows are archived rather than deleted: archived rows are gone for every reader.
_ARCHIVABLE = frozenset({"Scheme", "Ctg", "Action", "Organisation"})


def _schemes() -> Any:
    return select(func.visible_scheme_ids())


def _actions() -> Any:
    return select(func.visible_action_ids())


def _organisations() -> Any:
    return select(func.visible_organisation_ids())


def _indicators() -> Any:
    return select(_indicator.c.id).where(_indicator.c.action_id.in_(_actions()))


# Node type → the column whose value must be visible, and the set it must be in.
_RULES = {
    "Scheme": ("id", _schemes),
    "Ctg": ("id", _schemes),
    "SchemeObjective": ("scheme_id", _schemes),
    "Signature": ("scheme_id", _schemes),
    "GovernanceBody": ("ctg_id", _schemes),
    "Action": ("id", _actions),
    "Indicator": ("action_id", _actions),
    "IndicatorValue": ("indicator_id", _indicators),
    "Organisation": ("id", _organisations),
}


def _managed_or_own(spec: NodeSpec) -> ColumnElement[bool]:
    """Habilitations are shown to those who manage them (the organisation's admins, the Caf managers of its
    department) and to the identity holding them, national readers included: row-level security lets an
    organisation's members and its Caf see more, to resolve and supervise, not to list."""
    organisation = spec.column("organisation_id")
    managed = select(_organisation.c.id).where(
        _organisation.c.department_code.in_(select(func.unnest(func.access_managed_departments())))
    )
    return or_(
        organisation.in_(select(func.unnest(func.access_administered_organisations()))),
        organisation.in_(managed),
        and_(spec.column("issuer") == func.access_issuer(), spec.column("subject") == func.access_subject()),
    )


# Node type → a condition applied to every reader, national or not.
_NARROWED = {"Habilitation": _managed_or_own}


def visible(spec: NodeSpec, national: bool) -> list[ColumnElement[bool]]:
    """Conditions keeping the rows of `spec` the transaction's caller may see: never an archived row; for
    callers other than national ones, only the rows their scope reaches (the territory reference is public)."""
    conditions: list[ColumnElement[bool]] = []
    if spec.type_name in _ARCHIVABLE:
        # The key's table is the archived one (a CTG's is its scheme row), aliased or not.
        conditions.append(spec.key_column.table.c.archived_at.is_(None))
    narrowed = _NARROWED.get(spec.type_name)
    if narrowed is not None:
        conditions.append(narrowed(spec))
    rule = _RULES.get(spec.type_name)
    if national or rule is None:
        return conditions
    column, visible_set = rule
    return [*conditions, spec.column(column).in_(visible_set())]


def reached(type_name: str, column: ColumnElement[object], national: bool) -> list[ColumnElement[bool]]:
    """The scope part of `visible` alone, archived rows included: for the feed of what was deleted, which
    tells a caller of the rows it could see before."""
    rule = _RULES.get(type_name)
    if national or rule is None:
        return []
    return [column.in_(rule[1]())]
