//! The correspondant's annual activity report: filed by the company through a multipart
//! request, reviewed by ARTCI (sent back, filed again, accepted), reminded and marked late by
//! the deadline job with a moved clock, listed late, and the refusals.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::jobs::echeances;
use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::{TestApp, error_code, ncc};

const PDF: &[u8] = b"%PDF-1.4\n% rapport annuel\n%%EOF\n";

const DEPOSER: &str = "mutation($input: DeposerRapportActiviteInput!) {
    deposerRapportActivite(input: $input) { id annee statut commentaire
        document { typeDocument } entite { id } } }";

const EXAMINER: &str = "mutation($input: ExaminerRapportActiviteInput!) {
    examinerRapportActivite(input: $input) { id statut commentaire dateExamen
        examinePar { id } } }";

const LISTE: &str = "query($filtre: FiltreRapportsActiviteInput) {
    rapportsActivite(filtre: $filtre) { totalCount edges { node {
        annee enRetard entite { id } rapport { id statut } } } } }";

fn instant(a: i32, m: u32, j: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(a, m, j, 8, 0, 0).unwrap()
}

/// An entity of a new vetted company, its dossier in `statut` (validated on 1 June 2026 when
/// approved), set up in SQL; returns the entity, the company's e-mail and a token.
async fn entite(app: &TestApp, statut: &str) -> (Uuid, String, String) {
    let (compte, jeton) = app.entreprise("approuvee").await;
    let client = app.db.client().await;
    let email: String = client
        .query_one(
            "SELECT email FROM comptes_entreprises WHERE id = $1",
            &[&compte],
        )
        .await
        .unwrap()
        .get(0);
    let entite: Uuid = client
        .query_one(
            "WITH b AS (
                 INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region,
                     compte_entreprise_id)
                 VALUES ($1, 'Banque de Cocody', 'banque_finance', 'abidjan', $2) RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, date_validation,
                     date_expiration)
                 SELECT id, $3::text::statut_workflow,
                     CASE WHEN $3::text IN ('valide', 'publie')
                          THEN '2026-06-01T09:00:00Z'::timestamptz END,
                     CASE WHEN $3::text IN ('valide', 'publie') THEN '2028-06-01'::date END
                 FROM b),
             c AS (
                 INSERT INTO entites_conformite (entite_id, statut_conformite)
                 SELECT id, 'conforme' FROM b)
             SELECT id FROM b",
            &[&ncc(), &compte, &statut],
        )
        .await
        .unwrap()
        .get(0);
    (entite, email, jeton)
}

/// The templates of the mails queued for `email`, oldest first.
async fn modeles(app: &TestApp, email: &str) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT modele FROM courriels_sortants WHERE destinataire = $1
             ORDER BY created_at, id",
            &[&email],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

async fn deposer(app: &TestApp, jeton: &str, entite: Uuid, annee: i32) -> Value {
    let r = app
        .graphql_multipart(
            DEPOSER,
            json!({ "input": { "entiteId": entite, "annee": annee, "fichier": null } }),
            "variables.input.fichier",
            "rapport-2026.pdf",
            "application/pdf",
            PDF,
            Some(jeton),
        )
        .await;
    r.json()
}

async fn examiner(
    app: &TestApp,
    jeton: &str,
    rapport: &str,
    statut: &str,
    commentaire: Value,
) -> Value {
    app.graphql(
        EXAMINER,
        json!({ "input": { "rapportId": rapport, "statut": statut, "commentaire": commentaire } }),
        Some(jeton),
    )
    .await
}

fn ok(r: &Value) -> &Value {
    assert!(r["errors"].is_null(), "{r}");
    &r["data"]
}

fn champ(r: &Value) -> Option<&str> {
    r["errors"][0]["extensions"]["field"].as_str()
}

