"""The organisations of the demo, besides the Cnaf and the Cafs that the territory import creates.

Real ('seed:' refs): the institutions that the Caf de la Haute-Garonne and Caf de Loire-Atlantique
pages name as signatories or members of their schemes, under the pages' own wording. Their SIREN
and SIRET are left empty rather than guessed.

Real territories: the EPCIs and communes ('epci:<siren>', 'commune:<insee code>') that take part in
the illustrative CTGs; their names, SIRENs and departments come from the territory reference.

Illustrative ('demo:' refs): the associations, plausible but invented, with no SIREN or SIRET.
Their RNA numbers sit at the far end of their prefectures' sequences, which no association holds.
The MSA Midi-Pyrénées Sud is real but appears only as a signatory of illustrative CTGs.
"""

from __future__ import annotations

from db.demo.records import CommuneOrganisation, EpciOrganisation, Organisation
from db.models.enums import OrganisationKind as Kind

CNAF = "cnaf"
CAF_31 = "caf:31"
CAF_44 = "caf:44"

STATE = "seed:etat"
PREFECTURE_31 = "seed:prefecture:31"
DEPARTMENT_31 = "seed:departement:31"
PREFECTURE_44 = "seed:prefecture:44"
DEPARTMENT_44 = "seed:departement:44"
CARSAT_PAYS_DE_LA_LOIRE = "seed:carsat:pays-de-la-loire"
MSA_44 = "seed:msa:loire-atlantique-vendee"
DSDEN_44 = "seed:dsden:44"
DRDJSCS_44 = "seed:drdjscs:44"
MAYORS_44 = "seed:association-des-maires:44"
SOCIAL_CENTRES_44 = "seed:federation-centres-sociaux:44"

MSA_31 = "demo:msa:midi-pyrenees-sud"

REAL: tuple[Organisation, ...] = (
    Organisation(STATE, Kind.STATE_SERVICE, "État — ministère chargé de la famille", acronym="État"),
    Organisation(PREFECTURE_31, Kind.STATE_SERVICE, "Préfecture de la Haute-Garonne", "31"),
    Organisation(DEPARTMENT_31, Kind.DEPARTMENTAL_COUNCIL, "Conseil départemental de la Haute-Garonne", "31"),
    Organisation(PREFECTURE_44, Kind.STATE_SERVICE, "Préfecture de la Loire-Atlantique", "44"),
    Organisation(DEPARTMENT_44, Kind.DEPARTMENTAL_COUNCIL, "Conseil départemental de Loire-Atlantique", "44"),
    Organisation(CARSAT_PAYS_DE_LA_LOIRE, Kind.CARSAT, "Carsat Pays de la Loire", "44", acronym="Carsat"),
    Organisation(
        MSA_44, Kind.MSA, "Mutualité sociale agricole Loire-Atlantique-Vendée", "44", "MSA Loire-Atlantique-Vendée"
    ),
    Organisation(
        DSDEN_44,
        Kind.NATIONAL_EDUCATION,
        "Direction des services départementaux de l'éducation nationale de Loire-Atlantique",
        "44",
        "DSDEN 44",
    ),
    Organisation(DRDJSCS_44, Kind.STATE_SERVICE, "Direction départementale déléguée de la DRDJSCS", "44"),
    Organisation(MAYORS_44, Kind.ASSOCIATION, "Association des maires de Loire-Atlantique", "44", "AMF 44"),
    Organisation(SOCIAL_CENTRES_44, Kind.FEDERATION, "Fédération des centres sociaux de Loire-Atlantique", "44"),
    Organisation(MSA_31, Kind.MSA, "MSA Midi-Pyrénées Sud", "31"),
)

TOULOUSE_METROPOLE = EpciOrganisation("243100518", "31")
MURETAIN = EpciOrganisation("200068641", "31")
SICOVAL = EpciOrganisation("243100633", "31")
PYRENEES_HAUT_GARONNAISES = EpciOrganisation("200072635", "31")
NANTES_METROPOLE = EpciOrganisation("244400404", "44")
CARENE = EpciOrganisation("244400644", "44")
NOZAY = EpciOrganisation("244400537", "44")
PAYS_DE_BLAIN = EpciOrganisation("244400453", "44")

EPCIS: tuple[EpciOrganisation, ...] = (
    TOULOUSE_METROPOLE,
    MURETAIN,
    SICOVAL,
    PYRENEES_HAUT_GARONNAISES,
    NANTES_METROPOLE,
    CARENE,
    NOZAY,
    PAYS_DE_BLAIN,
)

