//! `limites_debit`: fixed-window counters shared by every replica.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::limites_debit;

/// Adds one to the counter of `cle` in the window starting at `fenetre`; returns the count.
pub async fn increment(
    conn: &mut AsyncPgConnection,
    cle: &str,
    fenetre: DateTime<Utc>,
) -> QueryResult<i32> {
    diesel::insert_into(limites_debit::table)
        .values((
            limites_debit::cle.eq(cle),
            limites_debit::fenetre.eq(fenetre),
            limites_debit::compteur.eq(1),
        ))
        .on_conflict((limites_debit::cle, limites_debit::fenetre))
        .do_update()
        .set(
            limites_debit::compteur.eq(limites_debit::compteur + excluded(limites_debit::compteur)),
        )
        .returning(limites_debit::compteur)
        .get_result(conn)
        .await
}

/// Deletes the rate-limit windows that started before `avant`.
pub async fn delete_windows_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(limites_debit::table.filter(limites_debit::fenetre.lt(avant)))
        .execute(conn)
        .await
}
