//! Characters no input text may carry ([`caractere_interdit`]), refused in one place before
//! a request runs, over HTTP and WebSocket alike. Both the document's literal strings and the variables' are read, and
//! the error names the argument path (`input.traitements[0].nom`) as the domain's do.

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Name, Request, ServerError, Value, Variables};

use crate::domain::validation::caractere_interdit;

/// The error refusing `request`, if one of the texts it passes as an argument holds a
/// forbidden character. A document that does not parse is left to the library.
pub fn refuser_caracteres_interdits(request: &mut Request) -> Option<ServerError> {
    let variables = request.variables.clone();
    let document = request.parsed_query().ok()?;
    let champ = premier_texte_interdit(document, &variables)?;
    let mut erreur = ServerError::new(
        "Caractère interdit (caractère de contrôle ou de direction du texte).",
        None,
    );
    let extensions = erreur
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("field", champ);
    Some(erreur)
}

/// The path of the first argument text holding a forbidden character.
fn premier_texte_interdit(document: &ExecutableDocument, variables: &Variables) -> Option<String> {
    let ensembles = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(
            document
                .fragments
                .values()
                .map(|f| &f.node.selection_set.node),
        );
    for ensemble in ensembles {
        if let Some(champ) = dans_selection(ensemble, variables) {
            return Some(champ);
        }
    }
    None
}

fn dans_selection(ensemble: &SelectionSet, variables: &Variables) -> Option<String> {
    ensemble.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => dans_champ(&field.node, variables),
        Selection::InlineFragment(fragment) => {
            dans_selection(&fragment.node.selection_set.node, variables)
        }
        Selection::FragmentSpread(_) => None,
    })
}

fn dans_champ(field: &Field, variables: &Variables) -> Option<String> {
    let arguments = field.arguments.iter().chain(
        field
            .directives
            .iter()
            .flat_map(|d| d.node.arguments.iter()),
    );
    for (nom, valeur) in arguments {
        let mut chemin = nom.node.to_string();
        // The argument with its variables replaced by their values.
        let valeur = valeur.node.clone().into_const_with(|variable| {
            Ok::<_, std::convert::Infallible>(variables.get(&variable).cloned().unwrap_or_default())
        });
        if valeur.is_ok_and(|valeur| dans_constante(&valeur, &mut chemin)) {
            return Some(chemin);
        }
    }
    dans_selection(&field.selection_set.node, variables)
}

/// Whether `valeur` holds a forbidden text; `chemin` then names it.
fn dans_constante(valeur: &Value, chemin: &mut String) -> bool {
    match valeur {
        Value::String(texte) => texte.chars().any(caractere_interdit),
        Value::List(valeurs) => valeurs.iter().enumerate().any(|(i, v)| {
            let longueur = chemin.len();
            chemin.push_str(&format!("[{i}]"));
            let trouve = dans_constante(v, chemin);
            if !trouve {
                chemin.truncate(longueur);
            }
            trouve
        }),
        Value::Object(champs) => champs.iter().any(|(cle, v)| {
            let longueur = chemin.len();
            pousser_cle(chemin, cle);
            let trouve = dans_constante(v, chemin);
            if !trouve {
                chemin.truncate(longueur);
            }
            trouve
        }),
        _ => false,
    }
}

fn pousser_cle(chemin: &mut String, cle: &Name) {
    chemin.push('.');
    chemin.push_str(cle.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn champ(query: &str, variables: serde_json::Value) -> Option<String> {
        let mut request = Request::new(query).variables(Variables::from_json(variables));
        refuser_caracteres_interdits(&mut request).map(|e| {
            match e.extensions.unwrap().get("field") {
                Some(async_graphql::Value::String(s)) => s.clone(),
                autre => panic!("{autre:?}"),
            }
        })
    }

    #[test]
    fn un_nul_dans_les_variables_est_nomme_par_son_argument() {
        let q = "mutation M($i: X!) { f(input: $i) { id } }";
        assert_eq!(
            champ(
                q,
                json!({ "i": { "traitements": [{ "nom": "ok" }, { "nom": "a\u{0}b" }] } })
            ),
            Some("input.traitements[1].nom".to_owned())
        );
    }

    #[test]
    fn un_litteral_et_un_fragment_sont_lus() {
        let q = "query { ...F } fragment F on Query { a(texte: \"x\\u0007\") { id } }";
        assert_eq!(champ(q, json!({})), Some("texte".to_owned()));
        let q = "{ a(filtre: { nom: \"\u{202e}gpj.exe\" }) }";
        assert_eq!(champ(q, json!({})), Some("filtre.nom".to_owned()));
    }

    #[test]
    fn les_sauts_de_ligne_et_les_accents_passent() {
        let q = "mutation M($i: X!) { f(input: $i) { id } }";
        assert_eq!(
            champ(
                q,
                json!({ "i": { "finalite": "Gestion\tdes\r\nsalariés — مرحبا" } })
            ),
            None
        );
        // A variable no argument uses is not read.
        assert_eq!(champ("{ a }", json!({ "x": "\u{0}" })), None);
    }
}
