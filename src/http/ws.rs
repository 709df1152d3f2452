//! `GET /graphql/ws`: GraphQL over WebSocket (graphql-transport-ws, and the older graphql-ws),
//! for the subscriptions. Browsers cannot set headers on a WebSocket, so the access token
//! comes in `connection_init`'s payload: `{"Authorization": "Bearer <token>"}`,
//! `{"headers": {"Authorization": "Bearer <token>"}}` (what GraphiQL and several clients send)
//! or `{"token": "<token>"}`. A connection without a token is anonymous (every subscription
//! then answers `UNAUTHENTICATED`); a token refused closes the connection with code 4403
//! (graphql-transport-ws's « Forbidden », the French reason in the close frame), or with a
//! `connection_error` message under the older protocol.
//!
//! A browser may open the socket only from the same host or from one of `CORS_ORIGINS`: the
//! browser sends no preflight for a WebSocket, so the server checks `Origin` itself (a client
//! that sends none, outside a browser, is not concerned).
//!
//! A socket must send its `connection_init` within `WS_INIT_TIMEOUT_SECS` (10 s), or it is
//! closed. The HTTP route's protections hold here too: frames and messages are bounded, each
//! operation passes the raw-document guard before the parser, and introspection follows the
//! same rule (in production, for staff only).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::futures_util::{SinkExt, future};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, Extension, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use tokio::sync::Semaphore;

use super::connexions::Occupation;
use super::graphql::{GraphqlState, caller_of_token, check_document, forwarded_client};
use crate::auth::{Principal, TokenError};
use crate::graphql::{AbonnementsConnexion, AppSchema, RequestContext};
use crate::state::AppState;

/// The largest message (and frame) a client may send: an operation is at most 32 KiB, its
/// variables a few more.
pub const MESSAGE_MAX: usize = 64 * 1024;

/// graphql-transport-ws's close code for a refused `connection_init`.
pub const FERMETURE_INTERDIT: u16 = 4403;
/// graphql-transport-ws's close code for a server-side failure.
pub const FERMETURE_ERREUR_INTERNE: u16 = 4500;

pub async fn upgrade(
    State(state): State<GraphqlState>,
    protocol: GraphQLProtocol,
    headers: HeaderMap,
    occupation: Option<Extension<Occupation>>,
    pair: Option<Extension<ConnectInfo<SocketAddr>>>,
    ws: WebSocketUpgrade,
) -> HttpResponse {
    let app = state.app.clone();
    if !origine_admise(&headers, &app.config.http.cors_origins) {
        return (StatusCode::FORBIDDEN, "Origine non autorisée.").into_response();
    }
    // The address's WebSockets (`MAX_WEBSOCKETS_PER_ADDRESS`), held until the socket ends.
    let adresse = pair.map(|Extension(ConnectInfo(pair))| {
        forwarded_client(pair.ip(), &headers, &app.config.http.trusted_proxies)
    });
    let place = match adresse {
        Some(adresse) => match app.websockets.prendre(adresse) {
            Some(place) => Some(place),
            None => {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Au plus {} WebSockets ouverts par adresse (MAX_WEBSOCKETS_PER_ADDRESS).",
                        app.websockets.max()
                    ),
                )
                    .into_response();
            }
        },
        None => None,
    };
    let transport_ws = protocole_transport_ws(&headers);
    let staff = Arc::new(AtomicBool::new(false));
    let executor = Executeur {
        schema: state.schema.clone(),
        production: app.is_production(),
        staff: staff.clone(),
    };
    ws.protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(MESSAGE_MAX)
        .max_frame_size(MESSAGE_MAX)
        .on_upgrade(move |socket| async move {
            // The socket holds its connection's place among its address's connections.
            let _occupation = occupation;
            let _place = place;
            servir(socket, app, executor, protocol, transport_ws, staff).await;
        })
        .into_response()
}

