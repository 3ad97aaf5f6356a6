"""The national and departmental schemes above the CTGs, and the CEJs that CTGs replaced.

Real ('seed:' refs): the COGs, the CPOG 2013-2017 of the Caf de Loire-Atlantique, the SDSF and SDAVS
of the Haute-Garonne and of Loire-Atlantique and the Loire-Atlantique education charter, as the
two Cafs' partner pages describe them. Orientations, stakes, signatories and the SDAVS 44 signing
date are the pages' own. Where the pages give no date, the dates are assumed; where they name no
signatory, the usual ones are assumed, since a scheme in force was signed (db/writes/lifecycle.py).
Each scheme's summary says which facts come from the source and which are assumed, and its
source URL leads to the Caf's partner pages.

Illustrative ('demo:' refs): the two CEJs, whose summaries say so.
"""

from __future__ import annotations

from datetime import date

from db.demo import organisations as org
from db.demo.records import ILLUSTRATIVE, Objective, Scheme, Signatory
from db.models.enums import SchemeKind as Kind
from db.models.enums import SchemeScope as Scope
from db.models.enums import SchemeStatus as Status

COG_2013 = "seed:cog:2013-2017"
COG_2018 = "seed:cog:2018-2022"
COG_2023 = "seed:cog:2023-2027"
CPOG_44_2013 = "seed:cpog:44:2013-2017"
SDSF_31 = "seed:sdsf:31"
SDAVS_31 = "seed:sdavs:31"
SDSF_44 = "seed:sdsf:44:2018-2022"
SDAVS_44 = "seed:sdavs:44:2017"
CHARTER_44 = "seed:charte-politiques-educatives:44"
CEJ_SICOVAL = "demo:cej:sicoval:2015-2018"
CEJ_CARENE = "demo:cej:carene:2015-2018"

HAUTE_GARONNE_PAGE = "page partenaires de la Caf de la Haute-Garonne"
LOIRE_ATLANTIQUE_PAGE = "page partenaires de la Caf de Loire-Atlantique"

# Where the two source pages are published: the partners' section of each Caf on caf.fr. The seed
# texts carry no address of their own, so a scheme points at the section that holds its page.
HAUTE_GARONNE_URL = "https://www.caf.fr/partenaires/caf-de-la-haute-garonne"
LOIRE_ATLANTIQUE_URL = "https://www.caf.fr/partenaires/caf-de-loire-atlantique"

SENACS = (
    "l'observatoire national Senacs (système d'échange national des centres sociaux), mis en place en 2011 par "
    "la Cnaf et la fédération nationale des centres sociaux"
)
"""The source of the SDAVS's departmental figures, as the Loire-Atlantique page names it."""

SIGNED_WHEN_IN_FORCE = "chaque signataire est réputé avoir signé le jour de l'entrée en vigueur"
"""What a seed scheme's summary says of its signing days when the source gives none."""


def _signed_on_start(start: date, *signatories: tuple[str, str]) -> tuple[Signatory, ...]:
    """Signatories of a scheme whose source gives no signing day: each signed the day it took effect,
    as a scheme in force must have been signed (db/writes/lifecycle.py)."""
    return tuple(Signatory(ref, role, start) for ref, role in signatories)


def _cog_signatories(start: date) -> tuple[Signatory, ...]:
    return _signed_on_start(
        start,
        (org.STATE, "État, signataire de la convention"),
        (org.CNAF, "Caisse nationale, signataire de la convention"),
    )


