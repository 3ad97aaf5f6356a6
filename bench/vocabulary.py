"""The words generated names, titles and descriptions are built from.

Plausible rather than real: the actions, associations and people are invented, but read like those
of a Caf's partner extranet, so that full-text search meets the words it would meet in production.
"""

from __future__ import annotations

from bench.french import Adjective, Noun
from db.models.enums import Theme

THEME_LABELS: dict[Theme, str] = {
    Theme.EARLY_CHILDHOOD: "petite enfance",
    Theme.CHILDHOOD: "enfance",
    Theme.YOUTH: "jeunesse",
    Theme.PARENTING: "soutien à la parentalité",
    Theme.SOCIAL_LIFE: "animation de la vie sociale",
    Theme.ACCESS_TO_RIGHTS: "accès aux droits et inclusion numérique",
    Theme.HOUSING: "logement",
    Theme.DISABILITY: "handicap",
    Theme.SENIORS: "personnes âgées",
}

# How likely a CTG is to cover each theme: the Caf's historical fields first.
THEME_WEIGHTS: dict[Theme, float] = {
    Theme.EARLY_CHILDHOOD: 0.95,
    Theme.CHILDHOOD: 0.9,
    Theme.YOUTH: 0.85,
    Theme.PARENTING: 0.8,
    Theme.SOCIAL_LIFE: 0.6,
    Theme.ACCESS_TO_RIGHTS: 0.55,
    Theme.HOUSING: 0.3,
    Theme.DISABILITY: 0.25,
    Theme.SENIORS: 0.2,
}

FACILITIES: dict[Theme, tuple[Noun, ...]] = {
    Theme.EARLY_CHILDHOOD: (
        Noun("multi-accueil", "m"),
        Noun("micro-crèche", "f"),
        Noun("relais petite enfance", "m"),
        Noun("crèche familiale", "f"),
        Noun("maison d'assistants maternels", "f"),
        Noun("halte-garderie", "f"),
        Noun("accueil du jeune enfant en horaires atypiques", "m"),
        Noun("crèche à vocation d'insertion professionnelle", "f"),
        Noun("places d'accueil du jeune enfant", "p"),
        Noun("guichet unique de la petite enfance", "m"),
    ),
    Theme.CHILDHOOD: (
        Noun("accueil de loisirs sans hébergement", "m"),
        Noun("accueil périscolaire", "m"),
        Noun("accueil de loisirs du mercredi", "m"),
        Noun("séjours de vacances", "p"),
        Noun("ludothèque", "f"),
        Noun("plan mercredi", "m"),
        Noun("projet éducatif de territoire", "m"),
        Noun("conseil municipal des enfants", "m"),
        Noun("activités éducatives du temps périscolaire", "p"),
    ),
    Theme.YOUTH: (
        Noun("point information jeunesse", "m"),
        Noun("espace jeunes", "m"),
        Noun("accueil de jeunes", "m"),
        Noun("maison des jeunes et de la culture", "f"),
        Noun("chantiers loisirs jeunes", "p"),
        Noun("promeneurs du Net", "p"),
        Noun("conseil local de la jeunesse", "m"),
        Noun("bourse aux projets de jeunes", "f"),
        Noun("accompagnement des projets de jeunes", "m"),
    ),
    Theme.PARENTING: (
        Noun("lieu d'accueil enfants-parents", "m"),
        Noun("café des parents", "m"),
        Noun("ateliers parents-enfants", "p"),
        Noun("réseau d'écoute, d'appui et d'accompagnement des parents", "m"),
        Noun("médiation familiale", "f"),
        Noun("espace de rencontre parents-enfants", "m"),
        Noun("contrat local d'accompagnement à la scolarité", "m"),
        Noun("groupe de parole de parents", "m"),
        Noun("semaine de la parentalité", "f"),
    ),
    Theme.SOCIAL_LIFE: (
        Noun("centre social", "m"),
        Noun("espace de vie sociale", "m"),
        Noun("jardin partagé", "m"),
        Noun("fête de quartier", "f"),
        Noun("repair café", "m"),
        Noun("tiers-lieu", "m"),
        Noun("épicerie solidaire", "f"),
        Noun("maison des habitants", "f"),
        Noun("projet social", "m"),
    ),
    Theme.ACCESS_TO_RIGHTS: (
        Noun("point numérique", "m"),
        Noun("maison France services", "f"),
        Noun("accompagnement aux démarches en ligne", "m"),
        Noun("permanence d'accès aux droits", "f"),
        Noun("ateliers d'inclusion numérique", "p"),
        Noun("rendez-vous des droits", "p"),
        Noun("bus France services", "m"),
        Noun("conseiller numérique", "m"),
    ),
    Theme.HOUSING: (
        Noun("point info logement", "m"),
        Noun("accompagnement des familles en impayé de loyer", "m"),
        Noun("permanence logement", "f"),
        Noun("foyer de jeunes travailleurs", "m"),
        Noun("résidence sociale", "f"),
        Noun("diagnostic de la non-décence des logements", "m"),
    ),
    Theme.DISABILITY: (
        Noun("pôle ressources handicap", "m"),
        Noun("accueil inclusif des enfants en situation de handicap", "m"),
        Noun("loisirs adaptés", "p"),
        Noun("halte-répit", "f"),
        Noun("sensibilisation des professionnels au handicap", "f"),
        Noun("soutien aux aidants familiaux", "m"),
    ),
    Theme.SENIORS: (
        Noun("ateliers intergénérationnels", "p"),
        Noun("visites de convivialité aux personnes âgées isolées", "p"),
        Noun("transport solidaire", "m"),
        Noun("habitat inclusif", "m"),
        Noun("portage de livres à domicile", "m"),
        Noun("semaine bleue", "f"),
    ),
}

