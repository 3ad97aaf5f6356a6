"""The demo's conventions territoriales globales: four in the Haute-Garonne, four in Loire-Atlantique.

Illustrative ('demo:' refs): every CTG here is invented, on real EPCIs and communes, and its summary
starts with "Exemple illustratif — ". Dates, objectives, governance, coordinators and signatures
are plausible, not real. Coordinator addresses use the reserved '.example' domain, so that none can
reach a real inbox. Each CTG's parent is its department's SDSF.
"""

from __future__ import annotations

from datetime import date

from db.demo import organisations as org
from db.demo import schemes
from db.demo.records import ILLUSTRATIVE, Ctg, EpciOrganisation, GovernanceBody, Objective, Scheme, Signatory
from db.models.enums import SchemeKind, SchemeScope, SchemeStatus
from db.models.enums import Theme as T

TOULOUSE_METROPOLE = "demo:ctg:toulouse-metropole:2022-2026"
SICOVAL = "demo:ctg:sicoval:2020-2024"
MURETAIN = "demo:ctg:muretain-agglo:2023-2027"
PAYS_DE_LUCHON = "demo:ctg:pays-de-luchon:2027-2028"
NANTES_METROPOLE = "demo:ctg:nantes-metropole:2022-2026"
CARENE = "demo:ctg:carene:2020-2024"
NOZAY = "demo:ctg:nozay:2024-2028"
PAYS_DE_BLAIN = "demo:ctg:pays-de-blain:2027-2028"

CAF = "Caf signataire"
EPCI = "EPCI signataire"
PARTNER = "Partenaire signataire"
COMMUNE = "Commune signataire"


def _parent(department: str, start: date) -> str:
    """The departmental scheme a CTG implements: the SDSF in force when it starts. Loire-Atlantique's SDSF
    ended in 2022 and the seed page names no successor: later CTGs there implement its education charter."""
    if department == "31":
        return schemes.SDSF_31
    ended = schemes.SDSF_LOIRE_ATLANTIQUE.period_end
    return schemes.SDSF_44 if ended is not None and start <= ended else schemes.CHARTER_44


def _steering(members: str, frequency: str = "Deux fois par an") -> GovernanceBody:
    return GovernanceBody("Comité de pilotage", members, frequency)


def _technical(members: str, frequency: str = "Chaque trimestre") -> GovernanceBody:
    return GovernanceBody("Comité technique", members, frequency)


def _epci_ctg(
    ref: str,
    epci: EpciOrganisation,
    title: str,
    summary: str,
    period: tuple[date, date],
    status: SchemeStatus,
    objectives: tuple[str, ...],
    signatories: tuple[Signatory, ...],
) -> Scheme:
    return Scheme(
        ref,
        SchemeKind.CTG,
        title,
        ILLUSTRATIVE + summary,
        period[0],
        period[1],
        SchemeScope.EPCI,
        status,
        department_code=epci.department_code,
        epci_siren=epci.siren,
        parent=_parent(epci.department_code, period[0]),
        objectives=tuple(Objective(text) for text in objectives),
        signatories=signatories,
    )


