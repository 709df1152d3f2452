//! `entites_localisation`: where an entity sits on the public map.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use postgis_diesel::types::Point;
use uuid::Uuid;

use crate::models::enums::MethodeLocalisation;
use crate::schema::entites_localisation;

/// An entity's position (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_localisation, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteLocalisation {
    pub entite_id: Uuid,
    /// `geography(Point, 4326)`: x = longitude, y = latitude, SRID 4326.
    pub geolocation: Option<Point>,
    pub precision_m: Option<i32>,
    pub methode: Option<MethodeLocalisation>,
    pub adresse_complete: Option<String>,
    pub commune: Option<String>,
    pub quartier: Option<String>,
    pub code_postal: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Changes to an entity's position: `None` leaves a column as it is (or at its default when
/// the row is new), `Some(None)` clears it.
#[derive(Insertable, AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = entites_localisation, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct ModificationsLocalisation {
    pub entite_id: Uuid,
    /// x = longitude, y = latitude, SRID 4326.
    pub geolocation: Option<Option<Point>>,
    pub precision_m: Option<Option<i32>>,
    pub methode: Option<Option<MethodeLocalisation>>,
    pub adresse_complete: Option<Option<String>>,
    pub commune: Option<Option<String>>,
    pub quartier: Option<Option<String>>,
    pub code_postal: Option<Option<String>>,
}

partie_d_entite!(entites_localisation, ModificationsLocalisation);

/// The position rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<EntiteLocalisation>> {
    entites_localisation::table
        .filter(entites_localisation::entite_id.eq_any(ids))
        .select(EntiteLocalisation::as_select())
        .load(conn)
        .await
}
