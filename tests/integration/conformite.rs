//! GraphQL-over-HTTP conformance: graphql-http's `auditServer` (Node.js, in
//! `tests/graphql-http/`) run against `/graphql` served on real TCP. Every MUST audit passes;
//! SHOULD and MAY audits are printed for the record.

use std::path::PathBuf;
use std::time::Duration;

use tokio::process::Command;

use crate::support::{TestApp, node};

/// Where `audit.mjs` and its `node_modules` live: `GRAPHQL_HTTP_AUDIT_DIR` (set by
/// `scripts/test`), else the directory in the repository.
fn dossier_audit() -> PathBuf {
    std::env::var_os("GRAPHQL_HTTP_AUDIT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/graphql-http"),
        PathBuf::from,
    )
}

#[tokio::test]
async fn le_serveur_passe_tous_les_audits_must_de_graphql_over_http() {
    let dossier = dossier_audit();
    assert!(
        dossier.join("node_modules/graphql-http").is_dir(),
        "graphql-http n'est pas installé dans {} : lancez les tests par scripts/test, qui \
         installe Node.js et exécute `npm ci` dans tests/graphql-http",
        dossier.display()
    );

    let app = TestApp::new().await;
    let instance = app.replique().await;
    let url = format!("http://{}/graphql", instance.adresse);

    // The server runs on this test's runtime: wait for node without blocking it.
    let mut audit = Command::new("node");
    audit.arg("audit.mjs").arg(&url).current_dir(&dossier);
    let sortie = node::executer(
        &mut audit,
        &format!("l\'audit graphql-http contre {url}"),
        Duration::from_secs(120),
    )
    .await;
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    let stderr = String::from_utf8_lossy(&sortie.stderr);

    // One JSON line per audit: list the MUST ones not passed (the script's exit code says
    // the same; this names them even if the script's own check were to drift).
    let echecs: Vec<String> = stdout
        .lines()
        .filter_map(|ligne| serde_json::from_str::<serde_json::Value>(ligne).ok())
        .filter(|r| {
            r["name"].as_str().is_some_and(|n| n.starts_with("MUST ")) && r["status"] != "ok"
        })
        .map(|r| r.to_string())
        .collect();
    let audits = stdout.lines().filter(|l| l.starts_with('{')).count();
    assert!(
        sortie.status.success() && echecs.is_empty() && audits > 0,
        "audit GraphQL-over-HTTP en échec ({}), {} audit(s) MUST non passés :\n{}\n\n\
         --- sortie ---\n{stdout}\n--- erreurs ---\n{stderr}",
        sortie.status,
        echecs.len(),
        echecs.join("\n"),
    );
    // The non-MUST results, visible with `--nocapture`.
    println!("{stdout}{stderr}");
}
