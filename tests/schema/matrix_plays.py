"""Who plays each line of the authorization matrix, and where: a caller (a token) and a setting (where the object
lies), chosen so that the caller's relation to the object is the one the line names.

Callers are the development personas (auth/dev_personas.py) and, for kinds of callers they do not cover, tokens
minted by the tests' issuer with the roles and the organisation that make them: staff of the CC Pyrénées
Haut-Garonnaises (whose communes a communes-scoped CTG lists), of Blagnac (a member commune of Toulouse
Métropole, whose CTG is EPCI-scoped), of Bagnères-de-Luchon (listed on the Pays de Luchon CTG), and an
organisation admin of the Caf 31 holding no Caf role.
"""

from __future__ import annotations

from typing import Any

from auth import matrix as m
from auth.dev_personas import BY_NAME
from db.demo import ctgs
from db.demo import organisations as org
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import as_persona, bearer
from tests.schema.matrix_cases import (
    ActionSetting,
    CampaignSetting,
    CtgSetting,
    FacilitySetting,
    HabilitationSetting,
    OrganisationSetting,
    SchemeSetting,
)

# Callers the personas do not cover: roles and the organisation their token names.
MINTED: dict[str, tuple[tuple[str, ...], str]] = {
    "pyrenees-staff": (("local_authority_staff",), org.PYRENEES_HAUT_GARONNAISES.ref),
    "blagnac-staff": (("local_authority_staff",), org.BLAGNAC.ref),
    "luchon-staff": (("local_authority_staff",), org.BAGNERES_DE_LUCHON.ref),
    "caf-31-admin": (("organisation_admin",), org.CAF_31),
}


def headers(issuer: LocalIssuer, caller: str | None) -> dict[str, str]:
    """The request headers of a caller: a persona's token, a minted one, or none (anonymous)."""
    if caller is None:
        return {}
    if caller in MINTED:
        roles, organisation = MINTED[caller]
        return bearer(issuer, *roles, organisation=organisation, sub=f"matrix-{caller}")
    return as_persona(issuer, BY_NAME[caller])


def subject_of(persona: str) -> str:
    return BY_NAME[persona].subject


# --- Where the objects lie -------------------------------------------------------------------------------------

# Actions: of Toulouse Métropole's CTG (EPCI-scoped, 31), carried by Parents ensemble 31 (the personas'
# association) or partnered by it; of the Pays de Luchon CTG (listing communes of the CC Pyrénées
# Haut-Garonnaises); of Nantes Métropole's (44, signed by the departmental council); of Nozay's, partnered by the
# Caf 31 itself.
ACTION_TM = ActionSetting(ctgs.TOULOUSE_METROPOLE, org.PARENTS_ENSEMBLE, (org.PASSERELLES,), "31")
ACTION_TM_PARTNERED = ActionSetting(ctgs.TOULOUSE_METROPOLE, org.CLIC_ET_DROITS, (org.PARENTS_ENSEMBLE,), "31")
ACTION_LUCHON = ActionSetting(ctgs.PAYS_DE_LUCHON, org.RELAIS_COMMINGES, (org.MSA_31,), "31")
ACTION_NANTES = ActionSetting(ctgs.NANTES_METROPOLE, org.MAISON_DES_PARENTS, (org.NUMERIQUE_SOLIDAIRE,), "44")
ACTION_NOZAY_CAF_31 = ActionSetting(ctgs.NOZAY, org.JEUNES_EN_CAMPAGNE, (org.CAF_31,), "44")

# CTGs: new ones, on the same territories.
CTG_TM = CtgSetting("31", epci=org.TOULOUSE_METROPOLE.siren)
CTG_TM_CARRIED = CtgSetting("31", epci=org.TOULOUSE_METROPOLE.siren, carrier=org.PARENTS_ENSEMBLE)
CTG_LUCHON = CtgSetting("31", communes=(org.BAGNERES_DE_LUCHON.insee_code,))
CTG_NANTES = CtgSetting("44", epci=org.NANTES_METROPOLE.siren)
CTG_NANTES_COSIGNED = CtgSetting("44", epci=org.NANTES_METROPOLE.siren, cosigner=org.DEPARTMENT_44)

