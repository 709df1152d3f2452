//! The mails of ARTCI's decision deadline: its extension, to the company, and the alert to
//! the administrators when a dossier waits past it.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// A decision deadline's mail (see `Courriel::Delai`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielDelai {
    /// To the company: ARTCI extended its decision deadline to `date_limite`, for `motif`.
    Prolonge {
        denomination: String,
        date_limite: NaiveDate,
        motif: String,
    },
    /// To an administrator: the dossier waits past its decision deadline `date_limite`.
    Depasse {
        prenom: String,
        denomination: String,
        date_limite: NaiveDate,
    },
}

impl CourrielDelai {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::Prolonge { .. } => "delai_decision_prolonge",
            Self::Depasse { .. } => "delai_decision_depasse",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielDelai) -> (String, String) {
    match courriel {
        CourrielDelai::Prolonge {
            denomination,
            date_limite,
            motif,
        } => (
            format!("Délai de décision prolongé : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI prolonge d'un mois le délai de décision sur le dossier de \
                 {denomination} sur {REGISTRE}. La décision interviendra au plus tard le {}.\n\n\
                 Motif :\n{}\n",
                date_en_toutes_lettres(*date_limite),
                motif.trim()
            ),
        ),
        CourrielDelai::Depasse {
            prenom,
            denomination,
            date_limite,
        } => (
            format!("Délai de décision dépassé : {}", une_ligne(denomination)),
            format!(
                "Bonjour {prenom},\n\n\
                 Le dossier de {denomination} attend toujours une décision de l'ARTCI alors \
                 que son délai de décision a expiré le {}.\n\n\
                 Décidez-en, ou prolongez le délai une fois (d'un mois, motif à l'appui) depuis \
                 la liste des dossiers (filtre « délai dépassé »).\n",
                date_en_toutes_lettres(*date_limite)
            ),
        ),
    }
}
