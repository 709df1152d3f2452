//! The application state handed to every handler and resolver.

use std::ops::Deref;
use std::sync::Arc;

use rand::RngCore;

use crate::auth::TokenKeys;
use crate::clock::SharedClock;
use crate::config::{Environment, ServeConfig};
use crate::db::{self, CompteurRequetes, DbPool};
use crate::domain::otp::{self, CleOtp};
use crate::evenements::{Diffuseur, ParEvenement};
use crate::http::limite::LimitePublique;
use crate::http::metrics::Metrics;
use crate::mail::{MailConfigError, Mailer};
use crate::places::Places;
use crate::storage::{Stockage, StorageConfigError};

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("JWT_SECRET est obligatoire en production")]
    MissingJwtSecret,
    #[error("JWT_SECRET doit faire au moins 32 octets")]
    ShortJwtSecret,
    #[error(transparent)]
    Mail(#[from] MailConfigError),
    #[error(transparent)]
    Storage(#[from] StorageConfigError),
}

#[derive(Debug)]
pub struct Inner {
    pub config: ServeConfig,
    pub pool: DbPool,
    pub clock: SharedClock,
    pub tokens: TokenKeys,
    pub otp_key: CleOtp,
    pub metrics: Metrics,
    pub mailer: Mailer,
    /// The anonymous public reads (map, register, exports): `DATABASE_READ_URL`'s replica
    /// when set, else `pool`. What it returns may lag the primary by the replication delay.
    pub pool_public: DbPool,
    /// The bytes of attached documents.
    pub stockage: Stockage,
    /// The changes the database announces, for GraphQL subscriptions (`evenements`).
    pub evenements: Diffuseur,
    /// The per-client limit of anonymous requests to the public routes.
    pub limite_publique: LimitePublique,
    /// One permit per export of the public register running (`EXPORT_MAX_CONCURRENT`).
    pub exports_en_cours: Arc<tokio::sync::Semaphore>,
    /// The exports each client address runs or downloads (`EXPORT_MAX_PER_CLIENT`).
    pub exports_par_client: Places<std::net::IpAddr>,
    /// The mutations each account runs right now (`MAX_CONCURRENT_WRITES_PER_ACCOUNT`).
    pub ecritures: Places<uuid::Uuid>,
    /// The subscriptions each account runs right now (`MAX_SUBSCRIPTIONS_PER_ACCOUNT`).
    pub abonnements: Places<uuid::Uuid>,
    /// The checks of subscribers' sessions, one per session and event.
    pub sessions_abonnees: ParEvenement<Result<crate::auth::Principal, crate::auth::TokenError>>,
    /// The WebSockets each client address holds open (`MAX_WEBSOCKETS_PER_ADDRESS`).
    pub websockets: Places<std::net::IpAddr>,
    /// Work a request hands off and does not wait for (a password reset's code): `serve`
    /// lets it finish on shutdown, within the grace period.
    pub a_finir: tokio_util::task::TaskTracker,
}

/// Cheap to clone: one `Arc`.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// `requetes` is the counter `pool` was built with (`db::pool`), exported on `/metrics`.
    pub fn new(
        config: ServeConfig,
        pool: DbPool,
        requetes: CompteurRequetes,
        clock: SharedClock,
    ) -> Result<Self, StateError> {
        let secret = match config.auth.jwt_secret.as_deref() {
            Some(s) if s.len() < 32 => return Err(StateError::ShortJwtSecret),
            Some(s) => s.as_bytes().to_vec(),
            None if config.environment == Environment::Production => {
                return Err(StateError::MissingJwtSecret);
            }
            None => {
                tracing::warn!(
                    "JWT_SECRET absent : clé aléatoire pour ce processus (développement seulement)"
                );
                let mut key = vec![0u8; 32];
                rand::rng().fill_bytes(&mut key);
                key
            }
        };
        let tokens = TokenKeys::new(&secret, &config.auth);
        if config.environment == Environment::Production && config.http.metrics_token.is_none() {
            tracing::warn!("METRICS_TOKEN absent : /metrics n'est pas servi en production");
        }
        let otp_key = match config.comptes.otp_secret.as_deref() {
            Some(s) => CleOtp::new(s.as_bytes()),
            // A key of its own, derived so that the token key is never used directly.
            None => CleOtp::new(
                otp::CleOtp::new(&secret)
                    .hacher_brut(b"registre-dcp/otp")
                    .as_bytes(),
            ),
        };
        // The public reads' pool: a replica's when configured (the same size and timeouts),
        // else the main pool itself.
        let pool_public = match config
            .database
            .read_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
        {
            Some(url) => {
                let mut replica = config.database.clone();
                replica.url = url.to_owned();
                db::pool(&replica, &requetes)
            }
            None => pool.clone(),
        };
        let metrics = Metrics::new(pool.clone(), config.database.pool_size.max(1), requetes);
        let mailer = Mailer::new(&config.mail)?;
        let stockage = Stockage::new(&config.storage)?;
        let limite_publique = LimitePublique::new(&config.http);
        // At least one export at a time.
        let exports_en_cours = Arc::new(tokio::sync::Semaphore::new(
            config.http.export_max_concurrent.max(1) as usize,
        ));
        if config.mail.smtp_url.is_none() && config.environment == Environment::Production {
            // The log transport writes mails, one-time codes included, to the log.
            tracing::warn!(
                "SMTP_URL absent en production : les courriels (codes compris) vont au journal"
            );
        }
        let exports_par_client = Places::new(config.http.export_max_per_client);
        let ecritures = Places::new(config.http.max_concurrent_writes_per_account);
        let abonnements = Places::new(config.http.max_subscriptions_per_account);
        let websockets = Places::new(config.http.max_websockets_per_address);
        Ok(Self(Arc::new(Inner {
            config,
            pool,
            pool_public,
            clock,
            tokens,
            otp_key,
            metrics,
            mailer,
            stockage,
            evenements: Diffuseur::default(),
            exports_en_cours,
            exports_par_client,
            a_finir: tokio_util::task::TaskTracker::new(),
            ecritures,
            abonnements,
            websockets,
            sessions_abonnees: ParEvenement::default(),
            limite_publique,
        })))
    }

    pub fn is_production(&self) -> bool {
        self.config.environment == Environment::Production
    }
}