# Schemes: new SDAVS of 31 and 44, published (active) or drafts, COGs, a CPOG of 44.
SDAVS_31_PUBLISHED = SchemeSetting("SDAVS", "31", "active")
SDAVS_31_DRAFT = SchemeSetting("SDAVS", "31", "draft")
SDAVS_44_PUBLISHED = SchemeSetting("SDAVS", "44", "active")
SDAVS_44_DRAFT = SchemeSetting("SDAVS", "44", "draft")
SDAVS_44_COSIGNED = SchemeSetting("SDAVS", "44", "draft", cosigner=org.DEPARTMENT_44)
COG_PUBLISHED = SchemeSetting("COG", None, "active")
COG_DRAFT = SchemeSetting("COG", None, "draft")
CPOG_44_DRAFT = SchemeSetting("CPOG", "44", "draft")

# Organisations: new associations, the demo's own, Cafs (a new Caf goes to Saint-Pierre-et-Miquelon, which has
# none).
NEW_CAF = ("CAF", "975")
ASSOCIATION_31 = OrganisationSetting(department="31")
ASSOCIATION_44 = OrganisationSetting(department="44")
CAF_09 = OrganisationSetting(ref="caf:09", creates=NEW_CAF)
CAF_31 = OrganisationSetting(ref=org.CAF_31, creates=NEW_CAF)
PARENTS_ENSEMBLE = OrganisationSetting(ref=org.PARENTS_ENSEMBLE)
PASSERELLES = OrganisationSetting(ref=org.PASSERELLES)
TOULOUSE_METROPOLE = OrganisationSetting(ref=org.TOULOUSE_METROPOLE.ref)
BLAGNAC = OrganisationSetting(ref=org.BLAGNAC.ref)

# Habilitations: in the personas' association (someone's, or a persona's own), elsewhere.
HABILITATION_PE = HabilitationSetting(org.PARENTS_ENSEMBLE, "association_member")
HABILITATION_OF_MEMBER = HabilitationSetting(
    org.PARENTS_ENSEMBLE, "association_member", holder=subject_of("association-member")
)
HABILITATION_OF_ADMIN = HabilitationSetting(
    org.PARENTS_ENSEMBLE, "association_member", holder=subject_of("association-admin")
)
HABILITATION_PASSERELLES = HabilitationSetting(org.PASSERELLES, "association_member")
HABILITATION_CAF_31_AGENT = HabilitationSetting(org.CAF_31, "caf_agent")
HABILITATION_CAF_31 = HabilitationSetting(org.CAF_31, "association_member")
HABILITATION_TM = HabilitationSetting(org.TOULOUSE_METROPOLE.ref, "local_authority_staff")
HABILITATION_44 = HabilitationSetting(org.MAISON_DES_PARENTS, "association_member")

# Reporting campaigns: of 31, of 44, national.
CAMPAIGN_31 = CampaignSetting("31")
CAMPAIGN_44 = CampaignSetting("44")
CAMPAIGN_FRANCE = CampaignSetting(None)

# Facilities: in Blagnac (a member commune of Toulouse Métropole), managed by the personas' association, open or
# planned; in Nantes, managed by an association of 44.
FACILITY_BLAGNAC = FacilitySetting(org.BLAGNAC.insee_code, "31", org.PARENTS_ENSEMBLE, "open", ctgs.TOULOUSE_METROPOLE)
FACILITY_BLAGNAC_PLANNED = FacilitySetting(
    org.BLAGNAC.insee_code, "31", org.PARENTS_ENSEMBLE, "planned", ctgs.TOULOUSE_METROPOLE
)
FACILITY_NANTES = FacilitySetting("44109", "44", org.MAISON_DES_PARENTS, "open", ctgs.NANTES_METROPOLE)
FACILITY_NANTES_PLANNED = FacilitySetting("44109", "44", org.MAISON_DES_PARENTS, "planned", ctgs.NANTES_METROPOLE)

