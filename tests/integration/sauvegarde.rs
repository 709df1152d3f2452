//! `registre-dcp sauvegarde` / `restauration`, run as the binary: a backup taken while the
//! service keeps answering (and storing documents) restores elsewhere into a service that
//! answers the same queries with the same data and serves the same bytes; damaged archives
//! and non-empty targets are refused, and leave the target empty.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::stockage::{Repertoire, app_avec_stockage};
use crate::support::{TestApp, TestDb, dossiers, ncc};

const ENTITE: &str = "query($id: ID!) { entite(id: $id) {
    id numeroCc denomination region
    workflow { statut version }
    conformite { scoreConformite statutConformite }
    registre { traitements { nom finalites { finalite pourcentage } } }
    documents { id typeDocument nomFichier tailleOctets sha256 statutVerification } } }";

const HISTORIQUE: &str = "query($id: ID!) { historique(entiteId: $id) {
    __typename objet acteurType acteur commentaire createdAt } }";

const ENTITES: &str = "{ entites(first: 50, tri: DENOMINATION) { totalCount
    edges { node { id denomination workflow { statut } } } } }";

const RAPPORTS: &str = "{ rapportsActivite(filtre: { annee: 2026 }) { totalCount
    edges { node { annee enRetard entite { id } rapport { id statut document { id sha256 } } } } } }";

const TELEVERSER: &str = "mutation($input: TeleverserDocumentInput!) {
    televerserDocument(input: $input) { id } }";

/// The binary with the test's database and store.
fn registre(database_url: &str, stockage: &Path) -> tokio::process::Command {
    let mut commande = crate::boot::command(database_url);
    commande.env("STORAGE_DIR", stockage);
    tokio::process::Command::from(commande)
}

/// Runs a command of the binary: (success, stdout, stderr).
async fn executer(mut commande: tokio::process::Command, args: &[&str]) -> (bool, String, String) {
    let sortie = commande.args(args).output().await.expect("registre-dcp");
    (
        sortie.status.success(),
        String::from_utf8_lossy(&sortie.stdout).into_owned(),
        String::from_utf8_lossy(&sortie.stderr).into_owned(),
    )
}

/// A document of `entite` with content of its own, uploaded by `jeton`; its id.
async fn televerser(app: &TestApp, jeton: &str, entite: &str, contenu: &[u8]) -> String {
    let r = app
        .graphql_multipart(
            TELEVERSER,
            json!({ "input": { "entiteId": entite, "typeDocument": "AUTRE", "fichier": null } }),
            "variables.input.fichier",
            "annexe.pdf",
            "application/pdf",
            contenu,
            Some(jeton),
        )
        .await
        .json();
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["televerserDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An approved (published) entity of the company `compte`, set up in SQL as the activity
/// report's tests do.
async fn entite_publiee(app: &TestApp, compte: Uuid) -> Uuid {
    app.db
        .client()
        .await
        .query_one(
            "WITH b AS (
                 INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region,
                     compte_entreprise_id)
                 VALUES ($1, 'Banque de Cocody', 'banque_finance', 'abidjan', $2) RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, date_validation, date_expiration)
                 SELECT id, 'publie', '2026-06-01T09:00:00Z', '2028-06-01' FROM b),
             c AS (
                 INSERT INTO entites_conformite (entite_id, statut_conformite)
                 SELECT id, 'conforme' FROM b)
             SELECT id FROM b",
            &[&ncc(), &compte],
        )
        .await
        .unwrap()
        .get(0)
}

