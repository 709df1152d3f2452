//! Sign-up, OTP, login, sessions and passwords: the account rules of DOMAIN.md, over the
//! models. Every answer that could tell whether an address has an account is the same for
//! both cases (sign-up, resend, forgotten password, wrong e-mail or password), and the
//! distinct refusals of a login (unverified, rejected, disabled, locked) come only after a
//! correct password.

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

/// Lifetime of a session and of each refresh token.
pub const REFRESH_TTL: Duration = Duration::days(7);
/// A login after this long without one is sensitive.
pub const INACTIVITE_SENSIBLE: Duration = Duration::days(30);

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

/// The sign-up form, as received.
pub struct Inscription {
    pub email: String,
    pub mot_de_passe: String,
    pub denomination: String,
    pub numero_cc: String,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub region: Option<Region>,
}

fn field<T>(name: &str, result: Result<T, &'static str>) -> AppResult<T> {
    result.map_err(|m| AppError::bad_input(name, m))
}

fn optional_text(name: &str, value: Option<String>, max: usize) -> AppResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => field(name, validation::required_text(v, max)).map(Some),
    }
}

fn password_expiry(state: &AppState, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match state.config.comptes.password_max_age_days {
        0 => None,
        days => Some(now + Duration::days(i64::from(days))),
    }
}

fn invalid_code() -> AppError {
    AppError::bad_input("input.code", "Code invalide ou expiré.")
}

/// A hash to verify against when the account does not exist, so that an unknown e-mail
/// costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    mot_de_passe::hash_blocking("registre-dcp: compte inexistant").expect("argon2 hashing")
});

async fn limiter(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    client: &Client,
    action: &str,
) -> AppResult<()> {
    debit::limiter(
        conn,
        &client.cle(action),
        state.config.comptes.rate_limit_auth_per_minute,
        state.clock.now(),
    )
    .await
}

/// `inscription`: creates the account and mails its code; a taken e-mail gets the same
/// answer, and its owner is told instead.
pub async fn inscrire(state: &AppState, form: Inscription, client: &Client) -> AppResult<()> {
    let email = field("input.email", validation::normalize_email(&form.email))?;
    field(
        "input.motDePasse",
        mot_de_passe::check_new_password(&form.mot_de_passe),
    )?;
    let denomination = field(
        "input.denomination",
        validation::required_text(&form.denomination, 200),
    )?;
    let numero_cc = field("input.numeroCc", validation::normalize_ncc(&form.numero_cc))?;
    let telephone = match form.telephone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(field("input.telephone", validation::normalize_phone(t))?),
    };
    let adresse = optional_text("input.adresse", form.adresse, 300)?;
    let ville = optional_text("input.ville", form.ville, 100)?;

    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "inscription").await?;
    // Hash first: a taken address then costs the same time as a new one.
    let password_hash = mot_de_passe::hash(form.mot_de_passe)
        .await
        .map_err(AppError::internal)?;
    let now = state.clock.now();
    let code = otp::generer();
    let nouveau = NouveauCompte {
        email: email.clone(),
        password_hash,
        denomination,
        numero_cc,
        telephone,
        adresse,
        ville,
        region: form.region,
        password_last_changed: now,
        password_expires_at: password_expiry(state, now),
        created_at: now,
    };
    let ip = client.ipnet();
    let key = state.otp_key.clone();
    conn.transaction::<_, AppError, _>(async |conn| {
            if identites::find_by_email(conn, Espace::Entreprise, &email).await?.is_some() {
                mail::mettre_en_file(conn, &email, &Courriel::InscriptionDejaFaite, now).await?;
                return Ok(());
            }
            if identites::ncc_taken(conn, &nouveau.numero_cc).await? {
                return Err(AppError::conflict_on(
                    "input.numeroCc",
                    "Un compte existe déjà pour ce NCC : si l'entreprise est la vôtre, contactez l'ARTCI.",
                ));
            }
            let id = identites::create_compte(conn, &nouveau).await?;
            let titulaire = Titulaire::Compte(id);
            let hash = key.hacher(titulaire, TypeOtp::Inscription, &code);
            let nouveau_code = NouveauCode {
                titulaire,
                type_: TypeOtp::Inscription,
                code_hash: &hash,
                ip,
                created_at: now,
                expires_at: now + otp::DUREE_DE_VIE,
            };
            otp_codes::replace(conn, &nouveau_code, otp::MAX_TENTATIVES).await?;
            mail::mettre_en_file(conn, &email, &Courriel::OtpInscription { code }, now).await?;
            Ok(())
    })
    .await
}

