//! Account protections turned against their owner: someone else's wrong passwords, guesses
//! through `changerMotDePasse`, and sign-up mails to an address already registered.

use chrono::Duration;
use serde_json::json;

use crate::comptes::{
    CONNEXION, MOT_DE_PASSE, RAFRAICHIR, adresse, changer, code_recu, compte_pret, graphql_from,
    inscrire, ncc, session,
};
use crate::support::{TestApp, error_code};

const INTRUS: [u8; 4] = [203, 0, 113, 9];
const PROPRIETAIRE: [u8; 4] = [198, 51, 100, 20];
const FAUX: &str = "Mauvais-Mot-2-Passe";

/// The number of mails queued for `email` with `modele`.
async fn courriels(app: &TestApp, email: &str, modele: &str) -> i64 {
    app.db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM courriels_sortants WHERE destinataire = $1 AND modele = $2",
            &[&email, &modele],
        )
        .await
        .unwrap()
        .get(0)
}

fn connexion(email: &str, mot_de_passe: &str) -> serde_json::Value {
    json!({ "input": { "email": email, "motDePasse": mot_de_passe } })
}

#[tokio::test]
async fn les_echecs_d_un_autre_client_ne_retardent_que_lui() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (acces, rafraichissement) = session(&app, &email).await;
    let inconnue = adresse("inconnue");

    // Five wrong passwords from one client, on an account and on an unknown address.
    for cible in [&email, &inconnue] {
        for _ in 0..5 {
            let reponse = graphql_from(&app, INTRUS, CONNEXION, connexion(cible, FAUX)).await;
            assert_eq!(error_code(&reponse), Some("UNAUTHENTICATED"), "{reponse}");
        }
    }
    // That client now waits, and its answer is the same for the right password, a wrong one
    // and an address without an account.
    let juste = graphql_from(&app, INTRUS, CONNEXION, connexion(&email, MOT_DE_PASSE)).await;
    let faux = graphql_from(&app, INTRUS, CONNEXION, connexion(&email, FAUX)).await;
    let sans_compte = graphql_from(&app, INTRUS, CONNEXION, connexion(&inconnue, FAUX)).await;
    assert_eq!(error_code(&juste), Some("ACCOUNT_LOCKED"), "{juste}");
    assert_eq!(juste["errors"], faux["errors"]);
    assert_eq!(
        juste["errors"][0]["message"],
        sans_compte["errors"][0]["message"]
    );
    assert_eq!(error_code(&sans_compte), Some("ACCOUNT_LOCKED"));

    // The owner keeps their session and logs in from their own client.
    let rafraichie = app
        .graphql(RAFRAICHIR, json!({ "t": rafraichissement }), None)
        .await;
    assert!(
        rafraichie["data"]["rafraichirSession"]["accessToken"].is_string(),
        "{rafraichie}"
    );
    let _ = acces;
    let proprietaire = graphql_from(
        &app,
        PROPRIETAIRE,
        CONNEXION,
        connexion(&email, MOT_DE_PASSE),
    )
    .await;
    assert!(
        ["Session", "OtpRequis"].contains(
            &proprietaire["data"]["connexion"]["__typename"]
                .as_str()
                .unwrap_or_default()
        ),
        "{proprietaire}"
    );
    // …and is told once, whatever the attempts that follow.
    assert_eq!(courriels(&app, &email, "essais_suspendus").await, 1);
    let avis: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT corps FROM courriels_sortants WHERE destinataire = $1 AND modele = 'essais_suspendus'",
            &[&email],
        )
        .await
        .unwrap()
        .get(0);
    assert!(avis.contains("« Mot de passe oublié »"), "{avis}");
    assert!(avis.contains("restent ouvertes"), "{avis}");

    // The wait grows: one minute after the 5th failure, two after the 6th.
    app.clock.advance(Duration::seconds(61));
    let sixieme = graphql_from(&app, INTRUS, CONNEXION, connexion(&email, FAUX)).await;
    assert_eq!(error_code(&sixieme), Some("UNAUTHENTICATED"), "{sixieme}");
    app.clock.advance(Duration::seconds(61));
    let encore = graphql_from(&app, INTRUS, CONNEXION, connexion(&email, MOT_DE_PASSE)).await;
    assert_eq!(error_code(&encore), Some("ACCOUNT_LOCKED"), "{encore}");
    assert_eq!(courriels(&app, &email, "essais_suspendus").await, 1);

    // The owner lifts every wait on the address with a mailed reset code.
    let oublie = "mutation($e: String!) { motDePasseOublie(email: $e) }";
    app.graphql(oublie, json!({ "e": email }), None).await;
    let code = code_recu(&app, &email).await;
    let reinitialiser =
        "mutation($i: ReinitialiserMotDePasseInput!) { reinitialiserMotDePasse(input: $i) }";
    let fait = app
        .graphql(
            reinitialiser,
            json!({ "i": { "email": email, "code": code, "nouveauMotDePasse": "Nouveau-Grand-Bassam-7" } }),
            None,
        )
        .await;
    assert_eq!(fait["data"]["reinitialiserMotDePasse"], true, "{fait}");
    let apres = graphql_from(
        &app,
        INTRUS,
        CONNEXION,
        connexion(&email, "Nouveau-Grand-Bassam-7"),
    )
    .await;
    assert!(
        apres["data"]["connexion"]["__typename"].is_string(),
        "{apres}"
    );
}

