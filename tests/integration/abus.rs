//! One account against the others: a save as big as the form allows is cheap and bounded,
//! one account's saves hold at most a few pooled connections, a request stops at its
//! deadline, and subscriptions are capped per connection, per account and per address,
//! checked once per session and event, and ended when their token expires.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::dossiers::{REGISTRE, creer, enregistrer};
use crate::support::serveur::{ATTENTE, ClientWs};
use crate::support::{TestApp, error_code};

fn error_field(r: &Value) -> Option<&str> {
    r["errors"][0]["extensions"]["field"].as_str()
}

/// `traitements` processings of `par_liste` categories and as many purposes each, as the
/// input of `enregistrerRegistre` at `version`.
fn registre(id: &str, version: i64, traitements: usize, par_liste: usize) -> Value {
    let codes = [
        "IDENTIFICATION",
        "VIE_PERSONNELLE",
        "ECONOMIQUE_FINANCIERE",
        "LOCALISATION",
        "AUTRE",
    ];
    let traitements: Vec<Value> = (0..traitements)
        .map(|t| {
            json!({
                "nom": format!("Traitement {t:03}"),
                "finalite": "Gestion des dossiers",
                "categories": (0..par_liste).map(|c| json!({
                    "categorie": codes[c % codes.len()], "items": format!("données {c}") }))
                    .collect::<Vec<_>>(),
                "finalites": (0..par_liste).map(|f| json!({
                    "finalite": format!("Finalité {f}"), "baseLegale": "EXECUTION_CONTRAT",
                    "pourcentage": 0 }))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "entiteId": id, "version": version, "traitements": traitements })
}

async fn version(app: &TestApp, jeton: &str, id: &str) -> i64 {
    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { workflow { version } } }",
            json!({ "id": id }),
            Some(jeton),
        )
        .await;
    r["data"]["entite"]["workflow"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"))
}

#[tokio::test]
async fn un_enregistrement_est_borne_et_s_ecrit_en_quelques_requetes() {
    let app = TestApp::new().await;
    // An account ARTCI has not vetted yet: the attacker of the report.
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = creer(&app, &jeton).await;
    let v = version(&app, &jeton, &id).await;

    // Beyond what a real register needs: refused before anything is written, naming the field.
    for (traitements, par_liste, champ) in [
        (101, 0, "input.traitements"),
        (100, 6, "input.traitements"),
        (1, 21, "input.traitements[0].categories"),
    ] {
        let r = enregistrer(
            &app,
            &jeton,
            REGISTRE,
            registre(&id, v, traitements, par_liste),
        )
        .await;
        assert_eq!(
            error_code(&r),
            Some("BAD_USER_INPUT"),
            "{traitements}×{par_liste}: {r}"
        );
        assert_eq!(error_field(&r), Some(champ), "{r}");
    }
    assert_eq!(version(&app, &jeton, &id).await, v, "un refus n'écrit rien");

    // The largest save allowed: 100 processings, 500 categories, 500 purposes. Whatever the
    // number of items, a few statements per table.
    let avant = app.requetes_sql();
    let debut = Instant::now();
    let r = enregistrer(&app, &jeton, REGISTRE, registre(&id, v, 100, 5)).await;
    let duree = debut.elapsed();
    assert!(r["errors"].is_null(), "{r}");
    let requetes = app.requetes_sql() - avant;
    let traitements = r["data"]["enregistrerRegistre"]["registre"]["traitements"]
        .as_array()
        .unwrap();
    assert_eq!(traitements.len(), 100);
    assert_eq!(traitements[99]["categories"].as_array().unwrap().len(), 5);
    assert_eq!(traitements[0]["finalites"].as_array().unwrap().len(), 5);
    assert!(
        requetes <= 30,
        "{requetes} requêtes SQL pour un enregistrement"
    );
    eprintln!("1 000 éléments enregistrés en {duree:?}, {requetes} requêtes SQL");

    // Saved again with every id: rows keep their ids, nothing is duplicated.
    let mut entree = registre(&id, v + 1, 100, 5);
    for (t, traitement) in traitements.iter().enumerate() {
        entree["traitements"][t]["id"] = traitement["id"].clone();
        for (c, categorie) in traitement["categories"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            entree["traitements"][t]["categories"][c]["id"] = categorie["id"].clone();
        }
    }
    entree["traitements"][0]["categories"][0]["items"] = json!("nom, prénoms");
    let r = enregistrer(&app, &jeton, REGISTRE, entree).await;
    assert!(r["errors"].is_null(), "{r}");
    let relu = &r["data"]["enregistrerRegistre"]["registre"]["traitements"];
    assert_eq!(relu[0]["id"], traitements[0]["id"]);
    assert_eq!(
        relu[0]["categories"][0]["id"],
        traitements[0]["categories"][0]["id"]
    );
    assert_eq!(relu[57]["finalites"].as_array().unwrap().len(), 5);
    let lignes: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM categories_donnees", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(lignes, 500);
}

#[tokio::test]
async fn les_enregistrements_d_un_compte_ne_prennent_pas_le_pool_des_autres() {
    let app = std::sync::Arc::new(
        TestApp::with_config(|c| {
            c.database.pool_size = 4;
            c.database.pool_timeout_ms = 1000;
            c.http.max_concurrent_writes_per_account = 2;
        })
        .await,
    );
    let (_, attaquant) = app.entreprise("en_attente").await;
    let ids: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(creer(&app, &attaquant).await);
        }
        ids
    };
    let (_, voisin) = app.entreprise("approuvee").await;
    let sien = creer(&app, &voisin).await;

    // Twelve big saves at once from one account...
    let mut saves = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        let jeton = attaquant.clone();
        let id = ids[i % ids.len()].clone();
        saves.push(tokio::spawn(async move {
            let v = version(&app, &jeton, &id).await;
            enregistrer(&app, &jeton, REGISTRE, registre(&id, v, 100, 5)).await
        }));
    }
    // ...while a neighbour keeps being served, each answer within a bound.
    let mut pire = Duration::ZERO;
    let fin = Instant::now() + Duration::from_secs(3);
    while Instant::now() < fin {
        let debut = Instant::now();
        let r = app
            .graphql(
                "query($id: ID!) { entite(id: $id) { denomination } }",
                json!({ "id": sien }),
                Some(&voisin),
            )
            .await;
        assert!(r["errors"].is_null(), "le voisin est servi : {r}");
        pire = pire.max(debut.elapsed());
    }
    let mut codes = Vec::new();
    for save in saves {
        let r = save.await.unwrap();
        codes.push(error_code(&r).map(str::to_owned));
    }
    eprintln!("voisin : pire réponse {pire:?} ; enregistrements : {codes:?}");
    assert!(pire < Duration::from_secs(2), "{pire:?}");
    // Each save either went through, lost the race for its version, or waited its turn too
    // long: never the pool's `UNAVAILABLE`.
    for code in codes.iter().flatten() {
        assert!(code == "CONFLICT" || code == "RATE_LIMITED", "{codes:?}");
    }
    assert!(codes.iter().any(Option::is_none), "{codes:?}");
}

