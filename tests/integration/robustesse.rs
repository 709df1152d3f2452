//! Hardening: no single request may crash the process or hold it up for the other clients.
//! Each hostile payload (deep nesting in selections, arguments or variables, fragments that
//! fan out, thousands of aliases, fields or directives, huge bodies, batches, garbage) gets a
//! clean, coded answer quickly; the same payloads sent concurrently over TCP leave a benign
//! client served; the WebSocket route holds as well; a cross-site form writes nothing; and
//! production hides the schema (introspection, suggestions) that development shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use registre_dcp::config::Environment;
use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::serveur::ClientWs;
use crate::support::{TestApp, error_code};

/// How long any answer may take: generous, this is no performance target.
const DELAI: Duration = Duration::from_secs(5);
/// The same under load (eight hostile senders at once on a shared machine).
const DELAI_EN_CHARGE: Duration = Duration::from_secs(20);

// The guard's answers (src/http/guard.rs, src/http/graphql.rs).
const TROP_IMBRIQUEE: &str = "Requête GraphQL trop imbriquée.";
const TROP_VOLUMINEUSE: &str = "Requête GraphQL trop volumineuse.";
const TROP_D_ALIAS: &str = "Requête GraphQL : trop d'alias.";
const TROP_DE_CHAMPS: &str =
    "Requête GraphQL trop complexe : trop de champs une fois les fragments développés.";
const JSON_INVALIDE: &str =
    "Corps JSON invalide : un objet { query, variables, operationName } est attendu.";
const LOT_REFUSE: &str =
    "Les requêtes groupées (tableau JSON) ne sont pas acceptées : une opération par requête.";
const CORPS_TROP_GROS: &str = "Corps de requête trop volumineux.";
const URL_INVALIDE: &str =
    "Paramètres GraphQL invalides dans l'URL : query, operationName, variables (JSON).";

/// Text that must never reach a client: it would tell of the process's insides.
const TEXTES_INTERNES: [&str; 7] = [
    "panick",
    "INTERNAL_SERVER_ERROR",
    "stack overflow",
    "recursion limit",
    ".rs:",
    "RUST_BACKTRACE",
    "postgres",
];

/// What a hostile request must get.
#[derive(Debug, Clone, Copy)]
enum Attendu {
    /// Refused before any GraphQL work: this status, `extensions.code` and message.
    Refus(StatusCode, &'static str, &'static str),
    /// Handed to the library, which answers a GraphQL error with this code (and no data).
    Erreur(&'static str),
    /// Heavy but allowed: answered normally.
    Reponse,
}

/// One hostile request to `/graphql`.
struct Charge {
    nom: &'static str,
    /// `Some(query string)` for a GET; else a POST of `corps`.
    get: Option<String>,
    content_type: &'static str,
    corps: Vec<u8>,
    attendu: Attendu,
    /// Over TCP, the server may close the connection before the client has sent it all.
    coupure_admise: bool,
}

impl Charge {
    fn post(nom: &'static str, corps: impl Into<Vec<u8>>, attendu: Attendu) -> Self {
        Self {
            nom,
            get: None,
            content_type: "application/json",
            corps: corps.into(),
            attendu,
            coupure_admise: false,
        }
    }

    /// A POST of one GraphQL document, as JSON.
    fn document(nom: &'static str, query: &str, attendu: Attendu) -> Self {
        Self::post(nom, json!({ "query": query }).to_string(), attendu)
    }

    fn get(nom: &'static str, parametres: &[(&str, &str)], attendu: Attendu) -> Self {
        Self {
            nom,
            get: Some(serde_urlencoded::to_string(parametres).unwrap()),
            content_type: "",
            corps: Vec::new(),
            attendu,
            coupure_admise: false,
        }
    }

    /// The request for the test's router.
    fn requete(&self) -> Request<Body> {
        match &self.get {
            Some(parametres) => Request::get(format!("/graphql?{parametres}"))
                .body(Body::empty())
                .unwrap(),
            None => Request::post("/graphql")
                .header("content-type", self.content_type)
                .body(Body::from(self.corps.clone()))
                .unwrap(),
        }
    }

