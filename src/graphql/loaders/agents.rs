//! Staff users by id (an agent's N+1 in a list of agents).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::db::DbPool;
use crate::error::AppError;
use crate::models::users::{self, User};

pub struct AgentLoader {
    pool: DbPool,
}

impl AgentLoader {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

impl Loader<Uuid> for AgentLoader {
    type Value = User;
    type Error = AppError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, User>, AppError> {
        let mut conn = self.pool.get().await?;
        let agents = users::find_by_ids(&mut conn, ids).await?;
        Ok(agents.into_iter().map(|u| (u.id, u)).collect())
    }
}
