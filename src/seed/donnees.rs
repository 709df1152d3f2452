//! The word lists and places the demo data is drawn from: Ivorian names, company-name
//! patterns per sector, the cities of the 31 regions and 2 districts with their real
//! coordinates, and the processing activities typical of each sector.

use crate::models::enums::{BaseLegale, CodeCategorieDonnees, Region, SecteurActivite};

pub const NOMS: &[&str] = &[
    "Kouassi",
    "Koné",
    "Traoré",
    "Yao",
    "Bamba",
    "Ouattara",
    "Coulibaly",
    "Diabaté",
    "N'Guessan",
    "Konan",
    "Kouadio",
    "Kouamé",
    "Koffi",
    "Touré",
    "Diallo",
    "Cissé",
    "Doumbia",
    "Fofana",
    "Sangaré",
    "Soro",
    "Silué",
    "Yéo",
    "Tuo",
    "Gnahoré",
    "Zadi",
    "Aka",
    "Assi",
    "Brou",
    "Dago",
    "Kacou",
    "Loukou",
    "Méité",
    "Bakayoko",
    "Dosso",
    "Kanté",
    "Sylla",
    "Kra",
    "Amani",
    "Tanoh",
    "Ehui",
    "Essoh",
    "Adou",
    "Boka",
    "Djédjé",
    "Zoro",
    "Guédé",
    "Séri",
    "Bléhoué",
    "Ahoua",
    "Anoh",
    "Dibi",
    "Gnamien",
    "Kobenan",
    "Niamké",
    "Tapé",
    "Yapi",
    "Zamblé",
    "Koulibaly",
    "Camara",
    "Kamagaté",
];

pub const PRENOMS: &[&str] = &[
    "Aya",
    "Adjoua",
    "Affoué",
    "Amenan",
    "Akissi",
    "Mariam",
    "Fatou",
    "Aminata",
    "Awa",
    "Salimata",
    "Brigitte",
    "Christelle",
    "Estelle",
    "Marie-Laure",
    "Nadège",
    "Rokia",
    "Kouakou",
    "Koffi",
    "Yao",
    "Konan",
    "Jean-Marc",
    "Serge",
    "Didier",
    "Ibrahim",
    "Moussa",
    "Seydou",
    "Lassina",
    "Drissa",
    "Hervé",
    "Patrick",
    "Arsène",
    "Wilfried",
    "Roland",
    "Yacouba",
    "Mamadou",
    "Éric",
    "Franck",
    "Olivier",
    "Sandrine",
    "Bintou",
];

pub const FONCTIONS_REPRESENTANT: &[&str] = &[
    "Directeur Général",
    "Directrice Générale",
    "Gérant",
    "Gérante",
    "Président du Conseil d'Administration",
    "Administrateur Général",
    "Secrétaire Général",
];

/// Words that read like a brand or a place, for names such as « Pharmacie Les Palmiers ».
pub const ENSEIGNES: &[&str] = &[
    "Les Palmiers",
    "La Lagune",
    "Ébrié",
    "Le Baobab",
    "Sainte Marie",
    "Espérance",
    "Horizon",
    "La Paix",
    "Saint Joseph",
    "Les Cocotiers",
    "Émergence",
    "Bel Air",
    "Lumière",
    "Éburnie",
    "Le Fromager",
    "Akwaba",
    "Providence",
    "Riviera",
    "Étoile",
    "Plein Ciel",
    "Victoire",
    "Les Flamboyants",
    "Renaissance",
    "Le Phare",
];

