//! `entites_contact`: an entity's legal representative and public contact details.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::entites_contact;

/// Contact details of an entity (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_contact, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteContact {
    pub entite_id: Uuid,
    pub representant_nom: Option<String>,
    pub representant_fonction: Option<String>,
    pub representant_email: Option<String>,
    pub representant_telephone: Option<String>,
    pub site_web: Option<String>,
    pub email_public: Option<String>,
    pub telephone_public: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Changes to an entity's contact details: `None` leaves a column as it is (or at its
/// default when the row is new), `Some(None)` clears it.
#[derive(Insertable, AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = entites_contact, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct ModificationsContact {
    pub entite_id: Uuid,
    pub representant_nom: Option<Option<String>>,
    pub representant_fonction: Option<Option<String>>,
    pub representant_email: Option<Option<String>>,
    pub representant_telephone: Option<Option<String>>,
    pub site_web: Option<Option<String>>,
    pub email_public: Option<Option<String>>,
    pub telephone_public: Option<Option<String>>,
}

partie_d_entite!(entites_contact, ModificationsContact);

/// The contact rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<EntiteContact>> {
    entites_contact::table
        .filter(entites_contact::entite_id.eq_any(ids))
        .select(EntiteContact::as_select())
        .load(conn)
        .await
}
