//! ARTCI's dashboard (`tableauDeBord`): the dossiers submitted in a period by status, region
//! and sector, each agent's workload, the periods' bounds, who may read it, and its cost.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::dossiers::{CREER, remplir, soumettre};
use crate::support::{TestApp, error_code, ncc};

const TABLEAU: &str = "query($periode: PeriodeInput!) { tableauDeBord(periode: $periode) {
    periode { debut fin } total
    parStatut { statut nombre }
    parStatutConformite { statut nombre }
    parRegion { region nombre }
    parSecteur { secteur nombre }
    parAgent { agent { id nom prenom role estActif }
      enCours enRetard attenteValidation assigneesSurPeriode traiteesSurPeriode } } }";
const ASSIGNER: &str = "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) {
    id } }";
const FEEDBACK: &str = "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) {
    id statut } }";
const VALIDER: &str = "mutation($input: ValiderTraitementInput!) {
    validerTraitement(input: $input) { id statut } }";

fn instant(annee: i32, mois: u32, jour: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(annee, mois, jour, h, m, s).unwrap()
}

/// Moves the clock and returns fresh tokens for these holders (access tokens live 15
/// minutes of the clock).
async fn aller_au(app: &TestApp, quand: DateTime<Utc>, titulaires: &[Titulaire]) -> Vec<String> {
    app.clock.set(quand);
    let mut jetons = Vec::new();
    for t in titulaires {
        jetons.push(app.token_for(*t).await);
    }
    jetons
}

