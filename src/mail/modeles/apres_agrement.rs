//! The mails of an approved dossier's life, all to the company: a certificate issued (with
//! the address of its public check), an amendment received, approved, rejected or
//! withdrawn.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// A mail of an approved dossier's life (see `Courriel::ApresAgrement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielApresAgrement {
    /// A certificate (receipt, authorisation or exemption) was issued for version `version`.
    CertificatEmis {
        denomination: String,
        titre: &'static str,
        numero: String,
        version: i32,
        date_expiration: NaiveDate,
        adresse_verification: String,
    },
    /// The company's amendment was submitted: ARTCI verifies it; version `version_en_vigueur`
    /// stays in force meanwhile.
    ModificationRecue {
        denomination: String,
        numero: String,
        version_en_vigueur: i32,
    },
    /// ARTCI approved the amendment: version `version` is in force.
    ModificationApprouvee {
        denomination: String,
        numero: String,
        version: i32,
    },
    /// ARTCI rejected the amendment, with its reason: version `version_en_vigueur` stays.
    ModificationRejetee {
        denomination: String,
        motif: String,
        version_en_vigueur: i32,
    },
    /// The amendment was withdrawn (by the company, or by the approval's end).
    ModificationAnnulee {
        denomination: String,
        version_en_vigueur: i32,
    },
}

impl CourrielApresAgrement {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::CertificatEmis { .. } => "certificat_emis",
            Self::ModificationRecue { .. } => "modification_recue",
            Self::ModificationApprouvee { .. } => "modification_approuvee",
            Self::ModificationRejetee { .. } => "modification_rejetee",
            Self::ModificationAnnulee { .. } => "modification_annulee",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielApresAgrement) -> (String, String) {
    match courriel {
        CourrielApresAgrement::CertificatEmis {
            denomination,
            titre,
            numero,
            version,
            date_expiration,
            adresse_verification,
        } => (
            format!("{titre} disponible : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a délivré le document « {titre} » n° {numero} (version {version}) \
                 pour {denomination} sur {REGISTRE}. Il est valable jusqu'au {}.\n\n\
                 Téléchargez-le depuis votre espace. Toute personne peut en vérifier \
                 l'authenticité à cette adresse, que reprend le code QR du document :\n\n\
                 {adresse_verification}\n",
                date_en_toutes_lettres(*date_expiration)
            ),
        ),
        CourrielApresAgrement::ModificationRecue {
            denomination,
            numero,
            version_en_vigueur,
        } => (
            format!("Modification reçue : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a reçu la déclaration modificative du dossier de {denomination} \
                 (n° {numero}) sur {REGISTRE}. Elle sera vérifiée comme une première \
                 demande.\n\n\
                 En attendant la décision, la version {version_en_vigueur} approuvée reste en \
                 vigueur et seule publique.\n"
            ),
        ),
        CourrielApresAgrement::ModificationApprouvee {
            denomination,
            numero,
            version,
        } => (
            format!("Modification approuvée : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a approuvé la déclaration modificative du dossier de {denomination} \
                 sur {REGISTRE}. La version {version} du dossier (n° {numero}) est désormais \
                 en vigueur ; son document officiel vous est envoyé séparément.\n"
            ),
        ),
        CourrielApresAgrement::ModificationRejetee {
            denomination,
            motif,
            version_en_vigueur,
        } => (
            format!("Modification refusée : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI n'a pas accepté la déclaration modificative du dossier de \
                 {denomination} sur {REGISTRE}.\n\n\
                 Motif :\n{}\n\n\
                 Le dossier est revenu à la version {version_en_vigueur} approuvée, qui reste \
                 en vigueur.\n",
                motif.trim()
            ),
        ),
        CourrielApresAgrement::ModificationAnnulee {
            denomination,
            version_en_vigueur,
        } => (
            format!("Modification annulée : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 La déclaration modificative du dossier de {denomination} sur {REGISTRE} a \
                 été annulée. Le dossier est revenu à la version {version_en_vigueur} \
                 approuvée, qui reste en vigueur.\n"
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
        let denomination = || "Clinique du Plateau".to_owned();
        let tous = [
            CourrielApresAgrement::CertificatEmis {
                denomination: denomination(),
                titre: "Récépissé de déclaration",
                numero: "RCP-2026-000001".into(),
                version: 2,
                date_expiration: NaiveDate::from_ymd_opt(2028, 11, 24).unwrap(),
                adresse_verification: "https://registre.example/verification/RCP-2026-000001"
                    .into(),
            },
            CourrielApresAgrement::ModificationRecue {
                denomination: denomination(),
                numero: "RCP-2026-000001".into(),
                version_en_vigueur: 1,
            },
            CourrielApresAgrement::ModificationApprouvee {
                denomination: denomination(),
                numero: "RCP-2026-000001".into(),
                version: 2,
            },
            CourrielApresAgrement::ModificationRejetee {
                denomination: denomination(),
                motif: "Finalité imprécise.".into(),
                version_en_vigueur: 1,
            },
            CourrielApresAgrement::ModificationAnnulee {
                denomination: denomination(),
                version_en_vigueur: 1,
            },
        ];
        let mut noms = std::collections::HashSet::new();
        for c in tous {
            let courriel = Courriel::ApresAgrement(c);
            let (sujet, corps) = courriel.rendre();
            assert!(!sujet.trim().is_empty() && !sujet.contains('\n'), "{sujet}");
            assert!(corps.starts_with("Bonjour"), "{corps}");
            assert!(corps.ends_with(&format!("\n-- \n{SIGNATURE}\n")), "{corps}");
            assert!(noms.insert(courriel.modele()), "modèle en double");
        }
    }

    #[test]
    fn le_certificat_donne_l_adresse_de_verification_seule_sur_sa_ligne() {
        let (_, corps) = rendre(&CourrielApresAgrement::CertificatEmis {
            denomination: "Clinique du Plateau".into(),
            titre: "Autorisation de traitement",
            numero: "AUT-2026-000003".into(),
            version: 1,
            date_expiration: NaiveDate::from_ymd_opt(2028, 11, 24).unwrap(),
            adresse_verification: "https://registre.example/verification/AUT-2026-000003".into(),
        });
        assert!(
            corps.contains("\n\nhttps://registre.example/verification/AUT-2026-000003\n"),
            "{corps}"
        );
        assert!(corps.contains("jusqu'au 24 novembre 2028"), "{corps}");
    }
}
