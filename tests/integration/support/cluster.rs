//! A PostgreSQL server of one test's own, for the faults that would disturb the shared one:
//! it is stopped, restarted and started again while an application uses it. `initdb` and
//! `pg_ctl` come from the system's PostgreSQL (`/usr/lib/postgresql/<major>/bin`); PostGIS,
//! installed system-wide, serves it as it serves the shared server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tokio_postgres::NoTls;
use uuid::Uuid;

use registre_dcp::config::ServeConfig;

use super::{TestApp, TestDb};

/// A running PostgreSQL server in a temporary directory, on a free port of 127.0.0.1 with
/// trust authentication; stopped and deleted when dropped.
pub struct ServeurPg {
    repertoire: PathBuf,
    binaires: PathBuf,
    port: u16,
    /// PostgreSQL refuses to run as root: then its programs run as the `postgres` user.
    en_tant_que_postgres: bool,
}

impl ServeurPg {
    /// Creates the cluster (`initdb`) and starts it.
    pub async fn demarrer() -> Self {
        tokio::task::spawn_blocking(Self::creer)
            .await
            .expect("création du serveur PostgreSQL")
    }

    fn creer() -> Self {
        let binaires = binaires_postgresql();
        let repertoire =
            std::env::temp_dir().join(format!("registre-dcp-pg-{}", Uuid::new_v4().simple()));
        std::fs::create_dir(&repertoire).expect("répertoire du serveur PostgreSQL");
        let en_tant_que_postgres = est_root();
        let serveur = Self {
            repertoire,
            binaires,
            port: port_libre(),
            en_tant_que_postgres,
        };
        if en_tant_que_postgres {
            verifier(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&serveur.repertoire)
                    .output(),
                "chown",
            );
        }
        let donnees = serveur.donnees();
        verifier(
            serveur
                .programme("initdb")
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8"])
                .args(["--locale=C.UTF-8", "--no-sync", "-D"])
                .arg(&donnees)
                .output(),
            "initdb",
        );
        verifier(serveur.commande_de_lancement().output(), "pg_ctl start");
        serveur
    }

    /// The URL of `base` on this server.
    pub fn url(&self, base: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{base}", self.port)
    }

    /// A fast stop (`pg_ctl stop -m fast`): running statements are cancelled, sessions are
    /// closed with `57P01 admin_shutdown`; returns once the server is down.
    pub async fn arreter(&self) {
        let mut commande = self.pg_ctl(&["stop", "-m", "fast", "-w"]);
        tokio::task::spawn_blocking(move || verifier(commande.output(), "pg_ctl stop"))
            .await
            .unwrap();
    }

    /// Starts the server again; returns once it accepts connections.
    pub async fn relancer(&self) {
        let mut commande = self.commande_de_lancement();
        tokio::task::spawn_blocking(move || verifier(commande.output(), "pg_ctl start"))
            .await
            .unwrap();
    }

    fn commande_de_lancement(&self) -> Command {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c lc_messages=C",
            self.port,
            self.repertoire.display()
        );
        let journal = self.repertoire.join("postgresql.log");
        let mut commande = self.pg_ctl(&["start", "-w", "-t", "60", "-o", &options, "-l"]);
        commande.arg(journal);
        commande
    }

    fn pg_ctl(&self, arguments: &[&str]) -> Command {
        let mut commande = self.programme("pg_ctl");
        commande.arg("-D").arg(self.donnees()).args(arguments);
        commande
    }

    fn donnees(&self) -> PathBuf {
        self.repertoire.join("donnees")
    }

    fn programme(&self, nom: &str) -> Command {
        let chemin = self.binaires.join(nom);
        if self.en_tant_que_postgres {
            let mut commande = Command::new("runuser");
            commande.args(["-u", "postgres", "--"]).arg(chemin);
            commande
        } else {
            Command::new(chemin)
        }
    }

    /// A new database on this server with every migration applied.
    pub async fn base_migree(&self) -> String {
        let nom = format!("registre_dcp_t_{}", Uuid::new_v4().simple());
        let (client, connexion) = tokio_postgres::connect(&self.url("postgres"), NoTls)
            .await
            .expect("serveur PostgreSQL du test joignable");
        tokio::spawn(connexion);
        client
            .batch_execute(&format!("CREATE DATABASE \"{nom}\""))
            .await
            .expect("CREATE DATABASE");
        registre_dcp::migrations::run_pending(&self.url(&nom))
            .await
            .expect("migrations sur le serveur du test");
        nom
    }
}

impl Drop for ServeurPg {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-m", "immediate", "-w"]).output();
        let _ = std::fs::remove_dir_all(&self.repertoire);
    }
}

/// `/usr/lib/postgresql/<major>/bin`, of the newest major installed.
fn binaires_postgresql() -> PathBuf {
    let racine = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<u32> = std::fs::read_dir(racine)
        .expect("PostgreSQL installé dans /usr/lib/postgresql")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter(|v: &u32| racine.join(v.to_string()).join("bin/initdb").exists())
        .collect();
    versions.sort_unstable();
    let version = versions.last().expect("initdb dans /usr/lib/postgresql");
    racine.join(version.to_string()).join("bin")
}

fn est_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn port_libre() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn verifier(sortie: std::io::Result<Output>, quoi: &str) {
    let sortie = sortie.unwrap_or_else(|e| panic!("{quoi} : {e}"));
    assert!(
        sortie.status.success(),
        "{quoi} : {}\n{}\n{}",
        sortie.status,
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
}

impl TestApp {
    /// An application on a migrated database of `serveur`, configured as [`TestApp::with_config`]
    /// does. Its `db` points at that database: the shared server, where its drop looks for it,
    /// has no such database, and the whole cluster goes with `serveur`.
    pub async fn sur_serveur(serveur: &ServeurPg, adjust: impl FnOnce(&mut ServeConfig)) -> Self {
        let name = serveur.base_migree().await;
        let url = serveur.url(&name);
        Self::sur_base(TestDb { name, url }, adjust)
    }
}
