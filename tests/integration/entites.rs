//! Creating an entity and saving its identification, as a company's and an editor's clients do.

use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::{TestApp, error_code, ncc};

const CREER: &str = "mutation($input: CreerEntiteInput!) { creerEntite(input: $input) {
    id numeroCc denomination sigle region secteurActivite telephone email origineSaisie
    workflow { statut version } } }";
const ENTITE: &str = "query($id: ID!) { entite(id: $id) {
    id numeroCc denomination sigle formeJuridique secteurActivite region ville commune adresse
    telephone email origineSaisie createdAt
    workflow { statut version typeFormalite dateSoumission dateLimiteDecision }
    contact { representantNom representantEmail representantTelephone siteWeb emailPublic telephonePublic }
    localisation { latitude longitude precisionM methode adresseComplete commune quartier codePostal }
    conformite { scoreConformite statutConformite } } }";
const ENREGISTRER: &str = "mutation($input: EnregistrerIdentificationInput!) {
    enregistrerIdentification(input: $input) {
    id denomination sigle ville telephone workflow { version }
    contact { representantNom siteWeb emailPublic }
    localisation { latitude longitude precisionM methode quartier } } }";
const MES_ENTITES: &str =
    "query($first: Int, $after: String) { mesEntites(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id denomination workflow { statut } conformite { statutConformite }
    contact { representantNom } localisation { latitude } } } } }";

fn saisie(numero_cc: &str) -> Value {
    json!({
        "numeroCc": format!(" {} ", numero_cc.to_lowercase()),
        "denomination": "  Banque Atlantique  ",
        "secteurActivite": "BANQUE_FINANCE",
        "region": "ABIDJAN",
        "sigle": "BACI",
        "telephone": "27 20 21 22 23",
        "email": " Contact@BACI.ci "
    })
}

async fn creer(app: &TestApp, jeton: &str, numero_cc: &str) -> Value {
    app.graphql(CREER, json!({ "input": saisie(numero_cc) }), Some(jeton))
        .await
}

/// Creates an entity for `jeton` and returns its id.
async fn entite_de(app: &TestApp, jeton: &str) -> String {
    let reponse = creer(app, jeton, &ncc()).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"]["creerEntite"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn enregistrer(app: &TestApp, jeton: &str, input: Value) -> Value {
    app.graphql(ENREGISTRER, json!({ "input": input }), Some(jeton))
        .await
}

async fn lire(app: &TestApp, jeton: &str, id: &str) -> Value {
    app.graphql(ENTITE, json!({ "id": id }), Some(jeton)).await
}

fn champ(reponse: &Value) -> Option<&str> {
    reponse["errors"][0]["extensions"]["field"].as_str()
}

#[tokio::test]
async fn une_entreprise_cree_son_entite_et_la_relit_avec_chaque_partie() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let numero = ncc();
    let reponse = creer(&app, &jeton, &numero).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let cree = &reponse["data"]["creerEntite"];
    assert_eq!(cree["numeroCc"], numero.as_str());
    assert_eq!(cree["denomination"], "Banque Atlantique");
    assert_eq!(cree["telephone"], "+2252720212223");
    assert_eq!(cree["email"], "contact@baci.ci");
    assert_eq!(cree["origineSaisie"], "AUTO_RECENSEMENT");
    assert_eq!(
        cree["workflow"],
        json!({ "statut": "BROUILLON", "version": 1 })
    );

    let id = cree["id"].as_str().unwrap();
    let enregistre = enregistrer(
        &app,
        &jeton,
        json!({
            "entiteId": id,
            "version": 1,
            "contact": { "representantNom": "Aya Kouassi", "siteWeb": "https://baci.ci" },
            "localisation": { "latitude": 5.3364, "longitude": -4.0267, "precisionM": 15,
                              "methode": "GPS_APPAREIL", "quartier": "Plateau" }
        }),
    )
    .await;
    assert!(enregistre["errors"].is_null(), "{enregistre}");

    let lu = lire(&app, &jeton, id).await;
    assert!(lu["errors"].is_null(), "{lu}");
    let entite = &lu["data"]["entite"];
    assert_eq!(entite["numeroCc"], numero.as_str());
    assert_eq!(entite["region"], "ABIDJAN");
    assert_eq!(entite["secteurActivite"], "BANQUE_FINANCE");
    assert_eq!(entite["workflow"]["statut"], "BROUILLON");
    assert_eq!(entite["workflow"]["version"], 2);
    assert_eq!(entite["contact"]["representantNom"], "Aya Kouassi");
    assert_eq!(entite["contact"]["siteWeb"], "https://baci.ci");
    assert_eq!(entite["localisation"]["quartier"], "Plateau");
    assert_eq!(entite["localisation"]["methode"], "GPS_APPAREIL");
    assert_eq!(
        entite["conformite"],
        json!({ "scoreConformite": 0, "statutConformite": "NON_CONFORME" })
    );
}

