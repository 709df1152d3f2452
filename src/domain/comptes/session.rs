//! Sessions: opened, refreshed with rotation, ended.

use super::connexion::check_may_log_in;
use super::*;

/// Lifetime of a session and of each refresh token.
pub const REFRESH_TTL: Duration = Duration::days(7);

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
pub(super) async fn issue_tokens(
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

pub(super) fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .expect("OS random generator");
    hex(&bytes)
}

pub(super) fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

/// `rafraichirSession`: rotates the refresh token. A token used twice means it was stolen:
/// its whole session is revoked.
pub async fn rafraichir(
    state: &AppState,
    refresh_token: &str,
    client: &Client,
) -> AppResult<SessionEmise> {
    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "rafraichissement", None).await?;
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
    if check_may_log_in(&identite).is_err() {
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
