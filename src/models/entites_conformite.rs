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

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// The compliance row of a new entity: score 0, `statut` as its workflow dictates.
pub async fn insert_initial(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    statut: StatutConformite,
) -> QueryResult<()> {
    diesel::insert_into(entites_conformite::table)
        .values((
            entites_conformite::entite_id.eq(entite_id),
            entites_conformite::statut_conformite.eq(statut),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The compliance rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<EntiteConformite>> {
    entites_conformite::table
        .filter(entites_conformite::entite_id.eq_any(ids))
        .select(EntiteConformite::as_select())
        .load(conn)
        .await
}
