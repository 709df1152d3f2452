//! Configuration, read once at start-up from the command line and the environment (a `.env`
//! file in the working directory is loaded first). Every variable:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `DATABASE_URL` | `postgres://postgres@127.0.0.1:5432/registre_dcp` | PostgreSQL (with PostGIS) |
//! | `DATABASE_CONNECT_DEADLINE_SECS` | 60 | how long `serve` retries an unreachable database |
//! | `DATABASE_POOL_SIZE` | 16 | connections in the pool |
//! | `DATABASE_POOL_TIMEOUT_MS` | 3000 | wait for a pooled connection before `UNAVAILABLE` |
//! | `DATABASE_STATEMENT_TIMEOUT_MS` | 15000 | PostgreSQL `statement_timeout` of every connection |
//! | `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS` | 10000 | PostgreSQL `idle_in_transaction_session_timeout` of every connection |
//! | `DATABASE_READ_URL` | none | a read replica for the public queries and exports |
//! | `LISTEN_ADDR` | `127.0.0.1:8080` | HTTP listen address |
//! | `APP_ENV` | `development` | `production` turns introspection off for all but staff, and suggestions off |
//! | `JWT_SECRET` | random per process (development only) | HS256 key, at least 32 bytes; required in production |
//! | `JWT_ISSUER` / `JWT_AUDIENCE` | `registre-dcp` | claims pinned in every token |
//! | `CORS_ORIGINS` | none | comma-separated origins allowed to call the API (and open its WebSocket) from a browser |
//! | `CORS_ALLOW_HEADERS` | tracing and Apollo headers (see [`CORS_ALLOW_HEADERS_DEFAUT`]) | request headers a browser may send besides `Authorization`, `Content-Type` and `Accept` |
//! | `MAX_BODY_BYTES` | 1048576 | largest JSON request body |
//! | `MAX_UPLOAD_BYTES` | 11534336 | largest multipart request body (a 10 MB document and its form) |
//! | `SHUTDOWN_GRACE_SECS` | 30 | how long in-flight requests may take to finish on SIGTERM |
//! | `METRICS_TOKEN` | none | when set, `/metrics` requires `Authorization: Bearer <token>`; not served in production without it |
//! | `TRUSTED_PROXIES` | none | comma-separated proxies (IPs or CIDR) whose `X-Forwarded-For` gives the client address |
//! | `EXPORT_MAX_PER_CLIENT` | 2 | exports one client address may run or download at once |
//! | `MAX_WEBSOCKETS_PER_ADDRESS` | 16 | WebSockets one client address may hold open |
//! | `MAX_SUBSCRIPTIONS_PER_CONNECTION` | 16 | subscriptions running at once on one WebSocket |
//! | `MAX_SUBSCRIPTIONS_PER_ACCOUNT` | 64 | subscriptions running at once for one account (per instance) |
//! | `MAX_CONCURRENT_WRITES_PER_ACCOUNT` | 2 | mutations one account may run at once (per instance) |
//! | `REQUEST_DEADLINE_SECS` | 30 | the longest a GraphQL request may run before it is abandoned |
//! | `SMTP_URL` | none | `smtp://host:port` (or `smtps://user:pass@host`); unset: mails go to the log |
//! | `MAIL_FROM` | `Registre DCP <ne-pas-repondre@artci.ci>` | sender of every mail |
//! | `OTP_SECRET` | derived from `JWT_SECRET` | key of the OTP hashes (HMAC-SHA256) |
//! | `OTP_RETENTION_DAYS` | 30 | expired codes and stored IP addresses are purged after this |
//! | `PASSWORD_MAX_AGE_DAYS` | 180 | password lifetime; 0 disables expiry |
//! | `LOGIN_MAX_FAILURES` | 5 | wrong passwords of one client for one address before it waits |
//! | `LOGIN_LOCKOUT_MINUTES` | 15 | the longest wait (it doubles from one minute) |
//! | `STORAGE_DIR` | `./storage` | directory of the uploaded documents (when `STORAGE_URL` is unset) |
//! | `STORAGE_URL` | none | `s3://bucket/prefix`: documents in an S3-compatible bucket (credentials, region and endpoint from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, …) |
//! | `MAX_DOCUMENTS_PER_ENTITY` | 100 | documents a company may upload to one dossier (superseded ones count) |
//! | `MAX_DOCUMENT_BYTES_PER_ENTITY` | 209715200 | bytes a company may upload to one dossier |
//! | `MAX_DOCUMENT_BYTES_PER_ACCOUNT` | 1073741824 | bytes one company account may upload in all |
//! | `VALIDITE_AGREMENT_MOIS` | 24 | validity of an approval (receipt or authorisation), in months from its validation |
//! | `PUBLIC_BASE_URL` | `http://127.0.0.1:8080` | the service's public address: certificates print and encode `<PUBLIC_BASE_URL>/verification/<numero>` |
//! | `RAPPORT_RAPPELS` | `03-01,03-25` | the two days (`MM-JJ`, before 31 March) on which approved entities without their annual activity report for the past year are reminded |
//! | `RATE_LIMIT_AUTH_PER_MINUTE` | 20 | sign-up, login, OTP and reset requests per client IP and minute |
//! | `RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE` | 10 | the same requests per e-mail address and minute, whatever the IP |
//! | `LOG_FORMAT` | `text` | `json` for one JSON object per line |
//! | `RUST_LOG` | `info` | log filter |

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/registre_dcp";

