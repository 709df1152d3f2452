//! `feedbacks_verification`: an agent's verification feedback on a dossier.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutFeedback;
use crate::schema::feedbacks_verification;

/// Comments and missing items; visible to the company only once sent.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = feedbacks_verification, check_for_backend(diesel::pg::Pg))]
pub struct FeedbackVerification {
    pub id: Uuid,
    pub entite_id: Uuid,
    /// `None` for a feedback without assignment (a super_admin's "retour formulaire").
    pub assignation_id: Option<Uuid>,
    pub agent_id: Uuid,
    pub commentaires: Option<String>,
    /// A JSON array of `{rubrique, libelle, obligatoire, fourni}`.
    pub elements_manquants: serde_json::Value,
    pub delai_fourniture: Option<NaiveDate>,
    pub statut: StatutFeedback,
    pub visible_entreprise: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