#[tokio::test]
async fn un_ncc_deja_pris_est_un_conflit() {
    let app = TestApp::new().await;
    let (_, a) = app.entreprise("en_attente").await;
    let (_, b) = app.entreprise("approuvee").await;
    let numero = ncc();
    assert!(creer(&app, &a, &numero).await["errors"].is_null());
    let reponse = creer(&app, &b, &numero).await;
    assert_eq!(error_code(&reponse), Some("CONFLICT"), "{reponse}");
    assert_eq!(champ(&reponse), Some("input.numeroCc"));
    let invalide = creer(&app, &b, "123").await;
    assert_eq!(error_code(&invalide), Some("BAD_USER_INPUT"));
    assert_eq!(champ(&invalide), Some("input.numeroCc"));
}

#[tokio::test]
async fn un_editeur_saisit_une_entite_pour_l_artci_et_un_lecteur_ne_le_peut_pas() {
    let app = TestApp::new().await;
    let (editeur_id, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let reponse = creer(&app, &editeur, &ncc()).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let cree = &reponse["data"]["creerEntite"];
    assert_eq!(cree["origineSaisie"], "SAISIE_ARTCI");
    assert_eq!(cree["workflow"]["statut"], "BROUILLON_ARTCI");
    let id = Uuid::parse_str(cree["id"].as_str().unwrap()).unwrap();
    let row = app
        .db
        .client()
        .await
        .query_one(
            "SELECT b.compte_entreprise_id, w.created_by FROM entites_base b
             JOIN entites_workflow w ON w.entite_id = b.id WHERE b.id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<Uuid>>(0), None);
    assert_eq!(row.get::<_, Option<Uuid>>(1), Some(editeur_id));

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    assert_eq!(
        error_code(&creer(&app, &lecteur, &ncc()).await),
        Some("FORBIDDEN")
    );
    let anonyme = app
        .graphql(CREER, json!({ "input": saisie(&ncc()) }), None)
        .await;
    assert_eq!(error_code(&anonyme), Some("UNAUTHENTICATED"));
    let (_, rejetee) = app.entreprise("rejetee").await;
    assert!(creer(&app, &rejetee, &ncc()).await["errors"].is_array());
}

#[tokio::test]
async fn une_entreprise_ne_lit_ni_n_enregistre_l_entite_d_une_autre() {
    let app = TestApp::new().await;
    let (_, a) = app.entreprise("en_attente").await;
    let (_, b) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &a).await;

    let lu = lire(&app, &b, &id).await;
    assert_eq!(error_code(&lu), Some("NOT_FOUND"), "{lu}");
    assert!(lu["data"]["entite"].is_null());
    let inconnue = lire(&app, &b, &Uuid::new_v4().to_string()).await;
    assert_eq!(error_code(&inconnue), Some("NOT_FOUND"));

    // Even with a wrong version or bad input, the entity's existence is not revealed.
    for version in [1, 7] {
        let reponse = enregistrer(
            &app,
            &b,
            json!({ "entiteId": id, "version": version,
                    "denomination": "Piratée",
                    "localisation": { "latitude": 99.0, "longitude": 0.0 } }),
        )
        .await;
        assert_eq!(error_code(&reponse), Some("NOT_FOUND"), "{reponse}");
    }
    let lu = lire(&app, &a, &id).await;
    assert_eq!(lu["data"]["entite"]["denomination"], "Banque Atlantique");
    assert_eq!(lu["data"]["entite"]["workflow"]["version"], 1);

    // Staff read it; an editor may not fill a company's form.
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    assert!(lire(&app, &lecteur, &id).await["errors"].is_null());
}

