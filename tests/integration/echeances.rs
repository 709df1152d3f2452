//! The deadline job (`jobs::echeances`) run directly with a moved clock: overdue
//! assignments, reminders, compliance delays, expiry of approvals.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use registre_dcp::clock::Clock;
use registre_dcp::jobs::echeances;
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::courriels::attendre_courriel;
use crate::support::{TestApp, ncc};

/// A dossier of a vetted company, set up in SQL; returns the entity and the company's e-mail.
async fn dossier(
    app: &TestApp,
    statut: &str,
    conformite: &str,
    date_expiration: Option<NaiveDate>,
    delai: Option<NaiveDate>,
) -> (Uuid, String) {
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
                 VALUES ($1, 'Clinique du Plateau', 'sante', 'abidjan', $2) RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, date_validation,
                     date_expiration)
                 SELECT id, $3::text::statut_workflow,
                     CASE WHEN $3::text IN ('valide', 'publie') THEN now() END,
                     $4::text::date
                 FROM b),
             c AS (
                 INSERT INTO entites_conformite (entite_id, statut_conformite,
                     delai_mise_en_conformite)
                 SELECT id, $5::text::statut_conformite, $6::text::date FROM b)
             SELECT id FROM b",
            &[
                &ncc(),
                &compte,
                &statut,
                &date_expiration.map(|d| d.to_string()),
                &conformite,
                &delai.map(|d| d.to_string()),
            ],
        )
        .await
        .unwrap()
        .get(0);
    (entite, email)
}

/// The workflow status, conformity status and map flag of `entite`.
async fn etat(app: &TestApp, entite: Uuid) -> (String, String, bool) {
    let r = app
        .db
        .client()
        .await
        .query_one(
            "SELECT w.statut::text, c.statut_conformite::text, b.publie_sur_carte
             FROM entites_workflow w
             JOIN entites_conformite c USING (entite_id)
             JOIN entites_base b ON b.id = w.entite_id
             WHERE w.entite_id = $1",
            &[&entite],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2))
}

/// The history lines of `entite` as `objet ancien→nouveau acteur_type`, in writing order.
async fn historique(app: &TestApp, entite: Uuid) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT objet::text || ' ' || coalesce(ancien_statut, '') || '→' || nouveau_statut
                 || ' ' || acteur_type::text
             FROM historique_statuts WHERE entite_id = $1 ORDER BY numero",
            &[&entite],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
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

async fn passe(app: &TestApp) -> usize {
    echeances::run(&app.state).await.unwrap()
}

/// An assignation of `entite` to a new agent, with this statut and échéance; returns its id
/// and the agent's e-mail.
async fn assignation(
    app: &TestApp,
    entite: Uuid,
    statut: &str,
    echeance: NaiveDate,
) -> (Uuid, String) {
    let (agent, _) = app.staff(RoleUtilisateur::Editeur).await;
    let (admin, _) = app.staff(RoleUtilisateur::Admin).await;
    let r = app
        .db
        .client()
        .await
        .query_one(
            "WITH a AS (
                 INSERT INTO assignations_demandes (entite_id, agent_id, assigne_par, echeance,
                     statut, decision_proposee, traite_le)
                 VALUES ($1, $2, $3, $4::text::date, $5::text::statut_assignation,
                     CASE WHEN $5::text = 'traite_attente_validation'
                         THEN 'conforme'::decision_traitement END,
                     CASE WHEN $5::text = 'traite_attente_validation' THEN now() END)
                 RETURNING id)
             SELECT a.id, u.email FROM a, users u WHERE u.id = $2",
            &[&entite, &agent, &admin, &echeance.to_string(), &statut],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1))
}

