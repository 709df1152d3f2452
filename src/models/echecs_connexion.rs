//! `echecs_connexion`: wrong passwords per (address, client), and the wait they impose.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::echecs_connexion;

/// `None` when `cle` has no failure counted; else until when it must wait, if it must.
pub async fn retard(
    conn: &mut AsyncPgConnection,
    cle: &str,
) -> QueryResult<Option<Option<DateTime<Utc>>>> {
    echecs_connexion::table
        .find(cle)
        .select(echecs_connexion::retarde_jusqu_a)
        .first::<Option<DateTime<Utc>>>(conn)
        .await
        .optional()
}

/// Counts one more failure of `cle`; returns the count.
pub async fn compter(
    conn: &mut AsyncPgConnection,
    cle: &str,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(echecs_connexion::table)
        .values((
            echecs_connexion::cle.eq(cle),
            echecs_connexion::echecs.eq(1),
            echecs_connexion::mis_a_jour.eq(now),
        ))
        .on_conflict(echecs_connexion::cle)
        .do_update()
        .set((
            echecs_connexion::echecs
                .eq(echecs_connexion::echecs + excluded(echecs_connexion::echecs)),
            echecs_connexion::mis_a_jour.eq(now),
        ))
        .returning(echecs_connexion::echecs)
        .get_result(conn)
        .await
}

/// Makes `cle` wait until `jusqu_a`.
pub async fn retarder(
    conn: &mut AsyncPgConnection,
    cle: &str,
    jusqu_a: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(echecs_connexion::table.find(cle))
        .set(echecs_connexion::retarde_jusqu_a.eq(jusqu_a))
        .execute(conn)
        .await
        .map(drop)
}

/// Forgets the failures of `cle` (a right password from that client).
pub async fn oublier(conn: &mut AsyncPgConnection, cle: &str) -> QueryResult<()> {
    diesel::delete(echecs_connexion::table.find(cle))
        .execute(conn)
        .await
        .map(drop)
}

/// Forgets the failures of every client of one address (`prefixe`: the address's part of
/// the keys): its owner proved it with a mailed code.
pub async fn oublier_adresse(conn: &mut AsyncPgConnection, prefixe: &str) -> QueryResult<()> {
    diesel::delete(
        echecs_connexion::table.filter(echecs_connexion::cle.like(format!("{prefixe}:%"))),
    )
    .execute(conn)
    .await
    .map(drop)
}

/// Deletes the counts left alone since before `avant`.
pub async fn delete_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(echecs_connexion::table.filter(echecs_connexion::mis_a_jour.lt(avant)))
        .execute(conn)
        .await
}
