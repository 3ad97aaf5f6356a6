"""The tables the generator fills, parents first, and the rows it builds for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STAMPS = ("created_at", "updated_at")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]  # without the stamps, which every row carries last
    column_set: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_set", frozenset(self.columns))

    @property
    def has_id(self) -> bool:
        return self.columns[0] == "id"

    @property
    def copy_columns(self) -> tuple[str, ...]:
        return self.columns + STAMPS


TABLES: tuple[Table, ...] = (
    Table(
        "organisation",
        (
            "id", "ref", "kind", "name", "acronym", "siren", "siret", "rna", "email", "website",
            "department_code", "epci_siren", "commune_insee_code",
        ),
    ),
    Table(
        "facility",
        (
            "id", "ref", "kind", "name", "capacity", "manager_id", "commune_insee_code", "status", "opened_on",
            "closed_on", "approved_from", "approved_until",
        ),
    ),
    Table(
        "scheme",
        (
            "id", "ref", "kind", "title", "summary", "period_start", "period_end", "scope", "status",
            "department_code", "epci_siren", "parent_id",
        ),
    ),
    Table("scheme_commune", ("scheme_id", "commune_insee_code")),
    Table("scheme_objective", ("id", "scheme_id", "position", "title", "description")),
    Table("signature", ("id", "scheme_id", "organisation_id", "role", "signed_on")),
    Table(
        "ctg",
        (
            "scheme_id", "themes", "diagnostic_date", "diagnostic_summary", "coordinator_name",
            "coordinator_email", "coordinator_organisation_id",
        ),
    ),
    Table("governance_body", ("id", "ctg_id", "position", "name", "composition", "meeting_frequency")),
    Table(
        "action",
        (
            "id", "ref", "ctg_id", "number", "title", "description", "theme", "objectives", "target_public",
            "carrier_id", "period_start", "period_end", "status", "progress", "budget", "caf_funding",
        ),
    ),
    Table("action_partner", ("action_id", "organisation_id", "role")),
    Table("action_objective", ("action_id", "objective_id")),
    Table("indicator", ("id", "action_id", "name", "unit", "target")),
    Table("indicator_value", ("id", "indicator_id", "period_start", "period_end", "value", "comment")),
    Table("facility_action", ("facility_id", "action_id", "link")),
    Table(
        "funding_line", ("id", "action_id", "facility_id", "year", "funder_id", "type", "planned", "granted", "paid")
    ),
)  # fmt: skip

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


class Rows:
    """Every generated row, per table and in the order it was made, ready for COPY.

    Ids are assigned here, from the first free id of each table, so that children can name their
    parents before anything reaches the database, and so that a seed always gives the same ids.
    """

    def __init__(self, first_ids: Mapping[str, int]) -> None:
        self.records: dict[str, list[tuple[Any, ...]]] = {table.name: [] for table in TABLES}
        self._next_id = {table.name: first_ids.get(table.name, 1) for table in TABLES if table.has_id}

    def new(self, table: str, created: datetime, **values: Any) -> int:
        """Add a row to a table with an `id` column; return its id."""
        values["id"] = row_id = self._next_id[table]
        self._next_id[table] = row_id + 1
        self.add(table, created, **values)
        return row_id

    def add(self, table: str, created: datetime, **values: Any) -> None:
        spec = BY_NAME[table]
        if not spec.column_set.issuperset(values):
            # A misspelt column would otherwise be written as NULL without a word.
            raise ValueError(f"{table} has no column {sorted(values.keys() - spec.column_set)}")
        self.records[table].append((*(values.get(column) for column in spec.columns), created, created))

    def count(self, table: str) -> int:
        return len(self.records[table])
