//! Renewals of an approval: the company's request, the admin's decision (the approval's new
//! end, the history, the mails), who may do what, and the deadline job's reminders 3 months
//! and 1 month before the end, with a moved clock.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::jobs::echeances;
use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::dossiers::dossier_decide;
use crate::support::{TestApp, error_code, historique};

const DEMANDER: &str = "mutation($input: DemanderRenouvellementInput!) {
    demanderRenouvellement(input: $input) {
        id statut dateExpirationAgrement nouvelleDateExpiration motif commentaire
        entite { id } } }";

const TRAITER: &str = "mutation($input: TraiterRenouvellementInput!) {
    traiterRenouvellement(input: $input) {
        id statut dateExpirationAgrement nouvelleDateExpiration commentaire dateTraitement
        traitePar { id } entite { id workflow { statut dateExpiration } } } }";

const LISTE: &str = "query($entiteId: ID, $statut: StatutRenouvellement) {
    renouvellements(entiteId: $entiteId, statut: $statut) {
        totalCount nodes { id statut entite { id } } } }";

/// A company's entity validated on 2026-11-23: its approval ends on 2028-11-23.
struct Agrement {
    email: String,
    compte: Uuid,
    admin: Uuid,
    id: String,
}

impl Agrement {
    /// A token of the company, valid at the clock's now.
    async fn entreprise(&self, app: &TestApp) -> String {
        app.token_for(Titulaire::Compte(self.compte)).await
    }

    /// A token of the admin, valid at the clock's now.
    async fn admin(&self, app: &TestApp) -> String {
        app.token_for(Titulaire::Agent(self.admin)).await
    }
}

async fn agrement(app: &TestApp) -> Agrement {
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(app, &entreprise, "CONFORME", json!({})).await;
    let r = app
        .graphql(
            "mutation($id: ID!) { validerDossier(entiteId: $id) { workflow { dateExpiration } } }",
            json!({ "id": id }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        r["data"]["validerDossier"]["workflow"]["dateExpiration"], "2028-11-23",
        "{r}"
    );
    let email: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT email FROM comptes_entreprises WHERE id = $1",
            &[&compte],
        )
        .await
        .unwrap()
        .get(0);
    Agrement {
        email,
        compte,
        admin: admin_id,
        id,
    }
}

async fn demander(app: &TestApp, jeton: &str, id: &str, motif: Option<&str>) -> Value {
    app.graphql(
        DEMANDER,
        json!({ "input": { "entiteId": id, "motif": motif } }),
        Some(jeton),
    )
    .await
}

async fn traiter(
    app: &TestApp,
    jeton: &str,
    id: &str,
    approuver: bool,
    commentaire: Option<&str>,
) -> Value {
    app.graphql(
        TRAITER,
        json!({ "input": {
            "renouvellementId": id, "approuver": approuver, "commentaire": commentaire } }),
        Some(jeton),
    )
    .await
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

fn nombre(modeles: &[String], modele: &str) -> usize {
    modeles.iter().filter(|m| *m == modele).count()
}

/// The entity's history lines about renewals: (ancien, nouveau, commentaire).
async fn historique(app: &TestApp, jeton: &str, id: &str) -> Vec<(Value, Value, Value)> {
    historique::lire(app, jeton, id)
        .await
        .iter()
        .filter(|l| l["objet"] == "RENOUVELLEMENT")
        .map(|l| {
            (
                l["ancienStatut"].clone(),
                l["nouveauStatut"].clone(),
                l["commentaire"].clone(),
            )
        })
        .collect()
}

fn a_la_date(app: &TestApp, jour: NaiveDate) {
    app.clock
        .set(Utc.from_utc_datetime(&jour.and_hms_opt(6, 0, 0).unwrap()));
}

fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, j).unwrap()
}

