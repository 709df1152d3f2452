//! `securite_conformite`: how an entity organises the security of its data.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::securite_conformite;

/// Security organisation of an entity (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = securite_conformite, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct SecuriteConformite {
    pub entite_id: Uuid,
    pub politique_securite: bool,
    pub responsable_securite: bool,
    pub analyse_risques: bool,
    pub plan_continuite: bool,
    pub procedure_violations: bool,
    pub violations_12_mois: Option<i32>,
    pub formation_personnel: bool,
    pub frequence_formation: Option<String>,
    pub dernier_audit: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
