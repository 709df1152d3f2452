//! ARTCI's decision deadline: its one extension per submission.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::delais;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::enums::RoleUtilisateur;

#[derive(InputObject)]
pub struct ProlongerDelaiDecisionInput {
    pub entite_id: ID,
    /// Obligatoire (5000 caractères au plus) : communiqué à l'entreprise.
    pub motif: Option<String>,
}

#[derive(Default)]
pub struct DelaisMutation;

#[Object]
impl DelaisMutation {
    /// Prolonge d'un mois la date limite de décision d'un dossier soumis et en attente de
    /// décision (soumis, en vérification, en attente de compléments), une seule fois par
    /// soumission (une seconde prolongation est un `CONFLICT`) ; le motif est obligatoire
    /// (`BAD_USER_INPUT` sur `input.motif`), inscrit à l'historique et envoyé à l'entreprise.
    /// Réservé aux administrateurs.
    async fn prolonger_delai_decision(
        &self,
        ctx: &Context<'_>,
        input: ProlongerDelaiDecisionInput,
    ) -> AppResult<Entite> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let motif = delais::valider_motif(input.motif.as_deref())?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite =
            delais::prolonger(&mut conn, principal, entite_id, motif, app.clock.now()).await?;
        Ok(Entite::autorisee(entite))
    }
}
