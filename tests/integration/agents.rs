//! ARTCI's staff management, as a super_admin's client uses it.

use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::domain::mot_de_passe;
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::courriels::{attendre_courriel, extraire_code};
use crate::support::{TestApp, error_code};

const CREER: &str = "mutation($input: CreerAgentInput!) { creerAgent(input: $input) {
    id email nom prenom role estActif superieur { id } } }";
const MODIFIER_ROLE: &str = "mutation($input: ModifierRoleAgentInput!) {
    modifierRoleAgent(input: $input) { id role } }";
const DESACTIVER: &str = "mutation($id: ID!) { desactiverAgent(agentId: $id) { id estActif } }";
const REACTIVER: &str = "mutation($id: ID!) { reactiverAgent(agentId: $id) { id estActif } }";
const DEFINIR_SUPERIEUR: &str = "mutation($input: DefinirSuperieurInput!) {
    definirSuperieur(input: $input) { id superieur { id } } }";
const AGENTS: &str = "query($first: Int, $after: String) { agents(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id role superieur { id nom } } } } }";
const MOI: &str = "{ moi { __typename ... on Agent { id role } } }";
const EN_ATTENTE: &str = "{ inscriptionsEnAttente { totalCount } }";

fn adresse() -> String {
    format!("agent.{}@artci.ci", Uuid::new_v4().simple())
}

fn entree(email: &str) -> Value {
    json!({
        "email": email,
        "nom": "Kouadio",
        "prenom": "Yao",
        "role": "EDITEUR",
        "telephone": "07 08 09 10 11"
    })
}

/// The line after "mot de passe temporaire est :" in the mail.
fn mot_de_passe_du_courriel(corps: &str) -> String {
    let mut lignes = corps
        .lines()
        .skip_while(|l| !l.contains("mot de passe temporaire"));
    lignes.next().expect("phrase du mot de passe temporaire");
    lignes
        .map(str::trim)
        .find(|l| !l.is_empty())
        .expect("mot de passe temporaire")
        .to_owned()
}

async fn creer(app: &TestApp, jeton: &str, input: Value) -> Value {
    app.graphql(CREER, json!({ "input": input }), Some(jeton))
        .await
}

