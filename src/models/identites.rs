//! Company accounts and staff users seen alike by the login machinery: who may log in,
//! their password, failures and lock. One function per question, both tables behind it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::enums::StatutInscription;
use crate::models::sessions::Titulaire;
use crate::schema::{comptes_entreprises, users};

/// Which side of the registry an e-mail belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Espace {
    Entreprise,
    Artci,
}

/// What the login machinery needs of an account.
#[derive(Debug, Clone)]
pub struct Identite {
    pub titulaire: Titulaire,
    pub email: String,
    pub password_hash: String,
    pub est_actif: bool,
    /// Always true for staff (their address is ARTCI's).
    pub email_verifie: bool,
    /// `None` for staff.
    pub statut_inscription: Option<StatutInscription>,
    pub tentatives_connexion_echouees: i32,
    pub verrouille_jusqu_a: Option<DateTime<Utc>>,
    pub derniere_connexion: Option<DateTime<Utc>>,
    pub password_expires_at: Option<DateTime<Utc>>,
    /// Staff created by a super_admin with a temporary password.
    pub doit_changer_mot_de_passe: bool,
}

type CompteRow = (
    uuid::Uuid,
    String,
    String,
    bool,
    bool,
    StatutInscription,
    i32,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

type UserRow = (
    uuid::Uuid,
    String,
    String,
    bool,
    i32,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    bool,
);

fn from_compte(r: CompteRow) -> Identite {
    Identite {
        titulaire: Titulaire::Compte(r.0),
        email: r.1,
        password_hash: r.2,
        est_actif: r.3,
        email_verifie: r.4,
        statut_inscription: Some(r.5),
        tentatives_connexion_echouees: r.6,
        verrouille_jusqu_a: r.7,
        derniere_connexion: r.8,
        password_expires_at: r.9,
        doit_changer_mot_de_passe: false,
    }
}

fn from_user(r: UserRow) -> Identite {
    Identite {
        titulaire: Titulaire::Agent(r.0),
        email: r.1,
        password_hash: r.2,
        est_actif: r.3,
        email_verifie: true,
        statut_inscription: None,
        tentatives_connexion_echouees: r.4,
        verrouille_jusqu_a: r.5,
        derniere_connexion: r.6,
        password_expires_at: r.7,
        doit_changer_mot_de_passe: r.8,
    }
}

macro_rules! compte_columns {
    () => {
        (
            comptes_entreprises::id,
            comptes_entreprises::email,
            comptes_entreprises::password_hash,
            comptes_entreprises::est_actif,
            comptes_entreprises::email_verifie,
            comptes_entreprises::statut_inscription,
            comptes_entreprises::tentatives_connexion_echouees,
            comptes_entreprises::verrouille_jusqu_a,
            comptes_entreprises::derniere_connexion,
            comptes_entreprises::password_expires_at,
        )
    };
}

macro_rules! user_columns {
    () => {
        (
            users::id,
            users::email,
            users::password_hash,
            users::est_actif,
            users::tentatives_connexion_echouees,
            users::verrouille_jusqu_a,
            users::derniere_connexion,
            users::password_expires_at,
            users::doit_changer_mot_de_passe,
        )
    };
}

/// The account of `espace` with this (normalised) e-mail.
pub async fn find_by_email(
    conn: &mut AsyncPgConnection,
    espace: Espace,
    email: &str,
) -> QueryResult<Option<Identite>> {
    match espace {
        Espace::Entreprise => comptes_entreprises::table
            .filter(comptes_entreprises::email.eq(email))
            .select(compte_columns!())
            .first::<CompteRow>(conn)
            .await
            .optional()
            .map(|r| r.map(from_compte)),
        Espace::Artci => users::table
            .filter(users::email.eq(email))
            .select(user_columns!())
            .first::<UserRow>(conn)
            .await
            .optional()
            .map(|r| r.map(from_user)),
    }
}

/// The account behind a session holder.
pub async fn find(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
) -> QueryResult<Option<Identite>> {
    match titulaire {
        Titulaire::Compte(id) => comptes_entreprises::table
            .find(id)
            .select(compte_columns!())
            .first::<CompteRow>(conn)
            .await
            .optional()
            .map(|r| r.map(from_compte)),
        Titulaire::Agent(id) => users::table
            .find(id)
            .select(user_columns!())
            .first::<UserRow>(conn)
            .await
            .optional()
            .map(|r| r.map(from_user)),
    }
}

/// A successful login: failures forgotten, lock lifted, last login stamped.
pub async fn record_login(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    match titulaire {
        Titulaire::Compte(id) => diesel::update(comptes_entreprises::table.find(id))
            .set((
                comptes_entreprises::tentatives_connexion_echouees.eq(0),
                comptes_entreprises::verrouille_jusqu_a.eq(None::<DateTime<Utc>>),
                comptes_entreprises::derniere_connexion.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop),
        Titulaire::Agent(id) => diesel::update(users::table.find(id))
            .set((
                users::tentatives_connexion_echouees.eq(0),
                users::verrouille_jusqu_a.eq(None::<DateTime<Utc>>),
                users::derniere_connexion.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop),
    }
}

/// Stores a new password hash; clears the must-change flag, failures and lock.
pub async fn set_password(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    password_hash: &str,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    match titulaire {
        Titulaire::Compte(id) => diesel::update(comptes_entreprises::table.find(id))
            .set((
                comptes_entreprises::password_hash.eq(password_hash),
                comptes_entreprises::password_last_changed.eq(now),
                comptes_entreprises::password_expires_at.eq(expires_at),
                comptes_entreprises::tentatives_connexion_echouees.eq(0),
                comptes_entreprises::verrouille_jusqu_a.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)
            .await
            .map(drop),
        Titulaire::Agent(id) => diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::password_last_changed.eq(now),
                users::password_expires_at.eq(expires_at),
                users::doit_changer_mot_de_passe.eq(false),
                users::tentatives_connexion_echouees.eq(0),
                users::verrouille_jusqu_a.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)
            .await
            .map(drop),
    }
}

/// Marks a company account's e-mail verified (sign-up OTP).
pub async fn mark_email_verified(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
) -> QueryResult<()> {
    if let Titulaire::Compte(id) = titulaire {
        diesel::update(comptes_entreprises::table.find(id))
            .set(comptes_entreprises::email_verifie.eq(true))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A new company account, as signed up.
#[derive(Insertable, Debug)]
#[diesel(table_name = comptes_entreprises)]
pub struct NouveauCompte {
    pub email: String,
    pub password_hash: String,
    pub denomination: String,
    pub numero_cc: String,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub region: Option<crate::models::enums::Region>,
    pub password_last_changed: DateTime<Utc>,
    pub password_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Inserts a company account (`en_attente`, e-mail unverified); returns its id.
pub async fn create_compte(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauCompte,
) -> QueryResult<uuid::Uuid> {
    diesel::insert_into(comptes_entreprises::table)
        .values(nouveau)
        .returning(comptes_entreprises::id)
        .get_result(conn)
        .await
}

/// Whether a company account already has this NCC.
pub async fn ncc_taken(conn: &mut AsyncPgConnection, numero_cc: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        comptes_entreprises::table.filter(comptes_entreprises::numero_cc.eq(numero_cc)),
    ))
    .get_result(conn)
    .await
}
