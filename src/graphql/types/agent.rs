//! An ARTCI staff user (`users`).

use crate::graphql::types::DateTime;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::loaders::AgentLoader;
use crate::models;
use crate::models::enums::RoleUtilisateur;

/// Un agent de l'ARTCI (table `users`).
pub struct Agent(pub models::User);

#[Object]
impl Agent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn nom(&self) -> &str {
        &self.0.nom
    }

    async fn prenom(&self) -> &str {
        &self.0.prenom
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn role(&self) -> RoleUtilisateur {
        self.0.role
    }

    async fn est_actif(&self) -> bool {
        self.0.est_actif
    }

    async fn derniere_connexion(&self) -> Option<DateTime> {
        self.0.derniere_connexion.map(Into::into)
    }

    /// Le supérieur hiérarchique (N+1) qui valide le travail de l'agent ; null s'il n'en a pas.
    async fn superieur(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        let Some(id) = self.0.superieur_id else {
            return Ok(None);
        };
        let superieur = match ctx.data_opt::<DataLoader<AgentLoader>>() {
            Some(loader) => loader.load_one(id).await?,
            None => {
                let mut conn = ctx.app().pool.get().await?;
                models::users::find_by_id(&mut conn, id).await?
            }
        };
        Ok(superieur.map(Agent))
    }
}
