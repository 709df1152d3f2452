//! Reading entities: one by id (owner or staff), and a company's own list.

use async_graphql::{Context, ID, Object};

use crate::domain::acces::{self, Acces};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::graphql::types::{Entite, uuid_de};
use crate::models::entites_base;

#[derive(Default)]
pub struct EntitesQuery;

#[Object]
impl EntitesQuery {
    /// Une entité et son dossier : pour l'entreprise propriétaire et les agents de l'ARTCI.
    /// Une entité inconnue, ou celle d'une autre entreprise, est `NOT_FOUND`.
    async fn entite(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Entite>> {
        let principal = ctx.principal()?;
        let id = uuid_de(&id, "id")?;
        let mut conn = ctx.app().pool.get().await?;
        let (entite, _) = acces::verifier(&mut conn, principal, id, Acces::Lecture).await?;
        Ok(Some(Entite::autorisee(entite)))
    }

    /// Les entités du compte entreprise appelant, de la plus ancienne à la plus récente.
    /// `first` : 20 par défaut, 100 au plus. Réservé aux comptes entreprises.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn mes_entites(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Entite>> {
        let compte_id = ctx.require_entreprise()?;
        let demande = Demande::depuis(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = entites_base::page_du_compte(
            &mut conn,
            compte_id,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = entites_base::count_du_compte(&mut conn, compte_id).await?;
        // The list is filtered on the caller's account: each row is its own.
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |e| CleChronologique {
                created_at: e.created_at,
                id: e.id,
            },
            Entite::autorisee,
        ))
    }
}
