//! The parts of the entities of one page, loaded for the whole page at once.
//!
//! The schema-wide `DataLoader` gathers the keys asked within 1 ms of the first. The
//! executor reaches the rows of a page one after the other, yielding between them, so a
//! page that takes longer than that to walk (50 rows, a debug build, a busy server) is split
//! into several batches, and the number of queries grows with the page. A list knows all its
//! rows before their fields are resolved: the first row that asks for a part loads it for
//! every row of the page, the others wait for that load and take their own share. One
//! query per part and page, however the execution is scheduled.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::dataloader::Loader;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::db::DbPool;
use crate::error::AppError;
use crate::graphql::loaders::PartiesEntiteLoader;

/// The entity ids of one page and, per kind of part (`WorkflowDe`, `ContactDe`, …), the
/// parts loaded for all of them.
pub struct LotEntites {
    ids: Vec<Uuid>,
    parties: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

type Parties<K> = OnceCell<HashMap<K, <PartiesEntiteLoader as Loader<K>>::Value>>;

impl LotEntites {
    pub fn new(ids: impl IntoIterator<Item = Uuid>) -> Arc<Self> {
        Arc::new(Self {
            ids: ids.into_iter().collect(),
            parties: Mutex::new(HashMap::new()),
        })
    }

    /// The part `cle(id)` of the entity `id`, which must be one of the page's; `cle` is the
    /// key's constructor (`WorkflowDe`), used for every id of the page.
    pub async fn charger<K>(
        &self,
        pool: &DbPool,
        cle: fn(Uuid) -> K,
        id: Uuid,
    ) -> Result<Option<<PartiesEntiteLoader as Loader<K>>::Value>, AppError>
    where
        K: Send + Sync + Clone + Eq + Hash + 'static,
        PartiesEntiteLoader: Loader<K, Error = AppError>,
    {
        let cellule = {
            let mut parties = self.parties.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(
                parties
                    .entry(TypeId::of::<K>())
                    .or_insert_with(|| Arc::new(Parties::<K>::new())),
            )
        };
        let Ok(cellule) = cellule.downcast::<Parties<K>>() else {
            return Err(AppError::internal(
                "lot d'entités : type de partie incohérent",
            ));
        };
        let parties = cellule
            .get_or_try_init(|| async {
                let cles: Vec<K> = self.ids.iter().copied().map(cle).collect();
                PartiesEntiteLoader::new(pool.clone()).load(&cles).await
            })
            .await?;
        Ok(parties.get(&cle(id)).cloned())
    }
}
