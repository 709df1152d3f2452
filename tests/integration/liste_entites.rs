//! The staff list `entites(filtre, tri, first, after)`: who may read it, its filters, its
//! three orders paged by cursor, and the number of SQL statements one page costs.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::{TestApp, error_code};

const LISTE: &str = "query($filtre: FiltreEntitesInput, $tri: TriEntites! = DATE_LIMITE_DECISION,
        $first: Int, $after: String) {
    entites(filtre: $filtre, tri: $tri, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id denomination } } } }";

/// One entity to insert, with every part of its dossier; what a test does not set is a
/// plain draft in Abidjan.
#[derive(Clone)]
struct Saisie {
    denomination: String,
    statut: &'static str,
    region: &'static str,
    secteur: &'static str,
    formalite: Option<&'static str>,
    soumission: Option<DateTime<Utc>>,
    limite: Option<NaiveDate>,
}

impl Saisie {
    fn nommee(denomination: &str) -> Self {
        Self {
            denomination: denomination.to_owned(),
            statut: "brouillon",
            region: "abidjan",
            secteur: "commerce_distribution",
            formalite: None,
            soumission: None,
            limite: None,
        }
    }
}

/// Inserts the entity and its workflow, contact, position and compliance rows straight into
/// the database (one statement), and returns its id. `rang` makes its NCC unique.
async fn inserer(app: &TestApp, rang: usize, saisie: &Saisie) -> Uuid {
    let numero_cc = format!("{rang:07}K");
    app.db
        .client()
        .await
        .query_one(
            "WITH b AS (
                 INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region,
                     ville, origine_saisie)
                 VALUES ($1, $2, $3::text::secteur_activite, $4::text::region, 'Abidjan',
                     'saisie_artci')
                 RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, type_formalite,
                     date_soumission, date_limite_decision, motif_rejet)
                 SELECT id, $5::text::statut_workflow, $6::text::type_formalite, $7, $8,
                     CASE WHEN $5 = 'rejete' THEN 'Dossier incomplet' END
                 FROM b),
             c AS (
                 INSERT INTO entites_contact (entite_id, representant_nom, site_web)
                 SELECT id, 'Aya Kouassi', 'https://exemple.ci' FROM b),
             l AS (
                 INSERT INTO entites_localisation (entite_id, geolocation, precision_m,
                     methode, quartier)
                 SELECT id, ST_SetSRID(ST_MakePoint(-4.0267, 5.3364), 4326)::geography, 15,
                     'gps_appareil', 'Plateau'
                 FROM b),
             k AS (
                 INSERT INTO entites_conformite (entite_id, score_conformite, statut_conformite)
                 SELECT id, 40, 'demarche_en_cours' FROM b)
             SELECT id FROM b",
            &[
                &numero_cc,
                &saisie.denomination,
                &saisie.secteur,
                &saisie.region,
                &saisie.statut,
                &saisie.formalite,
                &saisie.soumission,
                &saisie.limite,
            ],
        )
        .await
        .expect("insertion d'une entité de test")
        .get(0)
}

/// The NCC `inserer` gave the entity of this rank.
fn ncc_de(rang: usize) -> String {
    format!("{rang:07}K")
}

async fn inserer_toutes(app: &TestApp, saisies: &[Saisie]) -> Vec<Uuid> {
    let mut ids = Vec::with_capacity(saisies.len());
    for (rang, saisie) in saisies.iter().enumerate() {
        ids.push(inserer(app, rang, saisie).await);
    }
    ids
}

async fn lister(app: &TestApp, jeton: &str, variables: Value) -> Value {
    app.graphql(LISTE, variables, Some(jeton)).await
}

/// The denominations of a page, in order.
fn denominations(reponse: &Value) -> Vec<String> {
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"]["entites"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["denomination"].as_str().unwrap().to_owned())
        .collect()
}

fn triees(noms: &[&str]) -> BTreeSet<String> {
    noms.iter().map(|n| (*n).to_owned()).collect()
}

