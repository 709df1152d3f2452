//! `conformite_administrative`: the formalities an entity has already carried out.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::conformite_administrative;

/// Administrative compliance of an entity (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = conformite_administrative, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct ConformiteAdministrative {
    pub entite_id: Uuid,
    pub connaissance_loi: bool,
    pub declaration_artci: bool,
    pub numero_declaration: Option<String>,
    pub date_declaration: Option<NaiveDate>,
    pub autorisation_artci: bool,
    pub numero_autorisation: Option<String>,
    pub date_autorisation: Option<NaiveDate>,
    pub registre_tenu: bool,
    pub information_personnes: bool,
    pub procedure_droits: bool,
    /// The correspondant's annual report, due by 31 March.
    pub dernier_rapport_annuel: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
