//! After approval: the certificate of each approved version, read as a person would
//! (`pdftotext`, `pdftoppm` + `zbarimg`), its public check page, and amending an approved
//! dossier (déclaration modificative): approved (version 2, a new formality and number) or
//! rejected (the dossier back to version 1, row for row).

use std::process::Command;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::{
    CONFORMITE, CREER, REGISTRE, SOUMETTRE, enregistrer, remplir_depuis, version_de,
};
use crate::support::{Reply, TestApp, error_code, ncc};

const BASE_PUBLIQUE: &str = "https://registre.artci.test";
const DENOMINATION: &str = "Société Ivoirienne de Télécommunications Éburnéennes";

const CERTIFICATS: &str = "query($id: ID!) { entite(id: $id) {
    workflow { statut typeFormalite numeroRecepisse numeroAutorisationArtci version }
    conformite { statutConformite }
    certificat { version numero titre enVigueur sha256 urlTelechargement urlVerification dateEmission dateExpiration }
    certificats { version numero typeFormalite origine enVigueur sha256 urlTelechargement }
    modificationEnCours { motif versionBase statutPrecedent differences { partie table nature libelle champs } } } }";

const OUVRIR: &str =
    "mutation($input: OuvrirModificationInput!) { ouvrirModification(input: $input) {
    workflow { statut version } conformite { statutConformite } } }";

const PUBLIC: &str = "query($id: ID!) { entitePublique(id: $id) { denomination numero typeFormalite
    finalitePrincipale finalites { finalite } certificat { version numero sha256 } } }";

const VERIFIER: &str =
    "query($numero: String!) { verifierNumero(numero: $numero) { numero valide statut
    remplacePar titre versionEnVigueur dateEmission dateExpiration entite { denomination }
    certificats { version sha256 enVigueur } } }";

async fn app() -> TestApp {
    TestApp::with_config(|c| c.dossiers.public_base_url = BASE_PUBLIQUE.to_owned()).await
}

async fn ok(app: &TestApp, requete: &str, variables: Value, jeton: Option<&str>) -> Value {
    let r = app.graphql(requete, variables, jeton).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"].clone()
}

async fn get(app: &TestApp, chemin: &str) -> Reply {
    app.send(Request::get(chemin).body(Body::empty()).unwrap())
        .await
}

/// The registry's answer on a processing list without health data: identification of
/// customers for billing.
fn traitements_sans_sante() -> Value {
    json!([{ "nom": "Gestion des abonnés", "baseLegale": "EXECUTION_CONTRAT",
        "categories": [{ "categorie": "IDENTIFICATION" }],
        "finalites": [{ "finalite": "Facturation des abonnés", "baseLegale": "EXECUTION_CONTRAT",
            "pourcentage": 60 }] }])
}

/// A company's dossier, without health data and without a correspondant (a declaration),
/// taken by ARTCI from submission to publication. Returns (entity id, company token, admin
/// token).
async fn dossier_publie(app: &TestApp) -> (String, String, String) {
    let (_, jeton) = app.entreprise("approuvee").await;
    let r = ok(
        app,
        CREER,
        json!({ "input": { "numeroCc": ncc(), "denomination": DENOMINATION, "sigle": "SITE",
            "secteurActivite": "TELECOMMUNICATIONS", "region": "ABIDJAN" } }),
        Some(&jeton),
    )
    .await;
    let id = r["creerEntite"]["id"].as_str().unwrap().to_owned();
    let v = remplir_depuis(app, &jeton, &id, 1).await;
    let v = version_de(
        &enregistrer(
            app,
            &jeton,
            REGISTRE,
            json!({ "entiteId": id, "version": v, "traitements": traitements_sans_sante() }),
        )
        .await,
        "enregistrerRegistre",
    );
    version_de(
        &enregistrer(
            app,
            &jeton,
            CONFORMITE,
            json!({ "entiteId": id, "version": v, "correspondants": [] }),
        )
        .await,
        "enregistrerConformite",
    );
    let r = ok(app, SOUMETTRE, json!({ "id": id }), Some(&jeton)).await;
    assert_eq!(
        r["soumettreDossier"]["workflow"]["typeFormalite"], "DECLARATION_PREALABLE",
        "{r}"
    );
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    verifier(app, &admin, &id, "CONFORME", json!({})).await;
    let r = ok(
        app,
        "mutation($id: ID!) { validerDossier(entiteId: $id) { workflow { statut } } }",
        json!({ "id": id }),
        Some(&admin),
    )
    .await;
    assert_eq!(r["validerDossier"]["workflow"]["statut"], "VALIDE");
    ok(
        app,
        "mutation($id: ID!) { publierDossier(entiteId: $id) { workflow { statut } } }",
        json!({ "id": id }),
        Some(&admin),
    )
    .await;
    (id, jeton, admin)
}

