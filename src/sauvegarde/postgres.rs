//! The PostgreSQL side of a backup: Debian's `pg_dump` / `pg_restore` of the server's major
//! version, the exported snapshot every read of a backup shares, and what makes a database
//! "empty" for a restore.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context as _, bail};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use crate::db::redact;
use crate::models::documents_joints;

/// The tables whose row counts the manifest records: the registry's main records.
pub const TABLES_COMPTEES: &[&str] = &[
    "comptes_entreprises",
    "users",
    "entites_base",
    "registre_traitements",
    "documents_joints",
    "historique_statuts",
    "assignations_demandes",
    "feedbacks_verification",
    "versions_approuvees",
    "rapports_activite",
];

/// Where Debian installs each major version's client programs.
const DEBIAN_LIB: &str = "/usr/lib/postgresql";

#[derive(QueryableByName)]
struct Nombre {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Entier {
    #[diesel(sql_type = Integer)]
    n: i32,
}

#[derive(QueryableByName)]
struct Texte {
    #[diesel(sql_type = Nullable<Text>)]
    t: Option<String>,
}

/// A connection of its own, without the service's timeouts: a dump of a large registry
/// holds its snapshot for as long as it takes.
pub async fn connexion(url: &str) -> anyhow::Result<AsyncPgConnection> {
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .with_context(|| format!("connexion à la base {} impossible", redact(url)))?;
    conn.batch_execute(
        "SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; \
         SET TIME ZONE 'UTC'",
    )
    .await
    .context("configuration de la connexion")?;
    Ok(conn)
}

/// The server's major version (15 for 15.8).
pub async fn version_majeure(conn: &mut AsyncPgConnection) -> anyhow::Result<u32> {
    let v: Entier =
        diesel::sql_query("SELECT (current_setting('server_version_num')::int / 10000) AS n")
            .get_result(conn)
            .await
            .context("version du serveur PostgreSQL")?;
    Ok(u32::try_from(v.n).unwrap_or(0))
}

/// `pg_dump` and `pg_restore` of one installation.
#[derive(Debug, Clone)]
pub struct Outils {
    pub pg_dump: PathBuf,
    pub pg_restore: PathBuf,
}

impl Outils {
    /// The client programs for a server of major version `majeure`: those of exactly that
    /// version when installed (`/usr/lib/postgresql/<N>/bin`, or the ones on `PATH`), else the
    /// newest later one (`pg_dump` reads older servers, never newer ones).
    pub fn pour(majeure: u32) -> anyhow::Result<Self> {
        let mut candidats: Vec<(u32, PathBuf)> = Vec::new();
        if let Ok(entrees) = std::fs::read_dir(DEBIAN_LIB) {
            for entree in entrees.filter_map(Result::ok) {
                let bin = entree.path().join("bin");
                if let Some(n) = entree.file_name().to_str().and_then(|n| n.parse().ok())
                    && bin.join("pg_dump").is_file()
                    && bin.join("pg_restore").is_file()
                {
                    candidats.push((n, bin));
                }
            }
        }
        if let Some(n) = version_sur_path("pg_dump")
            && version_sur_path("pg_restore") == Some(n)
        {
            candidats.push((n, PathBuf::new()));
        }
        let choisi = candidats.iter().find(|(n, _)| *n == majeure).or_else(|| {
            candidats
                .iter()
                .filter(|(n, _)| *n > majeure)
                .max_by_key(|(n, _)| *n)
        });
        let Some((_, bin)) = choisi else {
            bail!(
                "pg_dump et pg_restore {majeure} (ou plus récents) introuvables, ni sur PATH ni \
                 dans {DEBIAN_LIB}/*/bin : installez le paquet Debian postgresql-client-{majeure} \
                 (ou postgresql-client)"
            );
        };
        Ok(Self {
            pg_dump: bin.join("pg_dump"),
            pg_restore: bin.join("pg_restore"),
        })
    }

    /// `pg_dump` in the custom format, of the exported `snapshot`, into `fichier`.
    pub async fn pg_dump(&self, url: &str, snapshot: &str, fichier: &Path) -> anyhow::Result<()> {
        let mut args = vec![
            "--format=custom".to_owned(),
            format!("--snapshot={snapshot}"),
            format!("--file={}", fichier.display()),
        ];
        executer(&self.pg_dump, &mut args, url).await
    }

