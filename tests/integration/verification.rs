//! ARTCI's verification of a dossier: assignment, the agent's feedback, the N+1's validation,
//! complements and resubmission; what each role sees at each step, and every refusal.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::courriels::{attendre_courriel, courriels_recus};
use crate::support::dossiers::{creer, dossier_soumis, soumettre};
use crate::support::{TestApp, error_code, historique};

const ASSIGNER: &str = "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) {
    id statut echeance enRetard agent { id } assignePar { id }
    entite { id workflow { statut } } } }";
const REASSIGNER: &str = "mutation($input: ReassignerDemandeInput!) {
    reassignerDemande(input: $input) { id statut echeance agent { id } } }";
const FEEDBACK: &str = "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) {
    id statut decisionProposee traiteLe
    feedback { statut visibleEntreprise commentaires delaiFourniture
      elementsManquants { rubrique libelle obligatoire fourni } } } }";
const VALIDER: &str = "mutation($input: ValiderTraitementInput!) {
    validerTraitement(input: $input) { id statut commentaireValidation valideLe validePar { id }
    entite { workflow { statut } conformite { statutConformite delaiMiseEnConformite } } } }";
const PANIER: &str = "{ panier { totalCount edges { node {
    id statut echeance enRetard entite { id denomination } } } } }";
const VALIDATIONS: &str = "{ validationsEnAttente { totalCount edges { node {
    id decisionProposee agent { id } entite { id } } } } }";
const DOSSIER: &str = "query($id: ID!) { entite(id: $id) {
    workflow { statut }
    conformite { statutConformite delaiMiseEnConformite }
    feedbacks { statut visibleEntreprise commentaires delaiFourniture agent { id }
      elementsManquants { rubrique libelle obligatoire fourni } }
    assignations { id statut agent { id } }
    derniereAssignation { id statut } } }";

/// A submitted dossier and the people around it: its company, an admin who assigns, an
/// agent (editeur) and the agent's N+1 (admin).
struct Scene {
    app: TestApp,
    entreprise: String,
    email_entreprise: String,
    compte_id: Uuid,
    entite: String,
    admin_id: Uuid,
    admin: String,
    agent_id: Uuid,
    agent: String,
    email_agent: String,
    n1_id: Uuid,
    n1: String,
}

async fn email_agent(app: &TestApp, id: Uuid) -> String {
    app.db
        .client()
        .await
        .query_one("SELECT email FROM users WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0)
}

async fn scene() -> Scene {
    let app = TestApp::new().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let email_entreprise: String = app
        .db
        .client()
        .await
        .query_one(
            "SELECT email FROM comptes_entreprises WHERE id = $1",
            &[&compte],
        )
        .await
        .unwrap()
        .get(0);
    let entite = dossier_soumis(&app, &entreprise).await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (n1_id, n1) = app.staff(RoleUtilisateur::Admin).await;
    let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
    subordonner(&app, agent_id, n1_id).await;
    let email_agent = email_agent(&app, agent_id).await;
    Scene {
        app,
        entreprise,
        email_entreprise,
        compte_id: compte,
        entite,
        admin_id,
        admin,
        agent_id,
        agent,
        email_agent,
        n1_id,
        n1,
    }
}

async fn subordonner(app: &TestApp, agent: Uuid, superieur: Uuid) {
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET superieur_id = $2 WHERE id = $1",
            &[&agent, &superieur],
        )
        .await
        .unwrap();
}

/// The data of a successful answer.
async fn ok(app: &TestApp, requete: &str, variables: Value, jeton: &str) -> Value {
    let r = app.graphql(requete, variables, Some(jeton)).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"].clone()
}

/// The code and the field of a refused answer.
async fn refus(
    app: &TestApp,
    requete: &str,
    variables: Value,
    jeton: &str,
) -> (String, Option<String>) {
    let r = app.graphql(requete, variables, Some(jeton)).await;
    let code = error_code(&r)
        .unwrap_or_else(|| panic!("refus attendu : {r}"))
        .to_owned();
    let champ = r["errors"][0]["extensions"]["field"]
        .as_str()
        .map(str::to_owned);
    (code, champ)
}

async fn assigner(app: &TestApp, jeton: &str, entite: &str, agent: Uuid, echeance: &str) -> Value {
    app.graphql(
        ASSIGNER,
        json!({ "input": { "entiteId": entite, "agentId": agent, "echeance": echeance } }),
        Some(jeton),
    )
    .await
}

