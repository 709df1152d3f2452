//! `entites_workflow`: the state of an entity's compliance dossier.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{StatutWorkflow, TypeFormalite};
use crate::schema::entites_workflow;

/// Where a dossier stands (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_workflow, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteWorkflow {
    pub entite_id: Uuid,
    pub statut: StatutWorkflow,
    pub type_formalite: Option<TypeFormalite>,
    pub numero_recepisse: Option<String>,
    pub numero_autorisation_artci: Option<String>,
    pub date_soumission: Option<DateTime<Utc>>,
    pub date_limite_decision: Option<NaiveDate>,
    pub date_validation: Option<DateTime<Utc>>,
    /// End of the approval's validity.
    pub date_expiration: Option<NaiveDate>,
    pub date_publication: Option<DateTime<Utc>>,
    pub date_rejet: Option<DateTime<Utc>>,
    pub motif_rejet: Option<String>,
    /// The staff member who entered the entity (`None`: created by its account).
    pub created_by: Option<Uuid>,
    /// The agent of the open assignment.
    pub assigned_to: Option<Uuid>,
    /// Optimistic lock: every save takes the version it read and stores the next one.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
