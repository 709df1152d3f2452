//! The public register, asked anonymously: only entities `conforme` and published appear
//! (through the real flow of validation, publication and back), no private field is
//! reachable, the map clusters beyond 500 points, the nearby search agrees with PostGIS's
//! `ST_Distance`, the list filters and pages, the statistics count every entity, a number is
//! checked, and anonymous clients are rate limited.

use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::{creer, dossier_decide, dossier_soumis};
use crate::support::{TestApp, error_code, ncc};

const REGISTRE: &str = "query($filtre: FiltreRegistrePublic, $first: Int, $after: String) {
    registrePublic(filtre: $filtre, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id denomination secteurActivite region ville latitude longitude
                finalitePrincipale finalites { finalite pourcentage } aCorrespondant
                typeFormalite numero statutConformite } } }";
const CARTE: &str = "query($bbox: BBoxInput!, $zoom: Int!) { carte(bbox: $bbox, zoom: $zoom) {
    total points { id latitude longitude denomination secteurActivite ville statutConformite
                   finalites { finalite pourcentage } }
    groupes { nombre latitude longitude } } }";
const PROCHES: &str = "query($lat: Float!, $lon: Float!, $r: Float!, $first: Int) {
    entitesProches(latitude: $lat, longitude: $lon, rayonKm: $r, first: $first) {
        distanceMetres entite { id denomination } } }";
const VERIFIER: &str = "query($n: String!) { verifierNumero(numero: $n) {
    numero valide entite { id denomination } } }";

/// Côte d'Ivoire's frame.
fn cote_d_ivoire() -> Value {
    json!({ "ouest": -8.7, "sud": 4.3, "est": -2.4, "nord": 10.8 })
}

async fn anonyme(app: &TestApp, requete: &str, variables: Value) -> Value {
    app.graphql(requete, variables, None).await
}

/// A dossier of `entreprise` taken to `valide`; returns its id and its number.
async fn valide(app: &TestApp, entreprise: &str, admin: &str) -> (String, String) {
    let id = dossier_decide(app, entreprise, "CONFORME", json!({})).await;
    let r = app
        .graphql(
            "mutation($id: ID!) { validerDossier(entiteId: $id) {
                workflow { numeroRecepisse numeroAutorisationArtci } } }",
            json!({ "id": id }),
            Some(admin),
        )
        .await;
    let w = &r["data"]["validerDossier"]["workflow"];
    let numero = w["numeroAutorisationArtci"]
        .as_str()
        .or(w["numeroRecepisse"].as_str())
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    (id, numero)
}

