//! ARTCI's staff (admin+).

use async_graphql::{Context, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::Agent;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::models::enums::RoleUtilisateur;
use crate::models::users;

#[derive(Default)]
pub struct AgentsQuery;

#[Object]
impl AgentsQuery {
    /// Les agents de l'ARTCI, actifs ou non, dans l'ordre de création de leur compte.
    /// `first` : 20 par défaut, 100 au plus. Réservé aux administrateurs.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn agents(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Agent>> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let demande = Demande::depuis(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = users::page_chronologique(
            &mut conn,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = users::count(&mut conn).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |u| CleChronologique {
                created_at: u.created_at,
                id: u.id,
            },
            Agent,
        ))
    }
}