# "Création d'un multi-accueil", "Ouverture d'une ludothèque": the facility is new.
STARTING = ("Création", "Ouverture", "Mise en place", "Préfiguration", "Étude de faisabilité")
# "Extension du multi-accueil", "Pérennisation des ateliers parents-enfants": it exists already.
ONGOING = (
    "Extension",
    "Pérennisation",
    "Développement",
    "Renforcement",
    "Réhabilitation",
    "Évaluation",
    "Coordination",
    "Animation",
    "Soutien au fonctionnement",
)

QUALIFIERS = (
    Adjective("intercommunal", "intercommunale", "intercommunaux"),
    Adjective("itinérant", "itinérante", "itinérants"),
    Adjective("municipal", "municipale", "municipaux"),
    Adjective("partagé", "partagée", "partagés"),
    Adjective("solidaire", "solidaire", "solidaires"),
    Adjective("rural", "rurale", "ruraux"),
    Adjective("de proximité", "de proximité", "de proximité"),
    Adjective("en milieu rural", "en milieu rural", "en milieu rural"),
    Adjective("hors les murs", "hors les murs", "hors les murs"),
)

GOALS: dict[Theme, tuple[str, ...]] = {
    Theme.EARLY_CHILDHOOD: (
        "développer une offre d'accueil du jeune enfant adaptée aux besoins des familles",
        "faciliter la conciliation entre vie familiale et vie professionnelle",
        "accompagner les assistants maternels dans leur pratique professionnelle",
        "réduire les inégalités territoriales d'accès aux modes d'accueil",
    ),
    Theme.CHILDHOOD: (
        "favoriser l'accès des enfants à des loisirs éducatifs de qualité",
        "structurer l'offre d'accueil du mercredi et des vacances scolaires",
        "garantir la continuité éducative entre l'école et les temps de loisirs",
    ),
    Theme.YOUTH: (
        "accompagner les jeunes vers l'autonomie et l'engagement citoyen",
        "soutenir les initiatives portées par les jeunes du territoire",
        "prévenir les ruptures et le décrochage des adolescents",
    ),
    Theme.PARENTING: (
        "soutenir les parents dans leur rôle éducatif",
        "prévenir les ruptures familiales et apaiser les conflits",
        "renforcer les liens entre les familles et l'école",
        "rendre lisible l'offre de soutien à la parentalité",
    ),
    Theme.SOCIAL_LIFE: (
        "renforcer le lien social et la participation des habitants",
        "soutenir les initiatives des habitants et la vie associative locale",
        "lutter contre l'isolement des familles",
    ),
    Theme.ACCESS_TO_RIGHTS: (
        "faciliter l'accès aux droits et lutter contre le non-recours",
        "accompagner les habitants éloignés du numérique",
        "rapprocher les services publics des usagers",
    ),
    Theme.HOUSING: (
        "prévenir les expulsions locatives des familles",
        "améliorer les conditions de logement des familles",
        "faciliter l'accès au logement des jeunes",
    ),
    Theme.DISABILITY: (
        "favoriser l'inclusion des enfants en situation de handicap dans les accueils",
        "soutenir les familles d'enfants en situation de handicap",
    ),
    Theme.SENIORS: (
        "rompre l'isolement des personnes âgées",
        "favoriser les liens entre les générations",
        "soutenir les aidants des personnes âgées",
    ),
}

