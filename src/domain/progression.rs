//! How complete a dossier is: for each of the form's five parts, the required items answered
//! out of those required, and the ones missing. A dossier is submitted only when nothing
//! required is missing.
//!
//! DOMAIN asks for "required parts present" without listing them; the required items chosen
//! here are what ARTCI needs to qualify and score a dossier:
//! - **identification**: address, city, a telephone or an e-mail, the legal representative's
//!   name, and the position on the map (denomination, sector and region are always there);
//! - **conformité administrative**: the questionnaire saved once, a legal representative in
//!   the list, and the number of a declaration (an authorisation) said to be done;
//! - **registre**: at least one processing (not deleted), one category of data and one
//!   purpose, and a legal basis for each processing (its own or one of its purposes');
//! - **sous-traitance et transferts**: nothing, unless a processing sends data out of Côte
//!   d'Ivoire: the destination must then be declared (a transfer or a processor abroad);
//! - **sécurité**: the questionnaire saved once and at least one security measure.
//!
//! A correspondant is not required (the law allows an entity without one: it then files a
//! declaration). The documents required (`domain::pieces`) count in the identification (the
//! organisation's papers) and in the conformité administrative (the correspondant's): each
//! one needs a current document of its type that ARTCI has not rejected.

use crate::domain::contenu::ContenuDossier;
use crate::domain::dossier::est_cote_d_ivoire;
use crate::domain::pieces;
use crate::models::EntiteBase;
use crate::models::enums::{StatutVerificationDocument, TypeDocument};

/// The five parts of the form, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partie {
    Identification,
    ConformiteAdministrative,
    Registre,
    SousTraitanceTransferts,
    Securite,
}

/// A required item: where it is in the form (the save mutation's input path, without
/// `input.`) and a French label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub champ: String,
    pub libelle: String,
}

/// One part's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressionPartie {
    pub partie: Partie,
    pub requis: usize,
    pub manquants: Vec<Element>,
}

impl ProgressionPartie {
    pub fn renseignes(&self) -> usize {
        self.requis - self.manquants.len()
    }

    pub fn complete(&self) -> bool {
        self.manquants.is_empty()
    }
}

/// The whole dossier's progress, part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progression {
    pub parties: Vec<ProgressionPartie>,
}

impl Progression {
    pub fn complete(&self) -> bool {
        self.parties.iter().all(ProgressionPartie::complete)
    }

    pub fn requis(&self) -> usize {
        self.parties.iter().map(|p| p.requis).sum()
    }

    pub fn renseignes(&self) -> usize {
        self.parties.iter().map(ProgressionPartie::renseignes).sum()
    }

    /// Every missing item, part after part.
    pub fn manquants(&self) -> impl Iterator<Item = &Element> {
        self.parties.iter().flat_map(|p| p.manquants.iter())
    }
}

/// Counts the required items of one part as they are checked.
struct Releve {
    partie: Partie,
    requis: usize,
    manquants: Vec<Element>,
}

impl Releve {
    fn new(partie: Partie) -> Self {
        Self {
            partie,
            requis: 0,
            manquants: Vec::new(),
        }
    }

    fn exiger(&mut self, present: bool, champ: impl Into<String>, libelle: impl Into<String>) {
        self.requis += 1;
        if !present {
            self.manquants.push(Element {
                champ: champ.into(),
                libelle: libelle.into(),
            });
        }
    }

    fn fin(self) -> ProgressionPartie {
        ProgressionPartie {
            partie: self.partie,
            requis: self.requis,
            manquants: self.manquants,
        }
    }
}

