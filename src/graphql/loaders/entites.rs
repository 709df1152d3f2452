//! The 1:1 parts of entities (workflow, contact, position, compliance) by `entite_id`: a page
//! of entities costs one query per part, not one per entity. The keys are entity ids that
//! the asking resolver has already authorised.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::db::DbPool;
use crate::domain::contenu::{self, ContenuDossier};
use crate::error::AppError;
use crate::models::{
    EntiteConformite, EntiteContact, EntiteLocalisation, EntiteWorkflow, entites_conformite,
    entites_contact, entites_localisation, entites_workflow,
};

pub struct PartiesEntiteLoader {
    pool: DbPool,
}

impl PartiesEntiteLoader {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

/// Keys of the four parts: one batch per part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalisationDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConformiteDe(pub Uuid);

macro_rules! partie {
    ($cle:ident, $valeur:ty, $module:ident) => {
        impl Loader<$cle> for PartiesEntiteLoader {
            type Value = $valeur;
            type Error = AppError;

            async fn load(&self, cles: &[$cle]) -> Result<HashMap<$cle, $valeur>, AppError> {
                let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
                let mut conn = self.pool.get().await?;
                let lignes = $module::find_by_entites(&mut conn, &ids).await?;
                Ok(lignes.into_iter().map(|l| ($cle(l.entite_id), l)).collect())
            }
        }
    };
}

partie!(WorkflowDe, EntiteWorkflow, entites_workflow);
partie!(ContactDe, EntiteContact, entites_contact);
partie!(LocalisationDe, EntiteLocalisation, entites_localisation);
partie!(ConformiteDe, EntiteConformite, entites_conformite);

/// Key of the whole content of a dossier (every list and questionnaire of the form): one
/// batch loads the content of all the entities a response asks for, in one query per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContenuDe(pub Uuid);

impl Loader<ContenuDe> for PartiesEntiteLoader {
    type Value = std::sync::Arc<ContenuDossier>;
    type Error = AppError;

    async fn load(&self, cles: &[ContenuDe]) -> Result<HashMap<ContenuDe, Self::Value>, AppError> {
        let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
        let mut conn = self.pool.get().await?;
        let contenus = contenu::charger(&mut conn, &ids).await?;
        Ok(contenus
            .into_iter()
            .map(|(id, c)| (ContenuDe(id), std::sync::Arc::new(c)))
            .collect())
    }
}
