//! The server's accept loop, with the limits `axum::serve` leaves out: a deadline for a
//! request's header (`HTTP_HEADER_TIMEOUT_SECS`: hyper's own, which needs a timer that
//! `axum::serve` does not give it), a deadline for its whole body (`HTTP_BODY_TIMEOUT_SECS`,
//! [`echeance_du_corps`]), and a cap on the connections one client address holds open
//! (`MAX_CONNECTIONS_PER_ADDRESS`, WebSockets included: the upgraded socket keeps its
//! connection's [`Occupation`]). A client trickling a byte every few seconds thus holds a
//! connection for a bounded time, and one address cannot hold them all.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as _, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt as _;

use crate::config::HttpConfig;

/// The connections open per client address.
#[derive(Debug, Default)]
struct Compteur(Mutex<HashMap<IpAddr, usize>>);

/// One open connection of an address, given back when dropped (the connection ends, or its
/// upgraded WebSocket does).
#[derive(Debug, Clone)]
pub struct Occupation {
    _place: Arc<Place>,
}

#[derive(Debug)]
struct Place {
    compteur: Arc<Compteur>,
    adresse: Option<IpAddr>,
}

impl Drop for Place {
    fn drop(&mut self) {
        let Some(adresse) = self.adresse else {
            return;
        };
        let mut ouvertes = self.compteur.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = ouvertes.get_mut(&adresse) {
            *n -= 1;
            if *n == 0 {
                ouvertes.remove(&adresse);
            }
        }
    }
}

impl Compteur {
    /// A place for a connection of `adresse`, unless it holds `max` already (`max == 0`:
    /// no cap; `adresse == None`: not counted).
    fn prendre(self: &Arc<Self>, adresse: Option<IpAddr>, max: usize) -> Option<Occupation> {
        if let Some(adresse) = adresse.filter(|_| max > 0) {
            let mut ouvertes = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let n = ouvertes.entry(adresse).or_default();
            if *n >= max {
                return None;
            }
            *n += 1;
        }
        Some(Occupation {
            _place: Arc::new(Place {
                compteur: self.clone(),
                adresse: adresse.filter(|_| max > 0),
            }),
        })
    }
}

/// Serves `app` on `listener` until `arret` turns true, then lets the open connections end
/// (the caller bounds how long). Each request carries its peer's `ConnectInfo` and its
/// connection's [`Occupation`].
pub async fn servir(
    listener: TcpListener,
    app: Router,
    config: &HttpConfig,
    mut arret: watch::Receiver<bool>,
) {
    let compteur = Arc::new(Compteur::default());
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(config.header_timeout_secs.max(1)));
    // CONNECT, for WebSockets over HTTP/2.
    builder
        .http2()
        .timer(TokioTimer::new())
        .enable_connect_protocol();
    loop {
        let (flux, pair) = tokio::select! {
            accepte = listener.accept() => match accepte {
                Ok(accepte) => accepte,
                Err(erreur) => {
                    // Out of file descriptors, most often: wait instead of spinning.
                    tracing::warn!(%erreur, "connexion non acceptée");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            // `map(drop)`: the watch's guard must not live across the loop's awaits.
            _ = async { arret.wait_for(|stop| *stop).await.map(drop) } => break,
        };
        let adresse = pair.ip();
        let plafonnee = !config
            .trusted_proxies
            .iter()
            .any(|net| net.contains(&adresse));
        let Some(occupation) = compteur.prendre(
            plafonnee.then_some(adresse),
            config.max_connections_per_address,
        ) else {
            tracing::debug!(%adresse, "connexion refusée : trop de connexions de cette adresse");
            drop(flux);
            continue;
        };
        let _ = flux.set_nodelay(true);
        let app = app.clone();
        let place = occupation.clone();
        let service = tower::service_fn(move |requete: axum::http::Request<Incoming>| {
            let mut requete = requete.map(Body::new);
            requete.extensions_mut().insert(ConnectInfo(pair));
            requete.extensions_mut().insert(place.clone());
            app.clone().oneshot(requete)
        });
        let connexion = builder
            .serve_connection_with_upgrades(TokioIo::new(flux), TowerToHyperService::new(service))
            .into_owned();
        let connexion = graceful.watch(connexion);
        tokio::spawn(async move {
            if let Err(erreur) = connexion.await {
                tracing::trace!(%erreur, "connexion terminée sur une erreur");
            }
            drop(occupation);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// The error of a body not received in time.
#[derive(Debug)]
pub struct CorpsTropLent;

impl std::fmt::Display for CorpsTropLent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("corps de requête non reçu dans le délai")
    }
}

impl std::error::Error for CorpsTropLent {}

/// Whether `erreur` (a body's, as a handler reads it) is [`CorpsTropLent`].
pub fn est_corps_trop_lent(erreur: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(erreur);
    while let Some(e) = cause {
        if e.is::<CorpsTropLent>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A body that fails with [`CorpsTropLent`] once its deadline passes, however it trickles.
struct CorpsAEcheance {
    corps: Body,
    echeance: Pin<Box<tokio::time::Sleep>>,
}

impl http_body::Body for CorpsAEcheance {
    type Data = axum::body::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if self.echeance.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(CorpsTropLent))));
        }
        Pin::new(&mut self.corps)
            .poll_frame(cx)
            .map_err(axum::BoxError::from)
    }

    fn is_end_stream(&self) -> bool {
        self.corps.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.corps.size_hint()
    }
}

