//! `GET /documents/{id}`: the bytes of an attached document, for whoever may read it (the
//! rule is in `domain::documents::telecharger`). A document the caller may not see is a `404`,
//! exactly like one that does not exist.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::graphql::caller;
use crate::auth::{Principal, TokenError};
use crate::domain::documents;
use crate::error::Code;
use crate::state::AppState;

pub async fn telecharger(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let principal = match caller(&state, &headers).await {
        // A session restricted to changing its password sees what anonymous callers see.
        (Ok(_), _, true) => Principal::Anonyme,
        (Ok(principal), _, false) => principal,
        (Err(TokenError::Unavailable), _, _) => {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        (Err(TokenError::Invalid | TokenError::Expired), _, _) => {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
            )
                .into_response();
        }
    };
    let mut conn = match state.pool.get().await {
        Ok(conn) => conn,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let (document, contenu) =
        match documents::telecharger(&mut conn, &state.stockage, principal, id).await {
            Ok(found) => found,
            Err(e) => {
                let status = match e.code() {
                    Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                    Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                    _ => StatusCode::NOT_FOUND,
                };
                return status.into_response();
            }
        };
    drop(conn);
    let content_type = HeaderValue::from_str(&document.mime_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename*=UTF-8''{}",
        encoder_rfc5987(&document.nom_fichier)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    let cache = if document.est_public {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        contenu,
    )
        .into_response()
}

/// `value` as an RFC 8187 `ext-value` (after `UTF-8''`): every byte outside `attr-char`
/// percent-encoded.
fn encoder_rfc5987(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_nom_est_encode_selon_la_rfc_8187() {
        assert_eq!(encoder_rfc5987("statuts.pdf"), "statuts.pdf");
        assert_eq!(
            encoder_rfc5987("reçu \"x\";.pdf"),
            "re%C3%A7u%20%22x%22%3B.pdf"
        );
    }
}