#[derive(Debug, Parser)]
#[command(
    name = "registre-dcp",
    version,
    about = "Registre des traitements de données à caractère personnel (ARTCI)"
)]
pub struct Cli {
    /// Log format: `text` or `json`.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply every pending migration, then serve the API.
    Serve(Box<ServeConfig>),
    /// Manage the database schema.
    Migrate {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the GraphQL schema (SDL): the content of `schema.graphql`.
    Schema,
    /// Create an ARTCI staff account. The password comes from `REGISTRE_PASSWORD`, or is asked
    /// for on the terminal.
    CreateUser(CreateUserArgs),
    /// Fill an empty database with demonstration data (entities in every status).
    Seed(crate::cli::SeedArgs),
    /// Write one archive of the database and of every stored document, while the service runs.
    Sauvegarde(SauvegardeArgs),
    /// Restore an archive of `sauvegarde` into an empty database and an empty store.
    Restauration(RestaurationArgs),
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Run,
    /// Revert the latest applied migration.
    Revert,
    /// List the migrations and whether each is applied.
    Status,
}

#[derive(Debug, Clone, Args)]
pub struct CreateUserArgs {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub nom: String,
    #[arg(long)]
    pub prenom: String,
    /// `super_admin`, `admin`, `editeur` or `lecteur`.
    #[arg(long)]
    pub role: String,
}

#[derive(Debug, Clone, Args)]
pub struct SauvegardeArgs {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub storage: StorageConfig,
    /// The archive to write; it must not exist yet.
    #[arg(long)]
    pub sortie: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RestaurationArgs {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub storage: StorageConfig,
    /// The archive to restore.
    #[arg(long)]
    pub entree: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub url: String,
    #[arg(long, env = "DATABASE_CONNECT_DEADLINE_SECS", default_value_t = 60)]
    pub connect_deadline_secs: u64,
    #[arg(long, env = "DATABASE_POOL_SIZE", default_value_t = 16)]
    pub pool_size: u32,
    #[arg(long, env = "DATABASE_POOL_TIMEOUT_MS", default_value_t = 3000)]
    pub pool_timeout_ms: u64,
    #[arg(long, env = "DATABASE_STATEMENT_TIMEOUT_MS", default_value_t = 15000)]
    pub statement_timeout_ms: u64,
    /// A transaction left idle this long (its request stuck between two statements) is ended
    /// by PostgreSQL with its session: its locks and its pooled connection are given back.
    #[arg(
        long,
        env = "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
        default_value_t = 10000
    )]
    pub idle_in_transaction_timeout_ms: u64,
    /// A read replica (streaming replication) for the anonymous public queries: the map, the
    /// register, its exports. Unset: they read from `DATABASE_URL`.
    #[arg(
        long = "database-read-url",
        env = "DATABASE_READ_URL",
        hide_env_values = true
    )]
    pub read_url: Option<String>,
}