    /// Sends the same request to an instance served on `base` (`http://…/graphql`): its
    /// status and body, or `None` when the server cut an oversized body short.
    async fn envoyer(
        &self,
        client: &reqwest::Client,
        base: &str,
    ) -> Option<(StatusCode, axum::body::Bytes)> {
        let requete = match &self.get {
            Some(parametres) => client.get(format!("{base}?{parametres}")),
            None => client
                .post(base)
                .header("content-type", self.content_type)
                .body(self.corps.clone()),
        };
        match requete.send().await {
            Ok(reponse) => {
                let statut = reponse.status();
                let corps = reponse.bytes().await.expect("corps de la réponse");
                Some((statut, corps))
            }
            // The server reads no more than its limit, answers 413 and closes: a client
            // still writing the rest may see the connection cut before it reads the answer.
            // Refusing the connection, though, would mean the server is gone.
            Err(e) if self.coupure_admise && !e.is_connect() => None,
            Err(e) => panic!("{} : {e:?}", self.nom),
        }
    }

    /// Asserts the answer `statut`, `corps` is the one expected: clean, coded, nothing internal.
    fn verifier(&self, statut: StatusCode, corps: &[u8]) {
        let nom = self.nom;
        let texte = String::from_utf8_lossy(corps);
        let apercu: String = texte.chars().take(600).collect();
        for interne in TEXTES_INTERNES {
            assert!(
                !texte.contains(interne),
                "{nom} : « {interne} » dans {apercu}"
            );
        }
        let reponse: Value = serde_json::from_slice(corps)
            .unwrap_or_else(|_| panic!("{nom} : réponse non JSON ({statut}) : {apercu}"));
        match self.attendu {
            Attendu::Refus(attendu, code, message) => {
                assert_eq!(statut, attendu, "{nom} : {apercu}");
                assert_eq!(error_code(&reponse), Some(code), "{nom} : {apercu}");
                assert_eq!(reponse["errors"][0]["message"], message, "{nom}");
                assert_eq!(reponse["errors"].as_array().map(Vec::len), Some(1), "{nom}");
            }
            Attendu::Erreur(code) => {
                assert_eq!(statut, StatusCode::OK, "{nom} : {apercu}");
                assert_eq!(reponse["data"], Value::Null, "{nom} : {apercu}");
                let erreurs = reponse["errors"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{nom} : aucune erreur : {apercu}"));
                assert!(!erreurs.is_empty(), "{nom}");
                for erreur in erreurs {
                    assert_eq!(erreur["extensions"]["code"], code, "{nom} : {erreur}");
                }
            }
            Attendu::Reponse => {
                assert_eq!(statut, StatusCode::OK, "{nom} : {apercu}");
                assert!(reponse["errors"].is_null(), "{nom} : {apercu}");
                assert!(reponse["data"].is_object(), "{nom} : {apercu}");
            }
        }
    }
}

/// `n` times `ouvrant`, then `milieu`, then `n` times `fermant`.
fn imbrique(n: usize, ouvrant: &str, milieu: &str, fermant: &str) -> String {
    format!("{}{milieu}{}", ouvrant.repeat(n), fermant.repeat(n))
}

/// Fragments that each spread the next twice: 2^`niveaux` fields in a kilobyte or two.
fn fragments_exponentiels(niveaux: usize) -> String {
    let mut query = String::from("query { ...F0 }\n");
    for i in 0..niveaux {
        query += &format!("fragment F{i} on Query {{ ...F{} ...F{} }}\n", i + 1, i + 1);
    }
    query + &format!("fragment F{niveaux} on Query {{ __typename }}")
}

/// Every hostile payload, a few kilobytes each (and one of 5 MB).
fn charges() -> Vec<Charge> {
    use Attendu::{Erreur, Refus, Reponse};
    let rejet = |message| Refus(StatusCode::BAD_REQUEST, "BAD_REQUEST", message);
    let variables_imbriquees = |ouvrant: &str, fermant: &str| {
        format!(
            r#"{{"query":"query($x: [Int]) {{ __typename }}","variables":{{"x":{}}}}}"#,
            imbrique(5000, ouvrant, "1", fermant)
        )
    };
    let lot = format!(
        "[{}]",
        vec![r#"{"query":"{ __typename }"}"#; 1000].join(",")
    );
    let mut corps_enorme = br#"{"query":"{ __typename }","x":""#.to_vec();
    corps_enorme.resize(corps_enorme.len() + 5 * 1024 * 1024, b'a');
    corps_enorme.extend_from_slice(br#""}"#);
    let variables_get = format!("{{\"x\":{}}}", imbrique(5000, "[", "1", "]"));
    let listes_en_argument = format!(
        "{{ moi(x: {}) {{ __typename }} }}",
        imbrique(5000, "[", "1", "]")
    );

    vec![
        Charge::document(
            "sélections imbriquées sur 3 000 niveaux",
            &imbrique(3000, "{a", "", "}"),
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::document(
            "listes imbriquées sur 5 000 niveaux en argument",
            &listes_en_argument,
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::document(
            "objets imbriqués sur 5 000 niveaux en argument",
            &format!(
                "{{ moi(x: {}) {{ __typename }} }}",
                imbrique(5000, "{a:", "1", "}")
            ),
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::document(
            "types de variable imbriqués sur 5 000 niveaux",
            &format!(
                "query($x: {}) {{ __typename }}",
                imbrique(5000, "[", "Int", "]")
            ),
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::post(
            "listes imbriquées sur 5 000 niveaux dans les variables",
            variables_imbriquees("[", "]"),
            rejet(JSON_INVALIDE),
        ),
        Charge::post(
            "objets imbriqués sur 5 000 niveaux dans les variables",
            variables_imbriquees(r#"{"a":"#, "}"),
            rejet(JSON_INVALIDE),
        ),
        Charge::document(
            "fragments qui doublent sur 40 niveaux",
            &fragments_exponentiels(40),
            rejet(TROP_DE_CHAMPS),
        ),
        Charge::document(
            "5 000 alias",
            &format!("{{ {}}}", "a:moi ".repeat(5000)),
            rejet(TROP_D_ALIAS),
        ),
        Charge {
            coupure_admise: true,
            ..Charge::post(
                "corps de 5 Mo",
                corps_enorme,
                Refus(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    CORPS_TROP_GROS,
                ),
            )
        },
        Charge::post("lot de 1 000 opérations", lot, rejet(LOT_REFUSE)),
        Charge::document(
            "10 000 champs minuscules",
            &format!("{{{}}}", "a ".repeat(10_000)),
            rejet(TROP_DE_CHAMPS),
        ),
        Charge::document(
            "4 999 champs inconnus",
            &format!("{{{}}}", "a ".repeat(4_999)),
            Erreur("GRAPHQL_VALIDATION_FAILED"),
        ),
        Charge::document(
            "2 900 __typename (31 Kio)",
            &format!("{{{}}}", "__typename ".repeat(2_900)),
            Reponse,
        ),
        Charge::document(
            "5 000 directives sur un champ",
            &format!("{{ __typename{} }}", " @skip(if:false)".repeat(5000)),
            rejet(TROP_VOLUMINEUSE),
        ),
        Charge::document(
            "1 900 directives sur un champ (sous la taille limite)",
            &format!("{{ __typename{} }}", " @skip(if:false)".repeat(1900)),
            // The document parses; the directive limit (8) refuses it.
            Erreur("GRAPHQL_VALIDATION_FAILED"),
        ),
        Charge::document(
            "5 000 arguments inconnus",
            &format!("{{ moi({}) {{ __typename }} }}", "a:1 ".repeat(5000)),
            Erreur("GRAPHQL_VALIDATION_FAILED"),
        ),
        Charge::document(
            "3 000 variables",
            &format!(
                "query({}) {{ __typename }}",
                (0..3000).map(|i| format!("$v{i}:Int ")).collect::<String>()
            ),
            Erreur("GRAPHQL_VALIDATION_FAILED"),
        ),
        Charge::document(
            "20 000 accolades ouvrantes",
            &"{".repeat(20_000),
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::document(
            "20 000 accolades fermantes",
            &"}".repeat(20_000),
            Erreur("GRAPHQL_PARSE_FAILED"),
        ),
        Charge::document(
            "crochets et accolades mêlés",
            &"{]([)}".repeat(4_000),
            Erreur("GRAPHQL_PARSE_FAILED"),
        ),
        Charge::document(
            "charabia unicode",
            &"é€𝔘\u{202e}\u{feff}\u{fffd}".repeat(1_000),
            Erreur("GRAPHQL_PARSE_FAILED"),
        ),
        Charge::post(
            "octets hors UTF-8",
            [0xffu8, 0xfe, 0xc3, 0x28, 0x80].repeat(2_000),
            rejet(JSON_INVALIDE),
        ),
        Charge::post(
            "demi-caractère UTF-16 isolé",
            r#"{"query":"{ __typename \ud800 }"}"#,
            rejet(JSON_INVALIDE),
        ),
        Charge::document(
            "octets NUL dans le document",
            &format!("{{ __type\u{0}name }}{}", "\u{0}".repeat(5_000)),
            Erreur("GRAPHQL_PARSE_FAILED"),
        ),
        Charge::post(
            "corps d'octets NUL",
            vec![0u8; 10_000],
            rejet(JSON_INVALIDE),
        ),
        Charge::get(
            "GET : listes imbriquées sur 5 000 niveaux",
            &[("query", listes_en_argument.as_str())],
            rejet(TROP_IMBRIQUEE),
        ),
        Charge::get(
            "GET : variables imbriquées sur 5 000 niveaux",
            &[
                ("query", "query($x: [Int]) { __typename }"),
                ("variables", variables_get.as_str()),
            ],
            Refus(StatusCode::BAD_REQUEST, "BAD_REQUEST", URL_INVALIDE),
        ),
    ]
}

#[tokio::test]
async fn chaque_requete_hostile_recoit_vite_une_erreur_propre() {
    let app = TestApp::new().await;
    for charge in charges() {
        let reponse = tokio::time::timeout(DELAI, app.send(charge.requete()))
            .await
            .unwrap_or_else(|_| panic!("{} : pas de réponse en {DELAI:?}", charge.nom));
        charge.verifier(reponse.status, &reponse.body);
    }
    // The process is still there, and answers as before.
    let answer = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(answer, json!({ "data": { "__typename": "Query" } }));
}

/// The benign client's query: public, and it reads the database.
const BENIGNE: &str = "{ __typename registrePublic(first: 5) { totalCount } }";

/// Sends [`BENIGNE`] and asserts it is answered, in time and in full.
async fn requete_benigne(client: &reqwest::Client, base: &str) {
    let envoi = client
        .post(base)
        .header("content-type", "application/json")
        .body(json!({ "query": BENIGNE }).to_string())
        .send();
    let (statut, corps) = tokio::time::timeout(DELAI, async {
        let reponse = envoi.await.expect("réponse à la requête bénigne");
        let statut = reponse.status();
        (statut, reponse.bytes().await.expect("corps de la réponse"))
    })
    .await
    .unwrap_or_else(|_| panic!("requête bénigne sans réponse en {DELAI:?}"));
    let texte = String::from_utf8_lossy(&corps);
    assert_eq!(statut, StatusCode::OK, "{texte}");
    let reponse: Value = serde_json::from_slice(&corps).unwrap();
    assert_eq!(
        reponse,
        json!({ "data": { "__typename": "Query", "registrePublic": { "totalCount": 0 } } })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn les_requetes_hostiles_ne_bloquent_pas_les_autres_clients() {
    const EXPEDITEURS: usize = 8;
    const TOURS: usize = 2;
    let app = TestApp::new().await;
    let instance = app.replique().await;
    let base = format!("http://{}/graphql", instance.adresse);
    let charges = Arc::new(charges());
    let fini = Arc::new(AtomicBool::new(false));

    let benin = tokio::spawn({
        let base = base.clone();
        let fini = fini.clone();
        async move {
            let client = reqwest::Client::new();
            let mut servies = 0usize;
            while !fini.load(Ordering::Relaxed) {
                requete_benigne(&client, &base).await;
                servies += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            servies
        }
    });

    let expediteurs: Vec<_> = (0..EXPEDITEURS)
        .map(|rang| {
            let base = base.clone();
            let charges = charges.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for tour in 0..TOURS {
                    // Each sender in its own order, so that every payload meets the others.
                    for k in 0..charges.len() {
                        let charge = &charges[(k + rang * 3 + tour) % charges.len()];
                        let reponse =
                            tokio::time::timeout(DELAI_EN_CHARGE, charge.envoyer(&client, &base))
                                .await
                                .unwrap_or_else(|_| {
                                    panic!("{} : pas de réponse en {DELAI_EN_CHARGE:?}", charge.nom)
                                });
                        if let Some((statut, corps)) = reponse {
                            charge.verifier(statut, &corps);
                        }
                    }
                }
            })
        })
        .collect();
    for expediteur in expediteurs {
        if let Err(e) = expediteur.await {
            std::panic::resume_unwind(e.into_panic());
        }
    }
    fini.store(true, Ordering::Relaxed);
    let servies = match benin.await {
        Ok(servies) => servies,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    assert!(servies >= 3, "{servies} requêtes bénignes seulement");

    // Afterwards, the process still answers, on HTTP and on its health route.
    let client = reqwest::Client::new();
    requete_benigne(&client, &base).await;
    let sante = client
        .get(format!("http://{}/healthz", instance.adresse))
        .send()
        .await
        .unwrap();
    assert_eq!(sante.status(), StatusCode::OK);
}

#[tokio::test]
async fn sur_websocket_un_document_hostile_est_refuse_et_la_connexion_reste_utilisable() {
    let app = TestApp::new().await;
    let instance = app.replique().await;
    let (mut client, ack) = ClientWs::ouvrir(instance.adresse, json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");

    let hostiles = [
        ("1", imbrique(3000, "{a", "", "}"), TROP_IMBRIQUEE),
        (
            "2",
            format!(
                "subscription {{ dossierModifie(entiteId: {}) {{ statut }} }}",
                imbrique(5000, "[", "1", "]")
            ),
            TROP_IMBRIQUEE,
        ),
        ("3", fragments_exponentiels(40), TROP_DE_CHAMPS),
        ("4", format!("{{ {}}}", "a:moi ".repeat(5000)), TROP_D_ALIAS),
        ("5", format!("{{{}}}", "a ".repeat(10_000)), TROP_DE_CHAMPS),
    ];
    for (id, query, message) in hostiles {
        client.souscrire(id, &query, json!({})).await;
        let m = client.recevoir(DELAI).await.expect("réponse au document");
        assert_eq!(m["type"], "next", "{m}");
        assert_eq!(m["id"], id, "{m}");
        assert_eq!(error_code(&m["payload"]), Some("BAD_REQUEST"), "{m}");
        assert_eq!(m["payload"]["errors"][0]["message"], message, "{m}");
        let fin = client.recevoir(DELAI).await.expect("fin de l'opération");
        assert_eq!(fin, json!({ "type": "complete", "id": id }));
    }
    // The same connection still serves.
    client.souscrire("6", "{ __typename }", json!({})).await;
    let m = client.recevoir(DELAI).await.expect("réponse");
    assert_eq!(
        m,
        json!({ "type": "next", "id": "6", "payload": { "data": { "__typename": "Query" } } })
    );
    let fin = client.recevoir(DELAI).await.expect("fin de l'opération");
    assert_eq!(fin, json!({ "type": "complete", "id": "6" }));

    // Variables nested past what the JSON reader accepts: that message cannot be read, so
    // this connection is closed; the process is not.
    let mut variables = json!(1);
    for _ in 0..200 {
        variables = json!([variables]);
    }
    client
        .souscrire(
            "7",
            "query($x: [Int]) { __typename }",
            json!({ "x": variables }),
        )
        .await;
    let m = client.recevoir(DELAI).await.expect("fermeture");
    assert_eq!(m["type"], "close", "{m}");

    let (mut autre, ack) = ClientWs::ouvrir(instance.adresse, json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    autre.souscrire("1", "{ __typename }", json!({})).await;
    let m = autre.recevoir(DELAI).await.expect("réponse");
    assert_eq!(m["payload"]["data"]["__typename"], "Query", "{m}");
    let answer = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(answer["data"]["__typename"], "Query");
}

const INTROSPECTION: &str = "{ __schema { queryType { name } } }";

#[tokio::test]
async fn en_developpement_introspection_et_suggestions_sont_offertes() {
    let app = TestApp::with_config(|c| c.environment = Environment::Development).await;
    let schema = app.graphql(INTROSPECTION, json!({}), None).await;
    assert_eq!(
        schema["data"]["__schema"]["queryType"]["name"], "Query",
        "{schema}"
    );
    let typo = app.graphql("{ mooi }", json!({}), None).await;
    assert_eq!(error_code(&typo), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        typo["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Did you mean \"moi\"")),
        "{typo}"
    );
}

#[tokio::test]
async fn en_production_ni_suggestion_ni_introspection_anonyme_meme_par_websocket() {
    let app = TestApp::with_config(|c| c.environment = Environment::Production).await;
    // The same typo as in development: an error, without the real names.
    let typo = app.graphql("{ mooi }", json!({}), None).await;
    assert_eq!(error_code(&typo), Some("GRAPHQL_VALIDATION_FAILED"));
    let texte = typo.to_string();
    assert!(
        !texte.contains("Did you mean") && !texte.contains("\\\"moi\\\""),
        "{typo}"
    );

    let instance = app.replique().await;
    let (mut anonyme, ack) = ClientWs::ouvrir(instance.adresse, json!({})).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    anonyme.souscrire("1", INTROSPECTION, json!({})).await;
    let m = anonyme.recevoir(DELAI).await.expect("réponse");
    assert_eq!(m["type"], "next", "{m}");
    assert!(m["payload"]["data"]["__schema"].is_null(), "{m}");

    let (_, jeton) = app.staff(RoleUtilisateur::Lecteur).await;
    let mut agent = ClientWs::connecter(instance.adresse, &jeton).await;
    agent.souscrire("1", INTROSPECTION, json!({})).await;
    let m = agent.recevoir(DELAI).await.expect("réponse");
    assert_eq!(
        m["payload"]["data"]["__schema"]["queryType"]["name"], "Query",
        "{m}"
    );
}

/// A sign-up (it writes `comptes_entreprises` and a mail), as an attacker's page would forge it.
const INSCRIPTION_FORGEE: &str = r#"mutation { inscription(input: {
    email: "victime@entreprise.ci", motDePasse: "Kokumbo-Lagune-42",
    denomination: "Société forgée", numeroCc: "7777777F" }) { message } }"#;

async fn ecritures(app: &TestApp) -> (i64, i64) {
    let client = app.db.client().await;
    let compter = async |table: &str| -> i64 {
        client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .unwrap()
            .get(0)
    };
    (
        compter("comptes_entreprises").await,
        compter("courriels_sortants").await,
    )
}

#[tokio::test]
async fn un_formulaire_forge_sur_un_autre_site_n_ecrit_rien() {
    let app = TestApp::new().await;
    let avant = ecritures(&app).await;
    let json = json!({ "query": INSCRIPTION_FORGEE }).to_string();
    let formulaire = serde_urlencoded::to_string([("query", INSCRIPTION_FORGEE)]).unwrap();
    let limite = "----formulaire-forge";
    let multipart = format!(
        "--{limite}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{json}\r\n\
         --{limite}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{}}\r\n--{limite}--\r\n"
    );
    let type_multipart = format!("multipart/form-data; boundary={limite}");
    // What an HTML form can send (`enctype`), with what a page's script may add without a
    // preflight; none carries `Authorization` or `GraphQL-Require-Preflight`.
    let envois = [
        ("application/x-www-form-urlencoded", formulaire.clone()),
        ("text/plain", json.clone()),
        ("text/plain; charset=utf-8", json.clone()),
        ("text/plain", formulaire),
        (type_multipart.as_str(), multipart),
        ("application/json-patch+json", json.clone()),
        ("text/plain; a=application/json", json.clone()),
    ];
    for (content_type, corps) in envois {
        let reponse = app
            .send(
                Request::post("/graphql")
                    .header("content-type", content_type)
                    .header("origin", "https://site-malveillant.example")
                    .body(Body::from(corps))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            reponse.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(
            error_code(&reponse.json()),
            Some("UNSUPPORTED_MEDIA_TYPE"),
            "{content_type}"
        );
    }
    // Nor a link (GET).
    let lien = serde_urlencoded::to_string([("query", INSCRIPTION_FORGEE)]).unwrap();
    let reponse = app
        .send(
            Request::get(format!("/graphql?{lien}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reponse.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(ecritures(&app).await, avant, "rien n'est écrit");

    // The very same mutation, as JSON, does write: the count above is meaningful.
    let answer = app.graphql(INSCRIPTION_FORGEE, json!({}), None).await;
    assert!(answer["errors"].is_null(), "{answer}");
    let apres = ecritures(&app).await;
    assert_eq!(apres.0, avant.0 + 1);
}
