"""The domain's closed vocabularies as GraphQL enums.

The db enums are registered with Strawberry as they are, so a row's stored value serializes directly.
"""

from __future__ import annotations

from enum import StrEnum

import strawberry

from db.models.enums import (
    ActionStatus,
    EpciKind,
    OrganisationKind,
    SchemeKind,
    SchemeScope,
    SchemeStatus,
    TerritoryZone,
    Theme,
)

_DESCRIPTIONS: dict[type[StrEnum], str] = {
    TerritoryZone: "Metropolitan France (METRO), overseas departments (DROM) or collectivities (COM).",
    EpciKind: "EPCI type: communauté de communes (CC), d'agglomération (CA), urbaine (CU), métropole (METRO), "
    "Métropole de Lyon (MET69).",
    OrganisationKind: "What kind of organisation (organisme) it is.",
    SchemeKind: "COG (State–Cnaf), CPOG (Cnaf–Caf), SDSF, SDAVS, education charter (charte des politiques "
    "éducatives), CEJ (contrat enfance jeunesse) or CTG (convention territoriale globale).",
    SchemeScope: "Where a scheme applies: nationally, a department, an EPCI or listed communes.",
    SchemeStatus: "Where a scheme stands: draft, signed, active, expired or superseded.",
    Theme: "Field of family policy: petite enfance, enfance, jeunesse, parentalité, animation de la vie sociale, "
    "accès aux droits, logement, handicap, personnes âgées.",
    ActionStatus: "Workflow of a CTG action: draft → submitted → validated | rejected → in_progress → done | "
    "abandoned.",
}
for _enum, _description in _DESCRIPTIONS.items():
    strawberry.enum(_enum, description=_description)


@strawberry.enum(description="Sort direction.")
class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


__all__ = [
    "ActionStatus",
    "Direction",
    "EpciKind",
    "OrganisationKind",
    "SchemeKind",
    "SchemeScope",
    "SchemeStatus",
    "TerritoryZone",
    "Theme",
]
