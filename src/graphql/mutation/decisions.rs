//! ARTCI's decisions on a compliant dossier: validation and its number, publication on the
//! public map and back, the super_admin's "retour formulaire"; and the company's new
//! application after a rejection or an expiry.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::decisions;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::enums::RoleUtilisateur;

#[derive(InputObject)]
pub struct RetourFormulaireInput {
    /// Un dossier soumis, en vérification, en attente de compléments, conforme (sous réserve
    /// ou non), validé ou publié.
    pub entite_id: ID,
    /// Obligatoire : la raison du renvoi, envoyée à l'entreprise (5000 caractères au plus).
    pub motif: Option<String>,
}

#[derive(Default)]
pub struct DecisionsMutation;

#[Object]
impl DecisionsMutation {
    /// Valide un dossier conforme (ou conforme sous réserve, tant que le délai de mise en
    /// conformité n'est pas dépassé : `CONFLICT` sinon). Délivre le numéro de récépissé
    /// (déclaration, dispense : `RCP-AAAA-NNNNNN`) ou d'autorisation (`AUT-AAAA-NNNNNN`),
    /// fixe la date de validation et la fin de l'agrément, et prévient l'entreprise par
    /// e-mail. Réservé aux administrateurs.
    async fn valider_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let validite = app.config.dossiers.validite_agrement_mois;
        let mut conn = app.pool.get().await?;
        let emetteur = decisions::Emetteur {
            stockage: &app.stockage,
            base_publique: &app.config.dossiers.public_base_url,
        };
        let entite = decisions::valider(
            &mut conn,
            emetteur,
            principal,
            entite_id,
            validite,
            app.clock.now(),
        )
        .await?;
        // `valider` passed `acces::verifier`.
        Ok(Entite::autorisee(entite))
    }

    /// Publie un dossier validé sur la carte et le registre publics, et prévient l'entreprise
    /// par e-mail. Un agrément expiré ne se publie pas (`CONFLICT`). Réservé aux
    /// administrateurs.
    async fn publier_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite = decisions::publier(&mut conn, principal, entite_id, app.clock.now()).await?;
        Ok(Entite::autorisee(entite))
    }

    /// Retire un dossier publié de la carte publique ; il reste validé. Réservé aux
    /// administrateurs.
    async fn depublier_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite = decisions::depublier(&mut conn, principal, entite_id, app.clock.now()).await?;
        Ok(Entite::autorisee(entite))
    }

    /// « Retour formulaire » : renvoie à l'entreprise un dossier soumis (jusqu'à publié), avec
    /// un motif obligatoire. Le dossier passe en attente de compléments, quitte la carte
    /// publique, son assignation en cours est annulée et l'entreprise reçoit le motif par
    /// e-mail. Réservé aux super-administrateurs.
    async fn retour_formulaire(
        &self,
        ctx: &Context<'_>,
        input: RetourFormulaireInput,
    ) -> AppResult<Entite> {
        ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite = decisions::retour_formulaire(
            &mut conn,
            principal,
            entite_id,
            input.motif,
            app.clock.now(),
        )
        .await?;
        Ok(Entite::autorisee(entite))
    }

    /// Une nouvelle demande pour une entité dont le dossier a été rejeté ou dont l'agrément a
    /// expiré : le dossier redevient le brouillon de l'entreprise propriétaire, sans les
    /// décisions de la demande précédente (formalité, dates, numéros) ; l'historique est
    /// conservé.
    async fn recommencer_dossier(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite =
            decisions::recommencer(&mut conn, principal, entite_id, app.clock.now()).await?;
        Ok(Entite::autorisee(entite))
    }
}
