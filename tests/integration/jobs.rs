//! The periodic jobs, run directly with a moved clock, and their lock across replicas.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use registre_dcp::clock::Clock;
use registre_dcp::jobs::{self, Execution, avertissements_mot_de_passe, purge};
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::TestApp;
use crate::support::courriels::attendre_courriel;

fn texte(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339()
}

/// A vetted company account whose password expires at `expire`; returns its id and e-mail.
async fn compte(app: &TestApp, expire: DateTime<Utc>, statut: &str, actif: bool) -> (Uuid, String) {
    let id = Uuid::new_v4();
    let email = format!("dpo.{}@entreprise.ci", id.simple());
    let ncc = format!("{:07}B", id.as_u128() % 10_000_000);
    let motif = (statut == "rejetee").then_some("autre");
    app.db
        .client()
        .await
        .execute(
            "INSERT INTO comptes_entreprises (id, email, password_hash, denomination, numero_cc,
                 email_verifie, est_actif, statut_inscription, motif_rejet_code, password_expires_at)
             VALUES ($1, $2, 'x', 'Société Test', $3, true, $4, $5::text::statut_inscription,
                 $6::text::motif_rejet_inscription, $7::text::timestamptz)",
            &[&id, &email, &ncc, &actif, &statut, &motif, &texte(expire)],
        )
        .await
        .unwrap();
    (id, email)
}

async fn expiration_agent(app: &TestApp, id: Uuid, expire: DateTime<Utc>) -> String {
    app.db
        .client()
        .await
        .query_one(
            "UPDATE users SET password_expires_at = $2::text::timestamptz WHERE id = $1
             RETURNING email",
            &[&id, &texte(expire)],
        )
        .await
        .unwrap()
        .get(0)
}

/// Subjects of the expiry warnings queued for `email`, oldest first.
async fn avertissements(app: &TestApp, email: &str) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT sujet FROM courriels_sortants
             WHERE destinataire = $1 AND modele = 'mot_de_passe_expire_bientot'
             ORDER BY created_at, id",
            &[&email],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn les_avertissements_d_expiration_partent_a_quinze_puis_sept_jours_une_fois_chacun() {
    let app = TestApp::new().await;
    let debut = app.clock.now();
    let echeance = debut + Duration::days(20);
    let (compte_id, email_compte) = compte(&app, echeance, "approuvee", true).await;
    let (agent_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let email_agent = expiration_agent(&app, agent_id, echeance - Duration::hours(1)).await;
    // Neither a rejected nor a disabled account is mailed.
    let (_, rejete) = compte(&app, echeance, "rejetee", true).await;
    let (_, inactif) = compte(&app, echeance, "approuvee", false).await;

    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        0
    );

    app.clock.set(echeance - Duration::days(15));
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        2
    );
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        0
    );
    app.clock.advance(Duration::days(3));
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        0
    );

    app.clock.set(echeance - Duration::days(7));
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        2
    );
    app.clock.advance(Duration::hours(12));
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        0
    );

    for email in [&email_compte, &email_agent] {
        assert_eq!(
            avertissements(&app, email).await,
            [
                "Votre mot de passe expire dans 15 jours",
                "Votre mot de passe expire dans 7 jours"
            ],
            "{email}"
        );
    }
    assert!(avertissements(&app, &rejete).await.is_empty());
    assert!(avertissements(&app, &inactif).await.is_empty());

    app.distribuer_courriels().await;
    let courriel = attendre_courriel(&email_agent).await;
    assert!(
        courriel.sujet.starts_with("Votre mot de passe expire"),
        "{}",
        courriel.sujet
    );

    // A new password is a new expiry: its warnings go again.
    let nouvelle = app.clock.now() + Duration::days(10);
    app.db
        .client()
        .await
        .execute(
            "UPDATE comptes_entreprises SET password_expires_at = $2::text::timestamptz
             WHERE id = $1",
            &[&compte_id, &texte(nouvelle)],
        )
        .await
        .unwrap();
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        1
    );
    assert_eq!(avertissements(&app, &email_compte).await.len(), 3);
}

#[tokio::test]
async fn sans_expiration_des_mots_de_passe_aucun_avertissement_ne_part() {
    let app = TestApp::with_config(|c| c.comptes.password_max_age_days = 0).await;
    let (_, email) = compte(
        &app,
        app.clock.now() + Duration::days(10),
        "approuvee",
        true,
    )
    .await;
    assert_eq!(
        avertissements_mot_de_passe::run(&app.state).await.unwrap(),
        0
    );
    assert!(avertissements(&app, &email).await.is_empty());
}

async fn code(app: &TestApp, user_id: Uuid, cree: DateTime<Utc>) -> Uuid {
    app.db
        .client()
        .await
        .query_one(
            "INSERT INTO otp_codes (user_id, code_hash, type, expires_at, ip, created_at)
             VALUES ($1, 'h', 'connexion', $2::text::timestamptz, '203.0.113.7',
                     $3::text::timestamptz)
             RETURNING id",
            &[&user_id, &texte(cree + Duration::minutes(10)), &texte(cree)],
        )
        .await
        .unwrap()
        .get(0)
}