HAUTE_GARONNE: tuple[Ctg, ...] = (
    Ctg(
        _epci_ctg(
            TOULOUSE_METROPOLE,
            org.TOULOUSE_METROPOLE,
            "Convention territoriale globale de Toulouse Métropole 2022-2026",
            "convention entre la Caf de la Haute-Garonne, Toulouse Métropole et le Conseil départemental, qui "
            "organise l'offre de services aux familles des 37 communes de la métropole.",
            (date(2022, 1, 1), date(2026, 12, 31)),
            SchemeStatus.ACTIVE,
            (
                "Rééquilibrer l'offre d'accueil du jeune enfant entre les communes et les quartiers",
                "Rendre lisible et accessible l'offre de soutien à la parentalité",
                "Lutter contre le non-recours aux droits et accompagner les familles vers le numérique",
            ),
            (
                Signatory(org.CAF_31, CAF, date(2022, 3, 15)),
                Signatory(org.TOULOUSE_METROPOLE.ref, EPCI, date(2022, 3, 15)),
                Signatory(org.DEPARTMENT_31, PARTNER, date(2022, 4, 4)),
            ),
        ),
        (T.EARLY_CHILDHOOD, T.CHILDHOOD, T.YOUTH, T.PARENTING, T.SOCIAL_LIFE, T.ACCESS_TO_RIGHTS),
        date(2021, 6, 30),
        "Croissance démographique soutenue au nord et à l'ouest de la métropole ; couverture en accueil du jeune "
        "enfant inégale d'un quartier à l'autre ; forte demande d'accompagnement numérique dans les quartiers "
        "prioritaires de la politique de la ville.",
        "Claire Fabre",
        "claire.fabre@toulouse-metropole.example",
        org.TOULOUSE_METROPOLE.ref,
        (
            _steering(
                "Vice-président de Toulouse Métropole délégué aux solidarités, direction de la Caf de la "
                "Haute-Garonne, Conseil départemental, services de l'État"
            ),
            _technical("Conseillère territoriale de la Caf, coordinatrice CTG de la métropole, référents des communes"),
            GovernanceBody(
                "Groupes de travail thématiques",
                "Associations, gestionnaires d'équipements et habitants, par thème de la convention",
                "Selon le calendrier du plan d'actions",
            ),
        ),
    ),
    Ctg(
        _epci_ctg(
            SICOVAL,
            org.SICOVAL,
            "Convention territoriale globale du Sicoval 2020-2024",
            "première convention territoriale globale du Sicoval, qui a pris la suite de son contrat enfance "
            "jeunesse ; arrivée à échéance, son renouvellement est en préparation.",
            (date(2020, 1, 1), date(2024, 12, 31)),
            SchemeStatus.EXPIRED,
            (
                "Maintenir un accueil du jeune enfant de proximité dans les communes rurales du territoire",
                "Structurer un parcours d'accueil des 11-17 ans",
                "Soutenir les parents dans leur rôle éducatif",
            ),
            (
                Signatory(org.CAF_31, CAF, date(2020, 2, 11)),
                Signatory(org.SICOVAL.ref, EPCI, date(2020, 2, 11)),
                Signatory(org.MSA_31, PARTNER, date(2020, 3, 2)),
            ),
        ),
        (T.EARLY_CHILDHOOD, T.CHILDHOOD, T.YOUTH, T.PARENTING),
        date(2019, 10, 15),
        "Trente-six communes entre ville et campagne ; un accueil du jeune enfant concentré dans les communes "
        "proches de Toulouse ; peu d'offre pour les adolescents en dehors du temps scolaire.",
        "Julien Marty",
        "julien.marty@sicoval.example",
        org.SICOVAL.ref,
        (
            _steering(
                "Président du Sicoval, direction de la Caf de la Haute-Garonne, MSA Midi-Pyrénées Sud",
                "Une fois par an",
            ),
            _technical(
                "Conseiller territorial de la Caf, coordinateur CTG du Sicoval, responsables des services enfance"
            ),
        ),
        replaces=schemes.CEJ_SICOVAL,
    ),
    Ctg(
        _epci_ctg(
            MURETAIN,
            org.MURETAIN,
            "Convention territoriale globale du Muretain Agglo 2023-2027",
            "convention entre la Caf de la Haute-Garonne, le Muretain Agglo, le Conseil départemental et la MSA, "
            "centrée sur la vie sociale, l'accès aux droits et la jeunesse.",
            (date(2023, 1, 1), date(2027, 12, 31)),
            SchemeStatus.ACTIVE,
            (
                "Développer les lieux de vie sociale dans les communes qui en sont dépourvues",
                "Accompagner les familles dans leurs démarches administratives et numériques",
                "Favoriser l'engagement et l'autonomie des jeunes",
                "Soutenir les familles monoparentales",
            ),
            (
                Signatory(org.CAF_31, CAF, date(2023, 5, 22)),
                Signatory(org.MURETAIN.ref, EPCI, date(2023, 5, 22)),
                Signatory(org.DEPARTMENT_31, PARTNER, date(2023, 6, 12)),
                Signatory(org.MSA_31, PARTNER, date(2023, 6, 12)),
            ),
        ),
        (T.SOCIAL_LIFE, T.ACCESS_TO_RIGHTS, T.YOUTH, T.PARENTING, T.HOUSING),
        date(2022, 11, 30),
        "Vingt-six communes autour de Muret, ville-centre ; de nombreuses familles monoparentales dans les quartiers "
        "de Muret ; des communes périurbaines sans équipement de vie sociale.",
        "Sophie Lacaze",
        "sophie.lacaze@agglo-muretain.example",
        org.MURETAIN.ref,
        (
            _steering("Président du Muretain Agglo, Caf, Conseil départemental, MSA Midi-Pyrénées Sud"),
            _technical("Conseillère territoriale de la Caf, coordinatrice CTG, chargés de mission des communes"),
            GovernanceBody(
                "Conférence des familles",
                "Habitants, associations de parents et centres sociaux du territoire",
                "Une fois par an",
            ),
        ),
    ),
    Ctg(
        Scheme(
            PAYS_DE_LUCHON,
            SchemeKind.CTG,
            "Convention territoriale globale des communes du Pays de Luchon 2027-2028",
            ILLUSTRATIVE + "projet de convention entre la Caf de la Haute-Garonne et quatre communes du Pays de "
            "Luchon qui exercent elles-mêmes la compétence enfance-jeunesse ; sa courte durée prépare un "
            "élargissement à la communauté de communes.",
            date(2027, 1, 1),
            date(2028, 12, 31),
            SchemeScope.COMMUNES,
            SchemeStatus.DRAFT,
            department_code="31",
            parent=schemes.SDSF_31,
            objectives=(
                Objective("Offrir aux familles de la vallée un accueil de loisirs ouvert toute l'année"),
                Objective("Rompre l'isolement des parents et des aînés en zone de montagne"),
                Objective("Faciliter l'accès aux droits des habitants de la vallée"),
            ),
            signatories=(
                Signatory(org.CAF_31, CAF),
                Signatory(org.BAGNERES_DE_LUCHON.ref, COMMUNE),
                Signatory(org.SAINT_MAMET.ref, COMMUNE),
                Signatory(org.MONTAUBAN_DE_LUCHON.ref, COMMUNE),
                Signatory(org.JUZET_DE_LUCHON.ref, COMMUNE),
            ),
            communes=tuple(
                commune.insee_code
                for commune in (org.BAGNERES_DE_LUCHON, org.SAINT_MAMET, org.MONTAUBAN_DE_LUCHON, org.JUZET_DE_LUCHON)
            ),
        ),
        (T.CHILDHOOD, T.PARENTING, T.SOCIAL_LIFE, T.ACCESS_TO_RIGHTS, T.SENIORS),
        date(2026, 6, 15),
        "Territoire de montagne peu peuplé, à l'activité saisonnière ; des parents aux horaires de travail décalés ; "
        "un accueil de loisirs fermé en dehors des vacances scolaires ; des aînés isolés dans les villages.",
        "Marie Sarrat",
        "enfance-jeunesse@mairie-luchon.example",
        org.BAGNERES_DE_LUCHON.ref,
        (
            _steering(
                "Maires des quatre communes, Caf de la Haute-Garonne ; communauté de communes invitée",
                "Une fois par an",
            ),
            _technical("Conseillère territoriale de la Caf, secrétaires généraux des communes", "Deux fois par an"),
        ),
    ),
)

