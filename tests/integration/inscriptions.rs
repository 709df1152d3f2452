//! ARTCI's vetting of company sign-ups, as an admin's client uses it.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::clock::Clock;
use registre_dcp::mail::modeles::texte_motif;
use registre_dcp::models::enums::{MotifRejetInscription, RoleUtilisateur};
use registre_dcp::models::sessions::Titulaire;

use crate::support::courriels::attendre_courriel;
use crate::support::{TestApp, error_code};

const EN_ATTENTE: &str = "query($first: Int, $after: String) {
    inscriptionsEnAttente(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id denomination statutInscription } } } }";
const VALIDER: &str =
    "mutation($id: ID!) { validerInscription(compteId: $id) { id statutInscription } }";
const REJETER: &str = "mutation($id: ID!, $motif: MotifRejetInscription!, $commentaire: String) {
    rejeterInscription(compteId: $id, motif: $motif, commentaire: $commentaire) {
        id statutInscription motifRejetCode motifRejet } }";
const MOI: &str = "{ moi { __typename } }";

/// A company account inserted directly (the sign-up flow is tested elsewhere), created at
/// `created_at`; returns its id and e-mail.
async fn compte(
    app: &TestApp,
    denomination: &str,
    email_verifie: bool,
    statut: &str,
    created_at: DateTime<Utc>,
) -> (Uuid, String) {
    let id = Uuid::new_v4();
    let email = format!("contact.{}@entreprise.ci", id.simple());
    let ncc = format!("{:07}A", id.as_u128() % 10_000_000);
    let motif = (statut == "rejetee").then_some("autre");
    app.db
        .client()
        .await
        .execute(
            "INSERT INTO comptes_entreprises (id, email, password_hash, denomination, numero_cc,
                 email_verifie, statut_inscription, motif_rejet_code, created_at)
             VALUES ($1, $2, 'x', $3, $4, $5, $6::text::statut_inscription,
                 $7::text::motif_rejet_inscription, $8::text::timestamptz)",
            &[
                &id,
                &email,
                &denomination,
                &ncc,
                &email_verifie,
                &statut,
                &motif,
                &created_at.to_rfc3339(),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("insertion du compte : {e}"));
    (id, email)
}

async fn compte_en_attente(app: &TestApp, denomination: &str) -> (Uuid, String) {
    compte(
        app,
        denomination,
        true,
        "en_attente",
        app.clock.now() - Duration::hours(1),
    )
    .await
}

