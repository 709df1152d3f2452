//! `users`: ARTCI's staff accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::enums::RoleUtilisateur;
use crate::schema::users;

/// A member of ARTCI's staff; `superieur_id` is the N+1 who validates their work.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    pub nom: String,
    pub prenom: String,
    /// Stored lower-cased and trimmed.
    pub email: String,
    pub password_hash: String,
    pub role: RoleUtilisateur,
    pub superieur_id: Option<Uuid>,
    pub telephone: Option<String>,
    pub est_actif: bool,
    pub derniere_connexion: Option<DateTime<Utc>>,
    pub password_last_changed: Option<DateTime<Utc>>,
    pub password_expires_at: Option<DateTime<Utc>>,
    pub doit_changer_mot_de_passe: bool,
    pub tentatives_connexion_echouees: i32,
    pub verrouille_jusqu_a: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new staff account; the other columns take their defaults.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct NouvelUtilisateur {
    pub nom: String,
    pub prenom: String,
    /// Already normalised (lower-cased, trimmed).
    pub email: String,
    pub password_hash: String,
    pub role: RoleUtilisateur,
    pub doit_changer_mot_de_passe: bool,
}

/// The staff member with this id.
pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

/// The staff member with this (normalised) e-mail.
pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

/// Inserts a staff account and returns it.
pub async fn create(conn: &mut AsyncPgConnection, nouvel: &NouvelUtilisateur) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(nouvel)
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

// --- Staff management, lists and password-expiry warnings --------------------------------

use diesel::PgExpressionMethods;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};

/// A staff account created by a super_admin, with its temporary password's hash.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct NouvelAgent {
    pub nom: String,
    pub prenom: String,
    /// Already normalised (lower-cased, trimmed).
    pub email: String,
    pub password_hash: String,
    pub role: RoleUtilisateur,
    pub superieur_id: Option<Uuid>,
    pub telephone: Option<String>,
    pub doit_changer_mot_de_passe: bool,
}

/// Inserts a staff account created by a super_admin and returns it.
pub async fn create_agent(conn: &mut AsyncPgConnection, nouvel: &NouvelAgent) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(nouvel)
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// The staff member with this id, its row locked until the end of the transaction.
pub async fn find_by_id_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The staff members with these ids (any order; unknown ids are absent).
pub async fn find_by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
        .await
}

/// Up to `limite` staff members in creation order, after the key `apres` (created_at, id).
pub async fn page_chronologique(
    conn: &mut AsyncPgConnection,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table.select(User::as_select()).into_boxed();
    if let Some((created_at, id)) = apres {
        query = query.filter(
            users::created_at
                .gt(created_at)
                .or(users::created_at.eq(created_at).and(users::id.gt(id))),
        );
    }
    query
        .order((users::created_at.asc(), users::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many staff accounts there are.
pub async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn).await
}

pub async fn set_role(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    role: RoleUtilisateur,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_actif(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    est_actif: bool,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::est_actif.eq(est_actif))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_superieur(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    superieur_id: Option<Uuid>,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::superieur_id.eq(superieur_id))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// How many active staff members have `id` as their N+1.
pub async fn count_active_subordinates(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<i64> {
    users::table
        .filter(users::superieur_id.eq(id))
        .filter(users::est_actif.eq(true))
        .count()
        .get_result(conn)
        .await
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// The N+1 chain above `id`: its superieur, the superieur's superieur, and so on (`UNION`
/// stops on a cycle).
pub async fn superior_chain(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Vec<Uuid>> {
    diesel::sql_query(
        "WITH RECURSIVE chaine(id) AS ( \
             SELECT superieur_id FROM users WHERE id = $1 AND superieur_id IS NOT NULL \
             UNION \
             SELECT u.superieur_id FROM users u JOIN chaine c ON u.id = c.id \
             WHERE u.superieur_id IS NOT NULL \
         ) SELECT id FROM chaine",
    )
    .bind::<SqlUuid, _>(id)
    .load::<IdRow>(conn)
    .await
    .map(|rows| rows.into_iter().map(|r| r.id).collect())
}

/// Key of the transaction advisory lock that serialises changes to the staff hierarchy
/// (roles, activity, N+1 links): two concurrent changes could otherwise make a cycle.
const HIERARCHY_LOCK_KEY: i64 = 0x6869_6572_6172_6368; // "hierarch"

/// Takes the hierarchy lock until the end of the current transaction.
pub async fn lock_hierarchy(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(HIERARCHY_LOCK_KEY)
        .execute(conn)
        .await
        .map(drop)
}

/// Which password-expiry warning: 15 or 7 days before the expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PalierAvertissement {
    J15,
    J7,
}

/// Active staff whose password expires in `(de, a]` and who have not had the `palier`
/// warning for that expiry yet; at most `limite`, soonest expiry first.
pub async fn password_warnings_due(
    conn: &mut AsyncPgConnection,
    palier: PalierAvertissement,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
    limite: i64,
) -> QueryResult<Vec<User>> {
    let query = users::table
        .filter(users::est_actif.eq(true))
        .filter(users::password_expires_at.gt(de))
        .filter(users::password_expires_at.le(a))
        .select(User::as_select())
        .order((users::password_expires_at.asc(), users::id.asc()))
        .limit(limite)
        .into_boxed();
    match palier {
        PalierAvertissement::J15 => query
            .filter(users::avertissement_j15_echeance.is_distinct_from(users::password_expires_at)),
        PalierAvertissement::J7 => query
            .filter(users::avertissement_j7_echeance.is_distinct_from(users::password_expires_at)),
    }
    .load(conn)
    .await
}

/// Records that the `palier` warning for the expiry `echeance` was sent; `false` when the
/// password changed meanwhile or the warning was already recorded.
pub async fn record_password_warning(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    palier: PalierAvertissement,
    echeance: DateTime<Utc>,
) -> QueryResult<bool> {
    let cible = users::table
        .filter(users::id.eq(id))
        .filter(users::password_expires_at.eq(echeance));
    match palier {
        PalierAvertissement::J15 => {
            diesel::update(
                cible.filter(users::avertissement_j15_echeance.is_distinct_from(echeance)),
            )
            .set(users::avertissement_j15_echeance.eq(echeance))
            .execute(conn)
            .await
        }
        PalierAvertissement::J7 => {
            diesel::update(
                cible.filter(users::avertissement_j7_echeance.is_distinct_from(echeance)),
            )
            .set(users::avertissement_j7_echeance.eq(echeance))
            .execute(conn)
            .await
        }
    }
    .map(|n| n == 1)
}

/// The active admins and super_admins: those told of a dossier past its decision deadline.
pub async fn administrateurs_actifs(conn: &mut AsyncPgConnection) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::est_actif.eq(true))
        .filter(users::role.eq_any([RoleUtilisateur::Admin, RoleUtilisateur::SuperAdmin]))
        .order(users::created_at)
        .select(User::as_select())
        .load(conn)
        .await
}