/// Denomination patterns of a sector.
fn modeles(secteur: SecteurActivite) -> &'static [&'static str] {
    use SecteurActivite as S;
    // `{N}` a family name, `{E}` a sign, `{V}` the city, `{I}` an industry.
    match secteur {
        S::Sante => &[
            "Clinique {E}",
            "Pharmacie {E}",
            "Pharmacie {N}",
            "Centre Médical {N}",
            "Polyclinique {E} de {V}",
            "Laboratoire d'Analyses {N}",
            "Cabinet Dentaire {N}",
        ],
        S::BanqueFinance => &[
            "Banque {E} de Côte d'Ivoire",
            "Microfinance {N}",
            "Caisse d'Épargne {E}",
            "{N} Finance",
            "Coopérative d'Épargne et de Crédit de {V}",
        ],
        S::Assurance => &[
            "Assurances {N}",
            "{N} Assurances Vie",
            "Mutuelle {E}",
            "Courtage {N} et Associés",
        ],
        S::Telecommunications => &["{N} Télécom", "Ivoire Connect {E}", "Réseaux {E} Services"],
        S::Education => &[
            "Groupe Scolaire {E}",
            "Institut Supérieur {E} de {V}",
            "École Privée {N}",
            "Collège {E}",
            "Centre de Formation {N}",
        ],
        S::CommerceDistribution => &[
            "Supermarché {E}",
            "Ets {N} et Frères",
            "Distribution {E}",
            "Quincaillerie {N}",
            "Boutique {E} de {V}",
        ],
        S::Industrie => &[
            "Société Ivoirienne {I}",
            "Industries {N}",
            "Manufacture {E}",
            "Usine {I} de {V}",
        ],
        S::TransportLogistique => &[
            "Transports {N}",
            "{N} Logistique",
            "Compagnie de Transit {E}",
            "Société Ivoirienne de Transport {E}",
        ],
        S::Energie => &[
            "{N} Énergie",
            "Solaire {E}",
            "Société Ivoirienne d'Énergies Nouvelles {E}",
        ],
        S::AdministrationPublique => &[
            "Mairie de {V}",
            "Conseil Régional de {V}",
            "Direction Régionale de la Santé de {V}",
            "Centre Hospitalier Régional de {V}",
        ],
        S::HotellerieRestauration => &[
            "Hôtel {E}",
            "Restaurant {E}",
            "Maquis Chez {N}",
            "Résidence {E} de {V}",
        ],
        S::Immobilier => &["{N} Immobilier", "Agence Immobilière {E}", "SCI {N}"],
        S::Agriculture => &[
            "Coopérative Agricole de {V}",
            "{N} Agro",
            "Plantations {N}",
            "Société Coopérative des Producteurs de Cacao de {V}",
        ],
        S::Medias => &["Radio {E} FM", "{N} Communication", "Journal {E}"],
        S::AssociationOng => &[
            "ONG {E}",
            "Association {E} pour l'Enfance",
            "Fondation {N}",
            "Mutuelle des Agents de {V}",
        ],
        S::Autre => &[
            "Cabinet {N} Conseil",
            "{N} Services",
            "Groupe {N}",
            "{N} et Associés",
        ],
    }
}

/// The denomination pattern for a sector (see [`modeles`] for the placeholders).
pub fn modele_denomination(secteur: SecteurActivite, rang: usize) -> &'static str {
    let liste = modeles(secteur);
    liste[rang % liste.len()]
}

pub fn nombre_modeles(secteur: SecteurActivite) -> usize {
    modeles(secteur).len()
}

pub const INDUSTRIES: &[&str] = &[
    "de Transformation du Cacao",
    "des Ciments",
    "des Textiles",
    "des Boissons",
    "d'Emballages",
    "des Peintures",
    "des Matériaux de Construction",
    "des Produits Laitiers",
    "de Conserves",
    "de Savonnerie",
    "du Caoutchouc",
];

/// Sectors with their relative weights (many shops and clinics, few telecom operators).
pub const SECTEURS: &[(SecteurActivite, u32)] = &[
    (SecteurActivite::CommerceDistribution, 18),
    (SecteurActivite::Sante, 12),
    (SecteurActivite::Education, 9),
    (SecteurActivite::BanqueFinance, 6),
    (SecteurActivite::Assurance, 4),
    (SecteurActivite::Telecommunications, 2),
    (SecteurActivite::Industrie, 6),
    (SecteurActivite::TransportLogistique, 7),
    (SecteurActivite::Energie, 2),
    (SecteurActivite::AdministrationPublique, 4),
    (SecteurActivite::HotellerieRestauration, 8),
    (SecteurActivite::Immobilier, 5),
    (SecteurActivite::Agriculture, 6),
    (SecteurActivite::Medias, 2),
    (SecteurActivite::AssociationOng, 4),
    (SecteurActivite::Autre, 5),
];

/// Legal form of a sector's organisations.
pub fn formes_juridiques(secteur: SecteurActivite) -> &'static [&'static str] {
    match secteur {
        SecteurActivite::AdministrationPublique => &["Collectivité territoriale", "EPN"],
        SecteurActivite::AssociationOng => &["Association", "ONG", "Fondation"],
        SecteurActivite::Agriculture => &["SCOOPS", "SARL", "SA"],
        SecteurActivite::BanqueFinance | SecteurActivite::Assurance => &["SA"],
        _ => &[
            "SARL",
            "SARL",
            "SA",
            "SAS",
            "SARLU",
            "GIE",
            "Entreprise individuelle",
        ],
    }
}

