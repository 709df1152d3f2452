//! `renouvellements`: renewal requests of an approval, and the expiry reminders.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutRenouvellement;
use crate::schema::renouvellements;

/// A renewal; at most one open (`en_attente` or `en_cours`) per entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = renouvellements, check_for_backend(diesel::pg::Pg))]
pub struct Renouvellement {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub date_demande: DateTime<Utc>,
    pub date_expiration_agrement: NaiveDate,
    /// Required once approved; after `date_expiration_agrement`.
    pub nouvelle_date_expiration: Option<NaiveDate>,
    pub motif: Option<String>,
    pub statut: StatutRenouvellement,
    pub traite_par: Option<Uuid>,
    pub date_traitement: Option<DateTime<Utc>>,
    /// Required when rejected.
    pub commentaire: Option<String>,
    pub rappel_3_mois_le: Option<DateTime<Utc>>,
    pub rappel_1_mois_le: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