#[tokio::test]
async fn une_version_perimee_est_un_conflit_et_ne_change_rien() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let premier = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "ville": "Abidjan" }),
    )
    .await;
    assert_eq!(
        premier["data"]["enregistrerIdentification"]["workflow"]["version"],
        2
    );
    let perime = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "ville": "Bouaké",
                "contact": { "representantNom": "X" } }),
    )
    .await;
    assert_eq!(error_code(&perime), Some("CONFLICT"), "{perime}");
    assert!(
        perime["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("modifié entre-temps")
    );
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["data"]["entite"]["ville"], "Abidjan");
    assert_eq!(lu["data"]["entite"]["workflow"]["version"], 2);
    assert!(lu["data"]["entite"]["contact"].is_null());
}

#[tokio::test]
async fn un_champ_absent_est_inchange_et_un_champ_null_est_efface() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let reponse = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "ville": "Abidjan",
                "contact": { "representantNom": "Aya", "emailPublic": "Info@BACI.ci" } }),
    )
    .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let reponse = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 2,
                "sigle": null,
                "contact": { "emailPublic": null } }),
    )
    .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let entite = &reponse["data"]["enregistrerIdentification"];
    assert_eq!(entite["sigle"], Value::Null);
    assert_eq!(entite["ville"], "Abidjan");
    assert_eq!(entite["denomination"], "Banque Atlantique");
    assert_eq!(entite["telephone"], "+2252720212223");
    assert_eq!(
        entite["contact"],
        json!({ "representantNom": "Aya", "siteWeb": null, "emailPublic": null })
    );
    assert_eq!(entite["workflow"]["version"], 3);

    for (input, attendu) in [
        (json!({ "denomination": null }), "input.denomination"),
        (json!({ "region": null }), "input.region"),
        (json!({ "telephone": "12" }), "input.telephone"),
        (
            json!({ "contact": { "representantEmail": "pas-un-email" } }),
            "input.contact.representantEmail",
        ),
        (
            json!({ "localisation": { "precisionM": -1 } }),
            "input.localisation.precisionM",
        ),
    ] {
        let mut input = input;
        input["entiteId"] = json!(id);
        input["version"] = json!(3);
        let reponse = enregistrer(&app, &jeton, input).await;
        assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(&reponse), Some(attendu));
    }
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["data"]["entite"]["workflow"]["version"], 3);
}

#[tokio::test]
async fn des_coordonnees_hors_de_cote_d_ivoire_sont_refusees_et_le_point_se_relit() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    for (latitude, longitude, attendu) in [
        (95.0, -4.0, "input.localisation.latitude"),
        (5.3, -200.0, "input.localisation.longitude"),
        (48.8566, 2.3522, "input.localisation.latitude"),
        (5.3364, 4.0267, "input.localisation.longitude"),
    ] {
        let reponse = enregistrer(
            &app,
            &jeton,
            json!({ "entiteId": id, "version": 1,
                    "localisation": { "latitude": latitude, "longitude": longitude } }),
        )
        .await;
        assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(&reponse), Some(attendu));
        assert!(
            reponse["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("degrés")
        );
    }
    let reponse = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1,
                "localisation": { "latitude": 7.6899, "longitude": -5.0303 } }),
    )
    .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["data"]["entite"]["localisation"]["latitude"], 7.6899);
    assert_eq!(lu["data"]["entite"]["localisation"]["longitude"], -5.0303);
    let row = app
        .db
        .client()
        .await
        .query_one(
            "SELECT ST_SRID(geolocation::geometry), ST_Y(geolocation::geometry),
                    ST_X(geolocation::geometry)
             FROM entites_localisation WHERE entite_id = $1",
            &[&Uuid::parse_str(&id).unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 4326);
    assert_eq!(row.get::<_, f64>(1), 7.6899);
    assert_eq!(row.get::<_, f64>(2), -5.0303);

    // Cleared together.
    let reponse = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 2,
                "localisation": { "latitude": null, "longitude": null } }),
    )
    .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let localisation = &reponse["data"]["enregistrerIdentification"]["localisation"];
    assert_eq!(localisation["latitude"], Value::Null);
    assert_eq!(localisation["longitude"], Value::Null);
}

