//! The HTTP surface: content types, methods, limits, errors, health, metrics, and the first
//! queries that read the database.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use registre_dcp::clock::Clock;
use registre_dcp::config::Environment;
use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::{TestApp, TestDb, error_code};

fn post(content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/graphql")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn moi_est_null_pour_un_anonyme() {
    let app = TestApp::new().await;
    let answer = app.graphql("{ moi { __typename } }", json!({}), None).await;
    assert_eq!(answer, json!({ "data": { "moi": null } }));
}

#[tokio::test]
async fn moi_rend_l_agent_authentifie() {
    let app = TestApp::new().await;
    let (id, token) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let answer = app
        .graphql(
            "{ moi { __typename ... on Agent { id nom role estActif } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        answer["data"]["moi"],
        json!({ "__typename": "Agent", "id": id.to_string(), "nom": "Koné", "role": "SUPER_ADMIN", "estActif": true })
    );
}

#[tokio::test]
async fn moi_rend_le_compte_entreprise_appelant() {
    let app = TestApp::new().await;
    let client = app.db.client().await;
    let row = client
        .query_one(
            "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc, region)
             VALUES ('dpo@orange.ci', 'x', 'Orange Côte d''Ivoire', '1234567A', 'abidjan') RETURNING id",
            &[],
        )
        .await
        .unwrap();
    let id: uuid::Uuid = row.get(0);
    let token = app.token_for(Titulaire::Compte(id)).await;
    let answer = app
        .graphql(
            "{ moi { ... on CompteEntreprise { denomination numeroCc region statutInscription emailVerifie } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        answer["data"]["moi"],
        json!({
            "denomination": "Orange Côte d'Ivoire",
            "numeroCc": "1234567A",
            "region": "ABIDJAN",
            "statutInscription": "EN_ATTENTE",
            "emailVerifie": false
        })
    );
}

#[tokio::test]
async fn un_jeton_invalide_est_refuse_sans_detail() {
    let app = TestApp::new().await;
    let answer = app
        .graphql("{ moi { __typename } }", json!({}), Some("pas.un.jeton"))
        .await;
    assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"));
    assert_eq!(answer["data"]["moi"], Value::Null);
    assert_eq!(answer["errors"][0]["message"], "Authentification requise.");
}