async fn statut(app: &TestApp, id: Uuid) -> (String, Option<Uuid>, Option<String>, Option<String>) {
    let row = app
        .db
        .client()
        .await
        .query_one(
            "SELECT statut_inscription::text, inscription_validee_par, motif_rejet_code::text,
                    motif_rejet
             FROM comptes_entreprises WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

/// The sign-up history of the account: (ancien, nouveau, acteur_type, acteur_user_id).
async fn historique(
    app: &TestApp,
    id: Uuid,
) -> Vec<(Option<String>, String, String, Option<Uuid>)> {
    app.db
        .client()
        .await
        .query(
            "SELECT ancien_statut, nouveau_statut, acteur_type::text, acteur_user_id
             FROM historique_statuts
             WHERE compte_entreprise_id = $1 AND objet = 'inscription' ORDER BY created_at",
            &[&id],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

async fn courriels_en_file(app: &TestApp) -> i64 {
    app.db
        .client()
        .await
        .query_one("SELECT count(*) FROM courriels_sortants", &[])
        .await
        .unwrap()
        .get(0)
}

fn denominations(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["denomination"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn un_admin_parcourt_les_inscriptions_en_attente_de_la_plus_ancienne_a_la_plus_recente() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let now = app.clock.now();
    // Inserted out of order: the list follows the creation instants.
    compte(&app, "Gamma", true, "en_attente", now - Duration::hours(1)).await;
    compte(&app, "Alpha", true, "en_attente", now - Duration::hours(3)).await;
    compte(&app, "Beta", true, "en_attente", now - Duration::hours(2)).await;
    // Neither waits for vetting: an unproved address, an account already decided.
    compte(
        &app,
        "Non vérifiée",
        false,
        "en_attente",
        now - Duration::hours(4),
    )
    .await;
    compte(
        &app,
        "Déjà validée",
        true,
        "approuvee",
        now - Duration::hours(5),
    )
    .await;

    let premiere = app
        .graphql(EN_ATTENTE, json!({ "first": 2 }), Some(&admin))
        .await;
    assert!(premiere["errors"].is_null(), "{premiere}");
    let page = &premiere["data"]["inscriptionsEnAttente"];
    assert_eq!(page["totalCount"], 3);
    assert_eq!(denominations(page), ["Alpha", "Beta"]);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);

    let apres = page["pageInfo"]["endCursor"].as_str().unwrap();
    let seconde = app
        .graphql(
            EN_ATTENTE,
            json!({ "first": 2, "after": apres }),
            Some(&admin),
        )
        .await;
    let page = &seconde["data"]["inscriptionsEnAttente"];
    assert_eq!(denominations(page), ["Gamma"]);
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    assert_eq!(page["totalCount"], 3);

    let curseur_invalide = app
        .graphql(
            EN_ATTENTE,
            json!({ "after": "n'importe quoi" }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&curseur_invalide), Some("BAD_USER_INPUT"));
    assert_eq!(
        curseur_invalide["errors"][0]["extensions"]["field"],
        "after"
    );
}

#[tokio::test]
async fn un_admin_valide_une_inscription_l_historise_et_l_entreprise_recoit_un_courriel() {
    let app = TestApp::new().await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, email) = compte_en_attente(&app, "Orange Côte d'Ivoire").await;

    let reponse = app
        .graphql(VALIDER, json!({ "id": id.to_string() }), Some(&admin))
        .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    assert_eq!(
        reponse["data"]["validerInscription"]["statutInscription"],
        "APPROUVEE"
    );

    let (statut, validee_par, motif, _) = statut(&app, id).await;
    assert_eq!(statut, "approuvee");
    assert_eq!(validee_par, Some(admin_id));
    assert_eq!(motif, None);
    assert_eq!(
        historique(&app, id).await,
        [(
            Some("en_attente".to_owned()),
            "approuvee".to_owned(),
            "utilisateur".to_owned(),
            Some(admin_id)
        )]
    );

    app.distribuer_courriels().await;
    let courriel = attendre_courriel(&email).await;
    assert!(
        courriel.sujet.contains("Inscription validée"),
        "{}",
        courriel.sujet
    );
    assert!(
        courriel.corps.contains("Orange Côte d'Ivoire"),
        "{}",
        courriel.corps
    );

    // A decided account leaves the waiting list.
    let liste = app.graphql(EN_ATTENTE, json!({}), Some(&admin)).await;
    assert_eq!(liste["data"]["inscriptionsEnAttente"]["totalCount"], 0);
}

#[tokio::test]
async fn un_admin_rejette_une_inscription_avec_motif_et_commentaire_et_ses_sessions_prennent_fin() {
    let app = TestApp::new().await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, email) = compte_en_attente(&app, "Société Fantôme SARL").await;
    // A verified company may log in and prepare drafts before vetting.
    let jeton_entreprise = app.token_for(Titulaire::Compte(id)).await;
    let avant = app.graphql(MOI, json!({}), Some(&jeton_entreprise)).await;
    assert_eq!(avant["data"]["moi"]["__typename"], "CompteEntreprise");

    let reponse = app
        .graphql(
            REJETER,
            json!({
                "id": id.to_string(),
                "motif": "DOCUMENTS_INVALIDES",
                "commentaire": "  Le registre de commerce fourni est illisible.  "
            }),
            Some(&admin),
        )
        .await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    assert_eq!(
        reponse["data"]["rejeterInscription"]["statutInscription"],
        "REJETEE"
    );
    assert_eq!(
        reponse["data"]["rejeterInscription"]["motifRejetCode"],
        "DOCUMENTS_INVALIDES"
    );
    assert_eq!(
        reponse["data"]["rejeterInscription"]["motifRejet"],
        "Le registre de commerce fourni est illisible."
    );

    let (statut, validee_par, motif, commentaire) = statut(&app, id).await;
    assert_eq!(statut, "rejetee");
    assert_eq!(validee_par, None);
    assert_eq!(motif.as_deref(), Some("documents_invalides"));
    assert_eq!(
        commentaire.as_deref(),
        Some("Le registre de commerce fourni est illisible.")
    );
    let lignes = historique(&app, id).await;
    assert_eq!(lignes.len(), 1);
    assert_eq!(lignes[0].1, "rejetee");
    assert_eq!(lignes[0].3, Some(admin_id));

    // Its sessions are revoked: the token it held no longer works.
    let ouvertes: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM sessions WHERE compte_entreprise_id = $1 AND revoquee_le IS NULL",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ouvertes, 0);
    let apres = app.graphql(MOI, json!({}), Some(&jeton_entreprise)).await;
    assert_eq!(error_code(&apres), Some("UNAUTHENTICATED"));

    app.distribuer_courriels().await;
    let courriel = attendre_courriel(&email).await;
    assert!(
        courriel.sujet.contains("Société Fantôme SARL"),
        "{}",
        courriel.sujet
    );
    assert!(
        courriel
            .corps
            .contains(texte_motif(MotifRejetInscription::DocumentsInvalides)),
        "{}",
        courriel.corps
    );
    assert!(
        courriel
            .corps
            .contains("Le registre de commerce fourni est illisible."),
        "{}",
        courriel.corps
    );
}

#[tokio::test]
async fn une_seconde_decision_sur_la_meme_inscription_est_un_conflit() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = compte_en_attente(&app, "Double Décision SA").await;
    let variables = json!({ "id": id.to_string(), "motif": "ENTREPRISE_INEXISTANTE" });

    let premiere = app.graphql(VALIDER, variables.clone(), Some(&admin)).await;
    assert!(premiere["errors"].is_null(), "{premiere}");
    let revalider = app.graphql(VALIDER, variables.clone(), Some(&admin)).await;
    assert_eq!(error_code(&revalider), Some("CONFLICT"));
    let rejeter = app.graphql(REJETER, variables, Some(&admin)).await;
    assert_eq!(error_code(&rejeter), Some("CONFLICT"));

    assert_eq!(statut(&app, id).await.0, "approuvee");
    assert_eq!(historique(&app, id).await.len(), 1);
    assert_eq!(courriels_en_file(&app).await, 1);
}

#[tokio::test]
async fn une_inscription_dont_l_email_n_est_pas_verifie_ne_peut_pas_etre_decidee() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = compte(&app, "Pas Vérifiée", false, "en_attente", app.clock.now()).await;
    let reponse = app
        .graphql(VALIDER, json!({ "id": id.to_string() }), Some(&admin))
        .await;
    assert_eq!(error_code(&reponse), Some("CONFLICT"));
    assert_eq!(statut(&app, id).await.0, "en_attente");
}