fn rempli(texte: &Option<String>) -> bool {
    texte.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// The progress of `entite`'s dossier, from its stored content and its current documents
/// (`documents`: type and review status of each document not superseded).
pub fn progression(
    entite: &EntiteBase,
    c: &ContenuDossier,
    documents: &[(TypeDocument, StatutVerificationDocument)],
) -> Progression {
    let mut identification = Releve::new(Partie::Identification);
    identification.exiger(rempli(&entite.adresse), "adresse", "Adresse du siège");
    identification.exiger(rempli(&entite.ville), "ville", "Ville");
    identification.exiger(
        rempli(&entite.telephone) || rempli(&entite.email),
        "telephone",
        "Téléphone ou e-mail de l'entité",
    );
    identification.exiger(
        c.contact
            .as_ref()
            .is_some_and(|ct| rempli(&ct.representant_nom)),
        "contact.representantNom",
        "Nom du représentant légal",
    );
    identification.exiger(
        c.localisation
            .as_ref()
            .is_some_and(|l| l.geolocation.is_some()),
        "localisation.latitude",
        "Position de l'entité sur la carte",
    );

    let mut conformite = Releve::new(Partie::ConformiteAdministrative);
    conformite.exiger(
        c.administrative.is_some(),
        "conformiteAdministrative",
        "Questionnaire des formalités",
    );
    if let Some(a) = &c.administrative {
        if a.declaration_artci {
            conformite.exiger(
                rempli(&a.numero_declaration),
                "conformiteAdministrative.numeroDeclaration",
                "Numéro de la déclaration faite auprès de l'ARTCI",
            );
        }
        if a.autorisation_artci {
            conformite.exiger(
                rempli(&a.numero_autorisation),
                "conformiteAdministrative.numeroAutorisation",
                "Numéro de l'autorisation de l'ARTCI",
            );
        }
    }
    conformite.exiger(
        c.responsables
            .iter()
            .any(|r| r.type_ == crate::models::enums::TypeResponsableLegal::RepresentantLegal),
        "responsables",
        "Un représentant légal",
    );

    let mut registre = Releve::new(Partie::Registre);
    registre.exiger(
        c.traitements_actifs().next().is_some(),
        "traitements",
        "Au moins un traitement au registre",
    );
    registre.exiger(
        c.categories_actives().next().is_some(),
        "traitements.categories",
        "Au moins une catégorie de données",
    );
    registre.exiger(
        c.finalites_actives().next().is_some(),
        "traitements.finalites",
        "Au moins une finalité",
    );
    for (i, t) in c.traitements.iter().enumerate() {
        if t.statut == crate::models::enums::StatutTraitement::Supprime {
            continue;
        }
        let base_legale = t.base_legale.is_some()
            || c.finalites
                .iter()
                .any(|f| f.registre_traitement_id == Some(t.id));
        registre.exiger(
            base_legale,
            format!("traitements[{i}].baseLegale"),
            format!("Base légale du traitement « {} »", t.nom),
        );
    }

    let mut sous_traitance = Releve::new(Partie::SousTraitanceTransferts);
    if c.traitements_actifs().any(|t| t.transfert_hors_ci) {
        let destination = !c.transferts.is_empty()
            || c.sous_traitants.iter().any(|s| !est_cote_d_ivoire(&s.pays));
        sous_traitance.exiger(
            destination,
            "transferts",
            "Destination des données envoyées hors de Côte d'Ivoire",
        );
    }

    let requises = pieces::requises(c);
    let manquantes = pieces::manquantes(&requises, documents);
    for t in requises {
        let releve = if matches!(
            t,
            TypeDocument::DpoCv
                | TypeDocument::DpoCasierJudiciaire
                | TypeDocument::DpoCni
                | TypeDocument::DpoExtraitNaissance
        ) {
            &mut conformite
        } else {
            &mut identification
        };
        let libelle = t.libelle();
        let mut lettres = libelle.chars();
        let libelle: String = lettres
            .next()
            .map(|p| p.to_uppercase().chain(lettres).collect())
            .unwrap_or_default();
        releve.exiger(
            !manquantes.contains(&t),
            format!("documents.{}", t.label()),
            libelle,
        );
    }

    let mut securite = Releve::new(Partie::Securite);
    securite.exiger(
        c.securite.is_some(),
        "securite",
        "Questionnaire de sécurité",
    );
    securite.exiger(
        !c.mesures.is_empty(),
        "mesuresSecurite",
        "Au moins une mesure de sécurité",
    );

    Progression {
        parties: vec![
            identification.fin(),
            conformite.fin(),
            registre.fin(),
            sous_traitance.fin(),
            securite.fin(),
        ],
    }
}
