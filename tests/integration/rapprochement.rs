//! Claims (rapprochement): a company looks up an entity ARTCI entered, claims it with a proof
//! sent in the same multipart request, and an admin approves or rejects the claim.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::courriels::{adresse_unique, attendre_courriel, exiger_serveur_smtp};
use crate::support::{Reply, TestApp, error_code};

const RECHERCHER: &str = "query($ncc: String!) { rechercherEntiteARapprocher(numeroCc: $ncc) {
    denomination ville } }";
const DEMANDER: &str = "mutation($input: DemanderRapprochementInput!) {
    demanderRapprochement(input: $input) {
    id numeroCc raisonDemande statut dateTraitement commentaireArtci createdAt
    entite { denomination ville } dossier { id } } }";
const TRAITER: &str = "mutation($input: TraiterRapprochementInput!) {
    traiterRapprochement(input: $input) {
    id statut dateTraitement commentaireArtci emailDemandeur
    dossier { id origineSaisie workflow { statut version } } } }";
const ANNULER: &str = "mutation($id: ID!) { annulerRapprochement(demandeId: $id) { id statut } }";
const MES_DEMANDES: &str = "query { mesDemandesRapprochement {
    totalCount edges { node { id statut commentaireArtci entite { denomination ville }
    dossier { id } } } } }";
const DEMANDES: &str = "query($statut: StatutRapprochement) {
    demandesRapprochement(statut: $statut) { totalCount
    edges { node { id numeroCc statut emailDemandeur entite { denomination }
    dossier { id numeroCc } preuve { id typeDocument estPublic mimeType urlTelechargement } } } } }";
const CREER: &str = "mutation($input: CreerEntiteInput!) { creerEntite(input: $input) { id } }";
const MES_ENTITES: &str = "query { mesEntites { totalCount edges { node {
    id numeroCc origineSaisie workflow { statut version } } } } }";
const ENREGISTRER: &str = "mutation($input: EnregistrerIdentificationInput!) {
    enregistrerIdentification(input: $input) { id ville workflow { version } } }";

/// A small but well-formed PDF (one empty page).
const PDF: &[u8] = b"%PDF-1.4\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
trailer << /Size 4 /Root 1 0 R >>\n%%EOF\n";

const BOUNDARY: &str = "----registre-dcp-rapprochement-b1Zx9Qk";

/// A storage directory of one test, removed when the test ends.
struct Repertoire(PathBuf);

impl Repertoire {
    fn fichiers(&self) -> usize {
        fn compter(dir: &Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() { compter(&p) } else { 1 }
                    })
                    .sum()
            })
        }
        compter(&self.0)
    }
}

impl Drop for Repertoire {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn app() -> (TestApp, Repertoire) {
    let dir = std::env::temp_dir().join(format!("registre-dcp-rapprochement-{}", Uuid::new_v4()));
    let stockage = dir.clone();
    let app = TestApp::with_config(|config| config.storage.storage_dir = stockage).await;
    (app, Repertoire(dir))
}

/// A fresh NCC: 7 digits and a letter.
fn ncc() -> String {
    format!("{:07}R", Uuid::new_v4().as_u128() % 10_000_000)
}

/// A company account, e-mail verified, with this vetting status: (id, e-mail, token).
async fn entreprise(app: &TestApp, statut: &str) -> (Uuid, String, String) {
    let email = adresse_unique("rapprochement");
    let id: Uuid = app
        .db
        .client()
        .await
        .query_one(
            "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc,
                 email_verifie, statut_inscription)
             VALUES ($1, 'x', 'Groupe demandeur', $2, true, $3::text::statut_inscription)
             RETURNING id",
            &[&email, &ncc(), &statut],
        )
        .await
        .unwrap()
        .get(0);
    let token = app.token_for(Titulaire::Compte(id)).await;
    (id, email, token)
}