async fn decision(app: &TestApp, nom: &str, id: &str, admin: &str) {
    let r = app
        .graphql(
            &format!("mutation($id: ID!) {{ {nom}(entiteId: $id) {{ id }} }}"),
            json!({ "id": id }),
            Some(admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
}

/// The (entity field `champ`, distance in metres) of an `entitesProches` answer.
fn proches_recus(r: &Value, champ: &str) -> Vec<(String, f64)> {
    r["data"]["entitesProches"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|p| {
            (
                p["entite"][champ].as_str().unwrap().to_owned(),
                p["distanceMetres"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Public entities loaded in bulk, as `registre-dcp seed` does: consistent rows in the
/// dossier's tables (published, conforme, with a number and a position), then the
/// projection rebuilt. Each is (denomination, secteur, region, ville, latitude, longitude).
async fn publier_en_masse(app: &TestApp, entites: &[(&str, &str, &str, &str, f64, f64)]) {
    let mut client = app.db.client().await;
    let tx = client.transaction().await.unwrap();
    for (rang, (denomination, secteur, region, ville, lat, lon)) in entites.iter().enumerate() {
        let id: Uuid = tx
            .query_one(
                "INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region, ville)
                 VALUES ($1, $2, $3::text::secteur_activite, $4::text::region, $5) RETURNING id",
                &[&ncc(), denomination, secteur, region, ville],
            )
            .await
            .unwrap()
            .get(0);
        tx.execute(
            "INSERT INTO entites_workflow (entite_id, statut, type_formalite, numero_recepisse,
                 date_soumission, date_validation, date_expiration, date_publication)
             VALUES ($1, 'publie', 'declaration_prealable', $2, now(), now(),
                     current_date + 730, now())",
            &[&id, &format!("RCP-2025-{:06}", rang + 1)],
        )
        .await
        .unwrap();
        tx.execute(
            "INSERT INTO entites_conformite (entite_id, statut_conformite, score_conformite)
             VALUES ($1, 'conforme', 100)",
            &[&id],
        )
        .await
        .unwrap();
        tx.execute(
            "INSERT INTO entites_localisation (entite_id, geolocation)
             VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography)",
            &[&id, lon, lat],
        )
        .await
        .unwrap();
        tx.execute(
            "INSERT INTO finalites_bases_legales (entite_id, finalite, base_legale, pourcentage)
             VALUES ($1, 'Gestion de la clientèle', 'execution_contrat', 70),
                    ($1, 'Prospection', 'consentement', 30)",
            &[&id],
        )
        .await
        .unwrap();
    }
    tx.execute("SELECT registre_public_reconstruire()", &[])
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn seule_une_entite_conforme_et_publiee_est_publique() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (publiee, numero_publie) = valide(&app, &entreprise, &admin).await;
    decision(&app, "publierDossier", &publiee, &admin).await;
    let (validee, numero_valide) = valide(&app, &entreprise, &admin).await;
    let conforme = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let soumise = dossier_soumis(&app, &entreprise).await;
    let brouillon = creer(&app, &entreprise).await;

    let r = anonyme(&app, REGISTRE, json!({})).await;
    let liste = &r["data"]["registrePublic"];
    assert_eq!(liste["totalCount"], 1, "{r}");
    let e = &liste["nodes"][0];
    assert_eq!(e["id"], publiee.as_str());
    assert_eq!(e["denomination"], "Clinique du Plateau");
    assert_eq!(e["secteurActivite"], "SANTE");
    assert_eq!(e["region"], "ABIDJAN");
    assert_eq!(e["latitude"], 5.3197);
    assert_eq!(e["longitude"], -4.0197);
    assert_eq!(e["finalitePrincipale"], "Suivi médical");
    assert_eq!(
        e["finalites"],
        json!([{ "finalite": "Suivi médical", "pourcentage": 60 }])
    );
    assert_eq!(e["aCorrespondant"], true);
    assert_eq!(e["typeFormalite"], "AUTORISATION_PREALABLE");
    assert_eq!(e["numero"], numero_publie.as_str());
    assert_eq!(e["statutConformite"], "CONFORME");

    for (id, public) in [
        (&publiee, true),
        (&validee, false),
        (&conforme, false),
        (&soumise, false),
        (&brouillon, false),
    ] {
        let r = anonyme(
            &app,
            "query($id: ID!) { entitePublique(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
        assert_eq!(r["data"]["entitePublique"].is_object(), public, "{id}: {r}");
    }
    let carte = anonyme(&app, CARTE, json!({ "bbox": cote_d_ivoire(), "zoom": 7 })).await;
    assert_eq!(carte["data"]["carte"]["total"], 1, "{carte}");
    assert_eq!(carte["data"]["carte"]["points"][0]["id"], publiee.as_str());
    let proches = anonyme(
        &app,
        PROCHES,
        json!({ "lat": 5.32, "lon": -4.02, "r": 10.0 }),
    )
    .await;
    assert_eq!(
        proches["data"]["entitesProches"].as_array().map(Vec::len),
        Some(1),
        "{proches}"
    );
    // A number is real only for a published entity.
    let v = anonyme(
        &app,
        VERIFIER,
        json!({ "n": format!(" {} ", numero_publie.to_lowercase()) }),
    )
    .await;
    assert_eq!(v["data"]["verifierNumero"]["valide"], true, "{v}");
    assert_eq!(
        v["data"]["verifierNumero"]["numero"],
        numero_publie.as_str()
    );
    assert_eq!(
        v["data"]["verifierNumero"]["entite"]["id"],
        publiee.as_str()
    );
    let v = anonyme(&app, VERIFIER, json!({ "n": numero_valide })).await;
    assert_eq!(v["data"]["verifierNumero"]["valide"], false, "{v}");
    assert!(v["data"]["verifierNumero"]["entite"].is_null());

    // Unpublished: it leaves every public view; published again: it comes back.
    decision(&app, "depublierDossier", &publiee, &admin).await;
    let r = anonyme(&app, REGISTRE, json!({})).await;
    assert_eq!(r["data"]["registrePublic"]["totalCount"], 0, "{r}");
    let carte = anonyme(&app, CARTE, json!({ "bbox": cote_d_ivoire(), "zoom": 7 })).await;
    assert_eq!(carte["data"]["carte"]["total"], 0, "{carte}");
    let v = anonyme(&app, VERIFIER, json!({ "n": numero_publie })).await;
    assert_eq!(v["data"]["verifierNumero"]["valide"], false, "{v}");
    decision(&app, "publierDossier", &publiee, &admin).await;
    decision(&app, "publierDossier", &validee, &admin).await;
    let r = anonyme(&app, REGISTRE, json!({})).await;
    assert_eq!(r["data"]["registrePublic"]["totalCount"], 2, "{r}");
}

/// Every type a public query reaches, and each one's fields, found by introspection.
async fn types_publics(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let r = anonyme(
        app,
        "{ __schema { queryType { fields { name type { ...T } } } types { name fields { name type { ...T } } } } }
         fragment T on __Type { name kind ofType { name kind ofType { name kind ofType { name kind } } } }",
        json!({}),
    )
    .await;
    let schema = &r["data"]["__schema"];
    let nom_de = |t: &Value| -> Option<String> {
        let mut t = t;
        while t["name"].is_null() {
            t = &t["ofType"];
            if t.is_null() {
                return None;
            }
        }
        Some(t["name"].as_str()?.to_owned())
    };
    let types: std::collections::HashMap<String, Vec<(String, Option<String>)>> = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["fields"].is_array())
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| (f["name"].as_str().unwrap().to_owned(), nom_de(&f["type"])))
                    .collect(),
            )
        })
        .collect();
    let mut a_voir: Vec<String> = schema["queryType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            [
                "carte",
                "entitesProches",
                "registrePublic",
                "entitePublique",
                "statistiquesPubliques",
                "verifierNumero",
            ]
            .contains(&f["name"].as_str().unwrap())
        })
        .filter_map(|f| nom_de(&f["type"]))
        .collect();
    let mut vus = Vec::new();
    while let Some(nom) = a_voir.pop() {
        if vus.iter().any(|(n, _)| *n == nom) {
            continue;
        }
        let Some(champs) = types.get(&nom) else {
            continue; // a scalar or an enum
        };
        a_voir.extend(champs.iter().filter_map(|(_, t)| t.clone()));
        vus.push((nom, champs.iter().map(|(c, _)| c.clone()).collect()));
    }
    vus
}

