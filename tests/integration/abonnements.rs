//! Live updates over WebSocket (`/graphql/ws`, graphql-transport-ws): every change is made
//! through one instance (the test's router) and received through another (a replica served
//! over TCP), so each event crosses PostgreSQL's LISTEN/NOTIFY as between two replicas. Who
//! may subscribe to what, what each subscriber receives, and a session closed mid-stream.

use std::time::Duration;

use serde_json::{Value, json};

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::dossiers::{IDENTIFICATION, creer, dossier_soumis, enregistrer};
use crate::support::serveur::{ATTENTE, ClientWs};
use crate::support::{TestApp, error_code};

const DOSSIER: &str = "subscription($id: ID) { dossierModifie(entiteId: $id) {
    entiteId statut version entite { id denomination } } }";
const PANIER: &str = "subscription { panierModifie {
    assignationId entiteId statut ancienStatut assignation { id echeance } } }";
const VALIDATIONS: &str = "subscription { validationsModifiees {
    assignationId entiteId statut ancienStatut } }";

/// A change of the dossier `id` by its company `jeton` (a save of its identification: a new
/// version); returns the new version.
async fn modifier(app: &TestApp, jeton: &str, id: &str) -> i64 {
    let r = app
        .graphql(
            "query($id: ID!) { entite(id: $id) { workflow { version } } }",
            json!({ "id": id }),
            Some(jeton),
        )
        .await;
    let version = r["data"]["entite"]["workflow"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{r}"));
    let r = enregistrer(
        app,
        jeton,
        IDENTIFICATION,
        json!({ "entiteId": id, "version": version, "ville": "Abidjan" }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["enregistrerIdentification"]["workflow"]["version"]
        .as_i64()
        .unwrap()
}

/// The next message of operation `operation` within [`ATTENTE`], other operations' skipped.
async fn message_de(client: &mut ClientWs, operation: &str) -> Value {
    loop {
        let message = client
            .recevoir(ATTENTE)
            .await
            .unwrap_or_else(|| panic!("aucun message pour l'opération {operation}"));
        if message["id"] == operation || message["type"] == "close" {
            return message;
        }
    }
}

/// Changes the dossier `id` through `app` until `client` receives its event on operation
/// `operation`: a subscription is live only once the server has handled it, which the
/// protocol does not acknowledge. Returns the event.
async fn synchroniser(
    app: &TestApp,
    client: &mut ClientWs,
    operation: &str,
    jeton: &str,
    id: &str,
) -> Value {
    for _ in 0..20 {
        modifier(app, jeton, id).await;
        while let Some(message) = client.recevoir(Duration::from_millis(500)).await {
            if message["id"] == operation {
                return message;
            }
        }
    }
    panic!("l'abonnement {operation} n'a rien reçu");
}

#[tokio::test]
async fn un_changement_fait_sur_une_instance_parvient_a_l_abonne_d_une_autre() {
    let app = TestApp::new().await;
    let replique = app.replique().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let id = creer(&app, &entreprise).await;

    let mut client = ClientWs::connecter(replique.adresse, &entreprise).await;
    client.souscrire("1", DOSSIER, json!({ "id": id })).await;
    let evenement = synchroniser(&app, &mut client, "1", &entreprise, &id).await;
    assert_eq!(evenement["type"], "next", "{evenement}");
    let recu = &evenement["payload"]["data"]["dossierModifie"];
    assert_eq!(recu["entiteId"], id.as_str());
    assert_eq!(recu["statut"], "BROUILLON");
    assert_eq!(recu["entite"]["denomination"], "Clinique du Plateau");

    // Each later change arrives, in order, with the version the save answered.
    let version = modifier(&app, &entreprise, &id).await;
    let mut derniere = 0;
    while derniere < version {
        let m = message_de(&mut client, "1").await;
        derniere = m["payload"]["data"]["dossierModifie"]["version"]
            .as_i64()
            .unwrap_or_else(|| panic!("{m}"));
    }
    assert_eq!(derniere, version);

    // A status change too: the submission.
    crate::support::dossiers::remplir_depuis(&app, &entreprise, &id, version).await;
    let r = crate::support::dossiers::soumettre(&app, &entreprise, &id).await;
    assert!(r["errors"].is_null(), "{r}");
    loop {
        let m = message_de(&mut client, "1").await;
        if m["payload"]["data"]["dossierModifie"]["statut"] == "SOUMIS" {
            break;
        }
    }
}

#[tokio::test]
async fn chacun_ne_recoit_que_les_dossiers_qu_il_peut_lire() {
    let app = TestApp::new().await;
    let replique = app.replique().await;
    let (_, a) = app.entreprise("approuvee").await;
    let (_, b) = app.entreprise("approuvee").await;
    let (_, agent) = app.staff(RoleUtilisateur::Lecteur).await;
    let dossier_a = creer(&app, &a).await;
    let dossier_b = creer(&app, &b).await;

    let mut client_b = ClientWs::connecter(replique.adresse, &b).await;
    client_b.souscrire("b", DOSSIER, json!({})).await;
    synchroniser(&app, &mut client_b, "b", &b, &dossier_b).await;
    let mut client_agent = ClientWs::connecter(replique.adresse, &agent).await;
    client_agent.souscrire("tous", DOSSIER, json!({})).await;
    // Staff receive every company's changes.
    synchroniser(&app, &mut client_agent, "tous", &a, &dossier_a).await;

    // B received none of A's changes: its next event is its own.
    modifier(&app, &b, &dossier_b).await;
    loop {
        let m = message_de(&mut client_b, "b").await;
        assert_eq!(
            m["payload"]["data"]["dossierModifie"]["entiteId"],
            dossier_b.as_str(),
            "{m}"
        );
        if m["payload"]["data"]["dossierModifie"]["version"]
            .as_i64()
            .is_some_and(|v| v >= 3)
        {
            break;
        }
    }

    // Another company's entity is not found; a company has no basket nor validations.
    client_b
        .souscrire("a", DOSSIER, json!({ "id": dossier_a }))
        .await;
    let m = message_de(&mut client_b, "a").await;
    assert_eq!(error_code(&m["payload"]), Some("NOT_FOUND"), "{m}");
    for (operation, requete) in [("p", PANIER), ("v", VALIDATIONS)] {
        client_b.souscrire(operation, requete, json!({})).await;
        let m = message_de(&mut client_b, operation).await;
        assert_eq!(error_code(&m["payload"]), Some("FORBIDDEN"), "{m}");
    }
    // A reader sees dossiers, not the validations of admins.
    client_agent.souscrire("v", VALIDATIONS, json!({})).await;
    let m = message_de(&mut client_agent, "v").await;
    assert_eq!(error_code(&m["payload"]), Some("FORBIDDEN"), "{m}");
}

#[tokio::test]
async fn sans_jeton_valide_on_ne_s_abonne_a_rien() {
    let app = TestApp::new().await;
    let replique = app.replique().await;

    // Anonymous: connected, but every subscription is refused.
    let (mut anonyme, ack) = ClientWs::ouvrir(replique.adresse, json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    anonyme.souscrire("1", DOSSIER, json!({})).await;
    let m = message_de(&mut anonyme, "1").await;
    assert_eq!(error_code(&m["payload"]), Some("UNAUTHENTICATED"), "{m}");
    assert_eq!(message_de(&mut anonyme, "1").await["type"], "complete");

    // A forged token: the connection is closed.
    let (_, reponse) = ClientWs::ouvrir(
        replique.adresse,
        json!({ "Authorization": "Bearer pas.un.jeton" }),
    )
    .await;
    assert_eq!(reponse["type"], "close", "{reponse}");
    // graphql-transport-ws's « Forbidden », with the reason in French.
    assert_eq!(reponse["code"], 4403, "{reponse}");
    assert_eq!(reponse["reason"], "Jeton d'accès invalide ou expiré.");
    // The same under `headers`, where GraphiQL and other clients put it.
    let (_, reponse) = ClientWs::ouvrir(
        replique.adresse,
        json!({ "headers": { "Authorization": "Bearer pas.un.jeton" } }),
    )
    .await;
    assert_eq!(reponse["code"], 4403, "{reponse}");

    // An oversized message closes the connection instead of being buffered.
    let (_, entreprise) = app.entreprise("approuvee").await;
    let mut client = ClientWs::connecter(replique.adresse, &entreprise).await;
    client
        .souscrire(
            "gros",
            &format!("{DOSSIER} #{}", "x".repeat(100_000)),
            json!({}),
        )
        .await;
    let m = client.recevoir(ATTENTE).await.unwrap();
    assert_eq!(m["type"], "close", "{m}");
}

#[tokio::test]
async fn le_panier_et_les_validations_suivent_le_traitement() {
    let app = TestApp::new().await;
    let replique = app.replique().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, autre_agent) = app.staff(RoleUtilisateur::Editeur).await;
    let sonde = creer(&app, &entreprise).await;
    let id = dossier_soumis(&app, &entreprise).await;

    // Each client subscribes, then proves with a probe subscribed after it that the server
    // handled its subscriptions.
    let mut client_agent = ClientWs::connecter(replique.adresse, &agent).await;
    client_agent.souscrire("panier", PANIER, json!({})).await;
    client_agent
        .souscrire("sonde", DOSSIER, json!({ "id": sonde }))
        .await;
    synchroniser(&app, &mut client_agent, "sonde", &entreprise, &sonde).await;
    let mut client_autre = ClientWs::connecter(replique.adresse, &autre_agent).await;
    client_autre.souscrire("panier", PANIER, json!({})).await;
    client_autre
        .souscrire("sonde", DOSSIER, json!({ "id": sonde }))
        .await;
    synchroniser(&app, &mut client_autre, "sonde", &entreprise, &sonde).await;
    let mut client_admin = ClientWs::connecter(replique.adresse, &admin).await;
    client_admin
        .souscrire("validations", VALIDATIONS, json!({}))
        .await;
    client_admin
        .souscrire("sonde", DOSSIER, json!({ "id": sonde }))
        .await;
    synchroniser(&app, &mut client_admin, "sonde", &entreprise, &sonde).await;

    // Assigned: the agent's basket gets it.
    let r = app
        .graphql(
            "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) { id } }",
            json!({ "input": { "entiteId": id, "agentId": agent_id, "echeance": "2026-12-15" } }),
            Some(&admin),
        )
        .await;
    let assignation = r["data"]["assignerDemande"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let m = message_de(&mut client_agent, "panier").await;
    let recu = &m["payload"]["data"]["panierModifie"];
    assert_eq!(recu["assignationId"], assignation.as_str(), "{m}");
    assert_eq!(recu["entiteId"], id.as_str());
    assert_eq!(recu["statut"], "EN_COURS");
    assert_eq!(recu["ancienStatut"], Value::Null);
    assert_eq!(recu["assignation"]["echeance"], "2026-12-15");

    // Treated: it waits for the N+1, whose list changes; the agent's basket too.
    let r = app
        .graphql(
            "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) { id } }",
            json!({ "input": { "assignationId": assignation, "decisionProposee": "CONFORME" } }),
            Some(&agent),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let m = message_de(&mut client_admin, "validations").await;
    let recu = &m["payload"]["data"]["validationsModifiees"];
    assert_eq!(recu["assignationId"], assignation.as_str(), "{m}");
    assert_eq!(recu["statut"], "TRAITE_ATTENTE_VALIDATION");
    assert_eq!(recu["ancienStatut"], "EN_COURS");
    let m = message_de(&mut client_agent, "panier").await;
    assert_eq!(
        m["payload"]["data"]["panierModifie"]["statut"], "TRAITE_ATTENTE_VALIDATION",
        "{m}"
    );

    // Validated: it leaves the N+1's list.
    let r = app
        .graphql(
            "mutation($input: ValiderTraitementInput!) { validerTraitement(input: $input) {
                entite { id } } }",
            json!({ "input": { "assignationId": assignation, "accepter": true } }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let m = message_de(&mut client_admin, "validations").await;
    assert_eq!(
        m["payload"]["data"]["validationsModifiees"]["ancienStatut"], "TRAITE_ATTENTE_VALIDATION",
        "{m}"
    );

    // The other agent saw none of it: its next basket message is nothing, its probe still
    // works.
    modifier(&app, &entreprise, &sonde).await;
    let m = client_autre.recevoir(ATTENTE).await.unwrap();
    assert_eq!(m["id"], "sonde", "{m}");
}

#[tokio::test]
async fn une_session_fermee_met_fin_a_l_abonnement() {
    let app = TestApp::new().await;
    let replique = app.replique().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let id = creer(&app, &entreprise).await;
    // A second session of the same account makes the changes.
    let autre_session = app
        .token_for(registre_dcp::models::sessions::Titulaire::Compte(compte))
        .await;

    let mut client = ClientWs::connecter(replique.adresse, &entreprise).await;
    client.souscrire("1", DOSSIER, json!({ "id": id })).await;
    synchroniser(&app, &mut client, "1", &autre_session, &id).await;
    let r = app
        .graphql("mutation { deconnexion }", json!({}), Some(&entreprise))
        .await;
    assert_eq!(r["data"]["deconnexion"], true, "{r}");

    modifier(&app, &autre_session, &id).await;
    let mut m = message_de(&mut client, "1").await;
    // Events already on their way before the logout may still arrive.
    while m["type"] == "next" && m["payload"]["errors"].is_null() {
        m = message_de(&mut client, "1").await;
    }
    assert_eq!(error_code(&m["payload"]), Some("UNAUTHENTICATED"), "{m}");
    let fin = message_de(&mut client, "1").await;
    assert_eq!(fin["type"], "complete", "{fin}");
}

#[tokio::test]
async fn une_connexion_muette_est_fermee_une_connexion_initialisee_reste() {
    let app = TestApp::with_config(|c| c.http.ws_init_timeout_secs = 1).await;
    let replique = app.replique().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let id = creer(&app, &entreprise).await;
    let mut muette = ClientWs::muet(replique.adresse).await;
    let mut abonnee = ClientWs::connecter(replique.adresse, &entreprise).await;
    abonnee.souscrire("1", DOSSIER, json!({ "id": id })).await;

    // The silent one is closed after its delay...
    let m = muette.recevoir(ATTENTE).await.unwrap();
    assert_eq!(m["type"], "close", "{m}");
    // ...the initialised one still receives, past that delay.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let evenement = synchroniser(&app, &mut abonnee, "1", &entreprise, &id).await;
    assert_eq!(evenement["type"], "next", "{evenement}");
}

#[tokio::test]
async fn un_jeton_sous_headers_authentifie_la_connexion() {
    let app = TestApp::new().await;
    let replique = app.replique().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let id = creer(&app, &entreprise).await;

    let (mut client, ack) = ClientWs::ouvrir(
        replique.adresse,
        json!({ "headers": { "Authorization": format!("Bearer {entreprise}") } }),
    )
    .await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    // Not anonymous: the company follows its own dossier.
    client.souscrire("1", DOSSIER, json!({ "id": id })).await;
    let evenement = synchroniser(&app, &mut client, "1", &entreprise, &id).await;
    assert_eq!(evenement["type"], "next", "{evenement}");
    assert_eq!(
        evenement["payload"]["data"]["dossierModifie"]["entiteId"],
        id.as_str(),
        "{evenement}"
    );
}

/// The status of the WebSocket handshake of `/graphql/ws` sent with `Origin: origine`.
pub(crate) async fn poignee_de_main(adresse: std::net::SocketAddr, origine: Option<&str>) -> u16 {
    use tokio_tungstenite::tungstenite::Error;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut requete = format!("ws://{adresse}/graphql/ws")
        .into_client_request()
        .unwrap();
    requete.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    if let Some(origine) = origine {
        requete
            .headers_mut()
            .insert("origin", origine.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(requete).await {
        Ok((_, reponse)) => reponse.status().as_u16(),
        Err(Error::Http(reponse)) => reponse.status().as_u16(),
        Err(e) => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn cors_origins_gouverne_aussi_l_origine_du_websocket() {
    let app = TestApp::with_config(|c| {
        c.http.cors_origins = vec!["https://registre.artci.ci".into()];
    })
    .await;
    let replique = app.replique().await;
    let adresse = replique.adresse;
    // Outside a browser (no Origin), from the service's own page, from a configured origin.
    assert_eq!(poignee_de_main(adresse, None).await, 101);
    let meme_hote = format!("http://{adresse}");
    assert_eq!(poignee_de_main(adresse, Some(&meme_hote)).await, 101);
    assert_eq!(
        poignee_de_main(adresse, Some("https://registre.artci.ci")).await,
        101
    );
    // Any other page: refused before the upgrade.
    assert_eq!(
        poignee_de_main(adresse, Some("https://evil.example")).await,
        403
    );
}
