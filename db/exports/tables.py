"""What each export holds: its columns, and its rows for a filter, as one SELECT under the caller's scope.

The rows are those the GraphQL connection with the same filter lists, in its default order: the same filter
conditions (db/graph/filters.py), the same visibility (db/graph/visibility.py), and amounts or details only
where the field GraphQL shows would not be null (the mapping's `money_shown` and `details_shown`). Related
rows (a CTG's title, a carrier's name) come through outer joins: row-level security hides what the caller may
not see of them, never the exported row itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, func, select

from db.exports.columns import Column, global_id, instant, labelled, labelled_list, shown
from db.graph.equipment import FundingFilter, funding_conditions
from db.graph.filters import (
    ActionFilter,
    FacilityFilter,
    SchemeFilter,
    action_conditions,
    facility_conditions,
    scheme_conditions,
)
from db.graph.mapping import ACTION, CTG, FACILITY, FUNDING_LINE, NodeSpec, _table
from db.graph.visibility import visible
from db.models import Action, Commune, Epci, Facility, Organisation, Scheme
from db.models.enums import (
    ActionStatus,
    FacilityFamily,
    FacilityKind,
    FacilityStatus,
    FundingType,
    SchemeScope,
    SchemeStatus,
    Theme,
)


@dataclass(frozen=True)
class ExportRows:
    """One export's SELECT: a column per `columns`, labelled with its header, in the connection's order."""

    name: str
    columns: tuple[Column, ...]
    statement: Select[Any]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    def count(self) -> Select[Any]:
        """How many rows the export holds: the same rows, counted."""
        return select(func.count()).select_from(self.statement.order_by(None).subquery("exported"))


def _rows(
    name: str,
    spec: NodeSpec,
    columns: list[Column],
    source: FromClause,
    conditions: list[ColumnElement[bool]],
    national: bool,
) -> ExportRows:
    order = [spec.column(field) for field in spec.order]
    if spec.key not in spec.order:
        order.append(spec.key_column)
    statement = (
        select(*[column.expression.label(column.header) for column in columns])
        .select_from(source)
        .where(*conditions, *visible(spec, national))
        .order_by(*order)
    )
    return ExportRows(name, tuple(columns), statement)


def actions(f: ActionFilter, national: bool) -> ExportRows:
    c = ACTION.column
    ctg = _table(Scheme).alias("action_ctg")
    carrier = _table(Organisation).alias("action_carrier")
    money = c("money_shown")
    columns = [
        Column("Identifiant", global_id("Action", c("id"))),
        Column("CTG", ctg.c.title),
        Column("Département", ctg.c.department_code),
        Column("N°", c("number"), "integer"),
        Column("Intitulé", c("title")),
        Column("Thématique", labelled(c("theme"), Theme)),
        Column("Statut", labelled(c("status"), ActionStatus)),
        Column("Porteur", carrier.c.name),
        Column("Public cible", c("target_public")),
        Column("Début", c("period_start"), "date"),
        Column("Fin", c("period_end"), "date"),
        Column("Avancement (%)", c("progress"), "integer"),
        Column("Budget (€)", shown(money, c("budget")), "money"),
        Column("Financement Caf (€)", shown(money, c("caf_funding")), "money"),
        Column("Dernière modification", instant(c("updated_at"))),
    ]
    source = ACTION.source.outerjoin(ctg, ctg.c.id == c("ctg_id")).outerjoin(carrier, carrier.c.id == c("carrier_id"))
    return _rows("actions", ACTION, columns, source, action_conditions(f), national)


def ctgs(f: SchemeFilter, national: bool) -> ExportRows:
    c = CTG.column
    epci = _table(Epci).alias("ctg_epci")
    columns = [
        Column("Identifiant", global_id("Ctg", c("id"))),
        Column("Intitulé", c("title")),
        Column("Statut", labelled(c("status"), SchemeStatus)),
        Column("Périmètre", labelled(c("scope"), SchemeScope)),
        Column("Département", c("department_code")),
        Column("EPCI", epci.c.name),
        Column("Thématiques", labelled_list(c("themes"), Theme)),
        Column("Début", c("period_start"), "date"),
        Column("Fin", c("period_end"), "date"),
        Column("Date du diagnostic", c("diagnostic_date"), "date"),
        Column("Coordinateur", c("coordinator_name")),
        Column("Courriel du coordinateur", c("coordinator_email")),
        Column("Dernière modification", instant(c("updated_at"))),
    ]
    source = CTG.source.outerjoin(epci, epci.c.siren == c("epci_siren"))
    return _rows("ctgs", CTG, columns, source, scheme_conditions(f, ctg=True), national)


def facilities(f: FacilityFilter, national: bool) -> ExportRows:
    c = FACILITY.column
    commune = _table(Commune).alias("facility_commune")
    manager = _table(Organisation).alias("facility_manager")
    details = c("details_shown")
    columns = [
        Column("Identifiant", global_id("Facility", c("id"))),
        Column("Nom", c("name")),
        Column("Type", labelled(c("kind"), FacilityKind)),
        Column("Famille", labelled(c("family"), FacilityFamily)),
        Column("Statut", labelled(c("status"), FacilityStatus)),
        Column("Places", c("capacity"), "integer"),
        Column("Commune", commune.c.name),
        Column("Code commune", c("commune_insee_code")),
        Column("Département", c("department_code")),
        Column("Gestionnaire", shown(details, manager.c.name)),
        Column("Adresse", shown(details, c("address"))),
        Column("Courriel", shown(details, c("email"))),
        Column("Téléphone", shown(details, c("phone"))),
        Column("Agréé du", shown(details, c("approved_from")), "date"),
        Column("Agréé jusqu'au", shown(details, c("approved_until")), "date"),
        Column("Ouvert le", shown(details, c("opened_on")), "date"),
        Column("Fermé le", shown(details, c("closed_on")), "date"),
        Column("Dernière modification", instant(c("updated_at"))),
    ]
    source = FACILITY.source.outerjoin(commune, commune.c.insee_code == c("commune_insee_code")).outerjoin(
        manager, manager.c.id == c("manager_id")
    )
    return _rows("facilities", FACILITY, columns, source, facility_conditions(f), national)


def funding_lines(f: FundingFilter, national: bool) -> ExportRows:
    c = FUNDING_LINE.column
    action = _table(Action).alias("line_action")
    ctg = _table(Scheme).alias("line_ctg")
    facility = _table(Facility).alias("line_facility")
    funder = _table(Organisation).alias("line_funder")
    department = func.coalesce(ctg.c.department_code, facility.c.department_code)
    epci = func.coalesce(ctg.c.epci_siren, facility.c.epci_siren)
    money = c("money_shown")
    columns = [
        Column("Identifiant", global_id("FundingLine", c("id"))),
        Column("Année", c("year"), "integer"),
        Column("Financeur", funder.c.name),
        Column("Type de financement", labelled(c("type"), FundingType)),
        Column("Action", action.c.title),
        Column("CTG", ctg.c.title),
        Column("Équipement", facility.c.name),
        Column("Département", department),
        Column("Prévu (€)", shown(money, c("planned")), "money"),
        Column("Accordé (€)", shown(money, c("granted")), "money"),
        Column("Versé (€)", shown(money, c("paid")), "money"),
        Column("Dernière modification", instant(c("updated_at"))),
    ]
    source = (
        FUNDING_LINE.source.outerjoin(action, action.c.id == c("action_id"))
        .outerjoin(ctg, ctg.c.id == action.c.ctg_id)
        .outerjoin(facility, facility.c.id == c("facility_id"))
        .outerjoin(funder, funder.c.id == c("funder_id"))
    )
    return _rows("funding-lines", FUNDING_LINE, columns, source, funding_conditions(f, department, epci), national)
