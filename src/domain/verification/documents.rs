//! ARTCI's review of a dossier's documents (`verifierDocument`): the agent assigned to the
//! dossier, or an admin, validates or rejects a document the company uploaded. A rejection
//! needs a reason; it is written to the dossier's history (object `document`, which the
//! company reads) and mailed to the company, and a rejected required document blocks a
//! `conforme` decision (`validation`). Two reviews of one document at once: the first wins,
//! the other is a `CONFLICT`.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{personnel, texte_facultatif};
use crate::auth::Principal;
use crate::domain::roles;
use crate::domain::transitions::{self, Changement};
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::verification::CourrielVerification;
use crate::models::enums::{ObjetHistorique, RoleUtilisateur, StatutVerificationDocument};
use crate::models::{DocumentJoint, documents_joints, entites_base, entites_workflow};

/// `verifierDocument`: `principal` records `statut` (`valide` or `rejete`, with `motif`) on
/// the document `document_id`.
pub async fn verifier(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    document_id: Uuid,
    statut: StatutVerificationDocument,
    motif: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<DocumentJoint> {
    let (user_id, role) = personnel(principal)?;
    if !roles::au_moins(role, RoleUtilisateur::Editeur) {
        return Err(AppError::forbidden());
    }
    let motif = texte_facultatif(motif.as_deref(), "input.motif")?;
    let motif = match statut {
        StatutVerificationDocument::Rejete => Some(motif.ok_or_else(|| {
            AppError::bad_input("input.motif", "Le motif du rejet est obligatoire.")
        })?),
        StatutVerificationDocument::Valide => motif,
        StatutVerificationDocument::EnAttente => {
            return Err(AppError::bad_input(
                "input.statut",
                "Un document se valide ou se rejette.",
            ));
        }
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let document = documents_joints::find_for_update(conn, document_id)
            .await?
            .ok_or_else(|| AppError::not_found("Document"))?;
        if document.depose_par_compte_id.is_none() {
            return Err(AppError::conflict(
                "Seuls les documents déposés par l'entreprise s'examinent.",
            ));
        }
        if document.remplace_par_id.is_some() {
            return Err(AppError::conflict(
                "Ce document a été remplacé : examinez le plus récent.",
            ));
        }
        if !roles::au_moins(role, RoleUtilisateur::Admin) {
            let workflow = entites_workflow::find_by_entites(conn, &[document.entite_id]).await?;
            if workflow.first().and_then(|w| w.assigned_to) != Some(user_id) {
                return Err(AppError::forbidden_because(
                    "Seul l'agent à qui le dossier est attribué, ou un administrateur, examine \
                     ses documents.",
                ));
            }
        }
        let examine = documents_joints::examiner(
            conn,
            document.id,
            statut,
            motif.as_deref(),
            user_id,
            maintenant,
        )
        .await?
        .ok_or_else(|| AppError::conflict("Ce document a déjà été examiné."))?;
        let libelle = examine.type_document.libelle();
        let commentaire = match &motif {
            Some(m) => format!("{libelle} ({}) : {m}", examine.nom_fichier),
            None => format!("{libelle} ({})", examine.nom_fichier),
        };
        transitions::journaliser(
            conn,
            Changement {
                entite_id: examine.entite_id,
                objet: ObjetHistorique::Document,
                objet_id: examine.id,
                ancien: Some(document.statut_verification.label()),
                nouveau: examine.statut_verification.label(),
            },
            Some(principal),
            Some(commentaire),
            maintenant,
        )
        .await?;
        if let (StatutVerificationDocument::Rejete, Some(motif)) = (statut, motif) {
            let entite = entites_base::find_by_id(conn, examine.entite_id).await?;
            transitions::informer_entreprise(
                conn,
                &entite,
                &Courriel::Verification(CourrielVerification::DocumentRejete {
                    denomination: entite.denomination.clone(),
                    document: libelle.to_owned(),
                    nom_fichier: examine.nom_fichier.clone(),
                    motif,
                }),
                maintenant,
            )
            .await?;
        }
        Ok(examine)
    })
    .await
}
