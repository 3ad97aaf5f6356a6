"""How each field of the schema compiles, where it is not a plain column or an edge of the mapping.

A field the resolvers answer with a look-up (`action.carrier`) is a reference: a column of the row and,
when the target is not found by its key, the unique column and kind it is found by. Everything not
listed here and not derivable from the types (see `schema.compiled.planner`) is left to the resolvers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReferenceRule:
    """The node whose key (or `target_column`, among rows of `target_kind`) is the row's `column`."""

    column: str
    target_column: str | None = None
    target_kind: str | None = None
    when: tuple[str, str] | None = None  # only for rows whose column holds this value
    archived_too: bool = False  # the target is named even once archived (who signed)
    guard: str | None = None  # only where the row's column of that name holds true


@dataclass(frozen=True)
class GuardedRule:
    """A column shown where the row's `guard` says (as the resolvers of `Action.budget`, `Facility.address`
    do), null elsewhere."""

    column: str
    guard: str = "money_shown"


@dataclass(frozen=True)
class CompositeRule:
    """An object of the row's own columns: sub-field → column, or a reference from the row."""

    fields: dict[str, str | ReferenceRule] = field(hash=False)


@dataclass(frozen=True)
class EdgeRule:
    """A connection over the mapping's edge of that name (for the fields not built by `edge_field`)."""

    edge: str


Rule = ReferenceRule | GuardedRule | CompositeRule | EdgeRule

_SCHEME_FIELDS: dict[str, Rule] = {
    "department": ReferenceRule("department_code"),
    "epci": ReferenceRule("epci_siren"),
    "parent": ReferenceRule("parent_id"),
    "supersededBy": ReferenceRule("successor_id"),
}

# A facility's fields beyond its public data: GraphQL field → column.
_FACILITY_DETAILS = {
    "address": "address",
    "email": "email",
    "phone": "phone",
    "approvedFrom": "approved_from",
    "approvedUntil": "approved_until",
    "openedOn": "opened_on",
    "closedOn": "closed_on",
}

RULES: dict[tuple[str, str], Rule] = {
    ("Action", "budget"): GuardedRule("budget"),
    ("Action", "cafFunding"): GuardedRule("caf_funding"),
    ("Action", "ctg"): ReferenceRule("ctg_id"),
    ("Action", "carrier"): ReferenceRule("carrier_id"),
    ("Action", "partners"): EdgeRule("ACTION_PARTNERS"),
    ("Indicator", "action"): ReferenceRule("action_id"),
    **{("Scheme", name): rule for name, rule in _SCHEME_FIELDS.items()},
    **{("Ctg", name): rule for name, rule in _SCHEME_FIELDS.items()},
    ("Scheme", "ctg"): ReferenceRule("id", when=("kind", "CTG")),
    ("Ctg", "scheme"): ReferenceRule("id"),
    ("Ctg", "replacedCej"): ReferenceRule("replaces_scheme_id"),
    ("Ctg", "diagnostic"): CompositeRule({"date": "diagnostic_date", "summary": "diagnostic_summary"}),
    ("Ctg", "coordinator"): CompositeRule(
        {
            "name": "coordinator_name",
            "email": "coordinator_email",
            "organisation": ReferenceRule("coordinator_organisation_id"),
        }
    ),
    ("GovernanceBody", "ctg"): ReferenceRule("ctg_id"),
    ("SchemeObjective", "scheme"): ReferenceRule("scheme_id"),
    ("Signature", "scheme"): ReferenceRule("scheme_id"),
    ("Signature", "organisation"): ReferenceRule("organisation_id", archived_too=True),
    ("Organisation", "department"): ReferenceRule("department_code"),
    ("Organisation", "epci"): ReferenceRule("epci_siren"),
    ("Organisation", "commune"): ReferenceRule("commune_insee_code"),
    ("Organisation", "actionsPartnered"): EdgeRule("ORGANISATION_ACTIONS_PARTNERED"),
    ("Department", "region"): ReferenceRule("region_code"),
    ("Department", "caf"): ReferenceRule("code", target_column="department_code", target_kind="caf"),
    ("Epci", "organisation"): ReferenceRule("siren", target_column="epci_siren", target_kind="epci"),
    ("Facility", "commune"): ReferenceRule("commune_insee_code"),
    ("Facility", "epci"): ReferenceRule("epci_siren"),
    ("Facility", "department"): ReferenceRule("department_code"),
    ("Facility", "manager"): ReferenceRule("manager_id", guard="details_shown"),
    ("Facility", "actions"): EdgeRule("FACILITY_ACTIONS"),
    **{("Facility", field): GuardedRule(column, "details_shown") for field, column in _FACILITY_DETAILS.items()},
    **{("FundingLine", field): GuardedRule(field) for field in ("planned", "granted", "paid")},
    ("FundingLine", "funder"): ReferenceRule("funder_id", archived_too=True),
    ("FundingLine", "action"): ReferenceRule("action_id"),
    ("FundingLine", "facility"): ReferenceRule("facility_id"),
    ("Action", "facilities"): EdgeRule("ACTION_FACILITIES"),
    ("Commune", "department"): ReferenceRule("department_code"),
    ("Commune", "epci"): ReferenceRule("epci_siren"),
}