/// Serves one socket: its first message read here (a `connection_init` is checked before
/// the library sees it, to close a refused one with the protocol's code), then the rest.
async fn servir(
    socket: WebSocket,
    app: AppState,
    executor: Executeur,
    protocol: GraphQLProtocol,
    transport_ws: bool,
    staff: Arc<AtomicBool>,
) {
    let delai = Duration::from_secs(app.config.http.ws_init_timeout_secs);
    let (mut sortie, mut entree) = socket.split();
    // A socket that never says who it is does not hold a connection forever.
    let premier = loop {
        match tokio::time::timeout(delai, entree.next()).await {
            Ok(Some(Ok(m @ (Message::Text(_) | Message::Binary(_))))) => break m,
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return,
        }
    };
    let mut verifie = None;
    if let Some(payload) = connection_init(&premier) {
        match contexte(&app, &payload).await {
            Ok(contexte) => verifie = Some(contexte),
            Err(refus) => {
                let _ = sortie.send(refus.message(transport_ws)).await;
                let _ = sortie.close().await;
                return;
            }
        }
    }
    let initialisee = Arc::new(AtomicBool::new(verifie.is_some()));
    let drapeau = initialisee.clone();
    let entree = stream::once(future::ready(Ok(premier))).chain(entree);
    let service = GraphQLWebSocket::new_with_pair(sortie, entree, executor, protocol)
        .on_connection_init(move |payload| async move {
            drapeau.store(true, Ordering::Relaxed);
            let contexte = match verifie {
                Some(contexte) => contexte,
                None => contexte(&app, &payload).await.map_err(|r| r.raison)?,
            };
            staff.store(
                matches!(contexte.principal, Ok(Principal::Agent { .. })),
                Ordering::Relaxed,
            );
            let mut data = Data::default();
            data.insert(contexte);
            data.insert(AbonnementsConnexion(Arc::new(Semaphore::new(
                app.config.http.max_subscriptions_per_connection.max(1),
            ))));
            Ok(data)
        })
        .serve();
    tokio::pin!(service);
    tokio::select! {
        () = &mut service => {}
        () = tokio::time::sleep(delai) => {
            if initialisee.load(Ordering::Relaxed) {
                service.await;
            }
        }
    }
}

/// Whether a browser page of `Origin` may open the socket: no `Origin` (not a browser), the
/// same host as the request's, or one of the configured origins.
fn origine_admise(headers: &HeaderMap, origines: &[String]) -> bool {
    let Some(origine) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origine) = origine.to_str() else {
        return false;
    };
    if origines.iter().any(|o| o.trim() == origine) {
        return true;
    }
    let hote = origine
        .strip_prefix("http://")
        .or_else(|| origine.strip_prefix("https://"));
    let demande = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    matches!((hote, demande), (Some(h), Some(d)) if h.eq_ignore_ascii_case(d))
}

/// Whether the client chose graphql-transport-ws (the first protocol it offers that the
/// server speaks, as the library's extractor reads it).
fn protocole_transport_ws(headers: &HeaderMap) -> bool {
    headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|protocoles| {
            protocoles
                .split(',')
                .map(str::trim)
                .find(|p| ALL_WEBSOCKET_PROTOCOLS.contains(p))
        })
        == Some("graphql-transport-ws")
}

/// The payload of a `connection_init` message, if `message` is one.
fn connection_init(message: &Message) -> Option<serde_json::Value> {
    let texte = match message {
        Message::Text(t) => t.as_str(),
        Message::Binary(b) => std::str::from_utf8(b).ok()?,
        _ => return None,
    };
    let mut valeur: serde_json::Value = serde_json::from_str(texte).ok()?;
    if valeur.get("type")?.as_str()? != "connection_init" {
        return None;
    }
    Some(
        valeur
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or_default(),
    )
}

/// The token of a `connection_init` payload, if it carries one.
fn jeton(payload: &serde_json::Value) -> Option<&str> {
    fn entete(objet: &serde_json::Value) -> Option<&str> {
        ["Authorization", "authorization"]
            .iter()
            .find_map(|cle| objet.get(cle)?.as_str())
    }
    match entete(payload).or_else(|| entete(payload.get("headers")?)) {
        Some(valeur) => Some(valeur.strip_prefix("Bearer ").unwrap_or(valeur)),
        None => payload.get("token")?.as_str(),
    }
}

/// Why a `connection_init` is refused.
struct Refus {
    code: u16,
    raison: String,
}

impl Refus {
    /// The message that closes the socket: a close frame under graphql-transport-ws, a
    /// `connection_error` under the older protocol (which has no close codes of its own).
    fn message(&self, transport_ws: bool) -> Message {
        if transport_ws {
            Message::Close(Some(CloseFrame {
                code: self.code,
                reason: self.raison.as_str().into(),
            }))
        } else {
            let erreur = serde_json::json!({
                "type": "connection_error",
                "payload": { "message": self.raison },
            });
            Message::Text(erreur.to_string().into())
        }
    }
}

