//! A cheap scan of the raw GraphQL document, before the library parses it.
//!
//! async-graphql's parser recurses on nested values and lists (`[[[[…`) without a bound and
//! has no alias limit: a few kilobytes can overflow the stack or make validation expensive.
//! This scan walks the text once, skipping strings and comments, and refuses documents that
//! are too long, nest too deep, or carry too many aliases.
//!
//! The validator also re-expands fragment spreads without caching: a kilobyte of fragments
//! that each spread the next twice holds a core for seconds. Once parsed, a document's
//! expanded size (every field a spread would produce, counted once per fragment with a
//! cache) is bounded by [`check_expansion`] before validation runs.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

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
    TooManyExpandedFields,
    FragmentCycle,
}

/// Most fields a document may expand to, fragments spread out.
pub const MAX_EXPANDED_FIELDS: usize = 5_000;

impl DocumentRejection {
    pub fn message(self) -> &'static str {
        match self {
            DocumentRejection::TooLarge => "Requête GraphQL trop volumineuse.",
            DocumentRejection::TooDeep => "Requête GraphQL trop imbriquée.",
            DocumentRejection::TooManyAliases => "Requête GraphQL : trop d'alias.",
            DocumentRejection::TooManyExpandedFields => {
                "Requête GraphQL trop complexe : trop de champs une fois les fragments développés."
            }
            DocumentRejection::FragmentCycle => {
                "Requête GraphQL : des fragments se référencent en boucle."
            }
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

/// Bounds the number of fields `document` expands to, each fragment's size computed once.
pub fn check_expansion(
    document: &ExecutableDocument,
    limit: usize,
) -> Result<(), DocumentRejection> {
    let mut sizes: HashMap<&str, Option<usize>> = HashMap::new();
    let mut total = 0usize;
    for (_, operation) in document.operations.iter() {
        total = total.saturating_add(expanded(
            document,
            &operation.node.selection_set.node,
            &mut sizes,
            limit,
        )?);
        if total > limit {
            return Err(DocumentRejection::TooManyExpandedFields);
        }
    }
    Ok(())
}

/// Size of a selection set; `sizes` holds each fragment's size (`None` while it is being
/// computed, to detect cycles).
fn expanded<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    sizes: &mut HashMap<&'a str, Option<usize>>,
    limit: usize,
) -> Result<usize, DocumentRejection> {
    let mut total = 0usize;
    for selection in &set.items {
        let size = match &selection.node {
            Selection::Field(field) => {
                1 + expanded(document, &field.node.selection_set.node, sizes, limit)?
            }
            Selection::InlineFragment(inline) => {
                expanded(document, &inline.node.selection_set.node, sizes, limit)?
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match sizes.get(name) {
                    Some(Some(size)) => *size,
                    Some(None) => return Err(DocumentRejection::FragmentCycle),
                    None => match document.fragments.get(name) {
                        // An unknown fragment is the validator's to report.
                        None => 0,
                        Some(fragment) => {
                            sizes.insert(name, None);
                            let size = expanded(
                                document,
                                &fragment.node.selection_set.node,
                                sizes,
                                limit,
                            )?;
                            sizes.insert(name, Some(size));
                            size
                        }
                    },
                }
            }
        };
        total = total.saturating_add(size);
        if total > limit {
            return Err(DocumentRejection::TooManyExpandedFields);
        }
    }
    Ok(total)
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

    fn parse(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap()
    }

    #[test]
    fn des_fragments_qui_doublent_a_chaque_niveau_sont_refuses() {
        let mut q = String::from("query { ...F0 }\n");
        for i in 0..40 {
            q += &format!("fragment F{i} on Query {{ ...F{} ...F{} }}\n", i + 1, i + 1);
        }
        q += "fragment F40 on Query { __typename }";
        assert_eq!(
            check_expansion(&parse(&q), MAX_EXPANDED_FIELDS),
            Err(DocumentRejection::TooManyExpandedFields)
        );
    }

    #[test]
    fn des_fragments_raisonnables_passent_et_les_cycles_sont_refuses() {
        let q = "query { moi { ...A ...A } } fragment A on CompteEntreprise { email ...B } fragment B on CompteEntreprise { ville }";
        assert_eq!(check_expansion(&parse(q), MAX_EXPANDED_FIELDS), Ok(()));
        let cyclic = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert_eq!(
            check_expansion(&parse(cyclic), MAX_EXPANDED_FIELDS),
            Err(DocumentRejection::FragmentCycle)
        );
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
