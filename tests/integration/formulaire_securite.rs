//! Saving the processors, transfers abroad and security of a dossier
//! (`enregistrerSousTraitance`, `enregistrerSecurite`), as a company's client does.

use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::{TestApp, error_code, ncc};

const CREER: &str = "mutation($input: CreerEntiteInput!) { creerEntite(input: $input) {
    id workflow { version } } }";
const SOUS_TRAITANCE: &str = "mutation($input: EnregistrerSousTraitanceInput!) {
    enregistrerSousTraitance(input: $input) { id workflow { version } } }";
const SECURITE: &str = "mutation($input: EnregistrerSecuriteInput!) {
    enregistrerSecurite(input: $input) { id workflow { version } } }";
const ENTITE: &str = "query($id: ID!) { entite(id: $id) {
    workflow { version }
    sousTraitants { id nomSousTraitant pays objet donneesPartagees contrat clausesProtection audit }
    transferts { id paysDestination estCedeao organismeDestinataire finalite categories
                 baseJuridique garanties statutAutorisation numeroDecision }
    securite { politiqueSecurite responsableSecurite analyseRisques planContinuite
               procedureViolations violations12Mois formationPersonnel frequenceFormation
               dernierAudit }
    mesuresSecurite { id typeMesure code description miseEnOeuvre dateMiseEnOeuvre }
    certifications { id nom organisme numero dateObtention dateExpiration documentId } } }";

