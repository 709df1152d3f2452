//! Gives the library's own errors a stable `extensions.code` once a request has run: parse
//! failures `GRAPHQL_PARSE_FAILED`, validation failures of the document (unknown fields,
//! depth or complexity limits) `GRAPHQL_VALIDATION_FAILED`, and a bad value (a malformed
//! date, an unknown enum value, a missing or unknown input field, in the document or in the
//! variables) `BAD_USER_INPUT` with `extensions.field` naming the input path and a French
//! message, the same shape as the domain's own input errors. The library's English text
//! never reaches a client for those.
//!
//! This is done on the response rather than by a schema extension: with any extension
//! registered, the library builds a `ResolveInfo` (a registry lookup and type names) for
//! every field and list item it resolves, which cost a public page of 20 entities a third
//! of its server time.

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// The code of `error`, if it has one.
pub fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.as_str()),
        _ => None,
    }
}

/// Codes the errors of `response` that have none. `document_lisible`: whether the request's
/// document parsed (`Request::parsed_query`, checked before it ran). A validation error is
/// one that came with no data and no path: anything the executor raises has the path of
/// its field.
pub fn coder(response: &mut Response, document_lisible: bool) {
    let sans_donnees = response.data == Value::Null;
    for error in &mut response.errors {
        if code_of(error).is_some() {
            continue;
        }
        let avant_execution = sans_donnees && error.path.is_empty();
        let valeur = if document_lisible {
            valeur_invalide(&error.message, avant_execution)
        } else {
            None
        };
        let code = if let Some(valeur) = valeur {
            error.message = valeur.message;
            if let Some(champ) = valeur.champ {
                error
                    .extensions
                    .get_or_insert_with(ErrorExtensionValues::default)
                    .set("field", champ);
            }
            BAD_USER_INPUT
        } else if !document_lisible {
            PARSE_FAILED
        } else if avant_execution {
            VALIDATION_FAILED
        } else {
            BAD_USER_INPUT
        };
        error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", code);
    }
}

/// Whether nothing of the request ran: every error came before execution (parse,
/// validation, a bad argument or variable value). Those have no path; anything the executor
/// raises has the path of its field.
pub fn rien_execute(response: &Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

/// A bad input value, as the client reads it.
#[derive(Debug, PartialEq)]
struct ValeurInvalide {
    champ: Option<String>,
    message: String,
}

/// The French reading of the library's error about an input value, if `message` is one:
/// during validation `Invalid value for argument "input.a.0.b", <raison>`; during execution
/// (a value only the type's parser could refuse, e.g. a string where an upload or an input
/// object is expected) `Failed to parse "T": …` or `Expected input type "T", found …`.
fn valeur_invalide(message: &str, avant_execution: bool) -> Option<ValeurInvalide> {
    if let Some(reste) = message.strip_prefix("Invalid value for argument \"") {
        let (chemin, raison) = reste.split_once("\", ")?;
        let chemin = chemin_graphql(chemin);
        return Some(raison_en_francais(chemin, raison));
    }
    if avant_execution {
        return None;
    }
    let type_attendu = message
        .strip_prefix("Failed to parse \"")
        .or_else(|| message.strip_prefix("Expected input type \""))?
        .split('"')
        .next()?;
    // The library does not say which argument: every mutation takes a single `input`, and
    // the message names the input type (`… (occurred while parsing "XInput")`).
    let champ = message.contains("Input\")").then(|| "input".to_owned());
    Some(ValeurInvalide {
        champ,
        message: format!("Valeur invalide : {}.", attendu(type_attendu)),
    })
}

/// `input.traitements.0.nom` → `input.traitements[0].nom`, as the domain's errors write it.
fn chemin_graphql(chemin: &str) -> String {
    let mut sortie = String::with_capacity(chemin.len() + 4);
    for (i, segment) in chemin.split('.').enumerate() {
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            sortie.push('[');
            sortie.push_str(segment);
            sortie.push(']');
        } else {
            if i > 0 {
                sortie.push('.');
            }
            sortie.push_str(segment);
        }
    }
    sortie
}