PUBLICS: dict[Theme, tuple[str, ...]] = {
    Theme.EARLY_CHILDHOOD: (
        "les enfants de moins de 3 ans et leurs familles",
        "les familles monoparentales",
        "les assistants maternels",
    ),
    Theme.CHILDHOOD: ("les enfants de 3 à 11 ans", "les enfants scolarisés en élémentaire", "les familles"),
    Theme.YOUTH: ("les jeunes de 11 à 17 ans", "les jeunes de 16 à 25 ans", "les adolescents"),
    Theme.PARENTING: ("les parents", "les futurs parents", "les familles en situation de séparation"),
    Theme.SOCIAL_LIFE: ("les habitants", "les familles du quartier", "les bénévoles associatifs"),
    Theme.ACCESS_TO_RIGHTS: ("les allocataires", "les habitants éloignés du numérique", "les familles"),
    Theme.HOUSING: ("les familles allocataires", "les locataires en difficulté", "les jeunes travailleurs"),
    Theme.DISABILITY: ("les enfants en situation de handicap", "les familles", "les professionnels de l'accueil"),
    Theme.SENIORS: ("les personnes âgées isolées", "les aidants familiaux", "les habitants de tous âges"),
}

OBJECTIVES: dict[Theme, tuple[str, ...]] = {
    Theme.EARLY_CHILDHOOD: (
        "Développer et maintenir une offre d'accueil du jeune enfant adaptée aux besoins des familles",
        "Améliorer l'information des familles sur les modes d'accueil",
    ),
    Theme.CHILDHOOD: (
        "Favoriser l'accès de tous les enfants aux loisirs éducatifs",
        "Structurer une offre d'accueil de loisirs cohérente à l'échelle du territoire",
    ),
    Theme.YOUTH: (
        "Accompagner les jeunes vers l'autonomie",
        "Développer les lieux d'accueil et d'information des jeunes",
    ),
    Theme.PARENTING: (
        "Soutenir les parents dans leur rôle éducatif",
        "Structurer et rendre lisible l'offre de soutien à la parentalité",
    ),
    Theme.SOCIAL_LIFE: (
        "Renforcer le lien social et la participation des habitants",
        "Conforter les structures d'animation de la vie sociale",
    ),
    Theme.ACCESS_TO_RIGHTS: (
        "Faciliter l'accès aux droits et lutter contre le non-recours",
        "Favoriser l'inclusion numérique des familles",
    ),
    Theme.HOUSING: (
        "Prévenir les expulsions et améliorer les conditions de logement des familles",
        "Faciliter l'accès au logement des jeunes",
    ),
    Theme.DISABILITY: (
        "Favoriser l'inclusion des enfants en situation de handicap",
        "Soutenir les familles confrontées au handicap",
    ),
    Theme.SENIORS: (
        "Rompre l'isolement des personnes âgées",
        "Développer les actions intergénérationnelles",
    ),
}

GENERAL_OBJECTIVES = (
    "Structurer la gouvernance et la coordination de la convention",
    "Mieux informer les familles sur l'offre de services du territoire",
    "Partager l'observation des besoins sociaux entre partenaires",
)

# (name, unit, low, high): the range a yearly value usually falls in.
INDICATORS: dict[Theme, tuple[tuple[str, str, int, int], ...]] = {
    Theme.EARLY_CHILDHOOD: (
        ("Nombre de places d'accueil", "places", 8, 80),
        ("Taux d'occupation", "%", 55, 95),
        ("Nombre d'enfants accueillis", "enfants", 10, 150),
        ("Nombre d'assistants maternels accompagnés", "assistants maternels", 5, 120),
    ),
    Theme.CHILDHOOD: (
        ("Nombre d'enfants inscrits", "enfants", 20, 400),
        ("Nombre de journées enfants", "journées", 500, 20000),
        ("Taux de fréquentation", "%", 40, 95),
    ),
    Theme.YOUTH: (
        ("Nombre de jeunes accueillis", "jeunes", 10, 300),
        ("Nombre de projets de jeunes accompagnés", "projets", 1, 30),
        ("Nombre d'heures d'ouverture", "heures", 200, 2000),
    ),
    Theme.PARENTING: (
        ("Nombre de familles participantes", "familles", 5, 200),
        ("Nombre de séances", "séances", 6, 120),
        ("Taux de satisfaction des parents", "%", 60, 100),
    ),
    Theme.SOCIAL_LIFE: (
        ("Nombre d'habitants impliqués", "habitants", 10, 500),
        ("Nombre de bénévoles", "bénévoles", 3, 80),
        ("Nombre d'animations collectives", "animations", 5, 150),
    ),
    Theme.ACCESS_TO_RIGHTS: (
        ("Nombre de personnes accompagnées", "personnes", 20, 2000),
        ("Nombre de démarches réalisées", "démarches", 50, 5000),
        ("Nombre d'ateliers numériques", "ateliers", 4, 120),
    ),
    Theme.HOUSING: (
        ("Nombre de familles accompagnées", "familles", 5, 200),
        ("Nombre d'expulsions évitées", "familles", 0, 40),
        ("Nombre de logements visités", "logements", 5, 150),
    ),
    Theme.DISABILITY: (
        ("Nombre d'enfants en situation de handicap accueillis", "enfants", 1, 60),
        ("Nombre de professionnels formés", "professionnels", 2, 80),
        ("Nombre de familles accompagnées", "familles", 2, 100),
    ),
    Theme.SENIORS: (
        ("Nombre de personnes âgées bénéficiaires", "personnes", 5, 300),
        ("Nombre de visites réalisées", "visites", 10, 1500),
        ("Nombre de rencontres intergénérationnelles", "rencontres", 2, 60),
    ),
}

