//! `entites_conformite`: an entity's compliance score and status.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{StatutConformite, TypeDpo};
use crate::schema::entites_conformite;

/// Compliance of an entity (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_conformite, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteConformite {
    pub entite_id: Uuid,
    /// 0..=100.
    pub score_conformite: i16,
    pub statut_conformite: StatutConformite,
    pub a_dpo: bool,
    /// Set exactly when `a_dpo`.
    pub type_dpo: Option<TypeDpo>,
    pub effectif_entreprise: Option<i32>,
    /// Approximate number of persons whose data are processed.
    pub volume_donnees_traitees: Option<i64>,
    pub date_evaluation: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Deadline of a `conforme_sous_reserve` dossier.
    pub delai_mise_en_conformite: Option<NaiveDate>,
}
