//! Test harness: every test gets its own database, cloned from a template migrated once per
//! run, and an application built on it; requests go through the real router.

#![allow(dead_code)]

pub mod cluster;
pub mod courriels;
pub mod dossiers;
pub mod historique;
pub mod node;
pub mod serveur;
pub mod stockage;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{TimeZone, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use tokio_postgres::NoTls;
use tower::ServiceExt;
use uuid::Uuid;

use registre_dcp::clock::{Clock, ManualClock};
use registre_dcp::config::ServeConfig;
use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::{self, Titulaire};
use registre_dcp::models::users::{self, NouvelUtilisateur};
use registre_dcp::state::AppState;
use registre_dcp::{db, graphql, http};

/// The PostgreSQL server the tests use: `TEST_DATABASE_URL`, else `DATABASE_URL`'s server,
/// else the local one. Test databases are created and dropped on it.
pub fn admin_url() -> String {
    let base = std::env::var("TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    url_for(&base, "postgres")
}

/// `base` with its database name replaced by `database`.
pub fn url_for(base: &str, database: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (base, None),
    };
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    let server = match without_query[authority_start..].find('/') {
        Some(slash) => &without_query[..authority_start + slash],
        None => without_query,
    };
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}

async fn admin() -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&admin_url(), NoTls)
        .await
        .expect("PostgreSQL de test joignable (TEST_DATABASE_URL)");
    tokio::spawn(connection);
    client
}

/// A digest of `migrations/`: a changed migration gets a new template.
fn migrations_digest() -> String {
    fn walk(dir: &Path, hasher: &mut DefaultHasher) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("migrations/")
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            path.file_name().hash(hasher);
            if path.is_dir() {
                walk(&path, hasher);
            } else {
                std::fs::read(&path)
                    .expect("fichier de migration")
                    .hash(hasher);
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"),
        &mut hasher,
    );
    format!("{:016x}", hasher.finish())
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The migrated template, built once per run (and once across concurrent runs, under an
/// advisory lock); templates of other migration sets are dropped.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("registre_dcp_tpl_{}", migrations_digest());
            let admin = admin().await;
            admin
                .execute("SELECT pg_advisory_lock(7265676973)", &[])
                .await
                .unwrap();
            let exists = admin
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .unwrap()
                .is_some();
            if !exists {
                // Another run (another checkout) may be using its own template right now:
                // only templates built more than six hours ago are stale.
                let stale = admin
                    .query(
                        "SELECT datname FROM pg_database \
                         WHERE datname LIKE 'registre_dcp_tpl_%' \
                           AND coalesce(shobj_description(oid, 'pg_database'), '0')::bigint \
                               < extract(epoch FROM now())::bigint - 6 * 3600",
                        &[],
                    )
                    .await
                    .unwrap();
                for row in stale {
                    let old: String = row.get(0);
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)"))
                        .await;
                }
                let building = format!("{name}_b");
                // Two statements: a batch would run as one transaction, which DROP DATABASE refuses.
                admin
                    .batch_execute(&format!(
                        "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
                    ))
                    .await
                    .unwrap();
                admin
                    .batch_execute(&format!(
                        "CREATE DATABASE \"{building}\" TEMPLATE template0"
                    ))
                    .await
                    .unwrap();
                registre_dcp::migrations::run_pending(&url_for(&admin_url(), &building))
                    .await
                    .expect("migrations du gabarit");
                admin
                    .batch_execute(&format!(
                        "COMMENT ON DATABASE \"{building}\" IS '{}'",
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap()
                            .as_secs()
                    ))
                    .await
                    .unwrap();
                admin
                    .batch_execute(&format!(
                        "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                    ))
                    .await
                    .unwrap();
            }
            admin
                .execute("SELECT pg_advisory_unlock(7265676973)", &[])
                .await
                .unwrap();
            name
        })
        .await
}

/// A database of one test, dropped when the test ends.
pub struct TestDb {
    name: String,
    url: String,
}