/// ARTCI's verification of a submitted dossier: `admin` assigns it to a new editeur, who
/// proposes `decision`; `admin` accepts it with `saisie`.
async fn verifier(app: &TestApp, admin: &str, id: &str, decision: &str, saisie: Value) -> Value {
    let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
    let r = ok(
        app,
        "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) { id } }",
        json!({ "input": { "entiteId": id, "agentId": agent_id, "echeance": "2026-12-15" } }),
        Some(admin),
    )
    .await;
    let assignation = r["assignerDemande"]["id"].as_str().unwrap().to_owned();
    ok(
        app,
        "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) { id } }",
        json!({ "input": { "assignationId": assignation, "decisionProposee": decision } }),
        Some(&agent),
    )
    .await;
    let mut input = json!({ "assignationId": assignation, "accepter": true });
    if let (Some(input), Some(saisie)) = (input.as_object_mut(), saisie.as_object()) {
        input.extend(saisie.clone());
    }
    ok(
        app,
        "mutation($input: ValiderTraitementInput!) { validerTraitement(input: $input) {
            entite { workflow { statut } conformite { statutConformite } } } }",
        json!({ "input": input }),
        Some(admin),
    )
    .await["validerTraitement"]["entite"]
        .clone()
}

/// The text of a PDF as `pdftotext -layout` reads it.
fn texte_pdf(pdf: &[u8]) -> String {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("certificat.pdf");
    std::fs::write(&chemin, pdf).unwrap();
    let sortie = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&chemin)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) est nécessaire à ce test");
    assert!(sortie.status.success(), "pdftotext : {sortie:?}");
    String::from_utf8(sortie.stdout).unwrap()
}

/// What the QR code of the PDF's first page holds: the page rendered by `pdftoppm`, read by
/// `zbarimg`.
fn qr_pdf(pdf: &[u8]) -> String {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("certificat.pdf");
    std::fs::write(&chemin, pdf).unwrap();
    let sortie = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&chemin)
        .arg(dossier.path().join("page"))
        .output()
        .expect("pdftoppm (Debian poppler-utils) est nécessaire à ce test");
    assert!(sortie.status.success(), "pdftoppm : {sortie:?}");
    let sortie = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(dossier.path().join("page.png"))
        .output()
        .expect("zbarimg (Debian zbar-tools) est nécessaire à ce test");
    assert!(sortie.status.success(), "zbarimg : {sortie:?}");
    String::from_utf8(sortie.stdout).unwrap().trim().to_owned()
}

