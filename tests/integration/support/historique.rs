//! A dossier's history as a client reads it: an interface whose lines carry the statuses of
//! their object's enum. Selecting `ancienStatut` of two concrete types under one response name
//! is invalid GraphQL (the enums differ), so each type has its own aliases, as a client
//! generated from the schema would write them.

use serde_json::{Map, Value, json};

use super::TestApp;

/// Each concrete line type, with the alias prefix of its statuses and its `objet`.
const TYPES: [(&str, &str, &str); 7] = [
    ("LigneHistoriqueWorkflow", "workflow", "WORKFLOW"),
    ("LigneHistoriqueConformite", "conformite", "CONFORMITE"),
    ("LigneHistoriqueAssignation", "assignation", "ASSIGNATION"),
    (
        "LigneHistoriqueRapprochement",
        "rapprochement",
        "RAPPROCHEMENT",
    ),
    (
        "LigneHistoriqueRenouvellement",
        "renouvellement",
        "RENOUVELLEMENT",
    ),
    ("LigneHistoriqueInscription", "inscription", "INSCRIPTION"),
    ("LigneHistoriqueDocument", "document", "DOCUMENT"),
];

/// The `historique` query: the interface's fields and, per type, its aliased statuses.
pub fn requete() -> String {
    let fragments: String = TYPES
        .iter()
        .map(|(type_, alias, _)| {
            format!(
                " ... on {type_} {{ {alias}Ancien: ancienStatut {alias}Nouveau: nouveauStatut }}"
            )
        })
        .collect();
    format!(
        "query($id: ID!) {{ historique(entiteId: $id) {{ __typename objet acteurType acteur \
         commentaire createdAt{fragments} }} }}"
    )
}

/// The history of `id` as `jeton` reads it. Each line's statuses come back as `ancienStatut`
/// and `nouveauStatut` in the lower case the database stores, after checking that the line's
/// type is the one of its `objet` and that its statuses are enum values (upper case).
pub async fn lire(app: &TestApp, jeton: &str, id: &str) -> Vec<Value> {
    let r = app
        .graphql(&requete(), json!({ "id": id }), Some(jeton))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["historique"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|l| {
            let (_, alias, _) = TYPES
                .iter()
                .find(|(type_, _, objet)| l["__typename"] == *type_ && l["objet"] == *objet)
                .unwrap_or_else(|| panic!("type et objet discordants : {l}"));
            let statut = |champ: &str| -> Value {
                match &l[format!("{alias}{champ}")] {
                    Value::Null => Value::Null,
                    Value::String(s) => {
                        assert_eq!(s, &s.to_uppercase(), "statut non énuméré : {l}");
                        Value::String(s.to_lowercase())
                    }
                    autre => panic!("statut inattendu {autre} : {l}"),
                }
            };
            let mut ligne: Map<String, Value> = l.as_object().unwrap().clone();
            ligne.insert("ancienStatut".into(), statut("Ancien"));
            ligne.insert("nouveauStatut".into(), statut("Nouveau"));
            Value::Object(ligne)
        })
        .collect()
}
