"""The domain's closed vocabularies as GraphQL enums.

The db enums are registered with Strawberry as they are, so a row's stored value serializes directly.
"""

from __future__ import annotations

from enum import StrEnum

import strawberry

from db.models.enums import (
    ActionStatus,
    CampaignStatus,
    EpciKind,
    FacilityFamily,
    FacilityKind,
    FacilityLink,
    FacilityStatus,
    FundingType,
    HabilitationStatus,
    OrganisationKind,
    Role,
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
    Role: "What a person may do for an organisation: association member, local authority staff (EPCI or "
    "commune), cosignatory institution, Caf agent or manager, Cnaf analyst or manager, organisation admin. A role "
    "counts only in an organisation of its kind (Caf roles in a Caf, Cnaf roles in the Cnaf, local authority "
    "staff in an EPCI or a commune).",
    HabilitationStatus: "Where a habilitation stands: active (it counts), suspended (it does not, until "
    "reinstated) or revoked (final).",
    FacilityKind: "What kind of facility (équipement): the EAJE (multi-accueil, crèche collective, familiale, "
    "parentale, micro-crèche), accueils de loisirs extrascolaire and périscolaire (ALSH), lieu d'accueil "
    "enfants-parents (LAEP), relais petite enfance (RPE), centre social, espace de vie sociale (EVS), foyer de "
    "jeunes travailleurs (FJT), information jeunesse, prestation de service jeunes.",
    FacilityFamily: "A family of facility kinds: EAJE, ALSH, LAEP, RPE, SOCIAL_LIFE (centres sociaux and EVS), "
    "YOUTH (FJT, information jeunesse, prestation de service jeunes).",
    FacilityStatus: "Where a facility stands: planned (a project), open, closed.",
    FacilityLink: "What an action does for a facility: creates it, extends it (more places), funds it.",
    CampaignStatus: "Whether a reporting campaign is open (values are asked) or closed by its Caf or the Cnaf.",
    FundingType: "The kind of funding: prestation de service (the Caf's operating funding), bonus territoire (the "
    "CTG's, in place of the CEJ's since 2020), fonds publics et territoires, investissement, subvention de "
    "fonctionnement (another funder's operating grant), other.",
}
for _enum, _description in _DESCRIPTIONS.items():
    strawberry.enum(_enum, description=_description)


@strawberry.enum(description="Sort direction.")
class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


__all__ = [
    "ActionStatus",
    "CampaignStatus",
    "Direction",
    "EpciKind",
    "FacilityFamily",
    "FacilityKind",
    "FacilityLink",
    "FacilityStatus",
    "FundingType",
    "HabilitationStatus",
    "OrganisationKind",
    "Role",
    "SchemeKind",
    "SchemeScope",
    "SchemeStatus",
    "TerritoryZone",
    "Theme",
]