/// A city: name, region, coordinates of its centre, and weight (how many organisations it
/// holds, roughly).
pub struct Ville {
    pub nom: &'static str,
    pub region: Region,
    pub latitude: f64,
    pub longitude: f64,
    pub poids: u32,
}

/// At least one city in each of the 31 regions and the 2 districts. Abidjan's weight is
/// spread over its communes ([`COMMUNES_ABIDJAN`]).
pub const VILLES: &[Ville] = &[
    ville("Abidjan", Region::Abidjan, 5.345, -4.024, 450),
    ville("Yamoussoukro", Region::Yamoussoukro, 6.827, -5.289, 30),
    ville("Bouaké", Region::Gbeke, 7.690, -5.030, 45),
    ville("San-Pédro", Region::SanPedro, 4.748, -6.636, 30),
    ville("Korhogo", Region::Poro, 9.458, -5.629, 28),
    ville("Daloa", Region::HautSassandra, 6.877, -6.450, 28),
    ville("Man", Region::Tonkpi, 7.412, -7.553, 20),
    ville("Gagnoa", Region::Goh, 6.131, -5.951, 20),
    ville("Abengourou", Region::IndenieDjuablin, 6.730, -3.496, 15),
    ville("Divo", Region::LohDjiboua, 5.837, -5.357, 15),
    ville("Odienné", Region::Kabadougou, 9.510, -7.569, 8),
    ville("Bondoukou", Region::Gontougo, 8.040, -2.800, 10),
    ville("Séguéla", Region::Worodougou, 7.961, -6.673, 8),
    ville("Ferkessédougou", Region::Tchologo, 9.593, -5.197, 9),
    ville("Soubré", Region::Nawa, 5.785, -6.594, 12),
    ville("Agboville", Region::AgnebyTiassa, 5.928, -4.213, 10),
    ville("Touba", Region::Bafing, 8.283, -7.683, 4),
    ville("Boundiali", Region::Bagoue, 9.521, -6.486, 5),
    ville("Toumodi", Region::Belier, 6.557, -5.019, 5),
    ville("Mankono", Region::Bere, 8.059, -6.190, 4),
    ville("Bouna", Region::Bounkani, 9.270, -2.995, 4),
    ville("Guiglo", Region::Cavally, 6.543, -7.493, 5),
    ville("Minignan", Region::Folon, 9.997, -7.835, 2),
    ville("Sassandra", Region::Gbokle, 4.953, -6.085, 5),
    ville("Dabou", Region::GrandsPonts, 5.325, -4.377, 8),
    ville("Duékoué", Region::Guemon, 6.743, -7.349, 7),
    ville("Katiola", Region::Hambol, 8.137, -5.101, 5),
    ville("Daoukro", Region::Iffou, 7.059, -3.963, 5),
    ville("Adzopé", Region::LaMe, 6.107, -3.860, 7),
    ville("Bouaflé", Region::Marahoue, 6.990, -5.745, 6),
    ville("Bongouanou", Region::Moronou, 6.651, -4.204, 5),
    ville("Dimbokro", Region::NZi, 6.648, -4.706, 5),
    ville("Aboisso", Region::SudComoe, 5.468, -3.207, 6),
    ville("Grand-Bassam", Region::SudComoe, 5.211, -3.739, 9),
];

const fn ville(
    nom: &'static str,
    region: Region,
    latitude: f64,
    longitude: f64,
    poids: u32,
) -> Ville {
    Ville {
        nom,
        region,
        latitude,
        longitude,
        poids,
    }
}

/// Abidjan's communes: name, centre, and a few quartiers.
pub const COMMUNES_ABIDJAN: &[(&str, f64, f64, &[&str])] = &[
    (
        "Plateau",
        5.323,
        -4.020,
        &["Avenue Chardy", "Boulevard de la République", "Indénié"],
    ),
    (
        "Cocody",
        5.360,
        -3.967,
        &[
            "Riviera 2",
            "Angré",
            "II Plateaux",
            "Danga",
            "Riviera Palmeraie",
        ],
    ),
    (
        "Yopougon",
        5.336,
        -4.089,
        &["Niangon", "Selmer", "Maroc", "Siporex"],
    ),
    (
        "Marcory",
        5.300,
        -3.985,
        &["Zone 4", "Biétry", "Anoumabo", "Résidentiel"],
    ),
    (
        "Treichville",
        5.293,
        -4.006,
        &["Avenue 12", "Arras", "Belleville"],
    ),
    (
        "Adjamé",
        5.361,
        -4.025,
        &["220 Logements", "Williamsville", "Bracodi"],
    ),
    (
        "Koumassi",
        5.295,
        -3.950,
        &["Remblais", "Grand Campement", "Sicogi"],
    ),
    ("Abobo", 5.418, -4.020, &["Avocatier", "Baoulé", "PK 18"]),
    (
        "Port-Bouët",
        5.255,
        -3.930,
        &["Vridi", "Gonzagueville", "Jean Folly"],
    ),
    ("Attécoubé", 5.335, -4.040, &["Santé", "Locodjoro"]),
    ("Bingerville", 5.355, -3.885, &["Centre", "Akandjé"]),
    ("Anyama", 5.495, -4.052, &["Centre", "Ébimpé"]),
];

