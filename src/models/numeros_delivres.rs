//! `numeros_delivres`: the yearly counters of the receipt and authorisation numbers.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::numeros_delivres;

/// Takes the next number of `nature` (`recepisse` or `autorisation`) in `annee`: 1 for the
/// year's first. The row stays locked until the end of the caller's transaction, so two
/// concurrent validations are served one after the other and never share a number.
pub async fn suivant(conn: &mut AsyncPgConnection, annee: i32, nature: &str) -> QueryResult<i32> {
    diesel::insert_into(numeros_delivres::table)
        .values((
            numeros_delivres::annee.eq(annee),
            numeros_delivres::nature.eq(nature),
            numeros_delivres::dernier.eq(1),
        ))
        .on_conflict((numeros_delivres::annee, numeros_delivres::nature))
        .do_update()
        .set(
            numeros_delivres::dernier
                .eq(numeros_delivres::dernier + excluded(numeros_delivres::dernier)),
        )
        .returning(numeros_delivres::dernier)
        .get_result(conn)
        .await
}
