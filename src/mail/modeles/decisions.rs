//! The mails of ARTCI's decisions on a compliant dossier, all to the company: validated
//! (with the number issued), published on the public map, and sent back to the form by a
//! super_admin (with the reason).

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};
use crate::models::enums::TypeFormalite;

/// A decision's mail (see `Courriel::Decision`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielDecision {
    /// The dossier is validated: the receipt or authorisation `numero`, valid until
    /// `date_expiration`.
    DossierValide {
        denomination: String,
        type_formalite: TypeFormalite,
        numero: String,
        date_expiration: NaiveDate,
    },
    /// The entity appears on the public map and registry.
    DossierPublie { denomination: String },
    /// A super_admin sent the dossier back to the form, with the reason.
    RetourFormulaire { denomination: String, motif: String },
}

impl CourrielDecision {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::DossierValide { .. } => "dossier_valide",
            Self::DossierPublie { .. } => "dossier_publie",
            Self::RetourFormulaire { .. } => "retour_formulaire",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielDecision) -> (String, String) {
    match courriel {
        CourrielDecision::DossierValide {
            denomination,
            type_formalite,
            numero,
            date_expiration,
        } => {
            let titre = match type_formalite {
                TypeFormalite::AutorisationPrealable => "Numéro d'autorisation",
                TypeFormalite::DeclarationPrealable | TypeFormalite::Dispense => {
                    "Numéro de récépissé"
                }
            };
            (
                format!("Dossier validé : {}", une_ligne(denomination)),
                format!(
                    "Bonjour,\n\n\
                     L'ARTCI a validé le dossier de conformité de {denomination} sur \
                     {REGISTRE}.\n\n\
                     {titre} :\n\n\
                     {numero}\n\n\
                     Cet agrément est valable jusqu'au {} ; pensez à demander son \
                     renouvellement avant cette date.\n",
                    date_en_toutes_lettres(*date_expiration)
                ),
            )
        }
        CourrielDecision::DossierPublie { denomination } => (
            format!("Dossier publié : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 {denomination} figure désormais sur la carte et dans le registre publics de \
                 {REGISTRE}, parmi les entités conformes.\n"
            ),
        ),
        CourrielDecision::RetourFormulaire {
            denomination,
            motif,
        } => (
            format!("Dossier à reprendre : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI vous renvoie le dossier de conformité de {denomination} sur \
                 {REGISTRE} pour qu'il soit repris.\n\n\
                 Motif :\n{}\n\n\
                 Complétez le dossier depuis votre espace puis soumettez-le à nouveau. Tant \
                 qu'il n'est pas de nouveau validé, l'entité n'apparaît plus sur la carte \
                 publique.\n",
                motif.trim()
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
        let tous = [
            CourrielDecision::DossierValide {
                denomination: "Clinique du Plateau".into(),
                type_formalite: TypeFormalite::AutorisationPrealable,
                numero: "AUT-2026-000001".into(),
                date_expiration: NaiveDate::from_ymd_opt(2028, 11, 24).unwrap(),
            },
            CourrielDecision::DossierPublie {
                denomination: "Clinique du Plateau".into(),
            },
            CourrielDecision::RetourFormulaire {
                denomination: "Clinique du Plateau".into(),
                motif: " Pièces illisibles. ".into(),
            },
        ];
        let mut noms = std::collections::HashSet::new();
        for d in tous {
            let courriel = Courriel::Decision(d);
            let (sujet, corps) = courriel.rendre();
            assert!(!sujet.trim().is_empty() && !sujet.contains('\n'), "{sujet}");
            assert!(corps.starts_with("Bonjour"), "{corps}");
            assert!(corps.ends_with(&format!("\n-- \n{SIGNATURE}\n")), "{corps}");
            assert!(noms.insert(courriel.modele()), "modèle en double");
        }
    }

    #[test]
    fn la_validation_donne_le_numero_seul_sur_sa_ligne_et_l_echeance() {
        let (_, corps) = rendre(&CourrielDecision::DossierValide {
            denomination: "Clinique du Plateau".into(),
            type_formalite: TypeFormalite::DeclarationPrealable,
            numero: "RCP-2026-000007".into(),
            date_expiration: NaiveDate::from_ymd_opt(2028, 11, 24).unwrap(),
        });
        assert!(
            corps.contains("Numéro de récépissé :\n\nRCP-2026-000007\n"),
            "{corps}"
        );
        assert!(corps.contains("jusqu'au 24 novembre 2028"), "{corps}");
    }
}
