//! `mesures_securite`: the security measures an entity takes.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{CodeMesureSecurite, TypeMesureSecurite};
use crate::schema::mesures_securite;

/// A technical, organisational or physical security measure.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = mesures_securite, check_for_backend(diesel::pg::Pg))]
pub struct MesureSecurite {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: Option<String>,
    pub mise_en_oeuvre: bool,
    pub date_mise_en_oeuvre: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A security measure as the company declares it.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = mesures_securite, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneMesure {
    pub entite_id: Uuid,
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: Option<String>,
    pub mise_en_oeuvre: bool,
    pub date_mise_en_oeuvre: Option<NaiveDate>,
    pub ordre: i32,
}

liste_d_entite!(
    mesures_securite,
    MesureSecurite,
    LigneMesure,
    [
        type_mesure,
        code,
        description,
        mise_en_oeuvre,
        date_mise_en_oeuvre,
        ordre,
    ]
);
