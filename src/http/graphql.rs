//! `/graphql` over HTTP, parsed here rather than by async-graphql-axum's extractor, which
//! executes mutations sent over GET and reads bodies without a size limit.
//!
//! - `POST` with `application/json`: one operation (a JSON array, a batch, is refused).
//! - `POST` with `multipart/form-data` (the GraphQL multipart request spec, for uploads): only
//!   with an `Authorization` or `GraphQL-Require-Preflight` header, which a cross-site HTML
//!   form cannot send, and a valid access token (else `401` before the body is read).
//! - `GET` with the query string: queries only; a mutation or subscription is `405`.
//! - Anything else is `415`.
//!
//! The answer is `application/graphql-response+json` when the client's `Accept` asks for it
//! (then a request that could not be parsed or validated is a `400`), else `application/json`
//! (always `200` for a well-formed GraphQL request). A request that could not be parsed or
//! validated was not executed: its answer has no `data` entry.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::Request as GqlRequest;
use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRef, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use serde_json::json;

use super::guard::{self, DocumentLimits};
use crate::auth::{Principal, TokenError};
use crate::error::AppError;
use crate::graphql::{AppSchema, RequestContext};
use crate::places::Place;
use crate::state::AppState;

/// Largest uploaded file, per the domain (documents are at most 10 MB).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
const MAX_FILES: usize = 4;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

#[derive(Clone)]
pub struct GraphqlState {
    pub app: AppState,
    pub schema: AppSchema,
}

impl FromRef<GraphqlState> for AppState {
    fn from_ref(state: &GraphqlState) -> AppState {
        state.app.clone()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    GraphqlResponseJson,
}

fn negotiate(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains(GRAPHQL_RESPONSE_JSON) {
        Format::GraphqlResponseJson
    } else {
        Format::Json
    }
}

pub async fn post(State(state): State<GraphqlState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let client_ip = client_addr(&parts, &state.app.config.http.trusted_proxies);
    let headers = parts.headers;
    let format = negotiate(&headers);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok());
    let Some(content_type) = content_type else {
        return unsupported_media_type(format);
    };
    let mut request = match (content_type.type_(), content_type.subtype()) {
        (mime::APPLICATION, mime::JSON) => {
            if content_type
                .get_param(mime::CHARSET)
                .is_some_and(|c| c != mime::UTF_8)
            {
                return unsupported_media_type(format);
            }
            match read_json(body, state.app.config.http.max_body_bytes).await {
                Ok(request) => request,
                Err(response) => return response(format),
            }
        }
        (mime::MULTIPART, mime::FORM_DATA)
            if headers.contains_key(header::AUTHORIZATION)
                || headers.contains_key("graphql-require-preflight") =>
        {
            // Every upload needs a signed-in caller: a request without a valid access token
            // (signature, claims, expiry: no database round trip) is answered before its
            // body is read, so nobody makes the server read megabytes for nothing.
            let jeton = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            if jeton.is_none_or(|j| {
                state
                    .app
                    .tokens
                    .verify(j.trim(), state.app.clock.now())
                    .is_err()
            }) {
                let mut response = request_error(
                    StatusCode::UNAUTHORIZED,
                    "Un envoi de fichier demande une session valide : connectez-vous.",
                    "UNAUTHENTICATED",
                    format,
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Bearer"),
                );
                response.headers_mut().insert(
                    header::CONNECTION,
                    header::HeaderValue::from_static("close"),
                );
                return response;
            }
            match read_multipart(&content_type, body).await {
                Ok(request) => request,
                Err(response) => return response(format),
            }
        }
        _ => return unsupported_media_type(format),
    };
    if let Some(rejected) = reject_document(&mut request, format) {
        return rejected;
    }
    execute(&state, &headers, client_ip, request, format).await
}

pub async fn get(State(state): State<GraphqlState>, parts: Parts) -> Response {
    let client_ip = client_addr(&parts, &state.app.config.http.trusted_proxies);
    let headers = parts.headers;
    let query = parts.uri.query();
    let format = negotiate(&headers);
    let Some(mut request) = parse_get(query.unwrap_or("")) else {
        return request_error(
            StatusCode::BAD_REQUEST,
            "Paramètres GraphQL invalides dans l'URL : query, operationName, variables (JSON).",
            "BAD_REQUEST",
            format,
        );
    };
    if let Some(rejected) = reject_document(&mut request, format) {
        return rejected;
    }
    // Mutations change state: never over GET, which links and prefetches can trigger.
    let operation_name = request.operation_name.clone();
    if let Ok(document) = request.parsed_query()
        && !query_only(&document.operations, operation_name.as_deref())
    {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Les mutations s'envoient en POST.",
            "METHOD_NOT_ALLOWED",
            format,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, &headers, client_ip, request, format).await
}

