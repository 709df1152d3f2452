//! ARTCI's decisions on a compliant dossier: validation with its yearly numbers and its
//! approval's end, publication and back, the super_admin's "retour formulaire", and the
//! company's new application after a rejection; every refused role.

use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::{dossier_decide, dossier_soumis};
use crate::support::{TestApp, error_code, historique};

const WORKFLOW: &str = "workflow { statut typeFormalite numeroRecepisse numeroAutorisationArtci
    dateValidation dateExpiration datePublication dateRejet motifRejet dateSoumission }";

fn mutation(nom: &str) -> String {
    format!("mutation($id: ID!) {{ {nom}(entiteId: $id) {{ id {WORKFLOW} }} }}")
}

fn retour() -> String {
    format!(
        "mutation($input: RetourFormulaireInput!) {{ retourFormulaire(input: $input) {{
            id {WORKFLOW} assignations {{ statut }} }} }}"
    )
}

/// The entity's workflow after a successful `nom` by `jeton`.
async fn ok(app: &TestApp, nom: &str, id: &str, jeton: &str) -> Value {
    let r = app
        .graphql(&mutation(nom), json!({ "id": id }), Some(jeton))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"][nom]["workflow"].clone()
}

/// The code of a refused `nom` by `jeton`.
async fn refus(app: &TestApp, nom: &str, id: &str, jeton: &str) -> String {
    let r = app
        .graphql(&mutation(nom), json!({ "id": id }), Some(jeton))
        .await;
    error_code(&r)
        .unwrap_or_else(|| panic!("refus attendu : {r}"))
        .to_owned()
}

async fn email_du_compte(app: &TestApp, compte: Uuid) -> String {
    app.db
        .client()
        .await
        .query_one(
            "SELECT email FROM comptes_entreprises WHERE id = $1",
            &[&compte],
        )
        .await
        .unwrap()
        .get(0)
}

