//! ARTCI's vetting of company sign-ups (admin+).

use async_graphql::{Context, ID, Object};

use crate::domain::inscription::{self, Decision};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{CompteEntreprise, uuid_de};
use crate::models::enums::{MotifRejetInscription, RoleUtilisateur};

#[derive(Default)]
pub struct InscriptionsMutation;

#[Object]
impl InscriptionsMutation {
    /// Valide l'inscription d'un compte entreprise en attente (e-mail vérifié) : le compte
    /// peut alors soumettre ses dossiers, et l'entreprise en est informée par e-mail.
    /// Réservé aux administrateurs ; une inscription déjà traitée est un `CONFLICT`.
    async fn valider_inscription(
        &self,
        ctx: &Context<'_>,
        compte_id: ID,
    ) -> AppResult<CompteEntreprise> {
        let (admin_id, _) = ctx.require_role(RoleUtilisateur::Admin)?;
        let compte_id = uuid_de(&compte_id, "compteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let compte = inscription::decider(
            &mut conn,
            compte_id,
            admin_id,
            Decision::Valider,
            app.clock.now(),
        )
        .await?;
        Ok(CompteEntreprise(compte))
    }

    /// Rejette l'inscription d'un compte entreprise en attente, avec son motif (et un
    /// commentaire, obligatoire pour le motif `AUTRE`) : l'entreprise en est informée par
    /// e-mail et ses sessions prennent fin. Réservé aux administrateurs ; une inscription
    /// déjà traitée est un `CONFLICT`.
    async fn rejeter_inscription(
        &self,
        ctx: &Context<'_>,
        compte_id: ID,
        motif: MotifRejetInscription,
        commentaire: Option<String>,
    ) -> AppResult<CompteEntreprise> {
        let (admin_id, _) = ctx.require_role(RoleUtilisateur::Admin)?;
        let compte_id = uuid_de(&compte_id, "compteId")?;
        let decision = Decision::rejet(motif, commentaire.as_deref())?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let compte =
            inscription::decider(&mut conn, compte_id, admin_id, decision, app.clock.now()).await?;
        Ok(CompteEntreprise(compte))
    }
}
