//! Normalisation and validation of the identifiers every form shares.

/// Whether `c` may not appear in an input text: C0 controls other than tab and line breaks
/// (PostgreSQL refuses a NUL in `text`), DEL and the C1 controls, and the bidirectional
/// overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069), which let a name shown
/// on the public register display as another.
pub fn caractere_interdit(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` prints as a visible mark: not a space, a control, a format character
/// (zero-width spaces and joiners, direction marks, the byte-order mark) nor a forbidden one.
pub fn caractere_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || caractere_interdit(c)
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// Trims and lower-cases an e-mail address and checks its shape (one `@`, a dotted domain,
/// no spaces, at most 254 characters).
pub fn normalize_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let invalid = "Adresse e-mail invalide.";
    if email.is_empty() || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(invalid);
    }
    let (local, domain) = email.split_once('@').ok_or(invalid)?;
    if local.is_empty()
        || local.len() > 64
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || !domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(invalid);
    }
    Ok(email)
}

/// Trims and upper-cases a numéro de compte contribuable: 7 digits and a letter.
pub fn normalize_ncc(raw: &str) -> Result<String, &'static str> {
    let ncc = raw.trim().to_uppercase();
    let bytes = ncc.as_bytes();
    if bytes.len() == 8
        && bytes[..7].iter().all(u8::is_ascii_digit)
        && bytes[7].is_ascii_uppercase()
    {
        Ok(ncc)
    } else {
        Err("NCC invalide : 7 chiffres suivis d'une lettre (ex. 1234567A).")
    }
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let text = raw.trim();
    if text.is_empty() {
        Err("Ce champ est obligatoire.")
    } else if text.chars().count() > max {
        Err("Ce champ est trop long.")
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_email_est_normalise() {
        assert_eq!(
            normalize_email("  Kouassi.Aya@Orange.CI ").unwrap(),
            "kouassi.aya@orange.ci"
        );
        for bad in [
            "", "a@b", "a b@c.ci", "@c.ci", "a@@c.ci", "a@c..ci", "a@.ci",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn un_ncc_est_normalise() {
        assert_eq!(normalize_ncc(" 1234567a ").unwrap(), "1234567A");
        for bad in ["123456A", "12345678", "1234567AB", "ABCDEFGH"] {
            assert!(normalize_ncc(bad).is_err(), "{bad}");
        }
    }
}

/// A Côte d'Ivoire phone number (10 digits since 2021), optionally with `+225`/`00225`;
/// spaces, dots and dashes are dropped. Stored as `+225XXXXXXXXXX`.
pub fn normalize_phone(raw: &str) -> Result<String, &'static str> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = compact
        .strip_prefix("+225")
        .or_else(|| compact.strip_prefix("00225"))
        .unwrap_or(&compact);
    if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) {
        Ok(format!("+225{national}"))
    } else {
        Err("Numéro de téléphone invalide : 10 chiffres, avec ou sans +225.")
    }
}

#[cfg(test)]
mod phone_tests {
    use super::normalize_phone;

    #[test]
    fn un_telephone_ivoirien_est_normalise() {
        assert_eq!(normalize_phone("07 07 07 07 07").unwrap(), "+2250707070707");
        assert_eq!(
            normalize_phone("+225 27-20-21-22-23").unwrap(),
            "+2252720212223"
        );
        assert!(normalize_phone("0707").is_err());
        assert!(normalize_phone("+33 6 12 34 56 78").is_err());
    }
}
