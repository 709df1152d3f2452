//! The outbox and its worker against a real SMTP server (started by `scripts/test`): what is
//! queued arrives, nothing is lost while SMTP is down, nothing is sent twice, nothing secret
//! stays in the outbox.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use diesel_async::AsyncConnection;
use tracing::instrument::WithSubscriber;

use registre_dcp::clock::Clock;
use registre_dcp::config::DEFAULT_MAIL_FROM;
use registre_dcp::mail::{self, Courriel, worker};
use registre_dcp::models::courriels_sortants::{self, CourrielSortant};
use registre_dcp::state::AppState;

use crate::support::TestApp;
use crate::support::courriels::{
    adresse_unique, attendre_courriel, courriels_recus, exiger_serveur_smtp, extraire_code,
    port_ferme, relayer_vers_smtp,
};

/// Queues `courriel` for `destinataire` in a transaction of its own, as a change would.
async fn mettre_en_file(app: &TestApp, destinataire: &str, courriel: &Courriel) {
    let mut conn = app.db.conn().await;
    let now = app.clock.now();
    conn.transaction(async |conn| mail::mettre_en_file(conn, destinataire, courriel, now).await)
        .await
        .expect("mise en file");
}

/// The outbox rows of `destinataire`.
async fn lignes(app: &TestApp, destinataire: &str) -> Vec<CourrielSortant> {
    courriels_sortants::list_for(&mut app.db.conn().await, destinataire)
        .await
        .unwrap()
}

#[tokio::test]
async fn un_courriel_en_file_arrive_au_serveur_smtp_en_francais_et_de_l_expediteur_configure() {
    exiger_serveur_smtp();
    let app = TestApp::new().await;
    let destinataire = adresse_unique("inscription");
    let courriel = Courriel::OtpInscription {
        code: "482913".into(),
    };
    // The address is normalised when queued.
    mettre_en_file(
        &app,
        &format!("  {}  ", destinataire.to_uppercase()),
        &courriel,
    )
    .await;
    assert_eq!(lignes(&app, &destinataire).await.len(), 1);

    assert_eq!(app.distribuer_courriels().await, 1);

    let recu = attendre_courriel(&destinataire).await;
    let (sujet, corps) = courriel.rendre();
    assert_eq!(recu.sujet, sujet);
    assert_eq!(recu.sujet, "Confirmez votre adresse e-mail");
    assert_eq!(recu.expediteur, DEFAULT_MAIL_FROM);
    assert_eq!(
        recu.type_contenu.to_lowercase(),
        "text/plain; charset=utf-8"
    );
    // SMTP ends the data with a line break of its own.
    assert_eq!(
        recu.corps.replace("\r\n", "\n").trim_end(),
        corps.trim_end()
    );
    assert!(
        recu.corps.contains("à caractère personnel"),
        "{}",
        recu.corps
    );
    assert_eq!(extraire_code(&recu.corps), "482913");
    assert_eq!(courriels_recus(&destinataire).len(), 1);
}