/// Gives each request body a deadline of `HTTP_BODY_TIMEOUT_SECS` from the moment its
/// handler starts (its header is in); a body that has not ended by then fails, and the
/// handler answers `408` (see [`trop_lent`]).
pub async fn echeance_du_corps(
    axum::extract::State(delai): axum::extract::State<Duration>,
    requete: Request,
    suite: Next,
) -> Response {
    let requete = requete.map(|corps| {
        if corps.is_end_stream() {
            return corps;
        }
        Body::new(CorpsAEcheance {
            corps,
            echeance: Box::pin(tokio::time::sleep(delai)),
        })
    });
    suite.run(requete).await
}

/// The answer to a body not received in time; the connection is closed after it.
pub fn trop_lent() -> Response {
    (
        StatusCode::REQUEST_TIMEOUT,
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CONNECTION, "close"),
        ],
        r#"{"errors":[{"message":"Corps de requête reçu trop lentement.","extensions":{"code":"REQUEST_TIMEOUT"}}]}"#,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_adresse_ne_prend_pas_plus_que_sa_part_et_la_rend() {
        let compteur = Arc::new(Compteur::default());
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        let premiere = compteur.prendre(Some(a), 2).unwrap();
        let seconde = compteur.prendre(Some(a), 2).unwrap();
        assert!(compteur.prendre(Some(a), 2).is_none());
        assert!(compteur.prendre(Some(b), 2).is_some());
        // A clone (the upgraded socket's) keeps the place until the last one goes.
        let socket = seconde.clone();
        drop(seconde);
        assert!(compteur.prendre(Some(a), 2).is_none());
        drop(socket);
        assert!(compteur.prendre(Some(a), 2).is_some());
        drop(premiere);
        assert!(compteur.0.lock().unwrap().get(&a).is_none());
        // No cap, or an address not counted (a trusted proxy).
        let _tenues: Vec<_> = (0..10).map(|_| compteur.prendre(Some(a), 0)).collect();
        assert!(compteur.prendre(None, 1).is_some());
    }

    #[tokio::test]
    async fn un_corps_qui_traine_echoue_a_son_echeance() {
        let corps = Body::from_stream(futures_util::stream::pending::<
            Result<axum::body::Bytes, std::io::Error>,
        >());
        let corps = Body::new(CorpsAEcheance {
            corps,
            echeance: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        });
        let erreur = axum::body::to_bytes(corps, 1024).await.unwrap_err();
        assert!(est_corps_trop_lent(&erreur), "{erreur:?}");
        let complet = Body::new(CorpsAEcheance {
            corps: Body::from("{}"),
            echeance: Box::pin(tokio::time::sleep(Duration::from_secs(5))),
        });
        assert_eq!(axum::body::to_bytes(complet, 1024).await.unwrap(), "{}");
    }
}