# (family, kind of caller, relation) → (caller, setting)
PLAYS: dict[tuple[str, str, str], tuple[str | None, Any]] = {
    # Actions
    (m.ACTIONS.title, m.ANONYMOUS, "any action"): (None, ACTION_TM),
    (m.ACTIONS.title, m.MEMBER, "its carrier"): ("association-member", ACTION_TM),
    (m.ACTIONS.title, m.MEMBER, "a partner of it"): ("association-member", ACTION_TM_PARTNERED),
    (m.ACTIONS.title, m.MEMBER, "unrelated"): ("association-member", ACTION_NANTES),
    (m.ACTIONS.title, m.ADMIN, "its carrier"): ("association-admin", ACTION_TM),
    (m.ACTIONS.title, m.EPCI_STAFF, "its EPCI's CTG"): ("epci-coordinator", ACTION_TM),
    (m.ACTIONS.title, m.EPCI_STAFF, "a CTG listing one of its member communes"): ("pyrenees-staff", ACTION_LUCHON),
    (m.ACTIONS.title, m.COMMUNE_STAFF, "a CTG of its EPCI"): ("blagnac-staff", ACTION_TM),
    (m.ACTIONS.title, m.COMMUNE_STAFF, "a CTG listing the commune"): ("luchon-staff", ACTION_LUCHON),
    (m.ACTIONS.title, m.COSIGNATORY, "a CTG it signed"): ("council-44-member", ACTION_NANTES),
    (m.ACTIONS.title, m.CAF_AGENT, "its department"): ("caf-31-agent", ACTION_TM),
    (m.ACTIONS.title, m.CAF_AGENT, "another department"): ("caf-31-agent", ACTION_NANTES),
    (m.ACTIONS.title, m.CAF_AGENT, "a partner of it, in another department"): ("caf-31-agent", ACTION_NOZAY_CAF_31),
    (m.ACTIONS.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", ACTION_NANTES),
    (m.ACTIONS.title, m.CAF_MANAGER, "another department"): ("caf-44-manager", ACTION_TM),
    (m.ACTIONS.title, m.CNAF_ANALYST, "any action"): ("cnaf-analyst", ACTION_TM),
    (m.ACTIONS.title, m.CNAF_MANAGER, "any action"): ("cnaf-manager", ACTION_TM),
    # CTGs
    (m.CTGS.title, m.ANONYMOUS, "any CTG"): (None, CTG_TM),
    (m.CTGS.title, m.MEMBER, "carries an action of it"): ("association-member", CTG_TM_CARRIED),
    (m.CTGS.title, m.MEMBER, "unrelated"): ("association-member", CTG_NANTES),
    (m.CTGS.title, m.EPCI_STAFF, "its EPCI's CTG"): ("epci-coordinator", CTG_TM),
    (m.CTGS.title, m.EPCI_STAFF, "a CTG listing one of its member communes"): ("pyrenees-staff", CTG_LUCHON),
    (m.CTGS.title, m.COMMUNE_STAFF, "a CTG of its EPCI"): ("blagnac-staff", CTG_TM),
    (m.CTGS.title, m.COMMUNE_STAFF, "a CTG listing the commune"): ("luchon-staff", CTG_LUCHON),
    (m.CTGS.title, m.COSIGNATORY, "a CTG it signs"): ("council-44-member", CTG_NANTES_COSIGNED),
    (m.CTGS.title, m.CAF_AGENT, "its department"): ("caf-31-agent", CTG_TM),
    (m.CTGS.title, m.CAF_AGENT, "another department"): ("caf-31-agent", CTG_NANTES),
    (m.CTGS.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", CTG_NANTES),
    (m.CTGS.title, m.CAF_MANAGER, "another department"): ("caf-44-manager", CTG_TM),
    (m.CTGS.title, m.CNAF_ANALYST, "any CTG"): ("cnaf-analyst", CTG_TM),
    (m.CTGS.title, m.CNAF_MANAGER, "any CTG"): ("cnaf-manager", CTG_TM),
    # Schemes
    (m.SCHEMES.title, m.ANONYMOUS, "a published departmental scheme"): (None, SDAVS_31_PUBLISHED),
    (m.SCHEMES.title, m.ANONYMOUS, "a draft departmental scheme"): (None, SDAVS_31_DRAFT),
    (m.SCHEMES.title, m.MEMBER, "a published departmental scheme"): ("association-member", SDAVS_31_PUBLISHED),
    (m.SCHEMES.title, m.EPCI_STAFF, "a published scheme of its department"): ("epci-coordinator", SDAVS_31_PUBLISHED),
    (m.SCHEMES.title, m.COSIGNATORY, "a draft it signs"): ("council-44-member", SDAVS_44_COSIGNED),
    (m.SCHEMES.title, m.CAF_AGENT, "a draft of its department"): ("caf-31-agent", SDAVS_31_DRAFT),
    (m.SCHEMES.title, m.CAF_AGENT, "a draft of another department"): ("caf-31-agent", SDAVS_44_DRAFT),
    (m.SCHEMES.title, m.CAF_AGENT, "a published scheme of another department"): ("caf-31-agent", SDAVS_44_PUBLISHED),
    (m.SCHEMES.title, m.CAF_AGENT, "a published COG"): ("caf-31-agent", COG_PUBLISHED),
    (m.SCHEMES.title, m.CAF_MANAGER, "a draft of its department"): ("caf-44-manager", SDAVS_44_DRAFT),
    (m.SCHEMES.title, m.CAF_MANAGER, "the CPOG of its department"): ("caf-44-manager", CPOG_44_DRAFT),
    (m.SCHEMES.title, m.CNAF_ANALYST, "any scheme"): ("cnaf-analyst", SDAVS_31_DRAFT),
    (m.SCHEMES.title, m.CNAF_MANAGER, "a draft COG"): ("cnaf-manager", COG_DRAFT),
    (m.SCHEMES.title, m.CNAF_MANAGER, "a draft CPOG"): ("cnaf-manager", CPOG_44_DRAFT),
    (m.SCHEMES.title, m.CNAF_MANAGER, "a draft departmental scheme"): ("cnaf-manager", SDAVS_31_DRAFT),
    # Organisations
    (m.ORGANISATIONS.title, m.ANONYMOUS, "an association"): (None, ASSOCIATION_31),
    (m.ORGANISATIONS.title, m.ANONYMOUS, "a Caf"): (None, CAF_09),
    (m.ORGANISATIONS.title, m.MEMBER, "its own organisation"): ("association-member", PARENTS_ENSEMBLE),
    (m.ORGANISATIONS.title, m.ADMIN, "its own organisation"): ("association-admin", PARENTS_ENSEMBLE),
    (m.ORGANISATIONS.title, m.ADMIN, "an organisation it works with"): ("association-admin", PASSERELLES),
    (m.ORGANISATIONS.title, m.EPCI_STAFF, "its own organisation"): ("epci-coordinator", TOULOUSE_METROPOLE),
    (m.ORGANISATIONS.title, m.EPCI_STAFF, "an organisation on its territory"): ("epci-coordinator", BLAGNAC),
    (m.ORGANISATIONS.title, m.CAF_AGENT, "its department"): ("caf-31-agent", ASSOCIATION_31),
    (m.ORGANISATIONS.title, m.CAF_AGENT, "another department"): ("caf-31-agent", ASSOCIATION_44),
    (m.ORGANISATIONS.title, m.CAF_AGENT, "its own Caf"): ("caf-31-agent", CAF_31),
    (m.ORGANISATIONS.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", ASSOCIATION_44),
    (m.ORGANISATIONS.title, m.CNAF_ANALYST, "any organisation"): ("cnaf-analyst", ASSOCIATION_31),
    (m.ORGANISATIONS.title, m.CNAF_MANAGER, "any organisation"): ("cnaf-manager", ASSOCIATION_31),
    (m.ORGANISATIONS.title, m.CNAF_MANAGER, "a Caf"): ("cnaf-manager", CAF_09),
    # Habilitations
    (m.HABILITATIONS.title, m.ANONYMOUS, "any organisation"): (None, HABILITATION_PE),
    (m.HABILITATIONS.title, m.MEMBER, "its own organisation"): ("association-member", HABILITATION_PE),
    (m.HABILITATIONS.title, m.MEMBER, "its own habilitation"): ("association-member", HABILITATION_OF_MEMBER),
    (m.HABILITATIONS.title, m.ADMIN, "its own organisation"): ("association-admin", HABILITATION_PE),
    (m.HABILITATIONS.title, m.ADMIN, "its own habilitation"): ("association-admin", HABILITATION_OF_ADMIN),
    (m.HABILITATIONS.title, m.ADMIN, "another organisation"): ("association-admin", HABILITATION_PASSERELLES),
    (m.HABILITATIONS.title, m.CAF_ADMIN, "a Caf role in its Caf, beyond its own"): (
        "caf-31-admin",
        HABILITATION_CAF_31_AGENT,
    ),
    (m.HABILITATIONS.title, m.EPCI_STAFF, "its own organisation"): ("epci-coordinator", HABILITATION_TM),
    (m.HABILITATIONS.title, m.CAF_AGENT, "an organisation of its department"): ("caf-31-agent", HABILITATION_PE),
    (m.HABILITATIONS.title, m.CAF_MANAGER, "an organisation of its department"): ("caf-44-manager", HABILITATION_44),
    (m.HABILITATIONS.title, m.CAF_MANAGER, "an organisation of another department"): (
        "caf-44-manager",
        HABILITATION_PE,
    ),
    (m.HABILITATIONS.title, m.CAF_MANAGER, "the Caf of another department"): ("caf-44-manager", HABILITATION_CAF_31),
    (m.HABILITATIONS.title, m.CNAF_ANALYST, "any organisation"): ("cnaf-analyst", HABILITATION_PE),
    (m.HABILITATIONS.title, m.CNAF_MANAGER, "any organisation"): ("cnaf-manager", HABILITATION_PE),
    # Reporting campaigns
    (m.CAMPAIGNS.title, m.ANONYMOUS, "a campaign of a department"): (None, CAMPAIGN_31),
    (m.CAMPAIGNS.title, m.MEMBER, "a campaign asking its actions"): ("association-member", CAMPAIGN_31),
    (m.CAMPAIGNS.title, m.EPCI_STAFF, "a campaign of its department"): ("epci-coordinator", CAMPAIGN_31),
    (m.CAMPAIGNS.title, m.CAF_AGENT, "its department"): ("caf-31-agent", CAMPAIGN_31),
    (m.CAMPAIGNS.title, m.CAF_AGENT, "another department"): ("caf-31-agent", CAMPAIGN_44),
    (m.CAMPAIGNS.title, m.CAF_AGENT, "a national campaign"): ("caf-31-agent", CAMPAIGN_FRANCE),
    (m.CAMPAIGNS.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", CAMPAIGN_44),
    (m.CAMPAIGNS.title, m.CNAF_ANALYST, "any campaign"): ("cnaf-analyst", CAMPAIGN_31),
    (m.CAMPAIGNS.title, m.CNAF_MANAGER, "a campaign of a department"): ("cnaf-manager", CAMPAIGN_44),
    (m.CAMPAIGNS.title, m.CNAF_MANAGER, "a national campaign"): ("cnaf-manager", CAMPAIGN_FRANCE),
    # Governance meetings
    (m.MEETINGS.title, m.ANONYMOUS, "any CTG"): (None, CTG_TM),
    (m.MEETINGS.title, m.MEMBER, "carries an action of it"): ("association-member", CTG_TM_CARRIED),
    (m.MEETINGS.title, m.MEMBER, "unrelated"): ("association-member", CTG_NANTES),
    (m.MEETINGS.title, m.EPCI_STAFF, "its EPCI's CTG"): ("epci-coordinator", CTG_TM),
    (m.MEETINGS.title, m.EPCI_STAFF, "a CTG listing one of its member communes"): ("pyrenees-staff", CTG_LUCHON),
    (m.MEETINGS.title, m.COMMUNE_STAFF, "a CTG of its EPCI"): ("blagnac-staff", CTG_TM),
    (m.MEETINGS.title, m.COMMUNE_STAFF, "a CTG listing the commune"): ("luchon-staff", CTG_LUCHON),
    (m.MEETINGS.title, m.COSIGNATORY, "a CTG it signs"): ("council-44-member", CTG_NANTES_COSIGNED),
    (m.MEETINGS.title, m.CAF_AGENT, "its department"): ("caf-31-agent", CTG_TM),
    (m.MEETINGS.title, m.CAF_AGENT, "another department"): ("caf-31-agent", CTG_NANTES),
    (m.MEETINGS.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", CTG_NANTES),
    (m.MEETINGS.title, m.CAF_MANAGER, "another department"): ("caf-44-manager", CTG_TM),
    (m.MEETINGS.title, m.CNAF_ANALYST, "any CTG"): ("cnaf-analyst", CTG_TM),
    (m.MEETINGS.title, m.CNAF_MANAGER, "any CTG"): ("cnaf-manager", CTG_TM),
    # Facilities
    (m.FACILITIES.title, m.ANONYMOUS, "an open facility"): (None, FACILITY_BLAGNAC),
    (m.FACILITIES.title, m.ANONYMOUS, "a planned facility"): (None, FACILITY_BLAGNAC_PLANNED),
    (m.FACILITIES.title, m.MEMBER, "the facility its organisation manages"): ("association-member", FACILITY_BLAGNAC),
    (m.FACILITIES.title, m.EPCI_STAFF, "a facility of its territory"): ("epci-coordinator", FACILITY_BLAGNAC),
    (m.FACILITIES.title, m.CAF_AGENT, "its department"): ("caf-31-agent", FACILITY_BLAGNAC),
    (m.FACILITIES.title, m.CAF_AGENT, "an open facility of another department"): ("caf-31-agent", FACILITY_NANTES),
    (m.FACILITIES.title, m.CAF_AGENT, "a planned facility of another department"): (
        "caf-31-agent",
        FACILITY_NANTES_PLANNED,
    ),
    (m.FACILITIES.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", FACILITY_NANTES),
    (m.FACILITIES.title, m.CNAF_ANALYST, "any facility"): ("cnaf-analyst", FACILITY_BLAGNAC),
    (m.FACILITIES.title, m.CNAF_MANAGER, "any facility"): ("cnaf-manager", FACILITY_BLAGNAC),
    # Funding lines of actions
    (m.FUNDING_LINES.title, m.ANONYMOUS, "any action"): (None, ACTION_TM),
    (m.FUNDING_LINES.title, m.MEMBER, "its carrier"): ("association-member", ACTION_TM),
    (m.FUNDING_LINES.title, m.MEMBER, "a partner of it"): ("association-member", ACTION_TM_PARTNERED),
    (m.FUNDING_LINES.title, m.MEMBER, "unrelated"): ("association-member", ACTION_NANTES),
    (m.FUNDING_LINES.title, m.EPCI_STAFF, "its EPCI's CTG"): ("epci-coordinator", ACTION_TM),
    (m.FUNDING_LINES.title, m.EPCI_STAFF, "a CTG listing one of its member communes"): (
        "pyrenees-staff",
        ACTION_LUCHON,
    ),
    (m.FUNDING_LINES.title, m.COMMUNE_STAFF, "a CTG listing the commune"): ("luchon-staff", ACTION_LUCHON),
    (m.FUNDING_LINES.title, m.COSIGNATORY, "a CTG it signed"): ("council-44-member", ACTION_NANTES),
    (m.FUNDING_LINES.title, m.CAF_AGENT, "its department"): ("caf-31-agent", ACTION_TM),
    (m.FUNDING_LINES.title, m.CAF_AGENT, "another department"): ("caf-31-agent", ACTION_NANTES),
    (m.FUNDING_LINES.title, m.CAF_AGENT, "a partner of it, in another department"): (
        "caf-31-agent",
        ACTION_NOZAY_CAF_31,
    ),
    (m.FUNDING_LINES.title, m.CAF_MANAGER, "its department"): ("caf-44-manager", ACTION_NANTES),
    (m.FUNDING_LINES.title, m.CNAF_ANALYST, "any action"): ("cnaf-analyst", ACTION_TM),
    (m.FUNDING_LINES.title, m.CNAF_MANAGER, "any action"): ("cnaf-manager", ACTION_TM),
}