impl TestDb {
    /// A fresh database with every migration applied.
    pub async fn new() -> Self {
        let template = template().await;
        Self::create(&format!("TEMPLATE \"{template}\"")).await
    }

    /// A fresh, empty database: no migration, no extension.
    pub async fn empty() -> Self {
        Self::create("TEMPLATE template0").await
    }

    async fn create(options: &str) -> Self {
        let name = format!("registre_dcp_t_{}", Uuid::new_v4().simple());
        admin()
            .await
            .batch_execute(&format!("CREATE DATABASE \"{name}\" {options}"))
            .await
            .expect("CREATE DATABASE");
        let url = url_for(&admin_url(), &name);
        Self { name, url }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url)
            .await
            .expect("connexion à la base de test")
    }

    /// A raw client, for catalog queries.
    pub async fn client(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.url, NoTls).await.unwrap();
        tokio::spawn(connection);
        client
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Runs on its own thread and runtime: the test's runtime may be shutting down.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                if let Ok((client, connection)) = tokio_postgres::connect(&admin_url(), NoTls).await
                {
                    tokio::spawn(connection);
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

/// The address requests come from by default.
pub const CLIENT_ADDR: ([u8; 4], u16) = ([203, 0, 113, 10], 50000);

/// An application on its own database, with a clock that moves only when told.
pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    router: Router,
}