#[tokio::test]
async fn aucun_champ_prive_n_est_atteignable_anonymement() {
    let app = TestApp::new().await;
    let types = types_publics(&app).await;
    let noms: Vec<&str> = types.iter().map(|(n, _)| n.as_str()).collect();
    assert!(noms.contains(&"EntitePublique"), "{noms:?}");
    for prive in [
        "Entite",
        "CompteEntreprise",
        "Agent",
        "DocumentJoint",
        "Assignation",
    ] {
        assert!(
            !noms.contains(&prive),
            "{prive} atteint depuis le public : {noms:?}"
        );
    }
    for (nom, champs) in &types {
        for interdit in [
            "numeroCc",
            "telephone",
            "email",
            "representantNom",
            "motDePasse",
        ] {
            assert!(
                !champs.iter().any(|c| c == interdit),
                "{nom}.{interdit} est public"
            );
        }
    }

    // And in practice: a published entity's NCC appears in no public answer.
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = valide(&app, &entreprise, &admin).await;
    decision(&app, "publierDossier", &id, &admin).await;
    let ncc: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT numero_cc FROM entites_base WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    let r = anonyme(
        &app,
        "query($id: ID!) { entitePublique(id: $id) { id denomination sigle formeJuridique
            secteurActivite region ville commune adresse latitude longitude finalitePrincipale
            aCorrespondant typeFormalite numero statutConformite datePublication
            documents { id nomFichier url } } }",
        json!({ "id": id }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    assert!(!r.to_string().contains(&ncc), "{r}");
    // The private queries stay closed.
    let r = anonyme(
        &app,
        "query($id: ID!) { entite(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
}

#[tokio::test]
async fn les_entites_proches_suivent_st_distance() {
    let app = TestApp::new().await;
    // Around the Plateau (Abidjan), one in Bouaké (far away).
    let entites = [
        (
            "Banque du Plateau",
            "banque_finance",
            "abidjan",
            "Abidjan",
            5.3200,
            -4.0200,
        ),
        (
            "Assurances Lagune",
            "assurance",
            "abidjan",
            "Abidjan",
            5.3300,
            -4.0100,
        ),
        (
            "Pharmacie Cocody",
            "sante",
            "abidjan",
            "Abidjan",
            5.3500,
            -3.9800,
        ),
        (
            "Clinique Treichville",
            "sante",
            "abidjan",
            "Abidjan",
            5.3000,
            -4.0050,
        ),
        (
            "Transports Yopougon",
            "transport_logistique",
            "abidjan",
            "Abidjan",
            5.3400,
            -4.0800,
        ),
        (
            "Hôtel de Bouaké",
            "hotellerie_restauration",
            "gbeke",
            "Bouaké",
            7.6900,
            -5.0300,
        ),
    ];
    publier_en_masse(&app, &entites).await;
    let (lat, lon) = (5.3197, -4.0197);
    let r = anonyme(
        &app,
        PROCHES,
        json!({ "lat": lat, "lon": lon, "r": 5.0, "first": 10 }),
    )
    .await;
    let recus = proches_recus(&r, "denomination");
    // What PostGIS says, computed here independently.
    let attendus: Vec<(String, f64)> = app
        .db
        .client()
        .await
        .query(
            "SELECT b.denomination,
                    ST_Distance(l.geolocation, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
               FROM entites_base b JOIN entites_localisation l ON l.entite_id = b.id
              ORDER BY d",
            &[&lon, &lat],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get::<_, String>(0), row.get::<_, f64>(1)))
        .filter(|(_, d)| *d <= 5000.0)
        .collect();
    // By hand: Cocody (5.5 km) and Yopougon (7 km) are beyond 5 km.
    assert_eq!(recus.len(), 3, "{recus:?}");
    assert_eq!(recus.len(), attendus.len());
    for ((nom, d), (nom_attendu, d_attendue)) in recus.iter().zip(&attendus) {
        assert_eq!(nom, nom_attendu);
        assert!((d - d_attendue).abs() < 0.01, "{nom} : {d} ≠ {d_attendue}");
    }
    // By hand: Banque du Plateau is 0.0003° of latitude and longitude away, about 47 m.
    assert!((40.0..55.0).contains(&recus[0].1), "{recus:?}");
    // `first` keeps the nearest.
    let r = anonyme(
        &app,
        PROCHES,
        json!({ "lat": lat, "lon": lon, "r": 5.0, "first": 2 }),
    )
    .await;
    assert_eq!(r["data"]["entitesProches"].as_array().unwrap().len(), 2);
    // Bouaké is within 300 km, but the radius is capped.
    for (variables, champ) in [
        (json!({ "lat": lat, "lon": lon, "r": 300.0 }), "rayonKm"),
        (json!({ "lat": lat, "lon": lon, "r": 0.0 }), "rayonKm"),
        (json!({ "lat": 95.0, "lon": lon, "r": 1.0 }), "latitude"),
        (
            json!({ "lat": lat, "lon": lon, "r": 1.0, "first": 0 }),
            "first",
        ),
    ] {
        let r = anonyme(&app, PROCHES, variables).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], champ, "{r}");
    }
}