COGS: tuple[Scheme, ...] = (
    Scheme(
        COG_2013,
        Kind.COG,
        "Convention d'objectifs et de gestion État – Cnaf 2013-2017",
        "Convention d'objectifs et de gestion liant la Cnaf à l'État pour 2013-2017. Source : pages partenaires "
        "des Caf de la Haute-Garonne (le SDSF y est initié durant cette COG) et de Loire-Atlantique (le CPOG "
        "2013-2017 la décline). Supposé : la période court du 1er janvier 2013 au 31 décembre 2017 ; "
        f"{SIGNED_WHEN_IN_FORCE}.",
        date(2013, 1, 1),
        date(2017, 12, 31),
        Scope.NATIONAL,
        Status.EXPIRED,
        signatories=_cog_signatories(date(2013, 1, 1)),
        source_url=HAUTE_GARONNE_URL,
    ),
    Scheme(
        COG_2018,
        Kind.COG,
        "Convention d'objectifs et de gestion État – Cnaf 2018-2022",
        "Convention d'objectifs et de gestion conclue pour la période 2018-2022, qui lie la Cnaf à l'État ; "
        "l'action sociale collective des Caf s'inscrit dans ses orientations. Source : "
        f"{HAUTE_GARONNE_PAGE}, dont sont tirés son objectif prioritaire et ses quatre champs d'intervention. "
        "Supposé : la période court du 1er janvier 2018 au 31 décembre 2022 ; "
        f"{SIGNED_WHEN_IN_FORCE}.",
        date(2018, 1, 1),
        date(2022, 12, 31),
        Scope.NATIONAL,
        Status.EXPIRED,
        objectives=(
            Objective(
                "rendre possible la conciliation entre vie familiale, vie professionnelle et vie sociale",
                "Objectif prioritaire des interventions de la branche Famille en action sociale collective.",
            ),
            *(
                Objective(title, "Champ d'intervention de l'action sociale collective de la branche Famille.")
                for title in (
                    "l’accueil du jeune enfant, à travers une offre diversifiée, collective et individuelle, "
                    "équitablement répartie sur tout le territoire",
                    "l’enfance et la jeunesse, afin de favoriser l’accès aux loisirs et aux vacances des enfants et "
                    "des jeunes et d’encourager la prise d’autonomie",
                    "le soutien de la parentalité, pour appuyer les parents dans leur rôle, avec l’enjeu de structurer "
                    "et rendre lisible l’offre des territoires",
                    "l’animation de la vie sociale, qui soutient le lien social, la participation des habitants, "
                    "l’accès aux droits et aux services, avec une attention particulière pour les familles "
                    "vulnérables",
                )
            ),
        ),
        signatories=_cog_signatories(date(2018, 1, 1)),
        source_url=HAUTE_GARONNE_URL,
    ),
    Scheme(
        COG_2023,
        Kind.COG,
        "Convention d'objectifs et de gestion État – Cnaf 2023-2027",
        f"La convention d'objectifs et de gestion qui prévaut actuellement entre la Cnaf et l'État. Source : "
        f"{HAUTE_GARONNE_PAGE}. Supposé : la période court du 1er janvier 2023 au 31 décembre 2027 ; "
        f"{SIGNED_WHEN_IN_FORCE}.",
        date(2023, 1, 1),
        date(2027, 12, 31),
        Scope.NATIONAL,
        Status.ACTIVE,
        signatories=_cog_signatories(date(2023, 1, 1)),
        source_url=HAUTE_GARONNE_URL,
    ),
)

CPOG_44 = Scheme(
    CPOG_44_2013,
    Kind.CPOG,
    "Contrat pluriannuel d'objectifs et de gestion 2013-2017 de la Caf de Loire-Atlantique",
    "Soumis au conseil d'administration et signé par les présidents et les directeurs de la Cnaf et de la Caf, "
    "il marque les orientations politiques et les objectifs de la Caf pour mettre en œuvre la COG dans le champ "
    f"local. Source : {LOIRE_ATLANTIQUE_PAGE}, dont sont tirées ses quatre orientations. Supposé : la période "
    "(années civiles 2013 à 2017) ; les dates de signature ne sont pas connues : "
    f"{SIGNED_WHEN_IN_FORCE}.",
    date(2013, 1, 1),
    date(2017, 12, 31),
    Scope.DEPARTMENT,
    Status.EXPIRED,
    department_code="44",
    parent=COG_2013,
    objectives=(
        Objective(
            "renforcer le développement de l’offre d’accueil des jeunes enfants en direction de toutes les familles "
            "et de tous les territoires"
        ),
        Objective("contribuer à la structuration d’une offre « enfance et jeunesse » adaptée aux besoins des familles"),
        Objective("soutenir la fonction parentale et faciliter les relations parents-enfants"),
        Objective(
            "faciliter l’intégration sociale des familles dans leur environnement et contribuer à la cohésion sociale "
            "sur les territoires"
        ),
    ),
    signatories=_signed_on_start(
        date(2013, 1, 1),
        (org.CNAF, "Caisse nationale (président et directeur)"),
        (org.CAF_44, "Caisse locale (président et directeur)"),
    ),
    source_url=LOIRE_ATLANTIQUE_URL,
)

