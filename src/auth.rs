//! Access tokens (HS256 JWT) and the principal they identify.
//!
//! A token says whether its subject is a company account (`espace = entreprise`) or a staff
//! user (`espace = artci`, with the role). The algorithm, `iss`, `aud` and the token type are
//! pinned; expiry is checked against the service's injectable clock rather than the system
//! time, so tests that move time see tokens expire.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use diesel_async::AsyncPgConnection;

use crate::config::AuthConfig;
use crate::models::enums::{RoleUtilisateur, StatutInscription};
use crate::models::sessions::{self, Titulaire};
use crate::models::{comptes_entreprises, users};

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
const ACCESS_TOKEN_TYPE: &str = "access";

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Anonyme,
    /// A company account (`comptes_entreprises`).
    Entreprise {
        compte_id: Uuid,
    },
    /// An ARTCI staff user (`users`).
    Agent {
        user_id: Uuid,
        role: RoleUtilisateur,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EspaceClaim {
    Entreprise,
    Artci,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub typ: String,
    pub espace: EspaceClaim,
    /// The session (`sessions.id`): revoking it ends this token at once.
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// What a valid access token says: whose it is, and of which session. The database has the
/// last word on both (a revoked session, a disabled account, a changed role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessToken {
    pub titulaire: Titulaire,
    pub session_id: Uuid,
    /// When the token stops being accepted.
    pub expire_le: DateTime<Utc>,
}

/// Why a caller was not recognised; never detailed to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Malformed, forged, of another type, or its session/account no longer valid.
    Invalid,
    Expired,
    /// The database could not be asked.
    Unavailable,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8], config: &AuthConfig) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.jwt_issuer]);
        validation.set_audience(&[&config.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the injectable clock in `verify`.
        validation.validate_exp = false;
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
        }
    }

    /// Issues a 15-minute access token of `session_id`.
    pub fn issue(&self, titulaire: Titulaire, session_id: Uuid, now: DateTime<Utc>) -> String {
        let (sub, espace) = match titulaire {
            Titulaire::Compte(id) => (id, EspaceClaim::Entreprise),
            Titulaire::Agent(id) => (id, EspaceClaim::Artci),
        };
        let claims = Claims {
            sub,
            typ: ACCESS_TOKEN_TYPE.to_owned(),
            espace,
            sid: session_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 encoding of plain claims cannot fail")
    }

    /// Checks a presented access token's signature, claims and expiry.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessToken, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        if claims.typ != ACCESS_TOKEN_TYPE {
            return Err(TokenError::Invalid);
        }
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        let titulaire = match claims.espace {
            EspaceClaim::Entreprise => Titulaire::Compte(claims.sub),
            EspaceClaim::Artci => Titulaire::Agent(claims.sub),
        };
        Ok(AccessToken {
            titulaire,
            session_id: claims.sid,
            expire_le: DateTime::from_timestamp(claims.exp, 0).ok_or(TokenError::Invalid)?,
        })
    }
}

/// The caller behind a verified token, as the database says now: its session must be open,
/// its account active (a company's not rejected), and a staff user's role is the current one.
/// Returns the principal and whether the session is restricted to a password change.
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    token: AccessToken,
    now: DateTime<Utc>,
) -> Result<(Principal, bool), TokenError> {
    let unavailable = |_| TokenError::Unavailable;
    let session = sessions::find_by_id(conn, token.session_id)
        .await
        .map_err(unavailable)?
        .filter(|s| s.est_active(now) && s.titulaire() == Some(token.titulaire))
        .ok_or(TokenError::Invalid)?;
    let principal = match token.titulaire {
        Titulaire::Compte(id) => comptes_entreprises::find_by_id(conn, id)
            .await
            .map_err(unavailable)?
            .filter(|c| c.est_actif && c.statut_inscription != StatutInscription::Rejetee)
            .map(|c| Principal::Entreprise { compte_id: c.id }),
        Titulaire::Agent(id) => users::find_by_id(conn, id)
            .await
            .map_err(unavailable)?
            .filter(|u| u.est_actif)
            .map(|u| Principal::Agent {
                user_id: u.id,
                role: u.role,
            }),
    };
    principal
        .map(|p| (p, session.restreinte))
        .ok_or(TokenError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn keys(secret: &[u8]) -> TokenKeys {
        TokenKeys::new(secret, &AuthConfig::default())
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
    }

    #[test]
    fn un_jeton_valide_identifie_son_porteur_et_sa_session() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let titulaire = Titulaire::Agent(Uuid::new_v4());
        let sid = Uuid::new_v4();
        let token = k.issue(titulaire, sid, t0());
        assert_eq!(
            k.verify(&token, t0() + Duration::minutes(14)),
            Ok(AccessToken {
                titulaire,
                session_id: sid,
                expire_le: t0() + Duration::minutes(15),
            })
        );
    }

    #[test]
    fn un_jeton_expire_apres_quinze_minutes() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let token = k.issue(Titulaire::Compte(Uuid::new_v4()), Uuid::new_v4(), t0());
        assert_eq!(
            k.verify(&token, t0() + Duration::minutes(15)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn un_jeton_signe_par_une_autre_cle_est_refuse() {
        let token = keys(b"another-secret-another-secret-xx").issue(
            Titulaire::Compte(Uuid::new_v4()),
            Uuid::new_v4(),
            t0(),
        );
        let k = keys(b"0123456789abcdef0123456789abcdef");
        assert_eq!(k.verify(&token, t0()), Err(TokenError::Invalid));
    }

    #[test]
    fn un_jeton_sans_signature_est_refuse() {
        // alg "none": header {"alg":"none","typ":"JWT"}, no signature.
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let good = k.issue(Titulaire::Compte(Uuid::new_v4()), Uuid::new_v4(), t0());
        let payload = good.split('.').nth(1).unwrap();
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(k.verify(&forged, t0()), Err(TokenError::Invalid));
    }

    #[test]
    fn un_jeton_d_un_autre_emetteur_est_refuse() {
        let other = TokenKeys::new(
            b"0123456789abcdef0123456789abcdef",
            &AuthConfig {
                jwt_issuer: "autre".into(),
                ..AuthConfig::default()
            },
        );
        let token = other.issue(Titulaire::Compte(Uuid::new_v4()), Uuid::new_v4(), t0());
        let k = keys(b"0123456789abcdef0123456789abcdef");
        assert_eq!(k.verify(&token, t0()), Err(TokenError::Invalid));
    }
}
