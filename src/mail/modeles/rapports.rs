//! The mails of the correspondant's annual activity report, all to the company: its receipt,
//! ARTCI's review (accepted, to correct), the reminders before 31 March and the late notice.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// An activity report's mail (see `Courriel::Rapport`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielRapport {
    /// ARTCI received the report on `annee`.
    Recu { denomination: String, annee: i32 },
    /// ARTCI accepted the report on `annee`.
    Accepte {
        denomination: String,
        annee: i32,
        commentaire: Option<String>,
    },
    /// ARTCI asks for a corrected report on `annee`.
    ACorriger {
        denomination: String,
        annee: i32,
        commentaire: String,
    },
    /// The report on `annee` is due on `date_limite` and not yet filed.
    Rappel {
        denomination: String,
        annee: i32,
        date_limite: NaiveDate,
    },
    /// The report on `annee` was due on `date_limite` and is missing.
    Retard {
        denomination: String,
        annee: i32,
        date_limite: NaiveDate,
    },
}

impl CourrielRapport {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::Recu { .. } => "rapport_activite_recu",
            Self::Accepte { .. } => "rapport_activite_accepte",
            Self::ACorriger { .. } => "rapport_activite_a_corriger",
            Self::Rappel { .. } => "rapport_activite_rappel",
            Self::Retard { .. } => "rapport_activite_retard",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielRapport) -> (String, String) {
    match courriel {
        CourrielRapport::Recu {
            denomination,
            annee,
        } => (
            format!(
                "Rapport d'activité {annee} reçu : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a reçu le rapport annuel d'activité {annee} du correspondant de \
                 {denomination} sur {REGISTRE}. Il sera examiné ; vous serez informé de la \
                 suite par e-mail.\n"
            ),
        ),
        CourrielRapport::Accepte {
            denomination,
            annee,
            commentaire,
        } => (
            format!(
                "Rapport d'activité {annee} accepté : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a accepté le rapport annuel d'activité {annee} de {denomination} sur \
                 {REGISTRE}. L'obligation de l'année est remplie.\n{}",
                commentaire
                    .as_deref()
                    .map(|c| format!("\nCommentaire de l'ARTCI :\n{}\n", c.trim()))
                    .unwrap_or_default()
            ),
        ),
        CourrielRapport::ACorriger {
            denomination,
            annee,
            commentaire,
        } => (
            format!(
                "Rapport d'activité {annee} à corriger : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI demande une version corrigée du rapport annuel d'activité {annee} de \
                 {denomination} sur {REGISTRE}.\n\n\
                 Commentaire de l'ARTCI :\n{}\n\n\
                 Déposez le rapport corrigé depuis votre espace.\n",
                commentaire.trim()
            ),
        ),
        CourrielRapport::Rappel {
            denomination,
            annee,
            date_limite,
        } => (
            format!(
                "Rappel : rapport d'activité {annee} attendu ({})",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 Le correspondant à la protection des données de {denomination} doit remettre \
                 à l'ARTCI son rapport annuel d'activité {annee} au plus tard le {} \
                 (loi n° 2013-450, art. 41 et 42). Nous ne l'avons pas encore reçu.\n\n\
                 Déposez-le depuis votre espace sur {REGISTRE}.\n",
                date_en_toutes_lettres(*date_limite)
            ),
        ),
        CourrielRapport::Retard {
            denomination,
            annee,
            date_limite,
        } => (
            format!(
                "Rapport d'activité {annee} en retard : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 Le rapport annuel d'activité {annee} du correspondant de {denomination} était \
                 attendu au plus tard le {}. L'ARTCI ne l'a pas reçu.\n\n\
                 Déposez-le sans attendre depuis votre espace sur {REGISTRE}.\n",
                date_en_toutes_lettres(*date_limite)
            ),
        ),
    }
}
