//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers
//! and every embedded migration is applied).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::migrations;
use crate::state::AppState;

pub async fn healthz() -> Response {
    Json(json!({ "status": "ok" })).into_response()
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let check = async {
        let mut conn = state
            .pool
            .get()
            .await
            .map_err(|_| "base de données injoignable")?;
        migrations::pending_count(&mut conn)
            .await
            .map_err(|_| "base de données injoignable")
    };
    match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(0)) => Json(json!({ "status": "ok" })).into_response(),
        Ok(Ok(pending)) => not_ready(&format!("{pending} migration(s) en attente")),
        Ok(Err(reason)) => not_ready(reason),
        Err(_) => not_ready("base de données trop lente à répondre"),
    }
}

fn not_ready(reason: &str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "indisponible", "raison": reason })),
    )
        .into_response()
}