/// Creates an entity for `jeton` (its version is then 1) and returns its id.
async fn entite_de(app: &TestApp, jeton: &str) -> String {
    let reponse = app
        .graphql(
            CREER,
            json!({ "input": { "numeroCc": ncc(), "denomination": "Banque Atlantique",
                               "secteurActivite": "BANQUE_FINANCE", "region": "ABIDJAN" } }),
            Some(jeton),
        )
        .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    assert_eq!(reponse["data"]["creerEntite"]["workflow"]["version"], 1);
    reponse["data"]["creerEntite"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A document attached to entity `entite_id` by company `compte_id`.
async fn document(app: &TestApp, entite_id: &str, compte_id: Uuid) -> String {
    let entite_id = Uuid::parse_str(entite_id).unwrap();
    let id: Uuid = app
        .db
        .client()
        .await
        .query_one(
            "INSERT INTO documents_joints (entite_id, type_document, nom_fichier, cle_stockage,
                 taille_octets, mime_type, sha256, depose_par_compte_id)
             VALUES ($1, 'autre', 'certificat.pdf', $2, 1000, 'application/pdf', $3, $4)
             RETURNING id",
            &[
                &entite_id,
                &format!("test/{}", Uuid::new_v4()),
                &"a".repeat(64),
                &compte_id,
            ],
        )
        .await
        .unwrap()
        .get(0);
    id.to_string()
}

async fn sous_traitance(app: &TestApp, jeton: &str, input: Value) -> Value {
    app.graphql(SOUS_TRAITANCE, json!({ "input": input }), Some(jeton))
        .await
}

async fn securite(app: &TestApp, jeton: &str, input: Value) -> Value {
    app.graphql(SECURITE, json!({ "input": input }), Some(jeton))
        .await
}

/// The entity as its owner reads it (asserting no error).
async fn lire(app: &TestApp, jeton: &str, id: &str) -> Value {
    let reponse = app.graphql(ENTITE, json!({ "id": id }), Some(jeton)).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"]["entite"].clone()
}

fn champ(reponse: &Value) -> Option<&str> {
    reponse["errors"][0]["extensions"]["field"].as_str()
}

fn version(reponse: &Value, mutation: &str) -> i64 {
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"][mutation]["workflow"]["version"]
        .as_i64()
        .unwrap()
}

fn ids(liste: &Value) -> Vec<&str> {
    liste
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn la_sous_traitance_se_relit_dans_l_ordre_et_garde_les_ids_renvoyes() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({
            "entiteId": id, "version": 1,
            "sousTraitants": [
                { "nomSousTraitant": "  Cloud Europe SAS ", "pays": " fr ", "objet": "Hébergement",
                  "contrat": true, "clausesProtection": true },
                { "nomSousTraitant": "Centre d'appels Dakar", "pays": "sn" }
            ],
            "transferts": [
                { "paysDestination": "fr", "organismeDestinataire": "Cloud Europe SAS",
                  "statutAutorisation": "ACCORDEE", "numeroDecision": " 2016-0113 " },
                { "paysDestination": "GH", "finalite": "Support client" }
            ]
        }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSousTraitance"), 2);

    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["workflow"]["version"], 2);
    let sous_traitants = lu["sousTraitants"].as_array().unwrap();
    assert_eq!(sous_traitants.len(), 2);
    assert_eq!(sous_traitants[0]["nomSousTraitant"], "Cloud Europe SAS");
    assert_eq!(sous_traitants[0]["pays"], "FR");
    assert_eq!(sous_traitants[0]["objet"], "Hébergement");
    assert_eq!(sous_traitants[0]["contrat"], true);
    assert_eq!(sous_traitants[0]["clausesProtection"], true);
    assert_eq!(sous_traitants[0]["audit"], false);
    assert_eq!(
        sous_traitants[1]["nomSousTraitant"],
        "Centre d'appels Dakar"
    );
    assert_eq!(sous_traitants[1]["pays"], "SN");
    assert_eq!(sous_traitants[1]["contrat"], false);
    let transferts = lu["transferts"].as_array().unwrap();
    assert_eq!(transferts.len(), 2);
    assert_eq!(transferts[0]["paysDestination"], "FR");
    assert_eq!(transferts[0]["estCedeao"], false);
    assert_eq!(transferts[0]["statutAutorisation"], "ACCORDEE");
    assert_eq!(transferts[0]["numeroDecision"], "2016-0113");
    assert_eq!(transferts[1]["paysDestination"], "GH");
    assert_eq!(transferts[1]["estCedeao"], true);
    assert_eq!(transferts[1]["statutAutorisation"], "A_DEMANDER");
    assert_eq!(transferts[1]["numeroDecision"], Value::Null);
    // The stored copy is computed by the server too.
    let stockes: Vec<bool> = app
        .db
        .client()
        .await
        .query(
            "SELECT est_cedeao FROM transferts_internationaux WHERE entite_id = $1 ORDER BY ordre",
            &[&Uuid::parse_str(&id).unwrap()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(stockes, [false, true]);

    // Re-sent with its id and moved first, the Dakar centre keeps its id; the Paris host not
    // re-sent is deleted; the transfers, absent, are left as they are.
    let (paris, dakar) = (ids(&lu["sousTraitants"])[0], ids(&lu["sousTraitants"])[1]);
    let transferts_avant = ids(&lu["transferts"]);
    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({
            "entiteId": id, "version": 2,
            "sousTraitants": [
                { "id": dakar, "nomSousTraitant": "Centre d'appels Dakar", "pays": "SN",
                  "objet": "Relation client", "audit": true },
                { "nomSousTraitant": "Paie Express", "pays": "CI" }
            ]
        }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSousTraitance"), 3);
    let relu = lire(&app, &jeton, &id).await;
    let sous_traitants = relu["sousTraitants"].as_array().unwrap();
    assert_eq!(sous_traitants.len(), 2);
    assert_eq!(sous_traitants[0]["id"], dakar);
    assert_eq!(sous_traitants[0]["objet"], "Relation client");
    assert_eq!(sous_traitants[0]["audit"], true);
    assert_eq!(sous_traitants[1]["nomSousTraitant"], "Paie Express");
    assert_eq!(sous_traitants[1]["pays"], "CI");
    assert_ne!(sous_traitants[1]["id"], paris);
    assert_eq!(ids(&relu["transferts"]), transferts_avant);
    let restants: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM sous_traitance WHERE id = $1",
            &[&Uuid::parse_str(paris).unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(restants, 0);

    // An empty list empties it.
    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 3, "transferts": [] }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSousTraitance"), 4);
    let vide = lire(&app, &jeton, &id).await;
    assert_eq!(vide["transferts"], json!([]));
    assert_eq!(vide["sousTraitants"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn la_securite_se_relit_et_un_champ_nul_est_efface() {
    let app = TestApp::new().await;
    let (compte, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    assert_eq!(lire(&app, &jeton, &id).await["securite"], Value::Null);
    let piece = document(&app, &id, compte).await;
    let reponse = securite(
        &app,
        &jeton,
        json!({
            "entiteId": id, "version": 1,
            "securite": { "politiqueSecurite": true, "analyseRisques": true,
                               "violations12Mois": 2, "formationPersonnel": true,
                               "frequenceFormation": " annuelle ", "dernierAudit": "2026-06-30" },
            "mesuresSecurite": [
                { "typeMesure": "TECHNIQUE", "code": "CHIFFREMENT", "description": "AES-256",
                  "miseEnOeuvre": true, "dateMiseEnOeuvre": "2025-01-15" },
                { "typeMesure": "ORGANISATIONNELLE", "code": "SENSIBILISATION" }
            ],
            "certifications": [
                { "nom": "ISO_27001", "organisme": "Bureau Veritas", "numero": "BV-42",
                  "dateObtention": "2025-03-01", "dateExpiration": "2028-03-01",
                  "documentId": piece },
                { "nom": "PCI_DSS" }
            ]
        }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSecurite"), 2);

    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(
        lu["securite"],
        json!({ "politiqueSecurite": true, "responsableSecurite": false, "analyseRisques": true,
                "planContinuite": false, "procedureViolations": false, "violations12Mois": 2,
                "formationPersonnel": true, "frequenceFormation": "annuelle",
                "dernierAudit": "2026-06-30" })
    );
    let mesures = lu["mesuresSecurite"].as_array().unwrap();
    assert_eq!(mesures.len(), 2);
    assert_eq!(mesures[0]["code"], "CHIFFREMENT");
    assert_eq!(mesures[0]["typeMesure"], "TECHNIQUE");
    assert_eq!(mesures[0]["miseEnOeuvre"], true);
    assert_eq!(mesures[0]["dateMiseEnOeuvre"], "2025-01-15");
    assert_eq!(mesures[1]["code"], "SENSIBILISATION");
    assert_eq!(mesures[1]["miseEnOeuvre"], false);
    assert_eq!(mesures[1]["dateMiseEnOeuvre"], Value::Null);
    let certifications = lu["certifications"].as_array().unwrap();
    assert_eq!(certifications.len(), 2);
    assert_eq!(certifications[0]["nom"], "ISO_27001");
    assert_eq!(certifications[0]["organisme"], "Bureau Veritas");
    assert_eq!(certifications[0]["dateExpiration"], "2028-03-01");
    assert_eq!(certifications[0]["documentId"], piece.as_str());
    assert_eq!(certifications[1]["nom"], "PCI_DSS");
    assert_eq!(certifications[1]["documentId"], Value::Null);

    // Null clears (« non » for a box); absent leaves as is; the measure re-sent keeps its
    // id, the other is deleted; the certifications, absent, stay.
    let sensibilisation = ids(&lu["mesuresSecurite"])[1];
    let certifications_avant = ids(&lu["certifications"]);
    let reponse = securite(
        &app,
        &jeton,
        json!({
            "entiteId": id, "version": 2,
            "securite": { "politiqueSecurite": null, "violations12Mois": null,
                               "dernierAudit": null },
            "mesuresSecurite": [
                { "id": sensibilisation, "typeMesure": "ORGANISATIONNELLE",
                  "code": "SENSIBILISATION", "miseEnOeuvre": true }
            ]
        }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSecurite"), 3);
    let relu = lire(&app, &jeton, &id).await;
    assert_eq!(relu["securite"]["politiqueSecurite"], false);
    assert_eq!(relu["securite"]["violations12Mois"], Value::Null);
    assert_eq!(relu["securite"]["dernierAudit"], Value::Null);
    assert_eq!(relu["securite"]["analyseRisques"], true);
    assert_eq!(relu["securite"]["frequenceFormation"], "annuelle");
    let mesures = relu["mesuresSecurite"].as_array().unwrap();
    assert_eq!(mesures.len(), 1);
    assert_eq!(mesures[0]["id"], sensibilisation);
    assert_eq!(mesures[0]["miseEnOeuvre"], true);
    assert_eq!(ids(&relu["certifications"]), certifications_avant);
    assert_eq!(relu["certifications"][0]["documentId"], piece.as_str());
}

#[tokio::test]
async fn une_version_perimee_est_un_conflit_pour_les_deux_enregistrements() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "sousTraitants": [{ "nomSousTraitant": "Premier", "pays": "FR" }] }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSousTraitance"), 2);

    let perime = sous_traitance(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "sousTraitants": [{ "nomSousTraitant": "Écrasé", "pays": "FR" }] }),
    )
    .await;
    assert_eq!(error_code(&perime), Some("CONFLICT"), "{perime}");
    let perime = securite(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "securite": { "politiqueSecurite": true } }),
    )
    .await;
    assert_eq!(error_code(&perime), Some("CONFLICT"), "{perime}");

    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["workflow"]["version"], 2);
    assert_eq!(lu["sousTraitants"][0]["nomSousTraitant"], "Premier");
    assert_eq!(lu["securite"], Value::Null);
}

#[tokio::test]
async fn une_entreprise_n_enregistre_pas_le_dossier_d_une_autre() {
    let app = TestApp::new().await;
    let (_, a) = app.entreprise("en_attente").await;
    let (_, b) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &a).await;

    // Whatever the version or the input, the entity's existence is not revealed.
    for version in [1, 9] {
        let reponse = sous_traitance(
            &app,
            &b,
            json!({ "entiteId": id, "version": version,
                    "sousTraitants": [{ "nomSousTraitant": "Intrus", "pays": "XX" }] }),
        )
        .await;
        assert_eq!(error_code(&reponse), Some("NOT_FOUND"), "{reponse}");
        let reponse = securite(
            &app,
            &b,
            json!({ "entiteId": id, "version": version,
                    "securite": { "violations12Mois": -1 },
                    "mesuresSecurite": [{ "typeMesure": "PHYSIQUE", "code": "SECURITE_LOCAUX" }] }),
        )
        .await;
        assert_eq!(error_code(&reponse), Some("NOT_FOUND"), "{reponse}");
    }
    let lu = lire(&app, &a, &id).await;
    assert_eq!(lu["workflow"]["version"], 1);
    assert_eq!(lu["sousTraitants"], json!([]));
    assert_eq!(lu["mesuresSecurite"], json!([]));
    assert_eq!(lu["securite"], Value::Null);
}

#[tokio::test]
async fn un_code_pays_invalide_est_refuse_avec_le_chemin_du_champ() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    for (input, chemin) in [
        (
            json!({ "transferts": [{ "paysDestination": "FR" }, { "paysDestination": "XX" }] }),
            "input.transferts[1].paysDestination",
        ),
        (
            json!({ "transferts": [{ "paysDestination": "ci" }] }),
            "input.transferts[0].paysDestination",
        ),
        (
            json!({ "sousTraitants": [{ "nomSousTraitant": "Nulle part", "pays": "ZZ" }] }),
            "input.sousTraitants[0].pays",
        ),
        (
            json!({ "sousTraitants": [{ "nomSousTraitant": "Trop long", "pays": "FRA" }] }),
            "input.sousTraitants[0].pays",
        ),
        (
            json!({ "transferts": [{ "paysDestination": "US", "statutAutorisation": "REFUSEE" }] }),
            "input.transferts[0].numeroDecision",
        ),
    ] {
        let mut input = input;
        input["entiteId"] = json!(id);
        input["version"] = json!(1);
        let reponse = sous_traitance(&app, &jeton, input).await;
        assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(&reponse), Some(chemin), "{reponse}");
    }
    // Nothing was written, not even the version.
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["workflow"]["version"], 1);
    assert_eq!(lu["transferts"], json!([]));
}

#[tokio::test]
async fn une_certification_ne_cite_pas_le_document_d_une_autre_entite() {
    let app = TestApp::new().await;
    let (compte, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let autre = entite_de(&app, &jeton).await;
    let (compte_b, b) = app.entreprise("en_attente").await;
    let etrangere = entite_de(&app, &b).await;
    let piece = document(&app, &id, compte).await;
    for document_tiers in [
        document(&app, &autre, compte).await,
        document(&app, &etrangere, compte_b).await,
        Uuid::new_v4().to_string(),
    ] {
        let reponse = securite(
            &app,
            &jeton,
            json!({ "entiteId": id, "version": 1,
                    "certifications": [
                        { "nom": "ISO_27001", "documentId": piece },
                        { "nom": "SOC2", "documentId": document_tiers }
                    ] }),
        )
        .await;
        assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(&reponse), Some("input.certifications[1].documentId"));
    }
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["workflow"]["version"], 1);
    assert_eq!(lu["certifications"], json!([]));
}

