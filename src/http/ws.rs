//! `GET /graphql/ws`: GraphQL over WebSocket (graphql-transport-ws, and the older graphql-ws),
//! for the subscriptions. Browsers cannot set headers on a WebSocket, so the access token
//! comes in `connection_init`'s payload: `{"Authorization": "Bearer <token>"}` (or
//! `{"token": "<token>"}`). A connection without a token is anonymous (every subscription
//! then answers `UNAUTHENTICATED`); a token refused closes the connection (code 1002,
//! the reason in the close frame: async-graphql's choice, where graphql-transport-ws suggests 4403).
//!
//! A socket must send its `connection_init` within `WS_INIT_TIMEOUT_SECS` (10 s), or it is
//! closed. The HTTP route's protections hold here too: frames and messages are bounded, each
//! operation passes the raw-document guard before the parser, and introspection follows the
//! same rule (in production, for staff only).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::{IntoResponse, Response as HttpResponse};

use super::graphql::{GraphqlState, caller_of_token, check_document};
use crate::auth::{Principal, TokenError};
use crate::graphql::{AppSchema, RequestContext};
use crate::state::AppState;

/// The largest message (and frame) a client may send: an operation is at most 32 KiB, its
/// variables a few more.
pub const MESSAGE_MAX: usize = 64 * 1024;

pub async fn upgrade(
    State(state): State<GraphqlState>,
    protocol: GraphQLProtocol,
    ws: WebSocketUpgrade,
) -> HttpResponse {
    let app = state.app.clone();
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
            let delai = Duration::from_secs(app.config.http.ws_init_timeout_secs);
            let initialisee = Arc::new(AtomicBool::new(false));
            let drapeau = initialisee.clone();
            let service = GraphQLWebSocket::new(socket, executor, protocol)
                .on_connection_init(move |payload| {
                    drapeau.store(true, Ordering::Relaxed);
                    initialiser(app, staff, payload)
                })
                .serve();
            tokio::pin!(service);
            // A socket that never says who it is does not hold a connection forever: dropped
            // (closed) when its `connection_init` is late.
            tokio::select! {
                () = &mut service => {}
                () = tokio::time::sleep(delai) => {
                    if initialisee.load(Ordering::Relaxed) {
                        service.await;
                    }
                }
            }
        })
        .into_response()
}

/// The token of a `connection_init` payload, if it carries one.
fn jeton(payload: &serde_json::Value) -> Option<&str> {
    let entete = ["Authorization", "authorization"]
        .iter()
        .find_map(|cle| payload.get(cle)?.as_str());
    match entete {
        Some(valeur) => Some(valeur.strip_prefix("Bearer ").unwrap_or(valeur)),
        None => payload.get("token")?.as_str(),
    }
}

/// The connection's caller, from `connection_init`: its data for every operation.
async fn initialiser(
    app: AppState,
    staff: Arc<AtomicBool>,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let contexte = match jeton(&payload) {
        None => RequestContext::anonymous(),
        Some(jeton) => {
            let (principal, session_id, restreinte) = caller_of_token(&app, jeton).await;
            match principal {
                Ok(principal) => RequestContext {
                    principal: Ok(principal),
                    session_id,
                    restreinte,
                    ..RequestContext::anonymous()
                },
                Err(TokenError::Unavailable) => {
                    return Err("Service momentanément indisponible.".into());
                }
                Err(_) => return Err("Jeton d'accès invalide ou expiré.".into()),
            }
        }
    };
    staff.store(
        matches!(contexte.principal, Ok(Principal::Agent { .. })),
        Ordering::Relaxed,
    );
    let mut data = Data::default();
    data.insert(contexte);
    Ok(data)
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

    #[test]
    fn le_jeton_vient_de_l_en_tete_ou_du_champ_token() {
        assert_eq!(
            jeton(&json!({ "Authorization": "Bearer abc" })),
            Some("abc")
        );
        assert_eq!(jeton(&json!({ "authorization": "abc" })), Some("abc"));
        assert_eq!(jeton(&json!({ "token": "abc" })), Some("abc"));
        assert_eq!(jeton(&json!({})), None);
        assert_eq!(jeton(&json!(null)), None);
    }
}