#[tokio::test]
async fn l_entreprise_demande_et_l_administrateur_prolonge_l_agrement() {
    let app = TestApp::new().await;
    let a = agrement(&app).await;
    let (email, id) = (&a.email, &a.id);
    let entreprise = a.entreprise(&app).await;
    let admin = a.admin(&app).await;

    let r = demander(&app, &entreprise, id, Some("  Activité inchangée.  ")).await;
    let demande = &r["data"]["demanderRenouvellement"];
    assert_eq!(demande["statut"], "EN_ATTENTE", "{r}");
    assert_eq!(demande["dateExpirationAgrement"], "2028-11-23");
    assert_eq!(demande["motif"], "Activité inchangée.");
    assert!(demande["nouvelleDateExpiration"].is_null());
    let renouvellement = demande["id"].as_str().unwrap().to_owned();
    assert_eq!(
        nombre(&modeles(&app, email).await, "renouvellement_demande_recue"),
        1
    );
    // One request waits at a time.
    let r = demander(&app, &entreprise, id, None).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // The company and staff list it.
    for jeton in [&entreprise, &admin] {
        let r = app
            .graphql(LISTE, json!({ "statut": "EN_ATTENTE" }), Some(jeton))
            .await;
        assert_eq!(r["data"]["renouvellements"]["totalCount"], 1, "{r}");
        assert_eq!(
            r["data"]["renouvellements"]["nodes"][0]["id"],
            renouvellement.as_str()
        );
    }

    // Approved a month later: the approval runs 24 months from its current end.
    app.clock.advance(Duration::days(30));
    let (entreprise, admin) = (a.entreprise(&app).await, a.admin(&app).await);
    let r = traiter(&app, &admin, &renouvellement, true, None).await;
    let traite = &r["data"]["traiterRenouvellement"];
    assert_eq!(traite["statut"], "APPROUVE", "{r}");
    assert_eq!(traite["nouvelleDateExpiration"], "2030-11-23");
    assert_eq!(traite["entite"]["workflow"]["dateExpiration"], "2030-11-23");
    assert_eq!(traite["entite"]["workflow"]["statut"], "VALIDE");
    assert!(traite["traitePar"]["id"].is_string());
    assert!(
        traite["dateTraitement"]
            .as_str()
            .is_some_and(|d| d.starts_with("2026-12-23")),
        "{r}"
    );
    assert_eq!(
        nombre(&modeles(&app, email).await, "renouvellement_approuve"),
        1
    );
    let lignes = historique(&app, &entreprise, id).await;
    assert_eq!(lignes.len(), 2, "{lignes:?}");
    assert_eq!(lignes[0].0, Value::Null);
    assert_eq!(lignes[0].1, "en_attente");
    assert_eq!(lignes[1].0, "en_attente");
    assert_eq!(lignes[1].1, "approuve");
    assert!(
        lignes[1]
            .2
            .as_str()
            .is_some_and(|c| c.contains("23/11/2030")),
        "{lignes:?}"
    );
    // Decided once.
    let r = traiter(&app, &admin, &renouvellement, false, Some("Non.")).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // The company never learns who decided.
    let r = app
        .graphql(
            "query { renouvellements { nodes { traitePar { id } } } }",
            json!({}),
            Some(&entreprise),
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
}

#[tokio::test]
async fn un_rejet_exige_un_commentaire_et_laisse_l_agrement_intact() {
    let app = TestApp::new().await;
    let a = agrement(&app).await;
    let (email, id) = (&a.email, &a.id);
    let entreprise = a.entreprise(&app).await;
    let admin = a.admin(&app).await;
    let r = demander(&app, &entreprise, id, None).await;
    let renouvellement = r["data"]["demanderRenouvellement"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = traiter(&app, &admin, &renouvellement, false, Some("   ")).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.commentaire");
    // Only admins decide.
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    for jeton in [&editeur, &entreprise] {
        let r = traiter(&app, jeton, &renouvellement, true, None).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    }
    assert_eq!(historique(&app, &entreprise, id).await.len(), 1);

    let r = traiter(
        &app,
        &admin,
        &renouvellement,
        false,
        Some("Registre non tenu à jour."),
    )
    .await;
    let traite = &r["data"]["traiterRenouvellement"];
    assert_eq!(traite["statut"], "REJETE", "{r}");
    assert_eq!(traite["commentaire"], "Registre non tenu à jour.");
    assert_eq!(traite["entite"]["workflow"]["dateExpiration"], "2028-11-23");
    assert_eq!(
        nombre(&modeles(&app, email).await, "renouvellement_rejete"),
        1
    );
    let lignes = historique(&app, &entreprise, id).await;
    assert_eq!(lignes.last().unwrap().1, "rejete");
    // A new request is possible once the previous one is decided.
    let r = demander(&app, &entreprise, id, None).await;
    assert_eq!(
        r["data"]["demanderRenouvellement"]["statut"], "EN_ATTENTE",
        "{r}"
    );
}

#[tokio::test]
async fn seule_l_entreprise_d_un_agrement_en_cours_demande() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (autre_id, autre) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    // Compliant but not validated yet: no approval to renew.
    let conforme = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let r = demander(&app, &entreprise, &conforme, None).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    let a = agrement(&app).await;
    let (entreprise2, valide) = (a.entreprise(&app).await, a.id.clone());
    // Another company does not even learn the entity exists; staff do not request.
    let r = demander(&app, &autre, &valide, None).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = demander(&app, &admin, &valide, None).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app
        .graphql(LISTE, json!({ "entiteId": valide }), Some(&autre))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = demander(&app, &entreprise2, "pas-un-id", None).await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "input.entiteId",
        "{r}"
    );

    // After its end, the approval cannot be renewed any more.
    a_la_date(&app, jour(2028, 11, 24));
    let r = demander(&app, &a.entreprise(&app).await, &valide, None).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    // Nothing was written by the refusals.
    let n: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM renouvellements", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    // Another company's list is empty.
    let r = app
        .graphql(
            LISTE,
            json!({}),
            Some(&app.token_for(Titulaire::Compte(autre_id)).await),
        )
        .await;
    assert_eq!(r["data"]["renouvellements"]["totalCount"], 0, "{r}");
}

