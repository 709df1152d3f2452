//! The annual activity report: the company files it, ARTCI staff review it.

use async_graphql::{Context, ID, InputObject, Object, Upload};

use crate::domain::rapports_activite::{self, DecisionRapport};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{RapportActivite, uuid_de};
use crate::models::enums::{RoleUtilisateur, StatutRapportActivite};

use super::documents::lire_fichier;

#[derive(InputObject)]
pub struct DeposerRapportActiviteInput {
    /// Une entité de l'entreprise dont le dossier est approuvé (validé, publié, ou en cours de
    /// modification).
    pub entite_id: ID,
    /// L'année sur laquelle porte le rapport : une année close (au plus tard l'année
    /// dernière), à partir de 2013.
    pub annee: i32,
    /// Le rapport : PDF, PNG ou JPEG, 10 Mo au plus.
    pub fichier: Upload,
}

#[derive(InputObject)]
pub struct ExaminerRapportActiviteInput {
    pub rapport_id: ID,
    /// `ACCEPTE` ou `A_CORRIGER`.
    pub statut: StatutRapportActivite,
    /// Obligatoire pour `A_CORRIGER` (5000 caractères au plus) ; envoyé à l'entreprise.
    pub commentaire: Option<String>,
}

#[derive(Default)]
pub struct RapportsActiviteMutation;

#[Object]
impl RapportsActiviteMutation {
    /// Dépose le rapport annuel d'activité du correspondant sur une année close (requête
    /// multipart), à partir du 1er janvier de l'année suivante ; il est attendu au plus tard
    /// le 31 mars. Réservé à l'entreprise propriétaire d'une entité dont l'agrément est en
    /// vigueur (`CONFLICT` sinon). Un rapport de la même année en attente d'examen ou accepté
    /// est un `CONFLICT` ; une année en cours ou future, un `BAD_USER_INPUT` sur
    /// `input.annee`. L'entreprise reçoit un accusé de réception par e-mail.
    async fn deposer_rapport_activite(
        &self,
        ctx: &Context<'_>,
        input: DeposerRapportActiviteInput,
    ) -> AppResult<RapportActivite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let (nom_fichier, contenu) = lire_fichier(ctx, &input.fichier, "input.fichier").await?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (rapport, entite) = rapports_activite::deposer(
            &mut conn,
            &app.stockage,
            principal,
            entite_id,
            input.annee,
            nom_fichier,
            contenu,
            app.clock.now(),
        )
        .await?;
        // `deposer` checked that the caller owns the entity.
        Ok(RapportActivite::autorise(rapport, entite))
    }

    /// Examine un rapport d'activité en attente : `ACCEPTE` remplit l'obligation de l'année,
    /// `A_CORRIGER` (commentaire obligatoire) demande à l'entreprise un rapport corrigé.
    /// L'entreprise est informée par e-mail. Réservé aux éditeurs et au-delà (un lecteur est
    /// `FORBIDDEN`) ; un rapport déjà examiné est un `CONFLICT`.
    async fn examiner_rapport_activite(
        &self,
        ctx: &Context<'_>,
        input: ExaminerRapportActiviteInput,
    ) -> AppResult<RapportActivite> {
        ctx.require_role(RoleUtilisateur::Editeur)?;
        let principal = ctx.principal()?;
        let id = uuid_de(&input.rapport_id, "input.rapportId")?;
        let decision = DecisionRapport::depuis(input.statut, input.commentaire.as_deref())?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (rapport, entite) =
            rapports_activite::examiner(&mut conn, principal, id, decision, app.clock.now())
                .await?;
        Ok(RapportActivite::autorise(rapport, entite))
    }
}