#[tokio::test]
async fn au_dela_de_cinq_cents_entites_la_carte_montre_des_groupes() {
    let app = TestApp::new().await;
    // 600 entities on a 30 × 20 grid around Bouaké, 0.01° apart.
    let noms: Vec<String> = (0..600).map(|i| format!("Entreprise {i:03}")).collect();
    let entites: Vec<(&str, &str, &str, &str, f64, f64)> = noms
        .iter()
        .enumerate()
        .map(|(i, nom)| {
            let (colonne, ligne) = ((i % 30) as f64, (i / 30) as f64);
            (
                nom.as_str(),
                "commerce_distribution",
                "gbeke",
                "Bouaké",
                7.60 + ligne * 0.01,
                -5.10 + colonne * 0.01,
            )
        })
        .collect();
    publier_en_masse(&app, &entites).await;
    let cadre = json!({ "ouest": -5.5, "sud": 7.3, "est": -4.5, "nord": 8.2 });
    let r = anonyme(&app, CARTE, json!({ "bbox": cadre, "zoom": 9 })).await;
    let carte = &r["data"]["carte"];
    assert_eq!(carte["total"], 600, "{r}");
    assert!(carte["points"].as_array().unwrap().is_empty());
    let groupes = carte["groupes"].as_array().unwrap();
    // By hand: at zoom 9 a cell is 360/512/4 ≈ 0.1758°: the grid (0.29° × 0.19°) spans
    // columns floor((-5.10+180)/0.1758) = 994 to floor((-4.81+180)/0.1758) = 996 and rows
    // floor((7.60+90)/0.1758) = 555 to floor((7.79+90)/0.1758) = 556: 3 × 2 cells.
    assert_eq!(groupes.len(), 6, "{groupes:?}");
    let somme: i64 = groupes.iter().map(|g| g["nombre"].as_i64().unwrap()).sum();
    assert_eq!(somme, 600);
    for g in groupes {
        let (lat, lon) = (
            g["latitude"].as_f64().unwrap(),
            g["longitude"].as_f64().unwrap(),
        );
        assert!(
            (7.6 - 1e-9..=7.8).contains(&lat) && (-5.1 - 1e-9..=-4.8).contains(&lon),
            "{g}"
        );
    }
    // At zoom 0 everything is one group.
    let r = anonyme(&app, CARTE, json!({ "bbox": cadre, "zoom": 0 })).await;
    assert_eq!(
        r["data"]["carte"]["groupes"],
        json!([{ "nombre": 600,
        "latitude": r["data"]["carte"]["groupes"][0]["latitude"],
        "longitude": r["data"]["carte"]["groupes"][0]["longitude"] }])
    );
    let centre = r["data"]["carte"]["groupes"][0]["latitude"]
        .as_f64()
        .unwrap();
    assert!((centre - 7.695).abs() < 1e-6, "centre {centre}");

    // A small frame holds few enough: the entities one by one, with their pop-up.
    let petit = json!({ "ouest": -5.105, "sud": 7.595, "est": -5.085, "nord": 7.605 });
    let r = anonyme(&app, CARTE, json!({ "bbox": petit, "zoom": 16 })).await;
    let points = r["data"]["carte"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{r}");
    assert_eq!(points[0]["ville"], "Bouaké");
    assert_eq!(
        points[0]["finalites"],
        json!([{ "finalite": "Gestion de la clientèle", "pourcentage": 70 },
               { "finalite": "Prospection", "pourcentage": 30 }])
    );

    // A publication through the application updates the clusters at once.
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = valide(&app, &entreprise, &admin).await;
    decision(&app, "publierDossier", &id, &admin).await;
    let tout = json!({ "ouest": -8.7, "sud": 4.3, "est": -2.4, "nord": 10.8 });
    let r = anonyme(&app, CARTE, json!({ "bbox": tout, "zoom": 5 })).await;
    let somme: i64 = r["data"]["carte"]["groupes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["nombre"].as_i64().unwrap())
        .sum();
    assert_eq!(somme, 601, "{r}");
    decision(&app, "depublierDossier", &id, &admin).await;
    let r = anonyme(&app, CARTE, json!({ "bbox": tout, "zoom": 5 })).await;
    assert_eq!(r["data"]["carte"]["total"], 600, "{r}");

    // Bad frames are named.
    for (bbox, zoom, champ) in [
        (
            json!({ "ouest": -200.0, "sud": 4.0, "est": -2.0, "nord": 10.0 }),
            5,
            "bbox.ouest",
        ),
        (
            json!({ "ouest": -5.0, "sud": 8.0, "est": -4.0, "nord": 7.0 }),
            5,
            "bbox.nord",
        ),
        (
            json!({ "ouest": -5.0, "sud": 7.0, "est": -4.0, "nord": 8.0 }),
            23,
            "zoom",
        ),
    ] {
        let r = anonyme(&app, CARTE, json!({ "bbox": bbox, "zoom": zoom })).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], champ, "{r}");
    }
}

