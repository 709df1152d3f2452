//! A company's dossier as the web client builds it: created, filled part by part, submitted.
//! Shared by the tests of the form and of its verification by ARTCI.

use serde_json::{Value, json};

use super::{TestApp, ncc};

pub const CREER: &str = "mutation($input: CreerEntiteInput!) { creerEntite(input: $input) {
    id workflow { version } } }";
pub const IDENTIFICATION: &str = "mutation($input: EnregistrerIdentificationInput!) {
    enregistrerIdentification(input: $input) { workflow { version } } }";
pub const CONFORMITE: &str = "mutation($input: EnregistrerConformiteInput!) {
    enregistrerConformite(input: $input) { workflow { version }
    conformiteAdministrative { connaissanceLoi declarationArtci numeroDeclaration dateDeclaration }
    responsables { id nom type email }
    correspondants { id nom type estActif statutDesignation }
    conformite { scoreConformite } } }";
pub const REGISTRE: &str = "mutation($input: EnregistrerRegistreInput!) {
    enregistrerRegistre(input: $input) { workflow { version }
    registre { totalPourcentages
      traitements { id nom statut categories { id categorie estSensible } finalites { id finalite pourcentage } }
      categoriesCommunes { id categorie } finalitesCommunes { id finalite pourcentage } } } }";
pub const SOUS_TRAITANCE: &str = "mutation($input: EnregistrerSousTraitanceInput!) {
    enregistrerSousTraitance(input: $input) { workflow { version } } }";
pub const SECURITE: &str = "mutation($input: EnregistrerSecuriteInput!) {
    enregistrerSecurite(input: $input) { workflow { version } } }";
pub const SOUMETTRE: &str = "mutation($id: ID!) { soumettreDossier(entiteId: $id) {
    workflow { statut version typeFormalite dateSoumission dateLimiteDecision }
    conformite { scoreConformite statutConformite } } }";