#[tokio::test]
async fn un_dossier_soumis_est_en_lecture_seule_pour_son_entreprise() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = entite_de(&app, &jeton).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE entites_workflow SET statut = 'soumis' WHERE entite_id = $1",
            &[&Uuid::parse_str(&id).unwrap()],
        )
        .await
        .unwrap();
    let reponse = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "ville": "Bouaké" }),
    )
    .await;
    assert_eq!(error_code(&reponse), Some("CONFLICT"), "{reponse}");
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["data"]["entite"]["ville"], Value::Null);
    assert_eq!(lu["data"]["entite"]["workflow"]["version"], 1);
}

#[tokio::test]
async fn mes_entites_pagine_les_seules_entites_du_compte() {
    let app = TestApp::new().await;
    let (_, a) = app.entreprise("en_attente").await;
    let (_, b) = app.entreprise("en_attente").await;
    let mut miennes = Vec::new();
    for _ in 0..3 {
        miennes.push(entite_de(&app, &a).await);
    }
    entite_de(&app, &b).await;

    let page = app
        .graphql(MES_ENTITES, json!({ "first": 2 }), Some(&a))
        .await;
    assert!(page["errors"].is_null(), "{page}");
    let connexion = &page["data"]["mesEntites"];
    assert_eq!(connexion["totalCount"], 3);
    assert_eq!(connexion["pageInfo"]["hasNextPage"], true);
    let noeud = &connexion["edges"][0]["node"];
    assert_eq!(noeud["workflow"]["statut"], "BROUILLON");
    assert_eq!(noeud["conformite"]["statutConformite"], "NON_CONFORME");
    assert_eq!(noeud["contact"], Value::Null);
    let suite = app
        .graphql(
            MES_ENTITES,
            json!({ "first": 2, "after": connexion["pageInfo"]["endCursor"] }),
            Some(&a),
        )
        .await;
    let ids: Vec<&str> = connexion["edges"]
        .as_array()
        .unwrap()
        .iter()
        .chain(suite["data"]["mesEntites"]["edges"].as_array().unwrap())
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, miennes.iter().map(String::as_str).collect::<Vec<_>>());

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let refus = app.graphql(MES_ENTITES, json!({}), Some(&lecteur)).await;
    assert_eq!(error_code(&refus), Some("FORBIDDEN"));
}

