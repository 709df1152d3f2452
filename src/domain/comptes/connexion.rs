//! `connexion` and the codes around it.

use super::echecs;
use super::session::ouvrir_session;
use super::*;

/// A login after this long without one is sensitive.
pub const INACTIVITE_SENSIBLE: Duration = Duration::days(30);

/// A hash to verify against when the account does not exist, so that an unknown e-mail
/// costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    mot_de_passe::hash_blocking("registre-dcp: compte inexistant").expect("argon2 hashing")
});

pub(super) fn sensitive(
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

pub(super) fn must_change(state: &AppState, identite: &Identite, now: DateTime<Utc>) -> bool {
    identite.doit_changer_mot_de_passe
        || (state.config.comptes.password_max_age_days > 0
            && identite.password_expires_at.is_some_and(|e| e <= now))
}

/// Refuses an account that may not log in, once its password is known to be right.
/// (Wrong passwords hold back the client that sent them, not the account: [`super::echecs`].)
pub(super) fn check_may_log_in(identite: &Identite) -> AppResult<()> {
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

/// Mails a code of `type_` to the account unless the resend rules hold it back.
pub(super) async fn send_code(
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
    limiter(&mut conn, state, client, "connexion", Some(&email)).await?;
    let essai = echecs::avant_essai(&mut conn, &email, client, state.clock.now()).await?;
    let identite = identites::find_by_email(&mut conn, espace, &email).await?;
    // The connection goes back to the pool while argon2 runs (tens of milliseconds, queued
    // behind other logins): a burst of logins never holds the pool from other requests.
    drop(conn);
    let hash = identite
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |i| i.password_hash.clone());
    let correct = mot_de_passe::verify(mot_de_passe_saisi, hash)
        .await
        .map_err(AppError::internal)?;
    let mut conn = state.pool.get().await?;
    let now = state.clock.now();
    let identite = match identite {
        Some(identite) if correct => identite,
        // An unknown address counts like a wrong password: nothing tells them apart.
        identite => {
            echecs::apres_echec(&mut conn, state, &essai, identite.as_ref(), now).await?;
            return Err(AppError::wrong_credentials());
        }
    };
    echecs::apres_succes(&mut conn, &essai).await?;
    check_may_log_in(&identite)?;

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

pub(super) async fn open_after_login(
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
    limiter(&mut conn, state, client, "otp", Some(&email)).await?;
    let identite = consommer_code(&mut conn, state, espace, &email, type_, code).await?;
    match type_ {
        TypeOtp::Inscription => {
            identites::mark_email_verified(&mut conn, identite.titulaire).await?;
            Ok(IssueOtp::Verifie)
        }
        _ => {
            check_may_log_in(&identite)?;
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
    let email = validation::normalize_email(email).ok();
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "otp", email.as_deref()).await?;
    let Some(email) = email else {
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
