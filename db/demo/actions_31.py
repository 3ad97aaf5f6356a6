"""The action plans of the Haute-Garonne demo CTGs.

Illustrative: every action, its budget, partners, indicators and reported values are invented, and
each description starts with "Exemple illustratif — ". Stakes of the real SDAVS 31 are referred to
where an action serves them.
"""

from __future__ import annotations

from datetime import date

from db.demo import ctgs
from db.demo import organisations as org
from db.demo.records import ILLUSTRATIVE, Action, Indicator, ObjectiveRef, Partner, Reading
from db.demo.schemes import SDAVS_31
from db.models.enums import ActionStatus as S
from db.models.enums import Theme as T

BASELINE = "Situation de départ relevée par le diagnostic"

TOULOUSE_METROPOLE: tuple[Action, ...] = (
    Action(
        ctgs.TOULOUSE_METROPOLE,
        1,
        "Ouvrir une crèche de 24 places à Blagnac",
        ILLUSTRATIVE + "construction d'une crèche municipale dans un quartier neuf où les demandes de places "
        "excèdent l'offre de moitié ; une première section a ouvert en septembre 2025.",
        T.EARLY_CHILDHOOD,
        org.BLAGNAC.ref,
        date(2023, 1, 1),
        date(2026, 8, 31),
        S.IN_PROGRESS,
        objectives="Créer 24 places d'accueil collectif",
        target_public="Familles avec des enfants de moins de trois ans",
        progress=70,
        budget=1_450_000,
        caf_funding=520_000,
        serves=(ObjectiveRef(ctgs.TOULOUSE_METROPOLE, 1),),
        partners=(Partner(org.TOULOUSE_METROPOLE.ref, "Appui à la programmation des équipements"),),
        indicators=(
            Indicator("Places d'accueil ouvertes", "places", 24, (Reading(2025, 12, "Première section ouverte"),)),
            Indicator("Taux d'occupation", "%", 80, (Reading(2025, 74),)),
        ),
    ),
    Action(
        ctgs.TOULOUSE_METROPOLE,
        2,
        "Points d'accueil numérique dans les centres sociaux",
        ILLUSTRATIVE + "permanences hebdomadaires où des médiateurs accompagnent les familles dans leurs "
        "démarches en ligne (Caf, impôts, école).",
        T.ACCESS_TO_RIGHTS,
        org.CLIC_ET_DROITS,
        date(2022, 9, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        objectives="Réduire le non-recours aux prestations lié à la dématérialisation",
        target_public="Familles peu à l'aise avec le numérique",
        progress=55,
        budget=96_000,
        caf_funding=38_000,
        serves=(ObjectiveRef(ctgs.TOULOUSE_METROPOLE, 3),),
        partners=(
            Partner(org.PASSERELLES, "Accueil des permanences"),
            Partner(org.TOULOUSE_METROPOLE.ref, "Cofinancement"),
        ),
        indicators=(
            Indicator(
                "Personnes accompagnées",
                "personnes",
                1500,
                (Reading(2023, 380), Reading(2024, 455), Reading(2025, 512)),
            ),
            Indicator("Démarches en ligne abouties", "démarches", 2000, (Reading(2024, 610), Reading(2025, 720))),
        ),
    ),
    Action(
        ctgs.TOULOUSE_METROPOLE,
        3,
        "Cafés des parents dans les quartiers prioritaires",
        ILLUSTRATIVE + "rencontres conviviales entre parents, animées par une professionnelle, sur les questions "
        "d'éducation du quotidien.",
        T.PARENTING,
        org.PARENTS_ENSEMBLE,
        date(2022, 9, 1),
        date(2024, 6, 30),
        S.DONE,
        target_public="Parents d'enfants de 0 à 11 ans",
        progress=100,
        budget=27_000,
        caf_funding=13_500,
        serves=(ObjectiveRef(ctgs.TOULOUSE_METROPOLE, 2),),
        partners=(Partner(org.PASSERELLES, "Mise à disposition de salles et relais auprès des familles"),),
        indicators=(
            Indicator("Séances organisées", "séances", 60, (Reading(2022, 14), Reading(2023, 32), Reading(2024, 17))),
            Indicator("Parents participants", "parents", 300, (Reading(2023, 185), Reading(2024, 121))),
        ),
    ),
    Action(
        ctgs.TOULOUSE_METROPOLE,
        4,
        "Projet social du centre social Les Passerelles",
        ILLUSTRATIVE + "mise en œuvre du projet social agréé par la Caf : accueil des habitants, ateliers, "
        "accueil jeunes et actions collectives familles.",
        T.SOCIAL_LIFE,
        org.PASSERELLES,
        date(2023, 1, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        progress=80,
        budget=410_000,
        caf_funding=180_000,
        serves=(ObjectiveRef(ctgs.TOULOUSE_METROPOLE, 2), ObjectiveRef(SDAVS_31, 5)),
        partners=(Partner(org.JEUNESSE_EN_MOUVEMENT, "Animation de l'accueil jeunes du centre"),),
        indicators=(
            Indicator(
                "Habitants adhérents", "adhérents", 600, (Reading(2023, 480), Reading(2024, 530), Reading(2025, 575))
            ),
        ),
    ),
    Action(
        ctgs.TOULOUSE_METROPOLE,
        5,
        "Ludothèque itinérante dans les communes de la métropole",
        ILLUSTRATIVE + "tournée d'une ludothèque dans les communes sans équipement ; abandonnée fin 2023 faute "
        "de local de stockage.",
        T.CHILDHOOD,
        org.TOULOUSE_METROPOLE.ref,
        date(2022, 6, 1),
        date(2023, 12, 31),
        S.ABANDONED,
        progress=20,
        budget=60_000,
        caf_funding=20_000,
        serves=(ObjectiveRef(ctgs.TOULOUSE_METROPOLE, 2),),
        indicators=(
            Indicator(
                "Communes desservies",
                "communes",
                12,
                (Reading(2022, 3), Reading(2023, 3, "Tournée suspendue en mars")),
            ),
        ),
    ),
)

SICOVAL: tuple[Action, ...] = (
    Action(
        ctgs.SICOVAL,
        1,
        "Micro-crèche associative dans le sud du territoire",
        ILLUSTRATIVE + "ouverture d'une micro-crèche de dix places dans un bâtiment communal rénové.",
        T.EARLY_CHILDHOOD,
        org.PETITS_PAS,
        date(2020, 9, 1),
        date(2022, 8, 31),
        S.DONE,
        progress=100,
        budget=320_000,
        caf_funding=145_000,
        serves=(ObjectiveRef(ctgs.SICOVAL, 1),),
        partners=(Partner(org.SICOVAL.ref, "Mise à disposition du bâtiment"),),
        indicators=(
            Indicator("Places créées", "places", 10, (Reading(2021, 10),)),
            Indicator("Enfants accueillis", "enfants", 18, (Reading(2021, 16), Reading(2022, 19))),
        ),
    ),
    Action(
        ctgs.SICOVAL,
        2,
        "Accueil ados intercommunal pendant les vacances",
        ILLUSTRATIVE + "accueil des 11-17 ans pendant les vacances scolaires, avec un ramassage dans les communes.",
        T.YOUTH,
        org.JEUNESSE_EN_MOUVEMENT,
        date(2021, 1, 1),
        date(2024, 12, 31),
        S.DONE,
        target_public="Jeunes de 11 à 17 ans",
        progress=100,
        budget=180_000,
        caf_funding=62_000,
        serves=(ObjectiveRef(ctgs.SICOVAL, 2),),
        partners=(Partner(org.SICOVAL.ref, "Transport des jeunes entre les communes"),),
        indicators=(
            Indicator("Jeunes inscrits", "jeunes", 150, (Reading(2022, 96), Reading(2023, 131), Reading(2024, 148))),
        ),
    ),
    Action(
        ctgs.SICOVAL,
        3,
        "Groupes de parole de parents d'adolescents",
        ILLUSTRATIVE + "rencontres mensuelles de parents d'adolescents, animées par une psychologue.",
        T.PARENTING,
        org.PARENTS_ENSEMBLE,
        date(2021, 9, 1),
        date(2024, 6, 30),
        S.DONE,
        progress=100,
        budget=21_000,
        caf_funding=12_000,
        serves=(ObjectiveRef(ctgs.SICOVAL, 3),),
        partners=(
            Partner(org.JEUNESSE_EN_MOUVEMENT, "Orientation des familles des jeunes accueillis"),
            Partner(org.PARENTING_NETWORK_31, "Mise en réseau avec les actions de soutien à la parentalité"),
        ),
        indicators=(
            Indicator(
                "Rencontres organisées", "rencontres", 30, (Reading(2022, 9), Reading(2023, 11), Reading(2024, 6))
            ),
        ),
    ),
    Action(
        ctgs.SICOVAL,
        4,
        "Relais petite enfance itinérant",
        ILLUSTRATIVE + "un relais petite enfance qui tient ses matinées d'éveil dans six communes à tour de rôle.",
        T.EARLY_CHILDHOOD,
        org.SICOVAL.ref,
        date(2020, 1, 1),
        date(2024, 12, 31),
        S.DONE,
        progress=100,
        budget=240_000,
        caf_funding=150_000,
        serves=(ObjectiveRef(ctgs.SICOVAL, 1),),
        partners=(Partner(org.MSA_31, "Information des familles agricoles"),),
        indicators=(
            Indicator(
                "Assistantes maternelles accompagnées",
                "assistantes maternelles",
                200,
                (Reading(2022, 164), Reading(2023, 171), Reading(2024, 178)),
            ),
        ),
    ),
    Action(
        ctgs.SICOVAL,
        5,
        "Accueil de loisirs du mercredi en milieu rural",
        ILLUSTRATIVE + "accueil intercommunal du mercredi, abandonné en 2023 : les communes ont préféré ouvrir "
        "chacune leur propre accueil.",
        T.CHILDHOOD,
        org.SICOVAL.ref,
        date(2022, 9, 1),
        date(2024, 6, 30),
        S.ABANDONED,
        progress=35,
        budget=75_000,
        caf_funding=25_000,
        serves=(ObjectiveRef(ctgs.SICOVAL, 2),),
        indicators=(Indicator("Enfants inscrits le mercredi", "enfants", 60, (Reading(2022, 14), Reading(2023, 9))),),
    ),
)

MURETAIN: tuple[Action, ...] = (
    Action(
        ctgs.MURETAIN,
        1,
        "Préfiguration d'un espace de vie sociale dans les communes périurbaines",
        ILLUSTRATIVE + "diagnostic avec les habitants et préfiguration d'un espace de vie sociale partagé par "
        "trois communes sans équipement.",
        T.SOCIAL_LIFE,
        org.MURETAIN.ref,
        date(2024, 1, 1),
        date(2026, 12, 31),
        S.IN_PROGRESS,
        progress=40,
        budget=140_000,
        caf_funding=56_000,
        serves=(ObjectiveRef(ctgs.MURETAIN, 1), ObjectiveRef(SDAVS_31, 1)),
        partners=(Partner(org.PASSERELLES, "Accompagnement méthodologique de pair à pair"),),
        indicators=(Indicator("Habitants mobilisés", "habitants", 150, (Reading(2024, 42), Reading(2025, 97))),),
    ),
    Action(
        ctgs.MURETAIN,
        2,
        "Permanences numériques itinérantes",
        ILLUSTRATIVE + "un médiateur numérique tient des permanences dans les mairies, à tour de rôle.",
        T.ACCESS_TO_RIGHTS,
        org.CLIC_ET_DROITS,
        date(2023, 9, 1),
        date(2027, 6, 30),
        S.IN_PROGRESS,
        progress=60,
        budget=84_000,
        caf_funding=30_000,
        serves=(ObjectiveRef(ctgs.MURETAIN, 2),),
        partners=(
            Partner(org.MURET.ref, "Accueil des permanences en mairie"),
            Partner(org.MSA_31, "Orientation des assurés agricoles"),
        ),
        indicators=(
            Indicator("Permanences tenues", "permanences", 300, (Reading(2024, 88), Reading(2025, 94))),
            # Its 2025 value is still owed to the Caf's campaign (db/demo/steering.py).
            Indicator("Personnes accompagnées", "personnes", 900, (Reading(2024, 231),)),
        ),
    ),
    Action(
        ctgs.MURETAIN,
        3,
        "Junior associations et projets de jeunes",
        ILLUSTRATIVE + "accompagnement de groupes de jeunes qui montent leur propre projet, du budget à la "
        "réalisation.",
        T.YOUTH,
        org.JEUNESSE_EN_MOUVEMENT,
        date(2025, 1, 1),
        date(2027, 12, 31),
        S.IN_PROGRESS,
        target_public="Jeunes de 14 à 20 ans",
        progress=30,
        budget=36_000,
        caf_funding=18_000,
        serves=(ObjectiveRef(ctgs.MURETAIN, 3),),
        indicators=(Indicator("Projets de jeunes accompagnés", "projets", 15, (Reading(2025, 4),)),),
    ),
    Action(
        ctgs.MURETAIN,
        4,
        "Ateliers parents-enfants pour les familles monoparentales",
        ILLUSTRATIVE + "ateliers du samedi matin pour des parents seuls et leurs enfants, avec une garde "
        "des plus petits sur place ; reconduits jusqu'à la fin de la convention.",
        T.PARENTING,
        org.PARENTS_ENSEMBLE,
        date(2023, 9, 1),
        date(2027, 6, 30),
        S.IN_PROGRESS,
        target_public="Familles monoparentales",
        progress=60,
        budget=24_000,
        caf_funding=14_000,
        serves=(ObjectiveRef(ctgs.MURETAIN, 4),),
        partners=(Partner(org.MURET.ref, "Prêt de salles"),),
        indicators=(
            Indicator(
                "Familles participantes", "familles", 60, (Reading(2023, 18), Reading(2024, 41), Reading(2025, 23))
            ),
        ),
    ),
    Action(
        ctgs.MURETAIN,
        5,
        "Résidence pour jeunes en alternance",
        ILLUSTRATIVE + "projet de résidence non retenu par le comité de pilotage : l'investissement relève du "
        "programme local de l'habitat.",
        T.HOUSING,
        org.MURET.ref,
        date(2026, 1, 1),
        date(2027, 12, 31),
        S.REJECTED,
        budget=2_400_000,
        caf_funding=0,
        serves=(ObjectiveRef(ctgs.MURETAIN, 3),),
        indicators=(Indicator("Logements prévus", "logements", 30, (Reading(2025, 0, BASELINE),)),),
    ),
    Action(
        ctgs.MURETAIN,
        6,
        "Sorties familiales d'été",
        ILLUSTRATIVE + "sorties à la journée pour les familles qui ne partent pas en vacances, préparées avec elles.",
        T.PARENTING,
        org.MURET.ref,
        date(2027, 6, 1),
        date(2027, 8, 31),
        S.VALIDATED,
        budget=18_000,
        caf_funding=7_000,
        serves=(ObjectiveRef(ctgs.MURETAIN, 4),),
        indicators=(
            Indicator(
                "Familles participantes",
                "familles",
                120,
                (Reading(2026, 64, "Sorties organisées en 2026 par la commune, hors convention"),),
            ),
        ),
    ),
)

PAYS_DE_LUCHON: tuple[Action, ...] = (
    Action(
        ctgs.PAYS_DE_LUCHON,
        1,
        "Accueil de loisirs intercommunal ouvert les mercredis",
        ILLUSTRATIVE + "ouverture le mercredi, toute l'année, de l'accueil de loisirs aujourd'hui limité aux "
        "vacances scolaires.",
        T.CHILDHOOD,
        org.BAGNERES_DE_LUCHON.ref,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.SUBMITTED,
        target_public="Enfants de 3 à 11 ans des quatre communes",
        budget=210_000,
        caf_funding=84_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_LUCHON, 1),),
        partners=(
            Partner(org.SAINT_MAMET.ref, "Mise à disposition de l'école"),
            Partner(org.PYRENEES_HAUT_GARONNAISES.ref, "Transport des enfants"),
        ),
        indicators=(Indicator("Enfants inscrits", "enfants", 45, (Reading(2026, 0, BASELINE),)),),
    ),
    Action(
        ctgs.PAYS_DE_LUCHON,
        2,
        "Ateliers parents en horaires décalés",
        ILLUSTRATIVE + "ateliers en soirée pour les parents qui travaillent dans le tourisme et le thermalisme.",
        T.PARENTING,
        org.RELAIS_COMMINGES,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.SUBMITTED,
        budget=16_000,
        caf_funding=9_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_LUCHON, 2),),
        partners=(Partner(org.PARENTS_ENSEMBLE, "Formation des animateurs"),),
        indicators=(Indicator("Parents participants", "parents", 60, (Reading(2026, 12, BASELINE),)),),
    ),
    Action(
        ctgs.PAYS_DE_LUCHON,
        3,
        "Visites de convivialité auprès des aînés isolés",
        ILLUSTRATIVE + "bénévoles formés qui rendent visite aux aînés isolés des villages, l'hiver surtout.",
        T.SENIORS,
        org.RELAIS_COMMINGES,
        date(2027, 4, 1),
        date(2028, 12, 31),
        S.DRAFT,
        budget=12_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_LUCHON, 2),),
        partners=(Partner(org.MSA_31, "Repérage des personnes isolées"),),
        indicators=(Indicator("Personnes âgées visitées", "personnes", 40, (Reading(2026, 0, BASELINE),)),),
    ),
    Action(
        ctgs.PAYS_DE_LUCHON,
        4,
        "Permanence d'accès aux droits en mairie",
        ILLUSTRATIVE + "permanence mensuelle d'accès aux droits et d'aide aux démarches en ligne à la mairie de "
        "Bagnères-de-Luchon.",
        T.ACCESS_TO_RIGHTS,
        org.BAGNERES_DE_LUCHON.ref,
        date(2027, 1, 1),
        date(2028, 12, 31),
        S.DRAFT,
        budget=9_000,
        caf_funding=3_000,
        serves=(ObjectiveRef(ctgs.PAYS_DE_LUCHON, 3),),
        partners=(Partner(org.CLIC_ET_DROITS, "Animation de la permanence"),),
        indicators=(Indicator("Permanences tenues", "permanences", 24, (Reading(2026, 0, BASELINE),)),),
    ),
)

ACTIONS: tuple[Action, ...] = TOULOUSE_METROPOLE + SICOVAL + MURETAIN + PAYS_DE_LUCHON
