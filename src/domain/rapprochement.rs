//! Claims (rapprochement): a company account looks up an entity ARTCI entered and nobody owns
//! yet, claims it with a proof and a reason, and an admin approves or rejects the claim. Each
//! change, its journal lines and its mails are one transaction.
//!
//! Choices the domain page leaves open:
//! - the lookup answers any logged-in company (a company checks before it is vetted), but
//!   only with the denomination and city, and at most [`RECHERCHES_PAR_MINUTE`] a minute per
//!   account, so that the registry of unclaimed entities cannot be walked;
//! - only a vetted account (`approuvee`, e-mail verified, active) claims: the proof is read by
//!   ARTCI staff, who already know who the account is;
//! - an approval is refused (`CONFLICT`) when the claiming account has meanwhile been disabled
//!   or rejected: the entity would go to an account that cannot use it;
//! - approving a claim on an entity still in `brouillon_artci` makes it the company's
//!   `brouillon` (the workflow's `Rapprocher`, fired by the system on the admin's behalf). An
//!   entity ARTCI already moved further (submitted it itself, say) is linked to the account
//!   without any change of status: the instruction under way goes on, and the company follows
//!   it as the owner;
//! - the other pending claims on the entity are rejected with [`COMMENTAIRE_AUTRE_APPROUVEE`],
//!   and each claimant is told;
//! - the proof stays on the entity, readable by staff only (`documents::telecharger`), even
//!   after the claim is decided.

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::documents::{self, Depot};
use crate::domain::workflow::{self, Acteur, NomTransition};
use crate::domain::{debit, transitions, validation};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Courriel};
use crate::models::CompteEntreprise;
use crate::models::demandes_rapprochement::{
    self, DemandeRapprochement, INDEX_UNE_EN_ATTENTE, NouvelleDemande, Traitement,
};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{
    ActeurType, ObjetHistorique, RoleUtilisateur, StatutInscription, StatutRapprochement,
    StatutWorkflow, TypeDocument,
};
use crate::models::historique_statuts::{self, NouvelHistorique};
use crate::models::{EntiteBase, comptes_entreprises, documents_joints, entites_base};
use crate::storage::Stockage;

/// Longest reason a company gives for its claim, in characters.
pub const RAISON_MAX: usize = 2000;
/// Longest comment of ARTCI on a decision, in characters.
pub const COMMENTAIRE_MAX: usize = 2000;
/// Lookups a company account may make per minute.
pub const RECHERCHES_PAR_MINUTE: u32 = 30;
/// The comment of the claims rejected because another one on the same entity was approved.
pub const COMMENTAIRE_AUTRE_APPROUVEE: &str = "Une autre demande de rapprochement de cette \
     entité a été acceptée : elle est désormais rattachée au compte qui a justifié en être \
     responsable.";

const CHAMP_NCC: &str = "input.numeroCc";
const CHAMP_PREUVE: &str = "input.preuve";

/// All a company learns of an unclaimed entity before claiming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntiteARapprocher {
    pub denomination: String,
    pub ville: Option<String>,
}

/// A claim and the entity it is about.
pub type DemandeEtEntite = (DemandeRapprochement, EntiteBase);

