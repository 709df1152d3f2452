//! The binary itself: boot-time migrations under a lock, an unreachable or too-new database,
//! graceful shutdown, and the operator commands.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_registre-dcp");

/// The first version's three migrations, which open the history.
const GUIDE: [&str; 3] = [
    "2024-01-15-000000_v2_1_tables_initiales",
    "2024-06-01-000000_v2_2_tables",
    "2024-06-01-000001_v2_2_modifications",
];

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn command(database_url: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("JWT_SECRET", "secret-de-test-secret-de-test-32o");
    cmd
}

fn start(database_url: &str, port: u16) -> Child {
    command(database_url)
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("registre-dcp serve")
}

/// A raw HTTP/1.1 GET; the status code, or `None` while nothing listens.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn wait_ready(port: u16, child: &mut Child) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("le serveur s'est arrêté : {status}");
        }
        if http_status(port, "/readyz") == Some(200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("le serveur n'est pas prêt après 60 s");
}

pub(crate) fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

pub(crate) fn wait_output(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

fn logs(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trois_instances_simultanees_appliquent_chaque_migration_une_fois() {
    let db = TestDb::empty().await;
    let ports = [free_port(), free_port(), free_port()];
    let mut children: Vec<Child> = ports.iter().map(|&p| start(db.url(), p)).collect();
    for (child, &port) in children.iter_mut().zip(&ports) {
        wait_ready(port, child);
    }
    for child in &mut children {
        terminate(child);
    }
    let outputs: Vec<Output> = children.into_iter().map(wait_output).collect();
    let mut applied = Vec::new();
    for output in &outputs {
        assert!(output.status.success(), "{}", logs(output));
        for line in logs(output).lines() {
            let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if event["message"] == "migration appliquée" {
                applied.push(event["migration"].as_str().unwrap().to_owned());
            }
        }
    }
    applied.sort();
    assert_eq!(applied, registre_dcp::migrations::names());
    assert_eq!(applied[..3], GUIDE);
    let rows = db
        .client()
        .await
        .query("SELECT version FROM __diesel_schema_migrations", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), registre_dcp::migrations::names().len());
    let tables = db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
               AND table_name NOT IN ('spatial_ref_sys', '__diesel_schema_migrations')",
            &[],
        )
        .await
        .unwrap();
    // The registry's 25 tables and the service's own (sessions, outbox, rate limits,
    // wrong-password counts, issued numbers, the public register's projection and map
    // clusters).
    assert_eq!(
        tables.get::<_, i64>(0),
        (25 + crate::schema_rs::TABLES_DE_SERVICE.len()) as i64
    );
}

#[test]
fn une_base_injoignable_donne_une_sortie_propre_apres_le_delai() {
    let start = Instant::now();
    let output = command("postgres://postgres@127.0.0.1:1/absente")
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("DATABASE_CONNECT_DEADLINE_SECS", "2")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(!output.status.success());
    assert_eq!(output.status.code(), Some(1));
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    let logs = logs(&output);
    assert!(logs.contains("injoignable"), "{logs}");
    assert!(!logs.contains("panicked"), "{logs}");
}

