//! The mails of a dossier's verification: to the agent (assigned, sent back by its N+1) and
//! to the company once the N+1 validated the agent's work (complements, decision). Nothing
//! here names an agent to the company: ARTCI speaks as one.

use chrono::NaiveDate;

use super::{REGISTRE, date_en_toutes_lettres, une_ligne};

/// A mail of the verification workflow (see `Courriel::Verification`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourrielVerification {
    /// To the agent: a dossier to verify by `echeance`; `apres_complements` when it comes
    /// back to the same agent after the company answered a request for complements.
    DossierAssigne {
        prenom: String,
        denomination: String,
        echeance: NaiveDate,
        apres_complements: bool,
    },
    /// To the agent: the N+1 sent the treatment back, with its comment.
    TraitementRenvoye {
        prenom: String,
        denomination: String,
        commentaire: String,
    },
    /// To the company: ARTCI asks for complements (each missing element on its line), by
    /// `delai_fourniture`.
    ComplementsDemandes {
        denomination: String,
        elements: Vec<String>,
        delai_fourniture: Option<NaiveDate>,
    },
    /// To the company: the dossier is compliant.
    DossierConforme { denomination: String },
    /// To the company: compliant subject to corrections made by `delai`.
    DossierConformeSousReserve {
        denomination: String,
        delai: NaiveDate,
    },
    /// To the company: the dossier is rejected, with the reason.
    DossierRejete { denomination: String, motif: String },
    /// To the company: ARTCI rejected one of its documents, with the reason.
    DocumentRejete {
        denomination: String,
        document: String,
        nom_fichier: String,
        motif: String,
    },
}

impl CourrielVerification {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Self::DossierAssigne { .. } => "dossier_assigne",
            Self::TraitementRenvoye { .. } => "traitement_renvoye",
            Self::ComplementsDemandes { .. } => "complements_demandes",
            Self::DossierConforme { .. } => "dossier_conforme",
            Self::DossierConformeSousReserve { .. } => "dossier_conforme_sous_reserve",
            Self::DossierRejete { .. } => "dossier_rejete",
            Self::DocumentRejete { .. } => "document_rejete",
        }
    }
}

