//! How complete a dossier is, part by part (see `domain::progression` for what is required).

use async_graphql::{Enum, SimpleObject};

use crate::domain::progression::{self, Partie};

/// Les cinq parties du formulaire, dans son ordre.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartieDossier {
    Identification,
    ConformiteAdministrative,
    Registre,
    SousTraitanceTransferts,
    Securite,
}

impl From<Partie> for PartieDossier {
    fn from(p: Partie) -> Self {
        match p {
            Partie::Identification => Self::Identification,
            Partie::ConformiteAdministrative => Self::ConformiteAdministrative,
            Partie::Registre => Self::Registre,
            Partie::SousTraitanceTransferts => Self::SousTraitanceTransferts,
            Partie::Securite => Self::Securite,
        }
    }
}

impl From<PartieDossier> for Partie {
    fn from(p: PartieDossier) -> Self {
        match p {
            PartieDossier::Identification => Self::Identification,
            PartieDossier::ConformiteAdministrative => Self::ConformiteAdministrative,
            PartieDossier::Registre => Self::Registre,
            PartieDossier::SousTraitanceTransferts => Self::SousTraitanceTransferts,
            PartieDossier::Securite => Self::Securite,
        }
    }
}

/// Un élément obligatoire encore manquant.
#[derive(SimpleObject)]
pub struct ElementManquant {
    /// Où le saisir : le champ de la mutation d'enregistrement de la partie (sans `input.`).
    pub champ: String,
    pub libelle: String,
}

/// L'avancement d'une partie : éléments obligatoires renseignés sur éléments obligatoires.
#[derive(SimpleObject)]
pub struct ProgressionPartie {
    pub partie: PartieDossier,
    pub renseignes: i32,
    pub requis: i32,
    pub complete: bool,
    pub manquants: Vec<ElementManquant>,
}

/// L'avancement du dossier ; il ne se soumet que complet.
#[derive(SimpleObject)]
pub struct Progression {
    pub complet: bool,
    pub renseignes: i32,
    pub requis: i32,
    /// De 0 à 100.
    pub pourcentage: i32,
    pub parties: Vec<ProgressionPartie>,
}

fn entier(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<progression::Progression> for Progression {
    fn from(p: progression::Progression) -> Self {
        let (renseignes, requis) = (p.renseignes(), p.requis());
        Self {
            complet: p.complete(),
            renseignes: entier(renseignes),
            requis: entier(requis),
            // Nothing required is complete.
            pourcentage: (renseignes * 100).checked_div(requis).map_or(100, entier),
            parties: p
                .parties
                .into_iter()
                .map(|partie| ProgressionPartie {
                    partie: partie.partie.into(),
                    renseignes: entier(partie.renseignes()),
                    requis: entier(partie.requis),
                    complete: partie.complete(),
                    manquants: partie
                        .manquants
                        .into_iter()
                        .map(|e| ElementManquant {
                            champ: e.champ,
                            libelle: e.libelle,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
