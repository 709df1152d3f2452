//! `assignations_demandes`: a dossier's assignment to an agent, the proposal, the N+1's check.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{DecisionTraitement, StatutAssignation};
use crate::schema::assignations_demandes;

/// An assignment; at most one open (neither `valide` nor `annule`) per entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = assignations_demandes, check_for_backend(diesel::pg::Pg))]
pub struct Assignation {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub agent_id: Uuid,
    pub assigne_par: Uuid,
    pub date_assignation: DateTime<Utc>,
    pub echeance: NaiveDate,
    pub statut: StatutAssignation,
    pub decision_proposee: Option<DecisionTraitement>,
    pub traite_le: Option<DateTime<Utc>>,
    /// The N+1; never the agent.
    pub valide_par: Option<Uuid>,
    pub valide_le: Option<DateTime<Utc>>,
    pub commentaire_validation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
