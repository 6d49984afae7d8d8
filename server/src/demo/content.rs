//! The words of the demo: realistic French titles, summaries and structures. Fictitious
//! events and people; real place names (from the committed reference data).

/// Topics by theme slug: what an event of that theme is about.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "service-usager",
        &[
            "repenser l'accueil des usagers en préfecture",
            "un guichet unique pour les démarches des familles",
            "les rendez-vous en ligne sans laisser personne de côté",
            "améliorer les courriers administratifs avec les usagers",
            "l'accueil téléphonique des services publics",
            "mesurer la satisfaction des usagers en continu",
            "les espaces France Services, dix ans après",
            "le parcours des usagers en situation de handicap",
        ],
    ),
    (
        "innovation-manageriale",
        &[
            "le management par la confiance dans une direction régionale",
            "le télétravail et les collectifs de travail",
            "les communautés de pratique entre agents",
            "l'intelligence collective au service des équipes",
            "accueillir et intégrer les nouveaux agents",
            "la qualité de vie et des conditions de travail",
            "le mentorat inversé entre générations d'agents",
            "piloter un projet en mode agile",
        ],
    ),
    (
        "innovation-territoriale",
        &[
            "les tiers-lieux publics en zone rurale",
            "coopérer entre communes pour mieux servir les habitants",
            "la revitalisation des centres-bourgs",
            "les mobilités du quotidien dans les territoires peu denses",
            "l'ingénierie territoriale partagée",
            "une maison des services publics itinérante",
            "les contrats de relance et de transition écologique",
            "le dernier kilomètre de l'action publique",
        ],
    ),
    (
        "design-politiques-publiques",
        &[
            "le design de service appliqué aux politiques sociales",
            "prototyper une politique publique avec ses bénéficiaires",
            "les personas au service de l'action publique",
            "cartographier le parcours d'un dossier",
            "le design fiction pour imaginer le service public de 2040",
            "évaluer une expérimentation avant de la généraliser",
            "le design des formulaires administratifs",
        ],
    ),
    (
        "participation-citoyenne",
        &[
            "les budgets participatifs",
            "une convention citoyenne locale",
            "associer les jeunes aux décisions publiques",
            "les conseils citoyens des quartiers prioritaires",
            "la concertation sur un projet d'aménagement",
            "le dialogue entre élus, agents et habitants",
            "les jurys citoyens",
        ],
    ),
    (
        "transition-ecologique",
        &[
            "la sobriété énergétique des bâtiments publics",
            "les achats publics responsables",
            "le numérique responsable dans les administrations",
            "la fresque du climat pour les agents",
            "l'alimentation durable dans la restauration collective",
            "les plans de mobilité des administrations",
            "adapter les services publics au changement climatique",
        ],
    ),
    (
        "coproduction",
        &[
            "coproduire un service public avec ses usagers",
            "l'administration et les associations, partenaires",
            "co-construire une démarche avec les agents de terrain",
            "des ateliers de coproduction avec les entreprises",
            "la coproduction des données publiques",
            "coécrire la charte d'accueil d'un service",
        ],
    ),
    (
        "sciences-comportementales",
        &[
            "les sciences comportementales pour réduire le non-recours",
            "simplifier les relances grâce aux sciences comportementales",
            "les biais cognitifs dans la décision publique",
            "encourager les démarches en ligne sans contraindre",
            "tester une intervention comportementale",
        ],
    ),
    (
        "gouvernement-ouvert",
        &[
            "l'ouverture des données publiques locales",
            "la transparence des algorithmes publics",
            "les codes sources ouverts de l'administration",
            "rendre compte de l'action publique aux citoyens",
            "le plan d'action national pour un gouvernement ouvert",
        ],
    ),
    (
        "inclusion-numerique",
        &[
            "les conseillers numériques aux côtés des usagers",
            "l'accompagnement des publics éloignés du numérique",
            "l'aidant connect pour les démarches en ligne",
            "former les agents d'accueil à la médiation numérique",
            "l'accessibilité numérique des sites publics",
            "les ateliers numériques pour les seniors",
        ],
    ),
    (
        "simplification",
        &[
            "le « dites-le nous une fois »",
            "simplifier les démarches des entreprises",
            "supprimer les justificatifs inutiles",
            "le langage clair dans les écrits administratifs",
            "les démarches proactives : aller vers l'usager",
            "dématérialiser sans complexifier",
            "le simplificathon des démarches locales",
        ],
    ),
    (
        "donnees-numerique-ia",
        &[
            "l'intelligence artificielle générative au service des agents",
            "la donnée au cœur du pilotage des politiques publiques",
            "un assistant conversationnel pour répondre aux usagers",
            "les communs numériques de l'État",
            "l'IA de confiance dans les administrations",
            "la qualité des données de référence",
            "les tableaux de bord publics",
        ],
    ),
];

