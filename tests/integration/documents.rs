//! Attached documents: upload through the GraphQL multipart request spec, download through
//! `GET /documents/{id}`, each test on its own storage directory.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::stockage::app_avec_stockage;
use crate::support::{Reply, TestApp, error_code};

const TELEVERSER: &str = "mutation($input: TeleverserDocumentInput!) { televerserDocument(input: $input) { \
     id entiteId typeDocument nomFichier tailleOctets mimeType sha256 statutVerification estPublic urlTelechargement } }";

/// A small but well-formed PDF (one empty page).
const PDF: &[u8] = b"%PDF-1.4\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n\
trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";

/// A company account and a draft entity it owns: (account id, entity id, token).
async fn entreprise_et_brouillon(app: &TestApp, ncc: &str) -> (Uuid, Uuid, String) {
    let client = app.db.client().await;
    let compte: Uuid = client
        .query_one(
            "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc)
             VALUES ($1, 'x', 'Société', $2) RETURNING id",
            &[&format!("dpo.{ncc}@societe.ci").to_lowercase(), &ncc],
        )
        .await
        .unwrap()
        .get(0);
    let entite: Uuid = client
        .query_one(
            "INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region, compte_entreprise_id)
             VALUES ($1, 'Société', 'sante', 'abidjan', $2) RETURNING id",
            &[&ncc, &compte],
        )
        .await
        .unwrap()
        .get(0);
    client
        .execute(
            "INSERT INTO entites_workflow (entite_id, statut) VALUES ($1, 'brouillon')",
            &[&entite],
        )
        .await
        .unwrap();
    let token = app.token_for(Titulaire::Compte(compte)).await;
    (compte, entite, token)
}

const BOUNDARY: &str = "----registre-dcp-limite-7MA4YWxkTrZu0gW";

/// A body of the GraphQL multipart request spec: `operations`, `map`, then the file `0`.
fn multipart(entite_id: Uuid, nom: &str, content_type: &str, contenu: &[u8]) -> Vec<u8> {
    multipart_de(TELEVERSER, entite_id, nom, content_type, contenu)
}