#[tokio::test]
async fn une_requete_s_arrete_a_son_echeance_sans_rien_enregistrer() {
    let app = TestApp::with_config(|c| c.http.request_deadline_secs = 1).await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let v = version(&app, &jeton, &id).await;
    // Another transaction holds the dossier's row: the save waits on it past its deadline.
    let verrou = app.db.client().await;
    verrou.batch_execute("BEGIN").await.unwrap();
    verrou
        .execute(
            "SELECT 1 FROM entites_workflow WHERE entite_id = $1::text::uuid FOR UPDATE",
            &[&id],
        )
        .await
        .unwrap();
    let debut = Instant::now();
    let r = enregistrer(&app, &jeton, REGISTRE, registre(&id, v, 2, 1)).await;
    assert!(
        debut.elapsed() < Duration::from_secs(3),
        "{:?}",
        debut.elapsed()
    );
    assert_eq!(error_code(&r), Some("UNAVAILABLE"), "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("abandonnée"),
        "{r}"
    );
    verrou.batch_execute("ROLLBACK").await.unwrap();
    // Nothing was saved, and the service answers at once.
    assert_eq!(version(&app, &jeton, &id).await, v);
    let r = enregistrer(&app, &jeton, REGISTRE, registre(&id, v, 2, 1)).await;
    assert!(r["errors"].is_null(), "{r}");
}

const DOSSIER: &str = "subscription { dossierModifie { entiteId version } }";

/// Subscribes the operations `ids` on `client`; returns the ids refused within a short wait,
/// each with its error. The server runs a connection's operations concurrently: which of
/// them is refused is not decided by their order.
async fn souscrire(client: &mut ClientWs, ids: &[&str]) -> Vec<(String, Value)> {
    for id in ids {
        client.souscrire(id, DOSSIER, json!({})).await;
    }
    let mut refus = Vec::new();
    while let Some(message) = client.recevoir(Duration::from_millis(500)).await {
        if message["type"] == "error" || !message["payload"]["errors"].is_null() {
            refus.push((message["id"].as_str().unwrap_or("").to_owned(), message));
        }
    }
    refus
}

