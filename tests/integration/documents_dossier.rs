//! A dossier's documents through the API: the company lists, replaces and withdraws its own;
//! the required ones gate the submission; ARTCI reviews them (a rejection reaches the company
//! with its reason and blocks a `CONFORME` decision) and uploads its own, hidden from the
//! company when it chooses.

use serde_json::{Value, json};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::{PIECES, creer, deposer_pieces, remplir, soumettre};
use crate::support::stockage::app_avec_stockage;
use crate::support::{TestApp, error_code, historique};

const DOCUMENTS: &str = "query($id: ID!, $filtre: FiltreDocuments) { entite(id: $id) {
    documents(filtre: $filtre) { id typeDocument nomFichier statutVerification motifRejet remplace
        remplaceParId deposeParArtci visibleEntreprise deposePar { id } } } }";

const REMPLACER: &str =
    "mutation($input: RemplacerDocumentInput!) { remplacerDocument(input: $input) {
    id typeDocument nomFichier remplace } }";

const VERIFIER: &str =
    "mutation($input: VerifierDocumentInput!) { verifierDocument(input: $input) {
    id statutVerification motifRejet verifiePar { id } verifieLe } }";

const PDF: &[u8] = b"%PDF-1.4\n% nouvelle version\n";

async fn documents(app: &TestApp, jeton: &str, id: &str, filtre: Value) -> Vec<Value> {
    let r = app
        .graphql(
            DOCUMENTS,
            json!({ "id": id, "filtre": filtre }),
            Some(jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["entite"]["documents"].as_array().unwrap().clone()
}

fn du_type<'a>(liste: &'a [Value], type_document: &str) -> Vec<&'a Value> {
    liste
        .iter()
        .filter(|d| d["typeDocument"] == type_document)
        .collect()
}

/// One multipart request: `query` with the file at `variables.input.fichier`.
async fn multipart(app: &TestApp, query: &str, input: Value, jeton: &str) -> Value {
    app.graphql_multipart(
        query,
        json!({ "input": input }),
        "variables.input.fichier",
        "document.pdf",
        "application/pdf",
        PDF,
        Some(jeton),
    )
    .await
    .json()
}