#[tokio::test]
async fn le_rapport_est_depose_renvoye_corrige_puis_accepte() {
    let app = TestApp::new().await;
    app.clock.set(instant(2027, 2, 10));
    let (id, email, jeton) = entite(&app, "publie").await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;

    let r = deposer(&app, &jeton, id, 2026).await;
    let rapport = &ok(&r)["deposerRapportActivite"];
    assert_eq!(rapport["statut"], "SOUMIS");
    assert_eq!(rapport["annee"], 2026);
    assert_eq!(rapport["document"]["typeDocument"], "RAPPORT_ACTIVITE");
    let premier = rapport["id"].as_str().unwrap().to_owned();
    // One waiting per entity and year.
    let r = deposer(&app, &jeton, id, 2026).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // Sending back needs a comment.
    let r = examiner(&app, &editeur, &premier, "A_CORRIGER", json!("  ")).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(champ(&r), Some("input.commentaire"));
    let r = examiner(
        &app,
        &editeur,
        &premier,
        "A_CORRIGER",
        json!("Le bilan des demandes manque."),
    )
    .await;
    assert_eq!(ok(&r)["examinerRapportActivite"]["statut"], "A_CORRIGER");
    // Reviewed once only.
    let r = examiner(&app, &editeur, &premier, "ACCEPTE", Value::Null).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // The company files again, a little later; accepted this time.
    app.clock
        .set(instant(2027, 2, 10) + chrono::Duration::minutes(5));
    let r = deposer(&app, &jeton, id, 2026).await;
    let second = ok(&r)["deposerRapportActivite"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = examiner(&app, &editeur, &second, "ACCEPTE", Value::Null).await;
    let examine = &ok(&r)["examinerRapportActivite"];
    assert_eq!(examine["statut"], "ACCEPTE");
    assert!(examine["examinePar"]["id"].is_string());
    // Nothing more to file for that year.
    let r = deposer(&app, &jeton, id, 2026).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // Queued at one clock instant: compared in any order.
    let mut recus = modeles(&app, &email).await;
    recus.sort();
    assert_eq!(
        recus,
        [
            "rapport_activite_a_corriger",
            "rapport_activite_accepte",
            "rapport_activite_recu",
            "rapport_activite_recu"
        ]
    );

    // The company lists its own reports, oldest first.
    let r = app
        .graphql(LISTE, json!({ "filtre": { "annee": 2026 } }), Some(&jeton))
        .await;
    let liste = &ok(&r)["rapportsActivite"];
    assert_eq!(liste["totalCount"], 2);
    assert_eq!(liste["edges"][0]["node"]["rapport"]["statut"], "A_CORRIGER");
    assert_eq!(liste["edges"][1]["node"]["rapport"]["statut"], "ACCEPTE");
    assert_eq!(liste["edges"][0]["node"]["enRetard"], false);
}

#[tokio::test]
async fn les_rappels_partent_une_fois_puis_l_avis_de_retard() {
    let app = TestApp::new().await;
    let (sans_rapport, email, _) = entite(&app, "valide").await;
    let (avec_rapport, email_depose, jeton_depose) = entite(&app, "publie").await;
    let (_, email_brouillon, _) = entite(&app, "brouillon").await;

    app.clock.set(instant(2027, 1, 15));
    // A fresh token at the moved clock.
    drop(jeton_depose);
    let client = app.db.client().await;
    let compte: Uuid = client
        .query_one(
            "SELECT compte_entreprise_id FROM entites_base WHERE id = $1",
            &[&avec_rapport],
        )
        .await
        .unwrap()
        .get(0);
    let jeton = app.token_for(Titulaire::Compte(compte)).await;
    ok(&deposer(&app, &jeton, avec_rapport, 2026).await);
    // Nothing before the first reminder.
    echeances::run(&app.state).await.unwrap();
    assert!(modeles(&app, &email).await.is_empty());

    for (jour, attendu) in [
        (instant(2027, 3, 1), vec!["rapport_activite_rappel"]),
        (
            instant(2027, 3, 25),
            vec!["rapport_activite_rappel", "rapport_activite_rappel"],
        ),
        (
            instant(2027, 4, 1),
            vec![
                "rapport_activite_rappel",
                "rapport_activite_rappel",
                "rapport_activite_retard",
            ],
        ),
    ] {
        app.clock.set(jour);
        echeances::run(&app.state).await.unwrap();
        assert_eq!(modeles(&app, &email).await, attendu, "{jour}");
        // A second pass sends nothing more.
        echeances::run(&app.state).await.unwrap();
        assert_eq!(modeles(&app, &email).await, attendu, "{jour}");
    }
    // The entity that filed and the draft are never reminded.
    assert_eq!(
        modeles(&app, &email_depose).await,
        ["rapport_activite_recu"]
    );
    assert!(modeles(&app, &email_brouillon).await.is_empty());

    // Staff list the late ones, and the dashboard counts them.
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let r = app
        .graphql(
            LISTE,
            json!({ "filtre": { "enRetard": true } }),
            Some(&lecteur),
        )
        .await;
    let liste = &ok(&r)["rapportsActivite"];
    assert_eq!(liste["totalCount"], 1, "{liste}");
    let ligne = &liste["edges"][0]["node"];
    assert_eq!(ligne["entite"]["id"], sans_rapport.to_string());
    assert_eq!(ligne["annee"], 2026);
    assert_eq!(ligne["enRetard"], true);
    assert!(ligne["rapport"].is_null());

    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let r = app
        .graphql(
            "{ tableauDeBord(periode: { type: ANNEE }) {
                rapportsActivite { annee recus acceptes enRetard } delaisDepasses } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        ok(&r)["tableauDeBord"]["rapportsActivite"],
        json!({ "annee": 2026, "recus": 1, "acceptes": 0, "enRetard": 1 })
    );
}