/// The one operation refused, for its cap (`RATE_LIMITED`).
fn un_refus(refus: Vec<(String, Value)>) -> String {
    assert_eq!(refus.len(), 1, "{refus:?}");
    let (id, message) = refus.into_iter().next().unwrap();
    assert!(message.to_string().contains("RATE_LIMITED"), "{message}");
    id
}

#[tokio::test]
async fn les_abonnements_sont_plafonnes_par_connexion_par_compte_et_par_adresse() {
    let app = TestApp::with_config(|c| {
        c.http.max_subscriptions_per_connection = 3;
        c.http.max_subscriptions_per_account = 5;
        c.http.max_websockets_per_address = 3;
    })
    .await;
    let replique = app.replique().await;
    let (_, jeton) = app.entreprise("approuvee").await;

    // Four on one connection: one too many.
    let mut premier = ClientWs::connecter(replique.adresse, &jeton).await;
    let refuse = un_refus(souscrire(&mut premier, &["1", "2", "3", "4"]).await);
    // The account's cap, over its connections: 3 + 3 is one too many.
    let mut second = ClientWs::connecter(replique.adresse, &jeton).await;
    un_refus(souscrire(&mut second, &["5", "6", "7"]).await);
    // The address's third socket is its last.
    let _troisieme = ClientWs::connecter(replique.adresse, &jeton).await;
    let statut = crate::abonnements::poignee_de_main(replique.adresse, None).await;
    assert_eq!(statut, 429);
    // A subscription ended gives its place back.
    let tenue = ["1", "2", "3", "4"]
        .into_iter()
        .find(|id| *id != refuse)
        .unwrap();
    premier
        .envoyer(json!({ "type": "complete", "id": tenue }))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(souscrire(&mut second, &["9"]).await.is_empty());
    // Another account is not concerned.
    let (_, autre) = app.entreprise("approuvee").await;
    drop(premier);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut sien = ClientWs::connecter(replique.adresse, &autre).await;
    assert!(souscrire(&mut sien, &["1", "2", "3"]).await.is_empty());
}

#[tokio::test]
async fn une_session_est_verifiee_une_fois_par_evenement_et_l_abonnement_finit_avec_son_jeton() {
    let app = TestApp::with_config(|c| {
        c.http.max_subscriptions_per_connection = 40;
        c.http.max_subscriptions_per_account = 40;
    })
    .await;
    let replique = app.replique().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let mut client = ClientWs::connecter(replique.adresse, &jeton).await;
    let ids: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert!(souscrire(&mut client, &ids).await.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;

    // One save: forty subscribers receive it, for one check of their session.
    let avant = replique.state.metrics.requetes_sql().executees();
    let v = version(&app, &jeton, &id).await;
    let r = app
        .graphql(
            "mutation($input: EnregistrerIdentificationInput!) {
                enregistrerIdentification(input: $input) { workflow { version } } }",
            json!({ "input": { "entiteId": id, "version": v, "ville": "Bouaké" } }),
            Some(&jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut recus = 0;
    while recus < 40 {
        let m = client
            .recevoir(ATTENTE)
            .await
            .expect("un événement par abonnement");
        assert_eq!(m["type"], "next", "{m}");
        recus += 1;
    }
    let requetes = replique.state.metrics.requetes_sql().executees() - avant;
    assert!(
        requetes <= 3,
        "{requetes} requêtes pour 40 abonnés d'une session"
    );

    // Past the token's fifteen minutes, each subscription ends, without any event.
    app.clock.advance(chrono::Duration::minutes(16));
    let debut = Instant::now();
    let mut finis = 0;
    while finis < 40 {
        let m = client
            .recevoir(ATTENTE)
            .await
            .expect("la fin des abonnements");
        if m["type"] == "next" {
            assert_eq!(error_code(&m["payload"]), Some("UNAUTHENTICATED"), "{m}");
            assert!(
                m["payload"]["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("expiré"),
                "{m}"
            );
        } else {
            assert_eq!(m["type"], "complete", "{m}");
            finis += 1;
        }
    }
    assert!(
        debut.elapsed() < Duration::from_secs(5),
        "{:?}",
        debut.elapsed()
    );
    // And a new one on the same connection is refused.
    client.souscrire("41", DOSSIER, json!({})).await;
    let m = client.recevoir(ATTENTE).await.unwrap();
    assert!(m.to_string().contains("UNAUTHENTICATED"), "{m}");
}
