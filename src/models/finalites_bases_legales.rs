//! `finalites_bases_legales`: the purposes of processing and their legal basis (Art. 14).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::BaseLegale;
use crate::schema::finalites_bases_legales;

/// A purpose; the entity's `pourcentage`s add up to at most 100, checked at commit.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = finalites_bases_legales, check_for_backend(diesel::pg::Pg))]
pub struct FinaliteBaseLegale {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub registre_traitement_id: Option<Uuid>,
    pub finalite: String,
    pub base_legale: BaseLegale,
    /// Share shown in the map pop-up, 0..=100.
    pub pourcentage: i16,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
