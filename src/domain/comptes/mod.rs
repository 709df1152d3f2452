//! Sign-up, OTP, login, sessions and passwords: the account rules of DOMAIN.md, over the
//! models. Every answer that could tell whether an address has an account is the same for
//! both cases (sign-up, resend, forgotten password, wrong e-mail or password), and the
//! distinct refusals of a login (unverified, rejected, disabled) come only after a correct
//! password; a client waiting after its wrong passwords is refused before any check, the same
//! way for every password and address.
//!
//! - [`inscription`]: sign-up and its code;
//! - [`connexion`]: login, sensitive-login codes, code verification and resends;
//! - [`session`]: opening, refreshing (rotation, reuse detection) and ending sessions;
//! - [`mots_de_passe`]: forgotten, reset and changed passwords;
//! - [`echecs`]: wrong passwords, and the wait they impose on the client that made them.

mod connexion;
mod echecs;
mod inscription;
mod mots_de_passe;
mod session;

pub use connexion::{INACTIVITE_SENSIBLE, connecter, renvoyer_otp, verifier_otp};
pub use inscription::{Inscription, inscrire};
pub use mots_de_passe::{changer_mot_de_passe, mot_de_passe_oublie, reinitialiser};
pub use session::{REFRESH_TTL, deconnecter, ouvrir_session, rafraichir};

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use ipnet::IpNet;
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::auth::ACCESS_TOKEN_TTL;
use crate::domain::otp::{self, hex};
use crate::domain::{debit, mot_de_passe, validation};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Courriel};
use crate::models::enums::{Region, StatutInscription, TypeOtp};
use crate::models::identites::{self, Espace, Identite, NouveauCompte};
use crate::models::otp_codes::{self, NouveauCode};
use crate::models::sessions::{self, Titulaire};
use crate::state::AppState;

/// Where a request comes from.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl Client {
    fn ipnet(&self) -> Option<IpNet> {
        self.ip.map(IpNet::from)
    }

    fn cle(&self, action: &str) -> String {
        match self.ip {
            Some(ip) => format!("{action}:{ip}"),
            None => format!("{action}:inconnue"),
        }
    }
}

/// Tokens handed to a client.
#[derive(Debug, Clone)]
pub struct SessionEmise {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
}

pub enum IssueConnexion {
    Session(SessionEmise),
    /// A sensitive login: a `CONNEXION` code was mailed.
    OtpRequis,
    /// Expired or must-change password: a session restricted to the change.
    ChangementRequis(SessionEmise),
}

pub enum IssueOtp {
    Verifie,
    Session(SessionEmise),
    ChangementRequis(SessionEmise),
}

pub(super) fn field<T>(name: &str, result: Result<T, &'static str>) -> AppResult<T> {
    result.map_err(|m| AppError::bad_input(name, m))
}

pub(super) fn optional_text(
    name: &str,
    value: Option<String>,
    max: usize,
) -> AppResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => field(name, validation::required_text(v, max)).map(Some),
    }
}

pub(super) fn password_expiry(state: &AppState, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match state.config.comptes.password_max_age_days {
        0 => None,
        days => Some(now + Duration::days(i64::from(days))),
    }
}

pub(super) fn invalid_code() -> AppError {
    AppError::bad_input("input.code", "Code invalide ou expiré.")
}

/// Counts one `action` against the client's IP and, when the request names an address,
/// against that address too (`RATE_LIMITED` past either limit). The address is counted
/// whether or not it has an account, so the limit tells nothing about accounts; the key
/// holds a hash of it, not the address, and the windows are purged within hours.
pub(super) async fn limiter(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    client: &Client,
    action: &str,
    email: Option<&str>,
) -> AppResult<()> {
    let now = state.clock.now();
    let config = &state.config.comptes;
    debit::limiter(
        conn,
        &client.cle(action),
        config.rate_limit_auth_per_minute,
        now,
    )
    .await?;
    if let Some(email) = email {
        debit::limiter(
            conn,
            &cle_compte(action, email),
            config.rate_limit_auth_per_account_per_minute,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The counter key of `action` for a (normalised) address: a hash, not the address.
fn cle_compte(action: &str, email: &str) -> String {
    let digest = Sha256::digest(format!("registre-dcp/limite/{email}").as_bytes());
    format!("{action}:compte:{}", hex(&digest[..16]))
}

/// Consumes the live code of `type_` of the account behind `email`. A wrong or dead code,
/// and an unknown address, get the same `BAD_USER_INPUT` on `input.code`; a wrong one also
/// counts against the live code (five kill it).
pub(super) async fn consommer_code(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    espace: Espace,
    email: &str,
    type_: TypeOtp,
    code: &str,
) -> AppResult<Identite> {
    let now = state.clock.now();
    let Some(identite) = identites::find_by_email(conn, espace, email).await? else {
        return Err(invalid_code());
    };
    let hash = state.otp_key.hacher(identite.titulaire, type_, code);
    let titulaire = identite.titulaire;
    if !otp_codes::consume(conn, titulaire, type_, &hash, now, otp::MAX_TENTATIVES).await? {
        otp_codes::record_wrong_attempt(conn, titulaire, type_, now, otp::MAX_TENTATIVES).await?;
        return Err(invalid_code());
    }
    Ok(identite)
}