fn sensitive(
    identite: &Identite,
    known: &[(Option<IpNet>, Option<String>)],
    verified_ips: &[IpNet],
    client: &Client,
    now: DateTime<Utc>,
) -> bool {
    let ip = client.ipnet();
    let ip_known = ip
        .is_some_and(|ip| known.iter().any(|(k, _)| *k == Some(ip)) || verified_ips.contains(&ip));
    let agents: Vec<&str> = known.iter().filter_map(|(_, ua)| ua.as_deref()).collect();
    let device_known = agents.is_empty()
        || client
            .user_agent
            .as_deref()
            .is_some_and(|ua| agents.contains(&ua));
    let dormant = identite
        .derniere_connexion
        .is_some_and(|last| now - last >= INACTIVITE_SENSIBLE);
    !ip_known || !device_known || dormant
}

fn must_change(state: &AppState, identite: &Identite, now: DateTime<Utc>) -> bool {
    identite.doit_changer_mot_de_passe
        || (state.config.comptes.password_max_age_days > 0
            && identite.password_expires_at.is_some_and(|e| e <= now))
}

/// Refuses an account that may not log in, once its password is known to be right.
fn check_may_log_in(identite: &Identite, now: DateTime<Utc>) -> AppResult<()> {
    if identite.verrouille_jusqu_a.is_some_and(|t| t > now) {
        return Err(AppError::account_locked());
    }
    if !identite.est_actif {
        return Err(AppError::account_disabled());
    }
    if identite.statut_inscription == Some(StatutInscription::Rejetee) {
        return Err(AppError::account_rejected());
    }
    if !identite.email_verifie {
        return Err(AppError::email_not_verified());
    }
    Ok(())
}

/// Opens a session: a row, a refresh token (stored hashed) and an access token.
pub async fn ouvrir_session(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    titulaire: Titulaire,
    restreinte: bool,
    client: &Client,
) -> AppResult<SessionEmise> {
    let now = state.clock.now();
    let session = sessions::create(
        conn,
        titulaire,
        restreinte,
        client.ipnet(),
        client.user_agent.as_deref(),
        now,
        now + REFRESH_TTL,
    )
    .await?;
    issue_tokens(conn, state, titulaire, session.id).await
}

/// A new refresh token (stored hashed) and access token for an open session.
async fn issue_tokens(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    titulaire: Titulaire,
    session_id: uuid::Uuid,
) -> AppResult<SessionEmise> {
    let now = state.clock.now();
    let refresh_token = new_refresh_token();
    sessions::add_refresh_token(
        conn,
        session_id,
        &digest(&refresh_token),
        now,
        now + REFRESH_TTL,
    )
    .await?;
    Ok(SessionEmise {
        access_token: state.tokens.issue(titulaire, session_id, now),
        refresh_token,
        expires_at: now + ACCESS_TOKEN_TTL,
    })
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .expect("OS random generator");
    hex(&bytes)
}

fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

