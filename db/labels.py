"""French labels of the closed vocabularies, as the extranet's users name them.

The API's enums carry English names; people reading an export (or, later, a page) read these. One label per
value, for every value: tests/db/test_labels.py checks that none is missing.
"""

from __future__ import annotations

from enum import StrEnum

from db.models.enums import (
    ActionStatus,
    FacilityFamily,
    FacilityKind,
    FacilityStatus,
    FundingType,
    SchemeKind,
    SchemeScope,
    SchemeStatus,
    Theme,
)

LABELS: dict[type[StrEnum], dict[str, str]] = {
    Theme: {
        Theme.EARLY_CHILDHOOD: "Petite enfance",
        Theme.CHILDHOOD: "Enfance",
        Theme.YOUTH: "Jeunesse",
        Theme.PARENTING: "Soutien à la parentalité",
        Theme.SOCIAL_LIFE: "Animation de la vie sociale",
        Theme.ACCESS_TO_RIGHTS: "Accès aux droits",
        Theme.HOUSING: "Logement",
        Theme.DISABILITY: "Handicap",
        Theme.SENIORS: "Personnes âgées",
    },
    ActionStatus: {
        ActionStatus.DRAFT: "Brouillon",
        ActionStatus.SUBMITTED: "Soumise",
        ActionStatus.VALIDATED: "Validée",
        ActionStatus.REJECTED: "Refusée",
        ActionStatus.IN_PROGRESS: "En cours",
        ActionStatus.DONE: "Réalisée",
        ActionStatus.ABANDONED: "Abandonnée",
    },
    SchemeKind: {
        SchemeKind.COG: "Convention d'objectifs et de gestion (COG)",
        SchemeKind.CPOG: "Contrat pluriannuel d'objectifs et de gestion (CPOG)",
        SchemeKind.SDSF: "Schéma départemental des services aux familles (SDSF)",
        SchemeKind.SDAVS: "Schéma départemental de l'animation de la vie sociale (SDAVS)",
        SchemeKind.EDUCATION_CHARTER: "Charte des politiques éducatives",
        SchemeKind.CEJ: "Contrat enfance jeunesse (CEJ)",
        SchemeKind.CTG: "Convention territoriale globale (CTG)",
    },
    SchemeScope: {
        SchemeScope.NATIONAL: "National",
        SchemeScope.DEPARTMENT: "Département",
        SchemeScope.EPCI: "EPCI",
        SchemeScope.COMMUNES: "Liste de communes",
    },
    SchemeStatus: {
        SchemeStatus.DRAFT: "Projet",
        SchemeStatus.SIGNED: "Signée",
        SchemeStatus.ACTIVE: "En vigueur",
        SchemeStatus.EXPIRED: "Échue",
        SchemeStatus.SUPERSEDED: "Remplacée",
    },
    FacilityKind: {
        FacilityKind.MULTI_ACCUEIL: "Multi-accueil",
        FacilityKind.CRECHE_COLLECTIVE: "Crèche collective",
        FacilityKind.CRECHE_FAMILIALE: "Crèche familiale",
        FacilityKind.CRECHE_PARENTALE: "Crèche parentale",
        FacilityKind.MICRO_CRECHE: "Micro-crèche",
        FacilityKind.ALSH_EXTRASCOLAIRE: "Accueil de loisirs extrascolaire",
        FacilityKind.ALSH_PERISCOLAIRE: "Accueil de loisirs périscolaire",
        FacilityKind.LAEP: "Lieu d'accueil enfants-parents (LAEP)",
        FacilityKind.RPE: "Relais petite enfance (RPE)",
        FacilityKind.CENTRE_SOCIAL: "Centre social",
        FacilityKind.EVS: "Espace de vie sociale (EVS)",
        FacilityKind.FJT: "Foyer de jeunes travailleurs (FJT)",
        FacilityKind.INFORMATION_JEUNESSE: "Information jeunesse",
        FacilityKind.PS_JEUNES: "Prestation de service jeunes",
    },
    FacilityFamily: {
        FacilityFamily.EAJE: "Établissement d'accueil du jeune enfant (EAJE)",
        FacilityFamily.ALSH: "Accueil de loisirs sans hébergement (ALSH)",
        FacilityFamily.LAEP: "Lieu d'accueil enfants-parents (LAEP)",
        FacilityFamily.RPE: "Relais petite enfance (RPE)",
        FacilityFamily.SOCIAL_LIFE: "Animation de la vie sociale",
        FacilityFamily.YOUTH: "Jeunesse",
    },
    FacilityStatus: {
        FacilityStatus.PLANNED: "En projet",
        FacilityStatus.OPEN: "Ouvert",
        FacilityStatus.CLOSED: "Fermé",
    },
    FundingType: {
        FundingType.PRESTATION_DE_SERVICE: "Prestation de service",
        FundingType.BONUS_TERRITOIRE: "Bonus territoire",
        FundingType.FONDS_PUBLICS_ET_TERRITOIRES: "Fonds publics et territoires",
        FundingType.INVESTISSEMENT: "Investissement",
        FundingType.SUBVENTION_FONCTIONNEMENT: "Subvention de fonctionnement",
        FundingType.OTHER: "Autre",
    },
}


def label(enum: type[StrEnum], value: str) -> str:
    """The French label of a stored value of `enum`."""
    return LABELS[enum][value]
