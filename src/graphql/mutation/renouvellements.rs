//! Renewals of an approval: the company's request, ARTCI's decision.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::decisions;
use crate::domain::renouvellements::{self, DecisionRenouvellement};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Renouvellement, uuid_de};
use crate::models::enums::RoleUtilisateur;

#[derive(InputObject)]
pub struct DemanderRenouvellementInput {
    /// Une entité de l'entreprise dont le dossier est validé ou publié et l'agrément en cours.
    pub entite_id: ID,
    /// Facultatif : ce que l'entreprise veut dire à l'ARTCI (5000 caractères au plus).
    pub motif: Option<String>,
}

#[derive(InputObject)]
pub struct TraiterRenouvellementInput {
    pub renouvellement_id: ID,
    /// `true` : l'agrément est prolongé ; `false` : la demande est rejetée.
    pub approuver: bool,
    /// Obligatoire pour un rejet (5000 caractères au plus) ; envoyé à l'entreprise.
    pub commentaire: Option<String>,
}

#[derive(Default)]
pub struct RenouvellementsMutation;

#[Object]
impl RenouvellementsMutation {
    /// Demande le renouvellement de l'agrément d'une entité dont le dossier est validé ou
    /// publié (l'entité est conforme) et l'agrément en cours ; une seule demande en attente par
    /// entité (`CONFLICT` sinon). L'entreprise reçoit un accusé de réception par e-mail.
    /// Réservé à l'entreprise propriétaire de l'entité.
    async fn demander_renouvellement(
        &self,
        ctx: &Context<'_>,
        input: DemanderRenouvellementInput,
    ) -> AppResult<Renouvellement> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (renouvellement, entite) = renouvellements::demander(
            &mut conn,
            principal,
            entite_id,
            input.motif,
            app.clock.now(),
        )
        .await?;
        // `demander` checked that the caller owns the entity.
        Ok(Renouvellement::autorise(renouvellement, entite))
    }

    /// Décide d'une demande de renouvellement en attente : l'approuver prolonge l'agrément
    /// de la durée de validité configurée, à compter de sa fin actuelle (ou d'aujourd'hui si
    /// elle est passée) ; la rejeter demande un commentaire. L'historique du dossier garde la
    /// décision et l'entreprise la reçoit par e-mail. Réservé aux administrateurs.
    async fn traiter_renouvellement(
        &self,
        ctx: &Context<'_>,
        input: TraiterRenouvellementInput,
    ) -> AppResult<Renouvellement> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let id = uuid_de(&input.renouvellement_id, "input.renouvellementId")?;
        let decision =
            DecisionRenouvellement::depuis(input.approuver, input.commentaire.as_deref())?;
        let app = ctx.app();
        let validite = app.config.dossiers.validite_agrement_mois;
        let mut conn = app.pool.get().await?;
        let emetteur = decisions::Emetteur {
            stockage: &app.stockage,
            base_publique: &app.config.dossiers.public_base_url,
        };
        let (renouvellement, entite) = renouvellements::traiter(
            &mut conn,
            emetteur,
            principal,
            id,
            decision,
            validite,
            app.clock.now(),
        )
        .await?;
        Ok(Renouvellement::autorise(renouvellement, entite))
    }
}
