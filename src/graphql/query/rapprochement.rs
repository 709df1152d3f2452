//! Claims (rapprochement): a company's lookup of an unclaimed entity and its own claims;
//! the claims ARTCI's admins treat.

use async_graphql::{Context, Object};

use crate::domain::rapprochement;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::graphql::types::{DemandeRapprochement, EntiteARapprocher};
use crate::models::demandes_rapprochement::{self, Filtre};
use crate::models::enums::{RoleUtilisateur, StatutRapprochement};

#[derive(Default)]
pub struct RapprochementQuery;

#[Object]
impl RapprochementQuery {
    /// La dénomination et la ville de l'entité saisie par l'ARTCI sous ce NCC et encore
    /// rattachée à aucun compte ; `null` si aucune entité libre n'a ce NCC. Réservé aux
    /// comptes entreprises (30 recherches par minute). Un NCC mal formé est un
    /// `BAD_USER_INPUT` sur `numeroCc`.
    async fn rechercher_entite_a_rapprocher(
        &self,
        ctx: &Context<'_>,
        numero_cc: String,
    ) -> AppResult<Option<EntiteARapprocher>> {
        let compte_id = ctx.require_entreprise()?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let trouvee =
            rapprochement::rechercher(&mut conn, compte_id, &numero_cc, app.clock.now()).await?;
        Ok(trouvee.map(EntiteARapprocher::from))
    }

    /// Les demandes de rapprochement du compte entreprise appelant, de la plus ancienne à la
    /// plus récente. `first` : 20 par défaut, 100 au plus.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn mes_demandes_rapprochement(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<DemandeRapprochement>> {
        let compte_id = ctx.require_entreprise()?;
        // Filtered on the caller's account: each row is its own claim.
        page(ctx, Filtre::DuCompte(compte_id), first, after).await
    }

    /// Les demandes de rapprochement, de la plus ancienne à la plus récente, d'un statut
    /// donné ou toutes. `first` : 20 par défaut, 100 au plus. Réservé aux administrateurs.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn demandes_rapprochement(
        &self,
        ctx: &Context<'_>,
        statut: Option<StatutRapprochement>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<DemandeRapprochement>> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        page(ctx, Filtre::Statut(statut), first, after).await
    }
}

async fn page(
    ctx: &Context<'_>,
    filtre: Filtre,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<Page<DemandeRapprochement>> {
    let demande = Demande::depuis(first, after.as_deref())?;
    let mut conn = ctx.app().pool.get().await?;
    let rows = demandes_rapprochement::page(
        &mut conn,
        filtre,
        demande.apres.map(|c| (c.created_at, c.id)),
        demande.limite_lecture(),
    )
    .await?;
    let total = demandes_rapprochement::count(&mut conn, filtre).await?;
    Ok(pagination::page(
        &demande,
        rows,
        total,
        |(d, _)| CleChronologique {
            created_at: d.created_at,
            id: d.id,
        },
        |(d, e)| DemandeRapprochement::autorisee(d, e),
    ))
}
