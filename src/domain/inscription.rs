//! ARTCI's vetting of company sign-ups: an admin validates or rejects an account waiting
//! with a verified e-mail. The decision, its journal line, the company's e-mail and (for a
//! rejection) the end of the account's sessions are one transaction: all or nothing.
//!
//! Choices the domain page leaves open:
//! - only an account `en_attente` **with a verified e-mail** can be decided: an address nobody
//!   has proved to own gets no decision (it is not in the vetting list either);
//! - a rejection records its reason in `motif_rejet_code` and the admin's comment in
//!   `motif_rejet`; `inscription_validee_par`/`_le` are written by a validation only (the
//!   journal says who rejected);
//! - the motif `AUTRE` needs a comment: the company must learn why.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::mail::{self, Courriel};
use crate::models::comptes_entreprises::{self, CompteEntreprise, DecisionInscription};
use crate::models::enums::{ActeurType, MotifRejetInscription, ObjetHistorique, StatutInscription};
use crate::models::historique_statuts::{self, NouvelHistorique};
use crate::models::sessions::{self, Titulaire};

/// Longest comment accepted with a rejection.
pub const COMMENTAIRE_MAX: usize = 2000;

/// What the admin decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Valider,
    Rejeter {
        motif: MotifRejetInscription,
        commentaire: Option<String>,
    },
}

impl Decision {
    /// A rejection, its comment trimmed (blank is none) and checked: at most
    /// [`COMMENTAIRE_MAX`] characters, required with the motif `AUTRE`.
    pub fn rejet(motif: MotifRejetInscription, commentaire: Option<&str>) -> AppResult<Self> {
        let commentaire = commentaire
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        match &commentaire {
            Some(c) if c.chars().count() > COMMENTAIRE_MAX => {
                return Err(AppError::bad_input(
                    "commentaire",
                    "Le commentaire ne doit pas dépasser 2000 caractères.",
                ));
            }
            None if motif == MotifRejetInscription::Autre => {
                return Err(AppError::bad_input(
                    "commentaire",
                    "Précisez le motif du rejet dans le commentaire.",
                ));
            }
            _ => {}
        }
        Ok(Self::Rejeter { motif, commentaire })
    }

    fn statut(&self) -> StatutInscription {
        match self {
            Decision::Valider => StatutInscription::Approuvee,
            Decision::Rejeter { .. } => StatutInscription::Rejetee,
        }
    }
}

/// Whether `compte` may be decided now.
pub fn verifier_decidable(compte: &CompteEntreprise) -> AppResult<()> {
    if compte.statut_inscription != StatutInscription::EnAttente {
        return Err(AppError::conflict("Cette inscription a déjà été traitée."));
    }
    if !compte.email_verifie {
        return Err(AppError::conflict(
            "L'adresse e-mail de ce compte n'est pas encore vérifiée : l'inscription ne peut pas \
             encore être examinée.",
        ));
    }
    Ok(())
}

/// Applies `decision` to the account `compte_id` on behalf of the admin `admin_id`, at `now`.
/// Unknown account: `NOT_FOUND`; already decided or not verified: `CONFLICT`.
pub async fn decider(
    conn: &mut AsyncPgConnection,
    compte_id: Uuid,
    admin_id: Uuid,
    decision: Decision,
    now: DateTime<Utc>,
) -> AppResult<CompteEntreprise> {
    conn.transaction(async |conn| {
        // The row lock makes two concurrent decisions queue: the second sees the first.
        let compte = comptes_entreprises::find_by_id_for_update(conn, compte_id)
            .await?
            .ok_or_else(|| AppError::not_found("Compte"))?;
        verifier_decidable(&compte)?;

        let nouveau_statut = decision.statut();
        let changement = match &decision {
            Decision::Valider => DecisionInscription {
                statut_inscription: nouveau_statut,
                motif_rejet_code: None,
                motif_rejet: None,
                inscription_validee_par: Some(admin_id),
                inscription_validee_le: Some(now),
            },
            Decision::Rejeter { motif, commentaire } => DecisionInscription {
                statut_inscription: nouveau_statut,
                motif_rejet_code: Some(*motif),
                motif_rejet: commentaire.clone(),
                inscription_validee_par: None,
                inscription_validee_le: None,
            },
        };
        let compte = comptes_entreprises::record_decision(conn, compte_id, &changement).await?;

        historique_statuts::append(
            conn,
            &NouvelHistorique {
                entite_id: None,
                compte_entreprise_id: Some(compte_id),
                objet: ObjetHistorique::Inscription,
                objet_id: None,
                ancien_statut: Some(StatutInscription::EnAttente.label().to_owned()),
                nouveau_statut: nouveau_statut.label().to_owned(),
                acteur_type: ActeurType::Utilisateur,
                acteur_user_id: Some(admin_id),
                acteur_compte_id: None,
                commentaire: match &decision {
                    Decision::Valider => None,
                    Decision::Rejeter { motif, commentaire } => Some(match commentaire {
                        Some(c) => format!("{motif} : {c}"),
                        None => motif.label().to_owned(),
                    }),
                },
                created_at: now,
            },
        )
        .await?;

        let courriel = match decision {
            Decision::Valider => Courriel::InscriptionValidee {
                denomination: compte.denomination.clone(),
            },
            Decision::Rejeter { motif, commentaire } => {
                // A rejected account cannot log in: its open sessions end now.
                sessions::revoke_all(
                    conn,
                    Titulaire::Compte(compte_id),
                    None,
                    "inscription_rejetee",
                    now,
                )
                .await?;
                Courriel::InscriptionRejetee {
                    denomination: compte.denomination.clone(),
                    motif,
                    commentaire,
                }
            }
        };
        mail::mettre_en_file(conn, &compte.email, &courriel, now).await?;
        Ok(compte)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_motif_autre_exige_un_commentaire() {
        let err = Decision::rejet(MotifRejetInscription::Autre, Some("   ")).unwrap_err();
        assert_eq!(err.field(), Some("commentaire"));
        assert!(
            Decision::rejet(
                MotifRejetInscription::Autre,
                Some("NCC d'une autre société")
            )
            .is_ok()
        );
        assert_eq!(
            Decision::rejet(MotifRejetInscription::DocumentsInvalides, Some("  ")).unwrap(),
            Decision::Rejeter {
                motif: MotifRejetInscription::DocumentsInvalides,
                commentaire: None
            }
        );
    }

    #[test]
    fn un_commentaire_trop_long_est_refuse() {
        let long = "x".repeat(COMMENTAIRE_MAX + 1);
        let err =
            Decision::rejet(MotifRejetInscription::DocumentsInvalides, Some(&long)).unwrap_err();
        assert_eq!(err.field(), Some("commentaire"));
    }
}