/// A new dossier of `jeton` in `region` and `secteur`, filled and submitted now.
async fn soumis(app: &TestApp, jeton: &str, region: &str, secteur: &str) -> String {
    let r = app
        .graphql(
            CREER,
            json!({ "input": { "numeroCc": ncc(), "denomination": "Société du tableau",
                "secteurActivite": secteur, "region": region } }),
            Some(jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let id = r["data"]["creerEntite"]["id"].as_str().unwrap().to_owned();
    remplir(app, jeton, &id).await;
    let r = soumettre(app, jeton, &id).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"], "SOUMIS",
        "{r}"
    );
    id
}

async fn ok(app: &TestApp, requete: &str, variables: Value, jeton: &str) -> Value {
    let r = app.graphql(requete, variables, Some(jeton)).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"].clone()
}

async fn assigner(app: &TestApp, admin: &str, entite: &str, agent: Uuid, echeance: &str) -> String {
    let d = ok(
        app,
        ASSIGNER,
        json!({ "input": { "entiteId": entite, "agentId": agent, "echeance": echeance } }),
        admin,
    )
    .await;
    d["assignerDemande"]["id"].as_str().unwrap().to_owned()
}

async fn proposer(app: &TestApp, agent: &str, assignation: &str) {
    let d = ok(
        app,
        FEEDBACK,
        json!({ "input": { "assignationId": assignation, "decisionProposee": "CONFORME" } }),
        agent,
    )
    .await;
    assert_eq!(
        d["ajouterFeedback"]["statut"], "TRAITE_ATTENTE_VALIDATION",
        "{d}"
    );
}

async fn valider(app: &TestApp, admin: &str, assignation: &str) {
    let d = ok(
        app,
        VALIDER,
        json!({ "input": { "assignationId": assignation, "accepter": true } }),
        admin,
    )
    .await;
    assert_eq!(d["validerTraitement"]["statut"], "VALIDE", "{d}");
}

async fn tableau(app: &TestApp, jeton: &str, periode: Value) -> Value {
    ok(app, TABLEAU, json!({ "periode": periode }), jeton).await["tableauDeBord"].clone()
}

fn semaine() -> Value {
    json!({ "type": "SEMAINE" })
}

fn du_au(debut: &str, fin: &str) -> Value {
    json!({ "type": "PERSONNALISEE", "debut": debut, "fin": fin })
}

/// `[{ <cle>, nombre }]` as (value, count) pairs, in the answer's order.
fn paires(liste: &Value, cle: &str) -> Vec<(String, i64)> {
    liste
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l[cle].as_str().unwrap().to_owned(),
                l["nombre"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn p(valeur: &str, nombre: i64) -> (String, i64) {
    (valeur.to_owned(), nombre)
}

/// The count of one status in `parStatut` (or `parStatutConformite`).
fn nombre(liste: &Value, statut: &str) -> i64 {
    liste
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["statut"] == statut)
        .unwrap_or_else(|| panic!("{statut} absent de {liste}"))["nombre"]
        .as_i64()
        .unwrap()
}

/// The workload line of `agent`, if listed.
fn charge(t: &Value, agent: Uuid) -> Option<Value> {
    t["parAgent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["agent"]["id"] == agent.to_string())
        .cloned()
}

/// (enCours, enRetard, attenteValidation, assigneesSurPeriode, traiteesSurPeriode).
fn chiffres(t: &Value, agent: Uuid) -> (i64, i64, i64, i64, i64) {
    let l = charge(t, agent).unwrap_or_else(|| panic!("agent {agent} absent : {t}"));
    let n = |champ: &str| l[champ].as_i64().unwrap();
    (
        n("enCours"),
        n("enRetard"),
        n("attenteValidation"),
        n("assigneesSurPeriode"),
        n("traiteesSurPeriode"),
    )
}

#[tokio::test]
async fn les_dossiers_soumis_sur_la_periode_se_comptent_par_statut_region_et_secteur() {
    let app = TestApp::new().await;
    let (compte, _) = app.entreprise("approuvee").await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let (agent_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let qui = [Titulaire::Compte(compte), Titulaire::Agent(admin_id)];

    // Monday 23 November: one dossier in Abidjan.
    let [entreprise, _] =
        <[String; 2]>::try_from(aller_au(&app, instant(2026, 11, 23, 9, 0, 0), &qui).await)
            .unwrap();
    soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;

    // The next week: three more, one of them already assigned, and a draft never submitted.
    let [entreprise, _] =
        <[String; 2]>::try_from(aller_au(&app, instant(2026, 11, 30, 10, 0, 0), &qui).await)
            .unwrap();
    let banque = soumis(&app, &entreprise, "SAN_PEDRO", "BANQUE_FINANCE").await;
    soumis(&app, &entreprise, "SAN_PEDRO", "SANTE").await;
    let [entreprise, admin] =
        <[String; 2]>::try_from(aller_au(&app, instant(2026, 12, 2, 16, 0, 0), &qui).await)
            .unwrap();
    soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    let r = app
        .graphql(
            CREER,
            json!({ "input": { "numeroCc": ncc(), "denomination": "Brouillon",
                "secteurActivite": "MEDIAS", "region": "BAFING" } }),
            Some(&entreprise),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assigner(&app, &admin, &banque, agent_id, "2026-12-20").await;

    // This week (Wednesday 2 December): the three of the week, under their current status.
    let t = tableau(&app, &admin, semaine()).await;
    assert_eq!(
        t["periode"],
        json!({ "debut": "2026-11-30", "fin": "2026-12-06" })
    );
    assert_eq!(t["total"], 3, "{t}");
    let statuts = t["parStatut"].as_array().unwrap();
    assert_eq!(statuts.len(), 12, "chaque statut, même à 0 : {t}");
    assert_eq!(statuts[0]["statut"], "BROUILLON");
    assert_eq!(nombre(&t["parStatut"], "BROUILLON"), 0);
    assert_eq!(nombre(&t["parStatut"], "SOUMIS"), 2);
    assert_eq!(nombre(&t["parStatut"], "EN_VERIFICATION"), 1);
    assert_eq!(nombre(&t["parStatut"], "PUBLIE"), 0);
    assert_eq!(t["parStatutConformite"].as_array().unwrap().len(), 6);
    assert_eq!(nombre(&t["parStatutConformite"], "DEMARCHE_EN_COURS"), 3);
    assert_eq!(nombre(&t["parStatutConformite"], "CONFORME"), 0);
    assert_eq!(
        paires(&t["parRegion"], "region"),
        vec![p("SAN_PEDRO", 2), p("ABIDJAN", 1)]
    );
    // Equal counts: by value, for a stable order.
    assert_eq!(
        paires(&t["parSecteur"], "secteur"),
        vec![p("SANTE", 2), p("BANQUE_FINANCE", 1)]
    );

    // The first Monday alone; then both weeks.
    let t = tableau(&app, &admin, du_au("2026-11-23", "2026-11-23")).await;
    assert_eq!(t["total"], 1, "{t}");
    assert_eq!(nombre(&t["parStatut"], "SOUMIS"), 1);
    assert_eq!(paires(&t["parRegion"], "region"), vec![p("ABIDJAN", 1)]);
    let t = tableau(&app, &admin, du_au("2026-11-23", "2026-12-06")).await;
    assert_eq!(t["total"], 4, "{t}");
    assert_eq!(
        paires(&t["parRegion"], "region"),
        vec![p("ABIDJAN", 2), p("SAN_PEDRO", 2)]
    );
    assert_eq!(
        paires(&t["parSecteur"], "secteur"),
        vec![p("SANTE", 3), p("BANQUE_FINANCE", 1)]
    );

    // A period with nothing: every status at 0, no region, no sector.
    let t = tableau(&app, &admin, du_au("2026-01-01", "2026-06-30")).await;
    assert_eq!(t["total"], 0);
    assert!(
        t["parStatut"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["nombre"] == 0)
    );
    assert_eq!(t["parStatut"].as_array().unwrap().len(), 12);
    assert_eq!(t["parRegion"], json!([]));
    assert_eq!(t["parSecteur"], json!([]));
}

#[tokio::test]
async fn une_periode_compte_ses_jours_entiers_du_premier_au_dernier() {
    let app = TestApp::new().await;
    let (compte, _) = app.entreprise("approuvee").await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let qui = [Titulaire::Compte(compte), Titulaire::Agent(admin_id)];

    // The last second of Sunday 29 November, then the first of Monday 30.
    let [entreprise, _] =
        <[String; 2]>::try_from(aller_au(&app, instant(2026, 11, 29, 23, 59, 59), &qui).await)
            .unwrap();
    soumis(&app, &entreprise, "GBEKE", "EDUCATION").await;
    let [entreprise, admin] =
        <[String; 2]>::try_from(aller_au(&app, instant(2026, 11, 30, 0, 0, 0), &qui).await)
            .unwrap();
    soumis(&app, &entreprise, "PORO", "AGRICULTURE").await;

    let t = tableau(&app, &admin, du_au("2026-11-23", "2026-11-29")).await;
    assert_eq!(paires(&t["parRegion"], "region"), vec![p("GBEKE", 1)]);
    let t = tableau(&app, &admin, json!({ "type": "AUJOURD_HUI" })).await;
    assert_eq!(
        t["periode"],
        json!({ "debut": "2026-11-30", "fin": "2026-11-30" })
    );
    assert_eq!(paires(&t["parRegion"], "region"), vec![p("PORO", 1)]);
    let t = tableau(&app, &admin, json!({ "type": "MOIS" })).await;
    assert_eq!(t["total"], 2, "{t}");
}

#[tokio::test]
async fn chaque_periode_nommee_couvre_la_periode_du_calendrier_en_cours() {
    let app = TestApp::new().await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    // Wednesday 25 November 2026.
    let admin = aller_au(
        &app,
        instant(2026, 11, 25, 15, 30, 0),
        &[Titulaire::Agent(admin_id)],
    )
    .await
    .remove(0);
    for (type_periode, debut, fin) in [
        ("AUJOURD_HUI", "2026-11-25", "2026-11-25"),
        ("SEMAINE", "2026-11-23", "2026-11-29"),
        ("MOIS", "2026-11-01", "2026-11-30"),
        ("TRIMESTRE", "2026-10-01", "2026-12-31"),
        ("ANNEE", "2026-01-01", "2026-12-31"),
    ] {
        let t = tableau(&app, &admin, json!({ "type": type_periode })).await;
        assert_eq!(
            t["periode"],
            json!({ "debut": debut, "fin": fin }),
            "{type_periode}"
        );
    }
    let t = tableau(&app, &admin, du_au("2025-02-03", "2025-03-04")).await;
    assert_eq!(
        t["periode"],
        json!({ "debut": "2025-02-03", "fin": "2025-03-04" })
    );

    // February of a leap year, second quarter.
    let admin = aller_au(
        &app,
        instant(2028, 2, 29, 8, 0, 0),
        &[Titulaire::Agent(admin_id)],
    )
    .await
    .remove(0);
    let t = tableau(&app, &admin, json!({ "type": "MOIS" })).await;
    assert_eq!(
        t["periode"],
        json!({ "debut": "2028-02-01", "fin": "2028-02-29" })
    );
    let t = tableau(&app, &admin, json!({ "type": "SEMAINE" })).await;
    assert_eq!(
        t["periode"],
        json!({ "debut": "2028-02-28", "fin": "2028-03-05" })
    );
}

#[tokio::test]
async fn une_periode_mal_formee_est_refusee_en_nommant_le_champ() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    for (periode, champ) in [
        (
            json!({ "type": "PERSONNALISEE", "fin": "2026-11-30" }),
            "periode.debut",
        ),
        (
            json!({ "type": "PERSONNALISEE", "debut": "2026-11-01" }),
            "periode.fin",
        ),
        (json!({ "type": "PERSONNALISEE" }), "periode.debut"),
        (du_au("2026-11-30", "2026-11-29"), "periode.fin"),
        (du_au("2020-01-01", "2025-01-01"), "periode.fin"),
        (
            json!({ "type": "MOIS", "debut": "2026-11-01" }),
            "periode.debut",
        ),
        (
            json!({ "type": "ANNEE", "fin": "2026-12-31" }),
            "periode.fin",
        ),
    ] {
        let r = app
            .graphql(TABLEAU, json!({ "periode": periode }), Some(&admin))
            .await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{periode} : {r}");
        assert_eq!(
            r["errors"][0]["extensions"]["field"], champ,
            "{periode} : {r}"
        );
        assert!(r["data"].is_null(), "{r}");
    }
    // Exactly five years is allowed.
    let t = tableau(&app, &admin, du_au("2020-01-01", "2024-12-31")).await;
    assert_eq!(t["total"], 0);
}

#[tokio::test]
async fn le_tableau_est_reserve_aux_administrateurs() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let variables = json!({ "periode": semaine() });

    for (jeton, code) in [
        (Some(&entreprise), "FORBIDDEN"),
        (Some(&lecteur), "FORBIDDEN"),
        (Some(&editeur), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let r = app
            .graphql(TABLEAU, variables.clone(), jeton.map(String::as_str))
            .await;
        assert_eq!(error_code(&r), Some(code), "{r}");
        assert!(r["data"].is_null(), "aucune donnée : {r}");
    }
    for jeton in [&admin, &super_admin] {
        let t = tableau(&app, jeton, semaine()).await;
        assert_eq!(t["total"], 0);
    }
}

#[tokio::test]
async fn la_charge_de_chaque_agent() {
    let app = TestApp::new().await;
    let (compte, _) = app.entreprise("approuvee").await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let (e1_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let (e2_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let (lecteur_id, _) = app.staff(RoleUtilisateur::Lecteur).await;
    let (inactif_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let client = app.db.client().await;
    client
        .execute(
            "UPDATE users SET est_actif = false WHERE id = $1",
            &[&inactif_id],
        )
        .await
        .unwrap();
    let qui = [
        Titulaire::Compte(compte),
        Titulaire::Agent(admin_id),
        Titulaire::Agent(e1_id),
        Titulaire::Agent(e2_id),
    ];

    // Monday 23 November: three dossiers; two to e1 (one due Wednesday), one to e2, who
    // treats it and sees it validated the same day.
    let [entreprise, admin, _, e2] =
        <[String; 4]>::try_from(aller_au(&app, instant(2026, 11, 23, 9, 0, 0), &qui).await)
            .unwrap();
    let d1 = soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    let d2 = soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    let d3 = soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    assigner(&app, &admin, &d1, e1_id, "2026-11-25").await;
    let a2 = assigner(&app, &admin, &d2, e1_id, "2026-12-15").await;
    let a3 = assigner(&app, &admin, &d3, e2_id, "2026-12-15").await;
    proposer(&app, &e2, &a3).await;
    valider(&app, &admin, &a3).await;

    // Monday 30 November: a fourth dossier to e2; e1 treats the second one. The first one
    // is past its échéance (the daily job has not marked it yet).
    let [entreprise, admin, e1, _] =
        <[String; 4]>::try_from(aller_au(&app, instant(2026, 11, 30, 11, 0, 0), &qui).await)
            .unwrap();
    let d4 = soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    assigner(&app, &admin, &d4, e2_id, "2026-12-10").await;
    proposer(&app, &e1, &a2).await;

    let t = tableau(&app, &admin, semaine()).await;
    // (enCours, enRetard, attenteValidation, assigneesSurPeriode, traiteesSurPeriode)
    assert_eq!(chiffres(&t, e1_id), (2, 1, 1, 0, 0), "{t}");
    assert_eq!(chiffres(&t, e2_id), (1, 0, 0, 1, 0), "{t}");
    // Admins are agents too (editeur and above); lecteurs and disabled staff without work
    // are not.
    assert_eq!(chiffres(&t, admin_id), (0, 0, 0, 0, 0), "{t}");
    assert!(charge(&t, lecteur_id).is_none(), "{t}");
    assert!(charge(&t, inactif_id).is_none(), "{t}");
    assert_eq!(t["parAgent"].as_array().unwrap().len(), 3, "{t}");
    let ligne = charge(&t, e1_id).unwrap();
    assert_eq!(ligne["agent"]["role"], "EDITEUR");
    assert_eq!(ligne["agent"]["nom"], "Koné");

    // November: what each received and finished that month; what they hold is the same.
    let t = tableau(&app, &admin, json!({ "type": "MOIS" })).await;
    assert_eq!(chiffres(&t, e1_id), (2, 1, 1, 2, 0), "{t}");
    assert_eq!(chiffres(&t, e2_id), (1, 0, 0, 2, 1), "{t}");

    // The first week only: e2's validated treatment, e1's two assignments.
    let t = tableau(&app, &admin, du_au("2026-11-23", "2026-11-29")).await;
    assert_eq!(chiffres(&t, e1_id), (2, 1, 1, 2, 0), "{t}");
    assert_eq!(chiffres(&t, e2_id), (1, 0, 0, 1, 1), "{t}");

    // A disabled agent who still holds dossiers stays on the board.
    client
        .execute(
            "UPDATE users SET est_actif = false WHERE id = $1",
            &[&e1_id],
        )
        .await
        .unwrap();
    let t = tableau(&app, &admin, semaine()).await;
    assert_eq!(chiffres(&t, e1_id), (2, 1, 1, 0, 0), "{t}");
    assert_eq!(charge(&t, e1_id).unwrap()["agent"]["estActif"], false);
}

/// Most statements one dashboard may cost: the session and its holder (2), the pool's check
/// (1), `BEGIN` and `COMMIT` (2), the four dossier counts, the workload count and the
/// agents (6) — with a little room.
const REQUETES_MAX: u64 = 14;

#[tokio::test]
async fn le_tableau_coute_un_nombre_borne_de_requetes_quelles_que_soient_les_donnees() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;

    let cout = async || {
        let avant = app.requetes_sql();
        let t = tableau(&app, &admin, semaine()).await;
        (app.requetes_sql() - avant, t)
    };

    let d = soumis(&app, &entreprise, "ABIDJAN", "SANTE").await;
    let (agent, _) = app.staff(RoleUtilisateur::Editeur).await;
    assigner(&app, &admin, &d, agent, "2026-12-15").await;
    let (peu, t) = cout().await;
    assert_eq!(t["total"], 1);
    assert_eq!(t["parAgent"].as_array().unwrap().len(), 2);

    for (region, secteur) in [
        ("SAN_PEDRO", "BANQUE_FINANCE"),
        ("PORO", "AGRICULTURE"),
        ("GBEKE", "EDUCATION"),
    ] {
        let d = soumis(&app, &entreprise, region, secteur).await;
        let (agent, _) = app.staff(RoleUtilisateur::Editeur).await;
        assigner(&app, &admin, &d, agent, "2026-12-15").await;
    }
    let (beaucoup, t) = cout().await;
    assert_eq!(t["total"], 4);
    assert_eq!(t["parRegion"].as_array().unwrap().len(), 4);
    assert_eq!(t["parAgent"].as_array().unwrap().len(), 5);

    assert_eq!(peu, beaucoup, "le coût ne dépend pas des données");
    assert!(beaucoup <= REQUETES_MAX, "{beaucoup} requêtes");
}