/// A reply: status, headers, body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!("réponse non JSON : {}", String::from_utf8_lossy(&self.body))
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    pub async fn with_config(adjust: impl FnOnce(&mut ServeConfig)) -> Self {
        Self::sur_base(TestDb::new().await, adjust)
    }

    /// The application on `db` (migrated), with the tests' configuration, then `adjust`'s.
    pub fn sur_base(db: TestDb, adjust: impl FnOnce(&mut ServeConfig)) -> Self {
        let mut config = ServeConfig::new(db.url());
        config.auth.jwt_secret = Some("secret-de-test-secret-de-test-32o".to_owned());
        config.database.pool_size = 4;
        // Tests send many requests from one address within one frozen minute.
        config.comptes.rate_limit_auth_per_minute = 10_000;
        config.comptes.rate_limit_auth_per_account_per_minute = 10_000;
        config.http.public_rate_limit_per_minute = 100_000;
        config.http.public_rate_limit_burst = 100_000;
        config.http.account_rate_limit_per_minute = 100_000;
        config.http.account_rate_limit_burst = 100_000;
        // Many tests serve replicas to 127.0.0.1 at once.
        config.http.max_connections_per_address = 0;
        // The test SMTP server of scripts/test, when there is one (else mails go to the log).
        config.mail.smtp_url = std::env::var("TEST_SMTP_URL")
            .ok()
            .filter(|u| !u.is_empty());
        adjust(&mut config);
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
        let requetes = db::CompteurRequetes::default();
        let pool = db::pool(&config.database, &requetes);
        let state =
            AppState::new(config, pool, requetes, clock.clone()).expect("état de l'application");
        let schema = graphql::build(state.clone());
        let router = http::router(state.clone(), schema);
        Self {
            db,
            state,
            clock,
            router,
        }
    }

    /// Sends a request through the router, as if from `CLIENT_ADDR` unless the request says
    /// otherwise.
    pub async fn send(&self, mut request: Request<Body>) -> Reply {
        if request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_none()
        {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(CLIENT_ADDR)));
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// POSTs one GraphQL operation as JSON, with a bearer token when given.
    pub async fn post_graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Reply {
        let mut builder = Request::post("/graphql").header("content-type", "application/json");
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// The JSON answer of one GraphQL operation (asserting HTTP 200).
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let reply = self.post_graphql(query, variables, token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json()
    }

    /// SQL statements the application's pool has run so far (its `/metrics` counter).
    pub fn requetes_sql(&self) -> u64 {
        self.state.metrics.requetes_sql().executees()
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        self.clock.now()
    }

    /// Runs one pass of the outbox worker (tests do not wait for the background task) and
    /// returns how many mails were delivered.
    pub async fn distribuer_courriels(&self) -> usize {
        // What requests handed off first (a reset code to queue).
        self.state.a_finir.close();
        self.state.a_finir.wait().await;
        self.state.a_finir.reopen();
        registre_dcp::mail::envoyer_en_attente(&self.state)
            .await
            .expect("passe d'envoi des courriels")
    }

    /// Creates an active staff user with `role` and returns its id and an access token.
    pub async fn staff(&self, role: RoleUtilisateur) -> (Uuid, String) {
        let mut conn = self.db.conn().await;
        let user = users::create(
            &mut conn,
            &NouvelUtilisateur {
                nom: "Koné".into(),
                prenom: "Awa".into(),
                email: format!("agent.{}@artci.ci", Uuid::new_v4().simple()),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2VsZGV0ZXN0$aGFzaGRldGVzdA".into(),
                role,
                doit_changer_mot_de_passe: false,
            },
        )
        .await
        .unwrap();
        let token = self.token_for(Titulaire::Agent(user.id)).await;
        (user.id, token)
    }

    /// A company account (e-mail verified) with this `statut_inscription` (`en_attente`,
    /// `approuvee`, `rejetee`) and an access token.
    pub async fn entreprise(&self, statut: &str) -> (Uuid, String) {
        let id: Uuid = self
            .db
            .client()
            .await
            .query_one(
                "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc,
                     region, email_verifie, statut_inscription, motif_rejet_code)
                 VALUES ($1, 'x', 'Société test', $2, 'abidjan', true,
                     $3::text::statut_inscription,
                     CASE WHEN $3 = 'rejetee' THEN 'autre'::motif_rejet_inscription END)
                 RETURNING id",
                &[
                    &format!("{}@test.ci", Uuid::new_v4().simple()),
                    &ncc(),
                    &statut,
                ],
            )
            .await
            .unwrap()
            .get(0);
        (id, self.token_for(Titulaire::Compte(id)).await)
    }

    /// One GraphQL operation as a multipart request (the GraphQL multipart request spec),
    /// with one file at `chemin` (e.g. `variables.input.fichier`).
    #[allow(clippy::too_many_arguments)]
    pub async fn graphql_multipart(
        &self,
        query: &str,
        variables: Value,
        chemin: &str,
        nom: &str,
        content_type: &str,
        contenu: &[u8],
        token: Option<&str>,
    ) -> Reply {
        const LIMITE: &str = "----registre-dcp-limite-support-0b4Xk2";
        let operations = json!({ "query": query, "variables": variables });
        let mut body = Vec::with_capacity(contenu.len() + 1024);
        body.extend_from_slice(
            format!(
                "--{LIMITE}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
                 --{LIMITE}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"{chemin}\"]}}\r\n\
                 --{LIMITE}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{nom}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(contenu);
        body.extend_from_slice(format!("\r\n--{LIMITE}--\r\n").as_bytes());
        let mut builder = Request::post("/graphql").header(
            "content-type",
            format!("multipart/form-data; boundary={LIMITE}"),
        );
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Opens a session for `titulaire` (which must exist) and returns its access token.
    pub async fn token_for(&self, titulaire: Titulaire) -> String {
        let mut conn = self.db.conn().await;
        let now = self.clock.now();
        let session = sessions::create(
            &mut conn,
            titulaire,
            false,
            None,
            None,
            now,
            now + chrono::Duration::days(7),
        )
        .await
        .expect("session");
        self.state.tokens.issue(titulaire, session.id, now)
    }
}

/// A fresh NCC: 7 digits and a letter.
pub fn ncc() -> String {
    format!("{:07}A", Uuid::new_v4().as_u128() % 10_000_000)
}

/// The `extensions.code` of the first error of a GraphQL answer.
pub fn error_code(answer: &Value) -> Option<&str> {
    answer["errors"][0]["extensions"]["code"].as_str()
}
