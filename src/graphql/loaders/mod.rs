//! DataLoaders: one per file, each batching the keys a response asks for into one query.
//!
//! They are schema-wide and cache nothing (`DataLoader::new`): a loader only gathers the
//! keys requested within the same few milliseconds, so no request ever sees another's
//! stale rows, and authorisation stays with the resolvers that ask. A list's rows load their
//! parts through `LotEntites` instead, one query per part for the whole page.

mod agents;
mod documents;
mod entites;
mod lot;

pub use agents::AgentLoader;
pub use documents::DocumentsPublicsLoader;
pub use entites::{
    AssignationsDe, ConformiteDe, ContactDe, ContenuDe, DernierFeedbackDe, DocumentsDe,
    FeedbacksDe, LocalisationDe, ModificationDe, PartiesEntiteLoader, VersionsDe, WorkflowDe,
};
pub use lot::LotEntites;

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

/// The public documents of published entities, by entity id.
pub fn documents_publics(pool: DbPool) -> DataLoader<DocumentsPublicsLoader> {
    DataLoader::new(DocumentsPublicsLoader::new(pool), tokio::spawn)
}
