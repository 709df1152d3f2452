//! A cheap scan of the raw GraphQL document, before the library parses it.
//!
//! async-graphql's parser recurses on nested values and lists (`[[[[…`) without a bound and
//! has no alias limit: a few kilobytes can overflow the stack or make validation expensive.
//! This scan walks the text once, skipping strings and comments, and refuses documents that
//! are too long, nest too deep, or carry too many aliases.

/// Limits of the raw scan.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_bytes: usize,
    pub max_nesting: usize,
    pub max_aliases: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            max_bytes: 32 * 1024,
            max_nesting: 48,
            max_aliases: 100,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentRejection {
    TooLarge,
    TooDeep,
    TooManyAliases,
}

impl DocumentRejection {
    pub fn message(self) -> &'static str {
        match self {
            DocumentRejection::TooLarge => "Requête GraphQL trop volumineuse.",
            DocumentRejection::TooDeep => "Requête GraphQL trop imbriquée.",
            DocumentRejection::TooManyAliases => "Requête GraphQL : trop d'alias.",
        }
    }
}

/// Scans `document`; `Ok` means the parser may safely look at it.
pub fn check(document: &str, limits: DocumentLimits) -> Result<(), DocumentRejection> {
    if document.len() > limits.max_bytes {
        return Err(DocumentRejection::TooLarge);
    }
    let bytes = document.as_bytes();
    let mut depth = 0usize;
    // Depth of `(` alone: a `:` inside parentheses is an argument or variable, not an alias.
    let mut paren_depth = 0usize;
    let mut aliases = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                if bytes[i..].starts_with(b"\"\"\"") {
                    i += 3;
                    while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 2;
                } else {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if bytes[i] == b'(' {
                    paren_depth += 1;
                }
                if depth > limits.max_nesting {
                    return Err(DocumentRejection::TooDeep);
                }
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if bytes[i] == b')' {
                    paren_depth = paren_depth.saturating_sub(1);
                }
            }
            b':' if paren_depth == 0 && depth > 0 => {
                aliases += 1;
                if aliases > limits.max_aliases {
                    return Err(DocumentRejection::TooManyAliases);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_requete_ordinaire_passe() {
        let q = r#"query Q($id: ID!) { a: entite(id: $id) { denomination, b: ville } # x: y
            other(filtre: { texte: "a:b{[(" }) { id } }"#;
        assert_eq!(check(q, DocumentLimits::default()), Ok(()));
    }

    #[test]
    fn des_milliers_de_crochets_sont_refuses_sans_recursion() {
        let q = format!("{{ f(x: {}1{}) }}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(
            check(
                &q,
                DocumentLimits {
                    max_bytes: 1 << 20,
                    ..Default::default()
                }
            ),
            Err(DocumentRejection::TooDeep)
        );
    }

    #[test]
    fn trop_d_alias_sont_refuses() {
        let q = format!(
            "{{ {} }}",
            (0..101)
                .map(|i| format!("a{i}: moi"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(
            check(&q, DocumentLimits::default()),
            Err(DocumentRejection::TooManyAliases)
        );
    }

    #[test]
    fn les_chaines_ne_comptent_pas() {
        let q = format!("{{ f(x: \"{}\") }}", "[".repeat(1000));
        assert_eq!(check(&q, DocumentLimits::default()), Ok(()));
    }

    #[test]
    fn un_document_trop_long_est_refuse() {
        let q = "#".repeat(40 * 1024);
        assert_eq!(
            check(&q, DocumentLimits::default()),
            Err(DocumentRejection::TooLarge)
        );
    }
}
