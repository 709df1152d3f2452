//! Pure renderers: plain data in, bytes or text out. Nothing here reads the database.
//!
//! - [`certificat`]: the official certificate (récépissé, autorisation, attestation) as a PDF/A.
//! - [`verification`]: the public check page that the certificate's QR code opens.

use chrono::{Datelike, NaiveDate};

pub mod certificat;
pub mod verification;

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « 6 décembre 2026 », « 1er mars 2027 ».
pub fn date_longue(d: NaiveDate) -> String {
    let jour = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{jour} {} {}", MOIS[d.month0() as usize], d.year())
}