#[tokio::test]
async fn une_entreprise_liste_remplace_et_retire_ses_documents() {
    let (app, stockage) = app_avec_stockage().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    deposer_pieces(&app, &jeton, &id, &["REGISTRE_COMMERCE", "STATUTS"]).await;
    let liste = documents(&app, &jeton, &id, json!(null)).await;
    assert_eq!(liste.len(), 2, "{liste:?}");
    assert!(
        liste
            .iter()
            .all(|d| d["deposeParArtci"] == false && d["remplace"] == false)
    );
    // Who uploaded it is named to staff only.
    assert!(liste.iter().all(|d| d["deposePar"].is_null()));
    assert_eq!(stockage.fichiers().len(), 2);

    // Replaced: the old one stays, superseded.
    let statuts = du_type(&liste, "STATUTS")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = multipart(
        &app,
        REMPLACER,
        json!({ "documentId": statuts, "fichier": null }),
        &jeton,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let nouveau = r["data"]["remplacerDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(r["data"]["remplacerDocument"]["typeDocument"], "STATUTS");
    let liste = documents(&app, &jeton, &id, json!({ "types": ["STATUTS"] })).await;
    assert_eq!(liste.len(), 2);
    assert_eq!(liste[0]["id"], statuts.as_str());
    assert_eq!(liste[0]["remplace"], true);
    assert_eq!(liste[0]["remplaceParId"], nouveau.as_str());
    assert_eq!(liste[1]["remplace"], false);
    assert_eq!(
        documents(&app, &jeton, &id, json!({ "remplaces": false }))
            .await
            .len(),
        2
    );
    // The superseded one is history: it is not replaced again.
    let r = multipart(
        &app,
        REMPLACER,
        json!({ "documentId": statuts, "fichier": null }),
        &jeton,
    )
    .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // Withdrawn: the row and its file are gone.
    let rc = du_type(
        &documents(&app, &jeton, &id, json!(null)).await,
        "REGISTRE_COMMERCE",
    )[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, autre) = app.entreprise("approuvee").await;
    let retirer = "mutation($id: ID!) { supprimerDocument(documentId: $id) }";
    let r = app
        .graphql(retirer, json!({ "id": rc }), Some(&autre))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = multipart(
        &app,
        REMPLACER,
        json!({ "documentId": rc, "fichier": null }),
        &autre,
    )
    .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    assert_eq!(stockage.fichiers().len(), 3);
    let r = app
        .graphql(retirer, json!({ "id": rc }), Some(&jeton))
        .await;
    assert_eq!(r["data"]["supprimerDocument"], true, "{r}");
    assert_eq!(stockage.fichiers().len(), 2);
    assert!(
        du_type(
            &documents(&app, &jeton, &id, json!(null)).await,
            "REGISTRE_COMMERCE"
        )
        .is_empty()
    );
    let r = app
        .graphql(retirer, json!({ "id": rc }), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
}

#[tokio::test]
async fn un_dossier_sans_une_piece_obligatoire_est_refuse_puis_accepte() {
    let (app, _stockage) = app_avec_stockage().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    let cni = du_type(&documents(&app, &jeton, &id, json!(null)).await, "DPO_CNI")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .graphql(
            "mutation($id: ID!) { supprimerDocument(documentId: $id) }",
            json!({ "id": cni }),
            Some(&jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { progression { complet
                parties { partie manquants { champ libelle } } } } }",
            json!({ "id": id }),
            Some(&jeton),
        )
        .await;
    assert_eq!(r["data"]["entite"]["progression"]["complet"], false, "{r}");
    let manquants: Vec<&Value> = r["data"]["entite"]["progression"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["manquants"].as_array().unwrap())
        .collect();
    assert_eq!(
        manquants,
        [&json!({ "champ": "documents.dpo_cni",
                  "libelle": "Carte nationale d'identité du correspondant" })]
    );
    let r = soumettre(&app, &jeton, &id).await;
    assert_eq!(error_code(&r), Some("DOSSIER_INCOMPLET"), "{r}");
    assert!(r.to_string().contains("documents.dpo_cni"), "{r}");

    deposer_pieces(&app, &jeton, &id, &["DPO_CNI"]).await;
    let r = soumettre(&app, &jeton, &id).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"], "SOUMIS",
        "{r}"
    );
}

/// A submitted dossier assigned to a new editeur: (entity id, company token, admin token,
/// agent token, assignation id).
async fn dossier_assigne(app: &TestApp) -> (String, String, String, String, String) {
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(app, &jeton).await;
    remplir(app, &jeton, &id).await;
    let r = soumettre(app, &jeton, &id).await;
    assert!(r["errors"].is_null(), "{r}");
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
    let r = app
        .graphql(
            "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "agentId": agent_id, "echeance": "2026-12-15" } }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, jeton, admin, agent, assignation)
}

#[tokio::test]
async fn un_agent_rejette_une_piece_l_entreprise_voit_pourquoi_et_le_dossier_ne_peut_etre_conforme()
{
    let (app, _stockage) = app_avec_stockage().await;
    let (id, jeton, admin, agent, assignation) = dossier_assigne(&app).await;
    let liste = documents(&app, &agent, &id, json!(null)).await;
    assert_eq!(liste.len(), PIECES.len());
    let statuts = du_type(&liste, "STATUTS")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rejet = |motif: Value| json!({ "input": { "documentId": statuts, "statut": "REJETE", "motif": motif } });

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, autre_agent) = app.staff(RoleUtilisateur::Editeur).await;
    for (jeton_refuse, code) in [
        (&lecteur, "FORBIDDEN"),
        (&autre_agent, "FORBIDDEN"),
        (&jeton, "FORBIDDEN"),
    ] {
        let r = app
            .graphql(VERIFIER, rejet(json!("Illisible")), Some(jeton_refuse))
            .await;
        assert_eq!(error_code(&r), Some(code), "{r}");
    }
    let r = app
        .graphql(VERIFIER, rejet(json!("  ")), Some(&agent))
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.motif");

    let r = app
        .graphql(VERIFIER, rejet(json!("Statuts non signés.")), Some(&agent))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["verifierDocument"]["statutVerification"],
        "REJETE"
    );
    let r = app
        .graphql(VERIFIER, rejet(json!("Encore")), Some(&admin))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    // The company reads why: on the document, in its history, by mail.
    let vus = documents(&app, &jeton, &id, json!({ "statutVerification": "REJETE" })).await;
    assert_eq!(vus.len(), 1);
    assert_eq!(vus[0]["motifRejet"], "Statuts non signés.");
    let lignes = historique::lire(&app, &jeton, &id).await;
    let ligne = lignes
        .iter()
        .find(|l| l["objet"] == "DOCUMENT")
        .unwrap_or_else(|| panic!("{lignes:?}"));
    assert_eq!(
        (
            ligne["ancienStatut"].clone(),
            ligne["nouveauStatut"].clone()
        ),
        (json!("en_attente"), json!("rejete"))
    );
    assert!(
        ligne["commentaire"]
            .as_str()
            .unwrap()
            .contains("Statuts non signés.")
    );
    assert_eq!(ligne["acteur"], "ARTCI");
    let modeles: Vec<String> = app
        .db
        .client()
        .await
        .query("SELECT modele FROM courriels_sortants", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        modeles.iter().any(|m| m == "document_rejete"),
        "{modeles:?}"
    );

    // Two reviews of one document at once: one wins.
    let rc = du_type(&liste, "REGISTRE_COMMERCE")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let valider = json!({ "input": { "documentId": rc, "statut": "VALIDE" } });
    let (a, b) = tokio::join!(
        app.graphql(VERIFIER, valider.clone(), Some(&agent)),
        app.graphql(VERIFIER, valider.clone(), Some(&admin)),
    );
    let codes = [error_code(&a), error_code(&b)];
    assert!(
        codes.contains(&None) && codes.contains(&Some("CONFLICT")),
        "{a}\n{b}"
    );

    // A rejected required document blocks CONFORME until it is replaced.
    let r = app
        .graphql(
            "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) { id } }",
            json!({ "input": { "assignationId": assignation, "decisionProposee": "CONFORME" } }),
            Some(&agent),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    // The agent's feedback names the rejected document, to replace.
    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { feedbacks { elementsManquants {
                libelle typeDocument fourni } } } }",
            json!({ "id": id }),
            Some(&agent),
        )
        .await;
    let elements = &r["data"]["entite"]["feedbacks"][0]["elementsManquants"];
    assert_eq!(elements[0]["typeDocument"], "STATUTS", "{r}");
    assert!(
        elements[0]["libelle"]
            .as_str()
            .unwrap()
            .contains("Statuts non signés."),
        "{r}"
    );
    assert_eq!(elements[0]["fourni"], false);
    let accepter = json!({ "input": { "assignationId": assignation, "accepter": true } });
    let valider_traitement =
        "mutation($input: ValiderTraitementInput!) { validerTraitement(input: $input) { id } }";
    let r = app
        .graphql(valider_traitement, accepter.clone(), Some(&admin))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert!(r.to_string().contains("statuts"), "{r}");
}

