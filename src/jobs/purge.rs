//! Purge of what the registry keeps only for a while (`OTP_RETENTION_DAYS`, 30 days by
//! default):
//! - one-time codes expired for longer than the retention are deleted;
//! - the client address stored with a code is erased once the code is older than the
//!   retention (the code row itself may live a little longer, until the purge above);
//! - sessions that ended (expired or revoked) longer ago than the retention are deleted,
//!   with their refresh tokens (cascade), and so the addresses they held;
//! - rate-limit windows older than a day are deleted (the longest window is far shorter).
//!
//! Live sessions keep their address: the sensitive-login check compares a new login with
//! the addresses of the holder's earlier sessions.

use chrono::{DateTime, Duration, Utc};

use crate::state::AppState;

/// Rate-limit windows are kept this long.
pub const RETENTION_LIMITES_DEBIT: Duration = Duration::days(1);

/// Purges at `state.clock`'s now; returns how many rows were deleted or cleared.
pub async fn run(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let retention = Duration::days(i64::from(state.config.comptes.otp_retention_days));
    let limite = now - retention;
    let mut conn = state.pool.get().await?;
    let mut total = 0;
    total += requetes::delete_expired_otp_codes(&mut conn, limite).await?;
    total += requetes::clear_otp_ips(&mut conn, limite).await?;
    total += requetes::delete_ended_sessions(&mut conn, limite).await?;
    total += requetes::delete_rate_limit_windows(&mut conn, now - RETENTION_LIMITES_DEBIT).await?;
    Ok(total)
}

/// The purge's statements. They belong with their tables in `models/` (otp_codes, sessions,
/// limites_debit); they live here until those files take them.
mod requetes {
    use super::*;
    use diesel::prelude::*;
    use diesel_async::{AsyncPgConnection, RunQueryDsl};

    use crate::schema::{limites_debit, otp_codes, sessions};

    /// Deletes the codes that expired before `avant`.
    pub async fn delete_expired_otp_codes(
        conn: &mut AsyncPgConnection,
        avant: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::delete(otp_codes::table.filter(otp_codes::expires_at.lt(avant)))
            .execute(conn)
            .await
    }

    /// Erases the client address of the codes created before `avant`.
    pub async fn clear_otp_ips(
        conn: &mut AsyncPgConnection,
        avant: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            otp_codes::table
                .filter(otp_codes::created_at.lt(avant))
                .filter(otp_codes::ip.is_not_null()),
        )
        .set(otp_codes::ip.eq(None::<ipnet::IpNet>))
        .execute(conn)
        .await
    }

    /// Deletes the sessions that expired or were revoked before `avant`.
    pub async fn delete_ended_sessions(
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

    /// Deletes the rate-limit windows that started before `avant`.
    pub async fn delete_rate_limit_windows(
        conn: &mut AsyncPgConnection,
        avant: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::delete(limites_debit::table.filter(limites_debit::fenetre.lt(avant)))
            .execute(conn)
            .await
    }
}