/// Every page of `tri`, `taille` rows at a time, following `endCursor`: the ids in the
/// order served. Each page must report the same `totalCount`.
async fn toutes_les_pages(app: &TestApp, jeton: &str, tri: &str, taille: i32) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    let mut total = None;
    for page in 0.. {
        assert!(page < 100, "la pagination ne s'arrête pas");
        let reponse = lister(
            app,
            jeton,
            json!({ "tri": tri, "first": taille, "after": after }),
        )
        .await;
        assert!(reponse["errors"].is_null(), "{reponse}");
        let connexion = &reponse["data"]["entites"];
        let compte = connexion["totalCount"].as_i64().unwrap();
        assert_eq!(*total.get_or_insert(compte), compte, "totalCount varie");
        let edges = connexion["edges"].as_array().unwrap();
        assert!(edges.len() <= taille as usize);
        ids.extend(
            edges
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
        );
        assert_eq!(connexion["pageInfo"]["hasPreviousPage"], !after.is_null());
        if connexion["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = connexion["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(total, Some(ids.len() as i64), "totalCount ≠ lignes servies");
    ids
}

fn jour(mois: u32, jour: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, mois, jour)
}

fn instant(jour: u32, heure: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(2026, 11, jour, heure, 0, 0).unwrap())
}

#[tokio::test]
async fn un_lecteur_liste_une_entreprise_et_un_anonyme_non() {
    let app = TestApp::new().await;
    inserer_toutes(&app, &[Saisie::nommee("Orange Côte d'Ivoire")]).await;

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let lu = lister(&app, &lecteur, json!({})).await;
    assert_eq!(denominations(&lu), ["Orange Côte d'Ivoire"]);
    assert_eq!(lu["data"]["entites"]["totalCount"], 1);

    let compte: Uuid = app
        .db
        .client()
        .await
        .query_one(
            "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc,
                 region, email_verifie, statut_inscription)
             VALUES ('societe@test.ci', 'x', 'Société test', '7654321Z', 'abidjan', true,
                 'approuvee')
             RETURNING id",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let entreprise = app.token_for(Titulaire::Compte(compte)).await;
    let refus = lister(&app, &entreprise, json!({})).await;
    assert_eq!(error_code(&refus), Some("FORBIDDEN"), "{refus}");
    assert!(refus["data"].is_null() || refus["data"]["entites"].is_null());

    let anonyme = app.graphql(LISTE, json!({}), None).await;
    assert_eq!(error_code(&anonyme), Some("UNAUTHENTICATED"), "{anonyme}");
}

