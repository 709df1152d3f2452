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

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Changes to an entity's administrative compliance: `None` leaves a column as it is (or at
/// its default when the row is new), `Some(None)` clears a nullable one.
#[derive(Insertable, AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = conformite_administrative, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct ModificationsConformiteAdministrative {
    pub entite_id: Uuid,
    pub connaissance_loi: Option<bool>,
    pub declaration_artci: Option<bool>,
    pub numero_declaration: Option<Option<String>>,
    pub date_declaration: Option<Option<NaiveDate>>,
    pub autorisation_artci: Option<bool>,
    pub numero_autorisation: Option<Option<String>>,
    pub date_autorisation: Option<Option<NaiveDate>>,
    pub registre_tenu: Option<bool>,
    pub information_personnes: Option<bool>,
    pub procedure_droits: Option<bool>,
    pub dernier_rapport_annuel: Option<Option<NaiveDate>>,
}

partie_d_entite!(
    conformite_administrative,
    ModificationsConformiteAdministrative
);

/// The rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<ConformiteAdministrative>> {
    conformite_administrative::table
        .filter(conformite_administrative::entite_id.eq_any(ids))
        .select(ConformiteAdministrative::as_select())
        .load(conn)
        .await
}