LOIRE_ATLANTIQUE: tuple[Ctg, ...] = (
    Ctg(
        _epci_ctg(
            NANTES_METROPOLE,
            org.NANTES_METROPOLE,
            "Convention territoriale globale de Nantes Métropole 2022-2026",
            "convention entre la Caf de Loire-Atlantique, Nantes Métropole et le Conseil départemental pour les "
            "24 communes de la métropole.",
            (date(2022, 1, 1), date(2026, 12, 31)),
            SchemeStatus.ACTIVE,
            (
                "Soutenir les parents dans les quartiers prioritaires et les nouveaux quartiers",
                "Garantir l'accès aux droits et au numérique pour toutes les familles",
                "Développer l'offre d'accueil du jeune enfant là où elle manque",
            ),
            (
                Signatory(org.CAF_44, CAF, date(2022, 6, 30)),
                Signatory(org.NANTES_METROPOLE.ref, EPCI, date(2022, 6, 30)),
                Signatory(org.DEPARTMENT_44, PARTNER, date(2022, 7, 8)),
            ),
        ),
        (T.EARLY_CHILDHOOD, T.PARENTING, T.SOCIAL_LIFE, T.ACCESS_TO_RIGHTS, T.HOUSING),
        date(2021, 12, 15),
        "Près de 700 000 habitants ; un accueil du jeune enfant saturé dans les communes de la première couronne ; "
        "des difficultés d'accès aux droits liées à la dématérialisation ; des familles fragilisées par le coût "
        "du logement.",
        "Thomas Le Gall",
        "thomas.legall@nantesmetropole.example",
        org.NANTES_METROPOLE.ref,
        (
            _steering(
                "Vice-présidente de Nantes Métropole, direction de la Caf de Loire-Atlantique, Conseil départemental"
            ),
            _technical("Conseiller territorial de la Caf, coordinateur CTG, référents des 24 communes"),
            GovernanceBody(
                "Comités de quartier",
                "Centres sociaux, associations et habitants des quartiers prioritaires",
                "Trois fois par an",
            ),
        ),
    ),
    Ctg(
        _epci_ctg(
            CARENE,
            org.CARENE,
            "Convention territoriale globale de la CARENE Saint-Nazaire Agglomération 2020-2024",
            "convention entre la Caf de Loire-Atlantique et la CARENE, qui a repris le contrat enfance jeunesse "
            "de l'agglomération ; arrivée à échéance fin 2024.",
            (date(2020, 1, 1), date(2024, 12, 31)),
            SchemeStatus.EXPIRED,
            (
                "Accompagner les jeunes de l'agglomération vers l'autonomie",
                "Renforcer le lien social dans les quartiers de Saint-Nazaire",
                "Concilier vie familiale et horaires de travail postés",
            ),
            (
                Signatory(org.CAF_44, CAF, date(2020, 10, 5)),
                Signatory(org.CARENE.ref, EPCI, date(2020, 10, 5)),
            ),
        ),
        (T.CHILDHOOD, T.YOUTH, T.PARENTING, T.SOCIAL_LIFE, T.ACCESS_TO_RIGHTS),
        date(2019, 12, 10),
        "Dix communes autour de Saint-Nazaire ; une population jeune et ouvrière, aux horaires postés dans "
        "l'industrie navale et aéronautique ; des quartiers prioritaires à l'ouest de la ville-centre.",
        "Nolwenn Guérin",
        "nolwenn.guerin@agglo-carene.example",
        org.CARENE.ref,
        (
            _steering("Président de la CARENE, direction de la Caf de Loire-Atlantique", "Une fois par an"),
            _technical("Conseillère territoriale de la Caf, coordinatrice CTG, responsables jeunesse des communes"),
        ),
        replaces=schemes.CEJ_CARENE,
    ),
    Ctg(
        _epci_ctg(
            NOZAY,
            org.NOZAY,
            "Convention territoriale globale de la communauté de communes de Nozay 2024-2028",
            "convention entre la Caf de Loire-Atlantique, la communauté de communes de Nozay, le Conseil "
            "départemental et la MSA, pour un territoire rural du nord du département.",
            (date(2024, 1, 1), date(2028, 12, 31)),
            SchemeStatus.ACTIVE,
            (
                "Adapter l'accueil du jeune enfant aux horaires des familles rurales",
                "Proposer aux jeunes des activités et des lieux à eux",
                "Rapprocher les services des familles éloignées des bourgs",
            ),
            (
                Signatory(org.CAF_44, CAF, date(2024, 3, 19)),
                Signatory(org.NOZAY.ref, EPCI, date(2024, 3, 19)),
                Signatory(org.DEPARTMENT_44, PARTNER, date(2024, 4, 2)),
                Signatory(org.MSA_44, PARTNER, date(2024, 4, 2)),
            ),
        ),
        (T.EARLY_CHILDHOOD, T.YOUTH, T.PARENTING, T.ACCESS_TO_RIGHTS),
        date(2023, 9, 29),
        "Sept communes rurales ; de nombreux parents qui travaillent à Nantes ou à Châteaubriant, loin de chez "
        "eux ; une mobilité difficile pour les jeunes sans permis.",
        "Élodie Rivière",
        "elodie.riviere@cc-nozay.example",
        org.NOZAY.ref,
        (
            _steering(
                "Président de la communauté de communes, Caf, Conseil départemental, MSA Loire-Atlantique-Vendée"
            ),
            _technical("Conseillère territoriale de la Caf, coordinatrice CTG, secrétaires de mairie"),
        ),
    ),
    Ctg(
        _epci_ctg(
            PAYS_DE_BLAIN,
            org.PAYS_DE_BLAIN,
            "Convention territoriale globale du Pays de Blain 2027-2028",
            "convention signée à l'automne 2026, qui entrera en vigueur le 1er janvier 2027 ; sa durée de deux "
            "ans l'aligne sur l'échéance de la convention voisine de Nozay, en vue d'une démarche commune.",
            (date(2027, 1, 1), date(2028, 12, 31)),
            SchemeStatus.SIGNED,
            (
                "Ouvrir un espace de vie sociale intercommunal",
                "Accompagner les parents de jeunes enfants",
                "Aller vers les jeunes des communes rurales",
            ),
            (
                Signatory(org.CAF_44, CAF, date(2026, 10, 14)),
                Signatory(org.PAYS_DE_BLAIN.ref, EPCI, date(2026, 10, 14)),
                Signatory(org.MSA_44, PARTNER, date(2026, 10, 21)),
            ),
        ),
        (T.EARLY_CHILDHOOD, T.YOUTH, T.PARENTING, T.SOCIAL_LIFE),
        date(2026, 2, 27),
        "Quatre communes autour de Blain ; aucun équipement de vie sociale agréé ; une demande croissante "
        "d'accueil du jeune enfant avec l'arrivée de jeunes ménages.",
        "Yann Bernard",
        "yann.bernard@cc-paysdeblain.example",
        org.PAYS_DE_BLAIN.ref,
        (
            _steering("Président de la communauté de communes, Caf de Loire-Atlantique, MSA Loire-Atlantique-Vendée"),
            _technical("Conseiller territorial de la Caf, coordinateur CTG, maires adjoints à l'enfance"),
        ),
    ),
)

CTGS: tuple[Ctg, ...] = HAUTE_GARONNE + LOIRE_ATLANTIQUE