NANTES = CommuneOrganisation("44109", "Mairie de Nantes")
SAINT_NAZAIRE = CommuneOrganisation("44184", "Mairie de Saint-Nazaire")
BLAGNAC = CommuneOrganisation("31069", "Mairie de Blagnac")
MURET = CommuneOrganisation("31395", "Mairie de Muret")
BAGNERES_DE_LUCHON = CommuneOrganisation("31042", "Mairie de Bagnères-de-Luchon")
SAINT_MAMET = CommuneOrganisation("31500", "Mairie de Saint-Mamet")
MONTAUBAN_DE_LUCHON = CommuneOrganisation("31360", "Mairie de Montauban-de-Luchon")
JUZET_DE_LUCHON = CommuneOrganisation("31244", "Mairie de Juzet-de-Luchon")
NOZAY_TOWN = CommuneOrganisation("44113", "Mairie de Nozay")
BLAIN = CommuneOrganisation("44015", "Mairie de Blain")

COMMUNES: tuple[CommuneOrganisation, ...] = (
    NANTES,
    SAINT_NAZAIRE,
    BLAGNAC,
    MURET,
    BAGNERES_DE_LUCHON,
    SAINT_MAMET,
    MONTAUBAN_DE_LUCHON,
    JUZET_DE_LUCHON,
    NOZAY_TOWN,
    BLAIN,
)

PASSERELLES = "demo:association:centre-social-les-passerelles"
PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"
JEUNESSE_EN_MOUVEMENT = "demo:association:jeunesse-en-mouvement-garonne"
CLIC_ET_DROITS = "demo:association:clic-et-droits"
PETITS_PAS = "demo:association:creche-les-petits-pas"
RELAIS_COMMINGES = "demo:association:relais-familles-du-comminges"
ESTUAIRE = "demo:association:centre-socioculturel-de-l-estuaire"
MAISON_DES_PARENTS = "demo:association:maison-des-parents-loire-ocean"
NUMERIQUE_SOLIDAIRE = "demo:association:numerique-solidaire-44"
JEUNES_EN_CAMPAGNE = "demo:association:jeunes-en-campagne"
PTITS_MOUSSES = "demo:association:creche-parentale-les-ptits-mousses"
PARENTING_NETWORK_31 = "demo:association:reseau-parentalite-31"

ASSOCIATIONS: tuple[Organisation, ...] = (
    Organisation(PASSERELLES, Kind.ASSOCIATION, "Centre social Les Passerelles", "31", rna="W313999901"),
    Organisation(PARENTS_ENSEMBLE, Kind.ASSOCIATION, "Parents ensemble 31", "31", rna="W313999902"),
    Organisation(JEUNESSE_EN_MOUVEMENT, Kind.ASSOCIATION, "Jeunesse en mouvement Garonne", "31"),
    Organisation(CLIC_ET_DROITS, Kind.ASSOCIATION, "Clic & droits", "31", rna="W313999903"),
    Organisation(PETITS_PAS, Kind.ASSOCIATION, "Crèche associative Les Petits Pas", "31"),
    Organisation(RELAIS_COMMINGES, Kind.ASSOCIATION, "Relais familles du Comminges", "31", rna="W313999904"),
    Organisation(ESTUAIRE, Kind.ASSOCIATION, "Centre socioculturel de l'Estuaire", "44", rna="W442999901"),
    Organisation(MAISON_DES_PARENTS, Kind.ASSOCIATION, "Maison des parents Loire-Océan", "44", rna="W442999902"),
    Organisation(NUMERIQUE_SOLIDAIRE, Kind.ASSOCIATION, "Numérique solidaire 44", "44"),
    Organisation(JEUNES_EN_CAMPAGNE, Kind.ASSOCIATION, "Jeunes en campagne", "44", rna="W442999903"),
    Organisation(PTITS_MOUSSES, Kind.ASSOCIATION, "Crèche parentale Les P'tits Mousses", "44"),
    # Member of the SDSF of the Haute-Garonne, for the parenting-support associations the page names.
    Organisation(PARENTING_NETWORK_31, Kind.ASSOCIATION, "Réseau parentalité 31", "31", rna="W313999905"),
)

ORGANISATIONS: tuple[Organisation, ...] = REAL + ASSOCIATIONS