pub const QUARTIERS: &[&str] = &[
    "Commerce",
    "Résidentiel",
    "Dar-Es-Salam",
    "Belleville",
    "Koko",
    "Air France",
    "Lycée",
    "Marché",
    "Habitat",
    "Petit Paris",
    "Administratif",
];

pub const RUES: &[&str] = &[
    "Rue du Commerce",
    "Boulevard Lagunaire",
    "Avenue de la Paix",
    "Rue des Jardins",
    "Boulevard Latrille",
    "Avenue Houphouët-Boigny",
    "Rue de la Mairie",
    "Route de l'Aéroport",
    "Rue du Marché",
    "Avenue Nangui Abrogoua",
];

/// One processing activity as a sector typically keeps it.
#[derive(Debug)]
pub struct ModeleTraitement {
    pub nom: &'static str,
    pub finalite: &'static str,
    pub base_legale: BaseLegale,
    pub categories_personnes: &'static str,
    pub duree_conservation: &'static str,
    pub destinataires: &'static str,
    pub categories: &'static [CodeCategorieDonnees],
}

use BaseLegale as B;
use CodeCategorieDonnees as C;

/// Kept by almost every organisation.
pub const GESTION_PERSONNEL: ModeleTraitement = ModeleTraitement {
    nom: "Gestion du personnel",
    finalite: "Gestion administrative et paie des salariés",
    base_legale: B::ObligationLegale,
    categories_personnes: "Salariés, stagiaires",
    duree_conservation: "5 ans après le départ du salarié",
    destinataires: "Service RH, CNPS, administration fiscale",
    categories: &[
        C::Identification,
        C::VieProfessionnelle,
        C::EconomiqueFinanciere,
    ],
};

const CLIENTELE: ModeleTraitement = ModeleTraitement {
    nom: "Gestion de la clientèle",
    finalite: "Suivi des commandes, facturation et service après-vente",
    base_legale: B::ExecutionContrat,
    categories_personnes: "Clients",
    duree_conservation: "3 ans après la dernière commande",
    destinataires: "Service commercial, comptabilité",
    categories: &[C::Identification, C::EconomiqueFinanciere],
};

const PROSPECTION: ModeleTraitement = ModeleTraitement {
    nom: "Prospection commerciale",
    finalite: "Envoi d'offres par SMS et courriel",
    base_legale: B::Consentement,
    categories_personnes: "Prospects, clients",
    duree_conservation: "3 ans après le dernier contact",
    destinataires: "Service marketing",
    categories: &[C::Identification, C::ConnexionNavigation],
};

const VIDEOSURVEILLANCE: ModeleTraitement = ModeleTraitement {
    nom: "Vidéosurveillance des locaux",
    finalite: "Sécurité des biens et des personnes",
    base_legale: B::SauvegardeInteretsPersonne,
    categories_personnes: "Visiteurs, salariés",
    duree_conservation: "30 jours",
    destinataires: "Service sécurité",
    categories: &[C::Identification, C::Localisation],
};

const ACCES_BIOMETRIQUE: ModeleTraitement = ModeleTraitement {
    nom: "Contrôle d'accès biométrique",
    finalite: "Accès aux zones sécurisées par empreinte digitale",
    base_legale: B::Consentement,
    categories_personnes: "Salariés",
    duree_conservation: "Durée du contrat de travail",
    destinataires: "Service sécurité",
    categories: &[C::Biometriques, C::Identification],
};

