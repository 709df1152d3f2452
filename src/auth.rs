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

use crate::config::AuthConfig;
use crate::models::enums::RoleUtilisateur;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

/// Why a presented token was refused; never detailed to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
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

    /// Issues an access token for `principal` (not for `Anonyme`).
    pub fn issue(&self, principal: Principal, now: DateTime<Utc>) -> Option<String> {
        let (sub, espace, role) = match principal {
            Principal::Anonyme => return None,
            Principal::Entreprise { compte_id } => (compte_id, EspaceClaim::Entreprise, None),
            Principal::Agent { user_id, role } => {
                (user_id, EspaceClaim::Artci, Some(role.label().to_owned()))
            }
        };
        let claims = Claims {
            sub,
            typ: ACCESS_TOKEN_TYPE.to_owned(),
            espace,
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            jti: Uuid::new_v4(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).ok()
    }

    /// Checks a presented access token and returns its principal.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Principal, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        if claims.typ != ACCESS_TOKEN_TYPE {
            return Err(TokenError::Invalid);
        }
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        match (claims.espace, claims.role.as_deref()) {
            (EspaceClaim::Entreprise, None) => Ok(Principal::Entreprise {
                compte_id: claims.sub,
            }),
            (EspaceClaim::Artci, Some(role)) => RoleUtilisateur::from_label(role)
                .map(|role| Principal::Agent {
                    user_id: claims.sub,
                    role,
                })
                .ok_or(TokenError::Invalid),
            _ => Err(TokenError::Invalid),
        }
    }
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
    fn un_jeton_valide_identifie_son_porteur() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let agent = Principal::Agent {
            user_id: Uuid::new_v4(),
            role: RoleUtilisateur::Admin,
        };
        let token = k.issue(agent, t0()).unwrap();
        assert_eq!(k.verify(&token, t0() + Duration::minutes(14)), Ok(agent));
    }

    #[test]
    fn un_jeton_expire_apres_quinze_minutes() {
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let p = Principal::Entreprise {
            compte_id: Uuid::new_v4(),
        };
        let token = k.issue(p, t0()).unwrap();
        assert_eq!(
            k.verify(&token, t0() + Duration::minutes(15)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn un_jeton_signe_par_une_autre_cle_est_refuse() {
        let token = keys(b"another-secret-another-secret-xx")
            .issue(
                Principal::Entreprise {
                    compte_id: Uuid::new_v4(),
                },
                t0(),
            )
            .unwrap();
        let k = keys(b"0123456789abcdef0123456789abcdef");
        assert_eq!(k.verify(&token, t0()), Err(TokenError::Invalid));
    }

    #[test]
    fn un_jeton_sans_signature_est_refuse() {
        // alg "none": header {"alg":"none","typ":"JWT"}, no signature.
        let k = keys(b"0123456789abcdef0123456789abcdef");
        let good = k
            .issue(
                Principal::Entreprise {
                    compte_id: Uuid::new_v4(),
                },
                t0(),
            )
            .unwrap();
        let payload = good.split('.').nth(1).unwrap();
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(k.verify(&forged, t0()), Err(TokenError::Invalid));
    }
}
