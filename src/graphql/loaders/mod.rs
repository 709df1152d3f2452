//! DataLoaders: one per file, each batching the keys a response asks for into one query.
//!
//! They are schema-wide and cache nothing (`DataLoader::new`): a loader only gathers the
//! keys requested within the same few milliseconds, so no request ever sees another's
//! stale rows, and authorisation stays with the resolvers that ask.

mod agents;
mod entites;

pub use agents::AgentLoader;
pub use entites::{ConformiteDe, ContactDe, LocalisationDe, PartiesEntiteLoader, WorkflowDe};

use async_graphql::dataloader::DataLoader;

use crate::db::DbPool;

/// The loaders, to register as schema data.
pub fn agents(pool: DbPool) -> DataLoader<AgentLoader> {
    DataLoader::new(AgentLoader::new(pool), tokio::spawn)
}

/// The parts of entities (workflow, contact, position, compliance) by entity id.
pub fn parties_entite(pool: DbPool) -> DataLoader<PartiesEntiteLoader> {
    DataLoader::new(PartiesEntiteLoader::new(pool), tokio::spawn)
}
