//! Faults: PostgreSQL restarting under requests, an exhausted pool, a statement over
//! `statement_timeout`, SIGTERM under load. An SMTP server down is tested with the mails
//! (`courriels.rs`, `comptes.rs`): the request succeeds and the mail waits for its return.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use diesel_async::pooled_connection::PoolableConnection;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinSet;

use registre_dcp::error::{AppError, Code};
use registre_dcp::evenements::{self, Evenement};

use crate::boot::{command, free_port, terminate, wait_output, wait_ready};
use crate::support::cluster::ServeurPg;
use crate::support::{TestApp, TestDb, error_code, ncc};

/// Raw statements on a pooled connection, in a module of their own: `RunQueryDsl` applies to
/// every type and would shadow the atomics' and clients' own methods.
mod sql {
    use diesel::QueryResult;
    use diesel::sql_types::Text;
    use diesel_async::{AsyncPgConnection, RunQueryDsl};

    #[derive(diesel::QueryableByName)]
    struct Valeur {
        #[diesel(sql_type = Text)]
        valeur: String,
    }

    pub async fn executer(conn: &mut AsyncPgConnection, requete: &str) -> QueryResult<usize> {
        diesel::sql_query(requete).execute(conn).await
    }

    /// The text column `valeur` of the one row of `requete`.
    pub async fn valeur(conn: &mut AsyncPgConnection, requete: &str) -> QueryResult<String> {
        let ligne: Valeur = diesel::sql_query(requete).get_result(conn).await?;
        Ok(ligne.valeur)
    }
}

/// A read of the public register: one pooled connection, two statements.
const LECTURE: &str = "{ registrePublic(first: 1) { pageInfo { hasNextPage } } }";
/// An authenticated request: the session is checked in the database first.
const MOI: &str = "{ moi { __typename } }";
const INSCRIPTION: &str =
    "mutation($input: InscriptionInput!) { inscription(input: $input) { message } }";

/// The longest a request may take while the database is away (the pool waits 1 s).
const DELAI_MAX: Duration = Duration::from_secs(5);

fn inscription() -> Value {
    json!({ "input": {
        "email": format!("panne.{}@entreprise.ci", uuid::Uuid::new_v4().simple()),
        "motDePasse": "Kokumbo-Lagune-42", "denomination": "Société Ivoirienne de Test",
        "numeroCc": ncc(), "ville": "Abidjan", "region": "ABIDJAN"
    }})
}

/// How a request ended: it succeeded, or was refused cleanly with `UNAVAILABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Issue {
    Reussie,
    Indisponible,
}

/// Sends one operation and classifies its answer; anything but a success or a clean
/// `UNAVAILABLE` (an internal error, a leaked detail, a hang) fails the test.
async fn issue(app: &TestApp, query: &str, variables: Value, jeton: Option<&str>) -> Issue {
    let debut = Instant::now();
    let reply = tokio::time::timeout(
        Duration::from_secs(10),
        app.post_graphql(query, variables, jeton),
    )
    .await
    .unwrap_or_else(|_| panic!("{query} : aucune réponse après 10 s"));
    let duree = debut.elapsed();
    assert!(duree < DELAI_MAX, "{query} : réponse après {duree:?}");
    assert_eq!(reply.status, StatusCode::OK, "{query} : {}", reply.text());
    let answer = reply.json();
    match error_code(&answer) {
        None => {
            assert!(
                answer["data"].as_object().is_some_and(|d| !d.is_empty()),
                "{answer}"
            );
            Issue::Reussie
        }
        Some("UNAVAILABLE") => {
            assert_eq!(
                answer["errors"][0]["message"],
                AppError::unavailable().message(),
                "{answer}"
            );
            Issue::Indisponible
        }
        Some(_) => panic!("{query} : {answer}"),
    }
}