/// A log redirected to a file or a pipe is plain text: no ANSI colour codes (which a file,
/// `journalctl` or a log collector would show as garbage); `LOG_FORMAT=json` is one JSON
/// object per line.
#[test]
fn un_journal_redirige_est_du_texte_sans_couleurs() {
    let output = command("postgres://postgres@127.0.0.1:1/absente")
        .arg("serve")
        .env("LOG_FORMAT", "text")
        .env("LISTEN_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("DATABASE_CONNECT_DEADLINE_SECS", "1")
        .output()
        .unwrap();
    let texte = logs(&output);
    assert!(texte.contains("injoignable"), "{texte}");
    assert!(texte.contains("WARN") || texte.contains("ERROR"), "{texte}");
    assert!(
        !texte.contains("\x1b["),
        "codes ANSI dans le journal : {texte:?}"
    );

    let output = command("postgres://postgres@127.0.0.1:1/absente")
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("DATABASE_CONNECT_DEADLINE_SECS", "1")
        .output()
        .unwrap();
    let json = logs(&output);
    assert!(!json.contains("\x1b["), "{json:?}");
    let lignes: Vec<&str> = json.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lignes.is_empty());
    for ligne in lignes {
        let valeur: serde_json::Value = serde_json::from_str(ligne)
            .unwrap_or_else(|e| panic!("ligne non JSON ({e}) : {ligne}"));
        assert!(valeur.get("level").is_some(), "{ligne}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn une_base_migree_par_une_version_plus_recente_est_refusee() {
    let db = TestDb::new().await;
    db.client()
        .await
        .execute(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
            &[],
        )
        .await
        .unwrap();
    let output = command(db.url())
        .arg("serve")
        .env("LISTEN_ADDR", format!("127.0.0.1:{}", free_port()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let logs = logs(&output);
    assert!(logs.contains("migrations inconnues"), "{logs}");
    assert!(logs.contains("29990101000000"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_laisse_finir_la_requete_en_cours() {
    let db = TestDb::new().await;
    let port = free_port();
    let mut child = start(db.url(), port);
    wait_ready(port, &mut child);

    let body = r#"{"query":"{ __typename }"}"#;
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&mut child);
    std::thread::sleep(Duration::from_millis(500));
    // The request is still in flight: the server waits for its end.
    assert!(child.try_wait().unwrap().is_none(), "arrêté trop tôt");
    stream.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains(r#"{"data":{"__typename":"Query"}}"#),
        "{response}"
    );

    let output = wait_output(child);
    assert!(output.status.success(), "{}", logs(&output));
    // New connections are refused once it stopped.
    assert_eq!(http_status(port, "/healthz"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_status_liste_les_migrations() {
    let db = TestDb::empty().await;
    let pending = command(db.url())
        .args(["migrate", "status"])
        .output()
        .unwrap();
    assert!(pending.status.success(), "{}", logs(&pending));
    let text = String::from_utf8_lossy(&pending.stdout).into_owned();
    let all = registre_dcp::migrations::names();
    assert_eq!(text.matches("[en attente]").count(), all.len(), "{text}");

    let run = command(db.url()).args(["migrate", "run"]).output().unwrap();
    assert!(run.status.success(), "{}", logs(&run));
    let status = command(db.url())
        .args(["migrate", "status"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    let expected: String = all.iter().map(|n| format!("[appliquée ] {n}\n")).collect();
    assert_eq!(text, expected);
    assert!(text.starts_with(
        "[appliquée ] 2024-01-15-000000_v2_1_tables_initiales\n\
         [appliquée ] 2024-06-01-000000_v2_2_tables\n\
         [appliquée ] 2024-06-01-000001_v2_2_modifications\n"
    ));

    let revert = command(db.url())
        .args(["migrate", "revert"])
        .output()
        .unwrap();
    assert!(revert.status.success(), "{}", logs(&revert));
    let status = command(db.url())
        .args(["migrate", "status"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        text.ends_with(&format!("[en attente] {}\n", all.last().unwrap())),
        "{text}"
    );
}

#[test]
fn la_commande_schema_imprime_le_schema_commite() {
    let output = Command::new(BIN).arg("schema").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        registre_dcp::graphql::sdl()
    );
}

fn create_user(database_url: &str, password: &str) -> Output {
    command(database_url)
        .args([
            "create-user",
            "--email",
            "Admin@ARTCI.ci",
            "--nom",
            "Traoré",
            "--prenom",
            "Issa",
            "--role",
            "admin",
        ])
        .env("REGISTRE_PASSWORD", password)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_cree_un_agent_avec_un_mot_de_passe_hache() {
    let db = TestDb::new().await;
    let weak = create_user(db.url(), "faible");
    assert!(!weak.status.success());
    assert!(logs(&weak).contains("8 caractères"), "{}", logs(&weak));

    let output = create_user(db.url(), "Kokumbo-Lagune-42");
    assert!(output.status.success(), "{}", logs(&output));
    let row = db
        .client()
        .await
        .query_one("SELECT email, role::text, password_hash FROM users", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "admin@artci.ci");
    assert_eq!(row.get::<_, String>(1), "admin");
    let hash: String = row.get(2);
    assert!(hash.starts_with("$argon2id$"));
    assert!(registre_dcp::domain::mot_de_passe::verify_blocking(
        "Kokumbo-Lagune-42",
        &hash
    ));
}
