//! `otp_codes`: one-time codes (sign-up, sensitive login, password reset), stored hashed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ipnet::IpNet;
use uuid::Uuid;

use crate::models::enums::TypeOtp;
use crate::schema::otp_codes;

/// A code belonging to exactly one company account or staff member.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = otp_codes, check_for_backend(diesel::pg::Pg))]
pub struct OtpCode {
    pub id: Uuid,
    pub compte_entreprise_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// Hash of the code; the code itself is never stored.
    pub code_hash: String,
    /// The column `type`.
    pub type_: TypeOtp,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub tentatives: i32,
    /// Requesting address, purged after the retention period.
    pub ip: Option<IpNet>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::sessions::Titulaire;

fn owned_by(
    titulaire: Titulaire,
) -> Box<dyn BoxableExpression<otp_codes::table, diesel::pg::Pg, SqlType = diesel::sql_types::Bool>>
{
    match titulaire {
        Titulaire::Compte(id) => Box::new(otp_codes::compte_entreprise_id.eq(id).assume_not_null()),
        Titulaire::Agent(id) => Box::new(otp_codes::user_id.eq(id).assume_not_null()),
    }
}

/// A code to store.
pub struct NouveauCode<'a> {
    pub titulaire: Titulaire,
    pub type_: TypeOtp,
    pub code_hash: &'a str,
    pub ip: Option<IpNet>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new code and kills the live ones of the same holder and purpose it replaces.
pub async fn replace(
    conn: &mut AsyncPgConnection,
    code: &NouveauCode<'_>,
    max_tentatives: i32,
) -> QueryResult<()> {
    let NouveauCode {
        titulaire,
        type_,
        code_hash,
        ip,
        created_at: now,
        expires_at,
    } = *code;
    diesel::update(otp_codes::table)
        .filter(owned_by(titulaire))
        .filter(otp_codes::type_.eq(type_))
        .filter(otp_codes::used_at.is_null())
        .filter(otp_codes::tentatives.lt(max_tentatives))
        .set(otp_codes::tentatives.eq(max_tentatives))
        .execute(conn)
        .await?;
    let (compte, user) = match titulaire {
        Titulaire::Compte(id) => (Some(id), None),
        Titulaire::Agent(id) => (None, Some(id)),
    };
    diesel::insert_into(otp_codes::table)
        .values((
            otp_codes::compte_entreprise_id.eq(compte),
            otp_codes::user_id.eq(user),
            otp_codes::code_hash.eq(code_hash),
            otp_codes::type_.eq(type_),
            otp_codes::expires_at.eq(expires_at),
            otp_codes::ip.eq(ip),
            otp_codes::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Creation instants of the codes of (`titulaire`, `type_`) since `since`, newest first.
pub async fn issued_since(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    type_: TypeOtp,
    since: DateTime<Utc>,
) -> QueryResult<Vec<DateTime<Utc>>> {
    otp_codes::table
        .filter(owned_by(titulaire))
        .filter(otp_codes::type_.eq(type_))
        .filter(otp_codes::created_at.ge(since))
        .order(otp_codes::created_at.desc())
        .select(otp_codes::created_at)
        .load(conn)
        .await
}

/// Consumes the live code matching `code_hash` in one statement: of many concurrent
/// correct submissions exactly one gets `true`.
pub async fn consume(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    type_: TypeOtp,
    code_hash: &str,
    now: DateTime<Utc>,
    max_tentatives: i32,
) -> QueryResult<bool> {
    diesel::update(otp_codes::table)
        .filter(owned_by(titulaire))
        .filter(otp_codes::type_.eq(type_))
        .filter(otp_codes::code_hash.eq(code_hash))
        .filter(otp_codes::used_at.is_null())
        .filter(otp_codes::expires_at.gt(now))
        .filter(otp_codes::tentatives.lt(max_tentatives))
        .set(otp_codes::used_at.eq(now))
        .execute(conn)
        .await
        .map(|n| n > 0)
}

/// Counts a wrong attempt against the live codes of (`titulaire`, `type_`).
pub async fn record_wrong_attempt(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    type_: TypeOtp,
    now: DateTime<Utc>,
    max_tentatives: i32,
) -> QueryResult<()> {
    diesel::update(otp_codes::table)
        .filter(owned_by(titulaire))
        .filter(otp_codes::type_.eq(type_))
        .filter(otp_codes::used_at.is_null())
        .filter(otp_codes::expires_at.gt(now))
        .filter(otp_codes::tentatives.lt(max_tentatives))
        .set(otp_codes::tentatives.eq(otp_codes::tentatives + 1))
        .execute(conn)
        .await
        .map(drop)
}

/// Client addresses from which the holder's codes were consumed (proved they read their
/// mail there).
pub async fn verified_ips(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
) -> QueryResult<Vec<IpNet>> {
    otp_codes::table
        .filter(owned_by(titulaire))
        .filter(otp_codes::used_at.is_not_null())
        .filter(otp_codes::ip.is_not_null())
        .select(otp_codes::ip.assume_not_null())
        .load(conn)
        .await
}

/// Deletes the codes that expired before `avant`.
pub async fn delete_expired_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(otp_codes::table.filter(otp_codes::expires_at.lt(avant)))
        .execute(conn)
        .await
}

/// Erases the client address of the codes created before `avant`.
pub async fn clear_ips_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        otp_codes::table
            .filter(otp_codes::created_at.lt(avant))
            .filter(otp_codes::ip.is_not_null()),
    )
    .set(otp_codes::ip.eq(None::<IpNet>))
    .execute(conn)
    .await
}
