"""The audit trail in the API's terms: what the database recorded (columns, row ids, stored enum values) as a
client reads everything else (GraphQL fields, global IDs, enum names).

The trail records what the writes saw: `ctg_id: 12`, `theme: "housing"`, a partner as
`{organisation_id, role}`. History shows the same change as `ctg: "Q3RnOjEy"`, `theme: "HOUSING"`, a partner as
`{organisation, role}`, so that a client can follow it with `node(id:)` and compare it with what it read.
"""

from __future__ import annotations

from typing import Any

from db.writes.outcome import camel
from schema.relay import global_id

# A column naming another row → (the GraphQL field, the row's node type).
REFERENCES: dict[str, tuple[str, str]] = {
    "ctg_id": ("ctg", "Ctg"),
    "carrier_id": ("carrier", "Organisation"),
    "organisation_id": ("organisation", "Organisation"),
    "coordinator_organisation_id": ("coordinatorOrganisation", "Organisation"),
    "manager_id": ("manager", "Organisation"),
    "funder_id": ("funder", "Organisation"),
    "parent_id": ("parent", "Scheme"),
    "superseded_by_id": ("supersededBy", "Scheme"),
    "replaces_scheme_id": ("replacedCej", "Scheme"),
    "objective_id": ("objective", "SchemeObjective"),
    "indicator_id": ("indicator", "Indicator"),
    "action_id": ("action", "Action"),
    "facility_id": ("facility", "Facility"),
    "department_code": ("department", "Department"),
    "epci_siren": ("epci", "Epci"),
    "commune_insee_code": ("commune", "Commune"),
    "campaign_id": ("campaign", "ReportingCampaign"),
    "body_id": ("body", "GovernanceBody"),
    "meeting_id": ("meeting", "GovernanceMeeting"),
    "opened_by_id": ("openedBy", "Organisation"),
}
# Columns holding enum values (or lists of them): shown as the GraphQL names, upper case. A signature's or a
# partner's role is free text; a habilitation's is an enum.
ENUMS = frozenset({"theme", "themes", "status", "kind", "scope", "type", "link"})
ENUM_ROLES = frozenset({"habilitation"})
# A recorded collection → the node type of the ids it lists (bare ids, or the `id` of each entry).
COLLECTIONS: dict[str, str] = {
    "objectives_served": "SchemeObjective",
    "indicators": "Indicator",
    "indicator_value": "IndicatorValue",
    "signatures": "Signature",
    "objectives": "SchemeObjective",
    "governance_bodies": "GovernanceBody",
    "communes": "Commune",
    "partners": "Organisation",
    "ctg_ids": "Ctg",
    "reminders": "CampaignReminder",
    "decisions": "MeetingDecision",
    "funding_lines": "FundingLine",
}


def field_name(name: str) -> str:
    return REFERENCES[name][0] if name in REFERENCES else camel(name)


def value_of(entity: str, name: str, value: Any, collection: str | None = None) -> Any:
    """A recorded value (of column `name`, in an entry of `collection` if any) in the API's terms."""
    if value is None:
        return None
    if name in REFERENCES:
        return global_id(REFERENCES[name][1], value)
    if name == "id" and collection in COLLECTIONS:
        return global_id(COLLECTIONS[collection], value)
    if name in ENUMS or (name == "role" and entity in ENUM_ROLES):
        return [str(item).upper() for item in value] if isinstance(value, list) else str(value).upper()
    if name in COLLECTIONS and isinstance(value, list):
        return [_item(entity, name, item) for item in value]
    if isinstance(value, dict):
        return _entry(entity, value, collection or name)
    return value


def _item(entity: str, collection: str, item: Any) -> Any:
    if isinstance(item, dict):
        return _entry(entity, item, collection)
    # A bare id (objectives served, communes) or code.
    return global_id(COLLECTIONS[collection], item)


def _entry(entity: str, entry: dict[str, Any], collection: str) -> dict[str, Any]:
    return {field_name(key): value_of(entity, key, item, collection) for key, item in entry.items()}