#[tokio::test]
async fn changer_mot_de_passe_compte_ses_echecs_un_essai_par_requete() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (jeton, _) = session(&app, &email).await;

    // Aliases: one attempt per request, the others refused without being tried.
    let alias = (0..5)
        .map(|i| {
            format!(
                "c{i}: changerMotDePasse(input: {{ ancienMotDePasse: \"Essai-Numero-{i}-x\", \
                 nouveauMotDePasse: \"Nouveau-Grand-Bassam-7\" }}) {{ accessToken }}"
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let reponse = app
        .graphql(&format!("mutation {{ {alias} }}"), json!({}), Some(&jeton))
        .await;
    let erreurs = reponse["errors"].as_array().unwrap();
    let essayees = erreurs
        .iter()
        .filter(|e| e["message"] == "Mot de passe actuel incorrect.")
        .count();
    assert_eq!(essayees, 1, "{reponse}");

    // Wrong current passwords count like login failures: after the threshold, this client
    // waits, even with the right one.
    for _ in 0..4 {
        let faux = changer(&app, &jeton, FAUX, "Nouveau-Grand-Bassam-7").await;
        assert_eq!(
            faux["errors"][0]["extensions"]["field"], "input.ancienMotDePasse",
            "{faux}"
        );
    }
    let juste = changer(&app, &jeton, MOT_DE_PASSE, "Nouveau-Grand-Bassam-7").await;
    assert_eq!(error_code(&juste), Some("ACCOUNT_LOCKED"), "{juste}");
    app.clock.advance(Duration::seconds(61));
    let juste = changer(&app, &jeton, MOT_DE_PASSE, "Nouveau-Grand-Bassam-7").await;
    assert!(
        juste["data"]["changerMotDePasse"]["accessToken"].is_string(),
        "{juste}"
    );
}

#[tokio::test]
async fn une_inscription_repetee_previent_le_proprietaire_une_fois_par_jour() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    for _ in 0..3 {
        inscrire(&app, &email, &ncc()).await;
    }
    assert_eq!(courriels(&app, &email, "inscription_deja_faite").await, 1);
    app.clock.advance(Duration::hours(25));
    inscrire(&app, &email, &ncc()).await;
    assert_eq!(courriels(&app, &email, "inscription_deja_faite").await, 2);
}

#[tokio::test]
async fn mot_de_passe_oublie_fait_le_meme_travail_avec_ou_sans_compte() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let inconnue = adresse("inconnue");
    let oublie = "mutation($e: String!) { motDePasseOublie(email: $e) }";
    app.distribuer_courriels().await;
    // The SQL a request sends before its answer: the same with and without an account (the
    // look-up and the code come after the answer).
    let mut pendant = Vec::new();
    for cible in [&email, &inconnue, &email, &inconnue] {
        let avant = app.requetes_sql();
        let reponse = app.graphql(oublie, json!({ "e": cible }), None).await;
        pendant.push(app.requetes_sql() - avant);
        assert_eq!(reponse, json!({ "data": { "motDePasseOublie": true } }));
        app.distribuer_courriels().await;
    }
    assert!(pendant.iter().all(|n| *n == pendant[0]), "{pendant:?}");
    // The owner still gets their code; the unknown address gets nothing.
    assert!(courriels(&app, &email, "otp_reinitialisation").await >= 1);
    assert_eq!(courriels(&app, &inconnue, "otp_reinitialisation").await, 0);
    let _ = code_recu(&app, &email).await;
}
