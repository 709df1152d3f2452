//! The HTTP surface: every route in one place, and the layers around them.

pub mod connexions;
pub mod documents;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod guard;
pub mod health;
pub mod limite;
pub mod metrics;
pub mod verification;
pub mod ws;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::graphql::AppSchema;
use crate::state::AppState;
use graphql::GraphqlState;

pub fn router(state: AppState, schema: AppSchema) -> Router {
    let body_limit = state
        .config
        .http
        .max_upload_bytes
        .max(state.config.http.max_body_bytes);
    let cors = cors_layer(
        &state.config.http.cors_origins,
        &state.config.http.cors_allow_headers,
    );
    let graphql_state = GraphqlState {
        app: state.clone(),
        schema,
    };
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/documents/{id}", get(documents::telecharger))
        .route("/verification/{numero}", get(verification::page))
        .route("/export/registre.csv", get(export::csv))
        .route("/export/registre.xlsx", get(export::xlsx))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::handler))
        .merge(graphiql::routes())
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(middleware::from_fn_with_state(
            Duration::from_secs(state.config.http.body_timeout_secs.max(1)),
            connexions::echeance_du_corps,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limite::limiter,
        ))
        .layer(middleware::from_fn_with_state(state, metrics::track))
        .with_state(graphql_state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &axum::http::Request<_>| {
                            let request_id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("");
                            tracing::info_span!(
                                "requete",
                                method = %request.method(),
                                path = %request.uri().path(),
                                request_id = %request_id,
                            )
                        })
                        .on_response(
                            DefaultOnResponse::new()
                                .level(Level::INFO)
                                .latency_unit(LatencyUnit::Millis),
                        ),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::custom(panic_response))
                .layer(middleware::map_response(fermer_apres_refus_de_taille))
                .layer(cors),
        )
}

/// A panic in a handler is logged and answered with a generic 500; the process lives on.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("panique dans un gestionnaire de requête");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"errors":[{"message":"Une erreur interne est survenue.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#,
    )
        .into_response()
}

/// A body refused for its size was not read to its end, so the connection cannot carry
/// another request: `Connection: close` says so, and the client does not reuse it (without
/// it, a client's next request on that connection fails half-way).
async fn fermer_apres_refus_de_taille(mut response: Response) -> Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Browsers may call the API only from the configured origins (none by default), with the
/// headers the API reads and the configured ones (tracing, Apollo); they may read the
/// headers a client acts on (`Retry-After`, a download's file name, the request id).
fn cors_layer(origins: &[String], allow_headers: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let mut headers = vec![
        header::AUTHORIZATION,
        header::CONTENT_TYPE,
        header::ACCEPT,
        HeaderName::from_static("graphql-require-preflight"),
    ];
    // The configuration checked each name (`config::parse_en_tete`).
    for nom in allow_headers {
        if let Ok(nom) = HeaderName::from_bytes(nom.as_bytes())
            && !headers.contains(&nom)
        {
            headers.push(nom);
        }
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(headers)
        .expose_headers([
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(600))
}
