//! Claims (rapprochement): a company claims an entity ARTCI entered, or withdraws its claim;
//! an admin approves or rejects it.

use async_graphql::{Context, ID, InputObject, Object, Upload};

use super::documents::lire_fichier;
use crate::domain::rapprochement::{self, Decision, SaisieDemande};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{DemandeRapprochement, uuid_de};
use crate::models::enums::RoleUtilisateur;

#[derive(InputObject)]
pub struct DemanderRapprochementInput {
    /// Le NCC de l'entité saisie par l'ARTCI.
    pub numero_cc: String,
    /// Pourquoi cette entité est la vôtre (2000 caractères au plus).
    pub raison_demande: String,
    /// Le justificatif : un PDF, PNG ou JPEG de 10 Mo au plus ; le type est reconnu au
    /// contenu. Seuls les agents de l'ARTCI le verront.
    pub preuve: Upload,
}

#[derive(InputObject)]
pub struct TraiterRapprochementInput {
    pub demande_id: ID,
    pub approuver: bool,
    /// Obligatoire pour un rejet (2000 caractères au plus) ; il est envoyé à l'entreprise.
    pub commentaire: Option<String>,
}

#[derive(Default)]
pub struct RapprochementMutation;

#[Object]
impl RapprochementMutation {
    /// Demande le rattachement à son compte de l'entité saisie par l'ARTCI sous ce NCC, avec
    /// un justificatif (requête multipart). Réservé aux comptes entreprises validés par
    /// l'ARTCI (`FORBIDDEN` sinon). Un NCC inconnu ou déjà rattaché est `NOT_FOUND` ; une
    /// demande déjà en attente pour cette entité est un `CONFLICT` ; un justificatif vide, de
    /// plus de 10 Mo ou qui n'est ni un PDF, ni un PNG, ni un JPEG est un `BAD_USER_INPUT`
    /// sur `input.preuve`.
    async fn demander_rapprochement(
        &self,
        ctx: &Context<'_>,
        input: DemanderRapprochementInput,
    ) -> AppResult<DemandeRapprochement> {
        let compte_id = ctx.require_entreprise()?;
        let (nom_fichier, preuve) = lire_fichier(ctx, &input.preuve, "input.preuve").await?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (demande, entite) = rapprochement::demander(
            &mut conn,
            &app.stockage,
            compte_id,
            SaisieDemande {
                numero_cc: input.numero_cc,
                raison_demande: input.raison_demande,
                nom_fichier,
                preuve,
            },
            app.clock.now(),
        )
        .await?;
        Ok(DemandeRapprochement::autorisee(demande, entite))
    }

    /// Accepte ou rejette une demande de rapprochement en attente. Accepter rattache l'entité
    /// au compte demandeur (un brouillon de l'ARTCI devient le brouillon de l'entreprise) et
    /// rejette les autres demandes en attente sur cette entité ; rejeter exige un
    /// commentaire. Chaque entreprise concernée est informée par e-mail. Réservé aux
    /// administrateurs ; une demande déjà traitée ou annulée est un `CONFLICT`.
    async fn traiter_rapprochement(
        &self,
        ctx: &Context<'_>,
        input: TraiterRapprochementInput,
    ) -> AppResult<DemandeRapprochement> {
        let admin = ctx.require_role(RoleUtilisateur::Admin)?;
        let demande_id = uuid_de(&input.demande_id, "input.demandeId")?;
        let decision = Decision::depuis(input.approuver, input.commentaire.as_deref())?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (demande, entite) =
            rapprochement::traiter(&mut conn, demande_id, admin, decision, app.clock.now()).await?;
        Ok(DemandeRapprochement::autorisee(demande, entite))
    }

    /// Annule une demande de rapprochement en attente de l'entreprise appelante. La demande
    /// d'un autre compte est `NOT_FOUND` ; une demande déjà traitée est un `CONFLICT`.
    async fn annuler_rapprochement(
        &self,
        ctx: &Context<'_>,
        demande_id: ID,
    ) -> AppResult<DemandeRapprochement> {
        let compte_id = ctx.require_entreprise()?;
        let demande_id = uuid_de(&demande_id, "demandeId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (demande, entite) =
            rapprochement::annuler(&mut conn, demande_id, compte_id, app.clock.now()).await?;
        Ok(DemandeRapprochement::autorisee(demande, entite))
    }
}