/// An entity entered by an editeur for ARTCI (`brouillon_artci`, no owner): its id.
async fn entite_artci(app: &TestApp, numero_cc: &str) -> String {
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let reponse = app
        .graphql(
            CREER,
            json!({ "input": {
                "numeroCc": numero_cc,
                "denomination": "Clinique du Plateau",
                "secteurActivite": "SANTE",
                "region": "GBEKE",
                "ville": "Bouaké",
                "adresse": "Rue 12, quartier Commerce",
                "telephone": "27 31 63 00 00",
                "email": "direction@clinique-plateau.ci"
            } }),
            Some(&editeur),
        )
        .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"]["creerEntite"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `demanderRapprochement` as a multipart request (the GraphQL multipart request spec).
async fn demander(app: &TestApp, token: &str, numero_cc: &str, nom: &str, contenu: &[u8]) -> Value {
    let operations = json!({
        "query": DEMANDER,
        "variables": { "input": {
            "numeroCc": numero_cc,
            "raisonDemande": "  Nous exploitons cette clinique depuis 2019 (voir le RCCM joint).  ",
            "preuve": null
        } },
    });
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.input.preuve\"]}}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{nom}\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(contenu);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::post("/graphql")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

/// Claims `numero_cc` with the PDF and returns the claim's id.
async fn demande_de(app: &TestApp, token: &str, numero_cc: &str) -> String {
    let reponse = demander(app, token, numero_cc, "rccm.pdf", PDF).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    reponse["data"]["demanderRapprochement"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn traiter(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(TRAITER, json!({ "input": input }), Some(token))
        .await
}

async fn telecharger(app: &TestApp, token: Option<&str>, url: &str) -> Reply {
    let mut builder = Request::get(url);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    app.send(builder.body(Body::empty()).unwrap()).await
}

/// The journal of the entity: (objet, ancien, nouveau, acteur_type), sorted (the clock is
/// frozen: every line has the same instant).
async fn historique(app: &TestApp, entite: &str) -> Vec<(String, Option<String>, String, String)> {
    let mut lignes: Vec<_> = app
        .db
        .client()
        .await
        .query(
            "SELECT objet::text, ancien_statut, nouveau_statut, acteur_type::text
             FROM historique_statuts WHERE entite_id = $1::text::uuid",
            &[&entite],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    lignes.sort();
    lignes
}

fn ligne(
    objet: &str,
    ancien: Option<&str>,
    nouveau: &str,
    acteur: &str,
) -> (String, Option<String>, String, String) {
    (
        objet.to_owned(),
        ancien.map(str::to_owned),
        nouveau.to_owned(),
        acteur.to_owned(),
    )
}

async fn nombre_de_documents(app: &TestApp) -> i64 {
    app.db
        .client()
        .await
        .query_one("SELECT count(*) FROM documents_joints", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn la_recherche_ne_donne_que_la_denomination_et_la_ville_d_une_entite_libre() {
    let (app, _stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    // Looking up needs no vetting: a company checks before it is vetted.
    let (_, _, jeton) = entreprise(&app, "en_attente").await;

    let trouvee = app
        .graphql(
            RECHERCHER,
            json!({ "ncc": format!("  {}  ", numero.to_lowercase()) }),
            Some(&jeton),
        )
        .await;
    assert_eq!(
        trouvee,
        json!({ "data": { "rechercherEntiteARapprocher": {
            "denomination": "Clinique du Plateau", "ville": "Bouaké" } } })
    );
    // The type has nothing more to ask for.
    let plus = app
        .graphql(
            "query($ncc: String!) { rechercherEntiteARapprocher(numeroCc: $ncc) { numeroCc } }",
            json!({ "ncc": numero }),
            Some(&jeton),
        )
        .await;
    assert!(plus["data"].is_null(), "{plus}");

    let inconnue = app
        .graphql(RECHERCHER, json!({ "ncc": ncc() }), Some(&jeton))
        .await;
    assert_eq!(inconnue["data"]["rechercherEntiteARapprocher"], Value::Null);
    assert!(inconnue["errors"].is_null(), "{inconnue}");

    // An entity a company already owns is not offered (nor is its NCC confirmed).
    let (_, _, proprietaire) = entreprise(&app, "approuvee").await;
    let prise = ncc();
    let creee = app
        .graphql(
            CREER,
            json!({ "input": { "numeroCc": prise, "denomination": "Pharmacie X",
                "secteurActivite": "SANTE", "region": "ABIDJAN", "ville": "Abidjan" } }),
            Some(&proprietaire),
        )
        .await;
    assert!(creee["errors"].is_null(), "{creee}");
    let reponse = app
        .graphql(RECHERCHER, json!({ "ncc": prise }), Some(&jeton))
        .await;
    assert_eq!(reponse["data"]["rechercherEntiteARapprocher"], Value::Null);

    let malforme = app
        .graphql(RECHERCHER, json!({ "ncc": "12AB" }), Some(&jeton))
        .await;
    assert_eq!(error_code(&malforme), Some("BAD_USER_INPUT"), "{malforme}");
    assert_eq!(malforme["errors"][0]["extensions"]["field"], "numeroCc");

    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let agent = app
        .graphql(RECHERCHER, json!({ "ncc": numero }), Some(&admin))
        .await;
    assert_eq!(error_code(&agent), Some("FORBIDDEN"), "{agent}");
    let anonyme = app
        .graphql(RECHERCHER, json!({ "ncc": numero }), None)
        .await;
    assert_eq!(error_code(&anonyme), Some("UNAUTHENTICATED"), "{anonyme}");
}

#[tokio::test]
async fn un_rapprochement_accepte_donne_le_brouillon_a_l_entreprise_et_rejette_les_autres() {
    exiger_serveur_smtp();
    let (app, _stockage) = app().await;
    let numero = ncc();
    let entite = entite_artci(&app, &numero).await;
    let (compte_a, email_a, jeton_a) = entreprise(&app, "approuvee").await;
    let (_, email_b, jeton_b) = entreprise(&app, "approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;

    let reponse = demander(&app, &jeton_a, &numero.to_lowercase(), "rccm.pdf", PDF).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let demande_a = &reponse["data"]["demanderRapprochement"];
    assert_eq!(demande_a["numeroCc"], numero);
    assert_eq!(
        demande_a["raisonDemande"],
        "Nous exploitons cette clinique depuis 2019 (voir le RCCM joint)."
    );
    assert_eq!(demande_a["statut"], "EN_ATTENTE");
    assert_eq!(
        demande_a["entite"],
        json!({ "denomination": "Clinique du Plateau", "ville": "Bouaké" })
    );
    // Before the approval the claimant sees no dossier.
    assert_eq!(demande_a["dossier"], Value::Null);
    let id_a = demande_a["id"].as_str().unwrap().to_owned();
    // A later claim: the clock is frozen, and claims are listed oldest first.
    app.clock.advance(chrono::Duration::seconds(1));
    let id_b = demande_de(&app, &jeton_b, &numero).await;

    let file = app
        .graphql(DEMANDES, json!({ "statut": "EN_ATTENTE" }), Some(&admin))
        .await;
    assert!(file["errors"].is_null(), "{file}");
    let connexion = &file["data"]["demandesRapprochement"];
    assert_eq!(connexion["totalCount"], 2);
    let premiere = &connexion["edges"][0]["node"];
    assert_eq!(premiere["id"], id_a.as_str());
    assert_eq!(premiere["emailDemandeur"], email_a.as_str());
    assert_eq!(premiere["dossier"]["id"], entite.as_str());
    assert_eq!(premiere["preuve"]["typeDocument"], "PREUVE_RAPPROCHEMENT");
    assert_eq!(premiere["preuve"]["estPublic"], false);
    assert_eq!(premiere["preuve"]["mimeType"], "application/pdf");

    let approuvee = traiter(
        &app,
        &admin,
        json!({ "demandeId": id_a, "approuver": true }),
    )
    .await;
    assert!(approuvee["errors"].is_null(), "{approuvee}");
    let approuvee = &approuvee["data"]["traiterRapprochement"];
    assert_eq!(approuvee["statut"], "APPROUVE");
    assert_eq!(approuvee["dateTraitement"], "2026-11-23T09:00:01.000Z");
    assert_eq!(approuvee["dossier"]["origineSaisie"], "RAPPROCHEMENT");
    assert_eq!(
        approuvee["dossier"]["workflow"],
        json!({ "statut": "BROUILLON", "version": 2 })
    );

    // The entity is now the company's draft: listed, and editable at its new version.
    let miennes = app.graphql(MES_ENTITES, json!({}), Some(&jeton_a)).await;
    assert_eq!(
        miennes["data"]["mesEntites"]["edges"],
        json!([{ "node": { "id": entite, "numeroCc": numero, "origineSaisie": "RAPPROCHEMENT",
            "workflow": { "statut": "BROUILLON", "version": 2 } } }])
    );
    let enregistre = app
        .graphql(
            ENREGISTRER,
            json!({ "input": { "entiteId": entite, "version": 2, "ville": "Yamoussoukro" } }),
            Some(&jeton_a),
        )
        .await;
    assert!(enregistre["errors"].is_null(), "{enregistre}");
    assert_eq!(
        enregistre["data"]["enregistrerIdentification"]["workflow"]["version"],
        3
    );
    let proprietaire: Option<Uuid> = app
        .db
        .client()
        .await
        .query_one(
            "SELECT compte_entreprise_id FROM entites_base WHERE id = $1::text::uuid",
            &[&entite],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(proprietaire, Some(compte_a));

    // The other pending claim is rejected with the standard comment; its author sees no dossier.
    let siennes = app.graphql(MES_DEMANDES, json!({}), Some(&jeton_b)).await;
    let noeud = &siennes["data"]["mesDemandesRapprochement"]["edges"][0]["node"];
    assert_eq!(noeud["id"], id_b.as_str());
    assert_eq!(noeud["statut"], "REJETE");
    assert!(
        noeud["commentaireArtci"]
            .as_str()
            .unwrap()
            .contains("autre demande de rapprochement"),
        "{noeud}"
    );
    assert_eq!(noeud["dossier"], Value::Null);
    let miennes = app.graphql(MES_DEMANDES, json!({}), Some(&jeton_a)).await;
    let noeud = &miennes["data"]["mesDemandesRapprochement"]["edges"][0]["node"];
    assert_eq!(noeud["statut"], "APPROUVE");
    assert_eq!(noeud["dossier"]["id"], entite.as_str());

    assert_eq!(
        historique(&app, &entite).await,
        vec![
            ligne("rapprochement", None, "en_attente", "compte_entreprise"),
            ligne("rapprochement", None, "en_attente", "compte_entreprise"),
            ligne(
                "rapprochement",
                Some("en_attente"),
                "approuve",
                "utilisateur"
            ),
            ligne("rapprochement", Some("en_attente"), "rejete", "utilisateur"),
            ligne(
                "workflow",
                Some("brouillon_artci"),
                "brouillon",
                "utilisateur"
            ),
        ]
    );

    // Claimed: no longer offered, and a second decision is a conflict.
    let recherche = app
        .graphql(RECHERCHER, json!({ "ncc": numero }), Some(&jeton_b))
        .await;
    assert_eq!(
        recherche["data"]["rechercherEntiteARapprocher"],
        Value::Null
    );
    let encore = traiter(
        &app,
        &admin,
        json!({ "demandeId": id_a, "approuver": false,
        "commentaire": "Finalement non." }),
    )
    .await;
    assert_eq!(error_code(&encore), Some("CONFLICT"), "{encore}");

    app.distribuer_courriels().await;
    let accepte = attendre_courriel(&email_a).await;
    assert_eq!(accepte.sujet, "Rapprochement accepté : Clinique du Plateau");
    let refuse = attendre_courriel(&email_b).await;
    assert_eq!(refuse.sujet, "Rapprochement refusé : Clinique du Plateau");
    assert!(
        refuse.corps.contains("autre demande de rapprochement"),
        "{}",
        refuse.corps
    );
}

#[tokio::test]
async fn une_entite_deja_soumise_par_l_artci_est_rattachee_sans_changer_de_statut() {
    let (app, _stockage) = app().await;
    let numero = ncc();
    let entite = entite_artci(&app, &numero).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE entites_workflow SET statut = 'soumis' WHERE entite_id = $1::text::uuid",
            &[&entite],
        )
        .await
        .unwrap();
    let (_, _, jeton) = entreprise(&app, "approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = demande_de(&app, &jeton, &numero).await;

    let reponse = traiter(&app, &admin, json!({ "demandeId": id, "approuver": true })).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    assert_eq!(
        reponse["data"]["traiterRapprochement"]["dossier"]["workflow"],
        json!({ "statut": "SOUMIS", "version": 1 })
    );
    let miennes = app.graphql(MES_ENTITES, json!({}), Some(&jeton)).await;
    assert_eq!(miennes["data"]["mesEntites"]["totalCount"], 1);
    assert!(
        historique(&app, &entite)
            .await
            .iter()
            .all(|(objet, ..)| objet == "rapprochement")
    );
}

#[tokio::test]
async fn un_rejet_exige_un_commentaire_et_previent_l_entreprise() {
    exiger_serveur_smtp();
    let (app, _stockage) = app().await;
    let numero = ncc();
    let entite = entite_artci(&app, &numero).await;
    let (_, email, jeton) = entreprise(&app, "approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = demande_de(&app, &jeton, &numero).await;

    for commentaire in [Value::Null, json!("   ")] {
        let refus = traiter(
            &app,
            &admin,
            json!({ "demandeId": id, "approuver": false, "commentaire": commentaire }),
        )
        .await;
        assert_eq!(error_code(&refus), Some("BAD_USER_INPUT"), "{refus}");
        assert_eq!(
            refus["errors"][0]["extensions"]["field"],
            "input.commentaire"
        );
    }

    let rejetee = traiter(
        &app,
        &admin,
        json!({ "demandeId": id, "approuver": false,
                "commentaire": " Le mandat fourni n'est pas signé. " }),
    )
    .await;
    assert!(rejetee["errors"].is_null(), "{rejetee}");
    let rejetee = &rejetee["data"]["traiterRapprochement"];
    assert_eq!(rejetee["statut"], "REJETE");
    assert_eq!(
        rejetee["commentaireArtci"],
        "Le mandat fourni n'est pas signé."
    );
    assert_eq!(rejetee["dossier"]["workflow"]["statut"], "BROUILLON_ARTCI");

    // The entity stays ARTCI's and claimable.
    let recherche = app
        .graphql(RECHERCHER, json!({ "ncc": numero }), Some(&jeton))
        .await;
    assert_eq!(
        recherche["data"]["rechercherEntiteARapprocher"]["denomination"],
        "Clinique du Plateau"
    );
    assert_eq!(
        historique(&app, &entite).await,
        vec![
            ligne("rapprochement", None, "en_attente", "compte_entreprise"),
            ligne("rapprochement", Some("en_attente"), "rejete", "utilisateur"),
        ]
    );

    app.distribuer_courriels().await;
    let courriel = attendre_courriel(&email).await;
    assert_eq!(courriel.sujet, "Rapprochement refusé : Clinique du Plateau");
    assert!(
        courriel.corps.contains("Le mandat fourni n'est pas signé."),
        "{}",
        courriel.corps
    );
}

#[tokio::test]
async fn une_seconde_demande_en_attente_est_un_conflit() {
    let (app, stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "approuvee").await;
    let id = demande_de(&app, &jeton, &numero).await;

    let doublon = demander(&app, &jeton, &numero, "rccm.pdf", PDF).await;
    assert_eq!(error_code(&doublon), Some("CONFLICT"), "{doublon}");
    assert_eq!(
        doublon["errors"][0]["extensions"]["field"],
        "input.numeroCc"
    );
    assert_eq!(nombre_de_documents(&app).await, 1);
    assert_eq!(stockage.fichiers(), 1);

    // Once the first is withdrawn, the company may claim again.
    let annulee = app
        .graphql(ANNULER, json!({ "id": id }), Some(&jeton))
        .await;
    assert!(annulee["errors"].is_null(), "{annulee}");
    demande_de(&app, &jeton, &numero).await;
}

#[tokio::test]
async fn seule_l_entreprise_demandeuse_annule_sa_demande_en_attente() {
    let (app, _stockage) = app().await;
    let numero = ncc();
    let entite = entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "approuvee").await;
    let (_, _, autre) = entreprise(&app, "approuvee").await;
    let id = demande_de(&app, &jeton, &numero).await;

    let etrangere = app
        .graphql(ANNULER, json!({ "id": id }), Some(&autre))
        .await;
    assert_eq!(error_code(&etrangere), Some("NOT_FOUND"), "{etrangere}");
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let agent = app
        .graphql(ANNULER, json!({ "id": id }), Some(&admin))
        .await;
    assert_eq!(error_code(&agent), Some("FORBIDDEN"), "{agent}");
    let inconnue = app
        .graphql(ANNULER, json!({ "id": Uuid::new_v4() }), Some(&jeton))
        .await;
    assert_eq!(error_code(&inconnue), Some("NOT_FOUND"), "{inconnue}");

    let annulee = app
        .graphql(ANNULER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(
        annulee["data"]["annulerRapprochement"],
        json!({ "id": id, "statut": "ANNULE" })
    );
    let encore = app
        .graphql(ANNULER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(error_code(&encore), Some("CONFLICT"), "{encore}");
    let traitee = traiter(&app, &admin, json!({ "demandeId": id, "approuver": true })).await;
    assert_eq!(error_code(&traitee), Some("CONFLICT"), "{traitee}");
    assert_eq!(
        historique(&app, &entite).await,
        vec![
            ligne("rapprochement", None, "en_attente", "compte_entreprise"),
            ligne(
                "rapprochement",
                Some("en_attente"),
                "annule",
                "compte_entreprise"
            ),
        ]
    );
}

#[tokio::test]
async fn un_editeur_ne_traite_pas_une_demande_de_rapprochement() {
    let (app, _stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "approuvee").await;
    let id = demande_de(&app, &jeton, &numero).await;

    for role in [RoleUtilisateur::Editeur, RoleUtilisateur::Lecteur] {
        let (_, agent) = app.staff(role).await;
        let refus = traiter(&app, &agent, json!({ "demandeId": id, "approuver": true })).await;
        assert_eq!(error_code(&refus), Some("FORBIDDEN"), "{role:?} {refus}");
        let liste = app.graphql(DEMANDES, json!({}), Some(&agent)).await;
        assert_eq!(error_code(&liste), Some("FORBIDDEN"), "{role:?} {liste}");
    }
    let soi_meme = traiter(&app, &jeton, json!({ "demandeId": id, "approuver": true })).await;
    assert_eq!(error_code(&soi_meme), Some("FORBIDDEN"), "{soi_meme}");

    let statut: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT statut::text FROM demandes_rapprochement WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(statut, "en_attente");
}

#[tokio::test]
async fn un_compte_non_valide_ne_demande_pas_de_rapprochement() {
    let (app, stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "en_attente").await;

    let refus = demander(&app, &jeton, &numero, "rccm.pdf", PDF).await;
    assert_eq!(error_code(&refus), Some("FORBIDDEN"), "{refus}");
    assert!(
        refus["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("validée par l'ARTCI"),
        "{refus}"
    );
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert_eq!(stockage.fichiers(), 0);

    // A vetted account: an unknown or already owned NCC is not found.
    let (_, _, valide) = entreprise(&app, "approuvee").await;
    let inconnu = demander(&app, &valide, &ncc(), "rccm.pdf", PDF).await;
    assert_eq!(error_code(&inconnu), Some("NOT_FOUND"), "{inconnu}");
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, _, premier) = entreprise(&app, "approuvee").await;
    let id = demande_de(&app, &premier, &numero).await;
    let ok = traiter(&app, &admin, json!({ "demandeId": id, "approuver": true })).await;
    assert!(ok["errors"].is_null(), "{ok}");
    let prise = demander(&app, &valide, &numero, "rccm.pdf", PDF).await;
    assert_eq!(error_code(&prise), Some("NOT_FOUND"), "{prise}");
    assert_eq!(nombre_de_documents(&app).await, 1);
    assert_eq!(stockage.fichiers(), 1);
}

#[tokio::test]
async fn la_preuve_n_est_telechargeable_que_par_le_personnel() {
    let (app, _stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = demande_de(&app, &jeton, &numero).await;

    let liste = app.graphql(DEMANDES, json!({}), Some(&admin)).await;
    let url =
        liste["data"]["demandesRapprochement"]["edges"][0]["node"]["preuve"]["urlTelechargement"]
            .as_str()
            .unwrap()
            .to_owned();

    // The claimant reads neither the proof's metadata nor its bytes, nor does the public.
    let siennes = app
        .graphql(
            "query { mesDemandesRapprochement { edges { node { preuve { id } } } } }",
            json!({}),
            Some(&jeton),
        )
        .await;
    assert_eq!(error_code(&siennes), Some("FORBIDDEN"), "{siennes}");
    let email = app
        .graphql(
            "query { mesDemandesRapprochement { edges { node { emailDemandeur } } } }",
            json!({}),
            Some(&jeton),
        )
        .await;
    assert_eq!(error_code(&email), Some("FORBIDDEN"), "{email}");
    assert_eq!(
        telecharger(&app, Some(&jeton), &url).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        telecharger(&app, None, &url).await.status,
        StatusCode::NOT_FOUND
    );

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let lu = telecharger(&app, Some(&lecteur), &url).await;
    assert_eq!(lu.status, StatusCode::OK);
    assert_eq!(&lu.body[..], PDF);

    // Not even once the entity is the claimant's.
    let ok = traiter(&app, &admin, json!({ "demandeId": id, "approuver": true })).await;
    assert!(ok["errors"].is_null(), "{ok}");
    assert_eq!(
        telecharger(&app, Some(&jeton), &url).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn une_preuve_deguisee_est_refusee_sans_laisser_de_trace() {
    let (app, stockage) = app().await;
    let numero = ncc();
    entite_artci(&app, &numero).await;
    let (_, _, jeton) = entreprise(&app, "approuvee").await;

    let reponse = demander(
        &app,
        &jeton,
        &numero,
        "preuve.pdf",
        b"Ceci n'est pas un PDF, juste du texte.",
    )
    .await;
    assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"), "{reponse}");
    assert_eq!(reponse["errors"][0]["extensions"]["field"], "input.preuve");
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert_eq!(stockage.fichiers(), 0);
    let demandes: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM demandes_rapprochement", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(demandes, 0);
}