/// The unclaimed entity of this NCC, as [`EntiteARapprocher`]; `None` when no entity has it
/// or an account already owns it (the two are not told apart). A malformed NCC is
/// `BAD_USER_INPUT` on `numeroCc`.
pub async fn rechercher(
    conn: &mut AsyncPgConnection,
    compte_id: Uuid,
    numero_cc: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<EntiteARapprocher>> {
    let numero_cc =
        validation::normalize_ncc(numero_cc).map_err(|m| AppError::bad_input("numeroCc", m))?;
    debit::limiter(
        conn,
        &format!("rapprochement:recherche:{compte_id}"),
        RECHERCHES_PAR_MINUTE,
        now,
    )
    .await?;
    Ok(entites_base::find_non_rattachee_par_ncc(conn, &numero_cc)
        .await?
        .map(|e| EntiteARapprocher {
            denomination: e.denomination,
            ville: e.ville,
        }))
}

/// What `demanderRapprochement` receives; the proof's content is not checked yet.
#[derive(Debug, Clone)]
pub struct SaisieDemande {
    pub numero_cc: String,
    pub raison_demande: String,
    pub nom_fichier: String,
    pub preuve: Bytes,
}

/// Whether `compte` may claim an entity: e-mail verified, vetted, active (`FORBIDDEN` with
/// the reason otherwise).
pub fn verifier_demandeur(compte: &CompteEntreprise) -> AppResult<()> {
    if !compte.email_verifie {
        return Err(AppError::forbidden_because(
            "Vérifiez d'abord votre adresse e-mail pour demander un rapprochement.",
        ));
    }
    if !compte.est_actif {
        return Err(AppError::forbidden_because("Ce compte est désactivé."));
    }
    if compte.statut_inscription != StatutInscription::Approuvee {
        return Err(AppError::forbidden_because(
            "Votre inscription doit d'abord être validée par l'ARTCI : vous pourrez ensuite \
             demander le rapprochement d'une entité.",
        ));
    }
    Ok(())
}

/// The reason of a claim: trimmed, required, at most [`RAISON_MAX`] characters.
pub fn valider_raison(raison: &str) -> AppResult<String> {
    validation::required_text(raison, RAISON_MAX)
        .map_err(|m| AppError::bad_input("input.raisonDemande", m))
}

/// Records the claim of `compte_id` on the unclaimed entity of `saisie.numero_cc`, with its
/// proof. The proof's bytes are stored first, then the document, the claim and its journal
/// line are inserted in one transaction; if that fails the stored bytes are deleted.
///
/// Unknown or already owned NCC: `NOT_FOUND`; a pending claim of this account on the entity:
/// `CONFLICT` on `input.numeroCc`.
pub async fn demander(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    compte_id: Uuid,
    saisie: SaisieDemande,
    now: DateTime<Utc>,
) -> AppResult<DemandeEtEntite> {
    let compte = comptes_entreprises::find_by_id(conn, compte_id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    verifier_demandeur(&compte)?;
    let numero_cc = validation::normalize_ncc(&saisie.numero_cc)
        .map_err(|m| AppError::bad_input(CHAMP_NCC, m))?;
    let raison_demande = valider_raison(&saisie.raison_demande)?;
    documents::verifier_fichier(&saisie.preuve, CHAMP_PREUVE)?;

    let entite = entites_base::find_non_rattachee_par_ncc(conn, &numero_cc)
        .await?
        .ok_or_else(introuvable_entite)?;
    // Checked before storing anything; the unique index settles a race.
    if demandes_rapprochement::en_attente_existe(conn, entite.id, compte_id).await? {
        return Err(deja_en_attente());
    }
    let document = documents::preparer(
        &Depot {
            entite_id: entite.id,
            type_document: TypeDocument::PreuveRapprochement,
            nom_fichier: saisie.nom_fichier,
            contenu: saisie.preuve.clone(),
        },
        Principal::Entreprise { compte_id },
        CHAMP_PREUVE,
    )?;
    let cle = document.cle_stockage.clone();
    documents::stocker_puis_enregistrer(stockage, &cle, saisie.preuve, async || {
        conn.transaction::<_, AppError, _>(async |conn| {
            // The entity's row lock orders this claim after an approval under way: once
            // approved, the entity is no longer claimable.
            let entite = entites_base::find_by_id_for_update(conn, entite.id)
                .await?
                .filter(|e| e.compte_entreprise_id.is_none())
                .ok_or_else(introuvable_entite)?;
            let document = documents_joints::create(conn, &document).await?;
            let demande = demandes_rapprochement::create(
                conn,
                &NouvelleDemande {
                    entite_id: entite.id,
                    compte_entreprise_id: compte_id,
                    email_demandeur: compte.email.clone(),
                    numero_cc,
                    document_preuve_id: Some(document.id),
                    raison_demande,
                    created_at: now,
                },
            )
            .await
            .map_err(|e| match e {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
                    if info.constraint_name() == Some(INDEX_UNE_EN_ATTENTE) =>
                {
                    deja_en_attente()
                }
                other => other.into(),
            })?;
            journaliser(
                conn,
                &demande,
                None,
                ActeurJournal::Compte(compte_id),
                None,
                now,
            )
            .await?;
            Ok((demande, entite))
        })
        .await
    })
    .await
}

/// An admin's decision on a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approuver { commentaire: Option<String> },
    Rejeter { commentaire: String },
}

impl Decision {
    /// The decision, its comment trimmed (blank is none), at most [`COMMENTAIRE_MAX`]
    /// characters, and required to reject: the company must learn why.
    pub fn depuis(approuver: bool, commentaire: Option<&str>) -> AppResult<Self> {
        let commentaire = commentaire
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if commentaire
            .as_ref()
            .is_some_and(|c| c.chars().count() > COMMENTAIRE_MAX)
        {
            return Err(AppError::bad_input(
                "input.commentaire",
                "Le commentaire ne doit pas dépasser 2000 caractères.",
            ));
        }
        match (approuver, commentaire) {
            (true, commentaire) => Ok(Self::Approuver { commentaire }),
            (false, Some(commentaire)) => Ok(Self::Rejeter { commentaire }),
            (false, None) => Err(AppError::bad_input(
                "input.commentaire",
                "Un commentaire est obligatoire pour rejeter une demande : l'entreprise doit \
                 savoir pourquoi.",
            )),
        }
    }
}

/// Applies the `decision` of the admin `(admin_id, role)` to the pending claim `demande_id`,
/// at `now`. Unknown claim: `NOT_FOUND`; already decided or cancelled: `CONFLICT`.
pub async fn traiter(
    conn: &mut AsyncPgConnection,
    demande_id: Uuid,
    (admin_id, admin_role): (Uuid, RoleUtilisateur),
    decision: Decision,
    now: DateTime<Utc>,
) -> AppResult<DemandeEtEntite> {
    conn.transaction(async |conn| {
        // The row lock makes two concurrent decisions queue: the second sees the first.
        let demande = demandes_rapprochement::find_by_id_for_update(conn, demande_id)
            .await?
            .ok_or_else(introuvable_demande)?;
        verifier_en_attente(&demande)?;
        let acteur = ActeurJournal::Agent(admin_id);
        match decision {
            Decision::Rejeter { commentaire } => {
                let demande = demandes_rapprochement::update(
                    conn,
                    demande.id,
                    &Traitement {
                        statut: StatutRapprochement::Rejete,
                        traite_par: Some(admin_id),
                        date_traitement: Some(now),
                        commentaire_artci: Some(commentaire.clone()),
                    },
                )
                .await?;
                let entite = entites_base::find_by_id(conn, demande.entite_id).await?;
                journaliser(
                    conn,
                    &demande,
                    Some(StatutRapprochement::EnAttente),
                    acteur,
                    Some(commentaire.clone()),
                    now,
                )
                .await?;
                let courriel = Courriel::RapprochementRejete {
                    denomination: entite.denomination.clone(),
                    commentaire,
                };
                mail::mettre_en_file(conn, &demande.email_demandeur, &courriel, now).await?;
                Ok((demande, entite))
            }
            Decision::Approuver { commentaire } => {
                approuver(conn, demande, (admin_id, admin_role), commentaire, now).await
            }
        }
    })
    .await
}

/// The approval of a pending claim (see the module's doc), inside [`traiter`]'s transaction.
async fn approuver(
    conn: &mut AsyncPgConnection,
    demande: DemandeRapprochement,
    (admin_id, admin_role): (Uuid, RoleUtilisateur),
    commentaire: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<DemandeEtEntite> {
    let acteur = ActeurJournal::Agent(admin_id);
    let compte = comptes_entreprises::find_by_id(conn, demande.compte_entreprise_id)
        .await?
        .ok_or_else(introuvable_demande)?;
    if !compte.est_actif || compte.statut_inscription != StatutInscription::Approuvee {
        return Err(AppError::conflict(
            "Le compte demandeur n'est plus actif ou n'est plus validé : rejetez cette demande.",
        ));
    }
    let entite = entites_base::rattacher(conn, demande.entite_id, demande.compte_entreprise_id)
        .await?
        .ok_or_else(|| AppError::conflict("Cette entité est déjà rattachée à un compte."))?;
    let workflow_actuel = entites_workflow::find_for_update(conn, entite.id)
        .await?
        .ok_or_else(|| AppError::internal(format!("entité {} sans workflow", entite.id)))?;
    if workflow_actuel.statut == StatutWorkflow::BrouillonArtci {
        let de = workflow_actuel.statut;
        let transition = workflow::autoriser(de, NomTransition::Rapprocher, Acteur::Systeme, None)?;
        // Fired by the system as the consequence of the admin's decision: the journal names
        // the admin, who made it.
        transitions::appliquer(
            conn,
            entite.id,
            de,
            transition.vers,
            &EffetsTransition::default(),
            Some(Principal::Agent {
                user_id: admin_id,
                role: admin_role,
            }),
            Some("Rapprochement accepté".to_owned()),
            now,
        )
        .await?;
    }

    let demande = demandes_rapprochement::update(
        conn,
        demande.id,
        &Traitement {
            statut: StatutRapprochement::Approuve,
            traite_par: Some(admin_id),
            date_traitement: Some(now),
            commentaire_artci: commentaire.clone(),
        },
    )
    .await?;
    journaliser(
        conn,
        &demande,
        Some(StatutRapprochement::EnAttente),
        acteur,
        commentaire.clone(),
        now,
    )
    .await?;
    let courriel = Courriel::RapprochementApprouve {
        denomination: entite.denomination.clone(),
        commentaire,
    };
    mail::mettre_en_file(conn, &demande.email_demandeur, &courriel, now).await?;

    let autres = demandes_rapprochement::update_autres_en_attente(
        conn,
        entite.id,
        demande.id,
        &Traitement {
            statut: StatutRapprochement::Rejete,
            traite_par: Some(admin_id),
            date_traitement: Some(now),
            commentaire_artci: Some(COMMENTAIRE_AUTRE_APPROUVEE.to_owned()),
        },
    )
    .await?;
    for autre in autres {
        journaliser(
            conn,
            &autre,
            Some(StatutRapprochement::EnAttente),
            acteur,
            Some(COMMENTAIRE_AUTRE_APPROUVEE.to_owned()),
            now,
        )
        .await?;
        let courriel = Courriel::RapprochementRejete {
            denomination: entite.denomination.clone(),
            commentaire: COMMENTAIRE_AUTRE_APPROUVEE.to_owned(),
        };
        mail::mettre_en_file(conn, &autre.email_demandeur, &courriel, now).await?;
    }
    Ok((demande, entite))
}

/// The claiming company withdraws its pending claim. Another account's claim is `NOT_FOUND`
/// (its existence is not revealed); a claim no longer pending is `CONFLICT`.
pub async fn annuler(
    conn: &mut AsyncPgConnection,
    demande_id: Uuid,
    compte_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<DemandeEtEntite> {
    conn.transaction(async |conn| {
        let demande = demandes_rapprochement::find_by_id_for_update(conn, demande_id)
            .await?
            .filter(|d| d.compte_entreprise_id == compte_id)
            .ok_or_else(introuvable_demande)?;
        verifier_en_attente(&demande)?;
        let demande = demandes_rapprochement::update(
            conn,
            demande.id,
            &Traitement {
                statut: StatutRapprochement::Annule,
                traite_par: None,
                date_traitement: None,
                commentaire_artci: None,
            },
        )
        .await?;
        journaliser(
            conn,
            &demande,
            Some(StatutRapprochement::EnAttente),
            ActeurJournal::Compte(compte_id),
            None,
            now,
        )
        .await?;
        let entite = entites_base::find_by_id(conn, demande.entite_id).await?;
        Ok((demande, entite))
    })
    .await
}

/// Only a pending claim is decided or cancelled.
pub fn verifier_en_attente(demande: &DemandeRapprochement) -> AppResult<()> {
    if demande.statut == StatutRapprochement::EnAttente {
        Ok(())
    } else {
        Err(AppError::conflict(format!(
            "Cette demande de rapprochement n'est plus en attente (statut « {} »).",
            demande.statut
        )))
    }
}

/// Who changed a claim, for its journal line.
#[derive(Debug, Clone, Copy)]
enum ActeurJournal {
    Agent(Uuid),
    Compte(Uuid),
}

/// The journal line of a claim's change of status (`objet = rapprochement`, on its entity).
async fn journaliser(
    conn: &mut AsyncPgConnection,
    demande: &DemandeRapprochement,
    ancien: Option<StatutRapprochement>,
    acteur: ActeurJournal,
    commentaire: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (acteur_type, acteur_user_id, acteur_compte_id) = match acteur {
        ActeurJournal::Agent(id) => (ActeurType::Utilisateur, Some(id), None),
        ActeurJournal::Compte(id) => (ActeurType::CompteEntreprise, None, Some(id)),
    };
    historique_statuts::append(
        conn,
        &NouvelHistorique {
            entite_id: Some(demande.entite_id),
            compte_entreprise_id: None,
            objet: ObjetHistorique::Rapprochement,
            objet_id: Some(demande.id),
            ancien_statut: ancien.map(|s| s.label().to_owned()),
            nouveau_statut: demande.statut.label().to_owned(),
            acteur_type,
            acteur_user_id,
            acteur_compte_id,
            commentaire,
            created_at: now,
        },
    )
    .await?;
    Ok(())
}

fn introuvable_entite() -> AppError {
    AppError::not_found("Entité à rapprocher")
}

fn introuvable_demande() -> AppError {
    AppError::not_found("Demande de rapprochement")
}

fn deja_en_attente() -> AppError {
    AppError::conflict_on(
        CHAMP_NCC,
        "Vous avez déjà une demande de rapprochement en attente pour cette entité.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn un_rejet_exige_un_commentaire() {
        for vide in [None, Some(""), Some("   ")] {
            let err = Decision::depuis(false, vide).unwrap_err();
            assert_eq!(err.code(), Code::BadUserInput);
            assert_eq!(err.field(), Some("input.commentaire"));
        }
        assert_eq!(
            Decision::depuis(false, Some("  Mandat non signé. ")).unwrap(),
            Decision::Rejeter {
                commentaire: "Mandat non signé.".into()
            }
        );
        assert_eq!(
            Decision::depuis(true, Some(" ")).unwrap(),
            Decision::Approuver { commentaire: None }
        );
    }

    #[test]
    fn un_commentaire_trop_long_est_refuse() {
        let long = "x".repeat(COMMENTAIRE_MAX + 1);
        let err = Decision::depuis(true, Some(&long)).unwrap_err();
        assert_eq!(err.field(), Some("input.commentaire"));
    }

    #[test]
    fn la_raison_est_requise_et_bornee() {
        assert_eq!(
            valider_raison("  Nous sommes ce groupe. ").unwrap(),
            "Nous sommes ce groupe."
        );
        for mauvaise in ["   ".to_owned(), "x".repeat(RAISON_MAX + 1)] {
            assert_eq!(
                valider_raison(&mauvaise).unwrap_err().field(),
                Some("input.raisonDemande")
            );
        }
    }

    #[test]
    fn le_rapprochement_fait_un_brouillon_sans_changer_la_conformite() {
        // The company's draft stays `non_conforme`: one workflow line, no conformity line.
        let lignes = workflow::lignes_historique(
            StatutWorkflow::BrouillonArtci,
            StatutWorkflow::Brouillon,
            false,
        );
        assert_eq!(lignes.len(), 1);
        assert_eq!(lignes[0].objet, ObjetHistorique::Workflow);
        let transition = workflow::autoriser(
            StatutWorkflow::BrouillonArtci,
            NomTransition::Rapprocher,
            Acteur::Systeme,
            None,
        )
        .unwrap();
        assert_eq!(transition.vers, StatutWorkflow::Brouillon);
    }
}
