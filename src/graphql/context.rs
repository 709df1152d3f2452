//! What a resolver knows of the request: the application state and the caller.

use async_graphql::Context;
use uuid::Uuid;

use crate::auth::{Principal, TokenError};
use crate::error::{AppError, AppResult};
use crate::models::enums::RoleUtilisateur;
use crate::state::AppState;

/// Per-request data, inserted by the HTTP layer.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The caller, or why the presented token was refused.
    pub principal: Result<Principal, TokenError>,
    pub request_id: Option<String>,
}

impl RequestContext {
    pub fn anonymous() -> Self {
        Self {
            principal: Ok(Principal::Anonyme),
            request_id: None,
        }
    }
}

pub trait ContextExt {
    fn app(&self) -> &AppState;
    /// The caller; a refused token is `UNAUTHENTICATED` for every field that asks.
    fn principal(&self) -> AppResult<Principal>;
    /// An ARTCI staff user of any role.
    fn require_staff(&self) -> AppResult<(Uuid, RoleUtilisateur)>;
}

impl ContextExt for Context<'_> {
    fn app(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn principal(&self) -> AppResult<Principal> {
        match self.data_opt::<RequestContext>() {
            Some(rc) => rc.principal.map_err(|_| AppError::unauthenticated()),
            None => Ok(Principal::Anonyme),
        }
    }

    fn require_staff(&self) -> AppResult<(Uuid, RoleUtilisateur)> {
        match self.principal()? {
            Principal::Agent { user_id, role } => Ok((user_id, role)),
            Principal::Entreprise { .. } => Err(AppError::forbidden()),
            Principal::Anonyme => Err(AppError::unauthenticated()),
        }
    }
}
