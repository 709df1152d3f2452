//! Renewals, read: a company's own, and every entity's for ARTCI staff.

use async_graphql::{Context, ID, Object};

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::graphql::types::{Renouvellement, uuid_de};
use crate::models::enums::StatutRenouvellement;
use crate::models::renouvellements::{self, Filtre};

#[derive(Default)]
pub struct RenouvellementsQuery;

#[Object]
impl RenouvellementsQuery {
    /// Les demandes de renouvellement, de la plus ancienne à la plus récente : celles d'une
    /// entité (`entiteId`), sinon, pour une entreprise, celles de toutes ses entités et, pour
    /// les agents de l'ARTCI, celles de toutes les entités ; d'un statut donné ou toutes.
    /// `first` : 20 par défaut, 100 au plus. L'entité d'une autre entreprise est
    /// `NOT_FOUND`.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn renouvellements(
        &self,
        ctx: &Context<'_>,
        entite_id: Option<ID>,
        statut: Option<StatutRenouvellement>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Renouvellement>> {
        let principal = ctx.principal()?;
        let demande = Demande::depuis(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let filtre = match (&entite_id, principal) {
            (Some(id), _) => {
                let id = uuid_de(id, "entiteId")?;
                // A company reads its own entities only; staff read every entity.
                acces::verifier(&mut conn, principal, id, Acces::Lecture).await?;
                Filtre::DeLEntite(id)
            }
            (None, Principal::Entreprise { compte_id }) => Filtre::DuCompte(compte_id),
            (None, Principal::Agent { .. }) => Filtre::Toutes,
            (None, Principal::Anonyme) => return Err(AppError::unauthenticated()),
        };
        let rows = renouvellements::page(
            &mut conn,
            filtre,
            statut,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = renouvellements::count(&mut conn, filtre, statut).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |(r, _)| CleChronologique {
                created_at: r.created_at,
                id: r.id,
            },
            |(r, e)| Renouvellement::autorise(r, e),
        ))
    }
}
