//! The mails of renewals, all to the company: the reminders 3 months and 1 month before its
//! approval ends, the receipt of its request, and ARTCI's decision on it.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// A renewal's mail (see `Courriel::Renouvellement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielRenouvellement {
    /// The approval ends on `date_expiration`, about `mois` months from now.
    Rappel {
        denomination: String,
        date_expiration: NaiveDate,
        mois: u32,
    },
    /// ARTCI received the request to renew the approval ending on `date_expiration`.
    DemandeRecue {
        denomination: String,
        date_expiration: NaiveDate,
    },
    /// The approval now runs until `nouvelle_date_expiration`.
    Approuve {
        denomination: String,
        nouvelle_date_expiration: NaiveDate,
        commentaire: Option<String>,
    },
    /// The renewal is refused; the approval still ends on `date_expiration`.
    Rejete {
        denomination: String,
        date_expiration: NaiveDate,
        commentaire: String,
    },
}

impl CourrielRenouvellement {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::Rappel { .. } => "renouvellement_rappel",
            Self::DemandeRecue { .. } => "renouvellement_demande_recue",
            Self::Approuve { .. } => "renouvellement_approuve",
            Self::Rejete { .. } => "renouvellement_rejete",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielRenouvellement) -> (String, String) {
    match courriel {
        CourrielRenouvellement::Rappel {
            denomination,
            date_expiration,
            mois,
        } => (
            format!("Renouvellement à demander : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'agrément de {denomination} sur {REGISTRE} prend fin le {} (dans {mois} \
                 mois ou moins).\n\n\
                 Pour que l'entité reste conforme et visible sur la carte publique, demandez \
                 son renouvellement depuis votre espace avant cette date. Sans renouvellement \
                 approuvé, l'agrément expirera.\n",
                date_en_toutes_lettres(*date_expiration)
            ),
        ),
        CourrielRenouvellement::DemandeRecue {
            denomination,
            date_expiration,
        } => (
            format!(
                "Demande de renouvellement reçue : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a bien reçu votre demande de renouvellement de l'agrément de \
                 {denomination} sur {REGISTRE}, qui prend fin le {}.\n\n\
                 Vous serez informé par e-mail de sa décision.\n",
                date_en_toutes_lettres(*date_expiration)
            ),
        ),
        CourrielRenouvellement::Approuve {
            denomination,
            nouvelle_date_expiration,
            commentaire,
        } => {
            let commentaire = commentaire
                .as_deref()
                .map(|c| format!("\nCommentaire de l'ARTCI :\n{}\n", c.trim()))
                .unwrap_or_default();
            (
                format!("Renouvellement accordé : {}", une_ligne(denomination)),
                format!(
                    "Bonjour,\n\n\
                     L'ARTCI a renouvelé l'agrément de {denomination} sur {REGISTRE} : il est \
                     désormais valable jusqu'au {}.\n{commentaire}",
                    date_en_toutes_lettres(*nouvelle_date_expiration)
                ),
            )
        }
        CourrielRenouvellement::Rejete {
            denomination,
            date_expiration,
            commentaire,
        } => (
            format!("Renouvellement refusé : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI n'a pas accepté la demande de renouvellement de l'agrément de \
                 {denomination} sur {REGISTRE}.\n\n\
                 Motif :\n{}\n\n\
                 L'agrément reste valable jusqu'au {}, puis expirera.\n",
                commentaire.trim(),
                date_en_toutes_lettres(*date_expiration)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::Courriel;
    use crate::mail::modeles::SIGNATURE;

    #[test]
    fn chaque_modele_a_un_sujet_un_corps_et_la_signature() {
        let fin = NaiveDate::from_ymd_opt(2028, 11, 24).unwrap();
        let tous = [
            CourrielRenouvellement::Rappel {
                denomination: "Clinique du Plateau".into(),
                date_expiration: fin,
                mois: 3,
            },
            CourrielRenouvellement::DemandeRecue {
                denomination: "Clinique du Plateau".into(),
                date_expiration: fin,
            },
            CourrielRenouvellement::Approuve {
                denomination: "Clinique du Plateau".into(),
                nouvelle_date_expiration: fin,
                commentaire: None,
            },
            CourrielRenouvellement::Rejete {
                denomination: "Clinique du Plateau".into(),
                date_expiration: fin,
                commentaire: "Pièces manquantes".into(),
            },
        ];
        for c in tous {
            let (sujet, corps) = Courriel::Renouvellement(c.clone()).rendre();
            assert!(sujet.contains("Clinique du Plateau"), "{sujet}");
            assert!(corps.contains("24 novembre 2028"), "{corps}");
            assert!(corps.ends_with(&format!("{SIGNATURE}\n")), "{corps}");
        }
    }
}
