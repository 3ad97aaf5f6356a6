"""The domain's closed vocabularies, stored as text and checked by the database."""

from __future__ import annotations

from enum import StrEnum


class TerritoryZone(StrEnum):
    METRO = "metro"  # metropolitan France
    DROM = "drom"  # overseas departments and regions
    COM = "com"  # overseas collectivities (no Caf)


class EpciKind(StrEnum):
    CC = "CC"  # communauté de communes
    CA = "CA"  # communauté d'agglomération
    CU = "CU"  # communauté urbaine
    METRO = "METRO"  # métropole
    MET69 = "MET69"  # Métropole de Lyon, a collectivity with special status listed with the EPCIs


class OrganisationKind(StrEnum):
    CAF = "caf"
    CNAF = "cnaf"
    STATE_SERVICE = "state_service"
    DEPARTMENTAL_COUNCIL = "departmental_council"
    EPCI = "epci"
    COMMUNE = "commune"
    ASSOCIATION = "association"
    MSA = "msa"
    CARSAT = "carsat"
    NATIONAL_EDUCATION = "national_education"
    FEDERATION = "federation"
    COMPANY = "company"
    OTHER = "other"


class SchemeKind(StrEnum):
    COG = "COG"  # convention d'objectifs et de gestion, State – Cnaf
    CPOG = "CPOG"  # contrat pluriannuel d'objectifs et de gestion, Cnaf – Caf
    SDSF = "SDSF"  # schéma départemental des services aux familles
    SDAVS = "SDAVS"  # schéma départemental de l'animation de la vie sociale
    EDUCATION_CHARTER = "EDUCATION_CHARTER"  # charte des politiques éducatives
    CEJ = "CEJ"  # contrat enfance jeunesse, replaced by CTGs from 2020
    CTG = "CTG"  # convention territoriale globale


class SchemeScope(StrEnum):
    NATIONAL = "national"
    DEPARTMENT = "department"
    EPCI = "epci"
    COMMUNES = "communes"


class SchemeStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    ACTIVE = "active"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class Theme(StrEnum):
    EARLY_CHILDHOOD = "early_childhood"  # petite enfance
    CHILDHOOD = "childhood"  # enfance
    YOUTH = "youth"  # jeunesse
    PARENTING = "parenting"  # soutien à la parentalité
    SOCIAL_LIFE = "social_life"  # animation de la vie sociale
    ACCESS_TO_RIGHTS = "access_to_rights"  # accès aux droits, inclusion numérique
    HOUSING = "housing"  # logement
    DISABILITY = "disability"  # handicap
    SENIORS = "seniors"  # personnes âgées


class ActionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


class Role(StrEnum):
    """What a person may do for an organisation: from a token's roles or a habilitation."""

    ASSOCIATION_MEMBER = "association_member"  # a partner association's staff
    LOCAL_AUTHORITY_STAFF = "local_authority_staff"  # EPCI or commune staff running the territory's CTG
    COSIGNATORY = "cosignatory"  # departmental council, State service, MSA, Carsat...
    CAF_AGENT = "caf_agent"
    CAF_MANAGER = "caf_manager"
    CNAF_ANALYST = "cnaf_analyst"
    CNAF_MANAGER = "cnaf_manager"  # changes national schemes and CPOGs, creates organisations
    ORGANISATION_ADMIN = "organisation_admin"  # manages its own organisation's habilitations


class HabilitationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class FacilityKind(StrEnum):
    """The kinds of facilities (équipements) the Caf funds, grouped in families (`FACILITY_FAMILIES`)."""

    MULTI_ACCUEIL = "multi_accueil"  # EAJE: multi-accueil
    CRECHE_COLLECTIVE = "creche_collective"  # EAJE: crèche collective
    CRECHE_FAMILIALE = "creche_familiale"  # EAJE: crèche familiale (assistantes maternelles salariées)
    CRECHE_PARENTALE = "creche_parentale"  # EAJE: crèche parentale
    MICRO_CRECHE = "micro_creche"  # EAJE: micro-crèche
    ALSH_EXTRASCOLAIRE = "alsh_extrascolaire"  # accueil de loisirs sans hébergement, vacances
    ALSH_PERISCOLAIRE = "alsh_periscolaire"  # accueil de loisirs sans hébergement, autour de l'école
    LAEP = "laep"  # lieu d'accueil enfants-parents
    RPE = "rpe"  # relais petite enfance
    CENTRE_SOCIAL = "centre_social"
    EVS = "evs"  # espace de vie sociale
    FJT = "fjt"  # foyer de jeunes travailleurs
    INFORMATION_JEUNESSE = "information_jeunesse"  # structure information jeunesse
    PS_JEUNES = "ps_jeunes"  # structure financée par la prestation de service jeunes


class FacilityFamily(StrEnum):
    EAJE = "eaje"  # établissements d'accueil du jeune enfant
    ALSH = "alsh"
    LAEP = "laep"
    RPE = "rpe"
    SOCIAL_LIFE = "social_life"  # centres sociaux et espaces de vie sociale (animation de la vie sociale)
    YOUTH = "youth"  # FJT, information jeunesse, prestation de service jeunes


FACILITY_FAMILIES: dict[FacilityKind, FacilityFamily] = {
    FacilityKind.MULTI_ACCUEIL: FacilityFamily.EAJE,
    FacilityKind.CRECHE_COLLECTIVE: FacilityFamily.EAJE,
    FacilityKind.CRECHE_FAMILIALE: FacilityFamily.EAJE,
    FacilityKind.CRECHE_PARENTALE: FacilityFamily.EAJE,
    FacilityKind.MICRO_CRECHE: FacilityFamily.EAJE,
    FacilityKind.ALSH_EXTRASCOLAIRE: FacilityFamily.ALSH,
    FacilityKind.ALSH_PERISCOLAIRE: FacilityFamily.ALSH,
    FacilityKind.LAEP: FacilityFamily.LAEP,
    FacilityKind.RPE: FacilityFamily.RPE,
    FacilityKind.CENTRE_SOCIAL: FacilityFamily.SOCIAL_LIFE,
    FacilityKind.EVS: FacilityFamily.SOCIAL_LIFE,
    FacilityKind.FJT: FacilityFamily.YOUTH,
    FacilityKind.INFORMATION_JEUNESSE: FacilityFamily.YOUTH,
    FacilityKind.PS_JEUNES: FacilityFamily.YOUTH,
}


class FacilityStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class FacilityLink(StrEnum):
    """What an action does for a facility."""

    CREATES = "creates"
    EXTENDS = "extends"
    FUNDS = "funds"


class FundingType(StrEnum):
    PRESTATION_DE_SERVICE = "prestation_de_service"  # the Caf's operating funding per hour or per place
    BONUS_TERRITOIRE = "bonus_territoire"  # the CTG's bonus, in place of the CEJ's funding since 2020
    FONDS_PUBLICS_ET_TERRITOIRES = "fonds_publics_et_territoires"  # the Caf's fund for local projects
    INVESTISSEMENT = "investissement"  # investment (creation, extension of places)
    SUBVENTION_FONCTIONNEMENT = "subvention_fonctionnement"  # another funder's operating grant
    OTHER = "other"


class CampaignStatus(StrEnum):
    """A reporting campaign is open until its Caf (or the Cnaf) closes it."""

    OPEN = "open"
    CLOSED = "closed"