/// The connection's caller, from `connection_init`'s payload.
async fn contexte(app: &AppState, payload: &serde_json::Value) -> Result<RequestContext, Refus> {
    let Some(jeton) = jeton(payload) else {
        return Ok(RequestContext::anonymous());
    };
    let (principal, session_id, restreinte) = caller_of_token(app, jeton).await;
    let expire_le = app
        .tokens
        .verify(jeton.trim(), app.clock.now())
        .ok()
        .map(|j| j.expire_le);
    match principal {
        Ok(principal) => Ok(RequestContext {
            principal: Ok(principal),
            session_id,
            restreinte,
            expire_le,
            ..RequestContext::anonymous()
        }),
        Err(TokenError::Unavailable) => Err(Refus {
            code: FERMETURE_ERREUR_INTERNE,
            raison: "Service momentanément indisponible.".into(),
        }),
        Err(_) => Err(Refus {
            code: FERMETURE_INTERDIT,
            raison: "Jeton d'accès invalide ou expiré.".into(),
        }),
    }
}

/// The schema behind the connection's guards.
#[derive(Clone)]
struct Executeur {
    schema: AppSchema,
    production: bool,
    /// Whether the connection's caller is staff (set by `connection_init`).
    staff: Arc<AtomicBool>,
}

impl Executeur {
    /// The request ready to run, or the answer refusing it.
    fn preparer(&self, mut request: Request) -> Result<Request, Box<Response>> {
        if let Err(rejet) = check_document(&mut request) {
            let mut erreur = ServerError::new(rejet.message(), None);
            erreur
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_REQUEST");
            return Err(Box::new(Response::from_errors(vec![erreur])));
        }
        if let Some(refus) = crate::graphql::refuser_caracteres_interdits(&mut request) {
            return Err(Box::new(Response::from_errors(vec![refus])));
        }
        if self.production && !self.staff.load(Ordering::Relaxed) {
            request = request.disable_introspection();
        }
        Ok(request)
    }
}

impl Executor for Executeur {
    async fn execute(&self, request: Request) -> Response {
        match self.preparer(request) {
            Ok(mut request) => {
                let lisible = request.parsed_query().is_ok();
                let mut response = self.schema.execute(request).await;
                crate::graphql::coder(&mut response, lisible);
                response
            }
            Err(rejet) => *rejet,
        }
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        match self.preparer(request) {
            Ok(mut request) => {
                let lisible = request.parsed_query().is_ok();
                Executor::execute_stream(&self.schema, request, session_data)
                    .map(move |mut response| {
                        crate::graphql::coder(&mut response, lisible);
                        response
                    })
                    .boxed()
            }
            Err(rejet) => stream::once(async move { *rejet }).boxed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entetes(paires: &[(header::HeaderName, &str)]) -> HeaderMap {
        paires
            .iter()
            .map(|(n, v)| (n.clone(), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn seules_l_origine_du_service_et_les_origines_configurees_ouvrent_le_socket() {
        let admises = ["https://portail.artci.ci".to_owned()];
        let hote = (header::HOST, "api.artci.ci");
        assert!(origine_admise(
            &entetes(std::slice::from_ref(&hote)),
            &admises
        ));
        for origine in [
            "https://api.artci.ci",
            "http://API.artci.ci",
            "https://portail.artci.ci",
        ] {
            let h = entetes(&[hote.clone(), (header::ORIGIN, origine)]);
            assert!(origine_admise(&h, &admises), "{origine}");
        }
        for origine in [
            "https://evil.example",
            "https://api.artci.ci.evil.example",
            "null",
        ] {
            let h = entetes(&[hote.clone(), (header::ORIGIN, origine)]);
            assert!(!origine_admise(&h, &admises), "{origine}");
        }
    }

    #[test]
    fn le_protocole_est_le_premier_offert_que_le_serveur_parle() {
        let p = |v| protocole_transport_ws(&entetes(&[(header::SEC_WEBSOCKET_PROTOCOL, v)]));
        assert!(p("graphql-transport-ws"));
        assert!(p("autre, graphql-transport-ws, graphql-ws"));
        assert!(!p("graphql-ws, graphql-transport-ws"));
    }

    #[test]
    fn le_jeton_vient_de_l_en_tete_ou_du_champ_token() {
        assert_eq!(
            jeton(&json!({ "Authorization": "Bearer abc" })),
            Some("abc")
        );
        assert_eq!(jeton(&json!({ "authorization": "abc" })), Some("abc"));
        assert_eq!(jeton(&json!({ "token": "abc" })), Some("abc"));
        assert_eq!(
            jeton(&json!({ "headers": { "Authorization": "Bearer abc" } })),
            Some("abc")
        );
        assert_eq!(jeton(&json!({})), None);
        assert_eq!(jeton(&json!(null)), None);
    }
}
