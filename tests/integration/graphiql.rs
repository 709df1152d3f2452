//! GraphiQL (`/graphiql`): the page and its files served from the binary with their types,
//! cache headers and CSP; the embedded third-party files match `assets/graphiql/SHA256SUMS`;
//! and the page in headless Chromium (`tests/navigateur/graphiql.mjs`, served on real TCP)
//! runs a query with the Headers pane's token and a subscription, with every request to
//! another host refused.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use sha2::{Digest, Sha256};
use tokio::process::Command;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::creer;
use crate::support::{TestApp, node};

fn racine() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where `graphiql.mjs` and its `node_modules` live: `GRAPHIQL_NAVIGATEUR_DIR` (set by
/// `scripts/test`), else the directory in the repository.
fn dossier_navigateur() -> PathBuf {
    std::env::var_os("GRAPHIQL_NAVIGATEUR_DIR")
        .map_or_else(|| racine().join("tests/navigateur"), PathBuf::from)
}

fn entete<'a>(reponse: &'a crate::support::Reply, nom: &str) -> &'a str {
    reponse
        .headers
        .get(nom)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn la_page_a_sa_csp_et_ses_fichiers_leur_type() {
    let app = TestApp::new().await;
    let page = app
        .send(Request::get("/graphiql").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    let csp = entete(&page, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} absente de « {csp} »");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(entete(&page, "x-content-type-options"), "nosniff");
    // No inline script, nothing from elsewhere.
    let html = page.text();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );

    // Every file the page names is served with its type.
    let mut vus = 0;
    for morceau in html
        .split('"')
        .filter(|m| m.starts_with("/graphiql/assets/"))
    {
        let fichier = app
            .send(Request::get(morceau).body(Body::empty()).unwrap())
            .await;
        assert_eq!(fichier.status, StatusCode::OK, "{morceau}");
        let attendu = if morceau.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(fichier.content_type(), attendu, "{morceau}");
        assert_eq!(entete(&fichier, "x-content-type-options"), "nosniff");
        let nom = morceau.trim_start_matches("/graphiql/assets/");
        let cache = entete(&fichier, "cache-control");
        if nom.starts_with("registre-graphiql") {
            assert_eq!(cache, "no-cache", "{morceau}");
        } else {
            // A versioned name: cached for good.
            assert!(cache.contains("immutable"), "{morceau} : {cache}");
        }
        let sur_disque = std::fs::read(racine().join("assets/graphiql").join(nom)).unwrap();
        assert!(fichier.body == sur_disque, "{morceau} diffère du fichier");
        vus += 1;
    }
    assert_eq!(vus, 7, "{html}");

    for absent in [
        "/graphiql/assets/inconnu.js",
        "/graphiql/assets/SHA256SUMS",
        "/graphiql/assets/..%2FCargo.toml",
    ] {
        let r = app
            .send(Request::get(absent).body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{absent}");
    }
}

/// What `scripts/graphiql-assets --check` checks, without a shell.
#[test]
fn les_fichiers_tiers_correspondent_a_sha256sums() {
    let dossier = racine().join("assets/graphiql");
    let sommes = std::fs::read_to_string(dossier.join("SHA256SUMS")).unwrap();
    let mut lignes = 0;
    for ligne in sommes.lines().filter(|l| !l.is_empty()) {
        let (somme, nom) = ligne.split_once("  ").expect(ligne);
        let contenu = std::fs::read(dossier.join(nom)).unwrap_or_else(|e| panic!("{nom} : {e}"));
        let calcul: String = Sha256::digest(&contenu)
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect();
        assert_eq!(calcul, somme, "{nom} ne correspond pas à SHA256SUMS");
        lignes += 1;
    }
    // Five files and four licences.
    assert_eq!(lignes, 9, "{sommes}");
}

#[tokio::test]
async fn graphiql_fonctionne_dans_un_navigateur_sans_acces_exterieur() {
    let dossier = dossier_navigateur();
    assert!(
        dossier.join("node_modules/playwright-core").is_dir(),
        "playwright-core n'est pas installé dans {} : lancez les tests par scripts/test, qui \
         installe Chromium et Node.js et exécute `npm ci` dans tests/navigateur",
        dossier.display()
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} est introuvable : lancez les tests par scripts/test, qui installe le \
         paquet Debian chromium"
    );

    let app = TestApp::new().await;
    let instance = app.replique().await;
    let (_, agent) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let entite = creer(&app, &entreprise).await;

    let debut = Instant::now();
    let mut navigateur = Command::new("node");
    navigateur
        .arg("graphiql.mjs")
        .current_dir(&dossier)
        .env("GRAPHIQL_BASE", format!("http://{}", instance.adresse))
        .env("JETON_AGENT", &agent)
        .env("JETON_ENTREPRISE", &entreprise)
        .env("ENTITE_ID", &entite)
        .env("DENOMINATION", "Clinique du Plateau")
        .env("CHROMIUM", &chromium);
    let sortie = node::executer(
        &mut navigateur,
        "le test dans Chromium",
        Duration::from_secs(120),
    )
    .await;
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(
        sortie.status.success(),
        "GraphiQL en échec dans Chromium ({}) :\n--- sortie ---\n{stdout}\n--- erreurs ---\n{stderr}",
        sortie.status
    );
    println!(
        "{stdout}{stderr}(en {:.1} s)",
        debut.elapsed().as_secs_f64()
    );
}