/// Processing typical of a sector, beside the staff management of [`GESTION_PERSONNEL`].
pub fn traitements_du_secteur(secteur: SecteurActivite) -> &'static [ModeleTraitement] {
    use SecteurActivite as S;
    match secteur {
        S::Sante => &[
            ModeleTraitement {
                nom: "Dossiers médicaux des patients",
                finalite: "Suivi médical et continuité des soins",
                base_legale: B::SauvegardeInteretsPersonne,
                categories_personnes: "Patients",
                duree_conservation: "20 ans après la dernière consultation",
                destinataires: "Personnel soignant, laboratoires partenaires",
                categories: &[C::Identification, C::Sante, C::NumerosOfficiels],
            },
            ModeleTraitement {
                nom: "Facturation des soins",
                finalite: "Facturation et prise en charge par les assurances",
                base_legale: B::ExecutionContrat,
                categories_personnes: "Patients, assurés",
                duree_conservation: "10 ans",
                destinataires: "Comptabilité, assureurs",
                categories: &[C::Identification, C::EconomiqueFinanciere],
            },
            VIDEOSURVEILLANCE,
        ],
        S::BanqueFinance => &[
            ModeleTraitement {
                nom: "Tenue des comptes clients",
                finalite: "Ouverture et gestion des comptes, moyens de paiement",
                base_legale: B::ExecutionContrat,
                categories_personnes: "Clients",
                duree_conservation: "10 ans après la clôture du compte",
                destinataires: "Agences, BCEAO",
                categories: &[
                    C::Identification,
                    C::EconomiqueFinanciere,
                    C::NumerosOfficiels,
                ],
            },
            ModeleTraitement {
                nom: "Lutte contre le blanchiment",
                finalite: "Vigilance sur les opérations (LBC/FT)",
                base_legale: B::ObligationLegale,
                categories_personnes: "Clients, bénéficiaires effectifs",
                duree_conservation: "10 ans",
                destinataires: "CENTIF",
                categories: &[C::Identification, C::EconomiqueFinanciere, C::Judiciaires],
            },
            PROSPECTION,
        ],
        S::Assurance => &[ModeleTraitement {
            nom: "Gestion des contrats et des sinistres",
            finalite: "Souscription, gestion des contrats et indemnisation",
            base_legale: B::ExecutionContrat,
            categories_personnes: "Assurés, bénéficiaires",
            duree_conservation: "10 ans après la fin du contrat",
            destinataires: "Gestionnaires, réassureurs",
            categories: &[C::Identification, C::Sante, C::EconomiqueFinanciere],
        }],
        S::Telecommunications => &[
            ModeleTraitement {
                nom: "Identification des abonnés",
                finalite: "Identification obligatoire des abonnés mobiles",
                base_legale: B::ObligationLegale,
                categories_personnes: "Abonnés",
                duree_conservation: "Durée de l'abonnement et 1 an",
                destinataires: "Service clients, autorités judiciaires sur réquisition",
                categories: &[C::Identification, C::NumerosOfficiels, C::Localisation],
            },
            ModeleTraitement {
                nom: "Données de trafic",
                finalite: "Facturation et obligations de conservation",
                base_legale: B::ObligationLegale,
                categories_personnes: "Abonnés",
                duree_conservation: "1 an",
                destinataires: "Facturation",
                categories: &[C::ConnexionNavigation, C::Localisation],
            },
        ],
        S::Education => &[ModeleTraitement {
            nom: "Inscription et scolarité des élèves",
            finalite: "Gestion des inscriptions, des notes et des bulletins",
            base_legale: B::ExecutionContrat,
            categories_personnes: "Élèves, parents",
            duree_conservation: "Scolarité et 5 ans",
            destinataires: "Direction des études, ministère de l'Éducation",
            categories: &[C::Identification, C::Mineurs, C::ViePersonnelle],
        }],
        S::TransportLogistique => &[ModeleTraitement {
            nom: "Suivi des expéditions",
            finalite: "Livraison et traçabilité des colis",
            base_legale: B::ExecutionContrat,
            categories_personnes: "Clients, destinataires",
            duree_conservation: "2 ans",
            destinataires: "Chauffeurs, transitaires",
            categories: &[C::Identification, C::Localisation],
        }],
        S::HotellerieRestauration => &[ModeleTraitement {
            nom: "Fiches de police des clients",
            finalite: "Enregistrement des clients hébergés",
            base_legale: B::ObligationLegale,
            categories_personnes: "Clients hébergés",
            duree_conservation: "1 an",
            destinataires: "Réception, services de police",
            categories: &[C::Identification, C::NumerosOfficiels],
        }],
        S::Agriculture => &[ModeleTraitement {
            nom: "Registre des producteurs",
            finalite: "Collecte, pesée et paiement des producteurs",
            base_legale: B::ExecutionContrat,
            categories_personnes: "Producteurs membres",
            duree_conservation: "5 ans",
            destinataires: "Conseil du Café-Cacao, exportateurs",
            categories: &[C::Identification, C::EconomiqueFinanciere, C::Localisation],
        }],
        S::AdministrationPublique => &[ModeleTraitement {
            nom: "État civil et services aux administrés",
            finalite: "Tenue des registres et délivrance des actes",
            base_legale: B::MissionInteretPublic,
            categories_personnes: "Administrés",
            duree_conservation: "Conservation définitive (archives)",
            destinataires: "Services de l'état civil",
            categories: &[C::Identification, C::ViePersonnelle, C::NumerosOfficiels],
        }],
        S::Immobilier => &[ModeleTraitement {
            nom: "Gestion locative",
            finalite: "Baux, quittances et suivi des locataires",
            base_legale: B::ExecutionContrat,
            categories_personnes: "Locataires, propriétaires",
            duree_conservation: "5 ans après la fin du bail",
            destinataires: "Gestionnaires, notaires",
            categories: &[C::Identification, C::EconomiqueFinanciere],
        }],
        S::Medias => &[ModeleTraitement {
            nom: "Abonnés et auditeurs",
            finalite: "Gestion des abonnements et des jeux concours",
            base_legale: B::Consentement,
            categories_personnes: "Abonnés, auditeurs",
            duree_conservation: "3 ans",
            destinataires: "Service abonnements",
            categories: &[C::Identification, C::ConnexionNavigation],
        }],
        S::AssociationOng => &[ModeleTraitement {
            nom: "Fichier des adhérents et bénéficiaires",
            finalite: "Gestion des adhésions et suivi des bénéficiaires",
            base_legale: B::Consentement,
            categories_personnes: "Adhérents, bénéficiaires",
            duree_conservation: "Durée de l'adhésion et 2 ans",
            destinataires: "Bureau de l'association, bailleurs",
            categories: &[C::Identification, C::OpinionsConvictions],
        }],
        S::Industrie | S::Energie => &[CLIENTELE, ACCES_BIOMETRIQUE, VIDEOSURVEILLANCE],
        S::CommerceDistribution | S::Autre => &[CLIENTELE, PROSPECTION, VIDEOSURVEILLANCE],
    }
}

