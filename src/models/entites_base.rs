//! `entites_base`: an organisation responsible for processing, the root of its dossier.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{OrigineSaisie, Region, SecteurActivite};
use crate::schema::entites_base;

/// The identity of an entity; its other parts hang off `id`.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct EntiteBase {
    pub id: Uuid,
    /// `None`: entered by ARTCI and not yet claimed by an account.
    pub compte_entreprise_id: Option<Uuid>,
    pub numero_cc: String,
    pub denomination: String,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub secteur_activite: SecteurActivite,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub region: Region,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub origine_saisie: OrigineSaisie,
    /// Kept by the database: true exactly while the workflow statut is `publie`.
    pub publie_sur_carte: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::enums::StatutWorkflow;
use crate::schema::entites_workflow;

/// The entity with this id and its workflow status (`None` when its workflow row is missing).
pub async fn find_with_statut(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(EntiteBase, Option<StatutWorkflow>)>> {
    entites_base::table
        .left_join(entites_workflow::table)
        .filter(entites_base::id.eq(id))
        .select((EntiteBase::as_select(), entites_workflow::statut.nullable()))
        .first(conn)
        .await
        .optional()
}

// --- Creation, identification and the company's list ---------------------------------------

use crate::schema::entites_base::dsl as base;

/// An entity to insert; `id`, `publie_sur_carte` and the timestamps come from the database.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleEntite {
    pub compte_entreprise_id: Option<Uuid>,
    pub numero_cc: String,
    pub denomination: String,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub secteur_activite: SecteurActivite,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub region: Region,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub origine_saisie: OrigineSaisie,
}

/// Changes to an entity's identity: `None` leaves a column as it is, `Some(None)` clears it.
/// The NOT NULL columns take a plain `Option`: they can be changed, never cleared.
#[derive(AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct ModificationsBase {
    pub denomination: Option<String>,
    pub sigle: Option<Option<String>>,
    pub forme_juridique: Option<Option<String>>,
    pub secteur_activite: Option<SecteurActivite>,
    pub adresse: Option<Option<String>>,
    pub ville: Option<Option<String>>,
    pub commune: Option<Option<String>>,
    pub region: Option<Region>,
    pub telephone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

impl ModificationsBase {
    pub fn est_vide(&self) -> bool {
        *self == Self::default()
    }
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleEntite,
) -> QueryResult<EntiteBase> {
    diesel::insert_into(entites_base::table)
        .values(nouvelle)
        .returning(EntiteBase::as_returning())
        .get_result(conn)
        .await
}

/// Whether an entity already has this NCC.
pub async fn ncc_taken(conn: &mut AsyncPgConnection, numero_cc: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        entites_base::table.filter(base::numero_cc.eq(numero_cc)),
    ))
    .get_result(conn)
    .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    modifications: &ModificationsBase,
) -> QueryResult<()> {
    diesel::update(entites_base::table.find(id))
        .set(modifications)
        .execute(conn)
        .await
        .map(drop)
}

pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<EntiteBase> {
    entites_base::table
        .find(id)
        .select(EntiteBase::as_select())
        .first(conn)
        .await
}

/// The entities of one company account, oldest first, after the key `apres`
/// (created_at, id), up to `limite`.
pub async fn page_du_compte(
    conn: &mut AsyncPgConnection,
    compte_id: Uuid,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<EntiteBase>> {
    let mut query = entites_base::table
        .filter(base::compte_entreprise_id.eq(compte_id))
        .select(EntiteBase::as_select())
        .into_boxed();
    if let Some((created_at, id)) = apres {
        query = query.filter(
            base::created_at
                .gt(created_at)
                .or(base::created_at.eq(created_at).and(base::id.gt(id))),
        );
    }
    query
        .order((base::created_at.asc(), base::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many entities one company account has.
pub async fn count_du_compte(conn: &mut AsyncPgConnection, compte_id: Uuid) -> QueryResult<i64> {
    entites_base::table
        .filter(base::compte_entreprise_id.eq(compte_id))
        .count()
        .get_result(conn)
        .await
}