GENERAL_INDICATORS = (
    ("Nombre de partenaires mobilisés", "partenaires", 2, 25),
    ("Taux de satisfaction des familles", "%", 60, 100),
)

VALUE_COMMENTS = ("Bilan annuel transmis à la Caf", "Données du gestionnaire", "Estimation du porteur")

PARTNER_ROLES = (
    "co-financeur",
    "partenaire opérationnel",
    "mise à disposition de locaux",
    "orientation des publics",
    "appui technique",
    "intervenant",
    None,
)

# (name, acronym): "Familles rurales de Muret", "Centre social du Mans".
ASSOCIATION_KINDS: tuple[tuple[str, str | None], ...] = (
    ("Centre social", None),
    ("Familles rurales", "AFR"),
    ("Association familiale", None),
    ("Amicale laïque", None),
    ("Foyer rural", None),
    ("Maison des jeunes et de la culture", "MJC"),
    ("Association des parents d'élèves", "APE"),
    ("Comité d'animation", None),
    ("Aide à domicile en milieu rural", "ADMR"),
    ("Club de prévention", None),
    ("Espace de vie sociale", "EVS"),
    ("Union sportive", "US"),
    ("Accueil de loisirs", None),
)

# "Crèche parentale « Les P'tits Loups »".
NAMED_KINDS = (
    "Crèche parentale",
    "Ludothèque",
    "Lieu d'accueil enfants-parents",
    "Espace de vie sociale",
    "Association",
    "Micro-crèche",
    "Centre de loisirs",
)
NICKNAMES = (
    "Les P'tits Loups",
    "La Passerelle",
    "Le Colibri",
    "Les Lucioles",
    "La Ribambelle",
    "Les Petits Pas",
    "La Toupie",
    "Le Trait d'Union",
    "La Marelle",
    "Pomme d'Api",
    "Les Mille-Pattes",
    "La Clé des champs",
    "L'Escale",
    "Graines de citoyens",
    "Bouts d'chou",
    "Les Lutins",
    "La Source",
    "Le Petit Prince",
    "Les Écureuils",
    "L'Arbre à palabres",
    "La Cabane",
    "Les Copains d'abord",
    "Le Fil d'Ariane",
    "Récré'action",
)

FIRST_NAMES = (
    "Camille", "Nathalie", "Sophie", "Isabelle", "Claire", "Julie", "Aurélie", "Céline", "Émilie", "Sandrine",
    "Marion", "Laure", "Anne", "Élodie", "Hélène", "Karima", "Fatima", "Inès", "Mathilde", "Pauline",
    "Thomas", "Nicolas", "Julien", "Sébastien", "Laurent", "Olivier", "Mathieu", "Antoine", "Karim", "Yann",
    "Pierre", "François", "Stéphane", "David", "Guillaume", "Romain", "Mehdi", "Christophe", "Benoît", "Loïc",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Le Gall", "Le Goff", "Kerboul", "Haddad", "Benali", "Nguyen", "Etcheverry", "Pujol", "Santoni", "Hoarau",
)  # fmt: skip

FINDINGS = (
    "une offre d'accueil du jeune enfant inférieure à la moyenne départementale",
    "un vieillissement de la population et un isolement croissant des familles",
    "une forte proportion de familles monoparentales",
    "un manque de lieux d'accueil pour les adolescents",
    "des difficultés d'accès aux services publics en milieu rural",
    "une offre de loisirs inégalement répartie entre les communes",
    "un taux de non-recours aux droits élevé",
    "une arrivée de jeunes ménages avec enfants",
    "des besoins d'accueil en horaires atypiques",
)

MEETING_FREQUENCIES = ("Une fois par an", "Deux fois par an", "Trois fois par an", "Tous les trimestres")
