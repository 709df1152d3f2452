//! The mails of the periodic deadline job (`jobs::echeances`): to the agent when an
//! assignment's échéance nears or passes, to the company when its approval expires. A dossier
//! rejected for a missed compliance delay reuses `CourrielVerification::DossierRejete`, with
//! the standard reason.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// A mail of the deadline job (see `Courriel::Echeance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielEcheance {
    /// To the agent: the dossier is due within `jours` days (0: today).
    EcheanceProche {
        prenom: String,
        denomination: String,
        echeance: NaiveDate,
        jours: i64,
    },
    /// To the agent: the échéance passed, the assignment is now overdue.
    EcheanceDepassee {
        prenom: String,
        denomination: String,
        echeance: NaiveDate,
    },
    /// To the company: its approval ended on `date_expiration`, the entity left the map.
    AgrementExpire {
        denomination: String,
        date_expiration: NaiveDate,
    },
}

impl CourrielEcheance {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::EcheanceProche { .. } => "echeance_proche",
            Self::EcheanceDepassee { .. } => "echeance_depassee",
            Self::AgrementExpire { .. } => "agrement_expire",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielEcheance) -> (String, String) {
    match courriel {
        CourrielEcheance::EcheanceProche {
            prenom,
            denomination,
            echeance,
            jours,
        } => {
            let quand = match jours {
                0 => "aujourd'hui".to_owned(),
                1 => "demain".to_owned(),
                n => format!("dans {n} jours"),
            };
            (
                format!("Échéance proche : {}", une_ligne(denomination)),
                format!(
                    "Bonjour {prenom},\n\n\
                     La vérification du dossier de conformité de {denomination} arrive à \
                     échéance {quand}, le {}.\n\n\
                     Vous le retrouvez dans votre panier sur {REGISTRE}.\n",
                    date_en_toutes_lettres(*echeance)
                ),
            )
        }
        CourrielEcheance::EcheanceDepassee {
            prenom,
            denomination,
            echeance,
        } => (
            format!("Échéance dépassée : {}", une_ligne(denomination)),
            format!(
                "Bonjour {prenom},\n\n\
                 L'échéance de la vérification du dossier de conformité de {denomination}, \
                 fixée au {}, est dépassée : le dossier est désormais en retard.\n\n\
                 Traitez-le au plus vite depuis votre panier sur {REGISTRE}.\n",
                date_en_toutes_lettres(*echeance)
            ),
        ),
        CourrielEcheance::AgrementExpire {
            denomination,
            date_expiration,
        } => (
            format!("Agrément expiré : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'agrément de {denomination} sur {REGISTRE} a expiré le {} sans avoir été \
                 renouvelé. L'entité n'apparaît plus sur la carte publique et son dossier \
                 n'est plus conforme.\n\n\
                 Vous pouvez déposer une nouvelle demande pour cette entité depuis votre \
                 espace.\n",
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

    fn jour(m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, j).unwrap()
    }

    #[test]
    fn chaque_modele_a_un_sujet_un_corps_et_la_signature() {
        let tous = [
            CourrielEcheance::EcheanceProche {
                prenom: "Awa".into(),
                denomination: "Clinique du Plateau".into(),
                echeance: jour(12, 1),
                jours: 2,
            },
            CourrielEcheance::EcheanceDepassee {
                prenom: "Awa".into(),
                denomination: "Clinique du Plateau".into(),
                echeance: jour(12, 1),
            },
            CourrielEcheance::AgrementExpire {
                denomination: "Clinique du Plateau".into(),
                date_expiration: jour(12, 31),
            },
        ];
        let mut noms = std::collections::HashSet::new();
        for e in tous {
            let courriel = Courriel::Echeance(e);
            let (sujet, corps) = courriel.rendre();
            assert!(!sujet.trim().is_empty() && !sujet.contains('\n'), "{sujet}");
            assert!(corps.starts_with("Bonjour"), "{corps}");
            assert!(corps.ends_with(&format!("\n-- \n{SIGNATURE}\n")), "{corps}");
            assert!(noms.insert(courriel.modele()), "modèle en double");
        }
    }

    #[test]
    fn l_echeance_proche_dit_quand_en_mots() {
        let rendu = |jours| {
            rendre(&CourrielEcheance::EcheanceProche {
                prenom: "Awa".into(),
                denomination: "Clinique".into(),
                echeance: jour(12, 1),
                jours,
            })
            .1
        };
        assert!(
            rendu(0).contains("échéance aujourd'hui, le 1er décembre 2026"),
            "{}",
            rendu(0)
        );
        assert!(rendu(1).contains("échéance demain"));
        assert!(rendu(2).contains("échéance dans 2 jours"));
    }
}