/// Whether the operation a GET would execute is a query. A document holding one named
/// operation is parsed as `Multiple` and runs without `operationName`: the decision is taken
/// from every operation the executor could pick, never from the request's form.
fn query_only(operations: &DocumentOperations, name: Option<&str>) -> bool {
    let is_query = |ty: OperationType| ty == OperationType::Query;
    match (operations, name) {
        (DocumentOperations::Single(op), _) => is_query(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name).is_none_or(|op| is_query(op.node.ty))
        }
        (DocumentOperations::Multiple(ops), None) => ops.values().all(|op| is_query(op.node.ty)),
    }
}

/// The client's address: the peer's (set by the server's `ConnectInfo`), or, when the peer
/// is a trusted proxy, the right-most address of `X-Forwarded-For` that is not one.
fn client_addr(parts: &Parts, trusted: &[ipnet::IpNet]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())?;
    Some(forwarded_client(peer, &parts.headers, trusted))
}

/// Only a trusted peer's `X-Forwarded-For` is read, from the right: the left part is what
/// the client itself claimed and may be forged.
pub(crate) fn forwarded_client(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// The GET parameters of the GraphQL-over-HTTP spec. async-graphql's own parser expects
/// `operation_name`, so a spec client's `operationName` would be ignored.
#[derive(serde::Deserialize)]
struct GetParams {
    #[serde(default)]
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

fn parse_get(query_string: &str) -> Option<GqlRequest> {
    let params: GetParams = serde_urlencoded::from_str(query_string).ok()?;
    let mut request = GqlRequest::new(params.query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables.filter(|v| !v.is_empty()) {
        let value: serde_json::Value = serde_json::from_str(&variables).ok()?;
        if !value.is_object() {
            return None;
        }
        request = request.variables(async_graphql::Variables::from_json(value));
    }
    Some(request)
}

/// The raw scan of `guard`, before the library parses anything.
/// Parsing happens here, once: the document is kept in the request for execution. A document
/// that does not parse goes on, and execution reports the syntax error with its code.
fn reject_document(request: &mut GqlRequest, format: Format) -> Option<Response> {
    let verdict = check_document(request);
    verdict.err().map(|rejection| {
        request_error(
            StatusCode::BAD_REQUEST,
            rejection.message(),
            "BAD_REQUEST",
            format,
        )
    })
}

/// The raw-document guard, before and after parsing (size, nesting, aliases, expansion).
pub(crate) fn check_document(request: &mut GqlRequest) -> Result<(), guard::DocumentRejection> {
    guard::check(&request.query, DocumentLimits::default()).and_then(|()| {
        match request.parsed_query() {
            Ok(document) => guard::check_expansion(document, guard::MAX_EXPANDED_FIELDS),
            Err(_) => Ok(()),
        }
    })
}

type Rejection = Box<dyn FnOnce(Format) -> Response + Send>;

async fn read_json(body: Body, limit: usize) -> Result<GqlRequest, Rejection> {
    let bytes: Bytes = axum::body::to_bytes(body, limit).await.map_err(|erreur| {
        if super::connexions::est_corps_trop_lent(&erreur) {
            return Box::new(|_| super::connexions::trop_lent()) as Rejection;
        }
        Box::new(|f| {
            request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Corps de requête trop volumineux.",
                "PAYLOAD_TOO_LARGE",
                f,
            )
        }) as Rejection
    })?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Box::new(|f| {
            request_error(
                StatusCode::BAD_REQUEST,
                "Les requêtes groupées (tableau JSON) ne sont pas acceptées : une opération par requête.",
                "BAD_REQUEST",
                f,
            )
        }));
    }
    let request = serde_json::from_slice::<GqlRequest>(&bytes).map_err(|_| {
        Box::new(|f| {
            request_error(
                StatusCode::BAD_REQUEST,
                "Corps JSON invalide : un objet { query, variables, operationName } est attendu.",
                "BAD_REQUEST",
                f,
            )
        }) as Rejection
    })?;
    // The library reads a missing `query` as an empty document: a client's typo (`qeury`)
    // is a malformed request, not a GraphQL syntax error.
    if request.query.trim().is_empty() {
        return Err(Box::new(|f| {
            request_error(
                StatusCode::BAD_REQUEST,
                "Le champ query (le document GraphQL) est requis.",
                "BAD_REQUEST",
                f,
            )
        }));
    }
    Ok(request)
}

