//! One-time codes: 6 digits from the operating system's CSPRNG, valid 10 minutes, single
//! use, killed after 5 wrong attempts, resent at most once a minute and 5 times an hour.
//! Stored as HMAC-SHA256 under a server key, bound to their holder and purpose, so a stolen
//! table reveals no code. Codes are never logged.

use chrono::Duration;
use hmac::{Hmac, Mac};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::Sha256;

use crate::models::enums::TypeOtp;
use crate::models::sessions::Titulaire;

pub const DUREE_DE_VIE: Duration = Duration::minutes(10);
pub const MAX_TENTATIVES: i32 = 5;
pub const DELAI_ENTRE_ENVOIS: Duration = Duration::seconds(60);
pub const MAX_ENVOIS_PAR_HEURE: usize = 5;

/// A fresh 6-digit code.
pub fn generer() -> String {
    // Rejection sampling keeps the 10^6 codes equally likely.
    loop {
        let n = OsRng.try_next_u32().expect("OS random generator");
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// The hashing key, from `OTP_SECRET` or derived from the token secret.
#[derive(Clone)]
pub struct CleOtp(Vec<u8>);

impl std::fmt::Debug for CleOtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CleOtp(..)")
    }
}

impl CleOtp {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    /// HMAC-SHA256 of raw bytes, in hex (key derivation, token digests).
    pub fn hacher_brut(&self, data: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        mac.update(data);
        hex(&mac.finalize().into_bytes())
    }

    /// The stored form of `code` for this holder and purpose.
    pub fn hacher(&self, titulaire: Titulaire, type_: TypeOtp, code: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        let (espace, id) = match titulaire {
            Titulaire::Compte(id) => ("entreprise", id),
            Titulaire::Agent(id) => ("artci", id),
        };
        mac.update(format!("{espace}:{id}:{}:{}", type_.label(), code.trim()).as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a resend is allowed given the creation instants of the recent codes (newest
/// first, within the last hour).
pub fn envoi_permis(
    recents: &[chrono::DateTime<chrono::Utc>],
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    recents.len() < MAX_ENVOIS_PAR_HEURE
        && recents
            .first()
            .is_none_or(|last| now - *last >= DELAI_ENTRE_ENVOIS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    #[test]
    fn un_code_a_six_chiffres() {
        for _ in 0..100 {
            let code = generer();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn le_hachage_lie_le_code_a_son_titulaire_et_a_son_usage() {
        let cle = CleOtp::new(b"cle");
        let a = Titulaire::Compte(Uuid::new_v4());
        let b = Titulaire::Compte(Uuid::new_v4());
        let h = cle.hacher(a, TypeOtp::Inscription, "123456");
        assert_eq!(h.len(), 64);
        assert!(!h.contains("123456"));
        assert_eq!(h, cle.hacher(a, TypeOtp::Inscription, " 123456 "));
        assert_ne!(h, cle.hacher(b, TypeOtp::Inscription, "123456"));
        assert_ne!(h, cle.hacher(a, TypeOtp::Connexion, "123456"));
        assert_ne!(
            h,
            CleOtp::new(b"autre").hacher(a, TypeOtp::Inscription, "123456")
        );
    }

    #[test]
    fn les_renvois_sont_espaces_et_plafonnes() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
        assert!(envoi_permis(&[], t));
        assert!(!envoi_permis(&[t - Duration::seconds(30)], t));
        assert!(envoi_permis(&[t - Duration::seconds(61)], t));
        let five: Vec<_> = (1..=5).map(|i| t - Duration::minutes(i * 10)).collect();
        assert!(!envoi_permis(&five, t));
    }
}
