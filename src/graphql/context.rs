//! What a resolver knows of the request: the application state and the caller.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// When the caller's access token expires (a WebSocket's: its subscriptions end then).
    pub expire_le: Option<chrono::DateTime<chrono::Utc>>,
    pub request_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    /// The request's one password attempt (see [`ContextExt::un_essai_de_mot_de_passe`]).
    pub essai_mot_de_passe: EssaiUnique,
    /// The request's one upload (see [`ContextExt::un_televersement`]).
    pub televersement: EssaiUnique,
}

/// Taken by the first password attempt of a request. A clone is a fresh one: each request
/// (each operation of a WebSocket) has its own.
#[derive(Debug, Default)]
pub struct EssaiUnique(AtomicBool);

impl Clone for EssaiUnique {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl EssaiUnique {
    /// Whether this is the first attempt.
    fn prendre(&self) -> bool {
        !self.0.swap(true, Ordering::Relaxed)
    }
}

impl RequestContext {
    pub fn anonymous() -> Self {
        Self {
            principal: Ok(Principal::Anonyme),
            session_id: None,
            restreinte: false,
            expire_le: None,
            request_id: None,
            ip: None,
            user_agent: None,
            essai_mot_de_passe: EssaiUnique::default(),
            televersement: EssaiUnique::default(),
        }
    }
}

/// The subscriptions running on one WebSocket (`MAX_SUBSCRIPTIONS_PER_CONNECTION`), in its
/// connection data.
#[derive(Debug, Clone)]
pub struct AbonnementsConnexion(pub std::sync::Arc<tokio::sync::Semaphore>);

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
    /// One password attempt per request, aliases included: a second is refused on `champ`
    /// before its password is checked (and so before it counts).
    fn un_essai_de_mot_de_passe(&self, champ: &str) -> AppResult<()>;
    /// One upload mutation per request, aliases included: the file of a multipart request is
    /// stored once, a second mutation is refused on `champ` before it reads anything.
    fn un_televersement(&self, champ: &str) -> AppResult<()>;
}

/// `Ok` the first time `choisir` picks a flag of the request (or when the request has no
/// context, as in a schema test); a `BAD_USER_INPUT` on `champ` after.
fn une_fois(
    ctx: &Context<'_>,
    choisir: impl Fn(&RequestContext) -> &EssaiUnique,
    champ: &str,
    message: &str,
) -> AppResult<()> {
    match ctx.data_opt::<RequestContext>() {
        Some(requete) if !choisir(requete).prendre() => Err(AppError::bad_input(champ, message)),
        _ => Ok(()),
    }
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

    fn un_essai_de_mot_de_passe(&self, champ: &str) -> AppResult<()> {
        une_fois(
            self,
            |r| &r.essai_mot_de_passe,
            champ,
            "Un seul essai de mot de passe par requête.",
        )
    }

    fn un_televersement(&self, champ: &str) -> AppResult<()> {
        une_fois(
            self,
            |r| &r.televersement,
            champ,
            "Un seul téléversement par requête.",
        )
    }

    fn require_entreprise(&self) -> AppResult<Uuid> {
        match self.principal()? {
            Principal::Entreprise { compte_id } => Ok(compte_id),
            Principal::Agent { .. } => Err(AppError::forbidden()),
            Principal::Anonyme => Err(AppError::unauthenticated()),
        }
    }
}
