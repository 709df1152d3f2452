//! The service's own state, for staff.

use crate::graphql::types::DateTime;
use async_graphql::SimpleObject;

/// Une migration de schéma appliquée à la base.
#[derive(SimpleObject)]
pub struct MigrationAppliquee {
    /// Version (horodatage du nom de la migration).
    pub version: String,
    pub nom: String,
    pub appliquee_le: DateTime,
}
