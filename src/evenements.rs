//! Live updates across replicas. The database announces every change of a dossier or of an
//! assignation on one channel (`NOTIFY`, by the triggers of the migration
//! `notifications_temps_reel`, so that no code path can forget it and nothing is announced
//! for a transaction that rolls back). Each server instance holds one dedicated connection
//! that `LISTEN`s to the channel and hands each event to a broadcast channel; each GraphQL
//! subscription reads that channel and keeps only what its subscriber may see
//! (`graphql::subscription`).
//!
//! An event carries ids and statuses only: what a subscriber reads of the dossier goes
//! through the resolvers and their checks. A subscriber that falls too far behind loses the
//! oldest events (it is told nothing more than a gap in its stream), never slows the others.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::ConnectionError;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::{OnceCell, broadcast, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::models::enums::{StatutAssignation, StatutWorkflow};

/// The channel the triggers notify on.
pub const CANAL: &str = "registre_dcp_evenements";

/// How many events a subscriber may lag behind before it loses the oldest.
const CAPACITE: usize = 1024;

/// The longest wait between two attempts to reconnect the listener.
const ATTENTE_MAX: Duration = Duration::from_secs(30);

/// A change, as the database announced it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evenement {
    /// A dossier changed: its status, its content (a new version), its agent or its approval.
    Dossier {
        entite_id: Uuid,
        /// The company owning the entity (none for an unclaimed ARTCI entry).
        compte_id: Option<Uuid>,
        statut: StatutWorkflow,
        version: i32,
    },
    /// An assignation was created or changed status, agent or échéance.
    Assignation {
        assignation_id: Uuid,
        entite_id: Uuid,
        agent_id: Uuid,
        /// The agent before a re-assignment (or the same one).
        ancien_agent_id: Option<Uuid>,
        statut: StatutAssignation,
        ancien_statut: Option<StatutAssignation>,
    },
}

impl Evenement {
    /// Reads a notification's payload; `None` (logged) for one this version does not know.
    pub fn lire(charge: &str) -> Option<Self> {
        match serde_json::from_str(charge) {
            Ok(evenement) => Some(evenement),
            Err(e) => {
                tracing::warn!(erreur = %e, "notification illisible ignorée");
                None
            }
        }
    }
}

/// An event as subscribers receive it: numbered in the order this instance received them,
/// so that the checks the subscribers of one event share are made once for all of them.
pub type EvenementNumerote = (u64, Evenement);

/// Where the listener hands events and subscriptions pick them up. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Diffuseur {
    emetteur: broadcast::Sender<EvenementNumerote>,
    suivant: Arc<AtomicU64>,
}

impl Default for Diffuseur {
    fn default() -> Self {
        Self {
            emetteur: broadcast::channel(CAPACITE).0,
            suivant: Arc::default(),
        }
    }
}

impl Diffuseur {
    /// Every event from now on.
    pub fn abonner(&self) -> broadcast::Receiver<EvenementNumerote> {
        self.emetteur.subscribe()
    }

    /// Hands `evenement` to the current subscribers (none: dropped).
    pub fn diffuser(&self, evenement: Evenement) {
        let numero = self.suivant.fetch_add(1, Ordering::Relaxed);
        let _ = self.emetteur.send((numero, evenement));
    }
}

/// What the subscribers of one event learn once for all of them: the check of a session
/// (is it still open, who is its holder now) is made for the first subscription of that
/// session to reach the event, and shared by the others, however many they are.
#[derive(Debug)]
pub struct ParEvenement<T> {
    cellules: Mutex<HashMap<Uuid, Cellule<T>>>,
}

/// A key's value for one event (its number), computed once.
type Cellule<T> = (u64, Arc<OnceCell<T>>);

impl<T> Default for ParEvenement<T> {
    fn default() -> Self {
        Self {
            cellules: Mutex::default(),
        }
    }
}

