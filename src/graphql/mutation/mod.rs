//! The mutation root: one `MergedObject` of small per-domain parts.

mod agents;
mod comptes;
mod documents;
mod entites;
mod inscriptions;
mod sessions;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    comptes::ComptesMutation,
    sessions::SessionsMutation,
    inscriptions::InscriptionsMutation,
    agents::AgentsMutation,
    entites::EntitesMutation,
    documents::DocumentsMutation,
);
