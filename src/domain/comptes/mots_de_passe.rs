//! Forgotten, reset and changed passwords.

use super::connexion::{open_after_login, send_code};
use super::echecs;
use super::*;

/// `motDePasseOublie`: always `true`; mails a reset code to an existing, active account.
/// The answer comes once the request is counted: looking the address up and queuing the
/// code happen after it (`AppState::a_finir`), so that an address with an account and one
/// without cost the request the same work and time.
pub async fn mot_de_passe_oublie(
    state: &AppState,
    email: &str,
    espace: Espace,
    client: &Client,
) -> AppResult<bool> {
    let email = validation::normalize_email(email).ok();
    let mut conn = state.pool.get().await?;
    limiter(
        &mut conn,
        state,
        client,
        "reinitialisation",
        email.as_deref(),
    )
    .await?;
    drop(conn);
    let Some(email) = email else {
        return Ok(true);
    };
    let (state, client) = (state.clone(), client.clone());
    state.clone().a_finir.spawn(async move {
        if let Err(erreur) = envoyer_code_de_reinitialisation(&state, &email, espace, &client).await
        {
            tracing::warn!(code = ?erreur.code(), "code de réinitialisation non mis en file");
        }
    });
    Ok(true)
}

/// Queues a reset code for an existing, active account; nothing for another address.
async fn envoyer_code_de_reinitialisation(
    state: &AppState,
    email: &str,
    espace: Espace,
    client: &Client,
) -> AppResult<()> {
    let mut conn = state.pool.get().await?;
    if let Some(identite) = identites::find_by_email(&mut conn, espace, email).await?
        && identite.est_actif
        && identite.statut_inscription != Some(StatutInscription::Rejetee)
    {
        send_code(&mut conn, state, &identite, TypeOtp::ResetPassword, client).await?;
    }
    Ok(())
}

/// Stores a new password (already hashed: hash with no connection held), ends every session
/// but `keep`, lifts every client's wait on the address, and tells the owner.
pub(super) async fn replace_password(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    identite: &Identite,
    hash: String,
    keep: Option<uuid::Uuid>,
) -> AppResult<()> {
    let now = state.clock.now();
    let expires = password_expiry(state, now);
    let titulaire = identite.titulaire;
    let email = identite.email.clone();
    conn.transaction::<_, AppError, _>(async |conn| {
        identites::set_password(conn, titulaire, &hash, now, expires).await?;
        sessions::revoke_all(conn, titulaire, keep, "changement de mot de passe", now).await?;
        echecs::lever(conn, &email).await?;
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
    limiter(&mut conn, state, client, "otp", Some(&email)).await?;
    let identite = consommer_code(
        &mut conn,
        state,
        espace,
        &email,
        TypeOtp::ResetPassword,
        code,
    )
    .await?;
    drop(conn);
    let hash = mot_de_passe::hash(nouveau)
        .await
        .map_err(AppError::internal)?;
    let mut conn = state.pool.get().await?;
    replace_password(&mut conn, state, &identite, hash, None).await?;
    Ok(true)
}

/// `changerMotDePasse`: every session ends, and a fresh, unrestricted one is returned. A
/// wrong current password counts like a wrong login ([`echecs`]), and the attempts are
/// rate-limited like logins.
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
    limiter(
        &mut conn,
        state,
        client,
        "changement_mot_de_passe",
        Some(&identite.email),
    )
    .await?;
    let essai = echecs::avant_essai(&mut conn, &identite.email, client, state.clock.now()).await?;
    drop(conn);
    let correct = mot_de_passe::verify(ancien, identite.password_hash.clone())
        .await
        .map_err(AppError::internal)?;
    let mut conn = state.pool.get().await?;
    if !correct {
        let now = state.clock.now();
        echecs::apres_echec(&mut conn, state, &essai, Some(&identite), now).await?;
        return Err(AppError::bad_input(
            "input.ancienMotDePasse",
            "Mot de passe actuel incorrect.",
        ));
    }
    echecs::apres_succes(&mut conn, &essai).await?;
    drop(conn);
    let hash = mot_de_passe::hash(nouveau)
        .await
        .map_err(AppError::internal)?;
    let mut conn = state.pool.get().await?;
    replace_password(&mut conn, state, &identite, hash, None).await?;
    let refreshed = identites::find(&mut conn, titulaire)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    let (session, _) = open_after_login(&mut conn, state, &refreshed, client).await?;
    Ok(session)
}
