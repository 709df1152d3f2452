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