SDSF_HAUTE_GARONNE = Scheme(
    SDSF_31,
    Kind.SDSF,
    "Schéma départemental des services aux familles de la Haute-Garonne",
    "Initié en Haute-Garonne durant la COG 2013-2017, il rassemble les services de l'État, le Département, "
    "des EPCI, la Caf et les acteurs associatifs du soutien à la parentalité pour coconstruire et piloter les "
    "politiques familiales et sociales ; il est le pivot de la mise en œuvre de la stratégie nationale de "
    f"soutien de la parentalité. Source : {HAUTE_GARONNE_PAGE}. Supposé : l'entrée en vigueur au 1er janvier "
    "2016, l'absence de terme fixé ; la source nomme des EPCI et des associations de soutien à la parentalité "
    "sans dire lesquels : ceux des signataires sont illustratifs (les EPCI des CTG de démonstration, une "
    f"association de parents) ; {SIGNED_WHEN_IN_FORCE}.",
    date(2016, 1, 1),
    None,
    Scope.DEPARTMENT,
    Status.ACTIVE,
    department_code="31",
    parent=COG_2013,
    signatories=_signed_on_start(
        date(2016, 1, 1),
        (org.PREFECTURE_31, "Services de l'État"),
        (org.DEPARTMENT_31, "Département"),
        (org.CAF_31, "Caf"),
        (org.TOULOUSE_METROPOLE.ref, "EPCI partenaire (illustratif)"),
        (org.SICOVAL.ref, "EPCI partenaire (illustratif)"),
        (org.MURETAIN.ref, "EPCI partenaire (illustratif)"),
        (org.PARENTING_NETWORK_31, "Association de soutien à la parentalité (illustratif)"),
    ),
    source_url=HAUTE_GARONNE_URL,
)

SDAVS_HAUTE_GARONNE = Scheme(
    SDAVS_31,
    Kind.SDAVS,
    "Schéma départemental de l'animation de la vie sociale de la Haute-Garonne",
    "Document déclinant les orientations stratégiques de l'animation de la vie sociale en Haute-Garonne, "
    "destiné à l'ensemble de ses acteurs : collectifs d'habitants, porteurs de projets, gestionnaires de "
    "centres sociaux et d'espaces de vie sociale, élus des collectivités, agents territoriaux. Source : "
    f"{HAUTE_GARONNE_PAGE}, dont sont tirés ses cinq enjeux ; ses données d'observation viennent de {SENACS}. "
    "Supposé : la période 2023-2027 ; la source ne nomme pas les signataires : la Caf et le Département, "
    f"porteurs habituels du schéma, le sont ici ; {SIGNED_WHEN_IN_FORCE}.",
    date(2023, 1, 1),
    date(2027, 12, 31),
    Scope.DEPARTMENT,
    Status.ACTIVE,
    department_code="31",
    parent=COG_2023,
    objectives=(
        Objective(
            "développer une politique de l’animation de la vie sociale concertée à l’échelle départementale entre "
            "partenaires et acteurs"
        ),
        Objective(
            "renforcer la visibilité et la compréhension de la politique d’animation de la vie sociale par les "
            "habitants et les partenaires"
        ),
        Objective("renforcer la cohérence et l’homogénéité des pratiques dans la mise en œuvre des projets"),
        Objective(
            "promouvoir et mettre en œuvre l’observation partagée des centres sociaux et des espaces de vie sociale "
            "à partir des données de l’observatoire du Système d'Echanges NAtional des Centres Sociaux (SENACS)",
            "Senacs, mis en place en 2011 par la Cnaf et la fédération nationale des centres sociaux, alimente "
            "le schéma en données départementales.",
        ),
        Objective(
            "renforcer les partenariats locaux en matière de pilotage, de conduite de projets et d’actions, ainsi "
            "que de financement"
        ),
    ),
    signatories=_signed_on_start(date(2023, 1, 1), (org.CAF_31, "Caf"), (org.DEPARTMENT_31, "Département (supposé)")),
    source_url=HAUTE_GARONNE_URL,
)