async fn read_multipart(content_type: &mime::Mime, body: Body) -> Result<GqlRequest, Rejection> {
    // Whether the body failed for its deadline, which the parser's error does not tell.
    let trop_lent = Arc::new(AtomicBool::new(false));
    let signal = trop_lent.clone();
    let reader = body
        .into_data_stream()
        .map_err(move |erreur| {
            if super::connexions::est_corps_trop_lent(&erreur) {
                signal.store(true, Ordering::Relaxed);
            }
            io::Error::other(erreur)
        })
        .into_async_read();
    // One byte over the limit still reaches the resolver, which refuses it as a
    // `BAD_USER_INPUT` on its field; anything larger is refused here.
    let options = MultipartOptions::default()
        .max_file_size(MAX_FILE_BYTES + 1)
        .max_num_files(MAX_FILES);
    match async_graphql::http::receive_body(Some(content_type.as_ref()), reader, options).await {
        Ok(request) => Ok(request),
        Err(_) if trop_lent.load(Ordering::Relaxed) => {
            Err(Box::new(|_| super::connexions::trop_lent()))
        }
        Err(_) => Err(Box::new(|f| {
            request_error(
                StatusCode::BAD_REQUEST,
                "Requête multipart invalide ou fichier trop volumineux (10 Mo au plus).",
                "BAD_REQUEST",
                f,
            )
        })),
    }
}

/// The caller: anonymous without `Authorization`; else the verified token's subject as the
/// database sees it now (one query per authenticated request, so that a logout, a disabled
/// account or a changed role holds at the very next request).
pub(crate) async fn caller(
    state: &AppState,
    headers: &HeaderMap,
) -> (Result<Principal, TokenError>, Option<uuid::Uuid>, bool) {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return (Ok(Principal::Anonyme), None, false);
    };
    match value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
        Some(token) => caller_of_token(state, token).await,
        None => (Err(TokenError::Invalid), None, false),
    }
}

/// The caller behind an access token (see [`crate::auth::resolve`]): the principal or why
/// the token is refused, its session, and whether that session is restricted.
pub(crate) async fn caller_of_token(
    state: &AppState,
    token: &str,
) -> (Result<Principal, TokenError>, Option<uuid::Uuid>, bool) {
    let now = state.clock.now();
    let token = match state.tokens.verify(token.trim(), now) {
        Ok(token) => token,
        Err(e) => return (Err(e), None, false),
    };
    let mut conn = match state.pool.get().await {
        Ok(conn) => conn,
        Err(_) => return (Err(TokenError::Unavailable), None, false),
    };
    match crate::auth::resolve(&mut conn, token, now).await {
        Ok((principal, restreinte)) => (Ok(principal), Some(token.session_id), restreinte),
        Err(e) => (Err(e), None, false),
    }
}

async fn execute(
    state: &GraphqlState,
    headers: &HeaderMap,
    client_ip: Option<IpAddr>,
    request: GqlRequest,
    format: Format,
) -> Response {
    let (principal, session_id, restreinte) = caller(&state.app, headers).await;
    let is_staff = matches!(principal, Ok(Principal::Agent { .. }));
    let compte = match principal {
        Ok(Principal::Entreprise { compte_id }) => Some(compte_id),
        Ok(Principal::Agent { user_id, .. }) => Some(user_id),
        _ => None,
    };
    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut request = request.data(RequestContext {
        principal,
        session_id,
        restreinte,
        expire_le: None,
        request_id: header_text("x-request-id"),
        ip: client_ip,
        user_agent: header_text("user-agent").map(|ua| ua.chars().take(512).collect()),
        essai_mot_de_passe: Default::default(),
        televersement: Default::default(),
    });
    if state.app.is_production() && !is_staff {
        request = request.disable_introspection();
    }
    let lisible = request.parsed_query().is_ok();
    let mut response = match crate::graphql::refuser_caracteres_interdits(&mut request) {
        Some(refus) => async_graphql::Response::from_errors(vec![refus]),
        None => match place_d_ecriture(&state.app, &mut request, compte).await {
            Ok(_place) => {
                let delai = state.app.config.http.request_deadline_secs.max(1);
                // Past the deadline the execution is dropped: a transaction it held rolls
                // back (its connection, left mid-transaction, is discarded by the pool).
                tokio::time::timeout(Duration::from_secs(delai), state.schema.execute(request))
                    .await
                    .unwrap_or_else(|_| erreur(AppError::deadline_exceeded(delai)))
            }
            Err(refus) => erreur(refus),
        },
    };
    crate::graphql::coder(&mut response, lisible);
    let request_failed = crate::graphql::rien_execute(&response);
    let status = if format == Format::GraphqlResponseJson && request_failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    if request_failed {
        // Nothing was executed: the GraphQL spec then leaves the `data` entry out.
        let Ok(mut body) = serde_json::to_value(&response) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if let Some(entries) = body.as_object_mut() {
            entries.remove("data");
        }
        return json_response(status, &body, format);
    }
    json_response(status, &response, format)
}