#[tokio::test]
async fn le_registre_public_filtre_tolere_les_fautes_et_pagine() {
    let app = TestApp::new().await;
    publier_en_masse(
        &app,
        &[
            (
                "Clinique du Plateau",
                "sante",
                "abidjan",
                "Abidjan",
                5.32,
                -4.02,
            ),
            (
                "École Sainte-Marie",
                "education",
                "abidjan",
                "Abidjan",
                5.35,
                -3.99,
            ),
            (
                "Banque de l'Ouest",
                "banque_finance",
                "tonkpi",
                "Man",
                7.41,
                -7.55,
            ),
            (
                "Pharmacie du Centre",
                "sante",
                "gbeke",
                "Bouaké",
                7.69,
                -5.03,
            ),
            (
                "Assurances du Nord",
                "assurance",
                "poro",
                "Korhogo",
                9.45,
                -5.63,
            ),
            (
                "Électricité Services",
                "energie",
                "gbeke",
                "BOUAKÉ",
                7.70,
                -5.02,
            ),
            (
                "Agro Bélier",
                "agriculture",
                "belier",
                "Yamoussoukro",
                6.82,
                -5.28,
            ),
        ],
    )
    .await;
    let noms = async |filtre: Value| -> Vec<String> {
        let r = anonyme(&app, REGISTRE, json!({ "filtre": filtre, "first": 100 })).await;
        let liste = &r["data"]["registrePublic"];
        let noms: Vec<String> = liste["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|n| n["denomination"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(liste["totalCount"], noms.len(), "{r}");
        noms
    };
    // French order: accents only break ties.
    assert_eq!(
        noms(json!({})).await,
        [
            "Agro Bélier",
            "Assurances du Nord",
            "Banque de l'Ouest",
            "Clinique du Plateau",
            "École Sainte-Marie",
            "Électricité Services",
            "Pharmacie du Centre",
        ]
    );
    assert_eq!(
        noms(json!({ "secteur": "SANTE" })).await,
        ["Clinique du Plateau", "Pharmacie du Centre"]
    );
    assert_eq!(
        noms(json!({ "ville": "bouaké" })).await,
        ["Électricité Services", "Pharmacie du Centre"]
    );
    assert_eq!(
        noms(json!({ "region": "TONKPI" })).await,
        ["Banque de l'Ouest"]
    );
    // Typos tolerated, and plain substrings found.
    assert_eq!(
        noms(json!({ "recherche": "Cliniqe" })).await,
        ["Clinique du Plateau"]
    );
    assert_eq!(
        noms(json!({ "recherche": "pharmacei" })).await,
        ["Pharmacie du Centre"]
    );
    assert_eq!(noms(json!({ "recherche": "du" })).await.len(), 3);
    assert_eq!(
        noms(json!({ "secteur": "SANTE", "ville": "Abidjan" })).await,
        ["Clinique du Plateau"]
    );
    let r = anonyme(
        &app,
        REGISTRE,
        json!({ "filtre": { "recherche": "x".repeat(101) } }),
    )
    .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "filtre.recherche",
        "{r}"
    );

    // Pages of 3: every entity once, in order.
    let mut vus = Vec::new();
    let mut apres = Value::Null;
    loop {
        let r = anonyme(&app, REGISTRE, json!({ "first": 3, "after": apres })).await;
        let liste = &r["data"]["registrePublic"];
        for n in liste["nodes"].as_array().unwrap() {
            vus.push(n["denomination"].as_str().unwrap().to_owned());
        }
        if liste["pageInfo"]["hasNextPage"] != true {
            break;
        }
        apres = liste["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(vus, noms(json!({})).await);
}

#[tokio::test]
async fn les_statistiques_comptent_toutes_les_entites() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (publiee, _) = valide(&app, &entreprise, &admin).await;
    decision(&app, "publierDossier", &publiee, &admin).await;
    dossier_decide(
        &app,
        &entreprise,
        "CONFORME_SOUS_RESERVE",
        json!({ "delaiMiseEnConformite": "2027-01-31" }),
    )
    .await;
    dossier_soumis(&app, &entreprise).await;
    creer(&app, &entreprise).await;
    publier_en_masse(
        &app,
        &[(
            "Banque de l'Ouest",
            "banque_finance",
            "tonkpi",
            "Man",
            7.41,
            -7.55,
        )],
    )
    .await;

    let r = anonyme(
        &app,
        "{ statistiquesPubliques { recensees demarcheAchevee demarcheEnCours conformes
            parStatutConformite { statut nombre } parSecteur { secteur nombre }
            parRegion { region nombre } } }",
        json!({}),
    )
    .await;
    let s = &r["data"]["statistiquesPubliques"];
    // By hand: 5 entities: 2 conformes (published), 1 under reserve, 1 submitted, 1 draft.
    assert_eq!(s["recensees"], 5, "{r}");
    assert_eq!(s["conformes"], 2);
    assert_eq!(s["demarcheAchevee"], 1);
    assert_eq!(s["demarcheEnCours"], 1);
    let statuts = s["parStatutConformite"].as_array().unwrap();
    assert_eq!(statuts.len(), 6, "every status, zeros included");
    assert!(statuts.contains(&json!({ "statut": "NON_CONFORME", "nombre": 1 })));
    assert_eq!(
        s["parSecteur"],
        json!([{ "secteur": "SANTE", "nombre": 4 }, { "secteur": "BANQUE_FINANCE", "nombre": 1 }])
    );
    assert_eq!(
        s["parRegion"],
        json!([{ "region": "ABIDJAN", "nombre": 4 }, { "region": "TONKPI", "nombre": 1 }])
    );
}

