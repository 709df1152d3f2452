//! The service's own state, for ARTCI staff.

use async_graphql::{Context, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::MigrationAppliquee;
use crate::migrations;

#[derive(Default)]
pub struct SystemeQuery;

#[Object]
impl SystemeQuery {
    /// Les migrations de schéma appliquées à la base, de la plus ancienne à la plus récente.
    /// Réservé au personnel de l'ARTCI.
    async fn migrations_appliquees(&self, ctx: &Context<'_>) -> AppResult<Vec<MigrationAppliquee>> {
        ctx.require_staff()?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = migrations::applied(&mut conn).await?;
        Ok(rows
            .into_iter()
            .map(|m| MigrationAppliquee {
                nom: migrations::name_of(&m.version).unwrap_or_else(|| m.version.clone()),
                version: m.version,
                appliquee_le: m.run_on.and_utc().into(),
            })
            .collect())
    }
}
