//! Country codes: the 249 officially assigned ISO 3166-1 alpha-2 codes, so that a processor's
//! or a transfer's country is a real one (a well-formed but unassigned `XX` would be counted
//! as "outside ECOWAS" by the formality rules and force an authorisation by mistake).

/// The officially assigned ISO 3166-1 alpha-2 codes, sorted (for [`est_attribue`]'s binary
/// search). Reserved and user-assigned codes (`EU`, `UK`, `XK`, `XX`, `ZZ`…) are not
/// countries of the standard and are left out on purpose. Update on an ISO 3166 newsletter
/// that assigns or withdraws a code.
pub const CODES_ISO_3166_1: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` (exactly as given: two upper-case letters) is an assigned ISO 3166-1
/// alpha-2 code.
pub fn est_attribue(code: &str) -> bool {
    CODES_ISO_3166_1.binary_search(&code).is_ok()
}

/// The stored form of a country code typed by a person: trimmed, upper-cased, and an
/// assigned ISO 3166-1 alpha-2 code; the error is a French message for the form.
pub fn normaliser(saisi: &str) -> Result<String, &'static str> {
    let code = saisi.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("Le pays est obligatoire.");
    }
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("Code pays invalide : deux lettres ISO 3166-1 sont attendues (ex. FR, SN).");
    }
    if !est_attribue(&code) {
        return Err("Ce code ne désigne aucun pays (ISO 3166-1 alpha-2).");
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dossier::{COTE_D_IVOIRE, PAYS_CEDEAO};

    #[test]
    fn la_liste_compte_249_codes_distincts_et_tries() {
        assert_eq!(CODES_ISO_3166_1.len(), 249);
        assert!(CODES_ISO_3166_1.windows(2).all(|w| w[0] < w[1]));
        assert!(
            CODES_ISO_3166_1
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn les_membres_de_la_cedeao_sont_des_pays() {
        assert!(est_attribue(COTE_D_IVOIRE));
        for membre in PAYS_CEDEAO {
            assert!(est_attribue(membre), "{membre}");
        }
    }

    #[test]
    fn les_codes_reserves_ou_inventes_sont_refuses() {
        for code in ["XX", "ZZ", "UK", "EU", "XK", "AA", "QZ"] {
            assert!(!est_attribue(code), "{code}");
            assert!(normaliser(code).is_err(), "{code}");
        }
    }

    #[test]
    fn un_code_saisi_est_nettoye() {
        assert_eq!(normaliser(" fr ").as_deref(), Ok("FR"));
        assert_eq!(normaliser("Sn").as_deref(), Ok("SN"));
        assert!(normaliser("").is_err());
        assert!(normaliser("FRA").is_err());
        assert!(normaliser("F1").is_err());
        assert!(normaliser("ÉS").is_err());
    }
}