async fn nombre_d_agents(app: &TestApp) -> i64 {
    app.db
        .client()
        .await
        .query_one("SELECT count(*) FROM users", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn un_super_admin_cree_un_agent_qui_recoit_un_mot_de_passe_temporaire_a_changer() {
    let app = TestApp::new().await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (admin_id, _) = app.staff(RoleUtilisateur::Admin).await;
    let email = adresse();
    let mut input = entree(&format!("  {}  ", email.to_uppercase()));
    input["superieurId"] = json!(admin_id.to_string());

    let reponse = creer(&app, &super_admin, input).await;
    assert!(reponse["errors"].is_null(), "{reponse}");
    let agent = &reponse["data"]["creerAgent"];
    assert_eq!(agent["email"], email.as_str());
    assert_eq!(agent["role"], "EDITEUR");
    assert_eq!(agent["estActif"], true);
    assert_eq!(agent["superieur"]["id"], admin_id.to_string());

    app.distribuer_courriels().await;
    let courriel = attendre_courriel(&email).await;
    assert!(courriel.corps.contains("Yao"), "{}", courriel.corps);
    let temporaire = mot_de_passe_du_courriel(&courriel.corps);
    assert_eq!(mot_de_passe::check_policy(&temporaire), Ok(()));

    let ligne = app
        .db
        .client()
        .await
        .query_one(
            "SELECT password_hash, doit_changer_mot_de_passe, telephone FROM users WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap();
    let hash: String = ligne.get(0);
    assert!(hash.starts_with("$argon2id$"));
    assert!(
        mot_de_passe::verify(temporaire.clone(), hash)
            .await
            .unwrap()
    );
    assert!(
        ligne.get::<_, bool>(1),
        "l'agent doit changer son mot de passe"
    );
    assert_eq!(
        ligne.get::<_, Option<String>>(2).as_deref(),
        Some("+2250708091011")
    );

    // Logging in with it (a first login: confirmed by a mailed code) allows nothing but
    // the change.
    let connexion = app
        .graphql(
            "mutation($input: ConnexionInput!) { connexion(input: $input) { __typename } }",
            json!({ "input": { "email": email, "motDePasse": temporaire, "espace": "ARTCI" } }),
            None,
        )
        .await;
    let typename = &connexion["data"]["connexion"]["__typename"];
    let typename = if typename == "OtpRequis" {
        app.distribuer_courriels().await;
        let code = extraire_code(&attendre_courriel(&email).await.corps);
        let verifie = app
            .graphql(
                "mutation($input: VerifierOtpInput!) { verifierOtp(input: $input) { __typename } }",
                json!({ "input": {
                    "email": email, "code": code, "type": "CONNEXION", "espace": "ARTCI"
                } }),
                None,
            )
            .await;
        verifie["data"]["verifierOtp"]["__typename"].clone()
    } else {
        typename.clone()
    };
    assert_eq!(typename, "ChangementMotDePasseRequis", "{connexion}");
}

#[tokio::test]
async fn une_adresse_deja_prise_est_un_conflit_et_chaque_champ_invalide_est_nomme() {
    let app = TestApp::new().await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let email = adresse();
    let premiere = creer(&app, &super_admin, entree(&email)).await;
    assert!(premiere["errors"].is_null(), "{premiere}");
    let doublon = creer(&app, &super_admin, entree(&email.to_uppercase())).await;
    assert_eq!(error_code(&doublon), Some("CONFLICT"));

    let cas = [
        ("email", json!("pas-une-adresse"), "input.email"),
        ("nom", json!("   "), "input.nom"),
        ("prenom", json!(""), "input.prenom"),
        ("telephone", json!("123"), "input.telephone"),
        ("superieurId", json!("pas-un-uuid"), "input.superieurId"),
    ];
    for (champ, valeur, chemin) in cas {
        let mut input = entree(&adresse());
        input[champ] = valeur;
        let reponse = creer(&app, &super_admin, input).await;
        assert_eq!(
            error_code(&reponse),
            Some("BAD_USER_INPUT"),
            "{champ}: {reponse}"
        );
        assert_eq!(reponse["errors"][0]["extensions"]["field"], chemin);
    }
    let mut sans_superieur = entree(&adresse());
    sans_superieur["superieurId"] = json!(Uuid::new_v4().to_string());
    let reponse = creer(&app, &super_admin, sans_superieur).await;
    assert_eq!(error_code(&reponse), Some("NOT_FOUND"));
    assert_eq!(nombre_d_agents(&app).await, 2);
}

#[tokio::test]
async fn un_admin_qui_cree_un_agent_est_refuse() {
    let app = TestApp::new().await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let reponse = creer(&app, &admin, entree(&adresse())).await;
    assert_eq!(error_code(&reponse), Some("FORBIDDEN"));
    let anonyme = app
        .graphql(CREER, json!({ "input": entree(&adresse()) }), None)
        .await;
    assert_eq!(error_code(&anonyme), Some("UNAUTHENTICATED"));
    assert_eq!(nombre_d_agents(&app).await, 1);
}

#[tokio::test]
async fn un_changement_de_role_vaut_des_la_requete_suivante_du_jeton_existant() {
    let app = TestApp::new().await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (agent_id, jeton) = app.staff(RoleUtilisateur::Editeur).await;
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(moi["data"]["moi"]["role"], "EDITEUR");
    let refuse = app.graphql(EN_ATTENTE, json!({}), Some(&jeton)).await;
    assert_eq!(error_code(&refuse), Some("FORBIDDEN"));

    let promotion = app
        .graphql(
            MODIFIER_ROLE,
            json!({ "input": { "agentId": agent_id.to_string(), "role": "ADMIN" } }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(
        promotion["data"]["modifierRoleAgent"]["role"], "ADMIN",
        "{promotion}"
    );

    // Same token, next request: the new role.
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(moi["data"]["moi"]["role"], "ADMIN");
    let permis = app.graphql(EN_ATTENTE, json!({}), Some(&jeton)).await;
    assert!(permis["errors"].is_null(), "{permis}");

    app.graphql(
        MODIFIER_ROLE,
        json!({ "input": { "agentId": agent_id.to_string(), "role": "LECTEUR" } }),
        Some(&super_admin),
    )
    .await;
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(moi["data"]["moi"]["role"], "LECTEUR");
    let refuse = app.graphql(EN_ATTENTE, json!({}), Some(&jeton)).await;
    assert_eq!(error_code(&refuse), Some("FORBIDDEN"));
}

#[tokio::test]
async fn un_agent_desactive_est_deconnecte_des_la_requete_suivante() {
    let app = TestApp::new().await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (agent_id, jeton) = app.staff(RoleUtilisateur::Editeur).await;
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(moi["data"]["moi"]["__typename"], "Agent");

    let reponse = app
        .graphql(
            DESACTIVER,
            json!({ "id": agent_id.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(
        reponse["data"]["desactiverAgent"]["estActif"], false,
        "{reponse}"
    );
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(error_code(&moi), Some("UNAUTHENTICATED"));
    let ouvertes: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoquee_le IS NULL",
            &[&agent_id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ouvertes, 0);

    // Re-enabled, the agent logs in again; the revoked session stays dead.
    let reponse = app
        .graphql(
            REACTIVER,
            json!({ "id": agent_id.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(
        reponse["data"]["reactiverAgent"]["estActif"], true,
        "{reponse}"
    );
    let moi = app.graphql(MOI, json!({}), Some(&jeton)).await;
    assert_eq!(error_code(&moi), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn un_super_admin_ne_peut_ni_se_desactiver_ni_se_retrograder() {
    let app = TestApp::new().await;
    let (moi_id, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let desactiver = app
        .graphql(
            DESACTIVER,
            json!({ "id": moi_id.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(error_code(&desactiver), Some("CONFLICT"));
    let retrograder = app
        .graphql(
            MODIFIER_ROLE,
            json!({ "input": { "agentId": moi_id.to_string(), "role": "ADMIN" } }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(error_code(&retrograder), Some("CONFLICT"));
    let moi = app.graphql(MOI, json!({}), Some(&super_admin)).await;
    assert_eq!(moi["data"]["moi"]["role"], "SUPER_ADMIN");

    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let par_un_admin = app
        .graphql(
            DESACTIVER,
            json!({ "id": moi_id.to_string() }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&par_un_admin), Some("FORBIDDEN"));
}

#[tokio::test]
async fn le_superieur_est_un_admin_actif_autre_que_l_agent_et_sans_cycle() {
    let app = TestApp::new().await;
    let (_, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (chef, _) = app.staff(RoleUtilisateur::Admin).await;
    let (adjoint, _) = app.staff(RoleUtilisateur::Admin).await;
    let (editeur, _) = app.staff(RoleUtilisateur::Editeur).await;
    let definir = |agent: Uuid, superieur: Option<Uuid>| {
        let app = &app;
        let super_admin = &super_admin;
        async move {
            app.graphql(
                DEFINIR_SUPERIEUR,
                json!({ "input": {
                    "agentId": agent.to_string(),
                    "superieurId": superieur.map(|s| s.to_string())
                } }),
                Some(super_admin),
            )
            .await
        }
    };
    let champ = |reponse: &Value| reponse["errors"][0]["extensions"]["field"].clone();

    let ok = definir(adjoint, Some(chef)).await;
    assert_eq!(
        ok["data"]["definirSuperieur"]["superieur"]["id"],
        chef.to_string(),
        "{ok}"
    );
    let ok = definir(editeur, Some(adjoint)).await;
    assert!(ok["errors"].is_null(), "{ok}");

    let lui_meme = definir(chef, Some(chef)).await;
    assert_eq!(error_code(&lui_meme), Some("BAD_USER_INPUT"));
    assert_eq!(champ(&lui_meme), "input.superieurId");
    let pas_admin = definir(chef, Some(editeur)).await;
    assert_eq!(error_code(&pas_admin), Some("BAD_USER_INPUT"));
    // chef → adjoint → chef would be a cycle.
    let cycle = definir(chef, Some(adjoint)).await;
    assert_eq!(error_code(&cycle), Some("BAD_USER_INPUT"), "{cycle}");
    assert_eq!(champ(&cycle), "input.superieurId");

    // The N+1 of an active agent stays an active admin until that agent has another.
    let retrograder = app
        .graphql(
            MODIFIER_ROLE,
            json!({ "input": { "agentId": adjoint.to_string(), "role": "EDITEUR" } }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(error_code(&retrograder), Some("CONFLICT"));
    let desactiver = app
        .graphql(
            DESACTIVER,
            json!({ "id": adjoint.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert_eq!(error_code(&desactiver), Some("CONFLICT"));
    let retire = definir(editeur, None).await;
    assert_eq!(
        retire["data"]["definirSuperieur"]["superieur"],
        Value::Null,
        "{retire}"
    );
    let desactiver = app
        .graphql(
            DESACTIVER,
            json!({ "id": adjoint.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert!(desactiver["errors"].is_null(), "{desactiver}");
    // A disabled admin cannot become anyone's N+1.
    let inactif = definir(editeur, Some(adjoint)).await;
    assert_eq!(error_code(&inactif), Some("BAD_USER_INPUT"));

    // An agent re-enabled after their N+1 left comes back without one.
    definir(editeur, Some(chef)).await;
    let agent_id = editeur.to_string();
    app.graphql(DESACTIVER, json!({ "id": agent_id }), Some(&super_admin))
        .await;
    let chef_parti = app
        .graphql(
            DESACTIVER,
            json!({ "id": chef.to_string() }),
            Some(&super_admin),
        )
        .await;
    assert!(chef_parti["errors"].is_null(), "{chef_parti}");
    app.graphql(REACTIVER, json!({ "id": agent_id }), Some(&super_admin))
        .await;
    let liste = app
        .graphql(AGENTS, json!({ "first": 100 }), Some(&super_admin))
        .await;
    let revenu = liste["data"]["agents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["id"] == agent_id.as_str())
        .expect("l'agent est listé");
    assert_eq!(revenu["node"]["superieur"], Value::Null);
}

#[tokio::test]
async fn un_admin_parcourt_les_agents_avec_leur_superieur() {
    let app = TestApp::new().await;
    let (chef, _) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (agent, _) = app.staff(RoleUtilisateur::Editeur).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET superieur_id = $1 WHERE id = $2",
            &[&chef, &agent],
        )
        .await
        .unwrap();

    let mut vus = Vec::new();
    let mut apres: Option<String> = None;
    loop {
        let reponse = app
            .graphql(AGENTS, json!({ "first": 2, "after": apres }), Some(&admin))
            .await;
        assert!(reponse["errors"].is_null(), "{reponse}");
        let page = &reponse["data"]["agents"];
        assert_eq!(page["totalCount"], 3);
        for edge in page["edges"].as_array().unwrap() {
            vus.push(edge["node"].clone());
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        apres = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(vus.len(), 3);
    let editeur = vus
        .iter()
        .find(|n| n["id"] == agent.to_string())
        .expect("l'éditeur est listé");
    assert_eq!(editeur["superieur"]["id"], chef.to_string());

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let refuse = app.graphql(AGENTS, json!({}), Some(&lecteur)).await;
    assert_eq!(error_code(&refuse), Some("FORBIDDEN"));
}