/// How a title starts, by format slug.
pub const FORMAT_TITLES: &[(&str, &[&str])] = &[
    (
        "presentation-initiatives",
        &[
            "Retour d'expérience : ",
            "Présentation d'initiatives : ",
            "Ils l'ont fait : ",
        ],
    ),
    (
        "atelier-participatif",
        &[
            "Atelier participatif : ",
            "Atelier : ",
            "À vous de jouer : ",
        ],
    ),
    (
        "table-ronde",
        &["Table ronde : ", "Regards croisés sur ", "Table ronde – "],
    ),
    (
        "session-creative",
        &[
            "Session créative : ",
            "Imaginer ensemble ",
            "Laboratoire d'idées : ",
        ],
    ),
    (
        "demonstration-outil",
        &[
            "Démonstration : ",
            "Découvrez l'outil – ",
            "Prise en main : ",
        ],
    ),
    ("exposition", &["Exposition : ", "Exposition – "]),
    (
        "visite",
        &["Visite : ", "Portes ouvertes : ", "Visite commentée – "],
    ),
    (
        "webinaire",
        &["Webinaire : ", "Webinaire – ", "En ligne : "],
    ),
    ("conference", &["Conférence : ", "Conférence – "]),
    ("conference-debat", &["Conférence-débat : ", "Débat : "]),
    ("podcast", &["Podcast : ", "Épisode spécial : "]),
    (
        "module-formation",
        &["Formation : ", "Module de formation – ", "Se former à "],
    ),
    ("hackathon", &["Hackathon : ", "Simplificathon : "]),
];

/// The topic is quoted: topics are noun phrases or verbs, and French grammar would not
/// let them slot into a sentence either way.
pub const SUMMARIES: &[&str] = &[
    "{structure} partage son expérience : « {topic} », avec les agents qui l'ont menée et les usagers qui y ont participé.",
    "Un temps d'échange ouvert autour de « {topic} », pour repartir avec des méthodes concrètes.",
    "« {topic} » : qu'est-ce que cela change pour les agents et les usagers ? {structure} vous invite à en débattre.",
    "Venez tester, questionner et améliorer une démarche conçue par {structure} : « {topic} ».",
    "Pendant le Mois de l'innovation publique, {structure} ouvre ses portes. Au programme : « {topic} ».",
    "Des intervenants de terrain présentent leurs résultats (« {topic} »), puis place aux questions.",
];

pub const DESCRIPTIONS: &[&str] = &[
    "Depuis deux ans, les équipes de {structure} expérimentent de nouvelles façons de travailler. Le sujet du jour : « {topic} ». Elles présenteront la démarche, les outils utilisés et les premiers résultats, sans cacher les difficultés rencontrées.",
    "La séance alterne courtes présentations et travail en petits groupes. Aucune connaissance préalable n'est nécessaire : chacun vient avec son expérience et repart avec des pistes à mettre en œuvre dans son service.",
    "L'événement est ouvert aux agents de toutes les administrations, aux élus et aux partenaires associatifs. Les supports seront partagés après la séance.",
    "Un temps convivial clôturera la rencontre pour prolonger les échanges entre participants.",
    "Les inscriptions sont ouvertes dans la limite des places disponibles. Merci de signaler toute demande d'aménagement lors de votre inscription.",
];

pub const ACCESSIBILITY: &[&str] = &[
    "Salle accessible aux personnes à mobilité réduite. Boucle magnétique disponible.",
    "Lieu accessible en fauteuil roulant ; interprétation en langue des signes française sur demande une semaine avant.",
    "Sous-titrage en direct et support transmis à l'avance sur demande.",
    "Accès de plain-pied ; documents disponibles en gros caractères.",
    "",
];

