//! `registre-dcp serve`: wait for the database, migrate it, then serve until SIGTERM/Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::clock::SystemClock;
use crate::config::ServeConfig;
use crate::state::AppState;
use crate::{db, evenements, graphql, http, jobs, mail, migrations};

pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    tracing::info!(
        database = %db::redact(&config.database.url),
        "démarrage de registre-dcp {}",
        env!("CARGO_PKG_VERSION")
    );
    db::wait_until_reachable(&config.database).await?;
    let applied = migrations::run_pending(&config.database.url).await?;
    if applied.is_empty() {
        tracing::info!("schéma à jour : aucune migration à appliquer");
    }
    for name in &applied {
        tracing::info!(migration = %name, "migration appliquée");
    }

    let listener = TcpListener::bind(config.listen_addr)
        .await
        .with_context(|| format!("écoute impossible sur {}", config.listen_addr))?;
    let grace = Duration::from_secs(config.http.shutdown_grace_secs);
    let requetes = db::CompteurRequetes::default();
    let pool = db::pool(&config.database, &requetes);
    let state = AppState::new(config, pool, requetes, Arc::new(SystemClock))?;
    let schema = graphql::build(state.clone());
    let app = http::router(state.clone(), schema);

    tracing::info!(addr = %listener.local_addr()?, "à l'écoute");
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("arrêt demandé : les requêtes en cours se terminent");
        let _ = stop_tx.send(true);
    });
    let ecoute = evenements::demarrer(
        state.config.database.url.clone(),
        state.evenements.clone(),
        stop_rx.clone(),
    );
    let taches = jobs::demarrer(state.clone(), stop_rx.clone());
    let http_config = state.config.http.clone();
    let a_finir = state.a_finir.clone();
    let courriels = mail::worker::demarrer(state, stop_rx.clone());
    let server = http::connexions::servir(listener, app, &http_config, stop_rx.clone());
    let mut deadline_rx = stop_rx;
    let deadline = async move {
        let _ = deadline_rx.wait_for(|stop| *stop).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        () = server => {}
        () = deadline => tracing::warn!("délai de grâce écoulé : connexions restantes fermées"),
    }
    // What requests handed off (a reset code to queue) ends before the process does.
    a_finir.close();
    if tokio::time::timeout(grace, a_finir.wait()).await.is_err() {
        tracing::warn!("délai de grâce écoulé : tâches différées abandonnées");
    }
    mail::worker::arreter(courriels).await;
    jobs::arreter(taches).await;
    ecoute.abort();
    tracing::info!("arrêté");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