#[tokio::test]
async fn un_depot_de_l_artci_peut_rester_cache_a_l_entreprise() {
    let (app, _stockage) = app_avec_stockage().await;
    let (id, jeton, admin, agent, _) = dossier_assigne(&app).await;
    let televerser =
        "mutation($input: TeleverserDocumentInput!) { televerserDocument(input: $input) {
        id deposeParArtci visibleEntreprise } }";
    // The dossier is under verification: staff still upload to it.
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "RAPPORT_AUDIT", "fichier": null, "visibleEntreprise": false }),
        &agent,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let cache = r["data"]["televerserDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(r["data"]["televerserDocument"]["deposeParArtci"], true);
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "AUTRE", "fichier": null }),
        &admin,
    )
    .await;
    let montre = r["data"]["televerserDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let vus: Vec<Value> = documents(&app, &jeton, &id, json!(null)).await;
    assert!(vus.iter().all(|d| d["id"] != cache.as_str()), "{vus:?}");
    assert!(vus.iter().any(|d| d["id"] == montre.as_str()), "{vus:?}");
    let staff = documents(&app, &admin, &id, json!({ "types": ["RAPPORT_AUDIT"] })).await;
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0]["visibleEntreprise"], false);
    assert!(staff[0]["deposePar"]["id"].is_string());
    let telecharger = |jeton: String| {
        let cache = cache.clone();
        let app = &app;
        async move {
            app.send(
                Request::get(format!("/documents/{cache}"))
                    .header("authorization", format!("Bearer {jeton}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .status
        }
    };
    assert_eq!(telecharger(jeton.clone()).await, StatusCode::NOT_FOUND);
    assert_eq!(telecharger(admin.clone()).await, StatusCode::OK);

    // The company may not hide, nor write a dossier under verification; a lecteur uploads
    // nothing.
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "AUTRE", "fichier": null, "visibleEntreprise": false }),
        &jeton,
    )
    .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "AUTRE", "fichier": null }),
        &jeton,
    )
    .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "AUTRE", "fichier": null }),
        &lecteur,
    )
    .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
}

