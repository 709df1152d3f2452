//! The query root: one `MergedObject` of small per-domain parts.

mod agents;
mod entites;
mod inscriptions;
mod moi;
mod rapprochement;
mod systeme;
mod verification;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    moi::MoiQuery,
    systeme::SystemeQuery,
    inscriptions::InscriptionsQuery,
    agents::AgentsQuery,
    entites::EntitesQuery,
    rapprochement::RapprochementQuery,
    verification::VerificationQuery,
);
