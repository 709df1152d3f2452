//! What a resolver knows of the request: the application state and the caller.

use std::net::IpAddr;

use async_graphql::Context;
use uuid::Uuid;

use crate::auth::{Principal, TokenError};
use crate::domain::roles;
use crate::error::{AppError, AppResult};
use crate::models::enums::RoleUtilisateur;
use crate::state::AppState;

/// Per-request data, inserted by the HTTP layer.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The caller, or why the presented token was refused.
    pub principal: Result<Principal, TokenError>,
    /// The caller's session, when authenticated.
    pub session_id: Option<Uuid>,
    /// A session opened with an expired or must-change password: `moi` and
    /// `changerMotDePasse` only.
    pub restreinte: bool,
    pub request_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl RequestContext {
    pub fn anonymous() -> Self {
        Self {
            principal: Ok(Principal::Anonyme),
            session_id: None,
            restreinte: false,
            request_id: None,
            ip: None,
            user_agent: None,
        }
    }
}

pub trait ContextExt {
    fn app(&self) -> &AppState;
    fn request(&self) -> &RequestContext;
    /// The caller; a refused token is `UNAUTHENTICATED`, a restricted session
    /// `PASSWORD_EXPIRED`, for every field that asks.
    fn principal(&self) -> AppResult<Principal>;
    /// The caller, even on a restricted session (`moi`, `changerMotDePasse`).
    fn principal_even_restricted(&self) -> AppResult<Principal>;
    /// An ARTCI staff user of any role.
    fn require_staff(&self) -> AppResult<(Uuid, RoleUtilisateur)>;
    /// An ARTCI staff user of at least `minimum`.
    fn require_role(&self, minimum: RoleUtilisateur) -> AppResult<(Uuid, RoleUtilisateur)>;
    /// A company account.
    fn require_entreprise(&self) -> AppResult<Uuid>;
}

impl ContextExt for Context<'_> {
    fn app(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn request(&self) -> &RequestContext {
        static ANONYMOUS: std::sync::LazyLock<RequestContext> =
            std::sync::LazyLock::new(RequestContext::anonymous);
        self.data_opt::<RequestContext>().unwrap_or(&ANONYMOUS)
    }

    fn principal_even_restricted(&self) -> AppResult<Principal> {
        self.request().principal.map_err(|e| match e {
            TokenError::Unavailable => AppError::unavailable(),
            TokenError::Invalid | TokenError::Expired => AppError::unauthenticated(),
        })
    }

    fn principal(&self) -> AppResult<Principal> {
        let principal = self.principal_even_restricted()?;
        if self.request().restreinte {
            return Err(AppError::password_expired());
        }
        Ok(principal)
    }

    fn require_staff(&self) -> AppResult<(Uuid, RoleUtilisateur)> {
        match self.principal()? {
            Principal::Agent { user_id, role } => Ok((user_id, role)),
            Principal::Entreprise { .. } => Err(AppError::forbidden()),
            Principal::Anonyme => Err(AppError::unauthenticated()),
        }
    }

    fn require_role(&self, minimum: RoleUtilisateur) -> AppResult<(Uuid, RoleUtilisateur)> {
        let (user_id, role) = self.require_staff()?;
        if roles::au_moins(role, minimum) {
            Ok((user_id, role))
        } else {
            Err(AppError::forbidden())
        }
    }

    fn require_entreprise(&self) -> AppResult<Uuid> {
        match self.principal()? {
            Principal::Entreprise { compte_id } => Ok(compte_id),
            Principal::Agent { .. } => Err(AppError::forbidden()),
            Principal::Anonyme => Err(AppError::unauthenticated()),
        }
    }
}