/// Processors an organisation hands data to: name, country (ISO alpha-2), purpose.
pub const SOUS_TRAITANTS: &[(&str, &str, &str)] = &[
    ("Ivoire Data Center", "CI", "Hébergement des serveurs"),
    (
        "Cabinet Comptable Koné et Associés",
        "CI",
        "Tenue de la comptabilité et de la paie",
    ),
    ("Orange Business Services", "CI", "Messagerie et téléphonie"),
    ("OVHcloud", "FR", "Hébergement en nuage"),
    ("Sonatel Business", "SN", "Centre d'appels"),
    ("Amazon Web Services", "US", "Hébergement en nuage"),
    ("MTN Business Ghana", "GH", "Sauvegarde externalisée"),
];

/// Destinations of international transfers: country, recipient, purpose.
pub const TRANSFERTS: &[(&str, &str, &str)] = &[
    (
        "FR",
        "Maison mère à Paris",
        "Consolidation des données RH du groupe",
    ),
    ("SN", "Filiale de Dakar", "Centre de services partagés"),
    (
        "BF",
        "Partenaire de Ouagadougou",
        "Suivi des clients régionaux",
    ),
    (
        "US",
        "Éditeur du logiciel de gestion",
        "Support et maintenance",
    ),
    ("MA", "Prestataire de Casablanca", "Centre d'appels"),
    ("GH", "Filiale d'Accra", "Reporting régional"),
];

pub const MOTIFS_REJET: &[&str] = &[
    "Dossier incomplet : registre des traitements non fourni.",
    "Délai de mise en conformité dépassé sans régularisation.",
    "Finalités des traitements non déterminées.",
    "Pièces justificatives non authentiques.",
];

pub const ELEMENTS_MANQUANTS: &[(&str, &str)] = &[
    (
        "registre_traitements",
        "Durée de conservation de chaque traitement",
    ),
    ("securite", "Politique de sécurité signée"),
    ("correspondant", "Lettre de désignation du correspondant"),
    (
        "sous_traitance",
        "Contrat de sous-traitance avec clauses de protection",
    ),
    ("identification", "Registre du commerce à jour"),
];
