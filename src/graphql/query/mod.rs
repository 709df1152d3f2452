//! The query root: one `MergedObject` of small per-domain parts.

mod agents;
mod entites;
mod inscriptions;
mod moi;
mod public;
mod rapports_activite;
mod rapprochement;
mod renouvellements;
mod systeme;
mod tableau_de_bord;
mod verification;

use async_graphql::MergedObject;

pub use public::CacheStatistiques;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    moi::MoiQuery,
    systeme::SystemeQuery,
    inscriptions::InscriptionsQuery,
    agents::AgentsQuery,
    entites::EntitesQuery,
    rapprochement::RapprochementQuery,
    public::PublicQuery,
    renouvellements::RenouvellementsQuery,
    verification::VerificationQuery,
    tableau_de_bord::TableauDeBordQuery,
    rapports_activite::RapportsActiviteQuery,
);