/// The templates of the mails queued for `email`, oldest first.
async fn courriels(app: &TestApp, email: &str) -> Vec<(String, String)> {
    app.db
        .client()
        .await
        .query(
            "SELECT modele, coalesce(corps, '') FROM courriels_sortants WHERE destinataire = $1
              ORDER BY created_at",
            &[&email.to_lowercase()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

async fn modeles(app: &TestApp, email: &str) -> Vec<String> {
    courriels(app, email)
        .await
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

async fn sur_la_carte(app: &TestApp, id: &str) -> bool {
    app.db
        .client()
        .await
        .query_one(
            "SELECT publie_sur_carte FROM entites_base WHERE id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0)
}

async fn sql(app: &TestApp, requete: &str, id: &str) {
    app.db
        .client()
        .await
        .execute(requete, &[&id])
        .await
        .unwrap();
}

#[tokio::test]
async fn la_validation_delivre_des_numeros_annuels_qui_se_suivent_et_l_echeance() {
    let app = TestApp::new().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let email = email_du_compte(&app, compte).await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    // Health data: authorisations.
    let premier = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let second = dossier_decide(
        &app,
        &entreprise,
        "CONFORME_SOUS_RESERVE",
        json!({ "delaiMiseEnConformite": "2027-01-15" }),
    )
    .await;
    // A third qualified as an exemption: a receipt, from its own sequence.
    let troisieme = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    sql(
        &app,
        "UPDATE entites_workflow SET type_formalite = 'dispense' WHERE entite_id = $1::text::uuid",
        &troisieme,
    )
    .await;

    let w = ok(&app, "validerDossier", &premier, &admin).await;
    assert_eq!(w["statut"], "VALIDE");
    assert_eq!(w["numeroAutorisationArtci"], "AUT-2026-000001");
    assert!(w["numeroRecepisse"].is_null());
    assert_eq!(w["dateExpiration"], "2028-11-23");
    assert!(
        w["dateValidation"]
            .as_str()
            .is_some_and(|d| d.starts_with("2026-11-23T09:00:00")),
        "{w}"
    );
    let w = ok(&app, "validerDossier", &second, &admin).await;
    assert_eq!(w["numeroAutorisationArtci"], "AUT-2026-000002");
    let w = ok(&app, "validerDossier", &troisieme, &admin).await;
    assert_eq!(w["numeroRecepisse"], "RCP-2026-000001");
    assert!(w["numeroAutorisationArtci"].is_null());
    // Validated once: not twice.
    assert_eq!(
        refus(&app, "validerDossier", &premier, &admin).await,
        "CONFLICT"
    );

    let mails = courriels(&app, &email).await;
    let valides: Vec<&String> = mails
        .iter()
        .filter(|(m, _)| m == "dossier_valide")
        .map(|(_, corps)| corps)
        .collect();
    assert_eq!(valides.len(), 3, "{mails:?}");
    for numero in ["AUT-2026-000001", "AUT-2026-000002", "RCP-2026-000001"] {
        let corps = valides
            .iter()
            .find(|c| c.contains(&format!("\n{numero}\n")))
            .unwrap_or_else(|| panic!("{numero} : {valides:?}"));
        assert!(corps.contains("23 novembre 2028"), "{corps}");
    }

    // The history names the number.
    let n: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM historique_statuts WHERE entite_id = $1::text::uuid
               AND objet = 'workflow' AND nouveau_statut = 'valide'
               AND commentaire = 'AUT-2026-000001'",
            &[&premier],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn la_validite_de_l_agrement_se_configure() {
    let app = TestApp::with_config(|c| c.dossiers.validite_agrement_mois = 6).await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let w = ok(&app, "validerDossier", &id, &admin).await;
    assert_eq!(w["dateExpiration"], "2027-05-23");
}

#[tokio::test]
async fn un_delai_de_mise_en_conformite_depasse_interdit_la_validation() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(
        &app,
        &entreprise,
        "CONFORME_SOUS_RESERVE",
        json!({ "delaiMiseEnConformite": "2026-12-01" }),
    )
    .await;
    // The day after the deadline, refused (the service's clock says 2026-11-23)…
    sql(
        &app,
        "UPDATE entites_conformite SET delai_mise_en_conformite = '2026-11-22'
          WHERE entite_id = $1::text::uuid",
        &id,
    )
    .await;
    assert_eq!(refus(&app, "validerDossier", &id, &admin).await, "CONFLICT");
    // … on the deadline day itself, still allowed.
    sql(
        &app,
        "UPDATE entites_conformite SET delai_mise_en_conformite = '2026-11-23'
          WHERE entite_id = $1::text::uuid",
        &id,
    )
    .await;
    let w = ok(&app, "validerDossier", &id, &admin).await;
    assert_eq!(w["statut"], "VALIDE");
}

#[tokio::test]
async fn publier_puis_depublier_suit_la_carte_et_previent_l_entreprise() {
    let app = TestApp::new().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let email = email_du_compte(&app, compte).await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    // Not validated yet: nothing to publish.
    assert_eq!(refus(&app, "publierDossier", &id, &admin).await, "CONFLICT");
    ok(&app, "validerDossier", &id, &admin).await;
    assert!(!sur_la_carte(&app, &id).await);

    let w = ok(&app, "publierDossier", &id, &admin).await;
    assert_eq!(w["statut"], "PUBLIE");
    assert!(
        w["datePublication"]
            .as_str()
            .is_some_and(|d| d.starts_with("2026-11-23T09:00:00")),
        "{w}"
    );
    assert!(sur_la_carte(&app, &id).await);
    assert_eq!(
        modeles(&app, &email)
            .await
            .iter()
            .filter(|m| *m == "dossier_publie")
            .count(),
        1
    );

    let w = ok(&app, "depublierDossier", &id, &admin).await;
    assert_eq!(w["statut"], "VALIDE");
    assert!(w["numeroAutorisationArtci"].is_string());
    assert!(!sur_la_carte(&app, &id).await);
    assert_eq!(
        refus(&app, "depublierDossier", &id, &admin).await,
        "CONFLICT"
    );
}

#[tokio::test]
async fn seuls_les_administrateurs_valident_et_publient() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let id = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    for jeton in [&editeur, &lecteur, &entreprise] {
        assert_eq!(refus(&app, "validerDossier", &id, jeton).await, "FORBIDDEN");
    }
    ok(&app, "validerDossier", &id, &admin).await;
    for jeton in [&editeur, &lecteur, &entreprise] {
        assert_eq!(refus(&app, "publierDossier", &id, jeton).await, "FORBIDDEN");
    }
    ok(&app, "publierDossier", &id, &admin).await;
    for jeton in [&editeur, &lecteur, &entreprise] {
        assert_eq!(
            refus(&app, "depublierDossier", &id, jeton).await,
            "FORBIDDEN"
        );
    }
    // A super_admin may do what an admin may.
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    ok(&app, "depublierDossier", &id, &super_admin).await;
}

#[tokio::test]
async fn un_agrement_expire_ne_se_publie_pas() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    ok(&app, "validerDossier", &id, &admin).await;
    sql(
        &app,
        "UPDATE entites_workflow SET date_expiration = '2026-11-22' WHERE entite_id = $1::text::uuid",
        &id,
    )
    .await;
    assert_eq!(refus(&app, "publierDossier", &id, &admin).await, "CONFLICT");
    assert!(!sur_la_carte(&app, &id).await);
    // Expiring today still publishes.
    sql(
        &app,
        "UPDATE entites_workflow SET date_expiration = '2026-11-23' WHERE entite_id = $1::text::uuid",
        &id,
    )
    .await;
    ok(&app, "publierDossier", &id, &admin).await;
}

#[tokio::test]
async fn le_retour_formulaire_est_reserve_au_super_admin_et_exige_un_motif() {
    let app = TestApp::new().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let email = email_du_compte(&app, compte).await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;

    // A published dossier goes back to the form and off the map.
    let publie = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    ok(&app, "validerDossier", &publie, &admin).await;
    ok(&app, "publierDossier", &publie, &admin).await;
    assert!(sur_la_carte(&app, &publie).await);

    let r = app
        .graphql(
            &retour(),
            json!({ "input": { "entiteId": publie, "motif": "Pièces illisibles." } }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    for motif in [json!(null), json!("   ")] {
        let r = app
            .graphql(
                &retour(),
                json!({ "input": { "entiteId": publie, "motif": motif } }),
                Some(&super_admin),
            )
            .await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "input.motif", "{r}");
    }
    assert!(sur_la_carte(&app, &publie).await);

    let r = app
        .graphql(
            &retour(),
            json!({ "input": { "entiteId": publie, "motif": "Pièces illisibles." } }),
            Some(&super_admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["retourFormulaire"]["workflow"]["statut"],
        "EN_ATTENTE_COMPLEMENTS"
    );
    assert!(!sur_la_carte(&app, &publie).await);
    let mails = courriels(&app, &email).await;
    let (_, corps) = mails
        .iter()
        .find(|(m, _)| m == "retour_formulaire")
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(corps.contains("Motif :\nPièces illisibles.\n"), "{corps}");
    // The company reads the reason in its history.
    let lignes = historique::lire(&app, &entreprise, &publie).await;
    assert!(
        lignes
            .iter()
            .any(|l| l["nouveauStatut"] == "en_attente_complements"
                && l["commentaire"] == "Pièces illisibles."),
        "{lignes:?}"
    );

    // A dossier under verification: its open assignation is cancelled.
    let soumis = dossier_soumis(&app, &entreprise).await;
    let (agent_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let r = app
        .graphql(
            "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) { id } }",
            json!({ "input": { "entiteId": soumis, "agentId": agent_id, "echeance": "2026-12-15" } }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql(
            &retour(),
            json!({ "input": { "entiteId": soumis, "motif": "Mauvaise entité." } }),
            Some(&super_admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["retourFormulaire"]["workflow"]["statut"],
        "EN_ATTENTE_COMPLEMENTS"
    );
    assert_eq!(
        r["data"]["retourFormulaire"]["assignations"],
        json!([{ "statut": "ANNULE" }])
    );
    // A draft was never submitted: nothing to send back.
    let brouillon = crate::support::dossiers::creer(&app, &entreprise).await;
    let r = app
        .graphql(
            &retour(),
            json!({ "input": { "entiteId": brouillon, "motif": "x" } }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
}

#[tokio::test]
async fn apres_un_rejet_l_entreprise_recommence_et_garde_l_historique() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let id = dossier_decide(
        &app,
        &entreprise,
        "REJETE",
        json!({ "motif": "Finalité illicite." }),
    )
    .await;
    // Another company does not even learn the dossier exists; staff may not start it again.
    let (_, autre) = app.entreprise("approuvee").await;
    assert_eq!(
        refus(&app, "recommencerDossier", &id, &autre).await,
        "NOT_FOUND"
    );
    assert_eq!(
        refus(&app, "recommencerDossier", &id, &admin).await,
        "FORBIDDEN"
    );
    let lignes_avant = nombre_de_lignes(&app, &id).await;

    let w = ok(&app, "recommencerDossier", &id, &entreprise).await;
    assert_eq!(w["statut"], "BROUILLON");
    for champ in [
        "typeFormalite",
        "dateSoumission",
        "dateRejet",
        "motifRejet",
        "numeroRecepisse",
        "numeroAutorisationArtci",
        "dateExpiration",
    ] {
        assert!(w[champ].is_null(), "{champ} : {w}");
    }
    // The history kept every line and gained the new start.
    assert_eq!(nombre_de_lignes(&app, &id).await, lignes_avant + 2);
    let conformite: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT statut_conformite::text FROM entites_conformite WHERE entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(conformite, "non_conforme");
    // A draft again: the company may submit it anew.
    let r = crate::support::dossiers::soumettre(&app, &entreprise, &id).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"], "SOUMIS",
        "{r}"
    );
    // Only from rejete or expire.
    assert_eq!(
        refus(&app, "recommencerDossier", &id, &entreprise).await,
        "CONFLICT"
    );
}

async fn nombre_de_lignes(app: &TestApp, id: &str) -> i64 {
    app.db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM historique_statuts WHERE entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deux_validations_simultanees_recoivent_deux_numeros_distincts() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (_, autre_admin) = app.staff(RoleUtilisateur::Admin).await;
    let a = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let b = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    // Both counters' upserts race in their transactions: neither number is given twice.
    let (wa, wb) = tokio::join!(
        ok(&app, "validerDossier", &a, &admin),
        ok(&app, "validerDossier", &b, &autre_admin)
    );
    let mut numeros = vec![
        wa["numeroAutorisationArtci"].as_str().unwrap().to_owned(),
        wb["numeroAutorisationArtci"].as_str().unwrap().to_owned(),
    ];
    numeros.sort();
    assert_eq!(numeros, ["AUT-2026-000001", "AUT-2026-000002"]);
}