#[tokio::test]
async fn la_tache_rappelle_a_trois_mois_puis_a_un_mois_puis_expire() {
    let app = TestApp::new().await;
    let a = agrement(&app).await;
    let (email, id) = (&a.email, &a.id);
    let rappels = async || nombre(&modeles(&app, email).await, "renouvellement_rappel");

    // The end (2028-11-23) is more than 3 months away.
    a_la_date(&app, jour(2028, 8, 22));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 0);
    // Three months before: one reminder, once.
    a_la_date(&app, jour(2028, 8, 23));
    echeances::run(&app.state).await.unwrap();
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 1);
    a_la_date(&app, jour(2028, 10, 22));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 1);
    // One month before: the second, once.
    a_la_date(&app, jour(2028, 10, 23));
    echeances::run(&app.state).await.unwrap();
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 2);
    let corps: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT corps FROM courriels_sortants
              WHERE destinataire = $1 AND modele = 'renouvellement_rappel'
              ORDER BY created_at DESC LIMIT 1",
            &[&email],
        )
        .await
        .unwrap()
        .get(0);
    assert!(corps.contains("23 novembre 2028"), "{corps}");

    // A request filed late is still open when the approval ends: the dossier expires and
    // the request is closed with the reason.
    a_la_date(&app, jour(2028, 11, 20));
    let r = demander(&app, &a.entreprise(&app).await, id, None).await;
    assert!(r["errors"].is_null(), "{r}");
    a_la_date(&app, jour(2028, 11, 23));
    echeances::run(&app.state).await.unwrap();
    let statut = async || {
        let jeton = a.entreprise(&app).await;
        app.graphql(
            "query($id: ID!) { entite(id: $id) { workflow { statut } } }",
            json!({ "id": id }),
            Some(&jeton),
        )
        .await["data"]["entite"]["workflow"]["statut"]
            .clone()
    };
    assert_eq!(statut().await, "VALIDE");
    a_la_date(&app, jour(2028, 11, 24));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(statut().await, "EXPIRE");
    let entreprise = a.entreprise(&app).await;
    let r = app.graphql(LISTE, json!({}), Some(&entreprise)).await;
    assert_eq!(
        r["data"]["renouvellements"]["nodes"][0]["statut"], "REJETE",
        "{r}"
    );
    let lignes = historique(&app, &entreprise, id).await;
    assert_eq!(lignes.last().unwrap().1, "rejete", "{lignes:?}");
    assert_eq!(rappels().await, 2);
}

#[tokio::test]
async fn un_renouvellement_approuve_repousse_rappels_et_expiration() {
    let app = TestApp::new().await;
    let a = agrement(&app).await;
    let (email, id) = (&a.email, &a.id);
    let rappels = async || nombre(&modeles(&app, email).await, "renouvellement_rappel");
    a_la_date(&app, jour(2028, 8, 23));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 1);
    // An open request stops the reminders.
    let r = demander(&app, &a.entreprise(&app).await, id, None).await;
    let renouvellement = r["data"]["demanderRenouvellement"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    a_la_date(&app, jour(2028, 10, 23));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 1);
    let admin = a.admin(&app).await;
    let r = traiter(&app, &admin, &renouvellement, true, Some("Bon suivi.")).await;
    assert_eq!(
        r["data"]["traiterRenouvellement"]["nouvelleDateExpiration"], "2030-11-23",
        "{r}"
    );
    // The old end passes: still valid, no reminder for the new end yet.
    a_la_date(&app, jour(2028, 11, 24));
    echeances::run(&app.state).await.unwrap();
    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { workflow { statut dateExpiration } } }",
            json!({ "id": id }),
            Some(&a.entreprise(&app).await),
        )
        .await;
    assert_eq!(r["data"]["entite"]["workflow"]["statut"], "VALIDE", "{r}");
    assert_eq!(rappels().await, 1);
    // The new end has its own reminders.
    a_la_date(&app, jour(2030, 8, 23));
    echeances::run(&app.state).await.unwrap();
    assert_eq!(rappels().await, 2);
}

/// The entity of an unknown id: NOT_FOUND, for a renewal too.
#[tokio::test]
async fn un_renouvellement_inconnu_est_introuvable() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let r = traiter(&app, &admin, &Uuid::new_v4().to_string(), true, None).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
}