#[tokio::test]
async fn un_document_public_se_telecharge_tant_que_l_entite_est_publiee() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = valide(&app, &entreprise, &admin).await;
    let cle = format!("documents/{id}/autorisation");
    app.state
        .stockage
        .deposer(&cle, axum::body::Bytes::from_static(b"%PDF-1.4\n%%EOF\n"))
        .await
        .unwrap();
    let document: Uuid = app
        .db
        .client()
        .await
        .query_one(
            "INSERT INTO documents_joints (entite_id, type_document, nom_fichier, cle_stockage,
                 taille_octets, mime_type, sha256, est_public, depose_par_compte_id)
             SELECT id, 'autorisation', 'autorisation.pdf', $2, 15, 'application/pdf',
                    repeat('0', 64), true, compte_entreprise_id
               FROM entites_base WHERE id = $1::text::uuid
             RETURNING id",
            &[&id, &cle],
        )
        .await
        .unwrap()
        .get(0);
    let telecharger = async || {
        app.send(
            axum::http::Request::get(format!("/documents/{document}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .status
    };
    // Validated but not published: not public yet.
    assert_eq!(telecharger().await, 404);
    decision(&app, "publierDossier", &id, &admin).await;
    let r = anonyme(
        &app,
        "query($id: ID!) { entitePublique(id: $id) { documents { id nomFichier url } } }",
        json!({ "id": id }),
    )
    .await;
    // Beside the certificate ARTCI issued at the validation.
    let documents = r["data"]["entitePublique"]["documents"].as_array().unwrap();
    assert!(
        documents
            .iter()
            .any(|d| d["nomFichier"] == "AUT-2026-000001-v1.pdf"),
        "{r}"
    );
    let deposes: Vec<&Value> = documents
        .iter()
        .filter(|d| d["nomFichier"] != "AUT-2026-000001-v1.pdf")
        .collect();
    assert_eq!(
        json!(deposes),
        json!([{ "id": document.to_string(), "nomFichier": "autorisation.pdf",
                 "url": format!("/documents/{document}") }]),
        "{r}"
    );
    // Listed, and anyone downloads it.
    assert_eq!(telecharger().await, 200);
    decision(&app, "depublierDossier", &id, &admin).await;
    assert_eq!(telecharger().await, 404);
}

#[tokio::test]
async fn un_client_est_limite_par_son_compte_ou_son_adresse_quel_que_soit_l_en_tete() {
    let app = TestApp::with_config(|c| {
        c.http.public_rate_limit_per_minute = 60;
        c.http.public_rate_limit_burst = 3;
        c.http.account_rate_limit_per_minute = 60;
        c.http.account_rate_limit_burst = 4;
    })
    .await;
    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, autre) = app.staff(RoleUtilisateur::Lecteur).await;
    let statut = async |jeton: Option<&str>| {
        app.post_graphql("{ statistiquesPubliques { recensees } }", json!({}), jeton)
            .await
            .status
    };
    for _ in 0..3 {
        assert_eq!(statut(None).await, 200);
    }
    let r = app
        .post_graphql("{ statistiquesPubliques { recensees } }", json!({}), None)
        .await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(r.json()["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // A token that is not a valid access token counts as anonymous, on every public route.
    let get = |chemin: &str, jeton: &str| {
        axum::http::Request::get(chemin)
            .header("authorization", format!("Bearer {jeton}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    assert_eq!(statut(Some("junk")).await, 429);
    for chemin in [
        "/export/registre.csv",
        &format!("/documents/{}", Uuid::new_v4()),
        "/graphql/ws",
    ] {
        assert_eq!(app.send(get(chemin, "junk")).await.status, 429, "{chemin}");
    }
    // A signed-in account has its own allowance, whatever its address, and so has another.
    for _ in 0..4 {
        assert_eq!(statut(Some(&jeton)).await, 200);
    }
    assert_eq!(statut(Some(&jeton)).await, 429);
    assert_eq!(statut(Some(&autre)).await, 200);
    // Health checks never count.
    let r = app
        .send(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200);
}

/// On a demo database (`registre-dcp seed`), every public answer agrees with what the
/// dossier's own tables say, computed here independently in SQL.
#[tokio::test]
async fn sur_une_base_de_demonstration_chaque_requete_publique_concorde_avec_le_dossier() {
    let app = TestApp::new().await;
    registre_dcp::seed::peupler(
        &mut app.db.conn().await,
        &registre_dcp::seed::OptionsSeed {
            entites: 400,
            graine: 11,
            ajouter: false,
            si_vide: false,
            aujourd_hui: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            validite_mois: 24,
        },
    )
    .await
    .unwrap();
    let c = app.db.client().await;
    let ids = async |sql: &str| -> std::collections::BTreeSet<String> {
        c.query(sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<_, Uuid>(0).to_string())
            .collect()
    };
    let publiees = ids(
        "SELECT w.entite_id FROM entites_workflow w JOIN entites_conformite c USING (entite_id)
          WHERE w.statut = 'publie' AND c.statut_conformite = 'conforme'",
    )
    .await;
    assert!(publiees.len() > 10, "{}", publiees.len());

    // The list, every page: exactly the published ones, never an NCC.
    let toutes = ids("SELECT id FROM entites_base").await;
    let mut vus = std::collections::BTreeSet::new();
    let mut apres = Value::Null;
    loop {
        let r = anonyme(&app, REGISTRE, json!({ "first": 100, "after": apres })).await;
        let liste = &r["data"]["registrePublic"];
        assert_eq!(liste["totalCount"], publiees.len(), "{r}");
        for n in liste["nodes"].as_array().unwrap() {
            vus.insert(n["id"].as_str().unwrap().to_owned());
            assert_eq!(n["statutConformite"], "CONFORME");
        }
        if liste["pageInfo"]["hasNextPage"] != true {
            break;
        }
        apres = liste["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(vus, publiees);
    let numeros_cc: Vec<String> = c
        .query("SELECT numero_cc FROM entites_base", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let r = anonyme(&app, REGISTRE, json!({ "first": 100 }))
        .await
        .to_string();
    assert!(numeros_cc.iter().all(|n| !r.contains(n.as_str())));
    assert_eq!(toutes.len(), 400);

    // The map of the whole country: every located published entity, counted once.
    let localisees: i64 = c
        .query_one(
            "SELECT count(*) FROM entites_workflow w
               JOIN entites_conformite c USING (entite_id)
               JOIN entites_localisation l USING (entite_id)
              WHERE w.statut = 'publie' AND c.statut_conformite = 'conforme'
                AND l.geolocation IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let r = anonyme(&app, CARTE, json!({ "bbox": cote_d_ivoire(), "zoom": 6 })).await;
    let carte = &r["data"]["carte"];
    assert_eq!(carte["total"], localisees, "{r}");
    let montres = carte["points"].as_array().unwrap().len() as i64
        + carte["groupes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["nombre"].as_i64().unwrap())
            .sum::<i64>();
    assert_eq!(montres, localisees);

    // Nearby Abidjan: the published ones within 10 km, by ST_Distance.
    let (lat, lon) = (5.3364, -4.0267);
    let attendus: Vec<(String, f64)> = c
        .query(
            "SELECT w.entite_id,
                    ST_Distance(l.geolocation, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) d
               FROM entites_workflow w
               JOIN entites_conformite c USING (entite_id)
               JOIN entites_localisation l USING (entite_id)
              WHERE w.statut = 'publie' AND c.statut_conformite = 'conforme'
                AND ST_DWithin(l.geolocation, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 10000)
              ORDER BY d, w.entite_id LIMIT 100",
            &[&lon, &lat],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<_, Uuid>(0).to_string(), r.get::<_, f64>(1)))
        .collect();
    assert!(!attendus.is_empty());
    let r = anonyme(
        &app,
        PROCHES,
        json!({ "lat": lat, "lon": lon, "r": 10.0, "first": 100 }),
    )
    .await;
    let recus = proches_recus(&r, "id");
    assert_eq!(recus.len(), attendus.len());
    for ((id, d), (id_attendu, d_attendue)) in recus.iter().zip(&attendus) {
        assert!((d - d_attendue).abs() < 0.01, "{id} : {d} ≠ {d_attendue}");
        // Ties aside, the same entity at each rank.
        if (d - d_attendue).abs() < 1e-9 && id != id_attendu {
            assert!(
                attendus
                    .iter()
                    .any(|(i, x)| i == id && (x - d).abs() < 1e-6)
            );
        }
    }

    // The statistics count every entity.
    let r = anonyme(
        &app,
        "{ statistiquesPubliques { recensees conformes parSecteur { secteur nombre } } }",
        json!({}),
    )
    .await;
    let s = &r["data"]["statistiquesPubliques"];
    assert_eq!(s["recensees"], 400, "{r}");
    let conformes: i64 = c
        .query_one(
            "SELECT count(*) FROM entites_conformite WHERE statut_conformite = 'conforme'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(s["conformes"], conformes);
    let somme: i64 = s["parSecteur"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["nombre"].as_i64().unwrap())
        .sum();
    assert_eq!(somme, 400);

    // A number is real for a published entity, not for one validated but unpublished.
    let numero = |statut: &'static str| {
        let c = &c;
        async move {
            c.query_one(
                "SELECT coalesce(numero_autorisation_artci, numero_recepisse) FROM entites_workflow
                  WHERE statut::text = $1 ORDER BY entite_id LIMIT 1",
                &[&statut],
            )
            .await
            .unwrap()
            .get::<_, String>(0)
        }
    };
    let v = anonyme(&app, VERIFIER, json!({ "n": numero("publie").await })).await;
    assert_eq!(v["data"]["verifierNumero"]["valide"], true, "{v}");
    let v = anonyme(&app, VERIFIER, json!({ "n": numero("valide").await })).await;
    assert_eq!(v["data"]["verifierNumero"]["valide"], false, "{v}");
}

#[tokio::test]
async fn avec_une_replique_de_lecture_les_requetes_publiques_la_lisent() {
    // Two databases stand for the primary and its replica: what each holds tells which one
    // a query read.
    let replique = TestApp::new().await;
    let app = TestApp::with_config(|c| {
        c.database.read_url = Some(replique.db.url().to_owned());
    })
    .await;
    publier_en_masse(
        &replique,
        &[(
            "Réplique SA",
            "transport_logistique",
            "abidjan",
            "Abidjan",
            5.36,
            -4.01,
        )],
    )
    .await;
    publier_en_masse(
        &app,
        &[(
            "Primaire SA",
            "transport_logistique",
            "abidjan",
            "Abidjan",
            5.36,
            -4.01,
        )],
    )
    .await;
    let noms = |r: &Value, chemin: &str| -> Vec<String> {
        r["data"][chemin]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|n| n["denomination"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = anonyme(&app, REGISTRE, json!({})).await;
    assert_eq!(noms(&r, "registrePublic"), ["Réplique SA"]);
    let r = anonyme(&app, CARTE, json!({ "bbox": cote_d_ivoire(), "zoom": 14 })).await;
    assert_eq!(
        r["data"]["carte"]["points"][0]["denomination"],
        "Réplique SA"
    );
    let r = anonyme(
        &app,
        PROCHES,
        json!({ "lat": 5.36, "lon": -4.01, "r": 5.0 }),
    )
    .await;
    assert_eq!(proches_recus(&r, "denomination")[0].0, "Réplique SA");
    // Staff work on the primary.
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let r = app
        .graphql(
            "{ entites(first: 10) { nodes { denomination } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(noms(&r, "entites"), ["Primaire SA"]);
}
