//! The per-client limit of the public routes: a request without `Authorization` to
//! `/graphql`, `/graphql/ws`, `/export/…` or `/documents/…` counts against its client's
//! address (as `TRUSTED_PROXIES` reveals it) in a token bucket of
//! `PUBLIC_RATE_LIMIT_PER_MINUTE` per minute, `PUBLIC_RATE_LIMIT_BURST` at once. Beyond, a
//! `429` with `Retry-After`. Authenticated requests are not counted here (the account's own
//! limits apply). Kept in memory per instance: behind several replicas, a client gets each
//! replica's allowance, which bounds the load each one takes.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::graphql::forwarded_client;
use crate::config::HttpConfig;
use crate::state::AppState;

/// How often (in requests) the buckets of clients gone quiet are dropped.
const MENAGE_TOUS_LES: u64 = 4096;

pub struct LimitePublique {
    seau: Option<DefaultKeyedRateLimiter<IpAddr>>,
    requetes: AtomicU64,
}

impl std::fmt::Debug for LimitePublique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LimitePublique")
            .field("active", &self.seau.is_some())
            .finish()
    }
}

impl LimitePublique {
    pub fn new(config: &HttpConfig) -> Self {
        let seau = NonZeroU32::new(config.public_rate_limit_per_minute).map(|par_minute| {
            let rafale = NonZeroU32::new(config.public_rate_limit_burst).unwrap_or(par_minute);
            RateLimiter::keyed(Quota::per_minute(par_minute).allow_burst(rafale))
        });
        Self {
            seau,
            requetes: AtomicU64::new(0),
        }
    }

    /// `Ok` when `client` may go on; else how many seconds to wait.
    fn verifier(&self, client: IpAddr) -> Result<(), u64> {
        let Some(seau) = &self.seau else {
            return Ok(());
        };
        if self
            .requetes
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(MENAGE_TOUS_LES)
        {
            seau.retain_recent();
        }
        seau.check_key(&client).map_err(|refus| {
            refus
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// Whether `path` is one of the public routes.
fn publique(path: &str) -> bool {
    path == "/graphql"
        || path == "/graphql/ws"
        || path.starts_with("/export/")
        || path.starts_with("/documents/")
}

pub async fn limiter(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.headers().contains_key(header::AUTHORIZATION) || !publique(request.uri().path()) {
        return next.run(request).await;
    }
    let Some(pair) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
    else {
        return next.run(request).await;
    };
    let client = forwarded_client(pair, request.headers(), &state.config.http.trusted_proxies);
    match state.limite_publique.verifier(client) {
        Ok(()) => next.run(request).await,
        Err(secondes) => (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
                (header::RETRY_AFTER, HeaderValue::from(secondes)),
            ],
            r#"{"errors":[{"message":"Trop de requêtes : réessayez dans un instant.","extensions":{"code":"RATE_LIMITED"}}]}"#,
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn au_dela_de_la_rafale_le_client_attend_les_autres_non() {
        let limite = LimitePublique::new(&HttpConfig {
            public_rate_limit_per_minute: 60,
            public_rate_limit_burst: 3,
            ..HttpConfig::default()
        });
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        for _ in 0..3 {
            assert_eq!(limite.verifier(a), Ok(()));
        }
        assert!(limite.verifier(a).is_err());
        assert_eq!(limite.verifier(b), Ok(()));
    }

    #[test]
    fn zero_desactive_la_limite() {
        let limite = LimitePublique::new(&HttpConfig {
            public_rate_limit_per_minute: 0,
            ..HttpConfig::default()
        });
        for _ in 0..1000 {
            assert_eq!(limite.verifier([192, 0, 2, 1].into()), Ok(()));
        }
    }

    #[test]
    fn seules_les_routes_publiques_comptent() {
        assert!(publique("/graphql"));
        assert!(publique("/export/registre.csv"));
        assert!(publique("/documents/abc"));
        assert!(!publique("/healthz"));
        assert!(!publique("/metrics"));
    }
}