async fn session(
    app: &TestApp,
    user_id: Uuid,
    expire: DateTime<Utc>,
    revoquee: Option<DateTime<Utc>>,
) -> Uuid {
    app.db
        .client()
        .await
        .query_one(
            "INSERT INTO sessions (user_id, ip, expires_at, revoquee_le, motif_revocation)
             VALUES ($1, '203.0.113.7', $2::text::timestamptz, $3::text::timestamptz,
                     CASE WHEN $3::text IS NULL THEN NULL ELSE 'deconnexion' END)
             RETURNING id",
            &[&user_id, &texte(expire), &revoquee.map(texte)],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn la_purge_supprime_les_vieux_codes_efface_les_adresses_et_garde_le_recent() {
    let app = TestApp::new().await;
    let now = app.clock.now();
    let (agent, _) = app.staff(RoleUtilisateur::Lecteur).await;

    let ancien = code(&app, agent, now - Duration::days(40)).await;
    // Expired a little less than 30 days ago, but created a little more: kept, address erased.
    let limite = code(&app, agent, now - Duration::days(30) - Duration::minutes(5)).await;
    let recent = code(&app, agent, now - Duration::days(1)).await;

    let expiree = session(&app, agent, now - Duration::days(31), None).await;
    let revoquee = session(
        &app,
        agent,
        now + Duration::days(3),
        Some(now - Duration::days(31)),
    )
    .await;
    let expiree_recemment = session(&app, agent, now - Duration::days(1), None).await;
    let ouverte = session(&app, agent, now + Duration::days(7), None).await;

    let client = app.db.client().await;
    client
        .execute(
            "INSERT INTO limites_debit (cle, fenetre, compteur) VALUES
                 ('connexion:203.0.113.7', $1::text::timestamptz, 3),
                 ('connexion:203.0.113.7', $2::text::timestamptz, 1)",
            &[
                &texte(now - Duration::days(2)),
                &texte(now - Duration::hours(1)),
            ],
        )
        .await
        .unwrap();

    client
        .execute(
            "INSERT INTO courriels_sortants (destinataire, modele, sujet, corps, envoye_le) VALUES
                 ('vieux@exemple.ci', 'm', 'envoyé il y a 40 jours', NULL, $1::text::timestamptz),
                 ('recent@exemple.ci', 'm', 'envoyé hier', NULL, $2::text::timestamptz),
                 ('attente@exemple.ci', 'm', 'en attente', 'corps', NULL)",
            &[
                &texte(now - Duration::days(40)),
                &texte(now - Duration::days(1)),
            ],
        )
        .await
        .unwrap();

    assert!(purge::run(&app.state).await.unwrap() >= 6);
    let courriels: Vec<String> = client
        .query(
            "SELECT destinataire FROM courriels_sortants ORDER BY destinataire",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(courriels, ["attente@exemple.ci", "recent@exemple.ci"]);

    let codes: Vec<(Uuid, bool)> = client
        .query(
            "SELECT id, ip IS NOT NULL FROM otp_codes ORDER BY created_at",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(codes, [(limite, false), (recent, true)]);
    assert!(!codes.iter().any(|(id, _)| *id == ancien));

    let sessions: Vec<Uuid> = client
        .query("SELECT id FROM sessions WHERE user_id = $1", &[&agent])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        sessions.len(),
        3,
        "la session du jeton de test, la récente et l'ouverte"
    );
    assert!(sessions.contains(&expiree_recemment) && sessions.contains(&ouverte));
    assert!(!sessions.contains(&expiree) && !sessions.contains(&revoquee));

    let fenetres: i64 = client
        .query_one("SELECT count(*) FROM limites_debit", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(fenetres, 1);

    // Nothing left to do.
    assert_eq!(purge::run(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn une_tache_tenue_par_une_autre_replique_est_sautee() {
    let app = TestApp::new().await;
    let tache = &jobs::TACHES[1];
    let autre_replique = app.db.client().await;
    let tenu: bool = autre_replique
        .query_one("SELECT pg_try_advisory_lock($1)", &[&tache.cle_verrou])
        .await
        .unwrap()
        .get(0);
    assert!(tenu);

    let mut conn = app.db.conn().await;
    let execution = jobs::executer_sous_verrou(&app.state, &mut conn, tache)
        .await
        .unwrap();
    assert_eq!(execution, Execution::DejaEnCours);

    autre_replique
        .execute("SELECT pg_advisory_unlock($1)", &[&tache.cle_verrou])
        .await
        .unwrap();
    let execution = jobs::executer_sous_verrou(&app.state, &mut conn, tache)
        .await
        .unwrap();
    assert_eq!(execution, Execution::Faite(0));
    // Released after the run: another replica may take it.
    let libre: bool = autre_replique
        .query_one("SELECT pg_try_advisory_lock($1)", &[&tache.cle_verrou])
        .await
        .unwrap()
        .get(0);
    assert!(libre);
}