async fn statut_assignation(app: &TestApp, id: Uuid) -> String {
    app.db
        .client()
        .await
        .query_one(
            "SELECT statut::text FROM assignations_demandes WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn l_agent_est_rappele_une_fois_puis_l_assignation_echue_passe_en_retard() {
    let app = TestApp::new().await;
    let debut = app.clock.now();
    let aujourd_hui = debut.date_naive();
    let echeance = aujourd_hui + Duration::days(5);
    let (entite, _) = dossier(&app, "en_verification", "demarche_en_cours", None, None).await;
    let (id, email) = assignation(&app, entite, "en_cours", echeance).await;
    // Work treated and waiting for the N+1 is not the agent's to hurry.
    let (autre, _) = dossier(&app, "en_verification", "demarche_en_cours", None, None).await;
    let (traitee, email_traitee) =
        assignation(&app, autre, "traite_attente_validation", aujourd_hui).await;

    // Three days before: nothing yet.
    assert_eq!(passe(&app).await, 0);
    assert!(modeles(&app, &email).await.is_empty());

    // Two days before: one reminder, and only one.
    app.clock.set(debut + Duration::days(3));
    assert_eq!(passe(&app).await, 1);
    assert_eq!(passe(&app).await, 0);
    app.clock.set(debut + Duration::days(4));
    assert_eq!(passe(&app).await, 0);
    assert_eq!(modeles(&app, &email).await, ["echeance_proche"]);
    assert_eq!(app.distribuer_courriels().await, 1);
    let recu = attendre_courriel(&email).await;
    assert!(recu.sujet.starts_with("Échéance proche"), "{}", recu.sujet);
    assert!(recu.corps.contains("Clinique du Plateau"), "{}", recu.corps);
    assert_eq!(statut_assignation(&app, id).await, "en_cours");

    // A new échéance (a re-assignment) gets its own reminder.
    let nouvelle = echeance + Duration::days(1);
    app.db
        .client()
        .await
        .execute(
            "UPDATE assignations_demandes SET echeance = $2::text::date WHERE id = $1",
            &[&id, &nouvelle.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(passe(&app).await, 1);
    assert_eq!(
        modeles(&app, &email).await,
        ["echeance_proche", "echeance_proche"]
    );

    // On the échéance day it is not overdue yet.
    app.clock.set(debut + Duration::days(6));
    assert_eq!(passe(&app).await, 0);
    assert_eq!(statut_assignation(&app, id).await, "en_cours");

    // The day after: en_retard, journaled, the agent mailed; once.
    app.clock.set(debut + Duration::days(7));
    assert_eq!(passe(&app).await, 1);
    assert_eq!(statut_assignation(&app, id).await, "en_retard");
    assert_eq!(
        historique(&app, entite).await,
        ["assignation en_cours→en_retard systeme"]
    );
    assert_eq!(passe(&app).await, 0);
    assert_eq!(
        modeles(&app, &email).await,
        ["echeance_proche", "echeance_proche", "echeance_depassee"]
    );
    app.distribuer_courriels().await;
    let recu = attendre_courriel(&email).await;
    assert!(
        recu.sujet.starts_with("Échéance dépassée"),
        "{}",
        recu.sujet
    );

    assert_eq!(
        statut_assignation(&app, traitee).await,
        "traite_attente_validation"
    );
    assert!(modeles(&app, &email_traitee).await.is_empty());
}

#[tokio::test]
async fn un_dossier_sous_reserve_hors_delai_est_rejete_et_l_entreprise_prevenue() {
    let app = TestApp::new().await;
    let debut = app.clock.now();
    let delai = debut.date_naive() + Duration::days(10);
    let (entite, email) = dossier(
        &app,
        "conforme_sous_reserve",
        "demarche_achevee",
        None,
        Some(delai),
    )
    .await;

    // The delay's last day still counts.
    app.clock.set(debut + Duration::days(10));
    assert_eq!(passe(&app).await, 0);
    assert_eq!(etat(&app, entite).await.0, "conforme_sous_reserve");

    app.clock.set(debut + Duration::days(11));
    let maintenant = app.clock.now();
    assert_eq!(passe(&app).await, 1);
    assert_eq!(
        etat(&app, entite).await,
        ("rejete".to_owned(), "rejete".to_owned(), false)
    );
    let r = app
        .db
        .client()
        .await
        .query_one(
            "SELECT motif_rejet,
                 abs(extract(epoch FROM date_rejet - $2::text::timestamptz)) < 0.001
             FROM entites_workflow
             WHERE entite_id = $1",
            &[&entite, &maintenant.to_rfc3339()],
        )
        .await
        .unwrap();
    let motif: String = r.get(0);
    assert!(
        motif.contains(&delai.format("%d/%m/%Y").to_string()),
        "{motif}"
    );
    assert!(
        r.get::<_, bool>(1),
        "date_rejet prise à l'horloge du service"
    );
    assert_eq!(
        historique(&app, entite).await,
        [
            "workflow conforme_sous_reserve→rejete systeme",
            "conformite demarche_achevee→rejete systeme"
        ]
    );

    assert_eq!(passe(&app).await, 0);
    assert_eq!(modeles(&app, &email).await, ["dossier_rejete"]);
    app.distribuer_courriels().await;
    let recu = attendre_courriel(&email).await;
    assert!(recu.sujet.starts_with("Dossier rejeté"), "{}", recu.sujet);
    assert!(
        recu.corps.contains("délai de mise en conformité"),
        "{}",
        recu.corps
    );
}

#[tokio::test]
async fn un_agrement_echu_expire_sauf_renouvellement_approuve() {
    let app = TestApp::new().await;
    let debut = app.clock.now();
    let fin = debut.date_naive() + Duration::days(30);
    let (publie, email) = dossier(&app, "publie", "conforme", Some(fin), None).await;
    let (renouvele, email_renouvele) = dossier(&app, "valide", "conforme", Some(fin), None).await;
    let (en_attente, _) = dossier(&app, "valide", "conforme", Some(fin), None).await;
    let client = app.db.client().await;
    for (entite, statut) in [(renouvele, "approuve"), (en_attente, "en_attente")] {
        client
            .execute(
                "INSERT INTO renouvellements (entite_id, date_expiration_agrement,
                     nouvelle_date_expiration, statut)
                 VALUES ($1, $2::text::date, $3::text::date, $4::text::statut_renouvellement)",
                &[
                    &entite,
                    &fin.to_string(),
                    &(fin + Duration::days(730)).to_string(),
                    &statut,
                ],
            )
            .await
            .unwrap();
    }
    assert!(etat(&app, publie).await.2, "publié sur la carte");

    // The approval's last day still counts: no expiry yet, only the 1-month renewal
    // reminders (none for the entity whose request waits for its decision).
    app.clock.set(debut + Duration::days(30));
    assert_eq!(passe(&app).await, 2);
    assert_eq!(modeles(&app, &email).await, ["renouvellement_rappel"]);
    app.distribuer_courriels().await;

    app.clock.set(debut + Duration::days(31));
    assert_eq!(passe(&app).await, 2);
    assert_eq!(
        etat(&app, publie).await,
        ("expire".to_owned(), "non_conforme".to_owned(), false)
    );
    assert_eq!(
        historique(&app, publie).await,
        [
            "workflow publie→expire systeme",
            "conformite conforme→non_conforme systeme"
        ]
    );
    // A pending renewal does not keep the approval; an approved one does.
    assert_eq!(etat(&app, en_attente).await.0, "expire");
    assert_eq!(etat(&app, renouvele).await.0, "valide");
    assert!(historique(&app, renouvele).await.is_empty());
    assert_eq!(
        modeles(&app, &email_renouvele).await,
        ["renouvellement_rappel"]
    );
    // The request still waiting is closed with the approval.
    assert_eq!(
        historique(&app, en_attente)
            .await
            .last()
            .map(String::as_str),
        Some("renouvellement en_attente→rejete systeme")
    );

    assert_eq!(passe(&app).await, 0);
    assert_eq!(
        modeles(&app, &email).await,
        ["renouvellement_rappel", "agrement_expire"]
    );
    app.distribuer_courriels().await;
    let recu = attendre_courriel(&email).await;
    assert!(recu.sujet.starts_with("Agrément expiré"), "{}", recu.sujet);
    assert!(recu.corps.contains("Clinique du Plateau"), "{}", recu.corps);

    // Past the renewal's new end, the approval expires after all.
    app.clock.set(debut + Duration::days(30 + 731));
    assert_eq!(passe(&app).await, 1);
    assert_eq!(etat(&app, renouvele).await.0, "expire");
}

#[tokio::test]
async fn un_dossier_verrouille_par_une_requete_est_saute_puis_traite_a_la_passe_suivante() {
    let app = TestApp::new().await;
    let debut = app.clock.now();
    let fin = debut.date_naive() + Duration::days(1);
    let (entite, _) = dossier(&app, "valide", "conforme", Some(fin), None).await;
    app.clock.set(debut + Duration::days(2));

    // A request holding the row: the job skips it instead of waiting for it.
    let requete = app.db.client().await;
    requete
        .batch_execute(&format!(
            "BEGIN; SELECT 1 FROM entites_workflow WHERE entite_id = '{entite}' FOR UPDATE"
        ))
        .await
        .unwrap();
    let passe_bloquee = tokio::time::timeout(std::time::Duration::from_secs(5), passe(&app));
    assert_eq!(passe_bloquee.await.expect("la passe n'attend pas"), 0);
    assert_eq!(etat(&app, entite).await.0, "valide");

    requete.batch_execute("COMMIT").await.unwrap();
    assert_eq!(passe(&app).await, 1);
    assert_eq!(etat(&app, entite).await.0, "expire");
}