/// A mutation of a signed-in account takes one of the account's write places
/// (`MAX_CONCURRENT_WRITES_PER_ACCOUNT`), waiting for one as long as for a pooled connection;
/// one account's saves thus never hold more than that many connections. Anything else runs
/// without.
async fn place_d_ecriture(
    app: &AppState,
    request: &mut GqlRequest,
    compte: Option<uuid::Uuid>,
) -> Result<Option<Place<uuid::Uuid>>, AppError> {
    let Some(compte) = compte else {
        return Ok(None);
    };
    let name = request.operation_name.clone();
    let mutation = request.parsed_query().is_ok_and(|document| {
        operation_type(&document.operations, name.as_deref()) == Some(OperationType::Mutation)
    });
    if !mutation {
        return Ok(None);
    }
    let attente = Duration::from_millis(app.config.database.pool_timeout_ms.max(1));
    match app.ecritures.attendre(compte, attente).await {
        Some(place) => Ok(Some(place)),
        None => Err(AppError::rate_limited_because(format!(
            "Au plus {} enregistrements à la fois par compte \
             (MAX_CONCURRENT_WRITES_PER_ACCOUNT) : réessayez quand les précédents sont finis.",
            app.ecritures.max()
        ))),
    }
}

/// The type of the operation the executor would run (`None`: it would pick none).
fn operation_type(operations: &DocumentOperations, name: Option<&str>) -> Option<OperationType> {
    match (operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

fn erreur(erreur: AppError) -> async_graphql::Response {
    let erreur: async_graphql::Error = erreur.into();
    async_graphql::Response::from_errors(vec![erreur.into_server_error(Default::default())])
}

fn content_type(format: Format) -> HeaderValue {
    match format {
        Format::Json => HeaderValue::from_static("application/json; charset=utf-8"),
        Format::GraphqlResponseJson => {
            HeaderValue::from_static("application/graphql-response+json; charset=utf-8")
        }
    }
}

fn json_response<T: serde::Serialize>(status: StatusCode, body: &T, format: Format) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, content_type(format))],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An error answered before any GraphQL execution, in the GraphQL response shape.
fn request_error(status: StatusCode, message: &str, code: &str, format: Format) -> Response {
    json_response(
        status,
        &json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }),
        format,
    )
}

fn unsupported_media_type(format: Format) -> Response {
    request_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Type de contenu non accepté : envoyez application/json (ou multipart/form-data avec \
         Authorization ou GraphQL-Require-Preflight).",
        "UNSUPPORTED_MEDIA_TYPE",
        format,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(xff).unwrap());
        h
    }

    #[test]
    fn seul_un_mandataire_de_confiance_est_cru() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = vec!["10.0.0.0/8".parse().unwrap()];
        let client: IpAddr = "198.51.100.7".parse().unwrap();
        // Trusted proxy: the right-most untrusted hop, not what the client claims on the left.
        assert_eq!(
            forwarded_client(proxy, &headers("1.2.3.4, 198.51.100.7, 10.0.0.9"), &trusted),
            client
        );
        // An untrusted peer's header is ignored.
        assert_eq!(
            forwarded_client(client, &headers("1.2.3.4"), &trusted),
            client
        );
        // No usable header: the proxy itself.
        assert_eq!(forwarded_client(proxy, &HeaderMap::new(), &[]), proxy);
        assert_eq!(
            forwarded_client(proxy, &headers("garbage"), &trusted),
            proxy
        );
    }
}
