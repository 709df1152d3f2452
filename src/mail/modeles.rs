//! The texts of the mails: French, plain text, every one signed by ARTCI. A code or a
//! temporary password stands alone on its line, so that it is easy to read and to copy.

pub mod apres_agrement;
pub mod decisions;
pub mod delais;
pub mod echeances;
pub mod rapports;
pub mod renouvellements;
pub mod verification;

use chrono::{Datelike, NaiveDate};

use super::Courriel;
use crate::domain::otp;
use crate::models::enums::{MotifRejetInscription, TypeFormalite};

/// The signature of every mail.
pub const SIGNATURE: &str = "Autorité de Régulation des Télécommunications/TIC de Côte d'Ivoire \
                             (ARTCI) — Registre des traitements de données à caractère personnel";

const REGISTRE: &str = "le Registre des traitements de données à caractère personnel";

/// The subject and body of `courriel`.
pub fn rendre(courriel: &Courriel) -> (String, String) {
    // The life of a code, as the OTP policy fixes it.
    let validite_code = format!("{} minutes", otp::DUREE_DE_VIE.num_minutes());
    let (sujet, texte) = match courriel {
        Courriel::OtpInscription { code } => (
            "Confirmez votre adresse e-mail".to_owned(),
            format!(
                "Bonjour,\n\n\
                 Votre compte sur {REGISTRE} a été créé. Pour confirmer votre adresse e-mail, \
                 saisissez ce code :\n\n\
                 {code}\n\n\
                 Ce code est valable {validite_code} et ne sert qu'une fois. Si vous n'êtes pas \
                 à l'origine de cette inscription, ignorez ce message : aucun compte ne sera \
                 activé sans ce code.\n"
            ),
        ),
        Courriel::InscriptionDejaFaite => (
            "Tentative d'inscription avec votre adresse".to_owned(),
            format!(
                "Bonjour,\n\n\
                 Quelqu'un vient de demander la création d'un compte sur {REGISTRE} avec votre \
                 adresse e-mail. Cette adresse a déjà un compte : aucun nouveau compte n'a été \
                 créé et le vôtre n'a pas été modifié.\n\n\
                 Si c'était vous, connectez-vous avec votre mot de passe, ou choisissez \
                 « Mot de passe oublié » pour en définir un nouveau. Sinon, vous pouvez ignorer \
                 ce message.\n"
            ),
        ),
        Courriel::OtpConnexion { code } => (
            "Votre code de connexion".to_owned(),
            format!(
                "Bonjour,\n\n\
                 Une connexion à votre compte sur {REGISTRE} demande une vérification \
                 (nouvel appareil, nouvelle adresse ou longue absence). Pour la confirmer, \
                 saisissez ce code :\n\n\
                 {code}\n\n\
                 Ce code est valable {validite_code} et ne sert qu'une fois. Si vous n'êtes pas \
                 à l'origine de cette connexion, ne communiquez ce code à personne et changez \
                 votre mot de passe : quelqu'un d'autre le connaît.\n"
            ),
        ),
        Courriel::OtpReinitialisation { code } => (
            "Réinitialisation de votre mot de passe".to_owned(),
            format!(
                "Bonjour,\n\n\
                 La réinitialisation du mot de passe de votre compte sur {REGISTRE} a été \
                 demandée. Pour choisir un nouveau mot de passe, saisissez ce code :\n\n\
                 {code}\n\n\
                 Ce code est valable {validite_code} et ne sert qu'une fois. Si vous n'avez rien \
                 demandé, ignorez ce message : votre mot de passe reste inchangé.\n"
            ),
        ),
        Courriel::MotDePasseModifie => (
            "Votre mot de passe a été modifié".to_owned(),
            format!(
                "Bonjour,\n\n\
                 Le mot de passe de votre compte sur {REGISTRE} vient d'être modifié.\n\n\
                 Si c'était vous, vous n'avez rien à faire. Sinon, réinitialisez-le sans attendre \
                 (« Mot de passe oublié ») et signalez-le à l'ARTCI.\n"
            ),
        ),
        Courriel::EssaisSuspendus => (
            "Mots de passe erronés sur votre compte".to_owned(),
            format!(
                "Bonjour,\n\n\
                 Plusieurs mots de passe erronés ont été saisis pour votre compte sur {REGISTRE}, \
                 depuis un même poste. Les essais depuis ce poste sont suspendus quelques \
                 minutes, un peu plus longtemps après chaque nouvel échec. Vos sessions \
                 restent ouvertes et vous pouvez vous connecter depuis vos autres postes.\n\n\
                 Si c'était vous, patientez quelques minutes, ou choisissez un nouveau mot de \
                 passe avec « Mot de passe oublié » : le code reçu par e-mail lève aussitôt \
                 la suspension. Si ce n'était pas vous, vous n'avez rien à faire ; changez \
                 votre mot de passe s'il est faible ou déjà utilisé ailleurs.\n"
            ),
        ),
        Courriel::InscriptionValidee { denomination } => (
            format!("Inscription validée : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI a validé l'inscription de {denomination} sur {REGISTRE}.\n\n\
                 Vous pouvez désormais compléter et soumettre le dossier de conformité de votre \
                 entité depuis votre espace.\n"
            ),
        ),
        Courriel::InscriptionRejetee {
            denomination,
            motif,
            commentaire,
        } => {
            let commentaire = match commentaire.as_deref().map(str::trim) {
                Some(c) if !c.is_empty() => format!("\nCommentaire de l'ARTCI :\n{c}\n"),
                _ => String::new(),
            };
            (
                format!("Inscription refusée : {}", une_ligne(denomination)),
                format!(
                    "Bonjour,\n\n\
                     L'ARTCI n'a pas pu valider l'inscription de {denomination} sur {REGISTRE}.\n\n\
                     Motif : {}.\n{commentaire}\n\
                     Vous pouvez vous inscrire à nouveau avec des informations et des documents \
                     corrigés, ou contacter l'ARTCI pour toute question.\n",
                    texte_motif(*motif)
                ),
            )
        }
        Courriel::CompteAgentCree {
            prenom,
            mot_de_passe_temporaire,
        } => (
            "Votre compte agent sur le Registre DCP".to_owned(),
            format!(
                "Bonjour {prenom},\n\n\
                 Un compte d'agent de l'ARTCI a été créé pour vous sur {REGISTRE}. Votre \
                 identifiant est cette adresse e-mail ; votre mot de passe temporaire est :\n\n\
                 {mot_de_passe_temporaire}\n\n\
                 Vous devrez le remplacer par un mot de passe de votre choix à votre première \
                 connexion.\n"
            ),
        ),
        Courriel::MotDePasseExpireBientot { jours, date } => {
            let echeance = match *jours {
                j if j <= 0 => "aujourd'hui".to_owned(),
                1 => "demain".to_owned(),
                j => format!("dans {j} jours"),
            };
            (
                format!("Votre mot de passe expire {echeance}"),
                format!(
                    "Bonjour,\n\n\
                     Le mot de passe de votre compte sur {REGISTRE} expire le {} ({echeance}).\n\n\
                     Changez-le avant cette date depuis votre espace. Passé ce délai, votre \
                     prochaine connexion ne permettra que de le changer.\n",
                    date_en_toutes_lettres(*date)
                ),
            )
        }
        Courriel::RapprochementApprouve {
            denomination,
            commentaire,
        } => {
            let commentaire = match commentaire.as_deref().map(str::trim) {
                Some(c) if !c.is_empty() => format!("\nCommentaire de l'ARTCI :\n{c}\n"),
                _ => String::new(),
            };
            (
                format!("Rapprochement accepté : {}", une_ligne(denomination)),
                format!(
                    "Bonjour,\n\n\
                     L'ARTCI a accepté votre demande de rapprochement : l'entité {denomination}, \
                     enregistrée par l'ARTCI sur {REGISTRE}, est désormais rattachée à votre \
                     compte.\n{commentaire}\n\
                     Vous la retrouvez dans votre espace, parmi vos entités : vous pouvez \
                     compléter son dossier de conformité puis le soumettre.\n"
                ),
            )
        }
        Courriel::DossierSoumis {
            denomination,
            type_formalite,
            date_limite_decision,
        } => (
            format!("Dossier soumis : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 Le dossier de conformité de {denomination} a bien été soumis à l'ARTCI sur \
                 {REGISTRE}.\n\n\
                 Formalité applicable : {}.\n\
                 L'ARTCI se prononce au plus tard le {} (délai d'un mois, prorogeable une fois).\n\n\
                 Le dossier est en lecture seule pendant son instruction. Tant qu'il n'est pas \
                 attribué à un agent, vous pouvez le retirer pour le modifier.\n",
                texte_formalite(*type_formalite),
                date_en_toutes_lettres(*date_limite_decision)
            ),
        ),
        Courriel::DossierRetire { denomination } => (
            format!("Dossier retiré : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 Vous avez retiré la soumission du dossier de conformité de {denomination} sur \
                 {REGISTRE}. Il est de nouveau votre brouillon : vous pouvez le modifier puis le \
                 soumettre à nouveau.\n"
            ),
        ),
        Courriel::RapprochementRejete {
            denomination,
            commentaire,
        } => (
            format!("Rapprochement refusé : {}", une_ligne(denomination)),
            format!(
                "Bonjour,\n\n\
                 L'ARTCI n'a pas accepté votre demande de rapprochement de l'entité \
                 {denomination} sur {REGISTRE}.\n\n\
                 Motif :\n{}\n\n\
                 Pour toute question, contactez l'ARTCI.\n",
                commentaire.trim()
            ),
        ),
        Courriel::Verification(v) => verification::rendre(v),
        Courriel::Decision(d) => decisions::rendre(d),
        Courriel::ApresAgrement(a) => apres_agrement::rendre(a),
        Courriel::Echeance(e) => echeances::rendre(e),
        Courriel::Renouvellement(r) => renouvellements::rendre(r),
        Courriel::Rapport(r) => rapports::rendre(r),
        Courriel::Delai(d) => delais::rendre(d),
    };
    (sujet, format!("{texte}\n-- \n{SIGNATURE}\n"))
}

