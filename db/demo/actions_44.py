"""The action plans of the Loire-Atlantique demo CTGs.

Illustrative: every action, its budget, partners, indicators and reported values are invented, and
each description starts with "Exemple illustratif — ". Orientations of the real SDSF 44 2018-2022
are referred to where an action of that period serves them.
"""

from __future__ import annotations

from datetime import date

from db.demo import ctgs
from db.demo import organisations as org
from db.demo.records import ILLUSTRATIVE, Action, Indicator, ObjectiveRef, Partner, Reading
from db.demo.schemes import SDSF_44
from db.models.enums import ActionStatus as S
from db.models.enums import Theme as T

BASELINE = "Situation de départ relevée par le diagnostic"

NANTES_METROPOLE: tuple[Action, ...] = (
    Action(
        ctgs.NANTES_METROPOLE,
        1,
        "Lieux d'accueil enfants-parents dans les quartiers prioritaires",
        ILLUSTRATIVE + "deux lieux d'accueil enfants-parents, anonymes et gratuits, ouverts dans des locaux "
        "municipaux.",
        T.PARENTING,
        org.MAISON_DES_PARENTS,
        date(2022, 9, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        target_public="Enfants de moins de six ans et leurs parents",
        progress=65,
        budget=132_000,
        caf_funding=79_000,
        serves=(ObjectiveRef(ctgs.NANTES_METROPOLE, 1), ObjectiveRef(SDSF_44, 1)),
        partners=(Partner(org.NANTES.ref, "Mise à disposition de locaux"),),
        indicators=(
            Indicator(
                "Familles accueillies", "familles", 400, (Reading(2023, 212), Reading(2024, 287), Reading(2025, 331))
            ),
            Indicator("Ouvertures hebdomadaires", "demi-journées", 6, (Reading(2024, 4), Reading(2025, 5))),
        ),
    ),
    Action(
        ctgs.NANTES_METROPOLE,
        2,
        "Médiation numérique dans les mairies annexes",
        ILLUSTRATIVE + "des médiateurs numériques accueillent sans rendez-vous les familles qui ont besoin d'aide "
        "pour leurs démarches en ligne.",
        T.ACCESS_TO_RIGHTS,
        org.NUMERIQUE_SOLIDAIRE,
        date(2023, 1, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        progress=50,
        budget=118_000,
        caf_funding=42_000,
        serves=(ObjectiveRef(ctgs.NANTES_METROPOLE, 2),),
        partners=(
            Partner(org.NANTES.ref, "Accueil des permanences dans les mairies annexes"),
            Partner(org.ESTUAIRE, "Échange de pratiques entre médiateurs"),
        ),
        indicators=(
            Indicator(
                "Personnes accompagnées",
                "personnes",
                2000,
                (Reading(2023, 402), Reading(2024, 566), Reading(2025, 618)),
            ),
        ),
    ),
    Action(
        ctgs.NANTES_METROPOLE,
        3,
        "Crèche à vocation d'insertion professionnelle",
        ILLUSTRATIVE + "places réservées aux enfants de parents en recherche d'emploi ou en formation, avec un "
        "accompagnement vers l'emploi.",
        T.EARLY_CHILDHOOD,
        org.NANTES.ref,
        date(2022, 1, 1),
        date(2024, 12, 31),
        S.DONE,
        progress=100,
        budget=980_000,
        caf_funding=410_000,
        serves=(ObjectiveRef(ctgs.NANTES_METROPOLE, 3), ObjectiveRef(SDSF_44, 2)),
        partners=(Partner(org.DEPARTMENT_44, "Orientation des allocataires du RSA"),),
        indicators=(
            Indicator(
                "Places à vocation d'insertion professionnelle", "places", 20, (Reading(2023, 12), Reading(2024, 20))
            ),
            Indicator("Parents en emploi ou en formation à la sortie", "parents", 30, (Reading(2024, 17),)),
        ),
    ),
    Action(
        ctgs.NANTES_METROPOLE,
        4,
        "Accompagnement des familles menacées d'expulsion",
        ILLUSTRATIVE + "accompagnement social et budgétaire précoce des familles en impayé de loyer.",
        T.HOUSING,
        org.NANTES_METROPOLE.ref,
        date(2025, 1, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        progress=25,
        budget=75_000,
        caf_funding=20_000,
        serves=(ObjectiveRef(ctgs.NANTES_METROPOLE, 2),),
        partners=(Partner(org.DEPARTMENT_44, "Fonds de solidarité pour le logement"),),
        indicators=(Indicator("Familles accompagnées", "familles", 120, (Reading(2025, 38),)),),
    ),
    Action(
        ctgs.NANTES_METROPOLE,
        5,
        "Fête des familles intercommunale",
        ILLUSTRATIVE + "grande fête annuelle des familles, abandonnée en 2022 faute de prestataire ; les centres "
        "sociaux l'ont reprise dans leurs projets.",
        T.SOCIAL_LIFE,
        org.NANTES_METROPOLE.ref,
        date(2022, 4, 1),
        date(2022, 10, 31),
        S.ABANDONED,
        progress=10,
        budget=40_000,
        caf_funding=10_000,
        serves=(ObjectiveRef(ctgs.NANTES_METROPOLE, 1),),
        indicators=(Indicator("Familles participantes", "familles", 1000, (Reading(2022, 0, "Édition annulée"),)),),
    ),
)

CARENE: tuple[Action, ...] = (
    Action(
        ctgs.CARENE,
        1,
        "Accueil jeunes dans les quartiers ouest de Saint-Nazaire",
        ILLUSTRATIVE + "accueil des 11-17 ans en soirée et le samedi, avec des projets portés par les jeunes.",
        T.YOUTH,
        org.ESTUAIRE,
        date(2020, 9, 1),
        date(2024, 8, 31),
        S.DONE,
        target_public="Jeunes de 11 à 17 ans",
        progress=100,
        budget=260_000,
        caf_funding=104_000,
        serves=(ObjectiveRef(ctgs.CARENE, 1), ObjectiveRef(SDSF_44, 2)),
        partners=(Partner(org.SAINT_NAZAIRE.ref, "Mise à disposition de l'équipement"),),
        indicators=(
            Indicator("Jeunes inscrits", "jeunes", 180, (Reading(2022, 141), Reading(2023, 166), Reading(2024, 172))),
        ),
    ),
    Action(
        ctgs.CARENE,
        2,
        "Ateliers numériques pour les parents",
        ILLUSTRATIVE + "cycles d'ateliers pour apprendre à utiliser les espaces en ligne de la Caf, de l'école "
        "et de la cantine.",
        T.ACCESS_TO_RIGHTS,
        org.NUMERIQUE_SOLIDAIRE,
        date(2021, 1, 1),
        date(2023, 12, 31),
        S.DONE,
        progress=100,
        budget=45_000,
        caf_funding=18_000,
        serves=(ObjectiveRef(ctgs.CARENE, 2),),
        partners=(Partner(org.ESTUAIRE, "Accueil des ateliers"),),
        indicators=(
            Indicator("Parents formés", "parents", 250, (Reading(2021, 64), Reading(2022, 97), Reading(2023, 103))),
        ),
    ),
    Action(
        ctgs.CARENE,
        3,
        "Point info parents de l'agglomération",
        ILLUSTRATIVE + "un lieu et une ligne téléphonique pour orienter les parents vers l'offre de soutien à "
        "la parentalité.",
        T.PARENTING,
        org.MAISON_DES_PARENTS,
        date(2021, 9, 1),
        date(2024, 6, 30),
        S.DONE,
        progress=100,
        budget=38_000,
        caf_funding=22_000,
        serves=(ObjectiveRef(ctgs.CARENE, 2), ObjectiveRef(SDSF_44, 1)),
        partners=(Partner(org.CARENE.ref, "Communication auprès des communes"),),
        indicators=(
            Indicator(
                "Contacts de parents", "contacts", 900, (Reading(2022, 310), Reading(2023, 344), Reading(2024, 198))
            ),
        ),
    ),
    Action(
        ctgs.CARENE,
        4,
        "Accueil périscolaire adapté aux horaires postés",
        ILLUSTRATIVE + "accueil périscolaire dès 5 h 30 pour les parents en horaires postés ; abandonné en 2022, "
        "trop peu de familles inscrites.",
        T.CHILDHOOD,
        org.SAINT_NAZAIRE.ref,
        date(2021, 9, 1),
        date(2022, 6, 30),
        S.ABANDONED,
        progress=15,
        budget=90_000,
        caf_funding=30_000,
        serves=(ObjectiveRef(ctgs.CARENE, 3),),
        indicators=(Indicator("Enfants inscrits avant 7 h", "enfants", 40, (Reading(2021, 6), Reading(2022, 4))),),
    ),
    Action(
        ctgs.CARENE,
        5,
        "Premiers départs en vacances des familles",
        ILLUSTRATIVE + "accompagnement de familles qui partent en vacances pour la première fois, de la "
        "préparation du budget au séjour.",
        T.SOCIAL_LIFE,
        org.ESTUAIRE,
        date(2022, 1, 1),
        date(2024, 12, 31),
        S.DONE,
        progress=100,
        budget=54_000,
        caf_funding=31_000,
        serves=(ObjectiveRef(ctgs.CARENE, 2),),
        indicators=(
            Indicator(
                "Familles parties en vacances",
                "familles",
                90,
                (Reading(2022, 24), Reading(2023, 31), Reading(2024, 33)),
            ),
        ),
    ),
)

NOZAY: tuple[Action, ...] = (
    Action(
        ctgs.NOZAY,
        1,
        "Horaires élargis à la crèche parentale",
        ILLUSTRATIVE + "ouverture dès 6 h 45 et jusqu'à 19 h 30 pour les parents qui travaillent loin.",
        T.EARLY_CHILDHOOD,
        org.PTITS_MOUSSES,
        date(2024, 9, 1),
        date(2027, 8, 31),
        S.IN_PROGRESS,
        progress=50,
        budget=68_000,
        caf_funding=34_000,
        serves=(ObjectiveRef(ctgs.NOZAY, 1),),
        partners=(Partner(org.NOZAY_TOWN.ref, "Locaux municipaux"),),
        indicators=(
            Indicator("Places ouvertes avant 7 h 30", "places", 6, (Reading(2025, 4),)),
            Indicator("Familles bénéficiaires", "familles", 20, (Reading(2024, 5), Reading(2025, 11))),
        ),
    ),
    Action(
        ctgs.NOZAY,
        2,
        "Foyer des jeunes itinérant",
        ILLUSTRATIVE + "un animateur et un minibus qui ouvrent un foyer des jeunes dans chaque commune, une "
        "soirée par semaine.",
        T.YOUTH,
        org.JEUNES_EN_CAMPAGNE,
        date(2024, 3, 1),
        date(2028, 12, 31),
        S.IN_PROGRESS,
        target_public="Jeunes de 12 à 17 ans",
        progress=35,
        budget=150_000,
        caf_funding=60_000,
        serves=(ObjectiveRef(ctgs.NOZAY, 2),),
        partners=(
            Partner(org.NOZAY.ref, "Minibus intercommunal"),
            Partner(org.MSA_44, "Appel à projets jeunes"),
        ),
        indicators=(Indicator("Jeunes fréquentant le foyer", "jeunes", 80, (Reading(2024, 27), Reading(2025, 46))),),
    ),
    Action(
        ctgs.NOZAY,
        3,
        "Permanences d'accès aux droits itinérantes",
        ILLUSTRATIVE + "permanences dans les sept mairies, avec des rendez-vous de la Caf et de la MSA.",
        T.ACCESS_TO_RIGHTS,
        org.NOZAY.ref,
        date(2024, 1, 1),
        date(2028, 12, 31),
        S.IN_PROGRESS,
        progress=70,
        budget=210_000,
        caf_funding=25_000,
        serves=(ObjectiveRef(ctgs.NOZAY, 3),),
        partners=(
            Partner(org.NUMERIQUE_SOLIDAIRE, "Ateliers numériques pendant les permanences"),
            Partner(org.MSA_44, "Rendez-vous de conseillers"),
        ),
        indicators=(Indicator("Démarches accompagnées", "démarches", 1500, (Reading(2024, 402), Reading(2025, 455))),),
    ),
    Action(
        ctgs.NOZAY,
        4,
        "Soirées d'échange entre parents",
        ILLUSTRATIVE + "soirées à thème (sommeil, écrans, séparation) ouvertes à tous les parents du territoire.",
        T.PARENTING,
        org.PTITS_MOUSSES,
        date(2024, 1, 1),
        date(2025, 6, 30),
        S.DONE,
        progress=100,
        budget=6_000,
        caf_funding=4_000,
        serves=(ObjectiveRef(ctgs.NOZAY, 1),),
        indicators=(Indicator("Soirées organisées", "soirées", 10, (Reading(2024, 6), Reading(2025, 4))),),
    ),
    Action(
        ctgs.NOZAY,
        5,
        "Chantiers de jeunes l'été",
        ILLUSTRATIVE + "chantiers rémunérés d'une semaine pour les 16-17 ans, au service des communes.",
        T.YOUTH,
        org.NOZAY.ref,
        date(2027, 7, 1),
        date(2027, 8, 31),
        S.VALIDATED,
        budget=22_000,
        caf_funding=8_000,
        serves=(ObjectiveRef(ctgs.NOZAY, 2),),
        partners=(Partner(org.JEUNES_EN_CAMPAGNE, "Encadrement des chantiers"),),
        indicators=(Indicator("Jeunes engagés", "jeunes", 24, (Reading(2026, 10, "Chantier d'essai de l'été 2026"),)),),
    ),
)

PAYS_DE_BLAIN: tuple[Action, ...] = (
    Action(
        ctgs.PAYS_DE_BLAIN,
        1,
        "Préfiguration d'un espace de vie sociale intercommunal",
        ILLUSTRATIVE + "démarche avec les habitants pour préparer la demande d'agrément d'un espace de vie sociale.",
        T.SOCIAL_LIFE,
        org.PAYS_DE_BLAIN.ref,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.VALIDATED,
        budget=90_000,
        caf_funding=40_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_BLAIN, 1),),
        partners=(Partner(org.SOCIAL_CENTRES_44, "Accompagnement de la préfiguration"),),
        indicators=(
            Indicator(
                "Habitants associés à la préfiguration",
                "habitants",
                100,
                (Reading(2026, 18, "Habitants réunis pendant le diagnostic"),),
            ),
        ),
    ),
    Action(
        ctgs.PAYS_DE_BLAIN,
        2,
        "Matinées d'éveil du relais petite enfance",
        ILLUSTRATIVE + "matinées d'éveil pour les enfants accueillis par des assistantes maternelles, dans "
        "les quatre communes.",
        T.EARLY_CHILDHOOD,
        org.BLAIN.ref,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.SUBMITTED,
        budget=30_000,
        caf_funding=18_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_BLAIN, 2),),
        partners=(Partner(org.PTITS_MOUSSES, "Échange de pratiques"),),
        indicators=(
            Indicator(
                "Assistantes maternelles participantes", "assistantes maternelles", 40, (Reading(2026, 15, BASELINE),)
            ),
        ),
    ),
    Action(
        ctgs.PAYS_DE_BLAIN,
        3,
        "Ateliers pour les parents de jeunes enfants",
        ILLUSTRATIVE + "ateliers mensuels sur les premiers mois de l'enfant, animés avec une association de "
        "soutien à la parentalité.",
        T.PARENTING,
        org.PAYS_DE_BLAIN.ref,
        date(2027, 3, 1),
        date(2028, 12, 31),
        S.DRAFT,
        budget=14_000,
        caf_funding=8_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_BLAIN, 2),),
        partners=(Partner(org.MAISON_DES_PARENTS, "Animation des ateliers"),),
        indicators=(Indicator("Parents participants", "parents", 50, (Reading(2026, 0, BASELINE),)),),
    ),
    Action(
        ctgs.PAYS_DE_BLAIN,
        4,
        "Soirées jeunes dans les communes",
        ILLUSTRATIVE + "soirées mensuelles dans chaque commune, préparées avec les jeunes.",
        T.YOUTH,
        org.JEUNES_EN_CAMPAGNE,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.SUBMITTED,
        budget=28_000,
        caf_funding=11_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_BLAIN, 3),),
        indicators=(Indicator("Jeunes touchés", "jeunes", 60, (Reading(2026, 8, BASELINE),)),),
    ),
)

ACTIONS: tuple[Action, ...] = NANTES_METROPOLE + CARENE + NOZAY + PAYS_DE_BLAIN
