//! The public documents of published entities, by entity id (`EntitePublique.documents`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::db::DbPool;
use crate::error::AppError;
use crate::models::DocumentJoint;
use crate::models::documents_joints;

pub struct DocumentsPublicsLoader {
    pool: DbPool,
}

impl DocumentsPublicsLoader {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

impl Loader<Uuid> for DocumentsPublicsLoader {
    type Value = Vec<DocumentJoint>;
    type Error = AppError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<DocumentJoint>>, AppError> {
        let mut conn = self.pool.get().await?;
        let mut par_entite: HashMap<Uuid, Vec<DocumentJoint>> = HashMap::new();
        for document in documents_joints::publics_des_entites(&mut conn, ids).await? {
            par_entite
                .entry(document.entite_id)
                .or_default()
                .push(document);
        }
        Ok(par_entite)
    }
}
