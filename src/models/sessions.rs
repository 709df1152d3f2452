//! `sessions` and `jetons_rafraichissement`: login sessions and their single-use refresh
//! tokens (stored as SHA-256 hashes).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ipnet::IpNet;
use uuid::Uuid;

use crate::schema::{jetons_rafraichissement, sessions};

/// Who holds a session: a company account or a staff user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Titulaire {
    Compte(Uuid),
    Agent(Uuid),
}

impl Titulaire {
    fn columns(self) -> (Option<Uuid>, Option<Uuid>) {
        match self {
            Titulaire::Compte(id) => (Some(id), None),
            Titulaire::Agent(id) => (None, Some(id)),
        }
    }
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
pub struct Session {
    pub id: Uuid,
    pub compte_entreprise_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub restreinte: bool,
    pub ip: Option<IpNet>,
    pub user_agent: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub revoquee_le: Option<DateTime<Utc>>,
    pub motif_revocation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Session {
    pub fn titulaire(&self) -> Option<Titulaire> {
        match (self.compte_entreprise_id, self.user_id) {
            (Some(id), None) => Some(Titulaire::Compte(id)),
            (None, Some(id)) => Some(Titulaire::Agent(id)),
            _ => None,
        }
    }

    pub fn est_active(&self, now: DateTime<Utc>) -> bool {
        self.revoquee_le.is_none() && self.expires_at > now
    }
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NouvelleSession<'a> {
    compte_entreprise_id: Option<Uuid>,
    user_id: Option<Uuid>,
    restreinte: bool,
    ip: Option<IpNet>,
    user_agent: Option<&'a str>,
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

/// Opens a session.
pub async fn create(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    restreinte: bool,
    ip: Option<IpNet>,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<Session> {
    let (compte_entreprise_id, user_id) = titulaire.columns();
    diesel::insert_into(sessions::table)
        .values(NouvelleSession {
            compte_entreprise_id,
            user_id,
            restreinte,
            ip,
            user_agent,
            expires_at,
            created_at: now,
        })
        .returning(Session::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Session>> {
    sessions::table
        .find(id)
        .select(Session::as_select())
        .first(conn)
        .await
        .optional()
}

/// Revokes one session (no-op when already revoked).
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    motif: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::revoquee_le.is_null()),
    )
    .set((
        sessions::revoquee_le.eq(now),
        sessions::motif_revocation.eq(motif),
    ))
    .execute(conn)
    .await
}

/// Revokes every open session of `titulaire` but `except`.
pub async fn revoke_all(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
    except: Option<Uuid>,
    motif: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut query = diesel::update(sessions::table)
        .filter(sessions::revoquee_le.is_null())
        .into_boxed();
    query = match titulaire {
        Titulaire::Compte(id) => query.filter(sessions::compte_entreprise_id.eq(id)),
        Titulaire::Agent(id) => query.filter(sessions::user_id.eq(id)),
    };
    if let Some(except) = except {
        query = query.filter(sessions::id.ne(except));
    }
    query
        .set((
            sessions::revoquee_le.eq(now),
            sessions::motif_revocation.eq(motif),
        ))
        .execute(conn)
        .await
}

/// The client addresses and user agents of the holder's earlier sessions.
pub async fn known_clients(
    conn: &mut AsyncPgConnection,
    titulaire: Titulaire,
) -> QueryResult<Vec<(Option<IpNet>, Option<String>)>> {
    let query = sessions::table
        .select((sessions::ip, sessions::user_agent))
        .distinct()
        .into_boxed();
    match titulaire {
        Titulaire::Compte(id) => query.filter(sessions::compte_entreprise_id.eq(id)),
        Titulaire::Agent(id) => query.filter(sessions::user_id.eq(id)),
    }
    .load(conn)
    .await
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = jetons_rafraichissement, check_for_backend(diesel::pg::Pg))]
pub struct JetonRafraichissement {
    pub id: Uuid,
    pub session_id: Uuid,
    pub jeton_hash: String,
    pub expires_at: DateTime<Utc>,
    pub utilise_le: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Records a refresh token of a session by its hash.
pub async fn add_refresh_token(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    jeton_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(jetons_rafraichissement::table)
        .values((
            jetons_rafraichissement::session_id.eq(session_id),
            jetons_rafraichissement::jeton_hash.eq(jeton_hash),
            jetons_rafraichissement::created_at.eq(now),
            jetons_rafraichissement::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn find_refresh_token(
    conn: &mut AsyncPgConnection,
    jeton_hash: &str,
) -> QueryResult<Option<JetonRafraichissement>> {
    jetons_rafraichissement::table
        .filter(jetons_rafraichissement::jeton_hash.eq(jeton_hash))
        .select(JetonRafraichissement::as_select())
        .first(conn)
        .await
        .optional()
}

/// Marks a refresh token used; `false` when it already was (a concurrent or replayed use).
pub async fn use_refresh_token(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        jetons_rafraichissement::table
            .filter(jetons_rafraichissement::id.eq(id))
            .filter(jetons_rafraichissement::utilise_le.is_null()),
    )
    .set(jetons_rafraichissement::utilise_le.eq(now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Deletes the sessions that expired or were revoked before `avant`.
pub async fn delete_ended_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .lt(avant)
                .or(sessions::revoquee_le.lt(avant)),
        ),
    )
    .execute(conn)
    .await
}
