//! GraphQL object types, each wrapping a model and exposing only what its audience may see.

mod agent;
pub mod certificat;
mod compte_entreprise;
mod document;
mod entite;
pub mod evaluation;
pub mod formulaire;
mod historique;
mod identifiant;
pub mod pagination;
pub mod progression;
pub mod public;
mod rapport_activite;
mod rapprochement;
mod renouvellement;
pub mod scalaires;
mod session;
mod systeme;
pub mod tableau_de_bord;
pub mod verification;

pub use agent::Agent;
pub use compte_entreprise::CompteEntreprise;
pub use document::DocumentJoint;
pub use entite::Entite;
pub use historique::LigneHistorique;
pub use identifiant::uuid_de;
pub use rapport_activite::{RapportActivite, SuiviRapportActivite};
pub use rapprochement::{DemandeRapprochement, EntiteARapprocher};
pub use renouvellement::Renouvellement;
pub use scalaires::{Date, DateTime};
pub use session::*;
pub use systeme::MigrationAppliquee;
pub use verification::Assignation;

use async_graphql::Union;

/// L'appelant : un compte entreprise ou un agent de l'ARTCI.
#[derive(Union)]
pub enum Moi {
    CompteEntreprise(CompteEntreprise),
    Agent(Agent),
}
