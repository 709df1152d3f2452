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

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Changes to an entity's security organisation: `None` leaves a column as it is (or at its
/// default when the row is new), `Some(None)` clears a nullable one.
#[derive(Insertable, AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = securite_conformite, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct ModificationsSecurite {
    pub entite_id: Uuid,
    pub politique_securite: Option<bool>,
    pub responsable_securite: Option<bool>,
    pub analyse_risques: Option<bool>,
    pub plan_continuite: Option<bool>,
    pub procedure_violations: Option<bool>,
    pub violations_12_mois: Option<Option<i32>>,
    pub formation_personnel: Option<bool>,
    pub frequence_formation: Option<Option<String>>,
    pub dernier_audit: Option<Option<NaiveDate>>,
}

partie_d_entite!(securite_conformite, ModificationsSecurite);

/// The rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<SecuriteConformite>> {
    securite_conformite::table
        .filter(securite_conformite::entite_id.eq_any(ids))
        .select(SecuriteConformite::as_select())
        .load(conn)
        .await
}