#[tokio::test]
async fn un_id_d_element_d_une_autre_entite_est_refuse() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let autre = entite_de(&app, &jeton).await;
    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({ "entiteId": autre, "version": 1,
                "sousTraitants": [{ "nomSousTraitant": "De l'autre", "pays": "BJ" }] }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSousTraitance"), 2);
    let reponse = securite(
        &app,
        &jeton,
        json!({ "entiteId": autre, "version": 2,
                "mesuresSecurite": [{ "typeMesure": "TECHNIQUE", "code": "PARE_FEU_ANTIVIRUS" }] }),
    )
    .await;
    assert_eq!(version(&reponse, "enregistrerSecurite"), 3);
    let lu_autre = lire(&app, &jeton, &autre).await;
    let sous_traitant_autre = ids(&lu_autre["sousTraitants"])[0];
    let mesure_autre = ids(&lu_autre["mesuresSecurite"])[0];

    let reponse = sous_traitance(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "sousTraitants": [
                    { "nomSousTraitant": "Nouveau", "pays": "FR" },
                    { "id": sous_traitant_autre, "nomSousTraitant": "Volé", "pays": "FR" }
                ] }),
    )
    .await;
    assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
    assert_eq!(champ(&reponse), Some("input.sousTraitants[1].id"));
    let reponse = securite(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "mesuresSecurite": [{ "id": mesure_autre, "typeMesure": "PHYSIQUE",
                              "code": "SECURITE_LOCAUX" }] }),
    )
    .await;
    assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
    assert_eq!(champ(&reponse), Some("input.mesuresSecurite[0].id"));

    // Neither entity changed.
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["workflow"]["version"], 1);
    assert_eq!(lu["sousTraitants"], json!([]));
    let relu_autre = lire(&app, &jeton, &autre).await;
    assert_eq!(
        relu_autre["sousTraitants"][0]["nomSousTraitant"],
        "De l'autre"
    );
    assert_eq!(
        relu_autre["mesuresSecurite"][0]["code"],
        "PARE_FEU_ANTIVIRUS"
    );
}

#[tokio::test]
async fn un_lecteur_ne_peut_rien_enregistrer() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let reponse = sous_traitance(
        &app,
        &lecteur,
        json!({ "entiteId": id, "version": 1,
                "sousTraitants": [{ "nomSousTraitant": "Lecteur", "pays": "FR" }] }),
    )
    .await;
    assert_eq!(error_code(&reponse), Some("FORBIDDEN"), "{reponse}");
    let reponse = securite(
        &app,
        &lecteur,
        json!({ "entiteId": id, "version": 1, "securite": { "politiqueSecurite": true } }),
    )
    .await;
    assert_eq!(error_code(&reponse), Some("FORBIDDEN"), "{reponse}");
    // The reader still reads it, unchanged.
    let lu = lire(&app, &lecteur, &id).await;
    assert_eq!(lu["workflow"]["version"], 1);
    assert_eq!(lu["sousTraitants"], json!([]));
    assert_eq!(lu["securite"], Value::Null);
}
