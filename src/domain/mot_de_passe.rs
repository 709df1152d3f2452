//! Passwords: the policy of the law's implementing rules (at least 8 characters with an
//! upper-case letter, a lower-case letter, a digit and a special character) and argon2id
//! hashing at OWASP's parameters (19 MiB, 2 passes, 1 lane).
//!
//! Hashing costs ~19 MiB and tens of milliseconds of CPU: the async entry points run it on
//! the blocking pool, on all the cores but one at most (at least one), so memory
//! stays bounded and a burst of logins cannot take every core from the other requests: the
//! logins queue among themselves while the rest keep a core.

use std::sync::{LazyLock, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use super::validation::caractere_visible;

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 128;

/// Hashes running at once: the cores but one, at least one, at most eight (memory).
fn max_concurrent_hashes() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .clamp(1, 8)
}

static HASH_PERMITS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(max_concurrent_hashes()));

/// Why a password does not meet the policy, in words a person can act on.
pub fn check_policy(password: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err("Le mot de passe doit contenir au moins 8 caractères.");
    }
    if length > MAX_LENGTH {
        return Err("Le mot de passe doit contenir au plus 128 caractères.");
    }
    if !password.chars().any(char::is_uppercase) {
        return Err("Le mot de passe doit contenir une majuscule.");
    }
    if !password.chars().any(char::is_lowercase) {
        return Err("Le mot de passe doit contenir une minuscule.");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return Err("Le mot de passe doit contenir un chiffre.");
    }
    // A space, a NUL or a zero-width character is not the special character a person reads.
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && caractere_visible(c))
    {
        return Err("Le mot de passe doit contenir un caractère spécial.");
    }
    Ok(())
}

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2id parameters are valid")
}

/// Argon2's working memory (19 MiB at our parameters), kept between hashes: at most one per
/// hash running at once, which the semaphore bounds. Allocating it anew at each hash lets
/// the allocator keep a copy per thread of the blocking pool: under a burst of logins the
/// process grew past 250 MB; with these buffers it stays at the buffers' size.
static MEMOIRES: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Computes argon2 into `out` with a kept buffer. Hashes of other parameters (an older
/// policy) get a buffer of their own, dropped afterwards.
fn calculer(
    argon2: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    let taille = params.block_count();
    let standard = taille == params_standard_blocks();
    let mut memoire = if standard {
        MEMOIRES
            .lock()
            .ok()
            .and_then(|mut m| m.pop())
            .unwrap_or_else(|| vec![Block::default(); taille])
    } else {
        vec![Block::default(); taille]
    };
    let resultat = argon2.hash_password_into_with_memory(password, salt, out, &mut memoire);
    if standard && let Ok(mut memoires) = MEMOIRES.lock() {
        memoires.push(memoire);
    }
    resultat
}

fn params_standard_blocks() -> usize {
    static BLOCS: LazyLock<usize> = LazyLock::new(|| params().block_count());
    *BLOCS
}

/// Hashes synchronously (PHC string). Prefer [`hash`] from async code.
pub fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut sel = [0u8; 64];
    let sel = salt.as_salt().decode_b64(&mut sel)?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(calculer(&argon2, &params, password.as_bytes(), sel, out)?)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Verifies synchronously, with the parameters, salt and length the PHC string names.
/// Prefer [`verify`] from async code.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    let verifier = || -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(phc)?;
        let (Some(salt), Some(attendu)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let mut sel = [0u8; 64];
        let sel = salt.decode_b64(&mut sel)?;
        let calcule = Output::init_with(attendu.len(), |out| {
            Ok(calculer(&argon2, &params, password.as_bytes(), sel, out)?)
        })?;
        // `Output`'s equality runs in constant time.
        Ok(calcule == attendu)
    };
    verifier().unwrap_or(false)
}

/// Hashes on the blocking pool, bounded by the hashing semaphore.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _permit = HASH_PERMITS.acquire().await?;
    let phc = tokio::task::spawn_blocking(move || hash_blocking(&password)).await??;
    Ok(phc)
}

/// Verifies on the blocking pool, bounded by the hashing semaphore.
pub async fn verify(password: String, phc: String) -> anyhow::Result<bool> {
    let _permit = HASH_PERMITS.acquire().await?;
    Ok(tokio::task::spawn_blocking(move || verify_blocking(&password, &phc)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_politique_exige_les_quatre_classes() {
        assert!(check_policy("Court1!").is_err());
        assert!(check_policy("sansmajuscule1!").is_err());
        assert!(check_policy("SANSMINUSCULE1!").is_err());
        assert!(check_policy("SansChiffre!").is_err());
        assert!(check_policy("SansSpecial1").is_err());
        assert!(check_policy("Abidjan2026!").is_ok());
        // Neither a space, a NUL nor a zero-width character counts as the special one.
        for invisible in ["Abidjan 2026", "Abidjan\u{0}2026", "Abidjan\u{200b}2026"] {
            assert!(check_policy(invisible).is_err(), "{invisible:?}");
        }
        assert!(check_policy("Abidjan_2026").is_ok());
    }

    #[test]
    fn un_hachage_se_verifie_et_ne_contient_pas_le_secret() {
        let phc = hash_blocking("Abidjan2026!").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!phc.contains("Abidjan2026!"));
        assert!(verify_blocking("Abidjan2026!", &phc));
        assert!(!verify_blocking("Abidjan2026?", &phc));
        assert!(!verify_blocking("Abidjan2026!", "pas-un-hachage"));
    }

    #[test]
    fn les_hachages_de_la_bibliotheque_et_les_notres_se_verifient_les_uns_les_autres() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // The library's own, at our parameters and at others (an older policy).
        for params in [params(), Params::new(8 * 1024, 1, 1, None).unwrap()] {
            let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
            let salt = SaltString::generate(&mut OsRng);
            let phc = argon2
                .hash_password(b"Abidjan2026!", &salt)
                .unwrap()
                .to_string();
            assert!(verify_blocking("Abidjan2026!", &phc), "{phc}");
            assert!(!verify_blocking("Abidjan2026?", &phc), "{phc}");
        }
        // Ours, read by the library.
        let phc = hash_blocking("Abidjan2026!").unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"Abidjan2026!", &parsed)
                .is_ok()
        );
        // Two hashes of one password differ (salt), and the kept buffers stay bounded.
        assert_ne!(phc, hash_blocking("Abidjan2026!").unwrap());
        assert!(MEMOIRES.lock().unwrap().len() <= 8);
    }
}

/// The most common passwords that would otherwise meet the policy, lower-cased.
const COMMON: &str = include_str!("mots_de_passe_courants.txt");

/// Whether `password` is one of the most common passwords (case-insensitive).
pub fn is_common(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON.lines().any(|common| common.trim() == lowered)
}

/// The full check for a password chosen by a user: the policy, then the common list.
pub fn check_new_password(password: &str) -> Result<(), &'static str> {
    check_policy(password)?;
    if is_common(password) {
        return Err("Ce mot de passe est trop courant : choisissez-en un autre.");
    }
    Ok(())
}

#[cfg(test)]
mod common_tests {
    use super::*;

    #[test]
    fn les_mots_de_passe_courants_sont_refuses() {
        assert!(check_new_password("Azerty123!").is_err());
        assert!(check_new_password("P@ssw0rd").is_err());
        assert!(check_new_password("Kokumbo-Lagune-42").is_ok());
    }
}