#[tokio::test]
async fn un_lecteur_qui_valide_une_inscription_est_refuse_et_rien_ne_change() {
    let app = TestApp::new().await;
    let (id, _) = compte_en_attente(&app, "Prudence SARL").await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (autre_id, _) = compte_en_attente(&app, "Concurrent SARL").await;
    let entreprise = app.token_for(Titulaire::Compte(autre_id)).await;
    let variables = json!({ "id": id.to_string(), "motif": "AUTRE", "commentaire": "non" });

    for jeton in [&lecteur, &editeur, &entreprise] {
        for operation in [VALIDER, REJETER] {
            let reponse = app.graphql(operation, variables.clone(), Some(jeton)).await;
            assert_eq!(error_code(&reponse), Some("FORBIDDEN"), "{reponse}");
        }
        let liste = app.graphql(EN_ATTENTE, json!({}), Some(jeton)).await;
        assert_eq!(error_code(&liste), Some("FORBIDDEN"), "{liste}");
    }
    let anonyme = app.graphql(VALIDER, variables, None).await;
    assert_eq!(error_code(&anonyme), Some("UNAUTHENTICATED"));

    assert_eq!(statut(&app, id).await.0, "en_attente");
    assert!(historique(&app, id).await.is_empty());
    assert_eq!(courriels_en_file(&app).await, 0);
}

#[tokio::test]
async fn un_identifiant_inconnu_est_introuvable_et_un_identifiant_mal_forme_est_refuse() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;

    let inconnu = app
        .graphql(
            VALIDER,
            json!({ "id": Uuid::new_v4().to_string() }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&inconnu), Some("NOT_FOUND"));

    let mal_forme = app
        .graphql(VALIDER, json!({ "id": "42" }), Some(&admin))
        .await;
    assert_eq!(error_code(&mal_forme), Some("BAD_USER_INPUT"));
    assert_eq!(mal_forme["errors"][0]["extensions"]["field"], "compteId");
}

#[tokio::test]
async fn le_motif_autre_exige_un_commentaire() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (id, _) = compte_en_attente(&app, "Sans Motif SARL").await;
    let reponse = app
        .graphql(
            REJETER,
            json!({ "id": id.to_string(), "motif": "AUTRE" }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&reponse), Some("BAD_USER_INPUT"));
    assert_eq!(reponse["errors"][0]["extensions"]["field"], "commentaire");
    assert_eq!(statut(&app, id).await.0, "en_attente");
}