SDSF_LOIRE_ATLANTIQUE = Scheme(
    SDSF_44,
    Kind.SDSF,
    "Schéma départemental des services aux familles de Loire-Atlantique 2018-2022",
    "S'inscrit dans une politique nationale reposant sur trois orientations ; l'enjeu consiste à lutter contre "
    "les inégalités sociales et territoriales, assurer la pérennité et le développement de l'offre d'accueil et "
    "de services et soutenir les situations de fragilités des familles. Source : "
    f"{LOIRE_ATLANTIQUE_PAGE}. Supposé : les bornes exactes (années civiles 2018 à 2022) ; la source ne nomme "
    "pas les signataires : la Caf, la Préfecture et le Département, signataires habituels d'un SDSF, le sont "
    f"ici ; {SIGNED_WHEN_IN_FORCE}.",
    date(2018, 1, 1),
    date(2022, 12, 31),
    Scope.DEPARTMENT,
    Status.EXPIRED,
    department_code="44",
    parent=COG_2018,
    objectives=(
        Objective("accompagner les familles et favoriser le développement des enfants"),
        Objective(
            "créer les conditions favorables à l’autonomie et à l’insertion des",
            "Formulation tronquée telle quelle dans la source (« à l’insertion des »).",
        ),
        Objective("consolider notre capacité de pilotage de la territorialisation des politiques"),
    ),
    signatories=_signed_on_start(
        date(2018, 1, 1),
        (org.CAF_44, "Caf"),
        (org.PREFECTURE_44, "Services de l'État (supposé)"),
        (org.DEPARTMENT_44, "Département (supposé)"),
    ),
    source_url=LOIRE_ATLANTIQUE_URL,
)

_SDAVS_44_SIGNED_ON = date(2017, 2, 8)

SDAVS_LOIRE_ATLANTIQUE = Scheme(
    SDAVS_44,
    Kind.SDAVS,
    "Schéma départemental de l'animation de la vie sociale de Loire-Atlantique",
    "Garantit une action concertée afin de développer, mettre en œuvre et animer une politique d'animation de la "
    "vie sociale coordonnée à l'échelle du Département ; s'appuie sur les données départementales de "
    f"{SENACS}. Signé le 8 février 2017 par neuf signataires. Source : "
    f"{LOIRE_ATLANTIQUE_PAGE}. Supposé : le terme, fixé au 31 décembre 2021.",
    _SDAVS_44_SIGNED_ON,
    date(2021, 12, 31),
    Scope.DEPARTMENT,
    Status.EXPIRED,
    department_code="44",
    parent=COG_2013,
    signatories=tuple(
        Signatory(ref, "Signataire", _SDAVS_44_SIGNED_ON)
        for ref in (
            org.CAF_44,
            org.PREFECTURE_44,
            org.DEPARTMENT_44,
            org.CARSAT_PAYS_DE_LA_LOIRE,
            org.MSA_44,
            org.DSDEN_44,
            org.NANTES.ref,
            org.SAINT_NAZAIRE.ref,
            org.SOCIAL_CENTRES_44,
        )
    ),
    source_url=LOIRE_ATLANTIQUE_URL,
)