fn sha256(octets: &[u8]) -> String {
    Sha256::digest(octets)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn jjmmaaaa(date: &Value) -> String {
    let iso = date.as_str().unwrap();
    let (a, reste) = iso.split_once('-').unwrap();
    let (m, j) = reste.split_once('-').unwrap();
    format!("{j}/{m}/{a}")
}

/// The PDF of `certificat` downloaded anonymously (a published entity's certificate is
/// public), checked against its advertised digest.
async fn pdf_public(app: &TestApp, certificat: &Value) -> Vec<u8> {
    let reply = get(app, certificat["urlTelechargement"].as_str().unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.content_type(), "application/pdf");
    assert_eq!(sha256(&reply.body), certificat["sha256"].as_str().unwrap());
    reply.body.to_vec()
}

async fn modeles_courriels(app: &TestApp) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT modele FROM courriels_sortants ORDER BY created_at, id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn le_certificat_se_lit_se_verifie_et_une_modification_approuvee_donne_la_version_2() {
    let app = app().await;
    let (id, jeton, admin) = dossier_publie(&app).await;

    // Version 1: a receipt, read as a person would.
    let e = ok(&app, CERTIFICATS, json!({ "id": id }), Some(&jeton)).await["entite"].clone();
    let v1 = e["certificat"].clone();
    let numero = v1["numero"].as_str().unwrap().to_owned();
    assert!(numero.starts_with("RCP-2026-"), "{v1}");
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["titre"], "Récépissé de déclaration");
    assert_eq!(v1["enVigueur"], true);
    let pdf = pdf_public(&app, &v1).await;
    let texte = texte_pdf(&pdf);
    for attendu in [
        numero.as_str(),
        DENOMINATION,
        "Récépissé de déclaration",
        "Gestion des abonnés",
        "Facturation des abonnés",
        &jjmmaaaa(&v1["dateEmission"]),
        &jjmmaaaa(&v1["dateExpiration"]),
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » absent du PDF :\n{texte}"
        );
    }
    let adresse = format!("{BASE_PUBLIQUE}/verification/{numero}");
    assert!(texte.contains(&adresse), "{texte}");
    assert_eq!(qr_pdf(&pdf), adresse);
    // Never the NCC.
    let ncc: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT numero_cc FROM entites_base WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!texte.contains(&ncc), "le NCC figure sur le certificat");

    // The public check, as the QR code leads to it.
    let page = get(&app, &format!("/verification/{numero}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type().starts_with("text/html"));
    let html = page.text();
    assert!(
        html.contains(&numero) && html.contains(v1["sha256"].as_str().unwrap()),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(
        page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );

    // The company amends its dossier: a new processing with health data.
    let r = ok(
        &app,
        OUVRIR,
        json!({ "input": { "entiteId": id, "motif": "Nouveau service de téléconsultation" } }),
        Some(&jeton),
    )
    .await;
    assert_eq!(
        r["ouvrirModification"]["workflow"]["statut"],
        "EN_MODIFICATION"
    );
    assert_eq!(
        r["ouvrirModification"]["conformite"]["statutConformite"],
        "CONFORME"
    );
    let version = r["ouvrirModification"]["workflow"]["version"]
        .as_i64()
        .unwrap();
    let mut traitements = traitements_sans_sante();
    traitements.as_array_mut().unwrap().push(json!({
        "nom": "Téléconsultation", "baseLegale": "CONSENTEMENT",
        "categories": [{ "categorie": "SANTE" }],
        "finalites": [{ "finalite": "Consultations médicales à distance",
            "baseLegale": "CONSENTEMENT", "pourcentage": 30 }] }));
    version_de(
        &enregistrer(
            &app,
            &jeton,
            REGISTRE,
            json!({ "entiteId": id, "version": version, "traitements": traitements }),
        )
        .await,
        "enregistrerRegistre",
    );
    let pendant = ok(&app, CERTIFICATS, json!({ "id": id }), Some(&admin)).await["entite"].clone();
    let modification = &pendant["modificationEnCours"];
    assert_eq!(modification["versionBase"], 1, "{pendant}");
    assert_eq!(modification["statutPrecedent"], "PUBLIE");
    assert!(
        modification["differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["table"] == "registre_traitements"
                && d["nature"] == "AJOUT"
                && d["libelle"] == "Téléconsultation"),
        "{modification}"
    );
    let public_v1 = ok(&app, PUBLIC, json!({ "id": id }), None).await["entitePublique"].clone();
    assert_eq!(public_v1["numero"], numero.as_str());
    assert_eq!(public_v1["certificat"]["version"], 1);

    // Submitted, verified and decided like a first submission; the public register keeps
    // serving version 1 all along.
    let r = ok(&app, SOUMETTRE, json!({ "id": id }), Some(&jeton)).await;
    assert_eq!(
        r["soumettreDossier"]["workflow"]["typeFormalite"],
        "AUTORISATION_PREALABLE"
    );
    assert_eq!(
        r["soumettreDossier"]["conformite"]["statutConformite"],
        "CONFORME"
    );
    let apres_decision = verifier(&app, &admin, &id, "CONFORME", json!({})).await;
    assert_eq!(apres_decision["workflow"]["statut"], "CONFORME");
    assert_eq!(
        ok(&app, PUBLIC, json!({ "id": id }), None).await["entitePublique"],
        public_v1,
        "le registre public a changé pendant la modification"
    );
    assert_eq!(
        get(&app, &format!("/verification/{numero}")).await.status,
        StatusCode::OK
    );

    // Approved: version 2, an authorisation, back on the public register.
    let r = ok(
        &app,
        "mutation($id: ID!) { validerDossier(entiteId: $id) { workflow { statut } } }",
        json!({ "id": id }),
        Some(&admin),
    )
    .await;
    assert_eq!(r["validerDossier"]["workflow"]["statut"], "PUBLIE");
    let e = ok(&app, CERTIFICATS, json!({ "id": id }), Some(&jeton)).await["entite"].clone();
    assert!(e["modificationEnCours"].is_null());
    let v2 = e["certificat"].clone();
    let nouveau = v2["numero"].as_str().unwrap().to_owned();
    assert!(nouveau.starts_with("AUT-2026-"), "{v2}");
    assert_eq!(
        (v2["version"].clone(), v2["titre"].clone()),
        (json!(2), json!("Autorisation de traitement"))
    );
    let versions = e["certificats"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (
            versions[1]["version"].clone(),
            versions[1]["enVigueur"].clone()
        ),
        (json!(1), json!(false))
    );
    assert_eq!(versions[1]["origine"], "VALIDATION");
    assert_eq!(versions[0]["origine"], "MODIFICATION");
    // The superseded certificate stays readable.
    assert_eq!(pdf_public(&app, &versions[1]).await, pdf);
    let texte = texte_pdf(&pdf_public(&app, &v2).await);
    for attendu in [
        "Autorisation de traitement",
        "Version 2",
        nouveau.as_str(),
        "Téléconsultation",
        DENOMINATION,
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » absent du PDF v2 :\n{texte}"
        );
    }

    let public_v2 = ok(&app, PUBLIC, json!({ "id": id }), None).await["entitePublique"].clone();
    assert_eq!(public_v2["numero"], nouveau.as_str());
    assert_eq!(public_v2["typeFormalite"], "AUTORISATION_PREALABLE");
    assert_eq!(public_v2["certificat"]["version"], 2);
    assert!(
        public_v2["finalites"]
            .to_string()
            .contains("Consultations médicales à distance")
    );
    let ancien =
        ok(&app, VERIFIER, json!({ "numero": numero }), None).await["verifierNumero"].clone();
    assert_eq!(
        (ancien["statut"].clone(), ancien["valide"].clone()),
        (json!("REMPLACE"), json!(false))
    );
    assert_eq!(ancien["remplacePar"], nouveau.as_str());
    let courant = ok(
        &app,
        VERIFIER,
        json!({ "numero": nouveau.to_lowercase() }),
        None,
    )
    .await["verifierNumero"]
        .clone();
    assert_eq!(courant["statut"], "VALIDE", "{courant}");
    assert_eq!(courant["versionEnVigueur"], 2);
    assert_eq!(courant["entite"]["denomination"], DENOMINATION);
    assert_eq!(courant["certificats"][0]["sha256"], v2["sha256"]);
    assert_eq!(
        get(&app, &format!("/verification/{numero}")).await.status,
        StatusCode::GONE
    );
    let page = get(&app, &format!("/verification/{nouveau}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(v2["sha256"].as_str().unwrap()));

    // A duplicate is the very document issued.
    let r = ok(
        &app,
        "mutation($id: ID!) { duplicataAttestation(entiteId: $id) { version sha256 } }",
        json!({ "id": id }),
        Some(&jeton),
    )
    .await;
    assert_eq!(r["duplicataAttestation"]["sha256"], v2["sha256"]);

    let modeles = modeles_courriels(&app).await;
    for attendu in [
        "certificat_emis",
        "modification_recue",
        "modification_approuvee",
    ] {
        assert!(
            modeles.iter().any(|m| m == attendu),
            "{attendu} absent : {modeles:?}"
        );
    }
    assert_eq!(
        modeles.iter().filter(|m| *m == "certificat_emis").count(),
        2
    );
}

/// The dossier as the database holds it: every row of its five parts.
async fn instantane(app: &TestApp, id: &str) -> Value {
    app.db
        .client()
        .await
        .query_one("SELECT dossier_instantane($1::text::uuid)::text", &[&id])
        .await
        .map(|r| serde_json::from_str(r.get(0)).unwrap())
        .unwrap()
}

/// Version 1 as approved: every row of the dossier at its validation (its stored snapshot).
async fn version_1(app: &TestApp, id: &str) -> Value {
    app.db
        .client()
        .await
        .query_one(
            "SELECT contenu::text FROM versions_approuvees
              WHERE entite_id = $1::text::uuid AND version = 1",
            &[&id],
        )
        .await
        .map(|r| serde_json::from_str(r.get(0)).unwrap())
        .unwrap()
}

#[tokio::test]
async fn une_modification_refusee_rend_le_dossier_a_l_identique_de_la_version_1() {
    let app = app().await;
    let (id, jeton, admin) = dossier_publie(&app).await;
    let avant = version_1(&app, &id).await;
    let public_avant = ok(&app, PUBLIC, json!({ "id": id }), None).await;

    let r = ok(
        &app,
        OUVRIR,
        json!({ "input": { "entiteId": id, "motif": "Déménagement à Bouaké" } }),
        Some(&jeton),
    )
    .await;
    let version = r["ouvrirModification"]["workflow"]["version"]
        .as_i64()
        .unwrap();
    // Every part changes: the address, the processing list and the correspondant.
    let v = remplir_depuis(&app, &jeton, &id, version).await;
    version_de(
        &enregistrer(
            &app,
            &jeton,
            "mutation($input: EnregistrerIdentificationInput!) {
                enregistrerIdentification(input: $input) { workflow { version } } }",
            json!({ "entiteId": id, "version": v, "ville": "Bouaké", "adresse": "Quartier Commerce" }),
        )
        .await,
        "enregistrerIdentification",
    );
    assert_ne!(instantane(&app, &id).await, avant);
    ok(&app, SOUMETTRE, json!({ "id": id }), Some(&jeton)).await;
    let e = verifier(
        &app,
        &admin,
        &id,
        "REJETE",
        json!({ "motif": "Le transfert des données de santé n'est pas justifié." }),
    )
    .await;
    assert_eq!(e["workflow"]["statut"], "PUBLIE", "{e}");
    assert_eq!(e["conformite"]["statutConformite"], "CONFORME");

    assert_eq!(
        instantane(&app, &id).await,
        avant,
        "le dossier n'est pas revenu à la version 1"
    );
    assert_eq!(
        ok(&app, PUBLIC, json!({ "id": id }), None).await,
        public_avant
    );
    let e = ok(&app, CERTIFICATS, json!({ "id": id }), Some(&jeton)).await["entite"].clone();
    assert_eq!(e["certificats"].as_array().unwrap().len(), 1);
    assert!(e["modificationEnCours"].is_null());
    assert_eq!(e["workflow"]["typeFormalite"], "DECLARATION_PREALABLE");
    assert!(
        modeles_courriels(&app)
            .await
            .iter()
            .any(|m| m == "modification_rejetee")
    );

    // Withdrawn by the company: the same.
    ok(
        &app,
        OUVRIR,
        json!({ "input": { "entiteId": id, "motif": "Nouveau site web" } }),
        Some(&jeton),
    )
    .await;
    let r = ok(
        &app,
        "query($id: ID!) { entite(id: $id) { workflow { version } } }",
        json!({ "id": id }),
        Some(&jeton),
    )
    .await;
    remplir_depuis(
        &app,
        &jeton,
        &id,
        r["entite"]["workflow"]["version"].as_i64().unwrap(),
    )
    .await;
    let r = ok(
        &app,
        "mutation($id: ID!) { annulerModification(entiteId: $id) { workflow { statut } } }",
        json!({ "id": id }),
        Some(&jeton),
    )
    .await;
    assert_eq!(r["annulerModification"]["workflow"]["statut"], "PUBLIE");
    assert_eq!(instantane(&app, &id).await, avant);
}

#[tokio::test]
async fn une_modification_se_refuse_a_qui_n_y_a_pas_droit_et_la_base_le_garantit() {
    let app = app().await;
    let (id, jeton, admin) = dossier_publie(&app).await;
    let ouvrir = |motif: Value| json!({ "input": { "entiteId": id, "motif": motif } });

    let r = app.graphql(OUVRIR, ouvrir(json!("  ")), Some(&jeton)).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.motif", "{r}");
    let r = app
        .graphql(OUVRIR, ouvrir(json!("x".repeat(5001))), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    let (_, autre) = app.entreprise("approuvee").await;
    let r = app
        .graphql(OUVRIR, ouvrir(json!("Motif")), Some(&autre))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = app
        .graphql(OUVRIR, ouvrir(json!("Motif")), Some(&admin))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app
        .graphql(
            "mutation($id: ID!) { annulerModification(entiteId: $id) { id } }",
            json!({ "id": id }),
            Some(&jeton),
        )
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    let r = app
        .graphql(
            "mutation($id: ID!) { duplicataAttestation(entiteId: $id) { version } }",
            json!({ "id": id }),
            Some(&autre),
        )
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");

    ok(
        &app,
        OUVRIR,
        ouvrir(json!("Nouvelle adresse")),
        Some(&jeton),
    )
    .await;
    let r = app
        .graphql(OUVRIR, ouvrir(json!("Encore")), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    let client = app.db.client().await;
    let refus = client
        .execute(
            "INSERT INTO modifications_dossier (entite_id, version_base_id, motif, statut_precedent,
                 ouverte_par_compte_id, ouverte_le)
             SELECT entite_id, version_base_id, 'double', statut_precedent, ouverte_par_compte_id, now()
               FROM modifications_dossier WHERE entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap_err();
    assert!(
        format!("{refus:?}").contains("uq_modifications_dossier_une_ouverte"),
        "{refus:?}"
    );
    let refus = client
        .execute(
            "UPDATE versions_approuvees SET numero = 'RCP-2026-999999' WHERE entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap_err();
    assert!(format!("{refus:?}").contains("ajout seul"), "{refus:?}");
    let refus = client
        .execute(
            "DELETE FROM versions_approuvees WHERE entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap_err();
    assert!(format!("{refus:?}").contains("ajout seul"), "{refus:?}");
}

#[tokio::test]
async fn la_page_de_verification_repond_clairement_a_un_numero_inconnu_ou_mal_forme() {
    let app = app().await;
    let page = get(&app, "/verification/RCP-2026-999999").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text().contains("RCP-2026-999999"));
    let page = get(&app, "/verification/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(!page.text().contains("<script>"), "{}", page.text());
    let r = ok(&app, VERIFIER, json!({ "numero": "RCP-2026-999999" }), None).await;
    assert_eq!(r["verifierNumero"]["statut"], "INTROUVABLE");
}

#[tokio::test]
async fn le_renouvellement_et_l_expiration_continuent_pendant_une_modification() {
    let app = app().await;
    let (id, jeton, admin) = dossier_publie(&app).await;
    let v1 = version_1(&app, &id).await;
    let r = ok(
        &app,
        OUVRIR,
        json!({ "input": { "entiteId": id, "motif": "Nouveau traitement" } }),
        Some(&jeton),
    )
    .await;
    let version = r["ouvrirModification"]["workflow"]["version"]
        .as_i64()
        .unwrap();
    let mut traitements = traitements_sans_sante();
    traitements.as_array_mut().unwrap().push(json!({
        "nom": "Téléconsultation", "baseLegale": "CONSENTEMENT",
        "categories": [{ "categorie": "SANTE" }] }));
    version_de(
        &enregistrer(
            &app,
            &jeton,
            REGISTRE,
            json!({ "entiteId": id, "version": version, "traitements": traitements }),
        )
        .await,
        "enregistrerRegistre",
    );

    // A renewal approved during the amendment renews the version in force, not the draft.
    let r = ok(
        &app,
        "mutation($input: DemanderRenouvellementInput!) { demanderRenouvellement(input: $input) { id } }",
        json!({ "input": { "entiteId": id } }),
        Some(&jeton),
    )
    .await;
    let renouvellement = r["demanderRenouvellement"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = ok(
        &app,
        "mutation($input: TraiterRenouvellementInput!) { traiterRenouvellement(input: $input) {
            statut entite { workflow { statut dateExpiration } } } }",
        json!({ "input": { "renouvellementId": renouvellement, "approuver": true } }),
        Some(&admin),
    )
    .await;
    assert_eq!(r["traiterRenouvellement"]["statut"], "APPROUVE");
    assert_eq!(
        r["traiterRenouvellement"]["entite"]["workflow"]["statut"],
        "EN_MODIFICATION"
    );
    let fin = r["traiterRenouvellement"]["entite"]["workflow"]["dateExpiration"].clone();
    let e = ok(&app, CERTIFICATS, json!({ "id": id }), Some(&jeton)).await["entite"].clone();
    assert_eq!(e["certificat"]["version"], 2);
    assert_eq!(e["certificats"][0]["origine"], "RENOUVELLEMENT");
    assert_eq!(e["certificat"]["dateExpiration"], fin);
    assert_eq!(e["certificat"]["numero"], e["certificats"][1]["numero"]);
    let texte = texte_pdf(&pdf_public(&app, &e["certificat"]).await);
    assert!(!texte.contains("Téléconsultation"), "{texte}");
    assert!(texte.contains(&jjmmaaaa(&fin)), "{texte}");

    // The approval ends during the amendment: the dossier goes back to its approved version,
    // then expires.
    let fin = chrono::NaiveDate::parse_from_str(fin.as_str().unwrap(), "%Y-%m-%d").unwrap();
    app.clock.set(
        fin.succ_opt()
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc(),
    );
    registre_dcp::jobs::echeances::run(&app.state)
        .await
        .unwrap();
    let statut: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT w.statut::text FROM entites_workflow w WHERE w.entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(statut, "expire");
    assert_eq!(
        instantane(&app, &id).await["registre_traitements"],
        v1["registre_traitements"]
    );
    assert!(ok(&app, PUBLIC, json!({ "id": id }), None).await["entitePublique"].is_null());
}

#[tokio::test]
async fn un_agrement_anterieur_aux_versions_recoit_son_attestation_a_la_demande_d_un_administrateur()
 {
    let app = app().await;
    let options = registre_dcp::seed::OptionsSeed {
        entites: 30,
        graine: 7,
        ajouter: false,
        si_vide: false,
        aujourd_hui: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        validite_mois: 24,
    };
    registre_dcp::seed::peupler(&mut app.db.conn().await, &options)
        .await
        .unwrap();
    let ligne = app
        .db
        .client()
        .await
        .query_one(
            "SELECT w.entite_id::text, coalesce(w.numero_autorisation_artci, w.numero_recepisse)
               FROM entites_workflow w WHERE w.statut = 'publie' ORDER BY w.entite_id LIMIT 1",
            &[],
        )
        .await
        .unwrap();
    let (id, numero): (String, String) = (ligne.get(0), ligne.get(1));
    let duplicata = "mutation($id: ID!) { duplicataAttestation(entiteId: $id) { version numero sha256 origine } }";
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let r = app
        .graphql(duplicata, json!({ "id": id }), Some(&editeur))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let premier = ok(&app, duplicata, json!({ "id": id }), Some(&admin)).await;
    assert_eq!(premier["duplicataAttestation"]["version"], 1);
    assert_eq!(premier["duplicataAttestation"]["numero"], numero.as_str());
    // Asked again, the same document.
    let second = ok(&app, duplicata, json!({ "id": id }), Some(&editeur)).await;
    assert_eq!(second, premier);
    let r = ok(&app, VERIFIER, json!({ "numero": numero }), None).await;
    assert_eq!(r["verifierNumero"]["statut"], "VALIDE", "{r}");
    assert_eq!(
        r["verifierNumero"]["certificats"][0]["sha256"],
        premier["duplicataAttestation"]["sha256"]
    );
}