async fn telecharger(app: &TestApp, jeton: &str, id: &str) -> (StatusCode, Vec<u8>) {
    let reply = app
        .send(
            Request::get(format!("/documents/{id}"))
                .header("authorization", format!("Bearer {jeton}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    (reply.status, reply.body.to_vec())
}

fn pdf(texte: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {texte}\n%%EOF\n").into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn une_sauvegarde_prise_en_service_se_restaure_a_l_identique() {
    let (app, stockage) = app_avec_stockage().await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    // A dossier through ARTCI's whole verification (its seven papers uploaded), with an
    // annex of its own bytes.
    let (compte, jeton) = app.entreprise("approuvee").await;
    let dossier = dossiers::dossier_decide(&app, &jeton, "CONFORME", json!({})).await;
    televerser(&app, &admin, &dossier, &pdf("annexe du dossier")).await;
    // The annual activity report of an approved entity.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 2, 10, 8, 0, 0).unwrap());
    // Sessions of that day.
    let jeton = app.token_for(Titulaire::Compte(compte)).await;
    let admin = app.token_for(Titulaire::Agent(admin_id)).await;
    let publiee = entite_publiee(&app, compte).await;
    let r = app
        .graphql_multipart(
            "mutation($input: DeposerRapportActiviteInput!) {
                deposerRapportActivite(input: $input) { id statut } }",
            json!({ "input": { "entiteId": publiee, "annee": 2026, "fichier": null } }),
            "variables.input.fichier",
            "rapport-2026.pdf",
            "application/pdf",
            &pdf("rapport annuel 2026"),
            Some(&jeton),
        )
        .await
        .json();
    assert_eq!(
        r["data"]["deposerRapportActivite"]["statut"], "SOUMIS",
        "{r}"
    );
    // A draft that keeps receiving documents (from ARTCI: no quota) while the backup runs.
    let brouillon = dossiers::creer(&app, &jeton).await;

    let questions = [
        (ENTITE, json!({ "id": dossier }), admin.clone()),
        (ENTITE, json!({ "id": publiee }), jeton.clone()),
        (HISTORIQUE, json!({ "id": dossier }), admin.clone()),
        (ENTITES, json!({}), admin.clone()),
        (RAPPORTS, json!({}), jeton.clone()),
    ];
    let mut avant = Vec::new();
    for (requete, variables, qui) in &questions {
        let r = app
            .graphql(requete, variables.clone(), Some(qui.as_str()))
            .await;
        assert!(r["errors"].is_null(), "{r}");
        avant.push(r);
    }

    // The backup, while a client keeps reading and uploading.
    let app = Arc::new(app);
    let fini = Arc::new(AtomicBool::new(false));
    let pendant = Arc::new(AtomicUsize::new(0));
    let client = {
        let (app, fini, pendant, admin, brouillon) = (
            app.clone(),
            fini.clone(),
            pendant.clone(),
            admin.clone(),
            brouillon.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !fini.load(Ordering::SeqCst) {
                n += 1;
                televerser(&app, &admin, &brouillon, &pdf(&format!("envoi {n}"))).await;
                let r = app
                    .graphql(ENTITE, json!({ "id": brouillon }), Some(&admin))
                    .await;
                assert!(r["errors"].is_null(), "{r}");
                pendant.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let archives = Repertoire::new();
    std::fs::create_dir_all(&archives.0).unwrap();
    let archive = archives.0.join("registre.tar");
    let debut = std::time::Instant::now();
    let avant_sauvegarde = pendant.load(Ordering::SeqCst);
    let (ok, sortie, erreurs) = executer(
        registre(app.db.url(), &stockage.0),
        &["sauvegarde", "--sortie", archive.to_str().unwrap()],
    )
    .await;
    let servis = pendant.load(Ordering::SeqCst) - avant_sauvegarde;
    fini.store(true, Ordering::SeqCst);
    client.await.unwrap();
    assert!(ok, "{erreurs}");
    assert!(sortie.starts_with("Sauvegarde écrite"), "{sortie}");
    println!(
        "sauvegarde : {:?}, {} octets, {servis} envoi(s) servi(s) pendant",
        debut.elapsed(),
        std::fs::metadata(&archive).unwrap().len()
    );
    assert!(servis > 0, "aucune requête servie pendant la sauvegarde");
    // Never over another archive.
    let (ok, _, erreurs) = executer(
        registre(app.db.url(), &stockage.0),
        &["sauvegarde", "--sortie", archive.to_str().unwrap()],
    )
    .await;
    assert!(!ok);
    assert!(erreurs.contains("existe déjà"), "{erreurs}");

    // Restored elsewhere: an empty database (not even PostGIS) and an empty store.
    let base = TestDb::empty().await;
    let restaure = Repertoire::new();
    let debut = std::time::Instant::now();
    let (ok, sortie, erreurs) = executer(
        registre(base.url(), &restaure.0),
        &["restauration", "--entree", archive.to_str().unwrap()],
    )
    .await;
    assert!(ok, "{erreurs}");
    assert!(sortie.starts_with("Restauration terminée"), "{sortie}");
    println!("restauration : {:?}", debut.elapsed());
    // Nothing left for the boot to migrate.
    assert_eq!(
        registre_dcp::migrations::run_pending(base.url())
            .await
            .unwrap(),
        Vec::<String>::new()
    );
    let dir = restaure.0.clone();
    let copie = TestApp::sur_base(base, |c| c.storage.storage_dir = dir);
    copie.clock.set(app.clock_now());

    for ((requete, variables, qui), attendu) in questions.iter().zip(&avant) {
        let r = copie
            .graphql(requete, variables.clone(), Some(qui.as_str()))
            .await;
        assert_eq!(&r, attendu, "{requete}");
    }
    // The same bytes for every document the dossiers list, the report's included.
    let mut documents: Vec<String> = Vec::new();
    for r in &avant[..2] {
        for d in r["data"]["entite"]["documents"].as_array().unwrap() {
            documents.push(d["id"].as_str().unwrap().to_owned());
        }
    }
    documents.push(
        avant[4]["data"]["rapportsActivite"]["edges"][0]["node"]["rapport"]["document"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    assert!(documents.len() >= 10, "{documents:?}");
    for id in &documents {
        let original = telecharger(&app, &admin, id).await;
        assert_eq!(original.0, StatusCode::OK);
        assert_eq!(telecharger(&copie, &admin, id).await, original, "{id}");
    }
    // Each document of the draft the restored dump knows (those of the snapshot) has its
    // bytes, as its row says.
    let r = copie
        .graphql(ENTITE, json!({ "id": brouillon }), Some(&admin))
        .await;
    for d in r["data"]["entite"]["documents"].as_array().unwrap() {
        let (statut, octets) = telecharger(&copie, &admin, d["id"].as_str().unwrap()).await;
        assert_eq!(statut, StatusCode::OK);
        assert_eq!(
            format!("{:x}", Sha256::digest(&octets)),
            d["sha256"].as_str().unwrap()
        );
    }
}

/// A dossier with one document, backed up: (app, its store, the archives' directory, the
/// archive, the document's bytes).
async fn sauvegarde_simple() -> (TestApp, Repertoire, Repertoire, std::path::PathBuf, Vec<u8>) {
    let (app, stockage) = app_avec_stockage().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let entite = dossiers::creer(&app, &jeton).await;
    let contenu = pdf(&format!("pièce unique {}", Uuid::new_v4()));
    televerser(&app, &jeton, &entite, &contenu).await;
    let archives = Repertoire::new();
    std::fs::create_dir_all(&archives.0).unwrap();
    let archive = archives.0.join("registre.tar");
    let (ok, _, erreurs) = executer(
        registre(app.db.url(), &stockage.0),
        &["sauvegarde", "--sortie", archive.to_str().unwrap()],
    )
    .await;
    assert!(ok, "{erreurs}");
    (app, stockage, archives, archive, contenu)
}

/// Restores `archive` into a new empty database and store; asserts it fails with `message`
/// and that both stay empty.
async fn refusee(archive: &Path, message: &str) {
    let base = TestDb::empty().await;
    let restaure = Repertoire::new();
    let (ok, _, erreurs) = executer(
        registre(base.url(), &restaure.0),
        &["restauration", "--entree", archive.to_str().unwrap()],
    )
    .await;
    assert!(!ok, "restauration acceptée");
    assert!(erreurs.contains(message), "{erreurs}");
    let tables: i64 = base
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "{message}");
    assert_eq!(restaure.fichiers(), Vec::<std::path::PathBuf>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn une_archive_endommagee_est_refusee_et_la_cible_reste_vide() {
    let (_app, _stockage, archives, archive, contenu) = sauvegarde_simple().await;
    let octets = std::fs::read(&archive).unwrap();

    let tronquee = archives.0.join("tronquee.tar");
    std::fs::write(&tronquee, &octets[..octets.len() / 2]).unwrap();
    refusee(&tronquee, "archive tronquée").await;

    // One byte of the document changed.
    let debut = octets
        .windows(contenu.len())
        .position(|w| w == contenu.as_slice())
        .expect("le document est dans l'archive");
    let mut alteree = octets.clone();
    alteree[debut + 12] ^= 0x01;
    let chemin = archives.0.join("alteree.tar");
    std::fs::write(&chemin, &alteree).unwrap();
    refusee(&chemin, "SHA-256").await;

    std::fs::write(&chemin, b"ceci n'est pas une archive").unwrap();
    refusee(&chemin, "archive").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn une_cible_non_vide_est_refusee() {
    let (app, stockage, _archives, archive, _) = sauvegarde_simple().await;
    let entree = archive.to_str().unwrap();

    // A database that holds the registry already (the source itself).
    let (ok, _, erreurs) = executer(
        registre(app.db.url(), &stockage.0),
        &["restauration", "--entree", entree],
    )
    .await;
    assert!(!ok);
    assert!(
        erreurs.contains("la base cible n'est pas vide"),
        "{erreurs}"
    );

    // An empty database, but a store that holds a file.
    let base = TestDb::empty().await;
    let (ok, _, erreurs) = executer(
        registre(base.url(), &stockage.0),
        &["restauration", "--entree", entree],
    )
    .await;
    assert!(!ok);
    assert!(
        erreurs.contains("le stockage des documents cible n'est pas vide"),
        "{erreurs}"
    );
    let tables: i64 = base
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn un_document_sans_fichier_a_la_source_est_signale_et_garde() {
    let (app, stockage) = app_avec_stockage().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let entite = dossiers::creer(&app, &jeton).await;
    let id = televerser(&app, &jeton, &entite, &pdf("perdu")).await;
    let cle: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT cle_stockage FROM documents_joints WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    std::fs::remove_file(stockage.0.join(&cle)).unwrap();

    let archives = Repertoire::new();
    std::fs::create_dir_all(&archives.0).unwrap();
    let archive = archives.0.join("registre.tar");
    let (ok, sortie, erreurs) = executer(
        registre(app.db.url(), &stockage.0),
        &["sauvegarde", "--sortie", archive.to_str().unwrap()],
    )
    .await;
    assert!(ok, "{erreurs}");
    assert!(
        sortie.contains(&format!(
            "1 document(s) sans fichier dans le stockage source : {cle}"
        )),
        "{sortie}"
    );

    // Restored as it was: the row without its file.
    let base = TestDb::empty().await;
    let restaure = Repertoire::new();
    let (ok, sortie, erreurs) = executer(
        registre(base.url(), &restaure.0),
        &["restauration", "--entree", archive.to_str().unwrap()],
    )
    .await;
    assert!(ok, "{erreurs}");
    assert!(
        sortie.contains("sans fichier dans le stockage source"),
        "{sortie}"
    );
    let lignes: i64 = base
        .client()
        .await
        .query_one("SELECT count(*) FROM documents_joints", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(lignes, 1);
}