/// The formality, in words.
pub fn texte_formalite(formalite: TypeFormalite) -> &'static str {
    match formalite {
        TypeFormalite::DeclarationPrealable => "déclaration préalable",
        TypeFormalite::AutorisationPrealable => "autorisation préalable",
        TypeFormalite::Dispense => "dispense de formalité",
    }
}

/// The reason of a rejected sign-up, in words.
pub fn texte_motif(motif: MotifRejetInscription) -> &'static str {
    match motif {
        MotifRejetInscription::EntrepriseInexistante => "l'entreprise n'a pas pu être identifiée",
        MotifRejetInscription::RlNonAuthentique => {
            "l'identité du représentant légal n'a pas pu être authentifiée"
        }
        MotifRejetInscription::DemandeurNonMandate => {
            "le demandeur n'a pas justifié d'un mandat pour représenter l'entreprise"
        }
        MotifRejetInscription::DocumentsInvalides => {
            "les documents fournis ne sont pas valides ou sont incomplets"
        }
        MotifRejetInscription::Autre => "autre motif",
    }
}

/// `15 décembre 2026`.
fn date_en_toutes_lettres(date: NaiveDate) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let jour = match date.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{jour} {} {}", MOIS[date.month0() as usize], date.year())
}

/// A value fit for a subject: one line, without control characters.
fn une_ligne(texte: &str) -> String {
    texte
        .split(char::is_control)
        .filter(|s| !s.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tous() -> Vec<Courriel> {
        vec![
            Courriel::OtpInscription {
                code: "123456".into(),
            },
            Courriel::InscriptionDejaFaite,
            Courriel::OtpConnexion {
                code: "234567".into(),
            },
            Courriel::OtpReinitialisation {
                code: "345678".into(),
            },
            Courriel::MotDePasseModifie,
            Courriel::EssaisSuspendus,
            Courriel::InscriptionValidee {
                denomination: "Orange Côte d'Ivoire".into(),
            },
            Courriel::InscriptionRejetee {
                denomination: "Société Ivoirienne de Test".into(),
                motif: MotifRejetInscription::DocumentsInvalides,
                commentaire: Some("Le RCCM est illisible.".into()),
            },
            Courriel::CompteAgentCree {
                prenom: "Awa".into(),
                mot_de_passe_temporaire: "Tmp#2026-abcd".into(),
            },
            Courriel::MotDePasseExpireBientot {
                jours: 7,
                date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            },
            Courriel::RapprochementApprouve {
                denomination: "Clinique du Plateau".into(),
                commentaire: None,
            },
            Courriel::RapprochementRejete {
                denomination: "Clinique du Plateau".into(),
                commentaire: "Le mandat fourni n'est pas signé.".into(),
            },
            Courriel::DossierSoumis {
                denomination: "Clinique du Plateau".into(),
                type_formalite: TypeFormalite::AutorisationPrealable,
                date_limite_decision: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
            },
            Courriel::DossierRetire {
                denomination: "Clinique du Plateau".into(),
            },
        ]
    }

    fn lignes(corps: &str) -> Vec<&str> {
        corps.lines().collect()
    }

    #[test]
    fn chaque_modele_a_un_sujet_un_corps_et_la_signature() {
        let mut noms = std::collections::HashSet::new();
        for courriel in tous() {
            let (sujet, corps) = courriel.rendre();
            assert!(!sujet.trim().is_empty(), "{courriel:?} sans sujet");
            assert!(
                !sujet.contains('\n'),
                "{courriel:?} : sujet sur plusieurs lignes"
            );
            assert!(corps.starts_with("Bonjour"), "{courriel:?} : {corps}");
            assert!(
                corps.ends_with(&format!("\n-- \n{SIGNATURE}\n")),
                "{courriel:?} : {corps}"
            );
            assert!(noms.insert(courriel.modele()), "modèle en double");
        }
        assert!(SIGNATURE.starts_with(
            "Autorité de Régulation des Télécommunications/TIC de Côte d'Ivoire (ARTCI) — "
        ));
        assert!(SIGNATURE.ends_with("Registre des traitements de données à caractère personnel"));
    }

    #[test]
    fn le_code_est_seul_sur_sa_ligne() {
        for (courriel, code) in [
            (
                Courriel::OtpInscription {
                    code: "012345".into(),
                },
                "012345",
            ),
            (
                Courriel::OtpConnexion {
                    code: "987654".into(),
                },
                "987654",
            ),
            (
                Courriel::OtpReinitialisation {
                    code: "555000".into(),
                },
                "555000",
            ),
        ] {
            let (_, corps) = courriel.rendre();
            assert_eq!(
                lignes(&corps).iter().filter(|l| **l == code).count(),
                1,
                "{corps}"
            );
            assert_eq!(corps.matches(code).count(), 1, "{corps}");
            assert!(corps.contains("valable 10 minutes"), "{corps}");
        }
    }

    #[test]
    fn le_mot_de_passe_temporaire_est_seul_sur_sa_ligne() {
        let (_, corps) = Courriel::CompteAgentCree {
            prenom: "Awa".into(),
            mot_de_passe_temporaire: "Tmp#2026-abcd".into(),
        }
        .rendre();
        assert!(corps.starts_with("Bonjour Awa,"));
        assert!(lignes(&corps).contains(&"Tmp#2026-abcd"), "{corps}");
    }

    #[test]
    fn chaque_motif_de_rejet_est_explique_en_mots() {
        assert_eq!(
            texte_motif(MotifRejetInscription::EntrepriseInexistante),
            "l'entreprise n'a pas pu être identifiée"
        );
        for motif in MotifRejetInscription::ALL {
            let texte = texte_motif(*motif);
            assert!(!texte.contains('_'), "{texte}");
            let (sujet, corps) = Courriel::InscriptionRejetee {
                denomination: "ACME CI".into(),
                motif: *motif,
                commentaire: None,
            }
            .rendre();
            assert_eq!(sujet, "Inscription refusée : ACME CI");
            assert!(corps.contains(&format!("Motif : {texte}.")), "{corps}");
            // No database label shows through (`autre` is also a French word).
            assert!(
                !motif.label().contains('_') || !corps.contains(motif.label()),
                "{corps}"
            );
            assert!(!corps.contains("Commentaire"), "{corps}");
        }
    }

    #[test]
    fn le_commentaire_du_rejet_suit_le_motif() {
        let (_, corps) = Courriel::InscriptionRejetee {
            denomination: "ACME CI".into(),
            motif: MotifRejetInscription::Autre,
            commentaire: Some("  Merci de joindre le mandat signé.  ".into()),
        }
        .rendre();
        assert!(
            corps.contains(
                "Motif : autre motif.\n\nCommentaire de l'ARTCI :\nMerci de joindre le mandat signé.\n"
            ),
            "{corps}"
        );
    }

    #[test]
    fn la_denomination_ne_casse_pas_le_sujet() {
        let (sujet, _) = Courriel::InscriptionValidee {
            denomination: "ACME\r\nBcc: x@example.com".into(),
        }
        .rendre();
        assert_eq!(sujet, "Inscription validée : ACME Bcc: x@example.com");
    }

    #[test]
    fn le_rejet_d_un_rapprochement_donne_son_motif() {
        let (sujet, corps) = Courriel::RapprochementRejete {
            denomination: "Clinique du Plateau".into(),
            commentaire: "  Le mandat fourni n'est pas signé. ".into(),
        }
        .rendre();
        assert_eq!(sujet, "Rapprochement refusé : Clinique du Plateau");
        assert!(
            corps.contains("Motif :\nLe mandat fourni n'est pas signé.\n"),
            "{corps}"
        );
        let (sujet, corps) = Courriel::RapprochementApprouve {
            denomination: "Clinique du Plateau".into(),
            commentaire: None,
        }
        .rendre();
        assert_eq!(sujet, "Rapprochement accepté : Clinique du Plateau");
        assert!(!corps.contains("Commentaire"), "{corps}");
    }

    #[test]
    fn l_expiration_donne_la_date_en_francais() {
        let date = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        let (sujet, corps) = Courriel::MotDePasseExpireBientot { jours: 15, date }.rendre();
        assert_eq!(sujet, "Votre mot de passe expire dans 15 jours");
        assert!(
            corps.contains("expire le 1er août 2026 (dans 15 jours)"),
            "{corps}"
        );
        let (sujet, _) = Courriel::MotDePasseExpireBientot { jours: 1, date }.rendre();
        assert_eq!(sujet, "Votre mot de passe expire demain");
        let (sujet, _) = Courriel::MotDePasseExpireBientot { jours: 0, date }.rendre();
        assert_eq!(sujet, "Votre mot de passe expire aujourd'hui");
    }

    #[test]
    fn le_debug_ne_montre_aucun_secret() {
        let courriel = Courriel::CompteAgentCree {
            prenom: "Awa".into(),
            mot_de_passe_temporaire: "Tmp#2026-abcd".into(),
        };
        assert_eq!(format!("{courriel:?}"), "Courriel(compte_agent_cree)");
        let courriel = Courriel::OtpConnexion {
            code: "987654".into(),
        };
        assert!(!format!("{courriel:?}").contains("987654"));
    }
}
