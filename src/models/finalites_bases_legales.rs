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
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A purpose and its legal basis, attached to a processing activity or to the entity as a whole.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = finalites_bases_legales, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneFinalite {
    pub entite_id: Uuid,
    pub registre_traitement_id: Option<Uuid>,
    pub finalite: String,
    pub base_legale: BaseLegale,
    pub pourcentage: i16,
    pub ordre: i32,
}

liste_d_entite!(
    finalites_bases_legales,
    FinaliteBaseLegale,
    LigneFinalite,
    [
        registre_traitement_id,
        finalite,
        base_legale,
        pourcentage,
        ordre,
    ],
    portee = registre_traitement_id
);

/// The total of the entity's purposes' percentages (what the deferred constraint checks at
/// commit), to refuse a save over 100 with a clear error first.
pub async fn total_pourcentages(
    conn: &mut diesel_async::AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<i64> {
    use diesel::dsl::sum;
    let total: Option<i64> = diesel_async::RunQueryDsl::get_result(
        finalites_bases_legales::table
            .filter(finalites_bases_legales::entite_id.eq(entite_id))
            .select(sum(finalites_bases_legales::pourcentage)),
        conn,
    )
    .await?;
    Ok(total.unwrap_or(0))
}