#[tokio::test]
async fn un_jeton_expire_est_refuse() {
    let app = TestApp::new().await;
    let (_, token) = app.staff(RoleUtilisateur::Admin).await;
    app.clock.advance(chrono::Duration::minutes(16));
    let answer = app
        .graphql("{ moi { __typename } }", json!({}), Some(&token))
        .await;
    assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn un_agent_desactive_n_est_plus_reconnu_des_la_requete_suivante() {
    let app = TestApp::new().await;
    let (id, token) = app.staff(RoleUtilisateur::Editeur).await;
    app.db
        .client()
        .await
        .execute("UPDATE users SET est_actif = false WHERE id = $1", &[&id])
        .await
        .unwrap();
    let answer = app
        .graphql("{ moi { __typename } }", json!({}), Some(&token))
        .await;
    assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn les_migrations_appliquees_sont_reservees_au_personnel() {
    let app = TestApp::new().await;
    let query = "{ migrationsAppliquees { version nom appliqueeLe } }";

    let anonymous = app.graphql(query, json!({}), None).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));

    let compte = app
        .db
        .client()
        .await
        .query_one(
            "INSERT INTO comptes_entreprises (email, password_hash, denomination, numero_cc)
             VALUES ('a@b.ci', 'x', 'Société', '7654321B') RETURNING id",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let company = app.token_for(Titulaire::Compte(compte)).await;
    let answer = app.graphql(query, json!({}), Some(&company)).await;
    assert_eq!(error_code(&answer), Some("FORBIDDEN"));
    assert_eq!(answer["data"], Value::Null);

    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let answer = app.graphql(query, json!({}), Some(&lecteur)).await;
    let names: Vec<&str> = answer["data"]["migrationsAppliquees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["nom"].as_str().unwrap())
        .collect();
    assert_eq!(names, registre_dcp::migrations::names());
    assert_eq!(names[0], "2024-01-15-000000_v2_1_tables_initiales");
}

#[tokio::test]
async fn seuls_json_et_multipart_avec_preflight_sont_acceptes() {
    let app = TestApp::new().await;
    let body = r#"{"query":"{ __typename }"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
    ] {
        let reply = app.send(post(content_type, body)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(error_code(&reply.json()), Some("UNSUPPORTED_MEDIA_TYPE"));
    }
    let no_type = Request::post("/graphql").body(Body::from(body)).unwrap();
    assert_eq!(
        app.send(no_type).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let boundary = "----registre";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{body}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{}}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    // A cross-site form can send multipart, but not these headers.
    let forged = app.send(post(&content_type, multipart.clone())).await;
    assert_eq!(forged.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // With the preflight header but no session: refused before the body is read (every
    // upload needs a signed-in caller).
    let anonyme = Request::post("/graphql")
        .header("content-type", &content_type)
        .header("graphql-require-preflight", "1")
        .body(Body::from(multipart.clone()))
        .unwrap();
    assert_eq!(app.send(anonyme).await.status, StatusCode::UNAUTHORIZED);
    let (_, jeton) = app
        .staff(registre_dcp::models::enums::RoleUtilisateur::Lecteur)
        .await;
    let preflighted = Request::post("/graphql")
        .header("content-type", &content_type)
        .header("graphql-require-preflight", "1")
        .header("authorization", format!("Bearer {jeton}"))
        .body(Body::from(multipart))
        .unwrap();
    let reply = app.send(preflighted).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json(), json!({ "data": { "__typename": "Query" } }));
}

#[tokio::test]
async fn get_execute_les_requetes_mais_jamais_les_mutations() {
    let app = TestApp::new().await;
    let reply = app
        .send(
            Request::get("/graphql?query=%7B%20moi%20%7B%20__typename%20%7D%20%7D")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({ "data": { "moi": null } }));

    let with_variables = app
        .send(
            Request::get("/graphql?query=query%20Q(%24x%3A%20Boolean!)%20%7B%20moi%20%40include(if%3A%20%24x)%20%7B%20__typename%20%7D%20%7D&variables=%7B%22x%22%3Atrue%7D&operationName=Q")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(with_variables.json(), json!({ "data": { "moi": null } }));

    for query in [
        "mutation%20%7B%20__typename%20%7D",
        "query%20A%20%7B%20moi%20%7B%20__typename%20%7D%20%7D%20mutation%20B%20%7B%20__typename%20%7D&operationName=B",
        // One named mutation runs without operationName: the document decides, not the URL.
        "mutation%20m%20%7B%20__typename%20%7D",
        "subscription%20s%20%7B%20__typename%20%7D",
    ] {
        let reply = app
            .send(
                Request::get(format!("/graphql?query={query}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{query}");
        assert_eq!(reply.headers["allow"], "POST");
    }
}

#[tokio::test]
async fn les_requetes_groupees_sont_refusees() {
    let app = TestApp::new().await;
    let reply = app
        .send(post(
            "application/json",
            r#" [{"query":"{ __typename }"},{"query":"{ __typename }"}]"#,
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&reply.json()), Some("BAD_REQUEST"));
}

#[tokio::test]
async fn un_corps_trop_gros_est_refuse() {
    let app = TestApp::with_config(|c| c.http.max_body_bytes = 4096).await;
    let padding = " ".repeat(8192);
    let reply = app
        .send(post(
            "application/json",
            format!(r#"{{"query":"{{ __typename }}{padding}"}}"#),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The rest of the body is unread: the client must not reuse the connection.
    assert_eq!(reply.headers["connection"], "close");

    let huge = app
        .send(post("application/json", vec![b' '; 12 * 1024 * 1024]))
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.headers["connection"], "close");
}

#[tokio::test]
async fn un_json_invalide_est_une_erreur_claire() {
    let app = TestApp::new().await;
    // A missing or blank `query` too: the request is malformed, whatever `Accept` says.
    for body in [
        "{",
        r#"{"query": 3}"#,
        "null",
        "{}",
        r#"{"qeury": "{ __typename }"}"#,
        r#"{"query": "  "}"#,
    ] {
        let reply = app.send(post("application/json", body)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&reply.json()), Some("BAD_REQUEST"));
    }
}

#[tokio::test]
async fn les_erreurs_de_syntaxe_et_de_validation_portent_un_code() {
    let app = TestApp::new().await;
    let parse = app.graphql("{ moi { ", json!({}), None).await;
    assert_eq!(error_code(&parse), Some("GRAPHQL_PARSE_FAILED"));
    let validation = app.graphql("{ inexistant }", json!({}), None).await;
    assert_eq!(error_code(&validation), Some("GRAPHQL_VALIDATION_FAILED"));
}

#[tokio::test]
async fn graphql_response_json_sur_demande_avec_400_pour_une_requete_invalide() {
    let app = TestApp::new().await;
    let request = |query: &str| {
        Request::post("/graphql")
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .body(Body::from(json!({ "query": query }).to_string()))
            .unwrap()
    };
    let bad = app.send(request("{ moi { ")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.content_type()
            .starts_with("application/graphql-response+json")
    );

    let good = app.send(request("{ __typename }")).await;
    assert_eq!(good.status, StatusCode::OK);
    assert!(
        good.content_type()
            .starts_with("application/graphql-response+json")
    );

    let plain = app.post_graphql("{ moi { ", json!({}), None).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(plain.content_type().starts_with("application/json"));
}

#[tokio::test]
async fn une_imbrication_profonde_est_refusee_avant_l_analyse() {
    let app = TestApp::new().await;
    let query = format!(
        "{{ moi(x: {}1{}) {{ __typename }} }}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let reply = app
        .send(post(
            "application/json",
            json!({ "query": query }).to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    let selections = format!("{}{}", "{ moi ".repeat(40), "}".repeat(40));
    let answer = app.graphql(&selections, json!({}), None).await;
    assert!(answer["errors"].is_array());
    // The process is still there.
    let answer = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(answer["data"]["__typename"], "Query");
}

#[tokio::test]
async fn sante_et_disponibilite() {
    let app = TestApp::new().await;
    let health = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text());
}

#[tokio::test]
async fn pas_pret_tant_que_les_migrations_ne_sont_pas_appliquees() {
    let empty = TestDb::empty().await;
    let app = TestApp::with_config(|c| c.database.url = empty.url().to_owned()).await;
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(ready.text().contains("migration"), "{}", ready.text());
}

#[tokio::test]
async fn pas_pret_quand_la_base_est_injoignable() {
    let app = TestApp::with_config(|c| {
        c.database.url = "postgres://postgres@127.0.0.1:1/absente".to_owned();
        c.database.pool_timeout_ms = 300;
    })
    .await;
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    // A query that needs the database gets a clean error, not a hang or a leak.
    let token = app.state.tokens.issue(
        Titulaire::Agent(uuid::Uuid::new_v4()),
        uuid::Uuid::new_v4(),
        app.clock.now(),
    );
    let answer = app
        .graphql("{ moi { __typename } }", json!({}), Some(&token))
        .await;
    assert_eq!(error_code(&answer), Some("UNAVAILABLE"));
    assert!(!answer.to_string().contains("127.0.0.1"));
}

#[tokio::test]
async fn les_metriques_comptent_les_requetes_et_le_pool() {
    let app = TestApp::new().await;
    app.graphql("{ __typename }", json!({}), None).await;
    let metrics = app
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = metrics.text();
    assert!(
        text.lines()
            .any(|l| l.starts_with("registre_dcp_http_requests_total")
                && l.contains(r#"route="/graphql""#)
                && l.contains(r#"status="200""#)),
        "{text}"
    );
    assert!(text.contains("registre_dcp_http_request_duration_seconds_bucket"));
    assert!(text.contains("registre_dcp_db_pool_connections "));
    assert!(text.contains("registre_dcp_db_pool_max_connections 4"));
}

#[tokio::test]
async fn les_metriques_peuvent_exiger_un_jeton() {
    let app = TestApp::with_config(|c| c.http.metrics_token = Some("jeton-metriques".into())).await;
    let denied = app
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    let allowed = app
        .send(
            Request::get("/metrics")
                .header("authorization", "Bearer jeton-metriques")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(allowed.status, StatusCode::OK);
}

#[tokio::test]
async fn en_production_les_metriques_exigent_un_jeton() {
    let app = TestApp::with_config(|c| c.environment = Environment::Production).await;
    let reply = app
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.text().contains("registre"), "{}", reply.text());
    let app = TestApp::with_config(|c| {
        c.environment = Environment::Production;
        c.http.metrics_token = Some("jeton-metriques".into());
    })
    .await;
    let metrics = |jeton: &str| {
        Request::get("/metrics")
            .header("authorization", format!("Bearer {jeton}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        app.send(metrics("autre")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.send(metrics("jeton-metriques")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn chaque_reponse_porte_un_identifiant_de_requete() {
    let app = TestApp::new().await;
    let reply = app.post_graphql("{ __typename }", json!({}), None).await;
    let id = reply.headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36);
    let given = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(given.headers["x-request-id"], "abc-123");
}

#[tokio::test]
async fn cors_pour_les_seules_origines_configurees() {
    let app =
        TestApp::with_config(|c| c.http.cors_origins = vec!["https://registre.artci.ci".into()])
            .await;
    let preflight = |origin: &str| {
        Request::options("/graphql")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, authorization",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight("https://registre.artci.ci")).await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://registre.artci.ci"
    );
    let other = app.send(preflight("https://evil.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn cors_accepte_les_en_tetes_des_outils_et_expose_ceux_qu_un_client_lit() {
    let app =
        TestApp::with_config(|c| c.http.cors_origins = vec!["https://registre.artci.ci".into()])
            .await;
    let outils = "content-type, authorization, x-request-id, traceparent, tracestate, baggage, \
                  sentry-trace, apollographql-client-name, apollographql-client-version, \
                  apollo-require-preflight";
    let preflight = Request::options("/graphql")
        .header("origin", "https://registre.artci.ci")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", outils)
        .body(Body::empty())
        .unwrap();
    let reponse = app.send(preflight).await;
    let admis = reponse.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for en_tete in outils.split(',').map(str::trim) {
        assert!(
            admis.split(',').any(|a| a.trim() == en_tete),
            "{en_tete} : {admis}"
        );
    }

    // An actual request: the browser lets the page read these headers.
    let requete = Request::post("/graphql")
        .header("origin", "https://registre.artci.ci")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    let reponse = app.send(requete).await;
    let exposes = reponse.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for en_tete in ["retry-after", "content-disposition", "x-request-id"] {
        assert!(exposes.contains(en_tete), "{en_tete} : {exposes}");
    }

    // Configured otherwise: only the chosen ones beside those the API reads.
    let app = TestApp::with_config(|c| {
        c.http.cors_origins = vec!["https://registre.artci.ci".into()];
        c.http.cors_allow_headers = vec!["x-maison".into()];
    })
    .await;
    let preflight = |en_tetes: &str| {
        Request::options("/graphql")
            .header("origin", "https://registre.artci.ci")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", en_tetes)
            .body(Body::empty())
            .unwrap()
    };
    let reponse = app.send(preflight("x-maison, authorization")).await;
    let admis = reponse.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        admis.contains("x-maison") && admis.contains("authorization"),
        "{admis}"
    );
    assert!(!admis.contains("traceparent"), "{admis}");
}

#[tokio::test]
async fn en_production_l_introspection_est_reservee_au_personnel() {
    let app = TestApp::with_config(|c| c.environment = Environment::Production).await;
    let query = "{ __schema { queryType { name } } }";
    let anonymous = app.graphql(query, json!({}), None).await;
    assert_eq!(anonymous["data"]["__schema"], Value::Null, "{anonymous}");
    let (_, token) = app.staff(RoleUtilisateur::Lecteur).await;
    let staff = app.graphql(query, json!({}), Some(&token)).await;
    assert_eq!(staff["data"]["__schema"]["queryType"]["name"], "Query");

    // No suggestion of real field names to anonymous callers.
    let typo = app.graphql("{ mooi }", json!({}), None).await;
    assert!(!typo.to_string().contains("Did you mean"), "{typo}");
}

#[tokio::test]
async fn graphiql_est_servi() {
    let app = TestApp::new().await;
    let page = app
        .send(Request::get("/graphiql").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().to_lowercase().contains("graphiql"));
}

#[tokio::test]
async fn des_fragments_exponentiels_sont_refuses_avant_la_validation() {
    let app = TestApp::new().await;
    let mut query = String::from("query { ...F0 }\n");
    for i in 0..30 {
        query += &format!("fragment F{i} on Query {{ ...F{} ...F{} }}\n", i + 1, i + 1);
    }
    query += "fragment F30 on Query { __typename }";
    let reply = app
        .send(post(
            "application/json",
            json!({ "query": query }).to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert!(reply.text().contains("fragments"), "{}", reply.text());

    let cyclic = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let reply = app
        .send(post(
            "application/json",
            json!({ "query": cyclic }).to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    // Ordinary fragments still work.
    let answer = app
        .graphql(
            "query { ...Q } fragment Q on Query { __typename moi { __typename } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        answer,
        json!({ "data": { "__typename": "Query", "moi": null } })
    );
}