impl DatabaseConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            connect_deadline_secs: 60,
            pool_size: 16,
            pool_timeout_ms: 3000,
            statement_timeout_ms: 15000,
            idle_in_transaction_timeout_ms: 10000,
            read_url: None,
        }
    }

    pub fn connect_deadline(&self) -> Duration {
        Duration::from_secs(self.connect_deadline_secs)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen_addr: SocketAddr,
    #[arg(long = "env", env = "APP_ENV", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,
    #[command(flatten)]
    pub auth: AuthConfig,
    #[command(flatten)]
    pub http: HttpConfig,
    #[command(flatten)]
    pub mail: MailConfig,
    #[command(flatten)]
    pub comptes: ComptesConfig,
    #[command(flatten)]
    pub storage: StorageConfig,
    #[command(flatten)]
    pub dossiers: DossiersConfig,
}

impl ServeConfig {
    /// A development configuration for the given database (tests and tools).
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database: DatabaseConfig::new(database_url),
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            environment: Environment::Development,
            auth: AuthConfig::default(),
            http: HttpConfig::default(),
            mail: MailConfig::default(),
            comptes: ComptesConfig::default(),
            storage: StorageConfig::default(),
            dossiers: DossiersConfig::default(),
        }
    }
}

/// The rules of ARTCI's decisions that the operator may tune.
#[derive(Debug, Clone, Args)]
pub struct DossiersConfig {
    /// How long an approval lasts from its validation (DOMAIN: two years by default).
    #[arg(long, env = "VALIDITE_AGREMENT_MOIS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub validite_agrement_mois: u32,
    /// The public address of the service, without a trailing slash: certificates print
    /// `<PUBLIC_BASE_URL>/verification/<numero>` and encode it in their QR code.
    #[arg(long, env = "PUBLIC_BASE_URL", default_value = DEFAULT_PUBLIC_BASE_URL, value_parser = parse_public_base_url)]
    pub public_base_url: String,
    /// The two reminder days of the annual activity report (due 31 March), `MM-JJ,MM-JJ`.
    #[arg(long, env = "RAPPORT_RAPPELS", default_value = DEFAULT_RAPPORT_RAPPELS, value_parser = parse_rapport_rappels)]
    pub rapport_rappels: RappelsRapport,
}

pub const DEFAULT_PUBLIC_BASE_URL: &str = "http://127.0.0.1:8080";

/// An absolute `http(s)://` address with a host and no query or fragment; a trailing slash is
/// dropped.
fn parse_public_base_url(valeur: &str) -> Result<String, String> {
    let valeur = valeur.trim().trim_end_matches('/');
    let reste = valeur
        .strip_prefix("https://")
        .or_else(|| valeur.strip_prefix("http://"))
        .ok_or("PUBLIC_BASE_URL doit commencer par https:// ou http://")?;
    if reste.is_empty()
        || reste.starts_with('/')
        || reste.contains(['?', '#', ' '])
        || reste.chars().any(char::is_control)
    {
        return Err(format!("PUBLIC_BASE_URL invalide : {valeur}"));
    }
    Ok(valeur.to_owned())
}

pub const DEFAULT_RAPPORT_RAPPELS: &str = "03-01,03-25";

/// The two reminder days of the annual activity report, as (month, day), the first before
/// the second, both on or before 31 March.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RappelsRapport {
    pub premier: (u32, u32),
    pub second: (u32, u32),
}

fn parse_jour_du_mois(valeur: &str) -> Option<(u32, u32)> {
    let (mois, jour) = valeur.trim().split_once('-')?;
    let (mois, jour) = (mois.parse().ok()?, jour.parse().ok()?);
    // A day that exists every year (no 29 February), before the deadline.
    chrono::NaiveDate::from_ymd_opt(2025, mois, jour)?;
    ((mois, jour) <= (3, 31)).then_some((mois, jour))
}

/// `MM-JJ,MM-JJ`: two days of January to March, the first before the second.
fn parse_rapport_rappels(valeur: &str) -> Result<RappelsRapport, String> {
    let erreur = || {
        format!(
            "RAPPORT_RAPPELS invalide : {valeur} (attendu : deux jours MM-JJ croissants, au \
             plus tard le 03-31, par exemple 03-01,03-25)"
        )
    };
    let (a, b) = valeur.split_once(',').ok_or_else(erreur)?;
    let premier = parse_jour_du_mois(a).ok_or_else(erreur)?;
    let second = parse_jour_du_mois(b).ok_or_else(erreur)?;
    if premier >= second {
        return Err(erreur());
    }
    Ok(RappelsRapport { premier, second })
}

