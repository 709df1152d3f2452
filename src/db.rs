//! The PostgreSQL connection pool (diesel-async over bb8), the count of the statements its
//! connections run, and the wait for a database that is not reachable yet at boot.

use std::time::{Duration, Instant};

use diesel::ConnectionError;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, PoolableConnection, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use prometheus_client::metrics::counter::Counter;

use crate::config::DatabaseConfig;

pub type DbManager = AsyncDieselConnectionManager<AsyncPgConnection>;
pub type DbPool = bb8::Pool<DbManager>;
pub type DbConn<'a> = bb8::PooledConnection<'a, DbManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "base de données injoignable après {waited_secs} s ({url}) : {last_error}. \
         Vérifiez DATABASE_URL et que PostgreSQL est démarré."
    )]
    Unreachable {
        url: String,
        waited_secs: u64,
        last_error: String,
    },
}

/// The statements run by one pool's connections: exported on `/metrics` (a sudden rise per
/// request is an N+1 in the making) and read by the tests that bound a request's queries.
/// Each pool has its own, so each application state counts only its own statements.
#[derive(Debug, Clone, Default)]
pub struct CompteurRequetes {
    executees: Counter,
    en_erreur: Counter,
}

impl CompteurRequetes {
    /// Statements finished since the pool was built, failed ones included. Besides the
    /// application's queries this counts `BEGIN`/`COMMIT`.
    pub fn executees(&self) -> u64 {
        self.executees.get()
    }

    /// Statements that ended in an error (constraint violation, timeout, lost connection).
    pub fn en_erreur(&self) -> u64 {
        self.en_erreur.get()
    }

    pub(crate) fn compteurs(&self) -> (Counter, Counter) {
        (self.executees.clone(), self.en_erreur.clone())
    }
}

/// Counts each finished statement of one connection into the pool's counter.
struct Comptage(CompteurRequetes);

impl Instrumentation for Comptage {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            self.0.executees.inc();
            if error.is_some() {
                self.0.en_erreur.inc();
            }
        }
    }
}

/// Builds the pool without connecting: connections are opened on demand, each with the
/// configured `statement_timeout` and `idle_in_transaction_session_timeout`, a check of the
/// client every second while a statement runs (PostgreSQL 14+: the statement of a request
/// abandoned at its deadline, whose connection is then closed, stops within a second rather
/// than at its `statement_timeout`), UTC as its time zone and no JIT compilation (the
/// service's statements are short: compiling them cost more than running them, up to 13 ms
/// on the public map's queries over 100,000 entities), and each counting its statements
/// into `requetes` (from after that setup, which is not the application's doing).
pub fn pool(config: &DatabaseConfig, requetes: &CompteurRequetes) -> DbPool {
    let statement_timeout_ms = config.statement_timeout_ms;
    let idle_in_transaction_ms = config.idle_in_transaction_timeout_ms;
    let requetes = requetes.clone();
    let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
    // A connection handed out is checked without a round trip: not closed (the server
    // ended it, say at a restart: the client sees the socket close) and no transaction left
    // broken. The default check, a `SELECT 1` at each check-out, cost a third of the
    // statements of a public map request.
    manager_config.recycling_method = RecyclingMethod::CustomFunction(Box::new(|conn| {
        let casse = conn.is_broken();
        async move {
            if casse {
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ClosedConnection,
                    Box::new("connexion fermée".to_owned()),
                ))
            } else {
                Ok(())
            }
        }
        .boxed()
    }));
    manager_config.custom_setup = Box::new(move |url| {
        let url = url.to_owned();
        let requetes = requetes.clone();
        async move {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            conn.batch_execute(&format!(
                "SET statement_timeout = {statement_timeout_ms}; \
                 SET idle_in_transaction_session_timeout = {idle_in_transaction_ms}; \
                 SET TIME ZONE 'UTC'; SET jit = off; \
                 SELECT set_config('client_connection_check_interval', '1000', false) \
                 WHERE current_setting('server_version_num')::int >= 140000"
            ))
            .await
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            conn.set_instrumentation(Comptage(requetes));
            Ok(conn)
        }
        .boxed()
    });
    let manager = DbManager::new_with_config(&config.url, manager_config);
    bb8::Pool::builder()
        .max_size(config.pool_size.max(1))
        .connection_timeout(Duration::from_millis(config.pool_timeout_ms.max(1)))
        .build_unchecked(manager)
}

/// Waits until the database accepts a connection, retrying with exponential backoff until
/// `deadline` has passed.
pub async fn wait_until_reachable(config: &DatabaseConfig) -> Result<(), DbError> {
    let deadline = config.connect_deadline();
    let start = Instant::now();
    let mut backoff = Duration::from_millis(100);
    loop {
        let remaining = deadline.saturating_sub(start.elapsed());
        let attempt_timeout = remaining.clamp(Duration::from_millis(100), Duration::from_secs(5));
        let error =
            match tokio::time::timeout(attempt_timeout, AsyncPgConnection::establish(&config.url))
                .await
            {
                Ok(Ok(_conn)) => return Ok(()),
                Ok(Err(e)) => e.to_string(),
                Err(_) => "délai de connexion dépassé".to_owned(),
            };
        let remaining = deadline.saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(DbError::Unreachable {
                url: redact(&config.url),
                waited_secs: start.elapsed().as_secs(),
                last_error: error,
            });
        }
        tracing::warn!(
            error = %error,
            retry_in_ms = backoff.min(remaining).as_millis() as u64,
            "base de données injoignable, nouvel essai"
        );
        tokio::time::sleep(backoff.min(remaining)).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

/// The URL without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn le_mot_de_passe_ne_paraît_pas_dans_les_journaux() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/registre"),
            "postgres://app:***@db:5432/registre"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
    }
}