/// The subject and the text (without the signature) of `courriel`.
pub fn rendre(courriel: &CourrielVerification) -> (String, String) {
    match courriel {
        CourrielVerification::DossierAssigne {
            prenom,
            denomination,
            echeance,
            apres_complements,
        } => {
            let contexte = if *apres_complements {
                format!(
                    "L'entreprise a fourni les compléments demandés : le dossier de conformité \
                     de {denomination} vous revient pour une nouvelle vérification."
                )
            } else {
                format!("Le dossier de conformité de {denomination} vous a été attribué.")
            };
            (
                format!("Dossier à vérifier : {}", une_ligne(denomination)),
                format!(
                    "Bonjour {prenom},\n\n\
                     {contexte}\n\n\
                     Échéance : {}.\n\n\
                     Vous le retrouvez dans votre panier sur {REGISTRE}.\n",
                    date_en_toutes_lettres(*echeance)
                ),
            )
        }
        CourrielVerification::TraitementRenvoye {
            prenom,
            denomination,
            commentaire,
        } => (
            format!("Traitement à reprendre : {}", une_ligne(denomination)),
            format!(
                "Bonjour {prenom},\n\n\
                 Votre traitement du dossier de {denomination} vous a été renvoyé par votre \
                 supérieur, avec ce commentaire :\n\n{}\n\n\
                 Reprenez-le depuis votre panier sur {REGISTRE}.\n",
                commentaire.trim()
            ),
        ),
        CourrielVerification::ComplementsDemandes {
            denomination,
            elements,
            delai_fourniture,
        } => {
            let liste = if elements.is_empty() {
                String::new()
            } else {
                let lignes: Vec<String> = elements.iter().map(|e| format!("- {e}")).collect();
                format!("\nÉléments attendus :\n{}\n", lignes.join("\n"))
            };
            let delai = match delai_fourniture {
                Some(d) => format!(
                    "\nMerci de les fournir au plus tard le {}.\n",
                    date_en_toutes_lettres(*d)
                ),
                None => String::new(),
            };
            (
                format!("Compléments demandés : {}", une_ligne(denomination)),
                format!(
                    "Bonjour,\n\n\
                     L'ARTCI a examiné le dossier de conformité de {denomination} sur \
                     {REGISTRE} et vous demande des compléments.\n{liste}{delai}\n\
                     Le détail de ses observations vous attend dans votre espace : complétez \
                     le dossier puis soumettez-le à nouveau.\n"
                ),
            )
        }
        CourrielVerification::DossierConforme { denomination } => (
            format!("Dossier conforme : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a examiné le dossier de conformité de {denomination} sur {REGISTRE} \
                 et l'a déclaré conforme.\n\n\
                 Ses observations éventuelles vous attendent dans votre espace.\n"
            ),
        ),
        CourrielVerification::DossierConformeSousReserve {
            denomination,
            delai,
        } => (
            format!(
                "Dossier conforme sous réserve : {}",
                une_ligne(denomination)
            ),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a examiné le dossier de conformité de {denomination} sur {REGISTRE} \
                 et l'a déclaré conforme sous réserve.\n\n\
                 Les points à corriger vous attendent dans votre espace. Vous avez jusqu'au {} \
                 pour vous mettre en conformité ; passé ce délai, le dossier sera rejeté.\n",
                date_en_toutes_lettres(*delai)
            ),
        ),
        CourrielVerification::DossierRejete {
            denomination,
            motif,
        } => (
            format!("Dossier rejeté : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a rejeté le dossier de conformité de {denomination} sur {REGISTRE}.\n\n\
                 Motif :\n{}\n\n\
                 Vous pouvez déposer une nouvelle demande pour cette entité depuis votre \
                 espace.\n",
                motif.trim()
            ),
        ),
        CourrielVerification::DocumentRejete {
            denomination,
            document,
            nom_fichier,
            motif,
        } => (
            format!("Document à remplacer : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI n'a pas accepté un document du dossier de {denomination} sur \
                 {REGISTRE} : {document} ({}).\n\n\
                 Motif :\n{}\n\n\
                 Remplacez-le depuis votre espace.\n",
                une_ligne(nom_fichier),
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

    fn jour(m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, j).unwrap()
    }

    fn tous() -> Vec<CourrielVerification> {
        vec![
            CourrielVerification::DossierAssigne {
                prenom: "Awa".into(),
                denomination: "Clinique du Plateau".into(),
                echeance: jour(12, 1),
                apres_complements: false,
            },
            CourrielVerification::TraitementRenvoye {
                prenom: "Awa".into(),
                denomination: "Clinique du Plateau".into(),
                commentaire: "Précisez la base légale.".into(),
            },
            CourrielVerification::ComplementsDemandes {
                denomination: "Clinique du Plateau".into(),
                elements: vec!["Registre : liste des traitements".into()],
                delai_fourniture: Some(jour(12, 15)),
            },
            CourrielVerification::DossierConforme {
                denomination: "Clinique du Plateau".into(),
            },
            CourrielVerification::DossierConformeSousReserve {
                denomination: "Clinique du Plateau".into(),
                delai: jour(12, 31),
            },
            CourrielVerification::DossierRejete {
                denomination: "Clinique du Plateau".into(),
                motif: "Traitement illicite.".into(),
            },
            CourrielVerification::DocumentRejete {
                denomination: "Clinique du Plateau".into(),
                document: "statuts".into(),
                nom_fichier: "statuts.pdf".into(),
                motif: "Copie illisible.".into(),
            },
        ]
    }

    #[test]
    fn chaque_modele_a_un_sujet_un_corps_et_la_signature() {
        let mut noms = std::collections::HashSet::new();
        for v in tous() {
            let courriel = Courriel::Verification(v);
            let (sujet, corps) = courriel.rendre();
            assert!(!sujet.trim().is_empty() && !sujet.contains('\n'), "{sujet}");
            assert!(corps.starts_with("Bonjour"), "{corps}");
            assert!(corps.ends_with(&format!("\n-- \n{SIGNATURE}\n")), "{corps}");
            assert!(noms.insert(courriel.modele()), "modèle en double");
        }
    }

    #[test]
    fn les_courriels_a_l_entreprise_donnent_le_motif_et_les_delais() {
        let (sujet, corps) = rendre(&CourrielVerification::DossierRejete {
            denomination: "Clinique du Plateau".into(),
            motif: "  Traitement illicite. ".into(),
        });
        assert_eq!(sujet, "Dossier rejeté : Clinique du Plateau");
        assert!(corps.contains("Motif :\nTraitement illicite.\n"), "{corps}");
        let (_, corps) = rendre(&CourrielVerification::ComplementsDemandes {
            denomination: "Clinique du Plateau".into(),
            elements: vec!["Sécurité : politique de sécurité".into()],
            delai_fourniture: Some(jour(12, 15)),
        });
        assert!(
            corps.contains("- Sécurité : politique de sécurité\n"),
            "{corps}"
        );
        assert!(
            corps.contains("au plus tard le 15 décembre 2026"),
            "{corps}"
        );
        let (_, corps) = rendre(&CourrielVerification::DossierConformeSousReserve {
            denomination: "Clinique du Plateau".into(),
            delai: jour(12, 31),
        });
        assert!(corps.contains("jusqu'au 31 décembre 2026"), "{corps}");
    }
}