/// The first error's message.
fn message(reponse: &Value) -> &str {
    reponse["errors"][0]["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn une_valeur_mal_formee_dans_les_variables_a_la_forme_des_erreurs_du_domaine() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let refus = |reponse: &Value, attendu: &str| {
        assert_eq!(error_code(reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(reponse), Some(attendu), "{reponse}");
        for anglais in [
            "Invalid value",
            "expected",
            "enumeration",
            "Failed to parse",
        ] {
            assert!(!message(reponse).contains(anglais), "{reponse}");
        }
    };

    // An unknown enum value.
    let r = app
        .graphql(
            CREER,
            json!({ "input": { "numeroCc": ncc(), "denomination": "X",
                "secteurActivite": "SANTEE", "region": "ABIDJAN" } }),
            Some(&jeton),
        )
        .await;
    refus(&r, "input.secteurActivite");
    assert!(message(&r).contains("« SANTEE »"), "{r}");

    // A date that is not ISO 8601, deep in the input.
    let r = app
        .graphql(
            "mutation($input: EnregistrerConformiteInput!) {
                enregistrerConformite(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "version": 1,
                "conformiteAdministrative": { "connaissanceLoi": true,
                    "dateDeclaration": "31/12/2026" } } }),
            Some(&jeton),
        )
        .await;
    refus(&r, "input.conformiteAdministrative.dateDeclaration");
    assert!(message(&r).contains("AAAA-MM-JJ"), "{r}");

    // A list item, with its index.
    let r = app
        .graphql(
            "mutation($input: EnregistrerSecuriteInput!) { enregistrerSecurite(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "version": 1,
                "mesuresSecurite": [{ "typeMesure": "TECHNIQUE", "code": "CHIFFREMENT" },
                    { "typeMesure": "MAGIQUE", "code": "CHIFFREMENT" }] } }),
            Some(&jeton),
        )
        .await;
    refus(&r, "input.mesuresSecurite[1].typeMesure");

    // A string where a file is expected (no multipart request).
    let r = app
        .graphql(
            "mutation($input: TeleverserDocumentInput!) { televerserDocument(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "typeDocument": "AUTRE", "fichier": "contrat.pdf" } }),
            Some(&jeton),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(message(&r).contains("fichier"), "{r}");

    // An identifier that is not one.
    let r = lire(&app, &jeton, "pas-un-identifiant").await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(champ(&r), Some("id"), "{r}");

    // Nothing was written.
    let lu = lire(&app, &jeton, &id).await;
    assert_eq!(lu["data"]["entite"]["workflow"]["version"], 1, "{lu}");
}

#[tokio::test]
async fn un_caractere_de_controle_est_refuse_en_nommant_son_champ_sans_rien_enregistrer() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = entite_de(&app, &jeton).await;
    let refus = |reponse: &Value, attendu: &str| {
        assert_eq!(error_code(reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(champ(reponse), Some(attendu), "{reponse}");
        assert!(message(reponse).contains("Caractère interdit"), "{reponse}");
    };

    // A NUL deep in a save, a bidi override in a publicly shown name.
    let r = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "ville": "Abid\u{0}jan" }),
    )
    .await;
    refus(&r, "input.ville");
    let r = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "denomination": "Banque \u{202e}ecnassab" }),
    )
    .await;
    refus(&r, "input.denomination");
    let relu = lire(&app, &jeton, &id).await;
    assert_eq!(relu["data"]["entite"]["denomination"], "Banque Atlantique");
    assert_eq!(relu["data"]["entite"]["workflow"]["version"], 1);

    // Anonymously, in a literal of the document as in a variable.
    let r = app
        .graphql(
            "{ verifierNumero(numero: \"RCP-\\u0000\") { __typename } }",
            json!({}),
            None,
        )
        .await;
    refus(&r, "numero");
    let r = app
        .graphql(
            "query($f: FiltreRegistrePublic) { registrePublic(filtre: $f) { totalCount } }",
            json!({ "f": { "recherche": "a\u{7}" } }),
            None,
        )
        .await;
    refus(&r, "filtre.recherche");

    // Line breaks and tabs are text.
    let r = enregistrer(
        &app,
        &jeton,
        json!({ "entiteId": id, "version": 1, "ville": "Abidjan\tPlateau" }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
}

#[tokio::test]
async fn un_compte_pas_encore_valide_cree_un_nombre_borne_d_entites() {
    let app = TestApp::new().await;
    let (_, en_attente) = app.entreprise("en_attente").await;
    let limite = registre_dcp::domain::entites::ENTITES_AVANT_VALIDATION;
    for _ in 0..limite {
        let r = creer(&app, &en_attente, &ncc()).await;
        assert!(r["errors"].is_null(), "{r}");
    }
    let r = creer(&app, &en_attente, &ncc()).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    // A vetted account is not bound.
    let (_, valide) = app.entreprise("approuvee").await;
    for _ in 0..=limite {
        let r = creer(&app, &valide, &ncc()).await;
        assert!(r["errors"].is_null(), "{r}");
    }
}
