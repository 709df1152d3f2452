//! The per-client limit of the public routes (`/graphql`, `/graphql/ws`, `/export/…`,
//! `/documents/…`, `/verification/…`). A request whose bearer token is a valid access token (signature, claims,
//! expiry: no database round trip) counts against its account, wherever it calls from, in a
//! token bucket of `ACCOUNT_RATE_LIMIT_PER_MINUTE` per minute, `ACCOUNT_RATE_LIMIT_BURST` at
//! once; any other request, a junk or expired token included, counts against its client's
//! address (as `TRUSTED_PROXIES` reveals it), `PUBLIC_RATE_LIMIT_PER_MINUTE` and
//! `PUBLIC_RATE_LIMIT_BURST`. Beyond, a `429` with `Retry-After`. Kept in memory per
//! instance: behind several replicas, a client gets each replica's allowance, which bounds
//! the load each one takes.

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
use crate::models::sessions::Titulaire;
use crate::state::AppState;

/// How often (in requests) the buckets of clients gone quiet are dropped.
const MENAGE_TOUS_LES: u64 = 4096;

/// Whom a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    Adresse(IpAddr),
    Titulaire(Titulaire),
}

pub struct LimitePublique {
    anonymes: Option<DefaultKeyedRateLimiter<IpAddr>>,
    comptes: Option<DefaultKeyedRateLimiter<Titulaire>>,
    requetes: AtomicU64,
}

impl std::fmt::Debug for LimitePublique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LimitePublique")
            .field("anonymes", &self.anonymes.is_some())
            .field("comptes", &self.comptes.is_some())
            .finish()
    }
}

fn seau<K: std::hash::Hash + Eq + Clone>(
    par_minute: u32,
    rafale: u32,
) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(par_minute).map(|par_minute| {
        let rafale = NonZeroU32::new(rafale).unwrap_or(par_minute);
        RateLimiter::keyed(Quota::per_minute(par_minute).allow_burst(rafale))
    })
}

impl LimitePublique {
    pub fn new(config: &HttpConfig) -> Self {
        Self {
            anonymes: seau(
                config.public_rate_limit_per_minute,
                config.public_rate_limit_burst,
            ),
            comptes: seau(
                config.account_rate_limit_per_minute,
                config.account_rate_limit_burst,
            ),
            requetes: AtomicU64::new(0),
        }
    }

    /// `Ok` when `client` may go on; else how many seconds to wait.
    fn verifier(&self, client: Client) -> Result<(), u64> {
        if self
            .requetes
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(MENAGE_TOUS_LES)
        {
            if let Some(seau) = &self.anonymes {
                seau.retain_recent();
            }
            if let Some(seau) = &self.comptes {
                seau.retain_recent();
            }
        }
        let verdict = match client {
            Client::Adresse(ip) => self.anonymes.as_ref().map(|s| s.check_key(&ip)),
            Client::Titulaire(t) => self.comptes.as_ref().map(|s| s.check_key(&t)),
        };
        match verdict {
            None | Some(Ok(())) => Ok(()),
            Some(Err(refus)) => Err(refus
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)),
        }
    }
}

/// Whether `path` is one of the public routes.
fn publique(path: &str) -> bool {
    path == "/graphql"
        || path == "/graphql/ws"
        || path.starts_with("/export/")
        || path.starts_with("/documents/")
        || path.starts_with("/verification/")
}

pub async fn limiter(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !publique(request.uri().path()) {
        return next.run(request).await;
    }
    let titulaire = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|jeton| state.tokens.verify(jeton.trim(), state.clock.now()).ok())
        .map(|jeton| jeton.titulaire);
    let client = match titulaire {
        Some(titulaire) => Client::Titulaire(titulaire),
        None => {
            let Some(pair) = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
            else {
                return next.run(request).await;
            };
            Client::Adresse(forwarded_client(
                pair,
                request.headers(),
                &state.config.http.trusted_proxies,
            ))
        }
    };
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
        let a = Client::Adresse([192, 0, 2, 1].into());
        let b = Client::Adresse([192, 0, 2, 2].into());
        for _ in 0..3 {
            assert_eq!(limite.verifier(a), Ok(()));
        }
        assert!(limite.verifier(a).is_err());
        assert_eq!(limite.verifier(b), Ok(()));
    }

    #[test]
    fn un_compte_a_son_propre_seau() {
        let limite = LimitePublique::new(&HttpConfig {
            public_rate_limit_per_minute: 60,
            public_rate_limit_burst: 1,
            account_rate_limit_per_minute: 60,
            account_rate_limit_burst: 2,
            ..HttpConfig::default()
        });
        let adresse = Client::Adresse([192, 0, 2, 1].into());
        let compte = Client::Titulaire(Titulaire::Compte(uuid::Uuid::new_v4()));
        let agent = Client::Titulaire(Titulaire::Agent(uuid::Uuid::new_v4()));
        assert_eq!(limite.verifier(adresse), Ok(()));
        assert!(limite.verifier(adresse).is_err());
        for _ in 0..2 {
            assert_eq!(limite.verifier(compte), Ok(()));
        }
        assert!(limite.verifier(compte).is_err());
        assert_eq!(limite.verifier(agent), Ok(()));
    }

    #[test]
    fn zero_desactive_les_limites() {
        let limite = LimitePublique::new(&HttpConfig {
            public_rate_limit_per_minute: 0,
            account_rate_limit_per_minute: 0,
            ..HttpConfig::default()
        });
        let compte = Client::Titulaire(Titulaire::Compte(uuid::Uuid::new_v4()));
        for _ in 0..1000 {
            assert_eq!(
                limite.verifier(Client::Adresse([192, 0, 2, 1].into())),
                Ok(())
            );
            assert_eq!(limite.verifier(compte), Ok(()));
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