impl<T: Clone> ParEvenement<T> {
    /// `cle`'s value for the event `numero`: computed by `calculer` the first time, the same
    /// value afterwards (a concurrent caller waits for the first one's).
    pub async fn obtenir(&self, cle: Uuid, numero: u64, calculer: impl Future<Output = T>) -> T {
        let cellule = {
            let mut cellules = self.cellules.lock().unwrap_or_else(|e| e.into_inner());
            if cellules.len() > 4 * CAPACITE {
                // Only an event a subscriber may still be reading can share a value.
                let ancien = numero.saturating_sub(CAPACITE as u64);
                cellules.retain(|_, (n, _)| *n >= ancien);
            }
            match cellules.get(&cle) {
                Some((n, cellule)) if *n == numero => cellule.clone(),
                _ => {
                    let cellule = Arc::new(OnceCell::new());
                    cellules.insert(cle, (numero, cellule.clone()));
                    cellule
                }
            }
        };
        cellule.get_or_init(|| calculer).await.clone()
    }
}

/// Starts the listener: a dedicated connection to `url` that `LISTEN`s to [`CANAL`] and hands
/// each event to `diffuseur`, reconnecting with a growing wait when the connection drops,
/// until `stop` turns `true`.
pub fn demarrer(
    url: String,
    diffuseur: Diffuseur,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        const ATTENTE_MIN: Duration = Duration::from_millis(250);
        let mut attente = ATTENTE_MIN;
        loop {
            let debut = tokio::time::Instant::now();
            tokio::select! {
                fin = ecouter(&url, &diffuseur) => match fin {
                    Ok(()) => tracing::warn!("écoute des notifications interrompue"),
                    Err(e) => tracing::warn!(erreur = %e, "écoute des notifications impossible"),
                },
                _ = stop.wait_for(|arret| *arret) => break,
            }
            // A listening that held a while was a working connection: this outage starts
            // again from the shortest wait, not from where the last one left it.
            if debut.elapsed() >= ATTENTE_MAX {
                attente = ATTENTE_MIN;
            }
            tokio::select! {
                () = tokio::time::sleep(attente) => {}
                _ = stop.wait_for(|arret| *arret) => break,
            }
            attente = (attente * 2).min(ATTENTE_MAX);
        }
        tracing::info!("écoute des notifications arrêtée");
    })
}

/// Listens until the connection fails.
async fn ecouter(url: &str, diffuseur: &Diffuseur) -> Result<(), ConnectionError> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    conn.batch_execute(&format!("LISTEN {CANAL}"))
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    tracing::info!(canal = CANAL, "à l'écoute des notifications");
    let mut notifications = std::pin::pin!(conn.notifications_stream());
    while let Some(notification) = notifications.next().await {
        let notification = notification.map_err(ConnectionError::CouldntSetupConfiguration)?;
        if let Some(evenement) = Evenement::lire(&notification.payload) {
            diffuseur.diffuser(evenement);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_charges_des_declencheurs_se_lisent() {
        let id = Uuid::new_v4();
        assert_eq!(
            Evenement::lire(&format!(
                r#"{{"type":"dossier","entite_id":"{id}","compte_id":null,"statut":"en_verification","version":3}}"#
            )),
            Some(Evenement::Dossier {
                entite_id: id,
                compte_id: None,
                statut: StatutWorkflow::EnVerification,
                version: 3
            })
        );
        assert_eq!(
            Evenement::lire(&format!(
                r#"{{"type":"assignation","assignation_id":"{id}","entite_id":"{id}","agent_id":"{id}","ancien_agent_id":null,"statut":"traite_attente_validation","ancien_statut":"en_cours"}}"#
            )),
            Some(Evenement::Assignation {
                assignation_id: id,
                entite_id: id,
                agent_id: id,
                ancien_agent_id: None,
                statut: StatutAssignation::TraiteAttenteValidation,
                ancien_statut: Some(StatutAssignation::EnCours),
            })
        );
        assert_eq!(Evenement::lire(r#"{"type":"autre"}"#), None);
    }
}
