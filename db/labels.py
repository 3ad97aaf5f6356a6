"""Labels of the closed vocabularies, in French and in English, as the extranet's users name them.

The API's enums carry English names (`IN_PROGRESS`); people read these: in an export, and from the API's
`enumLabels` field in the request's language. One label per value of every GraphQL enum, keyed by the enum's
GraphQL name and the value's (the db's enums keep their names there): tests/db/test_labels.py checks that no
enum and no value of the schema is missing, and none is left over.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from db.models import enums


class Label(NamedTuple):
    fr: str
    en: str


L = Label
VOCABULARIES: dict[str, dict[str, Label]] = {
    "ActionDimension": {
        "THEME": L("Thématique", "Theme"),
        "STATUS": L("Statut", "Status"),
        "DEPARTMENT": L("Département", "Department"),
        "EPCI": L("EPCI", "EPCI"),
        "YEAR": L("Année", "Year"),
    },
    "ActionOrderField": {
        "NUMBER": L("Numéro", "Number"),
        "TITLE": L("Intitulé", "Title"),
        "PERIOD_START": L("Date de début", "Start date"),
        "UPDATED_AT": L("Dernière modification", "Last change"),
    },
    "ActionStatus": {
        "DRAFT": L("Brouillon", "Draft"),
        "SUBMITTED": L("Soumise", "Submitted"),
        "VALIDATED": L("Validée", "Validated"),
        "REJECTED": L("Refusée", "Rejected"),
        "IN_PROGRESS": L("En cours", "In progress"),
        "DONE": L("Réalisée", "Done"),
        "ABANDONED": L("Abandonnée", "Abandoned"),
    },
    "CampaignStatus": {
        "OPEN": L("Ouverte", "Open"),
        "CLOSED": L("Close", "Closed"),
    },
    "ChangeOperation": {
        "CREATE": L("Création", "Creation"),
        "UPDATE": L("Modification", "Change"),
        "ARCHIVE": L("Archivage", "Archiving"),
    },
    "CompletionGrouping": {
        "CTG": L("CTG", "CTG"),
        "CARRIER": L("Porteur", "Carrier"),
        "ACTION": L("Action", "Action"),
        "DEPARTMENT": L("Département", "Department"),
    },
    "CoverageLevel": {
        "COUNTRY": L("France entière", "Whole country"),
        "REGION": L("Région", "Region"),
        "DEPARTMENT": L("Département", "Department"),
        "EPCI": L("EPCI", "EPCI"),
    },
    "CtgDimension": {
        "STATUS": L("Statut", "Status"),
        "THEME": L("Thématique", "Theme"),
        "DEPARTMENT": L("Département", "Department"),
        "EPCI": L("EPCI", "EPCI"),
        "YEAR": L("Année", "Year"),
    },
    "Direction": {
        "ASC": L("Croissant", "Ascending"),
        "DESC": L("Décroissant", "Descending"),
    },
    "EpciKind": {
        "CC": L("Communauté de communes", "Community of communes"),
        "CA": L("Communauté d'agglomération", "Agglomeration community"),
        "CU": L("Communauté urbaine", "Urban community"),
        "METRO": L("Métropole", "Metropolis"),
        "MET69": L("Métropole de Lyon", "Lyon Metropolis"),
    },
    "FacilityFamily": {
        "EAJE": L("Établissement d'accueil du jeune enfant (EAJE)", "Early childhood centre (EAJE)"),
        "ALSH": L("Accueil de loisirs sans hébergement (ALSH)", "Leisure centre (ALSH)"),
        "LAEP": L("Lieu d'accueil enfants-parents (LAEP)", "Parent and child drop-in centre (LAEP)"),
        "RPE": L("Relais petite enfance (RPE)", "Childminders' hub (RPE)"),
        "SOCIAL_LIFE": L("Animation de la vie sociale", "Community life"),
        "YOUTH": L("Jeunesse", "Youth"),
    },
    "FacilityKind": {
        "MULTI_ACCUEIL": L("Multi-accueil", "Multi-care nursery"),
        "CRECHE_COLLECTIVE": L("Crèche collective", "Day nursery"),
        "CRECHE_FAMILIALE": L("Crèche familiale", "Family nursery"),
        "CRECHE_PARENTALE": L("Crèche parentale", "Parent-run nursery"),
        "MICRO_CRECHE": L("Micro-crèche", "Micro-nursery"),
        "ALSH_EXTRASCOLAIRE": L("Accueil de loisirs extrascolaire", "Holiday leisure centre"),
        "ALSH_PERISCOLAIRE": L("Accueil de loisirs périscolaire", "Out-of-school-hours leisure centre"),
        "LAEP": L("Lieu d'accueil enfants-parents (LAEP)", "Parent and child drop-in centre (LAEP)"),
        "RPE": L("Relais petite enfance (RPE)", "Childminders' hub (RPE)"),
        "CENTRE_SOCIAL": L("Centre social", "Community centre"),
        "EVS": L("Espace de vie sociale (EVS)", "Community space (EVS)"),
        "FJT": L("Foyer de jeunes travailleurs (FJT)", "Young workers' hostel (FJT)"),
        "INFORMATION_JEUNESSE": L("Information jeunesse", "Youth information"),
        "PS_JEUNES": L("Prestation de service jeunes", "Youth service grant"),
    },
    "FacilityLink": {
        "CREATES": L("Crée l'équipement", "Creates the facility"),
        "EXTENDS": L("Étend l'équipement", "Extends the facility"),
        "FUNDS": L("Finance l'équipement", "Funds the facility"),
    },
    "FacilityOrderField": {
        "NAME": L("Nom", "Name"),
        "CAPACITY": L("Capacité", "Capacity"),
        "UPDATED_AT": L("Dernière modification", "Last change"),
    },
    "FacilityStatus": {
        "PLANNED": L("En projet", "Planned"),
        "OPEN": L("Ouvert", "Open"),
        "CLOSED": L("Fermé", "Closed"),
    },
    "FundingDimension": {
        "YEAR": L("Année", "Year"),
        "FUNDER": L("Financeur", "Funder"),
        "TYPE": L("Type de financement", "Funding type"),
        "DEPARTMENT": L("Département", "Department"),
        "EPCI": L("EPCI", "EPCI"),
    },
    "FundingType": {
        "PRESTATION_DE_SERVICE": L("Prestation de service", "Service grant"),
        "BONUS_TERRITOIRE": L("Bonus territoire", "Territory bonus"),
        "FONDS_PUBLICS_ET_TERRITOIRES": L("Fonds publics et territoires", "Public and territories fund"),
        "INVESTISSEMENT": L("Investissement", "Investment"),
        "SUBVENTION_FONCTIONNEMENT": L("Subvention de fonctionnement", "Operating grant"),
        "OTHER": L("Autre", "Other"),
    },
    "HabilitationStatus": {
        "ACTIVE": L("Active", "Active"),
        "SUSPENDED": L("Suspendue", "Suspended"),
        "REVOKED": L("Révoquée", "Revoked"),
    },
    "LiveChangeKind": {
        "ACTION": L("Action", "Action"),
        "CTG": L("CTG", "CTG"),
        "INDICATOR_VALUE": L("Valeur d'indicateur", "Indicator value"),
        "CAMPAIGN": L("Campagne de bilan", "Reporting campaign"),
        "FACILITY": L("Équipement", "Facility"),
    },
    "LiveChangeOperation": {
        "CREATED": L("Créé", "Created"),
        "UPDATED": L("Modifié", "Updated"),
        "REMOVED": L("Retiré", "Removed"),
    },
    "MutationErrorCode": {
        "NOT_FOUND": L("Introuvable", "Not found"),
        "FORBIDDEN": L("Non autorisé", "Forbidden"),
        "CONFLICT": L("Modifié entre-temps", "Changed meanwhile"),
        "INVALID": L("Valeur invalide", "Invalid value"),
        "ILLEGAL_TRANSITION": L("Changement d'état impossible", "Illegal change of state"),
        "IN_USE": L("Encore utilisé", "Still in use"),
        "KEY_REUSED": L("Clé d'idempotence déjà utilisée", "Idempotency key reused"),
    },
    "OrganisationKind": {
        "CAF": L("Caf", "Caf"),
        "CNAF": L("Cnaf", "Cnaf"),
        "STATE_SERVICE": L("Service de l'État", "State service"),
        "DEPARTMENTAL_COUNCIL": L("Conseil départemental", "Departmental council"),
        "EPCI": L("EPCI", "EPCI"),
        "COMMUNE": L("Commune", "Commune"),
        "ASSOCIATION": L("Association", "Association"),
        "MSA": L("MSA", "MSA"),
        "CARSAT": L("Carsat", "Carsat"),
        "NATIONAL_EDUCATION": L("Éducation nationale", "National education"),
        "FEDERATION": L("Fédération", "Federation"),
        "COMPANY": L("Entreprise", "Company"),
        "OTHER": L("Autre", "Other"),
    },
    "OrganisationOrderField": {
        "NAME": L("Nom", "Name"),
        "UPDATED_AT": L("Dernière modification", "Last change"),
    },
    "PlaceDimension": {
        "KIND": L("Type d'équipement", "Facility kind"),
        "FAMILY": L("Famille d'équipement", "Facility family"),
        "COMMUNE": L("Commune", "Commune"),
        "EPCI": L("EPCI", "EPCI"),
        "DEPARTMENT": L("Département", "Department"),
        "REGION": L("Région", "Region"),
    },
    "Role": {
        "ASSOCIATION_MEMBER": L("Membre d'une association", "Association member"),
        "LOCAL_AUTHORITY_STAFF": L("Agent d'une collectivité", "Local authority staff"),
        "COSIGNATORY": L("Cosignataire", "Cosignatory"),
        "CAF_AGENT": L("Agent de la Caf", "Caf agent"),
        "CAF_MANAGER": L("Responsable à la Caf", "Caf manager"),
        "CNAF_ANALYST": L("Analyste à la Cnaf", "Cnaf analyst"),
        "CNAF_MANAGER": L("Responsable à la Cnaf", "Cnaf manager"),
        "ORGANISATION_ADMIN": L("Administrateur de l'organisation", "Organisation administrator"),
    },
    "SchemeKind": {
        "COG": L("Convention d'objectifs et de gestion (COG)", "Objectives and management agreement (COG)"),
        "CPOG": L(
            "Contrat pluriannuel d'objectifs et de gestion (CPOG)",
            "Multi-year objectives and management contract (CPOG)",
        ),
        "SDSF": L("Schéma départemental des services aux familles (SDSF)", "Departmental family services plan (SDSF)"),
        "SDAVS": L(
            "Schéma départemental de l'animation de la vie sociale (SDAVS)",
            "Departmental community life plan (SDAVS)",
        ),
        "EDUCATION_CHARTER": L("Charte des politiques éducatives", "Education policy charter"),
        "CEJ": L("Contrat enfance jeunesse (CEJ)", "Childhood and youth contract (CEJ)"),
        "CTG": L("Convention territoriale globale (CTG)", "Comprehensive territorial agreement (CTG)"),
    },
    "SchemeOrderField": {
        "PERIOD_START": L("Date de début", "Start date"),
        "PERIOD_END": L("Date de fin", "End date"),
        "TITLE": L("Intitulé", "Title"),
        "UPDATED_AT": L("Dernière modification", "Last change"),
    },
    "SchemeScope": {
        "NATIONAL": L("National", "National"),
        "DEPARTMENT": L("Département", "Department"),
        "EPCI": L("EPCI", "EPCI"),
        "COMMUNES": L("Liste de communes", "List of communes"),
    },
    "SchemeStatus": {
        "DRAFT": L("Projet", "Draft"),
        "SIGNED": L("Signée", "Signed"),
        "ACTIVE": L("En vigueur", "Active"),
        "EXPIRED": L("Échue", "Expired"),
        "SUPERSEDED": L("Remplacée", "Superseded"),
    },
    "TaskKind": {
        "CTG_ENDING": L("CTG arrivant à échéance", "CTG ending"),
        "REPORT_DUE": L("Bilan à rendre", "Report due"),
        "ACTION_TO_VALIDATE": L("Action à valider", "Action to validate"),
        "HABILITATION_EXPIRING": L("Habilitation arrivant à échéance", "Habilitation expiring"),
    },
    "TerritoryZone": {
        "METRO": L("France métropolitaine", "Metropolitan France"),
        "DROM": L("Département et région d'outre-mer (DROM)", "Overseas department and region (DROM)"),
        "COM": L("Collectivité d'outre-mer (COM)", "Overseas collectivity (COM)"),
    },
    "Theme": {
        "EARLY_CHILDHOOD": L("Petite enfance", "Early childhood"),
        "CHILDHOOD": L("Enfance", "Childhood"),
        "YOUTH": L("Jeunesse", "Youth"),
        "PARENTING": L("Soutien à la parentalité", "Parenting support"),
        "SOCIAL_LIFE": L("Animation de la vie sociale", "Community life"),
        "ACCESS_TO_RIGHTS": L("Accès aux droits", "Access to rights"),
        "HOUSING": L("Logement", "Housing"),
        "DISABILITY": L("Handicap", "Disability"),
        "SENIORS": L("Personnes âgées", "Older people"),
    },
}


def _french(enum: type[StrEnum]) -> dict[str, str]:
    labels = VOCABULARIES[enum.__name__]
    return {member.value: labels[member.name].fr for member in enum}


# The French labels of the db's enums by stored value, as the exports write them.
LABELS: dict[type[StrEnum], dict[str, str]] = {
    enum: _french(enum)
    for enum in (
        enums.ActionStatus,
        enums.FacilityFamily,
        enums.FacilityKind,
        enums.FacilityStatus,
        enums.FundingType,
        enums.SchemeKind,
        enums.SchemeScope,
        enums.SchemeStatus,
        enums.Theme,
    )
}


def label(enum: type[StrEnum], value: str) -> str:
    """The French label of a stored value of `enum`."""
    return LABELS[enum][value]


def labels(enum: str, language: str) -> dict[str, str] | None:
    """The labels of the GraphQL enum named `enum` in `language` ("fr" or "en"), by value name; None for a name
    that is no vocabulary."""
    vocabulary = VOCABULARIES.get(enum)
    if vocabulary is None:
        return None
    return {value: getattr(text, language) for value, text in vocabulary.items()}