#[tokio::test]
async fn quand_smtp_est_en_panne_le_courriel_attend_puis_part_au_retour_du_serveur() {
    exiger_serveur_smtp();
    let port = port_ferme();
    let app = TestApp::with_config(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let destinataire = adresse_unique("panne");
    mettre_en_file(
        &app,
        &destinataire,
        &Courriel::OtpConnexion {
            code: "731904".into(),
        },
    )
    .await;

    // The pass fails softly: nothing delivered, the mail kept with its failure.
    let panne = app.clock.now();
    assert_eq!(app.distribuer_courriels().await, 0);
    let [ligne] = &lignes(&app, &destinataire).await[..] else {
        panic!("une ligne attendue")
    };
    assert_eq!(ligne.envoye_le, None);
    assert_eq!(ligne.tentatives, 1);
    assert_eq!(ligne.prochain_essai_le, panne + Duration::seconds(30));
    assert!(ligne.corps.as_deref().unwrap().contains("731904"));
    let erreur = ligne.derniere_erreur.as_deref().unwrap();
    assert!(!erreur.is_empty() && erreur.len() <= 300, "{erreur}");

    // Not due again before its backoff, even once the server is back.
    let _relais = relayer_vers_smtp(port).await;
    app.clock.advance(Duration::seconds(29));
    assert_eq!(app.distribuer_courriels().await, 0);
    assert_eq!(lignes(&app, &destinataire).await[0].tentatives, 1);

    app.clock.advance(Duration::seconds(1));
    assert_eq!(app.distribuer_courriels().await, 1);
    let recu = attendre_courriel(&destinataire).await;
    assert_eq!(recu.sujet, "Votre code de connexion");
    assert_eq!(extraire_code(&recu.corps), "731904");
    let ligne = &lignes(&app, &destinataire).await[0];
    assert_eq!(ligne.envoye_le, Some(app.clock.now()));
    assert_eq!(ligne.tentatives, 1);
    assert_eq!(courriels_recus(&destinataire).len(), 1);
}

#[tokio::test]
async fn chaque_echec_double_l_attente_avant_le_prochain_essai() {
    let port = port_ferme();
    let app = TestApp::with_config(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let destinataire = adresse_unique("reprises");
    mettre_en_file(&app, &destinataire, &Courriel::MotDePasseModifie).await;
    for (tentatives, attente) in [(1, 30), (2, 60), (3, 120)] {
        assert_eq!(app.distribuer_courriels().await, 0);
        let ligne = &lignes(&app, &destinataire).await[0];
        assert_eq!(ligne.tentatives, tentatives);
        assert_eq!(
            ligne.prochain_essai_le,
            app.clock.now() + Duration::seconds(attente)
        );
        app.clock.set(ligne.prochain_essai_le);
    }
}

#[tokio::test]
async fn le_corps_est_efface_apres_l_envoi() {
    exiger_serveur_smtp();
    let app = TestApp::new().await;
    let destinataire = adresse_unique("reinitialisation");
    mettre_en_file(
        &app,
        &destinataire,
        &Courriel::OtpReinitialisation {
            code: "650218".into(),
        },
    )
    .await;
    assert!(
        lignes(&app, &destinataire).await[0]
            .corps
            .as_deref()
            .is_some_and(|c| c.contains("650218"))
    );

    assert_eq!(app.distribuer_courriels().await, 1);

    let ligne = &lignes(&app, &destinataire).await[0];
    assert_eq!(ligne.envoye_le, Some(app.clock.now()));
    assert_eq!(ligne.corps, None);
    assert_eq!(ligne.sujet, "Réinitialisation de votre mot de passe");
    assert_eq!(
        extraire_code(&attendre_courriel(&destinataire).await.corps),
        "650218"
    );
    // Nothing left to send.
    assert_eq!(app.distribuer_courriels().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deux_passes_simultanees_envoient_chaque_courriel_une_seule_fois() {
    exiger_serveur_smtp();
    let app = TestApp::new().await;
    // A second replica: its own pool on the same database, the same clock.
    let requetes = registre_dcp::db::CompteurRequetes::default();
    let replique = AppState::new(
        app.state.config.clone(),
        registre_dcp::db::pool(&app.state.config.database, &requetes),
        requetes,
        app.clock.clone(),
    )
    .unwrap();
    let nombre = worker::LOT as usize + 10;
    let destinataires: Vec<String> = (0..nombre).map(|_| adresse_unique("concurrence")).collect();
    for destinataire in &destinataires {
        mettre_en_file(&app, destinataire, &Courriel::MotDePasseModifie).await;
    }

    let premiere = tokio::spawn({
        let state = app.state.clone();
        async move { mail::envoyer_en_attente(&state).await.unwrap() }
    });
    let seconde = tokio::spawn(async move { mail::envoyer_en_attente(&replique).await.unwrap() });
    let (premiere, seconde) = (premiere.await.unwrap(), seconde.await.unwrap());

    assert_eq!(premiere + seconde, nombre, "{premiere} + {seconde}");
    assert_eq!(app.distribuer_courriels().await, 0);
    for destinataire in &destinataires {
        attendre_courriel(destinataire).await;
        assert_eq!(courriels_recus(destinataire).len(), 1, "{destinataire}");
        assert!(lignes(&app, destinataire).await[0].envoye_le.is_some());
    }
}

#[tokio::test]
async fn sans_smtp_url_le_courriel_est_ecrit_au_journal_et_marque_envoye() {
    let app = TestApp::with_config(|c| c.mail.smtp_url = None).await;
    let destinataire = adresse_unique("journal");
    mettre_en_file(
        &app,
        &destinataire,
        &Courriel::OtpInscription {
            code: "104729".into(),
        },
    )
    .await;

    let journal = Arc::new(Mutex::new(Vec::<u8>::new()));
    let abonne = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer({
            let journal = journal.clone();
            move || Journal(journal.clone())
        })
        .finish();
    let envoyes = app.distribuer_courriels().with_subscriber(abonne).await;

    assert_eq!(envoyes, 1);
    let journal = String::from_utf8(journal.lock().unwrap().clone()).unwrap();
    assert!(journal.contains(&destinataire), "{journal}");
    assert!(
        journal.contains("Confirmez votre adresse e-mail"),
        "{journal}"
    );
    assert!(journal.contains("104729"), "{journal}");
    let ligne = &lignes(&app, &destinataire).await[0];
    assert_eq!(ligne.envoye_le, Some(app.clock.now()));
    assert_eq!(ligne.corps, None);
}

#[tokio::test]
async fn un_courriel_d_une_transaction_annulee_n_existe_pas() {
    let app = TestApp::new().await;
    let destinataire = adresse_unique("annule");
    let now = app.clock.now();
    let mut conn = app.db.conn().await;
    let resultat = conn
        .transaction::<(), diesel::result::Error, _>(async |conn| {
            mail::mettre_en_file(conn, &destinataire, &Courriel::MotDePasseModifie, now).await?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .await;
    assert!(resultat.is_err());
    assert!(lignes(&app, &destinataire).await.is_empty());
    assert_eq!(app.distribuer_courriels().await, 0);
}

/// A log sink for one test.
struct Journal(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Journal {
    fn write(&mut self, octets: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(octets);
        Ok(octets.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
