//! Rate limits: fixed one-minute windows counted in PostgreSQL, so they hold across replicas.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use diesel_async::AsyncPgConnection;

use crate::error::{AppError, AppResult};
use crate::models::limites_debit;

/// Counts one request of `cle` in the current minute; `RATE_LIMITED` beyond `par_minute`.
pub async fn limiter(
    conn: &mut AsyncPgConnection,
    cle: &str,
    par_minute: u32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let fenetre = now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now);
    let n = limites_debit::increment(conn, cle, fenetre).await?;
    if n as i64 > i64::from(par_minute) {
        Err(AppError::rate_limited())
    } else {
        Ok(())
    }
}
