//! Purge of what the registry keeps only for a while (`OTP_RETENTION_DAYS`, 30 days by
//! default):
//! - one-time codes expired for longer than the retention are deleted;
//! - the client address stored with a code is erased once the code is older than the
//!   retention (the code row itself may live a little longer, until the purge above);
//! - sessions that ended (expired or revoked) longer ago than the retention are deleted,
//!   with their refresh tokens (cascade), and so the addresses they held;
//! - rate-limit windows older than a day are deleted (the longest window is far shorter),
//!   and so are wrong-password counts left alone for a day;
//! - delivered mails (already stripped of their body) are deleted after the retention.
//!
//! Live sessions keep their address: the sensitive-login check compares a new login with
//! the addresses of the holder's earlier sessions.

use chrono::Duration;

use crate::models::{courriels_sortants, echecs_connexion, limites_debit, otp_codes, sessions};
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
    total += otp_codes::delete_expired_before(&mut conn, limite).await?;
    total += otp_codes::clear_ips_before(&mut conn, limite).await?;
    total += sessions::delete_ended_before(&mut conn, limite).await?;
    total += limites_debit::delete_windows_before(&mut conn, now - RETENTION_LIMITES_DEBIT).await?;
    total += echecs_connexion::delete_before(&mut conn, now - RETENTION_LIMITES_DEBIT).await?;
    total += courriels_sortants::delete_sent_before(&mut conn, limite).await?;
    Ok(total)
}