fn raison_en_francais(chemin: String, raison: &str) -> ValeurInvalide {
    let entre_guillemets = |texte: &str| -> Vec<String> {
        texte
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    if let Some(reste) = raison.strip_prefix("expected type ") {
        let t = entre_guillemets(reste);
        let t = t.first().map_or("", String::as_str);
        return ValeurInvalide {
            champ: Some(chemin),
            message: format!("Valeur absente ou invalide : {}.", attendu(t)),
        };
    }
    if raison.starts_with("enumeration type ") {
        let t = entre_guillemets(raison);
        let (enumeration, valeur) = (
            t.first().map_or("", String::as_str),
            t.get(1).map_or("", String::as_str),
        );
        return ValeurInvalide {
            champ: Some(chemin),
            message: format!("« {valeur} » n'est pas une valeur de {enumeration}."),
        };
    }
    if raison.starts_with("field ") && raison.ends_with("is required but not provided") {
        let t = entre_guillemets(raison);
        let champ = t.first().map_or("", String::as_str);
        return ValeurInvalide {
            champ: Some(format!("{chemin}.{champ}")),
            message: "Champ obligatoire manquant.".to_owned(),
        };
    }
    if raison.starts_with("unknown field ") {
        let t = entre_guillemets(raison);
        let champ = t.first().map_or("", String::as_str);
        return ValeurInvalide {
            champ: Some(format!("{chemin}.{champ}")),
            message: format!("Champ inconnu : « {champ} »."),
        };
    }
    ValeurInvalide {
        champ: Some(chemin),
        message: "Valeur invalide.".to_owned(),
    }
}

/// What a value of the GraphQL type `t` must be, in French.
fn attendu(t: &str) -> String {
    match t {
        "Date" => "une date au format AAAA-MM-JJ est attendue".to_owned(),
        "DateTime" => {
            "une date et heure au format RFC 3339 est attendue (2026-03-31T08:15:00Z)".to_owned()
        }
        "Int" => "un nombre entier est attendu".to_owned(),
        "Float" => "un nombre est attendu".to_owned(),
        "Boolean" => "true ou false est attendu".to_owned(),
        "String" => "un texte est attendu".to_owned(),
        "ID" => "un identifiant est attendu".to_owned(),
        "Upload" => "un fichier joint à la requête multipart est attendu".to_owned(),
        autre => format!("une valeur de type {autre} est attendue"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lire(message: &str) -> Option<ValeurInvalide> {
        valeur_invalide(message, true)
    }

    #[test]
    fn une_date_mal_formee_nomme_son_chemin_en_francais() {
        let v =
            lire(r#"Invalid value for argument "input.echeance", expected type "Date""#).unwrap();
        assert_eq!(v.champ.as_deref(), Some("input.echeance"));
        assert_eq!(
            v.message,
            "Valeur absente ou invalide : une date au format AAAA-MM-JJ est attendue."
        );
    }

    #[test]
    fn les_indices_de_liste_s_ecrivent_entre_crochets() {
        let v = lire(
            r#"Invalid value for argument "input.traitements.0.categories.12.categorie", enumeration type "CodeCategorieDonnees" does not contain the value "SANTEE""#,
        )
        .unwrap();
        assert_eq!(
            v.champ.as_deref(),
            Some("input.traitements[0].categories[12].categorie")
        );
        assert_eq!(
            v.message,
            "« SANTEE » n'est pas une valeur de CodeCategorieDonnees."
        );
    }

    #[test]
    fn un_champ_manquant_ou_inconnu_est_nomme() {
        let v = lire(
            r#"Invalid value for argument "input", field "version" of type "Int!" is required but not provided"#,
        )
        .unwrap();
        assert_eq!(v.champ.as_deref(), Some("input.version"));
        let v = lire(
            r#"Invalid value for argument "input", unknown field "base" of type "EnregistrerIdentificationInput""#,
        )
        .unwrap();
        assert_eq!(v.champ.as_deref(), Some("input.base"));
        assert_eq!(v.message, "Champ inconnu : « base ».");
    }

    #[test]
    fn une_erreur_d_execution_d_analyse_vise_l_argument_input() {
        let v = valeur_invalide(
            r#"Expected input type "Upload", found "x". (occurred while parsing "TeleverserDocumentInput")"#,
            false,
        )
        .unwrap();
        assert_eq!(v.champ.as_deref(), Some("input"));
        assert!(v.message.contains("multipart"));
        assert_eq!(valeur_invalide(r#"Unknown field "x""#, true), None);
    }
}
