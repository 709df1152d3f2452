//! A front-end client with generated TypeScript types (`tests/client/`: urql, graphql-codegen
//! from `schema.graphql`, `tsc --strict`) drives a company's whole journey against `/graphql`
//! served on real TCP: sign-up, the e-mailed code read from the test SMTP server's maildir,
//! vetting, the dossier created, filled, submitted, verified, validated, published, then
//! found in the public register. This test only supplies what no front-end can make: the
//! staff's tokens, and the delivery of the queued mails.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tokio::process::Command;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::courriels::{exiger_serveur_smtp, maildir};
use crate::support::{TestApp, node};

/// Where the client and its `node_modules` live: `CLIENT_TEST_DIR` (set by `scripts/test`),
/// else the directory in the repository.
fn dossier_client() -> PathBuf {
    std::env::var_os("CLIENT_TEST_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/client"),
        PathBuf::from,
    )
}

#[tokio::test]
async fn un_client_type_mene_une_entreprise_de_l_inscription_au_registre_public() {
    exiger_serveur_smtp();
    let dossier = dossier_client();
    assert!(
        dossier.join("node_modules/@urql/core").is_dir(),
        "le client n'est pas installé dans {} : lancez les tests par scripts/test, qui \
         installe Node.js et exécute `npm ci` dans tests/client",
        dossier.display()
    );

    let app = TestApp::new().await;
    let instance = app.replique().await;
    let url = format!("http://{}/graphql", instance.adresse);
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, agent) = app.staff(RoleUtilisateur::Editeur).await;

    // The outbox worker does not run in tests: deliver the queued mails while the client runs.
    let facteur = {
        let state = app.state.clone();
        tokio::spawn(async move {
            loop {
                let _ = registre_dcp::mail::envoyer_en_attente(&state).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    // codegen, then tsc (strict), then the journey; on this test's runtime, without blocking it.
    let mut client = Command::new("npm");
    client
        .args(["run", "--silent", "check"])
        .current_dir(&dossier)
        .env("REGISTRE_URL", &url)
        .env("REGISTRE_MAILDIR", maildir())
        .env("REGISTRE_ADMIN_TOKEN", &admin)
        .env("REGISTRE_AGENT_TOKEN", &agent);
    let sortie = node::executer(
        &mut client,
        &format!("le client contre {url}"),
        Duration::from_secs(180),
    )
    .await;
    facteur.abort();
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(
        sortie.status.success(),
        "le client a échoué ({}) :\n--- sortie ---\n{stdout}\n--- erreurs ---\n{stderr}",
        sortie.status
    );
    println!("{stdout}");

    // Its last line names what it made: the entity is published, seen from the database.
    let bilan: Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("aucun bilan JSON dans la sortie du client :\n{stdout}"));
    let entite = bilan["entiteId"].as_str().expect("entiteId");
    let ligne = app
        .db
        .client()
        .await
        .query_one(
            "SELECT w.statut::text, b.publie_sur_carte, c.statut_inscription::text,
                    coalesce(w.numero_autorisation_artci, w.numero_recepisse), c.id::text
             FROM entites_base b JOIN entites_workflow w ON w.entite_id = b.id
             JOIN comptes_entreprises c ON c.id = b.compte_entreprise_id
             WHERE b.id = $1::text::uuid",
            &[&entite],
        )
        .await
        .unwrap();
    let statut: String = ligne.get(0);
    let sur_carte: bool = ligne.get(1);
    let inscription: String = ligne.get(2);
    let numero: Option<String> = ligne.get(3);
    let compte: String = ligne.get(4);
    assert_eq!(statut, "publie");
    assert!(sur_carte);
    assert_eq!(inscription, "approuvee");
    assert_eq!(numero.as_deref(), bilan["numero"].as_str());
    assert_eq!(Some(compte.as_str()), bilan["compteId"].as_str());
}
