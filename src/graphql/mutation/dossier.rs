//! The dossier's life on the company's side: submit, withdraw, delete a draft.

use async_graphql::{Context, ID, Object};

use crate::domain::soumission;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Entite, uuid_de};

#[derive(Default)]
pub struct DossierMutation;

#[Object]
impl DossierMutation {
    /// Soumet le dossier à l'ARTCI : l'entreprise propriétaire (compte validé) pour son
    /// brouillon ou pour répondre à une demande de compléments, un éditeur (ou plus) pour un
    /// brouillon saisi par l'ARTCI. Calcule la formalité applicable et le score, fixe la date
    /// limite de décision (un mois) et prévient l'entreprise par e-mail. Un dossier incomplet
    /// est refusé (`DOSSIER_INCOMPLET`, liste dans `extensions.manquants`).
    async fn soumettre_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let soumission =
            soumission::soumettre(&mut conn, principal, entite_id, app.clock.now()).await?;
        // `soumettre` passed `acces::verifier`.
        Ok(Entite::autorisee(soumission.entite))
    }

    /// Retire une soumission tant que l'ARTCI ne l'a pas attribuée à un agent : le dossier
    /// redevient le brouillon de l'entreprise.
    async fn retirer_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite = soumission::retirer(&mut conn, principal, entite_id, app.clock.now()).await?;
        // `retirer` passed `acces::verifier`.
        Ok(Entite::autorisee(entite))
    }

    /// Supprime une entité dont le dossier n'a jamais été soumis (le brouillon de l'entreprise,
    /// ou un brouillon de l'ARTCI pour un éditeur), avec ses documents.
    async fn supprimer_entite(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<bool> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let cles = soumission::supprimer(&mut conn, principal, entite_id).await?;
        // The rows are gone; a file left behind is only storage, logged for cleanup.
        for cle in cles {
            if let Err(e) = app.stockage.supprimer(&cle).await {
                tracing::warn!(error = %e, cle, "fichier d'une entité supprimée resté en stockage");
            }
        }
        Ok(true)
    }
}
