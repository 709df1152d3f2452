//! The schema's migrations, embedded in the binary and applied at boot.
//!
//! Several replicas may start together: every run takes a PostgreSQL session advisory lock
//! first, so exactly one applies each pending migration while the others wait and then find
//! nothing left to do. A database holding a migration this binary does not know (a newer
//! release ran against it) is refused rather than served with a schema the code was not
//! built for.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use diesel::Connection;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::sql_types::BigInt;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Key of the advisory lock that serialises schema changes ("registre" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x7265_6769_7374_7265;

type SyncConn = AsyncConnectionWrapper<AsyncPgConnection>;

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error("connexion à la base impossible : {0}")]
    Connection(String),
    #[error(
        "la base contient des migrations inconnues de ce binaire ({}) : \
         elle a été migrée par une version plus récente ; démarrage refusé",
        .0.join(", ")
    )]
    Unknown(Vec<String>),
    #[error("échec de migration : {0}")]
    Failed(String),
}

/// One embedded migration and whether the database has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub version: String,
    pub name: String,
    pub applied: bool,
}

/// Versions of the embedded migrations, in order.
pub fn embedded_versions() -> &'static BTreeSet<String> {
    static VERSIONS: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
        embedded()
            .iter()
            .map(|(version, _)| version.clone())
            .collect()
    });
    &VERSIONS
}

fn embedded() -> Vec<(String, String)> {
    MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .expect("embedded migrations are readable")
        .iter()
        .map(|m| (m.name().version().to_string(), m.name().to_string()))
        .collect()
}

/// Applies every pending migration under the advisory lock; returns the names applied.
pub async fn run_pending(url: &str) -> Result<Vec<String>, MigrationError> {
    with_locked_connection(url, |conn| {
        refuse_unknown(conn)?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| MigrationError::Failed(e.to_string()))?;
        let names = embedded();
        Ok(applied
            .iter()
            .map(|v| {
                let v = v.to_string();
                names
                    .iter()
                    .find(|(version, _)| *version == v)
                    .map_or(v, |(_, name)| name.clone())
            })
            .collect())
    })
    .await
}

/// Reverts the latest applied migration; returns its version, or `None` when none is applied.
pub async fn revert_last(url: &str) -> Result<Option<String>, MigrationError> {
    with_locked_connection(url, |conn| {
        refuse_unknown(conn)?;
        let applied = conn
            .applied_migrations()
            .map_err(|e| MigrationError::Failed(e.to_string()))?;
        if applied.is_empty() {
            return Ok(None);
        }
        conn.revert_last_migration(MIGRATIONS)
            .map(|v| Some(v.to_string()))
            .map_err(|e| MigrationError::Failed(e.to_string()))
    })
    .await
}

/// Every embedded migration with its state, then any unknown one the database holds.
pub async fn status(url: &str) -> Result<Vec<MigrationState>, MigrationError> {
    with_locked_connection(url, |conn| {
        let applied: BTreeSet<String> = conn
            .applied_migrations()
            .map_err(|e| MigrationError::Failed(e.to_string()))?
            .iter()
            .map(|v| v.to_string())
            .collect();
        let mut states: Vec<MigrationState> = embedded()
            .into_iter()
            .map(|(version, name)| MigrationState {
                applied: applied.contains(&version),
                version,
                name,
            })
            .collect();
        for version in applied.difference(embedded_versions()) {
            states.push(MigrationState {
                version: version.clone(),
                name: format!("{version} (inconnue de ce binaire)"),
                applied: true,
            });
        }
        Ok(states)
    })
    .await
}

fn refuse_unknown(conn: &mut SyncConn) -> Result<(), MigrationError> {
    let unknown: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| MigrationError::Failed(e.to_string()))?
        .iter()
        .map(|v| v.to_string())
        .filter(|v| !embedded_versions().contains(v))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(MigrationError::Unknown(unknown))
    }
}

/// Runs `work` on a dedicated synchronous connection holding the migration lock. The
/// harness is synchronous, so it runs on the blocking pool; the session lock goes with the
/// connection.
async fn with_locked_connection<T, F>(url: &str, work: F) -> Result<T, MigrationError>
where
    T: Send + 'static,
    F: FnOnce(&mut SyncConn) -> Result<T, MigrationError> + Send + 'static,
{
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn =
            SyncConn::establish(&url).map_err(|e| MigrationError::Connection(e.to_string()))?;
        let lock =
            diesel::sql_query("SELECT pg_advisory_lock($1)").bind::<BigInt, _>(MIGRATION_LOCK_KEY);
        diesel::RunQueryDsl::execute(lock, &mut conn)
            .map_err(|e| MigrationError::Failed(e.to_string()))?;
        let result = work(&mut conn);
        // Released with the session anyway; unlocking early lets waiting replicas go on.
        let unlock = diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<BigInt, _>(MIGRATION_LOCK_KEY);
        let _ = diesel::RunQueryDsl::execute(unlock, &mut conn);
        result
    })
    .await
    .map_err(|e| MigrationError::Failed(format!("tâche de migration interrompue : {e}")))?
}

/// A row of diesel's `__diesel_schema_migrations`.
#[derive(Debug, diesel::QueryableByName)]
pub struct AppliedMigration {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub version: String,
    /// `timestamp without time zone`, written in the session's zone: UTC (see `db::pool`).
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    pub run_on: chrono::NaiveDateTime,
}

/// The migrations the database has applied, oldest first.
pub async fn applied(
    conn: &mut AsyncPgConnection,
) -> Result<Vec<AppliedMigration>, diesel::result::Error> {
    use diesel_async::RunQueryDsl;
    diesel::sql_query("SELECT version, run_on FROM __diesel_schema_migrations ORDER BY version")
        .load(conn)
        .await
}

/// How many embedded migrations the database has not applied (all of them when diesel's
/// table does not exist yet).
pub async fn pending_count(conn: &mut AsyncPgConnection) -> Result<usize, diesel::result::Error> {
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let table = diesel::sql_query(
        "SELECT to_regclass('public.__diesel_schema_migrations') IS NOT NULL AS exists",
    )
    .get_result::<Exists>(conn)
    .await?;
    if !table.exists {
        return Ok(embedded_versions().len());
    }
    let applied: BTreeSet<String> = applied(conn)
        .await?
        .into_iter()
        .map(|m| m.version)
        .collect();
    Ok(embedded_versions().difference(&applied).count())
}

/// The name of an embedded migration (`2024-01-15-000000_v2_1_tables_initiales`).
pub fn name_of(version: &str) -> Option<String> {
    embedded()
        .into_iter()
        .find(|(v, _)| v == version)
        .map(|(_, name)| name)
}

/// Names of the embedded migrations, in order.
pub fn names() -> Vec<String> {
    embedded().into_iter().map(|(_, name)| name).collect()
}
