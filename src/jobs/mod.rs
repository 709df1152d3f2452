//! Periodic jobs, started by `serve`: every minute each job runs once across all replicas.
//!
//! Each job holds a PostgreSQL session advisory lock of its own while it runs, taken with
//! `pg_try_advisory_lock` on a connection reserved for the runner (outside the pool, so a
//! lock can never leak into a request's connection): a replica that does not get the lock
//! skips that job this time. When the lock cannot be released cleanly the connection is
//! dropped, which ends its session and so releases the lock.
//!
//! A job is a plain `run(&AppState) -> anyhow::Result<usize>` (how many rows it handled)
//! that reads the time from `state.clock`: tests call it directly after moving the clock.

pub mod avertissements_mot_de_passe;
pub mod echeances;
pub mod purge;

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use diesel::sql_types::{BigInt, Bool};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::state::AppState;

/// How often the runner wakes up.
pub const PERIODE: Duration = Duration::from_secs(60);

/// A periodic job.
pub struct Tache {
    /// For the logs.
    pub nom: &'static str,
    /// Key of its advisory lock: unique per job.
    pub cle_verrou: i64,
    pub executer: for<'a> fn(&'a AppState) -> BoxFuture<'a, anyhow::Result<usize>>,
}

/// Every job, in the order they run at each tick.
pub const TACHES: &[Tache] = &[
    Tache {
        nom: "avertissements_mot_de_passe",
        // "mdp-avrt"
        cle_verrou: 0x6d64_702d_6176_7274,
        executer: |state| Box::pin(avertissements_mot_de_passe::run(state)),
    },
    Tache {
        nom: "purge",
        // "purge-dn"
        cle_verrou: 0x7075_7267_652d_646e,
        executer: |state| Box::pin(purge::run(state)),
    },
    Tache {
        nom: "echeances",
        // "echeance"
        cle_verrou: 0x6563_6865_616e_6365,
        executer: |state| Box::pin(echeances::run(state)),
    },
];

/// Starts the runner; it stops at the first tick after `stop` turns `true`.
pub fn demarrer(state: AppState, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut reveil = tokio::time::interval(PERIODE);
        reveil.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut verrous: Option<AsyncPgConnection> = None;
        loop {
            tokio::select! {
                _ = reveil.tick() => {}
                _ = stop.wait_for(|arret| *arret) => break,
            }
            for tache in TACHES {
                if *stop.borrow() {
                    break;
                }
                executer_une_fois(&state, &mut verrous, tache).await;
            }
        }
        tracing::info!("tâches périodiques arrêtées");
    })
}

/// How long shutdown waits for a job in progress before abandoning it (its transaction
/// rolls back with the connection).
pub const DELAI_ARRET: Duration = Duration::from_secs(10);

/// Waits for the runner to stop (after `stop` turned `true`), at most [`DELAI_ARRET`].
pub async fn arreter(runner: JoinHandle<()>) {
    let abort = runner.abort_handle();
    if tokio::time::timeout(DELAI_ARRET, runner).await.is_err() {
        tracing::warn!("tâche périodique interrompue par l'arrêt");
        abort.abort();
    }
}

/// One tick of one job: (re)connects the lock connection when needed, runs the job under its
/// lock, logs the outcome. Never fails: a failed job is retried at the next tick.
async fn executer_une_fois(
    state: &AppState,
    verrous: &mut Option<AsyncPgConnection>,
    tache: &Tache,
) {
    if verrous.is_none() {
        match state.pool.dedicated_connection().await {
            Ok(conn) => *verrous = Some(conn),
            Err(e) => {
                tracing::warn!(tache = tache.nom, error = %e, "tâche reportée : base injoignable");
                return;
            }
        }
    }
    let Some(conn) = verrous.as_mut() else {
        return;
    };
    match executer_sous_verrou(state, conn, tache).await {
        Ok(Execution::Faite(n)) if n > 0 => {
            tracing::info!(tache = tache.nom, traites = n, "tâche exécutée");
        }
        Ok(Execution::Faite(_)) => {
            tracing::debug!(tache = tache.nom, "tâche exécutée : rien à faire")
        }
        Ok(Execution::DejaEnCours) => {
            tracing::debug!(tache = tache.nom, "tâche en cours sur une autre réplique");
        }
        Err(Echec::Tache(e)) => tracing::error!(tache = tache.nom, error = %e, "échec de la tâche"),
        Err(Echec::Verrou(e)) => {
            tracing::warn!(tache = tache.nom, error = %e, "connexion des verrous abandonnée");
            // Closing the session releases any lock it still holds.
            *verrous = None;
        }
    }
}

/// What became of a job at one tick.
#[derive(Debug, PartialEq, Eq)]
pub enum Execution {
    /// It ran and handled this many rows.
    Faite(usize),
    /// Another replica holds its lock.
    DejaEnCours,
}

#[derive(Debug)]
pub enum Echec {
    /// The job failed (or panicked); its lock was released.
    Tache(anyhow::Error),
    /// The lock could not be taken or released: drop the connection.
    Verrou(diesel::result::Error),
}

#[derive(diesel::QueryableByName)]
struct Reponse {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

async fn verrou(conn: &mut AsyncPgConnection, sql: &str, cle: i64) -> diesel::QueryResult<bool> {
    diesel::sql_query(sql)
        .bind::<BigInt, _>(cle)
        .get_result::<Reponse>(conn)
        .await
        .map(|r| r.ok)
}

/// Runs `tache` holding its advisory lock on `conn`, unless another session holds it.
pub async fn executer_sous_verrou(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    tache: &Tache,
) -> Result<Execution, Echec> {
    let acquis = verrou(
        conn,
        "SELECT pg_try_advisory_lock($1) AS ok",
        tache.cle_verrou,
    )
    .await
    .map_err(Echec::Verrou)?;
    if !acquis {
        return Ok(Execution::DejaEnCours);
    }
    let resultat = AssertUnwindSafe((tache.executer)(state))
        .catch_unwind()
        .await;
    let libere = verrou(
        conn,
        "SELECT pg_advisory_unlock($1) AS ok",
        tache.cle_verrou,
    )
    .await
    .map_err(Echec::Verrou)?;
    if !libere {
        tracing::warn!(tache = tache.nom, "verrou consultatif déjà libéré");
    }
    match resultat {
        Ok(Ok(n)) => Ok(Execution::Faite(n)),
        Ok(Err(e)) => Err(Echec::Tache(e)),
        Err(_) => Err(Echec::Tache(anyhow::anyhow!("la tâche a paniqué"))),
    }
}

#[cfg(test)]
mod tests {
    use super::TACHES;

    #[test]
    fn chaque_tache_a_son_verrou() {
        let mut cles: Vec<i64> = TACHES.iter().map(|t| t.cle_verrou).collect();
        cles.sort_unstable();
        cles.dedup();
        assert_eq!(cles.len(), TACHES.len());
    }
}