/// Mails a code of `type_` to the account unless the resend rules hold it back.
async fn send_code(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    identite: &Identite,
    type_: TypeOtp,
    client: &Client,
) -> AppResult<()> {
    let now = state.clock.now();
    let recents =
        otp_codes::issued_since(conn, identite.titulaire, type_, now - Duration::hours(1)).await?;
    if !otp::envoi_permis(&recents, now) {
        return Ok(());
    }
    let code = otp::generer();
    let hash = state.otp_key.hacher(identite.titulaire, type_, &code);
    let courriel = match type_ {
        TypeOtp::Inscription => Courriel::OtpInscription { code },
        TypeOtp::Connexion => Courriel::OtpConnexion { code },
        TypeOtp::ResetPassword => Courriel::OtpReinitialisation { code },
    };
    let titulaire = identite.titulaire;
    let email = identite.email.clone();
    let ip = client.ipnet();
    conn.transaction::<_, AppError, _>(async |conn| {
        otp_codes::replace(
            conn,
            &NouveauCode {
                titulaire,
                type_,
                code_hash: &hash,
                ip,
                created_at: now,
                expires_at: now + otp::DUREE_DE_VIE,
            },
            otp::MAX_TENTATIVES,
        )
        .await?;
        mail::mettre_en_file(conn, &email, &courriel, now).await?;
        Ok(())
    })
    .await
}

/// `connexion`.
pub async fn connecter(
    state: &AppState,
    email: &str,
    mot_de_passe_saisi: String,
    espace: Espace,
    client: &Client,
) -> AppResult<IssueConnexion> {
    let email = field("input.email", validation::normalize_email(email))?;
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "connexion").await?;
    let identite = identites::find_by_email(&mut conn, espace, &email).await?;
    let hash = identite
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |i| i.password_hash.clone());
    let correct = mot_de_passe::verify(mot_de_passe_saisi, hash)
        .await
        .map_err(AppError::internal)?;
    let now = state.clock.now();
    let Some(identite) = identite else {
        return Err(AppError::wrong_credentials());
    };
    let locked = identite.verrouille_jusqu_a.is_some_and(|t| t > now);
    if !correct {
        if !locked {
            let lock_until =
                now + Duration::minutes(i64::from(state.config.comptes.login_lockout_minutes));
            let max = i32::try_from(state.config.comptes.login_max_failures)
                .unwrap_or(i32::MAX)
                .max(1);
            identites::record_failure(&mut conn, identite.titulaire, max, lock_until).await?;
        }
        return Err(AppError::wrong_credentials());
    }
    check_may_log_in(&identite, now)?;

    let known = sessions::known_clients(&mut conn, identite.titulaire).await?;
    let verified = otp_codes::verified_ips(&mut conn, identite.titulaire).await?;
    if sensitive(&identite, &known, &verified, client, now) {
        send_code(&mut conn, state, &identite, TypeOtp::Connexion, client).await?;
        return Ok(IssueConnexion::OtpRequis);
    }
    open_after_login(&mut conn, state, &identite, client)
        .await
        .map(|(session, restricted)| {
            if restricted {
                IssueConnexion::ChangementRequis(session)
            } else {
                IssueConnexion::Session(session)
            }
        })
}

async fn open_after_login(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    identite: &Identite,
    client: &Client,
) -> AppResult<(SessionEmise, bool)> {
    let now = state.clock.now();
    let restricted = must_change(state, identite, now);
    identites::record_login(conn, identite.titulaire, now).await?;
    let session = ouvrir_session(conn, state, identite.titulaire, restricted, client).await?;
    Ok((session, restricted))
}