/// [`multipart`] with another document, whose `$input` is `TeleverserDocumentInput!`.
fn multipart_de(
    query: &str,
    entite_id: Uuid,
    nom: &str,
    content_type: &str,
    contenu: &[u8],
) -> Vec<u8> {
    let operations = json!({
        "query": query,
        "variables": { "input": { "entiteId": entite_id, "typeDocument": "STATUTS", "fichier": null } },
    });
    let mut body = Vec::with_capacity(contenu.len() + 1024);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.input.fichier\"]}}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{nom}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(contenu);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn televerser(
    app: &TestApp,
    token: Option<&str>,
    entite_id: Uuid,
    nom: &str,
    content_type: &str,
    contenu: &[u8],
) -> Reply {
    let mut builder = Request::post("/graphql").header(
        "content-type",
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    let body = multipart(entite_id, nom, content_type, contenu);
    app.send(builder.body(Body::from(body)).unwrap()).await
}

async fn telecharger(app: &TestApp, token: Option<&str>, id: &str) -> Reply {
    let mut builder = Request::get(format!("/documents/{id}"));
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    app.send(builder.body(Body::empty()).unwrap()).await
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

fn hex_sha256(contenu: &[u8]) -> String {
    Sha256::digest(contenu)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn une_entreprise_televerse_un_pdf_sur_son_brouillon_et_retelecharge_les_memes_octets() {
    let (app, repertoire) = app_avec_stockage().await;
    let (compte, entite, token) = entreprise_et_brouillon(&app, "1234567A").await;

    let reply = televerser(
        &app,
        Some(&token),
        entite,
        "../../secret/Statuts signés.pdf",
        "application/octet-stream",
        PDF,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    let document = &answer["data"]["televerserDocument"];
    let id = document["id"].as_str().unwrap().to_owned();
    assert_eq!(
        *document,
        json!({
            "id": id,
            "entiteId": entite.to_string(),
            "typeDocument": "STATUTS",
            "nomFichier": "Statuts signés.pdf",
            "tailleOctets": PDF.len(),
            "mimeType": "application/pdf",
            "sha256": hex_sha256(PDF),
            "statutVerification": "EN_ATTENTE",
            "estPublic": false,
            "urlTelechargement": format!("/documents/{id}"),
        })
    );

    let row = app
        .db
        .client()
        .await
        .query_one(
            "SELECT cle_stockage, sha256, depose_par_compte_id, depose_par_user_id
             FROM documents_joints WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap();
    let cle: String = row.get(0);
    let sha256: String = row.get(1);
    assert_eq!(cle, format!("documents/{entite}/{id}"));
    assert_eq!(row.get::<_, Option<Uuid>>(2), Some(compte));
    assert_eq!(row.get::<_, Option<Uuid>>(3), None);
    assert_eq!(repertoire.fichiers(), vec![repertoire.0.join(&cle)]);

    let reply = telecharger(&app, Some(&token), &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(&reply.body[..], PDF);
    assert_eq!(hex_sha256(&reply.body), sha256);
    assert_eq!(reply.content_type(), "application/pdf");
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename*=UTF-8''Statuts%20sign%C3%A9s.pdf"
    );
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");

    // Staff of any role read every dossier.
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let reply = telecharger(&app, Some(&lecteur), &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(&reply.body[..], PDF);
}

#[tokio::test]
async fn un_fichier_de_plus_de_10_mo_est_refuse_sans_laisser_de_trace() {
    let (app, repertoire) = app_avec_stockage().await;
    let (_, entite, token) = entreprise_et_brouillon(&app, "1234567A").await;
    let mut gros = PDF.to_vec();
    gros.resize(10 * 1024 * 1024 + 1, b' ');

    let answer = televerser(
        &app,
        Some(&token),
        entite,
        "gros.pdf",
        "application/pdf",
        &gros,
    )
    .await
    .json();
    assert_eq!(error_code(&answer), Some("BAD_USER_INPUT"), "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "input.fichier");
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert!(repertoire.fichiers().is_empty());
}

#[tokio::test]
async fn un_fichier_deguise_ou_vide_est_refuse_sans_laisser_de_trace() {
    let (app, repertoire) = app_avec_stockage().await;
    let (_, entite, token) = entreprise_et_brouillon(&app, "1234567A").await;

    for contenu in [
        &b"<html><body><script>alert(1)</script></body></html>"[..],
        &b"MZ\x90\x00\x03\x00\x00\x00"[..],
        &b""[..],
    ] {
        let answer = televerser(
            &app,
            Some(&token),
            entite,
            "x.pdf",
            "application/pdf",
            contenu,
        )
        .await
        .json();
        assert_eq!(error_code(&answer), Some("BAD_USER_INPUT"), "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], "input.fichier");
    }
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert!(repertoire.fichiers().is_empty());
}

#[tokio::test]
async fn une_autre_entreprise_ne_peut_ni_deposer_sur_le_dossier_ni_telecharger_ses_documents() {
    let (app, repertoire) = app_avec_stockage().await;
    let (_, entite, token) = entreprise_et_brouillon(&app, "1234567A").await;
    let (_, _, autre) = entreprise_et_brouillon(&app, "7654321B").await;

    let answer = televerser(&app, Some(&autre), entite, "x.pdf", "application/pdf", PDF)
        .await
        .json();
    assert_eq!(error_code(&answer), Some("NOT_FOUND"), "{answer}");
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert!(repertoire.fichiers().is_empty());

    let answer = televerser(&app, Some(&token), entite, "x.pdf", "application/pdf", PDF)
        .await
        .json();
    let id = answer["data"]["televerserDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = telecharger(&app, Some(&autre), &id).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.is_empty());
    // Exactly as a document that does not exist.
    let reply = telecharger(&app, Some(&autre), &Uuid::new_v4().to_string()).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn un_anonyme_ne_telecharge_que_les_documents_publics() {
    let (app, _repertoire) = app_avec_stockage().await;
    let (_, entite, token) = entreprise_et_brouillon(&app, "1234567A").await;
    let answer = televerser(&app, Some(&token), entite, "x.pdf", "application/pdf", PDF)
        .await
        .json();
    let id = answer["data"]["televerserDocument"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_eq!(
        telecharger(&app, None, &id).await.status,
        StatusCode::NOT_FOUND
    );

    app.db
        .client()
        .await
        .execute(
            "UPDATE documents_joints SET est_public = true WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap();
    // Public, but its entity is not published: still hidden.
    assert_eq!(
        telecharger(&app, None, &id).await.status,
        StatusCode::NOT_FOUND
    );
    // Once the entity is in the public register, anyone downloads it.
    app.db
        .client()
        .await
        .batch_execute(&format!(
            "UPDATE entites_workflow SET statut = 'publie', type_formalite = 'dispense',
                 numero_recepisse = 'RCP-2026-000001', date_validation = now(),
                 date_expiration = current_date + 730, date_publication = now()
              WHERE entite_id = '{entite}';
             INSERT INTO entites_conformite (entite_id, statut_conformite)
             VALUES ('{entite}', 'conforme')
             ON CONFLICT (entite_id) DO UPDATE SET statut_conformite = 'conforme';
             SELECT registre_public_rafraichir('{entite}')"
        ))
        .await
        .unwrap();
    let reply = telecharger(&app, None, &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(&reply.body[..], PDF);
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn un_televersement_sans_authorization_ni_preflight_est_refuse_en_415() {
    let (app, repertoire) = app_avec_stockage().await;
    let (_, entite, _) = entreprise_et_brouillon(&app, "1234567A").await;

    let reply = televerser(&app, None, entite, "x.pdf", "application/pdf", PDF).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_code(&reply.json()), Some("UNSUPPORTED_MEDIA_TYPE"));
    assert_eq!(nombre_de_documents(&app).await, 0);
    assert!(repertoire.fichiers().is_empty());
}

#[tokio::test]
async fn un_fichier_n_est_stocke_qu_une_fois_par_requete_meme_en_alias() {
    let (app, _repertoire) = app_avec_stockage().await;
    let (_, entite, token) = entreprise_et_brouillon(&app, "7654321B").await;
    let alias = (0..5)
        .map(|i| format!("a{i}: televerserDocument(input: $input) {{ id }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let query = format!("mutation($input: TeleverserDocumentInput!) {{ {alias} }}");
    let body = multipart_de(&query, entite, "statuts.pdf", "application/pdf", PDF);
    let requete = Request::post("/graphql")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let answer = app.send(requete).await.json();
    let refus: Vec<&Value> = answer["errors"]
        .as_array()
        .map(|e| e.iter().collect())
        .unwrap_or_default();
    assert!(
        refus
            .iter()
            .any(|e| e["message"] == "Un seul téléversement par requête."
                && e["extensions"]["field"] == "input.fichier"),
        "{answer}"
    );
    assert_eq!(nombre_de_documents(&app).await, 1, "{answer}");
}