async fn readyz(app: &TestApp) -> StatusCode {
    app.send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_redemarre_les_clients_ont_unavailable_puis_le_service_reprend_seul() {
    let serveur = ServeurPg::demarrer().await;
    let app = Arc::new(
        TestApp::sur_serveur(&serveur, |c| {
            c.database.pool_timeout_ms = 1000;
        })
        .await,
    );
    let (_, jeton) = app.entreprise("approuvee").await;
    let (arret_ecoute, arret_rx) = watch::channel(false);
    let ecoute = evenements::demarrer(
        app.state.config.database.url.clone(),
        app.state.evenements.clone(),
        arret_rx,
    );
    assert_eq!(issue(&app, LECTURE, json!({}), None).await, Issue::Reussie);
    assert_eq!(readyz(&app).await, StatusCode::OK);

    // A statement running on a pooled connection when the server stops.
    let mut tenue = app.state.pool.get_owned().await.unwrap();
    let en_cours = tokio::spawn(async move {
        let resultat = sql::executer(&mut tenue, "SELECT pg_sleep(60)").await;
        (resultat, tenue)
    });

    // Clients send requests continuously: reads, authenticated reads, sign-ups.
    let fin = Arc::new(AtomicBool::new(false));
    let mut clients = JoinSet::new();
    for client in 0..3 {
        let app = app.clone();
        let fin = fin.clone();
        let jeton = jeton.clone();
        clients.spawn(async move {
            let mut issues = Vec::new();
            while !fin.load(Ordering::Relaxed) {
                let issue = match client {
                    0 => issue(&app, LECTURE, json!({}), None).await,
                    1 => issue(&app, MOI, json!({}), Some(&jeton)).await,
                    _ => issue(&app, INSCRIPTION, inscription(), None).await,
                };
                issues.push(issue);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            issues
        });
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    serveur.arreter().await;
    let (resultat, tenue) = en_cours.await.unwrap();
    let erreur = resultat.expect_err("pg_sleep interrompu par l'arrêt");
    let detail = erreur.to_string();
    assert_eq!(AppError::from(erreur).code(), Code::Unavailable, "{detail}");
    // Back in the pool, the dead connection is discarded, not handed out again.
    let mut tenue = tenue;
    assert!(PoolableConnection::is_broken(&mut *tenue));
    let cassees = app.state.pool.state().statistics.connections_closed_broken;
    drop(tenue);
    assert!(app.state.pool.state().statistics.connections_closed_broken > cassees);
    tokio::time::sleep(Duration::from_secs(2)).await;
    // During the outage: a clean refusal, quickly.
    assert_eq!(
        issue(&app, LECTURE, json!({}), None).await,
        Issue::Indisponible
    );
    assert_eq!(readyz(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    serveur.relancer().await;

    // The same application recovers within seconds, without a restart.
    let reprise = Instant::now();
    while issue(&app, LECTURE, json!({}), None).await != Issue::Reussie {
        assert!(
            reprise.elapsed() < Duration::from_secs(10),
            "pas de reprise après 10 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    fin.store(true, Ordering::Relaxed);
    let mut issues = Vec::new();
    while let Some(resultat) = clients.join_next().await {
        issues.extend(resultat.unwrap());
    }
    assert!(issues.contains(&Issue::Indisponible), "{issues:?}");
    assert_eq!(issues.last(), Some(&Issue::Reussie), "{issues:?}");

    // Writes and authenticated requests work again, and the service says it is ready.
    assert_eq!(
        issue(&app, INSCRIPTION, inscription(), None).await,
        Issue::Reussie
    );
    assert_eq!(
        issue(&app, MOI, json!({}), Some(&jeton)).await,
        Issue::Reussie
    );
    assert_eq!(readyz(&app).await, StatusCode::OK);

    // The notification listener reconnects by itself.
    let mut recus = app.state.evenements.abonner();
    let entite_id = uuid::Uuid::new_v4();
    let charge = json!({ "type": "dossier", "entite_id": entite_id, "compte_id": null,
        "statut": "en_verification", "version": 1 })
    .to_string();
    let client = app.db.client().await;
    let canal = evenements::CANAL.to_owned();
    let ecoute_reprise = Instant::now();
    loop {
        client
            .execute("SELECT pg_notify($1, $2)", &[&canal, &charge])
            .await
            .unwrap();
        match tokio::time::timeout(Duration::from_millis(500), recus.recv()).await {
            Ok(Ok((_, Evenement::Dossier { entite_id: id, .. }))) if id == entite_id => break,
            _ => assert!(
                ecoute_reprise.elapsed() < Duration::from_secs(20),
                "l'écoute des notifications n'a pas repris"
            ),
        }
    }
    let _ = arret_ecoute.send(true);
    ecoute.await.unwrap();
}

#[tokio::test]
async fn un_pool_epuise_repond_unavailable_sans_attendre() {
    let app = TestApp::with_config(|c| {
        c.database.pool_size = 1;
        c.database.pool_timeout_ms = 300;
    })
    .await;
    let seule = app.state.pool.get().await.unwrap();
    let debut = Instant::now();
    assert_eq!(
        issue(&app, LECTURE, json!({}), None).await,
        Issue::Indisponible
    );
    let duree = debut.elapsed();
    assert!(duree >= Duration::from_millis(250), "{duree:?}");
    assert!(duree < Duration::from_secs(2), "{duree:?}");
    drop(seule);
    assert_eq!(issue(&app, LECTURE, json!({}), None).await, Issue::Reussie);
}

#[tokio::test]
async fn une_requete_trop_longue_est_annulee_et_la_connexion_reste_utilisable() {
    let app = TestApp::with_config(|c| c.database.statement_timeout_ms = 200).await;
    let mut conn = app.state.pool.get().await.unwrap();
    let reglage = sql::valeur(
        &mut conn,
        "SELECT current_setting('statement_timeout') AS valeur",
    )
    .await
    .unwrap();
    assert_eq!(reglage, "200ms");

    let debut = Instant::now();
    let erreur = sql::executer(&mut conn, "SELECT pg_sleep(2)")
        .await
        .expect_err("annulée par statement_timeout");
    let duree = debut.elapsed();
    assert!(duree < Duration::from_millis(1500), "{duree:?}");
    assert!(erreur.to_string().contains("statement timeout"), "{erreur}");
    let client: async_graphql::Error = AppError::from(erreur).into();
    assert_eq!(client.message, AppError::unavailable().message());

    // The same connection serves the next statement.
    let encore = sql::valeur(&mut conn, "SELECT 'encore là' AS valeur")
        .await
        .unwrap();
    assert_eq!(encore, "encore là");
    drop(conn);
    assert_eq!(issue(&app, LECTURE, json!({}), None).await, Issue::Reussie);
}

#[tokio::test]
async fn une_transaction_laissee_ouverte_est_terminee_et_le_pool_se_retablit() {
    let app = TestApp::with_config(|c| {
        c.database.idle_in_transaction_timeout_ms = 200;
        c.database.pool_size = 1;
    })
    .await;
    let mut conn = app.state.pool.get().await.unwrap();
    let reglage = sql::valeur(
        &mut conn,
        "SELECT current_setting('idle_in_transaction_session_timeout') AS valeur",
    )
    .await
    .unwrap();
    assert_eq!(reglage, "200ms");
    // A request that opened a transaction, then stalled.
    sql::executer(&mut conn, "BEGIN").await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        sql::executer(&mut conn, "SELECT 1").await.is_err(),
        "la transaction oisive devait être terminée"
    );
    drop(conn);
    // The only pooled connection was ended: the next request gets a new one.
    assert_eq!(issue(&app, LECTURE, json!({}), None).await, Issue::Reussie);
}

/// One request over its own connection (`Connection: close`), as a client of the binary saw it.
#[derive(Debug)]
struct Envoi {
    /// When its head and the first half of its body were sent (`None`: connection refused).
    tete: Option<Instant>,
    fin: Instant,
    /// The raw answer (empty when the connection was closed without one).
    reponse: String,
    erreur: Option<ErrorKind>,
}

impl Envoi {
    fn complet(&self) -> bool {
        self.reponse.starts_with("HTTP/1.1 200 ")
            && self
                .reponse
                .split_once("\r\n\r\n")
                .and_then(|(_, corps)| serde_json::from_str::<Value>(corps).ok())
                .is_some_and(|corps| corps["data"]["registrePublic"].is_object())
    }
}

/// Sends `LECTURE` to `port`, the body in two parts `pause` apart.
fn envoyer(port: u16, pause: Duration) -> Envoi {
    let body = json!({ "query": LECTURE }).to_string();
    let (debut, suite) = body.split_at(body.len() / 2);
    let mut stream = match TcpStream::connect(("127.0.0.1", port)) {
        Ok(stream) => stream,
        Err(e) => {
            return Envoi {
                tete: None,
                fin: Instant::now(),
                reponse: String::new(),
                erreur: Some(e.kind()),
            };
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut envoi = Envoi {
        tete: None,
        fin: Instant::now(),
        reponse: String::new(),
        erreur: None,
    };
    let resultat = (|| {
        write!(
            stream,
            "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{debut}",
            body.len()
        )?;
        stream.flush()?;
        envoi.tete = Some(Instant::now());
        std::thread::sleep(pause);
        stream.write_all(suite.as_bytes())?;
        let mut octets = Vec::new();
        let lus = stream.read_to_end(&mut octets);
        envoi.reponse = String::from_utf8_lossy(&octets).into_owned();
        lus.map(|_| ())
    })();
    envoi.fin = Instant::now();
    envoi.erreur = resultat.err().map(|e| e.kind());
    envoi
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_sous_charge_chaque_requete_acceptee_recoit_sa_reponse() {
    /// A request whose head reached the server this long before SIGTERM was accepted.
    const MARGE: Duration = Duration::from_millis(500);
    const CLIENTS: usize = 32;
    let db = TestDb::new().await;
    let port = free_port();
    let mut child = command(db.url())
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_RATE_LIMIT_PER_MINUTE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("registre-dcp serve");
    // Read the logs as they come, so that a full pipe never blocks the server.
    let mut stderr = child.stderr.take().unwrap();
    let journal = std::thread::spawn(move || {
        let mut texte = String::new();
        let _ = stderr.read_to_string(&mut texte);
        texte
    });
    wait_ready(port, &mut child);

    let arret = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let arret = arret.clone();
            std::thread::spawn(move || {
                // Half the clients send their body slowly, starting one after the other:
                // some of their requests are in flight whenever the signal comes.
                let lent = i % 2 == 1;
                let pause = Duration::from_millis(if lent { 1500 } else { 5 });
                if lent {
                    std::thread::sleep(Duration::from_millis(90 * (i as u64 / 2)));
                }
                let mut envois = Vec::new();
                while !arret.load(Ordering::Relaxed) {
                    let envoi = envoyer(port, pause);
                    let refusee = envoi.tete.is_none();
                    envois.push(envoi);
                    if refusee {
                        break;
                    }
                }
                envois
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let signal = Instant::now();
    terminate(&mut child);

    // New connections are refused while the accepted requests finish.
    tokio::task::spawn_blocking(move || {
        loop {
            match TcpStream::connect(("127.0.0.1", port)) {
                Err(e) if e.kind() == ErrorKind::ConnectionRefused => return,
                _ if signal.elapsed() > Duration::from_secs(5) => {
                    panic!("connexions encore acceptées 5 s après SIGTERM")
                }
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    })
    .await
    .unwrap();
    let output = tokio::task::spawn_blocking(move || wait_output(child))
        .await
        .unwrap();
    let logs = journal.join().unwrap();
    assert!(output.status.success(), "{}\n{logs}", output.status);
    arret.store(true, Ordering::Relaxed);
    let envois: Vec<Envoi> = clients
        .into_iter()
        .flat_map(|client| client.join().unwrap())
        .collect();

    let mut acceptees = 0;
    let mut en_cours = 0;
    for envoi in &envois {
        match envoi.tete {
            // Refused: only once the server stopped listening.
            None => {
                assert!(envoi.fin > signal, "connexion refusée avant SIGTERM");
                assert_eq!(envoi.erreur, Some(ErrorKind::ConnectionRefused));
            }
            Some(tete) if tete + MARGE <= signal => {
                acceptees += 1;
                if envoi.fin > signal {
                    en_cours += 1;
                }
                assert!(envoi.complet(), "{envoi:?}\n{logs}");
            }
            // Sent about when the signal came: answered in full, or closed without an
            // answer (not accepted), never cut in the middle of one.
            Some(_) => assert!(
                envoi.complet() || envoi.reponse.is_empty(),
                "{envoi:?}\n{logs}"
            ),
        }
    }
    assert!(acceptees >= CLIENTS, "{acceptees} requêtes acceptées");
    assert!(en_cours >= 4, "{en_cours} requêtes en cours au signal");
}