fn complements(assignation: &str) -> Value {
    json!({ "input": { "assignationId": assignation,
        "commentaires": "La politique de sécurité n'est pas jointe.",
        "elementsManquants": [{ "rubrique": " Sécurité ", "libelle": "Politique de sécurité signée",
            "obligatoire": true }],
        "delaiFourniture": "2026-12-15",
        "decisionProposee": "EN_ATTENTE_COMPLEMENTS" } })
}

fn proposition(assignation: &str, decision: &str) -> Value {
    json!({ "input": { "assignationId": assignation, "decisionProposee": decision } })
}

/// The history as `jeton` reads it: (objet, ancien, nouveau, acteur).
async fn historique(app: &TestApp, jeton: &str, id: &str) -> Vec<(String, String, String, String)> {
    historique::lire(app, jeton, id)
        .await
        .iter()
        .map(|l| {
            (
                l["objet"].as_str().unwrap().to_owned(),
                l["ancienStatut"].as_str().unwrap_or("").to_owned(),
                l["nouveauStatut"].as_str().unwrap().to_owned(),
                l["acteur"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn ligne(
    objet: &str,
    ancien: &str,
    nouveau: &str,
    acteur: &str,
) -> (String, String, String, String) {
    (objet.into(), ancien.into(), nouveau.into(), acteur.into())
}

/// The templates of the mails queued for `email`, oldest first.
async fn courriels(app: &TestApp, email: &str) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT modele FROM courriels_sortants WHERE destinataire = $1
              ORDER BY created_at, modele",
            &[&email.to_lowercase()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

async fn dossier(app: &TestApp, jeton: &str, id: &str) -> Value {
    ok(app, DOSSIER, json!({ "id": id }), jeton).await["entite"].clone()
}

/// Moves the service's clock on, so that each step's lines and mails have their own instant
/// (a minute: the access tokens last 15).
fn plus_tard(app: &TestApp) {
    app.clock.advance(Duration::minutes(1));
}

#[tokio::test]
async fn un_dossier_va_de_soumis_a_conforme_par_retour_renvoi_et_complements() {
    let s = scene().await;
    let app = &s.app;
    // The company's account, as staff read it in the history.
    const SOCIETE: &str = "Société test";
    let agent_nom = "Awa Koné";

    // 1. An admin assigns the dossier: en_verification, the agent is mailed.
    plus_tard(app);
    let r = assigner(app, &s.admin, &s.entite, s.agent_id, "2026-12-03").await;
    assert!(r["errors"].is_null(), "{r}");
    let a = &r["data"]["assignerDemande"];
    assert_eq!(a["statut"], "EN_COURS");
    assert_eq!(a["enRetard"], false);
    assert_eq!(a["agent"]["id"], s.agent_id.to_string());
    assert_eq!(a["entite"]["workflow"]["statut"], "EN_VERIFICATION");
    let assignation = a["id"].as_str().unwrap().to_owned();
    assert_eq!(courriels(app, &s.email_agent).await, ["dossier_assigne"]);
    assert!(app.distribuer_courriels().await >= 1);
    let recu = attendre_courriel(&s.email_agent).await;
    assert_eq!(recu.sujet, "Dossier à vérifier : Clinique du Plateau");
    assert!(
        recu.corps.contains("Échéance : 3 décembre 2026."),
        "{}",
        recu.corps
    );

    let soumission = [
        ligne("WORKFLOW", "brouillon", "soumis", SOCIETE),
        ligne("CONFORMITE", "non_conforme", "demarche_en_cours", SOCIETE),
    ];
    let mut attendu_personnel = soumission.to_vec();
    attendu_personnel.push(ligne("WORKFLOW", "soumis", "en_verification", "Awa Koné"));
    attendu_personnel.push(ligne("ASSIGNATION", "", "en_cours", "Awa Koné"));
    assert_eq!(
        historique(app, &s.admin, &s.entite).await,
        attendu_personnel
    );
    // The company sees its dossier move, ARTCI as one actor, nothing of the assignment.
    let mut attendu_entreprise = vec![
        ligne("WORKFLOW", "brouillon", "soumis", "Votre entreprise"),
        ligne(
            "CONFORMITE",
            "non_conforme",
            "demarche_en_cours",
            "Votre entreprise",
        ),
        ligne("WORKFLOW", "soumis", "en_verification", "ARTCI"),
    ];
    assert_eq!(
        historique(app, &s.entreprise, &s.entite).await,
        attendu_entreprise
    );
    let vu = dossier(app, &s.entreprise, &s.entite).await;
    assert_eq!(vu["assignations"], json!([]));
    assert_eq!(vu["feedbacks"], json!([]));

    // The agent's basket.
    let panier = ok(app, PANIER, json!({}), &s.agent).await["panier"].clone();
    assert_eq!(panier["totalCount"], 1);
    assert_eq!(panier["edges"][0]["node"]["id"], assignation.as_str());
    assert_eq!(panier["edges"][0]["node"]["echeance"], "2026-12-03");
    assert_eq!(panier["edges"][0]["node"]["enRetard"], false);

    // 2. The agent asks for complements: waiting for its N+1, the company sees nothing.
    plus_tard(app);
    let r = ok(app, FEEDBACK, complements(&assignation), &s.agent).await;
    let traite = &r["ajouterFeedback"];
    assert_eq!(traite["statut"], "TRAITE_ATTENTE_VALIDATION");
    assert_eq!(traite["decisionProposee"], "EN_ATTENTE_COMPLEMENTS");
    assert_eq!(traite["feedback"]["statut"], "BROUILLON");
    assert_eq!(traite["feedback"]["visibleEntreprise"], false);
    assert_eq!(
        traite["feedback"]["elementsManquants"],
        json!([{ "rubrique": "Sécurité", "libelle": "Politique de sécurité signée",
            "obligatoire": true, "fourni": false }])
    );
    let vu = dossier(app, &s.entreprise, &s.entite).await;
    assert_eq!(vu["workflow"]["statut"], "EN_VERIFICATION");
    assert_eq!(vu["feedbacks"], json!([]));
    assert_eq!(
        historique(app, &s.entreprise, &s.entite).await,
        attendu_entreprise
    );
    assert!(courriels(app, &s.email_entreprise).await == ["dossier_soumis"]);
    let vu = dossier(app, &s.agent, &s.entite).await;
    assert_eq!(vu["feedbacks"].as_array().unwrap().len(), 1);
    assert_eq!(vu["feedbacks"][0]["agent"]["id"], s.agent_id.to_string());
    // Treated work waits for any admin, never for its own agent.
    for jeton in [&s.n1, &s.admin] {
        let v = ok(app, VALIDATIONS, json!({}), jeton).await;
        assert_eq!(v["validationsEnAttente"]["totalCount"], 1);
        assert_eq!(
            v["validationsEnAttente"]["edges"][0]["node"]["decisionProposee"],
            "EN_ATTENTE_COMPLEMENTS"
        );
    }
    let (code, _) = refus(app, VALIDATIONS, json!({}), &s.agent).await;
    assert_eq!(code, "FORBIDDEN");
    // Treated twice: no.
    let (code, _) = refus(app, FEEDBACK, complements(&assignation), &s.agent).await;
    assert_eq!(code, "CONFLICT");

    // 3. The N+1 sends it back, with a comment (required).
    plus_tard(app);
    let renvoi = |commentaire: Option<&str>| {
        json!({ "input": { "assignationId": assignation, "accepter": false,
            "commentaire": commentaire } })
    };
    let (code, champ) = refus(app, VALIDER, renvoi(Some("  ")), &s.n1).await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.commentaire"))
    );
    let r = ok(
        app,
        VALIDER,
        renvoi(Some("Précisez quelles mesures manquent.")),
        &s.n1,
    )
    .await;
    assert_eq!(r["validerTraitement"]["statut"], "RENVOYE");
    assert_eq!(
        r["validerTraitement"]["commentaireValidation"],
        "Précisez quelles mesures manquent."
    );
    assert_eq!(
        r["validerTraitement"]["entite"]["workflow"]["statut"],
        "EN_VERIFICATION"
    );
    assert_eq!(
        courriels(app, &s.email_agent).await,
        ["dossier_assigne", "traitement_renvoye"]
    );
    let v = ok(app, VALIDATIONS, json!({}), &s.n1).await;
    assert_eq!(v["validationsEnAttente"]["totalCount"], 0);
    let panier = ok(app, PANIER, json!({}), &s.agent).await["panier"].clone();
    assert_eq!(panier["edges"][0]["node"]["statut"], "RENVOYE");
    assert_eq!(
        dossier(app, &s.entreprise, &s.entite).await["feedbacks"],
        json!([])
    );

    // 4. The agent treats it again: its new feedback replaces the refused draft.
    plus_tard(app);
    let mut entree = complements(&assignation);
    entree["input"]["elementsManquants"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "rubrique": "Sécurité", "libelle": "Plan de continuité", "obligatoire": false }));
    let r = ok(app, FEEDBACK, entree, &s.agent).await;
    assert_eq!(r["ajouterFeedback"]["statut"], "TRAITE_ATTENTE_VALIDATION");
    let vu = dossier(app, &s.admin, &s.entite).await;
    assert_eq!(vu["feedbacks"].as_array().unwrap().len(), 1);
    assert_eq!(
        vu["feedbacks"][0]["elementsManquants"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // 5. The N+1 accepts: the company sees the feedback and is mailed.
    plus_tard(app);
    let r = ok(
        app,
        VALIDER,
        json!({ "input": { "assignationId": assignation, "accepter": true } }),
        &s.n1,
    )
    .await;
    let valide = &r["validerTraitement"];
    assert_eq!(valide["statut"], "VALIDE");
    assert_eq!(valide["validePar"]["id"], s.n1_id.to_string());
    assert_eq!(
        valide["entite"]["workflow"]["statut"],
        "EN_ATTENTE_COMPLEMENTS"
    );
    assert_eq!(
        valide["entite"]["conformite"]["statutConformite"],
        "DEMARCHE_EN_COURS"
    );
    let vu = dossier(app, &s.entreprise, &s.entite).await;
    assert_eq!(vu["workflow"]["statut"], "EN_ATTENTE_COMPLEMENTS");
    assert_eq!(vu["assignations"], json!([]));
    assert_eq!(vu["derniereAssignation"], Value::Null);
    let feedbacks = vu["feedbacks"].as_array().unwrap();
    assert_eq!(feedbacks.len(), 1);
    assert_eq!(feedbacks[0]["statut"], "ENVOYE");
    assert_eq!(feedbacks[0]["visibleEntreprise"], true);
    assert_eq!(feedbacks[0]["delaiFourniture"], "2026-12-15");
    assert_eq!(feedbacks[0]["agent"], Value::Null, "l'agent reste anonyme");
    assert_eq!(
        feedbacks[0]["elementsManquants"][1]["libelle"],
        "Plan de continuité"
    );
    assert_eq!(
        courriels(app, &s.email_entreprise).await,
        ["dossier_soumis", "complements_demandes"]
    );
    assert!(app.distribuer_courriels().await >= 1);
    let recu = attendre_courriel(&s.email_entreprise).await;
    assert_eq!(recu.sujet, "Compléments demandés : Clinique du Plateau");
    assert!(
        recu.corps
            .contains("- Sécurité : Politique de sécurité signée"),
        "{}",
        recu.corps
    );
    assert!(recu.corps.contains("15 décembre 2026"), "{}", recu.corps);
    assert!(!recu.corps.contains("Koné"), "{}", recu.corps);
    attendu_entreprise.push(ligne(
        "WORKFLOW",
        "en_verification",
        "en_attente_complements",
        "ARTCI",
    ));
    assert_eq!(
        historique(app, &s.entreprise, &s.entite).await,
        attendu_entreprise
    );

    // 6. The company completes and resubmits: back to the same agent at once.
    plus_tard(app);
    let r = soumettre(app, &s.entreprise, &s.entite).await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"],
        "EN_VERIFICATION"
    );
    let vu = dossier(app, &s.admin, &s.entite).await;
    let assignations = vu["assignations"].as_array().unwrap();
    assert_eq!(assignations.len(), 2);
    assert_eq!(assignations[0]["statut"], "VALIDE");
    assert_eq!(assignations[1]["statut"], "EN_COURS");
    assert_eq!(assignations[1]["agent"]["id"], s.agent_id.to_string());
    // The latest, for work lists: the open one, not the validated one before it.
    assert_eq!(vu["derniereAssignation"]["id"], assignations[1]["id"]);
    assert_eq!(vu["derniereAssignation"]["statut"], "EN_COURS");
    assert_eq!(vu["feedbacks"][0]["statut"], "TRAITE");
    let seconde = assignations[1]["id"].as_str().unwrap().to_owned();
    let panier = ok(app, PANIER, json!({}), &s.agent).await["panier"].clone();
    assert_eq!(panier["totalCount"], 1);
    assert_eq!(panier["edges"][0]["node"]["id"], seconde.as_str());
    // As many days as the first assignment gave (10), from today.
    assert_eq!(panier["edges"][0]["node"]["echeance"], "2026-12-03");
    assert_eq!(
        courriels(app, &s.email_agent).await,
        ["dossier_assigne", "traitement_renvoye", "dossier_assigne"]
    );
    assert!(app.distribuer_courriels().await >= 1);
    assert!(
        courriels_recus(&s.email_agent)
            .iter()
            .any(|c| c.corps.contains("a fourni les compléments demandés")),
        "courriel de réassignation"
    );

    // 7. Found compliant, 8. accepted: conforme.
    plus_tard(app);
    ok(app, FEEDBACK, proposition(&seconde, "CONFORME"), &s.agent).await;
    assert_eq!(
        dossier(app, &s.entreprise, &s.entite).await["workflow"]["statut"],
        "EN_VERIFICATION"
    );
    plus_tard(app);
    let r = ok(
        app,
        VALIDER,
        json!({ "input": { "assignationId": seconde, "accepter": true,
            "commentaire": "Dossier complet." } }),
        &s.n1,
    )
    .await;
    assert_eq!(
        r["validerTraitement"]["entite"]["workflow"]["statut"],
        "CONFORME"
    );
    assert_eq!(
        r["validerTraitement"]["entite"]["conformite"]["statutConformite"],
        "CONFORME"
    );
    assert_eq!(
        courriels(app, &s.email_entreprise).await,
        [
            "dossier_soumis",
            "complements_demandes",
            "dossier_soumis",
            "dossier_conforme"
        ]
    );
    assert!(app.distribuer_courriels().await >= 1);
    assert_eq!(
        attendre_courriel(&s.email_entreprise).await.sujet,
        "Dossier conforme : Clinique du Plateau"
    );

    attendu_entreprise.extend([
        ligne(
            "WORKFLOW",
            "en_attente_complements",
            "soumis",
            "Votre entreprise",
        ),
        ligne("WORKFLOW", "soumis", "en_verification", "Système"),
        ligne("WORKFLOW", "en_verification", "conforme", "ARTCI"),
        ligne("CONFORMITE", "demarche_en_cours", "conforme", "ARTCI"),
    ]);
    assert_eq!(
        historique(app, &s.entreprise, &s.entite).await,
        attendu_entreprise
    );
    let n1_nom = "Awa Koné";
    attendu_personnel.extend([
        ligne(
            "ASSIGNATION",
            "en_cours",
            "traite_attente_validation",
            agent_nom,
        ),
        ligne(
            "ASSIGNATION",
            "traite_attente_validation",
            "renvoye",
            n1_nom,
        ),
        ligne(
            "ASSIGNATION",
            "renvoye",
            "traite_attente_validation",
            agent_nom,
        ),
        ligne(
            "WORKFLOW",
            "en_verification",
            "en_attente_complements",
            n1_nom,
        ),
        ligne("ASSIGNATION", "traite_attente_validation", "valide", n1_nom),
        ligne("WORKFLOW", "en_attente_complements", "soumis", SOCIETE),
        ligne("WORKFLOW", "soumis", "en_verification", "Système"),
        ligne("ASSIGNATION", "", "en_cours", "Système"),
        ligne(
            "ASSIGNATION",
            "en_cours",
            "traite_attente_validation",
            agent_nom,
        ),
        ligne("WORKFLOW", "en_verification", "conforme", n1_nom),
        ligne("CONFORMITE", "demarche_en_cours", "conforme", n1_nom),
        ligne("ASSIGNATION", "traite_attente_validation", "valide", n1_nom),
    ]);
    assert_eq!(
        historique(app, &s.admin, &s.entite).await,
        attendu_personnel
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deux_administrateurs_qui_assignent_en_meme_temps_un_seul_gagne() {
    let s = scene().await;
    let app = &s.app;
    let (autre_agent, _) = app.staff(RoleUtilisateur::Editeur).await;
    let (un, deux) = tokio::join!(
        assigner(app, &s.admin, &s.entite, s.agent_id, "2026-12-03"),
        assigner(app, &s.n1, &s.entite, autre_agent, "2026-12-04"),
    );
    let codes = [error_code(&un), error_code(&deux)];
    assert!(
        codes.contains(&None) && codes.contains(&Some("CONFLICT")),
        "{un}\n{deux}"
    );
    let ouvertes: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM assignations_demandes WHERE entite_id = $1",
            &[&Uuid::parse_str(&s.entite).unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ouvertes, 1);
    // And once settled, a second assignment is refused the same way.
    let r = assigner(app, &s.admin, &s.entite, autre_agent, "2026-12-05").await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
}

#[tokio::test]
async fn chaque_refus_a_son_code_et_son_champ() {
    let s = scene().await;
    let app = &s.app;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (lecteur_id, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;

    // Assigning: admin+ only, an active editeur+ as agent, a future échéance.
    for jeton in [&editeur, &lecteur, &s.entreprise] {
        let r = assigner(app, jeton, &s.entite, s.agent_id, "2026-12-03").await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    }
    let (code, champ) = refus(
        app,
        ASSIGNER,
        json!({ "input": { "entiteId": s.entite, "agentId": lecteur_id, "echeance": "2026-12-03" } }),
        &s.admin,
    )
    .await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.agentId"))
    );
    for echeance in ["2026-11-23", "2026-01-01", "2028-01-01"] {
        let (code, champ) = refus(
            app,
            ASSIGNER,
            json!({ "input": { "entiteId": s.entite, "agentId": s.agent_id, "echeance": echeance } }),
            &s.admin,
        )
        .await;
        assert_eq!(
            (code.as_str(), champ.as_deref()),
            ("BAD_USER_INPUT", Some("input.echeance"))
        );
    }
    // A draft is not assigned.
    let brouillon = creer(app, &s.entreprise).await;
    let r = assigner(app, &s.admin, &brouillon, s.agent_id, "2026-12-03").await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");

    let r = assigner(app, &s.admin, &s.entite, s.agent_id, "2026-12-03").await;
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The feedback: the assigned agent only, its inputs checked.
    for (jeton, attendu) in [
        (&editeur, "FORBIDDEN"),
        (&lecteur, "FORBIDDEN"),
        (&s.n1, "FORBIDDEN"),
        (&s.entreprise, "FORBIDDEN"),
    ] {
        let (code, _) = refus(app, FEEDBACK, complements(&assignation), jeton).await;
        assert_eq!(code, attendu);
    }
    let mut sans_delai = complements(&assignation);
    sans_delai["input"]["delaiFourniture"] = Value::Null;
    let (code, champ) = refus(app, FEEDBACK, sans_delai, &s.agent).await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.delaiFourniture"))
    );
    let mut vide = complements(&assignation);
    vide["input"]["elementsManquants"][0]["libelle"] = json!("   ");
    let (code, champ) = refus(app, FEEDBACK, vide, &s.agent).await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.elementsManquants[0].libelle"))
    );
    let inconnue = Uuid::new_v4().to_string();
    let (code, _) = refus(app, FEEDBACK, complements(&inconnue), &s.agent).await;
    assert_eq!(code, "NOT_FOUND");

    ok(app, FEEDBACK, proposition(&assignation, "REJETE"), &s.agent).await;

    // Validation: admin+, the decision's own inputs.
    let valider = |extra: Value| {
        let mut input = json!({ "assignationId": assignation, "accepter": true });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "input": input })
    };
    for jeton in [&s.agent, &editeur, &lecteur, &s.entreprise] {
        let (code, _) = refus(app, VALIDER, valider(json!({})), jeton).await;
        assert_eq!(code, "FORBIDDEN");
    }
    let (code, champ) = refus(app, VALIDER, valider(json!({})), &s.n1).await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.motif"))
    );
    let (code, champ) = refus(
        app,
        VALIDER,
        valider(json!({ "decision": "CONFORME_SOUS_RESERVE" })),
        &s.n1,
    )
    .await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.delaiMiseEnConformite"))
    );
    let (code, champ) = refus(
        app,
        VALIDER,
        valider(
            json!({ "decision": "CONFORME_SOUS_RESERVE", "delaiMiseEnConformite": "2026-11-23" }),
        ),
        &s.n1,
    )
    .await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.delaiMiseEnConformite"))
    );
    // Nothing moved.
    assert_eq!(
        dossier(app, &s.admin, &s.entite).await["workflow"]["statut"],
        "EN_VERIFICATION"
    );

    // A reader does nothing of the workflow, but reads.
    for (requete, variables) in [
        (PANIER, json!({})),
        (VALIDATIONS, json!({})),
        (
            REASSIGNER,
            json!({ "input": { "assignationId": assignation, "agentId": s.agent_id,
                "echeance": "2026-12-04" } }),
        ),
    ] {
        let (code, _) = refus(app, requete, variables, &lecteur).await;
        assert_eq!(code, "FORBIDDEN", "{requete}");
    }
    assert_eq!(historique(app, &lecteur, &s.entite).await.len(), 5);

    // Rejected with its reason: the company reads it in its history and its mail.
    plus_tard(app);
    let r = ok(
        app,
        VALIDER,
        valider(json!({ "motif": "Traitement de données de santé sans base légale." })),
        &s.n1,
    )
    .await;
    assert_eq!(
        r["validerTraitement"]["entite"]["workflow"]["statut"],
        "REJETE"
    );
    assert_eq!(
        r["validerTraitement"]["entite"]["conformite"]["statutConformite"],
        "REJETE"
    );
    let derniere = historique::lire(app, &s.entreprise, &s.entite)
        .await
        .into_iter()
        .rfind(|l| l["objet"] == "WORKFLOW")
        .unwrap();
    assert_eq!(derniere["__typename"], "LigneHistoriqueWorkflow");
    assert_eq!(derniere["workflowNouveau"], "REJETE");
    assert_eq!(derniere["nouveauStatut"], "rejete");
    assert_eq!(derniere["acteur"], "ARTCI");
    assert_eq!(derniere["acteurType"], "UTILISATEUR");
    assert_eq!(
        derniere["commentaire"],
        "Traitement de données de santé sans base légale."
    );
    let motif: Option<String> = app
        .db
        .client()
        .await
        .query_one(
            "SELECT motif_rejet FROM entites_workflow WHERE entite_id = $1",
            &[&Uuid::parse_str(&s.entite).unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        motif.as_deref(),
        Some("Traitement de données de santé sans base légale.")
    );
    assert_eq!(
        courriels(app, &s.email_entreprise).await,
        ["dossier_soumis", "dossier_rejete"]
    );
    // Closed: no second decision.
    let (code, _) = refus(app, VALIDER, valider(json!({ "motif": "x" })), &s.n1).await;
    assert_eq!(code, "CONFLICT");

    // Another company does not even learn the dossier exists.
    let (_, autre) = app.entreprise("approuvee").await;
    let (code, _) = refus(
        app,
        &historique::requete(),
        json!({ "id": s.entite }),
        &autre,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn un_n1_ne_valide_jamais_son_propre_traitement() {
    let s = scene().await;
    let app = &s.app;
    // The N+1 is itself assigned the dossier (an admin is an editeur too).
    let r = assigner(app, &s.admin, &s.entite, s.n1_id, "2026-12-03").await;
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(app, FEEDBACK, proposition(&assignation, "CONFORME"), &s.n1).await;
    // Its own work is not in its list, and it may not validate it.
    let v = ok(app, VALIDATIONS, json!({}), &s.n1).await;
    assert_eq!(v["validationsEnAttente"]["totalCount"], 0);
    let (code, _) = refus(
        app,
        VALIDER,
        json!({ "input": { "assignationId": assignation, "accepter": true } }),
        &s.n1,
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    // Another admin may: conforme sous réserve, with a deadline the company sees.
    plus_tard(app);
    let r = ok(
        app,
        VALIDER,
        json!({ "input": { "assignationId": assignation, "accepter": true,
            "decision": "CONFORME_SOUS_RESERVE", "delaiMiseEnConformite": "2027-02-01" } }),
        &s.admin,
    )
    .await;
    let entite = &r["validerTraitement"]["entite"];
    assert_eq!(entite["workflow"]["statut"], "CONFORME_SOUS_RESERVE");
    assert_eq!(entite["conformite"]["statutConformite"], "DEMARCHE_ACHEVEE");
    let vu = dossier(app, &s.entreprise, &s.entite).await;
    assert_eq!(vu["conformite"]["delaiMiseEnConformite"], "2027-02-01");
    assert_eq!(
        courriels(app, &s.email_entreprise).await,
        ["dossier_soumis", "dossier_conforme_sous_reserve"]
    );
}

#[tokio::test]
async fn le_panier_suit_les_reassignations_et_les_retards_et_le_n1_voit_ses_agents_d_abord() {
    let s = scene().await;
    let app = &s.app;
    let (autre_id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let email_autre = email_agent(app, autre_id).await;

    let r = assigner(app, &s.admin, &s.entite, s.agent_id, "2026-11-25").await;
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Overdue once the échéance passed (by the service's clock); everyone logs in again.
    app.clock.advance(Duration::days(3));
    let jeton = async |id| app.token_for(Titulaire::Agent(id)).await;
    let (agent, autre, admin, n1) = (
        jeton(s.agent_id).await,
        jeton(autre_id).await,
        jeton(s.admin_id).await,
        jeton(s.n1_id).await,
    );
    let entreprise = app.token_for(Titulaire::Compte(s.compte_id)).await;
    let panier = ok(app, PANIER, json!({}), &agent).await["panier"].clone();
    assert_eq!(panier["edges"][0]["node"]["enRetard"], true);

    // Moved to another agent: out of one basket, into the other, the new agent mailed.
    let reassigner = |agent: Uuid| {
        json!({ "input": { "assignationId": assignation, "agentId": agent,
            "echeance": "2026-12-10" } })
    };
    let (code, champ) = refus(app, REASSIGNER, reassigner(s.agent_id), &admin).await;
    assert_eq!(
        (code.as_str(), champ.as_deref()),
        ("BAD_USER_INPUT", Some("input.agentId"))
    );
    let r = ok(app, REASSIGNER, reassigner(autre_id), &admin).await;
    assert_eq!(r["reassignerDemande"]["agent"]["id"], autre_id.to_string());
    assert_eq!(r["reassignerDemande"]["statut"], "EN_COURS");
    let vide = ok(app, PANIER, json!({}), &agent).await;
    assert_eq!(vide["panier"]["totalCount"], 0);
    let panier = ok(app, PANIER, json!({}), &autre).await["panier"].clone();
    assert_eq!(panier["totalCount"], 1);
    assert_eq!(panier["edges"][0]["node"]["enRetard"], false);
    assert_eq!(courriels(app, &email_autre).await, ["dossier_assigne"]);
    // The former agent may no longer treat it.
    let (code, _) = refus(app, FEEDBACK, proposition(&assignation, "CONFORME"), &agent).await;
    assert_eq!(code, "FORBIDDEN");
    ok(app, FEEDBACK, proposition(&assignation, "CONFORME"), &autre).await;
    // Treated work is validated or sent back before it moves.
    let (code, _) = refus(app, REASSIGNER, reassigner(s.agent_id), &admin).await;
    assert_eq!(code, "CONFLICT");

    // A second dossier, treated later by the N+1's own agent, comes first in its list.
    plus_tard(app);
    let second = dossier_soumis(app, &entreprise).await;
    let r = assigner(app, &admin, &second, s.agent_id, "2026-12-10").await;
    let a2 = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(app, FEEDBACK, proposition(&a2, "CONFORME"), &agent).await;
    let ordre = |v: &Value| -> Vec<String> {
        v["validationsEnAttente"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let v = ok(app, VALIDATIONS, json!({}), &n1).await;
    assert_eq!(ordre(&v), [a2.clone(), assignation.clone()]);
    // Another admin has no subordinates: the oldest treated first.
    let v = ok(app, VALIDATIONS, json!({}), &admin).await;
    assert_eq!(ordre(&v), [assignation.clone(), a2.clone()]);
    // Page by page, the same order.
    let page = ok(
        app,
        "{ validationsEnAttente(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage } } }",
        json!({}),
        &n1,
    )
    .await;
    assert_eq!(
        page["validationsEnAttente"]["pageInfo"]["hasNextPage"],
        true
    );
    let curseur = page["validationsEnAttente"]["edges"][0]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let suite = ok(
        app,
        "query($apres: String) { validationsEnAttente(first: 1, after: $apres) {
            edges { node { id } } pageInfo { hasNextPage } } }",
        json!({ "apres": curseur }),
        &n1,
    )
    .await;
    assert_eq!(
        suite["validationsEnAttente"]["edges"][0]["node"]["id"],
        assignation.as_str()
    );
    assert_eq!(
        suite["validationsEnAttente"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test]
async fn des_complements_attendent_dans_la_file_quand_l_agent_n_est_plus_actif() {
    let s = scene().await;
    let app = &s.app;
    let r = assigner(app, &s.admin, &s.entite, s.agent_id, "2026-12-03").await;
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(app, FEEDBACK, complements(&assignation), &s.agent).await;
    plus_tard(app);
    ok(
        app,
        VALIDER,
        json!({ "input": { "assignationId": assignation, "accepter": true } }),
        &s.n1,
    )
    .await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET est_actif = false WHERE id = $1",
            &[&s.agent_id],
        )
        .await
        .unwrap();

    // Resubmitted: the agent is gone, so the dossier waits, unassigned, for an admin.
    plus_tard(app);
    let r = soumettre(app, &s.entreprise, &s.entite).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["statut"], "SOUMIS",
        "{r}"
    );
    let vu = dossier(app, &s.admin, &s.entite).await;
    assert_eq!(vu["assignations"].as_array().unwrap().len(), 1);
    assert_eq!(courriels(app, &s.email_agent).await, ["dossier_assigne"]);
    let (autre_id, autre) = app.staff(RoleUtilisateur::Editeur).await;
    let r = assigner(app, &s.admin, &s.entite, autre_id, "2026-12-10").await;
    assert!(r["errors"].is_null(), "{r}");
    let panier = ok(app, PANIER, json!({}), &autre).await;
    assert_eq!(panier["panier"]["totalCount"], 1);
}