    /// `pg_restore` of `fichier` in one transaction: an error leaves the database as it was.
    /// Owners and privileges are the target's (the restoring role owns everything).
    pub async fn pg_restore(&self, url: &str, fichier: &Path) -> anyhow::Result<()> {
        let mut args = vec![
            "--single-transaction".to_owned(),
            "--exit-on-error".to_owned(),
            "--no-owner".to_owned(),
            "--no-privileges".to_owned(),
            fichier.display().to_string(),
        ];
        executer(&self.pg_restore, &mut args, url).await
    }
}

/// The major version of `programme` found on `PATH` (`pg_dump (PostgreSQL) 15.8 (Debian …)`).
fn version_sur_path(programme: &str) -> Option<u32> {
    let sortie = std::process::Command::new(programme)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let texte = String::from_utf8_lossy(&sortie.stdout);
    let version = texte.split(')').nth(1)?.split_whitespace().next()?;
    version.split('.').next()?.parse().ok()
}

/// Runs a client program on the database of `url`. The password goes through `PGPASSWORD`,
/// not the command line other users of the machine can read.
async fn executer(programme: &Path, args: &mut Vec<String>, url: &str) -> anyhow::Result<()> {
    let (url_sans_mot_de_passe, mot_de_passe) = separer_mot_de_passe(url);
    args.insert(0, format!("--dbname={url_sans_mot_de_passe}"));
    let mut commande = tokio::process::Command::new(programme);
    commande
        .args(args.iter())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(mot_de_passe) = mot_de_passe {
        commande.env("PGPASSWORD", mot_de_passe);
    }
    let nom = programme.file_name().map_or_else(
        || programme.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sortie = commande
        .output()
        .await
        .with_context(|| format!("lancement de {} impossible", programme.display()))?;
    if !sortie.status.success() {
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        let fin: Vec<&str> = erreurs.lines().rev().take(5).collect();
        let fin: Vec<&str> = fin.into_iter().rev().collect();
        bail!("{nom} a échoué ({}) : {}", sortie.status, fin.join(" / "));
    }
    Ok(())
}

/// `postgres://u:p%40ss@h/db` → (`postgres://u@h/db`, `p@ss`). A URL that does not parse is
/// passed as it is.
fn separer_mot_de_passe(url: &str) -> (String, Option<String>) {
    let Ok(mut analysee) = url::Url::parse(url) else {
        return (url.to_owned(), None);
    };
    let Some(mot_de_passe) = analysee.password().map(decoder_pourcent) else {
        return (url.to_owned(), None);
    };
    if analysee.set_password(None).is_err() {
        return (url.to_owned(), None);
    }
    (analysee.to_string(), Some(mot_de_passe))
}

fn decoder_pourcent(texte: &str) -> String {
    let octets = texte.as_bytes();
    let mut sortie = Vec::with_capacity(octets.len());
    let mut i = 0;
    while i < octets.len() {
        if octets[i] == b'%'
            && let Some(h) = texte.get(i + 1..i + 3)
            && let Ok(o) = u8::from_str_radix(h, 16)
        {
            sortie.push(o);
            i += 3;
        } else {
            sortie.push(octets[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&sortie).into_owned()
}

/// A read-only repeatable-read transaction whose snapshot is exported: `pg_dump --snapshot`
/// and the manifest's reads (counts, keys, migration) then see exactly the same data.
pub struct Instantane {
    conn: AsyncPgConnection,
    pub id: String,
}

impl Instantane {
    pub async fn ouvrir(mut conn: AsyncPgConnection) -> anyhow::Result<Self> {
        conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .context("ouverture de l'instantané")?;
        let id: Texte = diesel::sql_query("SELECT pg_export_snapshot() AS t")
            .get_result(&mut conn)
            .await
            .context("export de l'instantané")?;
        Ok(Self {
            conn,
            id: id.t.unwrap_or_default(),
        })
    }

    /// The version of the last migration applied.
    pub async fn derniere_migration(&mut self) -> anyhow::Result<String> {
        let t: Texte =
            diesel::sql_query("SELECT max(version)::text AS t FROM __diesel_schema_migrations")
                .get_result(&mut self.conn)
                .await
                .context("la base n'est pas celle du registre (aucune migration appliquée)")?;
        t.t.context("la base n'est pas celle du registre (aucune migration appliquée)")
    }

    /// Rows of each of [`TABLES_COMPTEES`].
    pub async fn comptes(&mut self) -> anyhow::Result<BTreeMap<String, i64>> {
        compter(&mut self.conn, TABLES_COMPTEES).await
    }

    /// The storage keys the dump's rows refer to.
    pub async fn cles_documents(&mut self) -> anyhow::Result<Vec<String>> {
        documents_joints::toutes_les_cles(&mut self.conn)
            .await
            .context("lecture des clés des documents")
    }

    pub async fn fermer(mut self) -> anyhow::Result<AsyncPgConnection> {
        self.conn.batch_execute("COMMIT").await?;
        Ok(self.conn)
    }
}

/// Rows of each of `tables`, those of [`TABLES_COMPTEES`] only (a name read from an archive
/// never reaches the SQL).
pub async fn compter(
    conn: &mut AsyncPgConnection,
    tables: &[&str],
) -> anyhow::Result<BTreeMap<String, i64>> {
    let mut comptes = BTreeMap::new();
    for table in TABLES_COMPTEES.iter().filter(|t| tables.contains(t)) {
        let n: Nombre = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result(conn)
            .await
            .with_context(|| format!("comptage de {table}"))?;
        comptes.insert((*table).to_owned(), n.n);
    }
    Ok(comptes)
}

/// A few of the objects that make the database not empty: tables, views, sequences, enums
/// and domains of any schema but the system's, except those an extension (PostGIS) created.
pub async fn objets_presents(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<String>> {
    let objets: Vec<Texte> = diesel::sql_query(
        "SELECT n.nspname || '.' || c.relname AS t
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_%'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                               AND d.deptype = 'e')
         UNION ALL
         SELECT n.nspname || '.' || t.typname
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype IN ('e', 'd')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_%'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                               AND d.deptype = 'e')
         ORDER BY 1 LIMIT 5",
    )
    .load(conn)
    .await
    .context("lecture du catalogue de la base cible")?;
    Ok(objets.into_iter().filter_map(|o| o.t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_mot_de_passe_passe_par_l_environnement() {
        assert_eq!(
            separer_mot_de_passe("postgres://registre:p%40ss%2Fx@127.0.0.1:5432/registre_dcp"),
            (
                "postgres://registre@127.0.0.1:5432/registre_dcp".to_owned(),
                Some("p@ss/x".to_owned())
            )
        );
        assert_eq!(
            separer_mot_de_passe("postgres://postgres@127.0.0.1/registre_dcp?sslmode=disable"),
            (
                "postgres://postgres@127.0.0.1/registre_dcp?sslmode=disable".to_owned(),
                None
            )
        );
    }
}
