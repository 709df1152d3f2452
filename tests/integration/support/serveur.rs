//! The application served over real TCP, as replicas: each instance with its own pool and its
//! own notification listener, all on the test's database; and a graphql-transport-ws client.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use registre_dcp::clock::SharedClock;
use registre_dcp::state::AppState;
use registre_dcp::{db, evenements, graphql, http};

use super::TestApp;

/// One running instance; stopped when dropped.
pub struct Instance {
    pub state: AppState,
    pub adresse: SocketAddr,
    arret: watch::Sender<bool>,
    taches: Vec<JoinHandle<()>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.arret.send(true);
        for tache in &self.taches {
            tache.abort();
        }
    }
}

impl TestApp {
    /// Another replica of this application: the same configuration, database and clock, its
    /// own pool and listener, served on a free port of 127.0.0.1.
    pub async fn replique(&self) -> Instance {
        let config = self.state.config.clone();
        let requetes = db::CompteurRequetes::default();
        let pool = db::pool(&config.database, &requetes);
        let clock: SharedClock = self.clock.clone();
        let state = AppState::new(config, pool, requetes, clock).expect("état de la réplique");
        let schema = graphql::build(state.clone());
        let router = http::router(state.clone(), schema);
        let ecoute = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let adresse = ecoute.local_addr().unwrap();
        let (arret, arret_rx) = watch::channel(false);
        let listener = evenements::demarrer(
            state.config.database.url.clone(),
            state.evenements.clone(),
            arret_rx,
        );
        let config_http = state.config.http.clone();
        let arret_serveur = arret.subscribe();
        let serveur = tokio::spawn(async move {
            http::connexions::servir(ecoute, router, &config_http, arret_serveur).await;
        });
        Instance {
            state,
            adresse,
            arret,
            taches: vec![listener, serveur],
        }
    }
}

/// A graphql-transport-ws client.
pub struct ClientWs {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How long a test waits for a message it expects.
pub const ATTENTE: Duration = Duration::from_secs(10);

impl ClientWs {
    /// Opens `/graphql/ws` without saying anything.
    pub async fn muet(adresse: SocketAddr) -> Self {
        let mut requete = format!("ws://{adresse}/graphql/ws")
            .into_client_request()
            .unwrap();
        requete.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (ws, reponse) = tokio_tungstenite::connect_async(requete).await.unwrap();
        assert_eq!(
            reponse.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        Self { ws }
    }

    /// Opens `/graphql/ws` and sends `connection_init` with `payload`; returns the client
    /// and the server's first answer (`connection_ack`, or the close frame).
    pub async fn ouvrir(adresse: SocketAddr, payload: Value) -> (Self, Value) {
        let mut client = Self::muet(adresse).await;
        client
            .envoyer(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let premier = client
            .recevoir(ATTENTE)
            .await
            .expect("réponse à connection_init");
        (client, premier)
    }

    /// Opens a connection authenticated by `jeton`, acknowledged.
    pub async fn connecter(adresse: SocketAddr, jeton: &str) -> Self {
        let (client, ack) = Self::ouvrir(
            adresse,
            json!({ "Authorization": format!("Bearer {jeton}") }),
        )
        .await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    pub async fn envoyer(&mut self, message: Value) {
        self.ws
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    /// Starts the operation `id`.
    pub async fn souscrire(&mut self, id: &str, query: &str, variables: Value) {
        self.envoyer(json!({ "type": "subscribe", "id": id,
            "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message within `delai` (pings answered on the way): a JSON message, or
    /// `{"type": "close", "code": …, "reason": …}`; `None` when nothing came.
    pub async fn recevoir(&mut self, delai: Duration) -> Option<Value> {
        let fin = tokio::time::Instant::now() + delai;
        loop {
            let message = tokio::time::timeout_at(fin, self.ws.next()).await.ok()?;
            match message {
                Some(Ok(Message::Text(texte))) => {
                    let valeur: Value = serde_json::from_str(&texte).unwrap();
                    if valeur["type"] == "ping" {
                        self.envoyer(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(valeur);
                }
                Some(Ok(Message::Close(cadre))) => {
                    let (code, raison) = cadre
                        .map(|c| (u16::from(c.code), c.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Some(json!({ "type": "close", "code": code, "reason": raison }));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    return Some(json!({ "type": "close", "code": 1006, "reason": "" }));
                }
            }
        }
    }
}