impl Default for DossiersConfig {
    fn default() -> Self {
        Self {
            validite_agrement_mois: 24,
            public_base_url: DEFAULT_PUBLIC_BASE_URL.to_owned(),
            rapport_rappels: parse_rapport_rappels(DEFAULT_RAPPORT_RAPPELS).unwrap_or(
                RappelsRapport {
                    premier: (3, 1),
                    second: (3, 25),
                },
            ),
        }
    }
}

/// Where uploaded documents are stored: `STORAGE_URL` (an S3-compatible bucket) when set,
/// else the directory `STORAGE_DIR`.
#[derive(Debug, Clone, Args)]
pub struct StorageConfig {
    #[arg(long, env = "STORAGE_DIR", default_value = DEFAULT_STORAGE_DIR)]
    pub storage_dir: PathBuf,
    #[arg(long, env = "STORAGE_URL", hide_env_values = true)]
    pub storage_url: Option<String>,
    /// Documents one dossier may hold, superseded ones included (company uploads).
    #[arg(long, env = "MAX_DOCUMENTS_PER_ENTITY", default_value_t = 100)]
    pub max_documents_par_entite: u32,
    /// Bytes of documents one dossier may hold (company uploads), 200 MiB by default.
    #[arg(long, env = "MAX_DOCUMENT_BYTES_PER_ENTITY", default_value_t = 200 * 1024 * 1024)]
    pub max_octets_par_entite: u64,
    /// Bytes of documents one company account may upload in all, 1 GiB by default.
    #[arg(long, env = "MAX_DOCUMENT_BYTES_PER_ACCOUNT", default_value_t = 1024 * 1024 * 1024)]
    pub max_octets_par_compte: u64,
}

pub const DEFAULT_STORAGE_DIR: &str = "./storage";

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            storage_dir: PathBuf::from(DEFAULT_STORAGE_DIR),
            storage_url: None,
            max_documents_par_entite: 100,
            max_octets_par_entite: 200 * 1024 * 1024,
            max_octets_par_compte: 1024 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct MailConfig {
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    #[arg(long, env = "MAIL_FROM", default_value = DEFAULT_MAIL_FROM)]
    pub mail_from: String,
}

pub const DEFAULT_MAIL_FROM: &str = "Registre DCP <ne-pas-repondre@artci.ci>";

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ComptesConfig {
    #[arg(long, env = "OTP_SECRET", hide_env_values = true)]
    pub otp_secret: Option<String>,
    #[arg(long, env = "OTP_RETENTION_DAYS", default_value_t = 30)]
    pub otp_retention_days: u32,
    #[arg(long, env = "PASSWORD_MAX_AGE_DAYS", default_value_t = 180)]
    pub password_max_age_days: u32,
    #[arg(long, env = "LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub login_max_failures: u32,
    #[arg(long, env = "LOGIN_LOCKOUT_MINUTES", default_value_t = 15)]
    pub login_lockout_minutes: u32,
    #[arg(long, env = "RATE_LIMIT_AUTH_PER_MINUTE", default_value_t = 20)]
    pub rate_limit_auth_per_minute: u32,
    /// Per e-mail address: a password guessed from many addresses still meets a limit.
    #[arg(
        long,
        env = "RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE",
        default_value_t = 10
    )]
    pub rate_limit_auth_per_account_per_minute: u32,
}