/// `verifierOtp`: `INSCRIPTION` verifies the e-mail, `CONNEXION` completes a sensitive login.
pub async fn verifier_otp(
    state: &AppState,
    email: &str,
    code: &str,
    type_: TypeOtp,
    espace: Espace,
    client: &Client,
) -> AppResult<IssueOtp> {
    let email = field("input.email", validation::normalize_email(email))?;
    if type_ == TypeOtp::ResetPassword {
        return Err(AppError::bad_input(
            "input.type",
            "Un code de réinitialisation s'utilise avec reinitialiserMotDePasse.",
        ));
    }
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "otp").await?;
    let now = state.clock.now();
    let Some(identite) = identites::find_by_email(&mut conn, espace, &email).await? else {
        return Err(invalid_code());
    };
    let hash = state.otp_key.hacher(identite.titulaire, type_, code);
    if !otp_codes::consume(
        &mut conn,
        identite.titulaire,
        type_,
        &hash,
        now,
        otp::MAX_TENTATIVES,
    )
    .await?
    {
        otp_codes::record_wrong_attempt(
            &mut conn,
            identite.titulaire,
            type_,
            now,
            otp::MAX_TENTATIVES,
        )
        .await?;
        return Err(invalid_code());
    }
    match type_ {
        TypeOtp::Inscription => {
            identites::mark_email_verified(&mut conn, identite.titulaire).await?;
            Ok(IssueOtp::Verifie)
        }
        _ => {
            check_may_log_in(&identite, now)?;
            let (session, restricted) =
                open_after_login(&mut conn, state, &identite, client).await?;
            Ok(if restricted {
                IssueOtp::ChangementRequis(session)
            } else {
                IssueOtp::Session(session)
            })
        }
    }
}

/// `renvoyerOtp`: always `true`; a code is resent only where one makes sense (an unverified
/// sign-up, a login or reset under way) and the resend rules allow it.
pub async fn renvoyer_otp(
    state: &AppState,
    email: &str,
    type_: TypeOtp,
    espace: Espace,
    client: &Client,
) -> AppResult<bool> {
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "otp").await?;
    let Ok(email) = validation::normalize_email(email) else {
        return Ok(true);
    };
    let Some(identite) = identites::find_by_email(&mut conn, espace, &email).await? else {
        return Ok(true);
    };
    let now = state.clock.now();
    let under_way = !otp_codes::issued_since(
        &mut conn,
        identite.titulaire,
        type_,
        now - otp::DUREE_DE_VIE,
    )
    .await?
    .is_empty();
    let due = match type_ {
        TypeOtp::Inscription => !identite.email_verifie,
        TypeOtp::Connexion | TypeOtp::ResetPassword => under_way && identite.est_actif,
    };
    if due {
        send_code(&mut conn, state, &identite, type_, client).await?;
    }
    Ok(true)
}

/// `motDePasseOublie`: always `true`; mails a reset code to an existing, active account.
pub async fn mot_de_passe_oublie(
    state: &AppState,
    email: &str,
    espace: Espace,
    client: &Client,
) -> AppResult<bool> {
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "reinitialisation").await?;
    let Ok(email) = validation::normalize_email(email) else {
        return Ok(true);
    };
    if let Some(identite) = identites::find_by_email(&mut conn, espace, &email).await?
        && identite.est_actif
        && identite.statut_inscription != Some(StatutInscription::Rejetee)
    {
        send_code(&mut conn, state, &identite, TypeOtp::ResetPassword, client).await?;
    }
    Ok(true)
}

/// Stores a new password, ends every session but `keep`, and tells the owner.
async fn replace_password(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    identite: &Identite,
    nouveau: String,
    keep: Option<uuid::Uuid>,
) -> AppResult<()> {
    let hash = mot_de_passe::hash(nouveau)
        .await
        .map_err(AppError::internal)?;
    let now = state.clock.now();
    let expires = password_expiry(state, now);
    let titulaire = identite.titulaire;
    let email = identite.email.clone();
    conn.transaction::<_, AppError, _>(async |conn| {
        identites::set_password(conn, titulaire, &hash, now, expires).await?;
        sessions::revoke_all(conn, titulaire, keep, "changement de mot de passe", now).await?;
        mail::mettre_en_file(conn, &email, &Courriel::MotDePasseModifie, now).await?;
        Ok(())
    })
    .await
}