#[tokio::test]
async fn un_element_demande_se_coche_quand_l_entreprise_le_fournit() {
    let (app, _stockage) = app_avec_stockage().await;
    let (id, jeton, admin, agent, assignation) = dossier_assigne(&app).await;
    let r = app
        .graphql(
            "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) { id } }",
            json!({ "input": { "assignationId": assignation, "decisionProposee": "EN_ATTENTE_COMPLEMENTS",
                "delaiFourniture": "2026-12-20",
                "elementsManquants": [
                    { "rubrique": "Pièces", "libelle": "Statuts signés", "typeDocument": "STATUTS" },
                    { "rubrique": "Sécurité", "libelle": "Mesures détaillées", "partie": "SECURITE" },
                    { "rubrique": "Divers", "libelle": "Un entretien" }] } }),
            Some(&agent),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql(
            "mutation($input: ValiderTraitementInput!) { validerTraitement(input: $input) { id } }",
            json!({ "input": { "assignationId": assignation, "accepter": true } }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let coches = async || -> Vec<bool> {
        let r = app
            .graphql(
                "query($id: ID!) { entite(id: $id) { workflow { version }
                    feedbacks { elementsManquants { fourni typeDocument partie } } } }",
                json!({ "id": id }),
                Some(&jeton),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
        r["data"]["entite"]["feedbacks"][0]["elementsManquants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["fourni"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(coches().await, [false, false, false]);

    let statuts = du_type(
        &documents(&app, &jeton, &id, json!({ "remplaces": false })).await,
        "STATUTS",
    )[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = multipart(
        &app,
        REMPLACER,
        json!({ "documentId": statuts, "fichier": null }),
        &jeton,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(coches().await, [true, false, false]);

    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { workflow { version } } }",
            json!({ "id": id }),
            Some(&jeton),
        )
        .await;
    let version = r["data"]["entite"]["workflow"]["version"].as_i64().unwrap();
    let r = app
        .graphql(
            crate::support::dossiers::SECURITE,
            json!({ "input": { "entiteId": id, "version": version,
                "securite": { "politiqueSecurite": true, "analyseRisques": true },
                "mesuresSecurite": [{ "typeMesure": "TECHNIQUE", "code": "CHIFFREMENT", "miseEnOeuvre": true }] } }),
            Some(&jeton),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(coches().await, [true, true, false]);
}

#[tokio::test]
async fn les_quotas_de_documents_se_configurent_et_un_envoi_sans_session_est_refuse_d_emblee() {
    let dossier = crate::support::stockage::Repertoire::new();
    let dir = dossier.0.clone();
    let app = TestApp::with_config(|c| {
        c.storage.storage_dir = dir;
        c.storage.max_documents_par_entite = 2;
        c.storage.max_octets_par_compte = 3 * PDF.len() as u64;
    })
    .await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let televerser = "mutation($input: TeleverserDocumentInput!) { televerserDocument(input: $input) { id nomFichier } }";
    let envoyer = async |id: &str| {
        multipart(
            &app,
            televerser,
            json!({ "entiteId": id, "typeDocument": "AUTRE", "fichier": null }),
            &jeton,
        )
        .await
    };
    for _ in 0..2 {
        let r = envoyer(&id).await;
        assert!(r["errors"].is_null(), "{r}");
        // The stored name ends in the detected type's extension.
        assert_eq!(
            r["data"]["televerserDocument"]["nomFichier"],
            "document.pdf"
        );
    }
    let r = envoyer(&id).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.fichier");
    assert!(r.to_string().contains("MAX_DOCUMENTS_PER_ENTITY"), "{r}");
    // The account's bytes count over all its dossiers.
    let autre = creer(&app, &jeton).await;
    assert!(envoyer(&autre).await["errors"].is_null());
    let r = envoyer(&autre).await;
    assert!(
        r.to_string().contains("MAX_DOCUMENT_BYTES_PER_ACCOUNT"),
        "{r}"
    );
    // ARTCI's uploads are not the company's quota.
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let r = multipart(
        &app,
        televerser,
        json!({ "entiteId": id, "typeDocument": "RAPPORT_AUDIT", "fichier": null }),
        &editeur,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");

    // An upload without a valid session is answered 401, its body unread.
    for autorisation in [None, Some("Bearer pas-un-jeton")] {
        let mut requete = Request::post("/graphql")
            .header("content-type", "multipart/form-data; boundary=x")
            .header("graphql-require-preflight", "1");
        if let Some(a) = autorisation {
            requete = requete.header("authorization", a);
        }
        let reply = app
            .send(requete.body(Body::from(vec![b'x'; 1024 * 1024])).unwrap())
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());
        assert_eq!(
            reply.json()["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
    }
}