/// Creates an entity (a clinic, region Abidjan) for `jeton`; returns its id.
pub async fn creer(app: &TestApp, jeton: &str) -> String {
    let r = app
        .graphql(
            CREER,
            json!({ "input": {
                "numeroCc": ncc(), "denomination": "Clinique du Plateau",
                "secteurActivite": "SANTE", "region": "ABIDJAN" } }),
            Some(jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["creerEntite"]["id"].as_str().unwrap().to_owned()
}

/// Runs a save mutation; returns its answer.
pub async fn enregistrer(app: &TestApp, jeton: &str, requete: &str, input: Value) -> Value {
    app.graphql(requete, json!({ "input": input }), Some(jeton))
        .await
}

/// The dossier's version a save answered (whose root field is `champ`).
pub fn version_de(r: &Value, champ: &str) -> i64 {
    assert!(r["errors"].is_null(), "{r}");
    r["data"][champ]["workflow"]["version"].as_i64().unwrap()
}

/// Fills every part of a dossier whose processing handles health data, with a correspondant
/// and no transfer, from `version`; returns the last version.
pub async fn remplir_depuis(app: &TestApp, jeton: &str, id: &str, version: i64) -> i64 {
    let v = version_de(
        &enregistrer(
            app,
            jeton,
            IDENTIFICATION,
            json!({ "entiteId": id, "version": version,
                "adresse": "Boulevard Roume", "ville": "Abidjan", "telephone": "0707070707",
                "contact": { "representantNom": "Dr Yao Kouassi" },
                "localisation": { "latitude": 5.3197, "longitude": -4.0197, "methode": "CLIC_CARTE" } }),
        )
        .await,
        "enregistrerIdentification",
    );
    let v = version_de(
        &enregistrer(
            app,
            jeton,
            CONFORMITE,
            json!({ "entiteId": id, "version": v,
                "conformiteAdministrative": { "connaissanceLoi": true, "declarationArtci": false },
                "responsables": [{ "nom": "Kouassi", "prenom": "Yao", "type": "REPRESENTANT_LEGAL" }],
                "correspondants": [{ "nom": "Bamba", "prenom": "Awa", "type": "INTERNE" }] }),
        )
        .await,
        "enregistrerConformite",
    );
    let v = version_de(
        &enregistrer(
            app,
            jeton,
            REGISTRE,
            json!({ "entiteId": id, "version": v,
                "traitements": [{ "nom": "Dossiers des patients", "baseLegale": "OBLIGATION_LEGALE",
                    "categories": [{ "categorie": "SANTE" }, { "categorie": "IDENTIFICATION" }],
                    "finalites": [{ "finalite": "Suivi médical", "baseLegale": "OBLIGATION_LEGALE",
                        "pourcentage": 60 }] }] }),
        )
        .await,
        "enregistrerRegistre",
    );
    let v = version_de(
        &enregistrer(
            app,
            jeton,
            SOUS_TRAITANCE,
            json!({ "entiteId": id, "version": v,
                "sousTraitants": [{ "nomSousTraitant": "Hébergeur d'Abidjan", "pays": "CI",
                    "contrat": true, "clausesProtection": true }] }),
        )
        .await,
        "enregistrerSousTraitance",
    );
    deposer_pieces(app, jeton, id, PIECES).await;
    version_de(
        &enregistrer(
            app,
            jeton,
            SECURITE,
            json!({ "entiteId": id, "version": v,
                "securite": { "politiqueSecurite": true },
                "mesuresSecurite": [{ "typeMesure": "TECHNIQUE", "code": "CHIFFREMENT", "miseEnOeuvre": true }] }),
        )
        .await,
        "enregistrerSecurite",
    )
}

/// The documents every dossier filled by [`remplir_depuis`] needs (`domain::pieces`): the
/// organisation's papers and, as it designates a correspondant, the correspondant's.
pub const PIECES: &[&str] = &[
    "REGISTRE_COMMERCE",
    "STATUTS",
    "CNI",
    "DPO_CV",
    "DPO_CASIER_JUDICIAIRE",
    "DPO_CNI",
    "DPO_EXTRAIT_NAISSANCE",
];

/// Uploads a small PDF of each type of `types` to the dossier `id`.
pub async fn deposer_pieces(app: &TestApp, jeton: &str, id: &str, types: &[&str]) {
    for type_document in types {
        let reply = app
            .graphql_multipart(
                "mutation($input: TeleverserDocumentInput!) { televerserDocument(input: $input) { id } }",
                json!({ "input": { "entiteId": id, "typeDocument": type_document, "fichier": null } }),
                "variables.input.fichier",
                &format!("{}.pdf", type_document.to_lowercase()),
                "application/pdf",
                b"%PDF-1.4\n% piece\n",
                Some(jeton),
            )
            .await;
        let r = reply.json();
        assert!(r["errors"].is_null(), "{type_document} : {r}");
    }
}

/// [`remplir_depuis`] a new entity (version 1).
pub async fn remplir(app: &TestApp, jeton: &str, id: &str) -> i64 {
    remplir_depuis(app, jeton, id, 1).await
}

/// Submits the dossier; returns the answer.
pub async fn soumettre(app: &TestApp, jeton: &str, id: &str) -> Value {
    app.graphql(SOUMETTRE, json!({ "id": id }), Some(jeton))
        .await
}

/// A new dossier of `jeton`, filled and submitted; returns its id.
pub async fn dossier_soumis(app: &TestApp, jeton: &str) -> String {
    let id = creer(app, jeton).await;
    remplir(app, jeton, &id).await;
    let r = soumettre(app, jeton, &id).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"], "SOUMIS",
        "{r}"
    );
    id
}

/// A new dossier of `jeton` driven through ARTCI's verification to `decision`
/// (`CONFORME`, `CONFORME_SOUS_RESERVE`, `REJETE`): an admin assigns it to a new editeur, who
/// proposes `decision`, and the admin validates it with `saisie` (`motif`,
/// `delaiMiseEnConformite`); returns its id.
pub async fn dossier_decide(app: &TestApp, jeton: &str, decision: &str, saisie: Value) -> String {
    let id = dossier_soumis(app, jeton).await;
    let (_, admin) = app
        .staff(registre_dcp::models::enums::RoleUtilisateur::Admin)
        .await;
    let (agent_id, agent) = app
        .staff(registre_dcp::models::enums::RoleUtilisateur::Editeur)
        .await;
    let r = app
        .graphql(
            "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "agentId": agent_id, "echeance": "2026-12-15" } }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .graphql(
            "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) { id } }",
            json!({ "input": { "assignationId": assignation, "decisionProposee": decision } }),
            Some(&agent),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut input = json!({ "assignationId": assignation, "accepter": true });
    if let (Some(input), Some(saisie)) = (input.as_object_mut(), saisie.as_object()) {
        input.extend(saisie.clone());
    }
    let r = app
        .graphql(
            "mutation($input: ValiderTraitementInput!) { validerTraitement(input: $input) {
                entite { workflow { statut } } } }",
            json!({ "input": input }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["validerTraitement"]["entite"]["workflow"]["statut"], decision,
        "{r}"
    );
    id
}