/// `reinitialiserMotDePasse`.
pub async fn reinitialiser(
    state: &AppState,
    email: &str,
    code: &str,
    nouveau: String,
    espace: Espace,
    client: &Client,
) -> AppResult<bool> {
    let email = field("input.email", validation::normalize_email(email))?;
    field(
        "input.nouveauMotDePasse",
        mot_de_passe::check_new_password(&nouveau),
    )?;
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "otp").await?;
    let now = state.clock.now();
    let Some(identite) = identites::find_by_email(&mut conn, espace, &email).await? else {
        return Err(invalid_code());
    };
    let hash = state
        .otp_key
        .hacher(identite.titulaire, TypeOtp::ResetPassword, code);
    if !otp_codes::consume(
        &mut conn,
        identite.titulaire,
        TypeOtp::ResetPassword,
        &hash,
        now,
        otp::MAX_TENTATIVES,
    )
    .await?
    {
        otp_codes::record_wrong_attempt(
            &mut conn,
            identite.titulaire,
            TypeOtp::ResetPassword,
            now,
            otp::MAX_TENTATIVES,
        )
        .await?;
        return Err(invalid_code());
    }
    replace_password(&mut conn, state, &identite, nouveau, None).await?;
    Ok(true)
}

/// `changerMotDePasse`: every session ends, and a fresh, unrestricted one is returned.
pub async fn changer_mot_de_passe(
    state: &AppState,
    titulaire: Titulaire,
    ancien: String,
    nouveau: String,
    client: &Client,
) -> AppResult<SessionEmise> {
    field(
        "input.nouveauMotDePasse",
        mot_de_passe::check_new_password(&nouveau),
    )?;
    if ancien == nouveau {
        return Err(AppError::bad_input(
            "input.nouveauMotDePasse",
            "Le nouveau mot de passe doit différer de l'ancien.",
        ));
    }
    let mut conn = state.pool.get().await?;
    let identite = identites::find(&mut conn, titulaire)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    let correct = mot_de_passe::verify(ancien, identite.password_hash.clone())
        .await
        .map_err(AppError::internal)?;
    if !correct {
        return Err(AppError::bad_input(
            "input.ancienMotDePasse",
            "Mot de passe actuel incorrect.",
        ));
    }
    replace_password(&mut conn, state, &identite, nouveau, None).await?;
    let refreshed = identites::find(&mut conn, titulaire)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    let (session, _) = open_after_login(&mut conn, state, &refreshed, client).await?;
    Ok(session)
}

/// `rafraichirSession`: rotates the refresh token. A token used twice means it was stolen:
/// its whole session is revoked.
pub async fn rafraichir(
    state: &AppState,
    refresh_token: &str,
    client: &Client,
) -> AppResult<SessionEmise> {
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "rafraichissement").await?;
    let now = state.clock.now();
    let Some(jeton) = sessions::find_refresh_token(&mut conn, &digest(refresh_token)).await? else {
        return Err(AppError::unauthenticated());
    };
    let Some(session) = sessions::find_by_id(&mut conn, jeton.session_id).await? else {
        return Err(AppError::unauthenticated());
    };
    if jeton.utilise_le.is_some() || !sessions::use_refresh_token(&mut conn, jeton.id, now).await? {
        tracing::warn!(session = %session.id, "jeton de rafraîchissement réutilisé : session révoquée");
        sessions::revoke(
            &mut conn,
            session.id,
            "réutilisation d'un jeton de rafraîchissement",
            now,
        )
        .await?;
        return Err(AppError::unauthenticated());
    }
    if jeton.expires_at <= now || !session.est_active(now) {
        return Err(AppError::unauthenticated());
    }
    let titulaire = session.titulaire().ok_or_else(AppError::unauthenticated)?;
    let identite = identites::find(&mut conn, titulaire)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    if check_may_log_in(&identite, now).is_err() {
        sessions::revoke(&mut conn, session.id, "compte plus autorisé", now).await?;
        return Err(AppError::unauthenticated());
    }
    issue_tokens(&mut conn, state, titulaire, session.id).await
}

/// `deconnexion`: the session ends; its access and refresh tokens stop working at once.
pub async fn deconnecter(state: &AppState, session_id: uuid::Uuid) -> AppResult<bool> {
    let mut conn = state.pool.get().await?;
    sessions::revoke(&mut conn, session_id, "déconnexion", state.clock.now()).await?;
    Ok(true)
}