impl Default for ComptesConfig {
    fn default() -> Self {
        Self {
            otp_secret: None,
            otp_retention_days: 30,
            password_max_age_days: 180,
            login_max_failures: 5,
            login_lockout_minutes: 15,
            rate_limit_auth_per_minute: 20,
            rate_limit_auth_per_account_per_minute: 10,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct AuthConfig {
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    #[arg(long, env = "JWT_ISSUER", default_value = "registre-dcp")]
    pub jwt_issuer: String,
    #[arg(long, env = "JWT_AUDIENCE", default_value = "registre-dcp")]
    pub jwt_audience: String,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            jwt_issuer: "registre-dcp".into(),
            jwt_audience: "registre-dcp".into(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct HttpConfig {
    #[arg(long, env = "CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Request headers a browser page may send cross-origin, besides `Authorization`,
    /// `Content-Type`, `Accept` and `graphql-require-preflight`, which are always allowed.
    #[arg(
        long,
        env = "CORS_ALLOW_HEADERS",
        value_delimiter = ',',
        default_value = CORS_ALLOW_HEADERS_DEFAUT,
        value_parser = parse_en_tete
    )]
    pub cors_allow_headers: Vec<String>,
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    #[arg(long, env = "MAX_UPLOAD_BYTES", default_value_t = 11 * 1024 * 1024)]
    pub max_upload_bytes: usize,
    #[arg(long, env = "SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    pub shutdown_grace_secs: u64,
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` is believed.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Requests per minute an anonymous client (one address) may make to the public routes
    /// (`/graphql`, `/graphql/ws`, `/export/…`, `/documents/…`); 0 turns the limit off.
    #[arg(long, env = "PUBLIC_RATE_LIMIT_PER_MINUTE", default_value_t = 300)]
    pub public_rate_limit_per_minute: u32,
    /// How many of those requests may come at once, in a burst.
    #[arg(long, env = "PUBLIC_RATE_LIMIT_BURST", default_value_t = 60)]
    pub public_rate_limit_burst: u32,
    /// Requests per minute one signed-in account (a valid access token) may make to the same
    /// routes, wherever it calls from; a request with an invalid or expired token counts as
    /// anonymous. 0 turns the limit off.
    #[arg(long, env = "ACCOUNT_RATE_LIMIT_PER_MINUTE", default_value_t = 1200)]
    pub account_rate_limit_per_minute: u32,
    /// How many of an account's requests may come at once, in a burst.
    #[arg(long, env = "ACCOUNT_RATE_LIMIT_BURST", default_value_t = 200)]
    pub account_rate_limit_burst: u32,
    /// Exports of the public register running at once (each holds a database connection
    /// while it reads); beyond, `503` with `Retry-After`.
    #[arg(long, env = "EXPORT_MAX_CONCURRENT", default_value_t = 4)]
    pub export_max_concurrent: u32,
    /// Exports one client address may run or download at once; beyond, `429`. 0 turns the
    /// cap off.
    #[arg(long, env = "EXPORT_MAX_PER_CLIENT", default_value_t = 2)]
    pub export_max_per_client: usize,
    /// How long a WebSocket may stay open without its `connection_init` before it is closed.
    #[arg(long, env = "WS_INIT_TIMEOUT_SECS", default_value_t = 10)]
    pub ws_init_timeout_secs: u64,
    /// How long a client has to send a request's whole header; beyond, the connection is
    /// closed (a client trickling one header line every few seconds).
    #[arg(long, env = "HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// How long a client has to send a request's whole body, from its first byte; beyond,
    /// `408` and the connection is closed. 60 s carries an 11 MB upload at 1.5 Mbit/s.
    #[arg(long, env = "HTTP_BODY_TIMEOUT_SECS", default_value_t = 60)]
    pub body_timeout_secs: u64,
    /// Connections one client address may hold open at once (HTTP and WebSocket alike); a
    /// further one is closed as soon as it is accepted. The addresses of `TRUSTED_PROXIES`
    /// are not capped. 0 turns the cap off.
    #[arg(long, env = "MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 64)]
    pub max_connections_per_address: usize,
    /// WebSockets one client address may hold open at once (within its connections); a
    /// further upgrade is `429`. 0 turns the cap off.
    #[arg(long, env = "MAX_WEBSOCKETS_PER_ADDRESS", default_value_t = 16)]
    pub max_websockets_per_address: usize,
    /// Subscriptions running at once on one WebSocket; a further one is `RATE_LIMITED`.
    #[arg(long, env = "MAX_SUBSCRIPTIONS_PER_CONNECTION", default_value_t = 16)]
    pub max_subscriptions_per_connection: usize,
    /// Subscriptions running at once for one account, over all its sockets (per server
    /// instance); a further one is `RATE_LIMITED`.
    #[arg(long, env = "MAX_SUBSCRIPTIONS_PER_ACCOUNT", default_value_t = 64)]
    pub max_subscriptions_per_account: usize,
    /// Mutations one account may run at once (per server instance); a further one waits
    /// up to `DATABASE_POOL_TIMEOUT_MS` for its turn, then is `RATE_LIMITED`. One account's
    /// saves thus hold at most this many pooled connections.
    #[arg(long, env = "MAX_CONCURRENT_WRITES_PER_ACCOUNT", default_value_t = 2)]
    pub max_concurrent_writes_per_account: usize,
    /// The longest a GraphQL request may run, from its parsing; beyond, it is abandoned (its
    /// transaction rolls back) and answers `UNAVAILABLE`.
    #[arg(long, env = "REQUEST_DEADLINE_SECS", default_value_t = 30)]
    pub request_deadline_secs: u64,
}

/// The headers front-end tooling adds to its requests: request ids, W3C trace context and
/// baggage, Sentry's trace, Apollo Client's name and version and its CSRF-prevention header.
pub const CORS_ALLOW_HEADERS_DEFAUT: &str = "x-request-id,traceparent,tracestate,baggage,\
sentry-trace,apollographql-client-name,apollographql-client-version,apollo-require-preflight";

/// A header name, in lower case; a name HTTP does not allow is refused at start-up.
fn parse_en_tete(raw: &str) -> Result<String, String> {
    let nom = raw.trim().to_ascii_lowercase();
    axum::http::HeaderName::from_bytes(nom.as_bytes())
        .map(|_| nom)
        .map_err(|_| format!("nom d'en-tête HTTP invalide : « {} »", raw.trim()))
}

/// An address (`10.0.0.5`) or a block (`10.0.0.0/8`).
fn parse_proxy(raw: &str) -> Result<ipnet::IpNet, String> {
    let raw = raw.trim();
    raw.parse::<ipnet::IpNet>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("adresse ou bloc CIDR invalide : {raw}"))
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            cors_allow_headers: CORS_ALLOW_HEADERS_DEFAUT
                .split(',')
                .map(str::to_owned)
                .collect(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 11 * 1024 * 1024,
            shutdown_grace_secs: 30,
            metrics_token: None,
            trusted_proxies: Vec::new(),
            public_rate_limit_per_minute: 300,
            public_rate_limit_burst: 60,
            account_rate_limit_per_minute: 1200,
            account_rate_limit_burst: 200,
            export_max_concurrent: 4,
            export_max_per_client: 2,
            ws_init_timeout_secs: 10,
            header_timeout_secs: 10,
            body_timeout_secs: 60,
            max_connections_per_address: 64,
            max_websockets_per_address: 16,
            max_subscriptions_per_connection: 16,
            max_subscriptions_per_account: 64,
            max_concurrent_writes_per_account: 2,
            request_deadline_secs: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn les_rappels_du_rapport_sont_deux_jours_croissants_avant_le_31_mars() {
        assert_eq!(
            parse_rapport_rappels("03-01,03-25"),
            Ok(RappelsRapport {
                premier: (3, 1),
                second: (3, 25)
            })
        );
        for mauvais in ["03-25,03-01", "03-01", "04-01,04-10", "02-30,03-01", "x,y"] {
            assert!(parse_rapport_rappels(mauvais).is_err(), "{mauvais}");
        }
    }

    #[test]
    fn la_ligne_de_commande_est_coherente() {
        Cli::command().debug_assert();
    }

    #[derive(clap::Parser)]
    struct SeulHttp {
        #[command(flatten)]
        http: HttpConfig,
    }

    #[test]
    fn les_en_tetes_cors_par_defaut_sont_ceux_des_outils_et_se_remplacent() {
        use clap::Parser;
        let defaut = SeulHttp::try_parse_from(["registre-dcp"]).unwrap().http;
        assert_eq!(
            defaut.cors_allow_headers,
            HttpConfig::default().cors_allow_headers
        );
        for attendu in ["traceparent", "sentry-trace", "apollo-require-preflight"] {
            assert!(
                defaut.cors_allow_headers.iter().any(|h| h == attendu),
                "{attendu}"
            );
        }
        let choisis = SeulHttp::try_parse_from(["registre-dcp", "--cors-allow-headers", "x-a,x-b"])
            .unwrap()
            .http;
        assert_eq!(choisis.cors_allow_headers, ["x-a", "x-b"]);
        assert!(SeulHttp::try_parse_from(["registre-dcp", "--cors-allow-headers", "x a"]).is_err());
    }
}
