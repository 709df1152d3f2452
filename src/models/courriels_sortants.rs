//! `courriels_sortants`: the outbox of e-mails. A row is written in the transaction of the
//! change that causes the mail, claimed by a worker, then marked sent (its body erased) or
//! rescheduled after a failure.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::courriels_sortants;

/// One mail of the outbox.
#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = courriels_sortants, check_for_backend(diesel::pg::Pg))]
pub struct CourrielSortant {
    pub id: Uuid,
    /// Lower-cased and trimmed.
    pub destinataire: String,
    /// Which template produced it (`otp_inscription`…), for the logs and statistics.
    pub modele: String,
    pub sujet: String,
    /// Plain text; `None` once sent.
    pub corps: Option<String>,
    /// Failed attempts so far.
    pub tentatives: i32,
    pub prochain_essai_le: DateTime<Utc>,
    pub envoye_le: Option<DateTime<Utc>>,
    pub derniere_erreur: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A mail to queue, due at once.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = courriels_sortants, check_for_backend(diesel::pg::Pg))]
pub struct NouveauCourriel<'a> {
    /// Already normalised (lower-cased, trimmed).
    pub destinataire: &'a str,
    pub modele: &'a str,
    pub sujet: &'a str,
    pub corps: Option<&'a str>,
    pub prochain_essai_le: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// Queues a mail.
pub async fn create(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauCourriel<'_>,
) -> QueryResult<CourrielSortant> {
    diesel::insert_into(courriels_sortants::table)
        .values(nouveau)
        .returning(CourrielSortant::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CourrielSortant>> {
    courriels_sortants::table
        .find(id)
        .select(CourrielSortant::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every mail queued for `destinataire`, oldest first.
pub async fn list_for(
    conn: &mut AsyncPgConnection,
    destinataire: &str,
) -> QueryResult<Vec<CourrielSortant>> {
    courriels_sortants::table
        .filter(courriels_sortants::destinataire.eq(destinataire))
        .order((
            courriels_sortants::created_at.asc(),
            courriels_sortants::id.asc(),
        ))
        .select(CourrielSortant::as_select())
        .load(conn)
        .await
}

/// Claims up to `limit` mails due at `now` (unsent, `prochain_essai_le <= now`): their
/// `prochain_essai_le` moves to `reserve_jusqu_a`, so no other worker picks them up before
/// that instant, whatever happens to this one. One short transaction; `SKIP LOCKED` lets
/// concurrent workers claim disjoint rows without waiting on each other.
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    reserve_jusqu_a: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<CourrielSortant>> {
    conn.transaction(async |conn| {
        let ids: Vec<Uuid> = courriels_sortants::table
            .select(courriels_sortants::id)
            .filter(courriels_sortants::envoye_le.is_null())
            .filter(courriels_sortants::prochain_essai_le.le(now))
            .order((
                courriels_sortants::prochain_essai_le.asc(),
                courriels_sortants::id.asc(),
            ))
            .limit(limit)
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut claimed =
            diesel::update(courriels_sortants::table.filter(courriels_sortants::id.eq_any(&ids)))
                .set(courriels_sortants::prochain_essai_le.eq(reserve_jusqu_a))
                .returning(CourrielSortant::as_returning())
                .get_results(conn)
                .await?;
        claimed.sort_by_key(|c| (c.created_at, c.id));
        Ok(claimed)
    })
    .await
}

/// Marks a mail sent and erases its body: the outbox keeps no code or text after delivery.
pub async fn mark_sent(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        courriels_sortants::table
            .filter(courriels_sortants::id.eq(id))
            .filter(courriels_sortants::envoye_le.is_null()),
    )
    .set((
        courriels_sortants::envoye_le.eq(now),
        courriels_sortants::corps.eq(None::<String>),
    ))
    .execute(conn)
    .await
}

/// Records a failed attempt: one more `tentatives`, the error, the next attempt's instant.
pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    erreur: &str,
    prochain_essai_le: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        courriels_sortants::table
            .filter(courriels_sortants::id.eq(id))
            .filter(courriels_sortants::envoye_le.is_null()),
    )
    .set((
        courriels_sortants::tentatives.eq(courriels_sortants::tentatives + 1),
        courriels_sortants::derniere_erreur.eq(erreur),
        courriels_sortants::prochain_essai_le.eq(prochain_essai_le),
    ))
    .execute(conn)
    .await
}

/// Gives claimed mails back, due at `now`: a pass that ran out of time did not try them.
pub async fn release(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        courriels_sortants::table
            .filter(courriels_sortants::id.eq_any(ids))
            .filter(courriels_sortants::envoye_le.is_null()),
    )
    .set(courriels_sortants::prochain_essai_le.eq(now))
    .execute(conn)
    .await
}

/// Deletes the mails delivered before `avant` (their body is already gone).
pub async fn delete_sent_before(
    conn: &mut AsyncPgConnection,
    avant: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(courriels_sortants::table.filter(courriels_sortants::envoye_le.lt(avant)))
        .execute(conn)
        .await
}

/// Whether a mail of `modele` was queued for `destinataire` since `depuis`.
pub async fn queued_since(
    conn: &mut AsyncPgConnection,
    destinataire: &str,
    modele: &str,
    depuis: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        courriels_sortants::table
            .filter(courriels_sortants::destinataire.eq(destinataire))
            .filter(courriels_sortants::modele.eq(modele))
            .filter(courriels_sortants::created_at.ge(depuis)),
    ))
    .get_result(conn)
    .await
}