/// Organizing structures by organizer type slug. `{dept}`, `{city}` and `{region}` are
/// replaced by real place names.
pub const STRUCTURES: &[(&str, &[&str])] = &[
    (
        "administration-centrale",
        &[
            "Ministère de l'Intérieur",
            "Ministère de la Transition écologique",
            "Ministère du Travail et des Solidarités",
            "Ministère de l'Éducation nationale",
            "Ministère de la Culture",
            "Direction interministérielle du numérique",
            "Direction générale des finances publiques",
            "Ministère des Armées",
            "Direction générale de l'administration et de la fonction publique",
            "Ministère de l'Agriculture et de la Souveraineté alimentaire",
        ],
    ),
    (
        "service-deconcentre",
        &[
            "Préfecture – {dept}",
            "Direction départementale des territoires – {dept}",
            "DREETS {region}",
            "Secrétariat général pour les affaires régionales {region}",
            "Direction régionale des finances publiques {region}",
            "Rectorat {de_city}",
        ],
    ),
    (
        "collectivite-territoriale",
        &[
            "Ville {de_city}",
            "Conseil départemental – {dept}",
            "Région {region}",
            "Communauté d'agglomération {de_city}",
            "Métropole {de_city}",
        ],
    ),
    (
        "operateur",
        &[
            "Caisse d'allocations familiales – {dept}",
            "France Travail {region}",
            "Urssaf {region}",
            "Caisse primaire d'assurance maladie – {dept}",
            "Agence de l'environnement et de la maîtrise de l'énergie {region}",
        ],
    ),
    (
        "laboratoire-innovation",
        &[
            "Laboratoire d'innovation publique {region}",
            "Lab'{dept}",
            "La Fabrique {city}",
        ],
    ),
    (
        "sanitaire-social",
        &[
            "Centre hospitalier {de_city}",
            "Agence régionale de santé {region}",
            "Centre communal d'action sociale {de_city}",
        ],
    ),
    (
        "association-ess",
        &[
            "Association Territoires en commun {region}",
            "Tiers-lieu La Coopérative {de_city}",
            "Collectif Citoyens et services publics {dept}",
        ],
    ),
    (
        "autre",
        &[
            "Université {de_city}",
            "Chambre de commerce et d'industrie – {dept}",
        ],
    ),
];

/// National structures for events « National / en ligne ».
pub const NATIONAL_STRUCTURES: &[(&str, &str)] = &[
    (
        "administration-centrale",
        "Direction interministérielle de la transformation publique",
    ),
    (
        "administration-centrale",
        "Direction interministérielle du numérique",
    ),
    (
        "administration-centrale",
        "Ministère de l'Économie et des Finances",
    ),
    ("administration-centrale", "Ministère de la Santé"),
    (
        "operateur",
        "Agence nationale de la cohésion des territoires",
    ),
    ("operateur", "Caisse nationale des allocations familiales"),
    ("operateur", "France Travail"),
    (
        "laboratoire-innovation",
        "Campus de la transformation publique",
    ),
    ("association-ess", "Réseau national des tiers-lieux publics"),
];

pub const FIRST_NAMES: &[&str] = &[
    "Camille", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Aïcha", "Mathieu",
    "Claire", "Yannick", "Fatou", "Pierre", "Léa", "Olivier", "Inès", "Vincent", "Marion",
];

pub const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Moreau",
    "Laurent",
    "Benali",
    "Lefebvre",
    "Nguyen",
    "Garcia",
    "Rousseau",
    "Fontaine",
    "Diallo",
    "Chevalier",
    "Robin",
    "Mercier",
    "Hoarau",
    "Joseph",
];

/// Lab name patterns by lab type slug.
pub const LAB_NAMES: &[(&str, &[&str])] = &[
    (
        "ministeriel",
        &[
            "Lab de l'innovation {n}",
            "Atelier ministériel du numérique {n}",
            "Le Lab des politiques publiques {n}",
        ],
    ),
    (
        "territorial-etat",
        &[
            "Laboratoire d'innovation territoriale {region}",
            "Lab préfectoral – {dept}",
            "Archipel {region}",
        ],
    ),
    (
        "collectivite",
        &[
            "La Fabrique citoyenne {de_city}",
            "Lab'{dept}",
            "Le Labo des territoires {de_city}",
        ],
    ),
    (
        "operateur",
        &[
            "Lab innovation {region} de l'assurance maladie",
            "Le Lab des allocataires {dept}",
        ],
    ),
    (
        "sante",
        &["Lab santé {region}", "Living lab hospitalier {de_city}"],
    ),
    (
        "universitaire",
        &[
            "Chaire d'innovation publique {de_city}",
            "Lab de recherche-action {region}",
        ],
    ),
    (
        "associatif",
        &[
            "Tiers-lieu d'innovation {de_city}",
            "La Ruche publique {de_city}",
        ],
    ),
];
