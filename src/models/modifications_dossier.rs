//! `modifications_dossier`: the amendments of an approved dossier (déclarations
//! modificatives). At most one is open per entity (a partial unique index); a closed one is
//! never changed again (a trigger).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::enums::{StatutModification, StatutWorkflow};
use crate::schema::modifications_dossier::{self, dsl as m};

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = modifications_dossier, check_for_backend(diesel::pg::Pg))]
pub struct Modification {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub version_base_id: Uuid,
    pub motif: String,
    /// `valide` or `publie`: where the dossier returns when the amendment closes.
    pub statut_precedent: StatutWorkflow,
    pub statut: StatutModification,
    pub ouverte_par_compte_id: Uuid,
    pub ouverte_le: DateTime<Utc>,
    pub close_le: Option<DateTime<Utc>>,
    pub version_approuvee_id: Option<Uuid>,
    pub motif_cloture: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = modifications_dossier, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleModification {
    pub entite_id: Uuid,
    pub version_base_id: Uuid,
    pub motif: String,
    pub statut_precedent: StatutWorkflow,
    pub ouverte_par_compte_id: Uuid,
    pub ouverte_le: DateTime<Utc>,
}

/// Opens the amendment; `None` when another one is already open on the entity (the partial
/// unique index decides, so two concurrent requests cannot both open one).
pub async fn ouvrir(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleModification,
) -> QueryResult<Option<Modification>> {
    diesel::insert_into(modifications_dossier::table)
        .values(nouvelle)
        .on_conflict_do_nothing()
        .returning(Modification::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// The open amendment of `entite_id`, if any.
pub async fn ouverte(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<Modification>> {
    modifications_dossier::table
        .filter(m::entite_id.eq(entite_id))
        .filter(m::statut.eq(StatutModification::Ouverte))
        .select(Modification::as_select())
        .first(conn)
        .await
        .optional()
}

/// The open amendments of the entities `entite_ids` (one query).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    entite_ids: &[Uuid],
) -> QueryResult<Vec<Modification>> {
    modifications_dossier::table
        .filter(m::entite_id.eq_any(entite_ids))
        .filter(m::statut.eq(StatutModification::Ouverte))
        .select(Modification::as_select())
        .load(conn)
        .await
}

/// Closes the open amendment `id` with `statut`; `None` if it was no longer open.
pub async fn clore(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    statut: StatutModification,
    version_approuvee_id: Option<Uuid>,
    motif_cloture: Option<&str>,
    maintenant: DateTime<Utc>,
) -> QueryResult<Option<Modification>> {
    diesel::update(
        modifications_dossier::table
            .filter(m::id.eq(id))
            .filter(m::statut.eq(StatutModification::Ouverte)),
    )
    .set((
        m::statut.eq(statut),
        m::close_le.eq(Some(maintenant)),
        m::version_approuvee_id.eq(version_approuvee_id),
        m::motif_cloture.eq(motif_cloture),
    ))
    .returning(Modification::as_returning())
    .get_result(conn)
    .await
    .optional()
}