#[tokio::test]
async fn chaque_filtre_ne_garde_que_les_entites_qui_y_repondent() {
    let app = TestApp::new().await;
    let saisies = [
        Saisie {
            statut: "soumis",
            region: "gbeke",
            secteur: "banque_finance",
            formalite: Some("declaration_prealable"),
            ..Saisie::nommee("Banque Atlantique")
        },
        Saisie {
            statut: "en_verification",
            region: "abidjan",
            secteur: "sante",
            formalite: Some("autorisation_prealable"),
            ..Saisie::nommee("Clinique Farah")
        },
        Saisie {
            statut: "conforme",
            region: "gbeke",
            secteur: "sante",
            formalite: Some("dispense"),
            ..Saisie::nommee("Pharmacie du Centre")
        },
        Saisie {
            region: "san_pedro",
            ..Saisie::nommee("Remise 50% Côte")
        },
        Saisie::nommee("Remise 500 Côte"),
        Saisie::nommee("A_B Conseil"),
        Saisie::nommee("AxB Conseil"),
        Saisie::nommee(r"Barre\Oblique"),
        Saisie::nommee("Barre Oblique"),
    ];
    inserer_toutes(&app, &saisies).await;
    let (_, jeton) = app.staff(RoleUtilisateur::Editeur).await;

    let cas: [(Value, &[&str]); 13] = [
        (
            json!({}),
            &[
                "Banque Atlantique",
                "Clinique Farah",
                "Pharmacie du Centre",
                "Remise 50% Côte",
                "Remise 500 Côte",
                "A_B Conseil",
                "AxB Conseil",
                r"Barre\Oblique",
                "Barre Oblique",
            ],
        ),
        (
            json!({ "statuts": ["SOUMIS", "EN_VERIFICATION"] }),
            &["Banque Atlantique", "Clinique Farah"],
        ),
        (json!({ "statuts": ["CONFORME"] }), &["Pharmacie du Centre"]),
        (
            json!({ "region": "GBEKE" }),
            &["Banque Atlantique", "Pharmacie du Centre"],
        ),
        (
            json!({ "secteurActivite": "SANTE" }),
            &["Clinique Farah", "Pharmacie du Centre"],
        ),
        (
            json!({ "typeFormalite": "AUTORISATION_PREALABLE" }),
            &["Clinique Farah"],
        ),
        (
            json!({ "region": "GBEKE", "secteurActivite": "SANTE" }),
            &["Pharmacie du Centre"],
        ),
        // Normalised as at entry: spaces and case do not matter.
        (
            json!({ "numeroCc": format!(" {} ", ncc_de(2).to_lowercase()) }),
            &["Pharmacie du Centre"],
        ),
        // Case-insensitive substring.
        (json!({ "recherche": "  cLINIQUE " }), &["Clinique Farah"]),
        // `%`, `_` and `\` are the user's characters, not LIKE wildcards.
        (json!({ "recherche": "50%" }), &["Remise 50% Côte"]),
        (json!({ "recherche": "a_b" }), &["A_B Conseil"]),
        (json!({ "recherche": r"e\o" }), &[r"Barre\Oblique"]),
        (json!({ "recherche": "ZZ" }), &[]),
    ];
    for (filtre, attendues) in cas {
        let reponse = lister(&app, &jeton, json!({ "filtre": filtre, "first": 100 })).await;
        let servies = denominations(&reponse);
        assert_eq!(
            servies.iter().cloned().collect::<BTreeSet<_>>(),
            triees(attendues),
            "filtre {filtre}"
        );
        assert_eq!(servies.len(), attendues.len(), "filtre {filtre}");
        assert_eq!(
            reponse["data"]["entites"]["totalCount"],
            attendues.len(),
            "filtre {filtre}"
        );
    }

    // totalCount counts the whole filtered list, not the page.
    let page = lister(
        &app,
        &jeton,
        json!({ "filtre": { "recherche": "Remise" }, "first": 1 }),
    )
    .await;
    assert_eq!(denominations(&page).len(), 1);
    assert_eq!(page["data"]["entites"]["totalCount"], 2);
    assert_eq!(page["data"]["entites"]["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn un_filtre_mal_forme_nomme_son_champ() {
    let app = TestApp::new().await;
    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;
    let cas = [
        (json!({ "numeroCc": "12AB" }), "filtre.numeroCc"),
        (json!({ "numeroCc": "" }), "filtre.numeroCc"),
        (json!({ "recherche": " a " }), "filtre.recherche"),
        (json!({ "recherche": "   " }), "filtre.recherche"),
        (json!({ "recherche": "x".repeat(101) }), "filtre.recherche"),
    ];
    for (filtre, champ) in cas {
        let reponse = lister(&app, &jeton, json!({ "filtre": filtre })).await;
        assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
        assert_eq!(
            reponse["errors"][0]["extensions"]["field"], champ,
            "{reponse}"
        );
    }
    // 2 and 100 characters are accepted.
    for recherche in ["ab".to_owned(), "é".repeat(100)] {
        let reponse = lister(
            &app,
            &jeton,
            json!({ "filtre": { "recherche": recherche } }),
        )
        .await;
        assert!(reponse["errors"].is_null(), "{reponse}");
    }
}

/// Entities whose keys tie and miss in every order, to page through.
fn saisies_a_trier() -> Vec<Saisie> {
    let noms = [
        "Zèbre Transport",
        "école du Plateau",
        "Banque Atlantique",
        "Établissements Kouamé",
        "abidjan Tech",
        "Banque Atlantique",
        "Assurance Sunu",
        "Banque Atlantique",
    ];
    let limites = [
        jour(12, 1),
        jour(12, 1),
        None,
        jour(11, 30),
        jour(12, 5),
        jour(12, 1),
        None,
        jour(11, 30),
    ];
    let soumissions = [
        instant(2, 9),
        None,
        instant(2, 9),
        instant(20, 8),
        instant(2, 9),
        None,
        instant(1, 17),
        instant(20, 8),
    ];
    noms.iter()
        .zip(limites)
        .zip(soumissions)
        .map(|((nom, limite), soumission)| Saisie {
            statut: if soumission.is_some() {
                "soumis"
            } else {
                "brouillon"
            },
            limite,
            soumission,
            ..Saisie::nommee(nom)
        })
        .collect()
}

#[tokio::test]
async fn chaque_tri_se_pagine_sans_doublon_ni_trou() {
    let app = TestApp::new().await;
    let saisies = saisies_a_trier();
    let ids = inserer_toutes(&app, &saisies).await;
    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;
    let lignes: Vec<(Uuid, &Saisie)> = ids.iter().copied().zip(&saisies).collect();

    // Decision deadline, soonest first, none last; ties by id.
    let mut attendu = lignes.clone();
    attendu.sort_by_key(|(id, s)| (s.limite.is_none(), s.limite, *id));
    let attendu: Vec<Uuid> = attendu.iter().map(|(id, _)| *id).collect();
    for taille in [1, 2, 3, 8] {
        assert_eq!(
            toutes_les_pages(&app, &jeton, "DATE_LIMITE_DECISION", taille).await,
            attendu,
            "pages de {taille}"
        );
    }
    // The default order is the deadline's.
    let defaut = lister(&app, &jeton, json!({ "first": 8 })).await;
    let premier: Uuid = defaut["data"]["entites"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(premier, attendu[0]);

    // Submission, latest first, never submitted last; ties by id, descending.
    let mut attendu = lignes.clone();
    attendu.sort_by_key(|(id, s)| {
        (
            s.soumission.is_none(),
            std::cmp::Reverse(s.soumission),
            std::cmp::Reverse(*id),
        )
    });
    let attendu: Vec<Uuid> = attendu.iter().map(|(id, _)| *id).collect();
    for taille in [1, 2, 3, 8] {
        assert_eq!(
            toutes_les_pages(&app, &jeton, "DATE_SOUMISSION", taille).await,
            attendu,
            "pages de {taille}"
        );
    }

    // A to Z as a French reader sorts (case and accents aside), ties by id.
    let rang_alphabetique = |nom: &str| {
        [
            "abidjan Tech",
            "Assurance Sunu",
            "Banque Atlantique",
            "école du Plateau",
            "Établissements Kouamé",
            "Zèbre Transport",
        ]
        .iter()
        .position(|n| *n == nom)
        .unwrap()
    };
    let mut attendu = lignes.clone();
    attendu.sort_by_key(|(id, s)| (rang_alphabetique(&s.denomination), *id));
    let attendu: Vec<Uuid> = attendu.iter().map(|(id, _)| *id).collect();
    for taille in [1, 2, 3, 8] {
        assert_eq!(
            toutes_les_pages(&app, &jeton, "DENOMINATION", taille).await,
            attendu,
            "pages de {taille}"
        );
    }
}

#[tokio::test]
async fn une_page_filtree_se_poursuit_dans_le_filtre() {
    let app = TestApp::new().await;
    let saisies: Vec<Saisie> = (0..7)
        .map(|i| Saisie {
            region: if i % 2 == 0 { "poro" } else { "abidjan" },
            limite: jour(12, 1 + i % 3),
            ..Saisie::nommee(&format!("Entreprise {i}"))
        })
        .collect();
    inserer_toutes(&app, &saisies).await;
    let (_, jeton) = app.staff(RoleUtilisateur::Admin).await;
    let mut vues = Vec::new();
    let mut after = Value::Null;
    loop {
        let reponse = lister(
            &app,
            &jeton,
            json!({ "filtre": { "region": "PORO" }, "first": 2, "after": after }),
        )
        .await;
        vues.extend(denominations(&reponse));
        assert_eq!(reponse["data"]["entites"]["totalCount"], 4);
        let info = &reponse["data"]["entites"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    vues.sort();
    assert_eq!(
        vues,
        [
            "Entreprise 0",
            "Entreprise 2",
            "Entreprise 4",
            "Entreprise 6"
        ]
    );
}

/// base64url without padding, as the cursors are written.
fn base64url(octets: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut texte = String::new();
    for bloc in octets.chunks(3) {
        let n = bloc
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, o)| n | u32::from(*o) << (16 - 8 * i));
        for i in 0..=bloc.len() {
            texte.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    texte
}

#[tokio::test]
async fn un_curseur_forge_ou_d_un_autre_tri_est_refuse() {
    let app = TestApp::new().await;
    inserer_toutes(&app, &saisies_a_trier()).await;
    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;

    let page = lister(&app, &jeton, json!({ "tri": "DENOMINATION", "first": 2 })).await;
    let curseur = page["data"]["entites"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    // The same cursor serves its own order.
    let suite = lister(
        &app,
        &jeton,
        json!({ "tri": "DENOMINATION", "first": 2, "after": curseur }),
    )
    .await;
    assert!(suite["errors"].is_null(), "{suite}");

    let id = Uuid::new_v4();
    let forges = [
        ("pas-un-curseur".to_owned(), "DATE_LIMITE_DECISION"),
        (String::new(), "DATE_LIMITE_DECISION"),
        (base64url(b"{}"), "DATE_LIMITE_DECISION"),
        (base64url(b"[1,2,3]"), "DATE_LIMITE_DECISION"),
        // Well formed, but issued for another order.
        (curseur.clone(), "DATE_SOUMISSION"),
        (curseur.clone(), "DATE_LIMITE_DECISION"),
        // Well formed JSON, wrong values.
        (
            base64url(format!(r#"{{"o":"l","d":"hier","id":"{id}"}}"#).as_bytes()),
            "DATE_LIMITE_DECISION",
        ),
        (
            base64url(format!(r#"{{"o":"x","d":null,"id":"{id}"}}"#).as_bytes()),
            "DATE_LIMITE_DECISION",
        ),
        (
            base64url(format!(r#"{{"o":"l","d":null,"id":"{id}","sql":"1"}}"#).as_bytes()),
            "DATE_LIMITE_DECISION",
        ),
        // A chronological cursor of another list.
        (
            base64url(format!(r#"{{"t":"2026-11-23T09:00:00Z","id":"{id}"}}"#).as_bytes()),
            "DATE_SOUMISSION",
        ),
        // Far longer than any cursor issued.
        ("A".repeat(10_000), "DENOMINATION"),
    ];
    for (after, tri) in forges {
        let reponse = lister(&app, &jeton, json!({ "tri": tri, "after": after })).await;
        assert_eq!(
            error_code(&reponse),
            Some("BAD_USER_INPUT"),
            "{after} : {reponse}"
        );
        assert_eq!(reponse["errors"][0]["extensions"]["field"], "after");
    }

    // A well-formed position that matches no row is only a place in the order.
    let ailleurs = base64url(format!(r#"{{"o":"l","d":"2030-01-01","id":"{id}"}}"#).as_bytes());
    let reponse = lister(&app, &jeton, json!({ "after": ailleurs })).await;
    assert_eq!(
        denominations(&reponse).into_iter().collect::<BTreeSet<_>>(),
        triees(&["Banque Atlantique", "Assurance Sunu"])
    );
}

// --- Statements per request -----------------------------------------------------------------

/// `name { … }` of every field of `type_` that needs no argument: every nested object
/// (parts of the dossier, their own parts, lists, unions) with `__typename` and its nested
/// objects, and every scalar, so that each part any engineer adds to `Entite` is asked for
/// without editing this test: what a client showing whole dossiers asks.
fn selection(types: &HashMap<String, Value>, type_: &str, chemin: &mut Vec<String>) -> String {
    let champs = types[type_]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut morceaux = vec!["__typename".to_owned()];
    for champ in champs {
        let obligatoire = champ["args"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null());
        if obligatoire {
            continue;
        }
        let mut t = &champ["type"];
        while t["kind"] == "NON_NULL" || t["kind"] == "LIST" {
            t = &t["ofType"];
        }
        let nom = champ["name"].as_str().unwrap();
        let type_champ = t["name"].as_str().unwrap().to_owned();
        match t["kind"].as_str().unwrap() {
            "SCALAR" | "ENUM" => morceaux.push(nom.to_owned()),
            "OBJECT" if !chemin.contains(&type_champ) && chemin.len() < 4 => {
                chemin.push(type_champ.clone());
                let interieur = selection(types, &type_champ, chemin);
                chemin.pop();
                morceaux.push(format!("{nom} {{ {interieur} }}"));
            }
            "UNION" | "INTERFACE" => morceaux.push(format!("{nom} {{ __typename }}")),
            _ => {}
        }
    }
    morceaux.join(" ")
}

/// The list query asking for every nested part of `Entite`, built from the schema itself.
async fn requete_complete(app: &TestApp, jeton: &str) -> String {
    let schema = app
        .graphql(
            "{ __schema { types { name kind fields {
                 name args { defaultValue type { kind } }
                 type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
             } } } }",
            json!({}),
            Some(jeton),
        )
        .await;
    assert!(schema["errors"].is_null(), "{schema}");
    let types: HashMap<String, Value> = schema["data"]["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let entite = selection(&types, "Entite", &mut vec!["Entite".to_owned()]);
    format!(
        "query($first: Int) {{ entites(first: $first) {{ totalCount
             edges {{ node {{ {entite} }} }} }} }}"
    )
}

/// Runs the full list query and returns how many SQL statements the request cost.
async fn requetes_pour(app: &TestApp, jeton: &str, requete: &str, attendues: usize) -> u64 {
    let avant = app.requetes_sql();
    let reponse = app
        .graphql(requete, json!({ "first": 50 }), Some(jeton))
        .await;
    let nombre = app.requetes_sql() - avant;
    assert!(reponse["errors"].is_null(), "{requete}\n{reponse}");
    let edges = reponse["data"]["entites"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), attendues);
    // Every part was really loaded, for every row.
    for edge in edges {
        for partie in ["workflow", "contact", "localisation", "conformite"] {
            assert!(edge["node"][partie].is_object(), "{partie} : {edge}");
        }
    }
    nombre
}

/// Most statements one list request may cost, whatever its length. Today 26: the session
/// and its holder (2), the page and its count (2), one query per kind of part (workflow,
/// contact, position, compliance: 4), for the dossier's content (13 tables), for the
/// feedbacks and assignations (2), for the approved versions and the open amendments (2),
/// and for the documents (1). The pool checks the connections it hands out without a
/// statement.
const REQUETES_MAX: u64 = 26;

#[tokio::test]
async fn une_page_coute_le_meme_nombre_de_requetes_pour_5_et_50_entites() {
    let app = TestApp::new().await;
    let (_, jeton) = app.staff(RoleUtilisateur::Admin).await;
    let requete = requete_complete(&app, &jeton).await;
    let champs = requete
        .split(|c: char| c.is_whitespace() || c == '{' || c == '}')
        .filter(|t| !t.is_empty())
        .count();
    eprintln!("champs demandés par dossier : {champs}");
    for partie in ["workflow", "contact", "localisation", "conformite"] {
        assert!(requete.contains(&format!("{partie} {{")), "{requete}");
    }

    let saisies: Vec<Saisie> = (0..50)
        .map(|i| Saisie {
            statut: "soumis",
            soumission: instant(1 + i % 20, 9),
            limite: jour(12, 1 + i % 28),
            ..Saisie::nommee(&format!("Entité numéro {i}"))
        })
        .collect();
    for (rang, saisie) in saisies.iter().enumerate().take(5) {
        inserer(&app, rang, saisie).await;
    }
    // A first request warms the pool up: the measured ones open no connection.
    requetes_pour(&app, &jeton, &requete, 5).await;
    let pour_5 = requetes_pour(&app, &jeton, &requete, 5).await;
    for (rang, saisie) in saisies.iter().enumerate().skip(5) {
        inserer(&app, rang, saisie).await;
    }
    let pour_50 = requetes_pour(&app, &jeton, &requete, 50).await;
    eprintln!("requêtes SQL : {pour_5} pour 5 entités, {pour_50} pour 50");
    assert!(pour_5 > 0, "le compteur ne compte rien");
    assert_eq!(
        pour_5, pour_50,
        "le nombre de requêtes croît avec la page : N+1"
    );
    assert!(pour_50 <= REQUETES_MAX, "{pour_50} requêtes pour une page");
}

#[tokio::test]
async fn le_compteur_de_requetes_sql_est_expose_sur_metrics() {
    let app = TestApp::new().await;
    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;
    let avant = app.requetes_sql();
    let lu = lister(&app, &jeton, json!({})).await;
    assert!(lu["errors"].is_null(), "{lu}");
    assert!(app.requetes_sql() > avant);

    let metriques = app
        .send(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .text();
    let valeur = |nom: &str| -> u64 {
        metriques
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{nom} ")))
            .unwrap_or_else(|| panic!("{nom} absent : {metriques}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(valeur("registre_dcp_db_queries_total"), app.requetes_sql());
    assert_eq!(valeur("registre_dcp_db_query_errors_total"), 0);

    // Another application counts only its own statements.
    let autre = TestApp::new().await;
    assert_eq!(autre.requetes_sql(), 0);
}
