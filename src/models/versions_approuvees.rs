//! `versions_approuvees`: each approval of a dossier (validation, renewal, amendment) with
//! the snapshot of what was approved and its certificate. Append-only (the database refuses
//! UPDATE and DELETE); the newest version of an entity is in force.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Jsonb, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::enums::{OrigineVersion, TypeFormalite};
use crate::schema::versions_approuvees::{self, dsl as v};

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = versions_approuvees, check_for_backend(diesel::pg::Pg))]
pub struct VersionApprouvee {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub version: i32,
    pub origine: OrigineVersion,
    pub numero: String,
    pub type_formalite: TypeFormalite,
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    /// `dossier_instantane` of the entity when approved.
    pub contenu: serde_json::Value,
    pub document_id: Uuid,
    pub emis_par: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = versions_approuvees, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleVersion {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub version: i32,
    pub origine: OrigineVersion,
    pub numero: String,
    pub type_formalite: TypeFormalite,
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    pub contenu: serde_json::Value,
    pub document_id: Uuid,
    pub emis_par: Uuid,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleVersion,
) -> QueryResult<VersionApprouvee> {
    diesel::insert_into(versions_approuvees::table)
        .values(nouvelle)
        .returning(VersionApprouvee::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<VersionApprouvee>> {
    versions_approuvees::table
        .find(id)
        .select(VersionApprouvee::as_select())
        .first(conn)
        .await
        .optional()
}

/// The version in force of `entite_id`: its newest.
pub async fn en_vigueur(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<VersionApprouvee>> {
    versions_approuvees::table
        .filter(v::entite_id.eq(entite_id))
        .order(v::version.desc())
        .select(VersionApprouvee::as_select())
        .first(conn)
        .await
        .optional()
}

/// The versions of the entities `entite_ids`, newest first within each entity (one query),
/// without their snapshots (lists do not need them).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    entite_ids: &[Uuid],
) -> QueryResult<Vec<VersionResumee>> {
    versions_approuvees::table
        .filter(v::entite_id.eq_any(entite_ids))
        .inner_join(crate::schema::documents_joints::table)
        .order((v::entite_id, v::version.desc()))
        .select(VersionResumee::as_select())
        .load(conn)
        .await
}

/// The entity to which `numero` was issued, if a version carries it.
pub async fn entite_du_numero(
    conn: &mut AsyncPgConnection,
    numero: &str,
) -> QueryResult<Option<Uuid>> {
    versions_approuvees::table
        .filter(v::numero.eq(numero))
        .select(v::entite_id)
        .first(conn)
        .await
        .optional()
}

/// A version and its certificate's digest, without the snapshot.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = versions_approuvees, check_for_backend(diesel::pg::Pg))]
pub struct VersionResumee {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub version: i32,
    pub origine: OrigineVersion,
    pub numero: String,
    pub type_formalite: TypeFormalite,
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    pub document_id: Uuid,
    #[diesel(select_expression = crate::schema::documents_joints::sha256)]
    pub sha256: String,
    #[diesel(select_expression = crate::schema::documents_joints::taille_octets)]
    pub taille_octets: i32,
    pub created_at: DateTime<Utc>,
}

/// The next version number of `entite_id` (1 for its first).
pub async fn rang_suivant(conn: &mut AsyncPgConnection, entite_id: Uuid) -> QueryResult<i32> {
    let dernier: Option<i32> = versions_approuvees::table
        .filter(v::entite_id.eq(entite_id))
        .select(diesel::dsl::max(v::version))
        .first(conn)
        .await?;
    Ok(dernier.unwrap_or(0) + 1)
}

/// `dossier_instantane(entite_id)`: every row of every part of the dossier, as JSON.
pub async fn instantane(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<serde_json::Value> {
    #[derive(QueryableByName)]
    struct Ligne {
        #[diesel(sql_type = Jsonb)]
        contenu: serde_json::Value,
    }
    let ligne: Ligne = diesel::sql_query("SELECT dossier_instantane($1) AS contenu")
        .bind::<SqlUuid, _>(entite_id)
        .get_result(conn)
        .await?;
    Ok(ligne.contenu)
}

/// `dossier_restaurer(entite_id, contenu)`: puts every part of the dossier back exactly as
/// the snapshot holds it, in the caller's transaction.
pub async fn restaurer(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    contenu: &serde_json::Value,
) -> QueryResult<()> {
    diesel::sql_query("SELECT dossier_restaurer($1, $2)")
        .bind::<SqlUuid, _>(entite_id)
        .bind::<Jsonb, _>(contenu)
        .execute(conn)
        .await
        .map(drop)
}
