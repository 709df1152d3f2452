//! Applying a transition of the dossier's state machine, once [`workflow::autoriser`] allowed
//! it and the caller checked its guards: the status and its effects, the conformity that
//! follows the status, and the history lines, in the caller's transaction.
//! (`publie_sur_carte` follows the status by a database trigger.)

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::workflow;
use crate::error::{AppError, AppResult};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{ActeurType, ObjetHistorique, StatutWorkflow};
use crate::models::historique_statuts::{self, NouvelHistorique};
use crate::models::{EntiteWorkflow, entites_conformite, modifications_dossier, registre_public};

/// Who a history line names: the person behind `principal`, or the system for `None`.
pub fn acteur_historique(principal: Option<Principal>) -> (ActeurType, Option<Uuid>, Option<Uuid>) {
    match principal {
        Some(Principal::Agent { user_id, .. }) => (ActeurType::Utilisateur, Some(user_id), None),
        Some(Principal::Entreprise { compte_id }) => {
            (ActeurType::CompteEntreprise, None, Some(compte_id))
        }
        Some(Principal::Anonyme) | None => (ActeurType::Systeme, None, None),
    }
}

/// Moves the dossier from `de` to `vers` with `effets`, by `principal` (`None`: the system);
/// a dossier no longer in `de` is a `CONFLICT`. Returns the new workflow row.
// Each argument is one fact of the transition, named at every call site.
#[allow(clippy::too_many_arguments)]
pub async fn appliquer(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    de: StatutWorkflow,
    vers: StatutWorkflow,
    effets: &EffetsTransition,
    principal: Option<Principal>,
    commentaire: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteWorkflow> {
    let ligne = entites_workflow::transition(conn, entite_id, de, vers, effets)
        .await?
        .ok_or_else(|| AppError::conflict("Le dossier a changé entre-temps : rechargez-le."))?;
    // While an amendment is open, the approved version stays in force: the entity stays
    // `conforme` and the public register keeps that version's row (the amendment's closing
    // refreshes it).
    let modification_ouverte = modifications_dossier::ouverte(conn, entite_id)
        .await?
        .is_some();
    let (avant, apres) = (
        workflow::conformite(de, modification_ouverte),
        workflow::conformite(vers, modification_ouverte),
    );
    if avant != apres {
        entites_conformite::definir_statut(conn, entite_id, apres).await?;
    }
    // The public register shows the published dossiers: entering or leaving `publie`
    // refreshes its projection and the map's clusters.
    if !modification_ouverte && (de == StatutWorkflow::Publie || vers == StatutWorkflow::Publie) {
        registre_public::rafraichir(conn, entite_id).await?;
    }
    let (acteur_type, acteur_user_id, acteur_compte_id) = acteur_historique(principal);
    for l in workflow::lignes_historique(de, vers, modification_ouverte) {
        historique_statuts::append(
            conn,
            &NouvelHistorique {
                entite_id: Some(entite_id),
                compte_entreprise_id: None,
                objet: l.objet,
                objet_id: None,
                ancien_statut: Some(l.ancien_statut.to_owned()),
                nouveau_statut: l.nouveau_statut.to_owned(),
                acteur_type,
                acteur_user_id,
                acteur_compte_id,
                commentaire: commentaire.clone(),
                created_at: maintenant,
            },
        )
        .await?;
    }
    Ok(ligne)
}

/// A change of status of one object of a dossier (an assignation, a renewal…), for its
/// history line.
pub struct Changement<'a> {
    pub entite_id: Uuid,
    pub objet: ObjetHistorique,
    pub objet_id: Uuid,
    /// `None`: the object's creation.
    pub ancien: Option<&'a str>,
    pub nouveau: &'a str,
}

/// Writes the history line of `changement`, by `principal` (`None`: the system), in the
/// caller's transaction.
pub async fn journaliser(
    conn: &mut AsyncPgConnection,
    changement: Changement<'_>,
    principal: Option<Principal>,
    commentaire: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    let (acteur_type, acteur_user_id, acteur_compte_id) = acteur_historique(principal);
    historique_statuts::append(
        conn,
        &NouvelHistorique {
            entite_id: Some(changement.entite_id),
            compte_entreprise_id: None,
            objet: changement.objet,
            objet_id: Some(changement.objet_id),
            ancien_statut: changement.ancien.map(str::to_owned),
            nouveau_statut: changement.nouveau.to_owned(),
            acteur_type,
            acteur_user_id,
            acteur_compte_id,
            commentaire,
            created_at: maintenant,
        },
    )
    .await?;
    Ok(())
}

/// Queues `courriel` for the company owning `entite` (none for an unclaimed ARTCI entry), in
/// the caller's transaction: every change of a dossier tells its company.
pub async fn informer_entreprise(
    conn: &mut AsyncPgConnection,
    entite: &crate::models::EntiteBase,
    courriel: &crate::mail::Courriel,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    if let Some(compte_id) = entite.compte_entreprise_id
        && let Some(compte) =
            crate::models::comptes_entreprises::find_by_id(conn, compte_id).await?
    {
        crate::mail::mettre_en_file(conn, &compte.email, courriel, maintenant).await?;
    }
    Ok(())
}
