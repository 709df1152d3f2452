//! The sign-ups waiting for ARTCI's vetting (admin+).

use async_graphql::{Context, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::CompteEntreprise;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::models::comptes_entreprises;
use crate::models::enums::RoleUtilisateur;

#[derive(Default)]
pub struct InscriptionsQuery;

#[Object]
impl InscriptionsQuery {
    /// Les comptes entreprises en attente de vérification dont l'adresse e-mail est vérifiée,
    /// du plus ancien au plus récent. `first` : 20 par défaut, 100 au plus. Réservé aux
    /// administrateurs.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn inscriptions_en_attente(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<CompteEntreprise>> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let demande = Demande::depuis(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = comptes_entreprises::en_attente_verifies(
            &mut conn,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = comptes_entreprises::count_en_attente_verifies(&mut conn).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |c| CleChronologique {
                created_at: c.created_at,
                id: c.id,
            },
            CompteEntreprise,
        ))
    }
}