#[tokio::test]
async fn les_refus_du_rapport_d_activite() {
    let app = TestApp::new().await;
    app.clock.set(instant(2027, 2, 10));
    let (id, _, jeton) = entite(&app, "valide").await;
    let (_, _, autre) = entite(&app, "valide").await;
    let (brouillon, _, jeton_brouillon) = entite(&app, "brouillon").await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;

    // The current year, or a future one.
    for annee in [2027, 2030] {
        let r = deposer(&app, &jeton, id, annee).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(champ(&r), Some("input.annee"));
    }
    // Another company's entity is not found.
    let r = deposer(&app, &autre, id, 2026).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    // A dossier not approved.
    let r = deposer(&app, &jeton_brouillon, brouillon, 2026).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    // Staff do not file.
    let r = deposer(&app, &lecteur, id, 2026).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");

    let r = deposer(&app, &jeton, id, 2026).await;
    let rapport = ok(&r)["deposerRapportActivite"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A reader reads but never reviews; a company never reviews.
    let r = examiner(&app, &lecteur, &rapport, "ACCEPTE", Value::Null).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = examiner(&app, &jeton, &rapport, "ACCEPTE", Value::Null).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app.graphql(LISTE, json!({}), Some(&lecteur)).await;
    assert_eq!(ok(&r)["rapportsActivite"]["totalCount"], 1);
    // The other company sees none of it, and never reaches that entity's reports.
    let r = app.graphql(LISTE, json!({}), Some(&autre)).await;
    assert_eq!(ok(&r)["rapportsActivite"]["totalCount"], 0);
    let r = app
        .graphql(LISTE, json!({ "filtre": { "entiteId": id } }), Some(&autre))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = app
        .graphql(LISTE, json!({ "filtre": { "entiteId": id } }), Some(&jeton))
        .await;
    assert_eq!(ok(&r)["rapportsActivite"]["totalCount"], 1);
    // A review is ACCEPTE or A_CORRIGER.
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let r = examiner(&app, &editeur, &rapport, "SOUMIS", Value::Null).await;
    assert_eq!(champ(&r), Some("input.statut"), "{r}");
    // An unknown report.
    let r = examiner(
        &app,
        &editeur,
        &Uuid::new_v4().to_string(),
        "ACCEPTE",
        Value::Null,
    )
    .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
}

#[tokio::test]
async fn deux_examens_simultanes_un_seul_gagne() {
    let app = TestApp::new().await;
    app.clock.set(instant(2027, 2, 10));
    let (id, _, jeton) = entite(&app, "valide").await;
    let (_, a) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, b) = app.staff(RoleUtilisateur::Admin).await;
    let r = deposer(&app, &jeton, id, 2026).await;
    let rapport = ok(&r)["deposerRapportActivite"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (ra, rb) = tokio::join!(
        examiner(&app, &a, &rapport, "ACCEPTE", Value::Null),
        examiner(&app, &b, &rapport, "A_CORRIGER", json!("Incomplet.")),
    );
    let codes: Vec<Option<&str>> = vec![error_code(&ra), error_code(&rb)];
    assert!(
        codes.contains(&None) && codes.contains(&Some("CONFLICT")),
        "{ra} {rb}"
    );
}
