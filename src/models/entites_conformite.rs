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

/// Keeps `a_dpo`/`type_dpo` in step with the entity's active correspondant (`None`: none).
pub async fn definir_dpo(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    actif: Option<TypeDpo>,
) -> QueryResult<()> {
    diesel::update(entites_conformite::table.find(entite_id))
        .set((
            entites_conformite::a_dpo.eq(actif.is_some()),
            entites_conformite::type_dpo.eq(actif),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The size of the organisation, as the company states it: `None` leaves a column as it is,
/// `Some(None)` clears it.
pub async fn definir_profil(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    effectif: Option<Option<i32>>,
    volume: Option<Option<i64>>,
) -> QueryResult<()> {
    #[derive(AsChangeset)]
    #[diesel(table_name = entites_conformite)]
    struct Profil {
        effectif_entreprise: Option<Option<i32>>,
        volume_donnees_traitees: Option<Option<i64>>,
    }
    if effectif.is_none() && volume.is_none() {
        return Ok(());
    }
    diesel::update(entites_conformite::table.find(entite_id))
        .set(Profil {
            effectif_entreprise: effectif,
            volume_donnees_traitees: volume,
        })
        .execute(conn)
        .await
        .map(drop)
}

/// Records the score computed at a submission, with the day of the evaluation.
pub async fn definir_score(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    score: i16,
    date_evaluation: NaiveDate,
) -> QueryResult<()> {
    diesel::update(entites_conformite::table.find(entite_id))
        .set((
            entites_conformite::score_conformite.eq(score),
            entites_conformite::date_evaluation.eq(date_evaluation),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The conformity that follows the dossier's status (`domain::workflow::statut_conformite`).
pub async fn definir_statut(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    statut: StatutConformite,
) -> QueryResult<()> {
    diesel::update(entites_conformite::table.find(entite_id))
        .set(entites_conformite::statut_conformite.eq(statut))
        .execute(conn)
        .await
        .map(drop)
}

/// Sets (or clears) the deadline of a `conforme_sous_reserve` decision.
pub async fn definir_delai_mise_en_conformite(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    delai: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::update(entites_conformite::table.find(entite_id))
        .set(entites_conformite::delai_mise_en_conformite.eq(delai))
        .execute(conn)
        .await
        .map(drop)
}
