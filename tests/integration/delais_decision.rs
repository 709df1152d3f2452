//! ARTCI's decision deadline: extended once per submission by an admin (the company told,
//! the history written), alerted once per submission to every active admin by the deadline
//! job, filtered in the staff list and counted on the dashboard.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::jobs::echeances;
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::{TestApp, error_code, ncc};

const PROLONGER: &str = "mutation($input: ProlongerDelaiDecisionInput!) {
    prolongerDelaiDecision(input: $input) { id workflow { statut dateLimiteDecision
        delaiProlonge motifProlongation } } }";

/// A submitted dossier (in `statut`), its decision due on `limite`; returns the entity and
/// the company's e-mail.
async fn dossier_soumis(app: &TestApp, statut: &str, limite: &str) -> (Uuid, String) {
    let (compte, _) = app.entreprise("approuvee").await;
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
                 VALUES ($1, 'Assurances du Golfe', 'assurance', 'abidjan', $2) RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, date_soumission,
                     date_limite_decision, date_validation, date_expiration)
                 SELECT id, $3::text::statut_workflow, '2026-11-02T10:00:00Z',
                     $4::text::date,
                     CASE WHEN $3::text = 'valide' THEN '2026-11-25T10:00:00Z'::timestamptz END,
                     CASE WHEN $3::text = 'valide' THEN '2028-11-25'::date END
                 FROM b),
             c AS (
                 INSERT INTO entites_conformite (entite_id, statut_conformite)
                 SELECT id, 'demarche_en_cours' FROM b)
             SELECT id FROM b",
            &[&ncc(), &compte, &statut, &limite],
        )
        .await
        .unwrap()
        .get(0);
    (entite, email)
}

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

async fn email_de(app: &TestApp, id: Uuid) -> String {
    app.db
        .client()
        .await
        .query_one("SELECT email FROM users WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0)
}

fn ok(r: &Value) -> &Value {
    assert!(r["errors"].is_null(), "{r}");
    &r["data"]
}

async fn prolonger(app: &TestApp, jeton: &str, entite: Uuid, motif: Value) -> Value {
    app.graphql(
        PROLONGER,
        json!({ "input": { "entiteId": entite, "motif": motif } }),
        Some(jeton),
    )
    .await
}

#[tokio::test]
async fn le_delai_se_prolonge_une_fois_par_soumission() {
    let app = TestApp::new().await;
    let (id, email) = dossier_soumis(&app, "en_verification", "2026-12-02").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, entreprise) = app.entreprise("approuvee").await;

    for jeton in [&editeur, &lecteur, &entreprise] {
        let r = prolonger(&app, jeton, id, json!("Dossier volumineux.")).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    }
    for motif in [Value::Null, json!("   ")] {
        let r = prolonger(&app, &admin, id, motif).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "input.motif");
    }
    let r = prolonger(&app, &admin, Uuid::new_v4(), json!("Motif.")).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");

    let r = prolonger(
        &app,
        &admin,
        id,
        json!("Transferts hors CEDEAO à instruire."),
    )
    .await;
    assert_eq!(
        ok(&r)["prolongerDelaiDecision"]["workflow"]["dateLimiteDecision"],
        "2027-01-02"
    );
    assert_eq!(modeles(&app, &email).await, ["delai_decision_prolonge"]);
    let lignes: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM historique_statuts WHERE entite_id = $1
               AND commentaire LIKE 'Délai de décision prolongé jusqu''au 02/01/2027.%'",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(lignes, 1);

    // Once per submission.
    let r = prolonger(&app, &admin, id, json!("Encore.")).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    // A new submission allows a new extension.
    app.db
        .client()
        .await
        .execute(
            "UPDATE entites_workflow SET date_soumission = '2026-11-20T10:00:00Z'
             WHERE entite_id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let r = prolonger(&app, &admin, id, json!("Compléments reçus tardivement.")).await;
    assert_eq!(
        ok(&r)["prolongerDelaiDecision"]["workflow"]["dateLimiteDecision"],
        "2027-02-02"
    );
    // A dossier that awaits no decision.
    let (brouillon, _) = dossier_soumis(&app, "valide", "2026-12-02").await;
    let r = prolonger(&app, &admin, brouillon, json!("Motif.")).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
}

#[tokio::test]
async fn un_delai_depasse_alerte_chaque_administrateur_une_fois() {
    let app = TestApp::new().await;
    let (depasse, _) = dossier_soumis(&app, "soumis", "2026-11-30").await;
    let (_, _) = dossier_soumis(&app, "en_attente_complements", "2026-12-31").await;
    let (decide, _) = dossier_soumis(&app, "valide", "2026-11-30").await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let (super_id, _) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (inactif_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let (editeur_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET est_actif = false WHERE id = $1",
            &[&inactif_id],
        )
        .await
        .unwrap();

    // The deadline day itself is not past.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap());
    echeances::run(&app.state).await.unwrap();
    assert!(
        modeles(&app, &email_de(&app, admin_id).await)
            .await
            .is_empty()
    );

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap());
    for _ in 0..2 {
        echeances::run(&app.state).await.unwrap();
        for id in [admin_id, super_id] {
            assert_eq!(
                modeles(&app, &email_de(&app, id).await).await,
                ["delai_decision_depasse"]
            );
        }
        for id in [inactif_id, editeur_id] {
            assert!(modeles(&app, &email_de(&app, id).await).await.is_empty());
        }
    }

    // The staff list filters it, the dashboard counts it.
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let r = app
        .graphql(
            "{ entites(filtre: { delaiDepasse: true }) { totalCount edges { node { id } } } }",
            json!({}),
            Some(&lecteur),
        )
        .await;
    let liste = &ok(&r)["entites"];
    assert_eq!(liste["totalCount"], 1, "{liste}");
    assert_eq!(liste["edges"][0]["node"]["id"], depasse.to_string());
    assert_ne!(liste["edges"][0]["node"]["id"], decide.to_string());
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let r = app
        .graphql(
            "{ tableauDeBord(periode: { type: MOIS }) { delaisDepasses } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(ok(&r)["tableauDeBord"]["delaisDepasses"], 1);
}
