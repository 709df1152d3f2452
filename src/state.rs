//! The application state handed to every handler and resolver.

use std::ops::Deref;
use std::sync::Arc;

use rand::RngCore;

use crate::auth::TokenKeys;
use crate::clock::SharedClock;
use crate::config::{Environment, ServeConfig};
use crate::db::DbPool;
use crate::http::metrics::Metrics;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("JWT_SECRET est obligatoire en production")]
    MissingJwtSecret,
    #[error("JWT_SECRET doit faire au moins 32 octets")]
    ShortJwtSecret,
}

#[derive(Debug)]
pub struct Inner {
    pub config: ServeConfig,
    pub pool: DbPool,
    pub clock: SharedClock,
    pub tokens: TokenKeys,
    pub metrics: Metrics,
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
    pub fn new(config: ServeConfig, pool: DbPool, clock: SharedClock) -> Result<Self, StateError> {
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
        let metrics = Metrics::new(pool.clone(), config.database.pool_size.max(1));
        Ok(Self(Arc::new(Inner {
            config,
            pool,
            clock,
            tokens,
            metrics,
        })))
    }

    pub fn is_production(&self) -> bool {
        self.config.environment == Environment::Production
    }
}