EDUCATION_CHARTER_44 = Scheme(
    CHARTER_44,
    Kind.EDUCATION_CHARTER,
    "Charte des politiques éducatives de Loire-Atlantique",
    "Affirme la volonté commune de ses signataires de promouvoir les politiques éducatives territoriales et "
    "d'encourager leur développement, par un accompagnement des acteurs locaux à l'émergence et à la mise en "
    "œuvre de projets éducatifs territoriaux de qualité. Source : "
    f"{LOIRE_ATLANTIQUE_PAGE} (en vigueur depuis 2008, six signataires, deux objectifs stratégiques). Supposé : "
    "le jour de début, 1er janvier 2008 ; la charte n'a pas de terme connu, ni de COG de rattachement dans ces "
    f"données ; {SIGNED_WHEN_IN_FORCE}.",
    date(2008, 1, 1),
    None,
    Scope.DEPARTMENT,
    Status.ACTIVE,
    department_code="44",
    objectives=(
        Objective(
            "réduire les disparités territoriales en matière de politiques éducatives",
            "Objectif stratégique des signataires : « la réduction des disparités territoriales en la matière ».",
        ),
        Objective(
            "assurer la complémentarité des acteurs",
            "Objectif stratégique des signataires : « la complémentarité des acteurs ».",
        ),
    ),
    signatories=tuple(
        Signatory(ref, "Signataire", date(2008, 1, 1))
        for ref in (
            org.DRDJSCS_44,
            org.DSDEN_44,
            org.DEPARTMENT_44,
            org.MAYORS_44,
            org.CAF_44,
            org.MSA_44,
        )
    ),
    source_url=LOIRE_ATLANTIQUE_URL,
)

DEPARTMENTAL: tuple[Scheme, ...] = (
    CPOG_44,
    SDSF_HAUTE_GARONNE,
    SDAVS_HAUTE_GARONNE,
    SDSF_LOIRE_ATLANTIQUE,
    SDAVS_LOIRE_ATLANTIQUE,
    EDUCATION_CHARTER_44,
)

CEJS: tuple[Scheme, ...] = (
    Scheme(
        CEJ_SICOVAL,
        Kind.CEJ,
        "Contrat enfance jeunesse du Sicoval 2015-2018",
        f"{ILLUSTRATIVE}contrat d'objectifs et de financement entre la Caf de la Haute-Garonne et le Sicoval pour "
        "développer l'accueil des enfants jusqu'à 17 ans ; la convention territoriale globale du Sicoval l'a "
        "remplacé en 2020.",
        date(2015, 1, 1),
        date(2018, 12, 31),
        Scope.EPCI,
        Status.SUPERSEDED,
        department_code="31",
        epci_siren=org.SICOVAL.siren,
        parent=COG_2013,
        signatories=(
            Signatory(org.CAF_31, "Caf", date(2015, 6, 18)),
            Signatory(org.SICOVAL.ref, "Collectivité contractante", date(2015, 6, 18)),
        ),
    ),
    Scheme(
        CEJ_CARENE,
        Kind.CEJ,
        "Contrat enfance jeunesse de la CARENE 2015-2018",
        f"{ILLUSTRATIVE}contrat d'objectifs et de financement entre la Caf de Loire-Atlantique et la CARENE pour "
        "l'accueil des enfants et des jeunes de l'agglomération nazairienne ; arrivé à échéance, il a été repris "
        "par la convention territoriale globale de la CARENE.",
        date(2015, 1, 1),
        date(2018, 12, 31),
        Scope.EPCI,
        Status.EXPIRED,
        department_code="44",
        epci_siren=org.CARENE.siren,
        parent=COG_2013,
        signatories=(
            Signatory(org.CAF_44, "Caf", date(2015, 9, 24)),
            Signatory(org.CARENE.ref, "Collectivité contractante", date(2015, 9, 24)),
        ),
    ),
)
