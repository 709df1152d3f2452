//! The migration history: exactly the guide's three steps, and each `down.sql` undoes its
//! `up.sql` exactly (compared on `pg_dump --schema-only`), the last one keeping the rows
//! that hold a v2.2 conformity status.

use std::process::Command;

use diesel::migration::{Migration, MigrationSource};
use diesel::pg::Pg;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::MigrationHarness;

use registre_dcp::migrations::MIGRATIONS;

use crate::support::TestDb;

type SyncConn = AsyncConnectionWrapper<AsyncPgConnection>;

/// Runs `work` on a synchronous connection (the migration harness is synchronous).
async fn avec_connexion_sync<T: Send + 'static>(
    url: &str,
    work: impl FnOnce(&mut SyncConn) -> T + Send + 'static,
) -> T {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = SyncConn::establish(&url).expect("connexion synchrone");
        work(&mut conn)
    })
    .await
    .unwrap()
}

async fn suivante(url: &str) -> String {
    avec_connexion_sync(url, |conn| {
        conn.run_next_migration(MIGRATIONS)
            .expect("migration suivante")
            .to_string()
    })
    .await
}

async fn annuler_la_derniere(url: &str) -> String {
    avec_connexion_sync(url, |conn| {
        conn.revert_last_migration(MIGRATIONS)
            .expect("annulation de la dernière migration")
            .to_string()
    })
    .await
}

async fn toutes(url: &str) {
    avec_connexion_sync(url, |conn| {
        conn.run_pending_migrations(MIGRATIONS).expect("migrations");
    })
    .await
}

/// The schema as `pg_dump` writes it, without diesel's bookkeeping table and without the
/// lines that change from one run to the next (version banner, `\restrict` key).
fn dump(url: &str) -> String {
    let sortie = Command::new("pg_dump")
        .args([
            "--schema-only",
            "--no-owner",
            "--exclude-table=public.__diesel_schema_migrations",
            "--dbname",
            url,
        ])
        .output()
        .expect("pg_dump dans le PATH");
    assert!(
        sortie.status.success(),
        "pg_dump : {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8(sortie.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            !l.starts_with("-- Dumped from")
                && !l.starts_with("-- Dumped by")
                && !l.starts_with("\\restrict")
                && !l.starts_with("\\unrestrict")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line that differs, to keep a failure readable.
fn premiere_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("longueurs {} et {}", a.lines().count(), b.lines().count()),
            |(i, (x, y))| format!("ligne {} : {x:?} ≠ {y:?}", i + 1),
        )
}

/// The guide's three migrations open the history; later changes only add migrations after them.
#[test]
fn l_historique_commence_par_les_trois_migrations_du_guide() {
    let migrations = MigrationSource::<Pg>::migrations(&MIGRATIONS).unwrap();
    let noms: Vec<String> = migrations.iter().map(|m| m.name().to_string()).collect();
    assert_eq!(
        noms[..3],
        [
            "2024-01-15-000000_v2_1_tables_initiales",
            "2024-06-01-000000_v2_2_tables",
            "2024-06-01-000001_v2_2_modifications",
        ]
    );
    let versions: Vec<String> = migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    assert_eq!(
        versions[..3],
        ["20240115000000", "20240601000000", "20240601000001"]
    );
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}

fn nombre_de_migrations() -> usize {
    MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .unwrap()
        .len()
}

#[tokio::test]
async fn chaque_down_defait_exactement_son_up() {
    let db = TestDb::empty().await;
    let url = db.url().to_owned();
    let vide = dump(&url);

    let n = nombre_de_migrations();
    let mut etats = vec![vide.clone()];
    for _ in 0..n {
        suivante(&url).await;
        etats.push(dump(&url));
    }
    let a = etats[n].clone();
    assert!(a.contains("CREATE TABLE public.feedbacks_verification"));

    for etape in (0..n).rev() {
        annuler_la_derniere(&url).await;
        let apres = dump(&url);
        assert!(
            apres == etats[etape],
            "le down de la migration {} ne rend pas le schéma d'avant : {}",
            etape + 1,
            premiere_difference(&etats[etape], &apres)
        );
    }
    let b = dump(&url);
    assert!(
        b == vide,
        "B ≠ base vide : {}",
        premiere_difference(&vide, &b)
    );

    toutes(&url).await;
    let c = dump(&url);
    assert!(c == a, "C ≠ A : {}", premiere_difference(&a, &c));
}

#[tokio::test]
async fn le_down_v2_2_ramene_les_nouveaux_statuts_aux_anciens() {
    let db = TestDb::empty().await;
    let url = db.url().to_owned();
    toutes(&url).await;
    let client = db.client().await;
    client
        .batch_execute(
            "INSERT INTO entites_base (id, numero_cc, denomination, secteur_activite, region) VALUES \
               ('00000000-0000-0000-0000-000000000001', '1000001A', 'Achevée', 'sante', 'abidjan'), \
               ('00000000-0000-0000-0000-000000000002', '1000002A', 'En cours', 'sante', 'poro'), \
               ('00000000-0000-0000-0000-000000000003', '1000003A', 'Rejetée', 'sante', 'nawa'), \
               ('00000000-0000-0000-0000-000000000004', '1000004A', 'Conforme', 'sante', 'goh'); \
             INSERT INTO entites_conformite (entite_id, statut_conformite) VALUES \
               ('00000000-0000-0000-0000-000000000001', 'demarche_achevee'), \
               ('00000000-0000-0000-0000-000000000002', 'demarche_en_cours'), \
               ('00000000-0000-0000-0000-000000000003', 'rejete'), \
               ('00000000-0000-0000-0000-000000000004', 'conforme');",
        )
        .await
        .unwrap();

    for _ in 3..nombre_de_migrations() {
        annuler_la_derniere(&url).await;
    }
    assert_eq!(
        annuler_la_derniere(&url).await,
        "20240601000001",
        "la dernière migration est v2.2 modifications"
    );
    let statuts: Vec<String> = client
        .query(
            "SELECT statut_conformite::text FROM entites_conformite ORDER BY entite_id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(
        statuts,
        [
            "partiellement_conforme",
            "non_conforme",
            "non_conforme",
            "conforme"
        ]
    );
    let defaut: String = client
        .query_one(
            "SELECT column_default FROM information_schema.columns \
              WHERE table_name = 'entites_conformite' AND column_name = 'statut_conformite'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(defaut, "'non_conforme'::statut_conformite");

    // Et la migration se rejoue par-dessus ces lignes.
    toutes(&url).await;
}
