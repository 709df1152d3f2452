//! Accounts as a web client uses them: sign-up, OTP, login, sessions, passwords.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use chrono::Duration;
use serde_json::{Value, json};

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::courriels::{attendre_courriel, extraire_code};
use crate::support::{TestApp, error_code};

const INSCRIPTION: &str =
    "mutation($input: InscriptionInput!) { inscription(input: $input) { message } }";
const VERIFIER: &str = "mutation($input: VerifierOtpInput!) { verifierOtp(input: $input) {
    __typename
    ... on OtpVerifie { ok }
    ... on Session { accessToken refreshToken expiresAt }
    ... on ChangementMotDePasseRequis { message session { accessToken refreshToken } } } }";
pub(crate) const CONNEXION: &str = "mutation($input: ConnexionInput!) { connexion(input: $input) {
    __typename
    ... on Session { accessToken refreshToken expiresAt }
    ... on OtpRequis { message }
    ... on ChangementMotDePasseRequis { message session { accessToken refreshToken } } } }";
const MOI: &str = "{ moi { __typename ... on CompteEntreprise { email statutInscription emailVerifie } ... on Agent { email role } } }";
pub(crate) const RAFRAICHIR: &str =
    "mutation($t: String!) { rafraichirSession(refreshToken: $t) { accessToken refreshToken } }";
pub(crate) const MOT_DE_PASSE: &str = "Kokumbo-Lagune-42";

pub(crate) fn adresse(prefixe: &str) -> String {
    format!("{prefixe}.{}@entreprise.ci", uuid::Uuid::new_v4().simple())
}

pub(crate) fn ncc() -> String {
    format!("{:07}K", rand_digits())
}

fn rand_digits() -> u32 {
    uuid::Uuid::new_v4().as_u128() as u32 % 10_000_000
}

pub(crate) async fn inscrire(app: &TestApp, email: &str, numero_cc: &str) -> Value {
    app.graphql(
        INSCRIPTION,
        json!({ "input": {
            "email": email, "motDePasse": MOT_DE_PASSE, "denomination": "Société Ivoirienne de Test",
            "numeroCc": numero_cc, "telephone": "07 07 07 07 07", "ville": "Abidjan", "region": "ABIDJAN"
        }}),
        None,
    )
    .await
}

/// The newest code mailed to `email`, through the real SMTP server.
pub(crate) async fn code_recu(app: &TestApp, email: &str) -> String {
    app.distribuer_courriels().await;
    extraire_code(&attendre_courriel(email).await.corps)
}

async fn verifier(app: &TestApp, email: &str, code: &str, type_: &str) -> Value {
    app.graphql(
        VERIFIER,
        json!({ "input": { "email": email, "code": code, "type": type_ } }),
        None,
    )
    .await
}

async fn connexion(app: &TestApp, email: &str, mot_de_passe: &str) -> Value {
    app.graphql(
        CONNEXION,
        json!({ "input": { "email": email, "motDePasse": mot_de_passe } }),
        None,
    )
    .await
}

/// A verified, vetted company account; returns its e-mail.
pub(crate) async fn compte_pret(app: &TestApp) -> String {
    let email = adresse("pret");
    inscrire(app, &email, &ncc()).await;
    let code = code_recu(app, &email).await;
    assert_eq!(
        verifier(app, &email, &code, "INSCRIPTION").await["data"]["verifierOtp"]["ok"],
        true
    );
    app.db
        .client()
        .await
        .execute(
            "UPDATE comptes_entreprises SET statut_inscription = 'approuvee' WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap();
    email
}

pub(crate) async fn session(app: &TestApp, email: &str) -> (String, String) {
    let answer = connexion(app, email, MOT_DE_PASSE).await;
    let s = &answer["data"]["connexion"];
    assert_eq!(s["__typename"], "Session", "{answer}");
    (
        s["accessToken"].as_str().unwrap().to_owned(),
        s["refreshToken"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn changer(app: &TestApp, token: &str, ancien: &str, nouveau: &str) -> Value {
    app.graphql(
        "mutation($i: ChangerMotDePasseInput!) { changerMotDePasse(input: $i) { accessToken } }",
        json!({ "i": { "ancienMotDePasse": ancien, "nouveauMotDePasse": nouveau } }),
        Some(token),
    )
    .await
}

pub(crate) async fn graphql_from(
    app: &TestApp,
    addr: [u8; 4],
    query: &str,
    variables: Value,
) -> Value {
    let mut request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((addr, 40000))));
    app.send(request).await.json()
}

#[tokio::test]
async fn parcours_complet_d_une_entreprise() {
    let app = TestApp::new().await;
    let email = adresse("parcours");
    let answer = inscrire(&app, &email, &ncc()).await;
    assert!(
        answer["data"]["inscription"]["message"].is_string(),
        "{answer}"
    );

    // Before verification the account cannot log in.
    assert_eq!(
        error_code(&connexion(&app, &email, MOT_DE_PASSE).await),
        Some("EMAIL_NOT_VERIFIED")
    );

    let code = code_recu(&app, &email).await;
    let verified = verifier(&app, &email, &code, "INSCRIPTION").await;
    assert_eq!(
        verified["data"]["verifierOtp"],
        json!({ "__typename": "OtpVerifie", "ok": true })
    );

    // Verified but not vetted: it may log in (to prepare drafts).
    let (token, _) = session(&app, &email).await;
    let moi = app.graphql(MOI, json!({}), Some(&token)).await;
    assert_eq!(moi["data"]["moi"]["statutInscription"], "EN_ATTENTE");

    // An admin vets it.
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let compte_id = app
        .db
        .client()
        .await
        .query_one(
            "SELECT id FROM comptes_entreprises WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap()
        .get::<_, uuid::Uuid>(0)
        .to_string();
    let vetted = app
        .graphql(
            "mutation($id: ID!) { validerInscription(compteId: $id) { statutInscription } }",
            json!({ "id": compte_id }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        vetted["data"]["validerInscription"]["statutInscription"], "APPROUVEE",
        "{vetted}"
    );

    let (token, refresh) = session(&app, &email).await;
    let moi = app.graphql(MOI, json!({}), Some(&token)).await;
    assert_eq!(
        moi["data"]["moi"],
        json!({ "__typename": "CompteEntreprise", "email": email, "statutInscription": "APPROUVEE", "emailVerifie": true })
    );

    let refreshed = app.graphql(RAFRAICHIR, json!({ "t": refresh }), None).await;
    let token = refreshed["data"]["rafraichirSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        refreshed["data"]["rafraichirSession"]["refreshToken"],
        json!(refresh)
    );
    assert_eq!(
        app.graphql(MOI, json!({}), Some(&token)).await["data"]["moi"]["email"],
        email
    );

    let bye = app
        .graphql("mutation { deconnexion }", json!({}), Some(&token))
        .await;
    assert_eq!(bye["data"]["deconnexion"], true);
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&token)).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn chaque_champ_invalide_est_nomme() {
    let app = TestApp::new().await;
    let base = json!({
        "email": adresse("champs"), "motDePasse": MOT_DE_PASSE, "denomination": "Société",
        "numeroCc": ncc(), "telephone": "0707070707"
    });
    for (champ, valeur, attendu) in [
        ("email", json!("pas-une-adresse"), "input.email"),
        ("motDePasse", json!("court"), "input.motDePasse"),
        ("motDePasse", json!("Azerty123!"), "input.motDePasse"),
        ("denomination", json!("   "), "input.denomination"),
        ("numeroCc", json!("12345"), "input.numeroCc"),
        ("telephone", json!("12"), "input.telephone"),
    ] {
        let mut input = base.clone();
        input[champ] = valeur;
        let answer = app
            .graphql(INSCRIPTION, json!({ "input": input }), None)
            .await;
        assert_eq!(
            error_code(&answer),
            Some("BAD_USER_INPUT"),
            "{champ}: {answer}"
        );
        assert_eq!(
            answer["errors"][0]["extensions"]["field"], attendu,
            "{answer}"
        );
    }
    let count: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM comptes_entreprises", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, 0);
}

#[tokio::test]
async fn une_adresse_deja_inscrite_recoit_la_meme_reponse_et_son_proprietaire_est_prevenu() {
    let app = TestApp::new().await;
    let email = adresse("double");
    let first = inscrire(&app, &email, &ncc()).await;
    app.distribuer_courriels().await;
    let second = inscrire(&app, &email.to_uppercase(), &ncc()).await;
    assert_eq!(first, second);
    app.distribuer_courriels().await;
    let mail = attendre_courriel(&email).await;
    assert!(!mail.corps.contains("Code"), "{}", mail.corps);
    assert!(
        mail.sujet.to_lowercase().contains("inscription"),
        "{}",
        mail.sujet
    );

    let numero = ncc();
    inscrire(&app, &adresse("a"), &numero).await;
    let taken = inscrire(&app, &adresse("b"), &numero).await;
    assert_eq!(error_code(&taken), Some("CONFLICT"));
    assert_eq!(taken["errors"][0]["extensions"]["field"], "input.numeroCc");
}

#[tokio::test]
async fn un_code_faux_expire_ou_deja_utilise_est_refuse() {
    let app = TestApp::new().await;
    let email = adresse("codes");
    inscrire(&app, &email, &ncc()).await;
    let code = code_recu(&app, &email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        error_code(&verifier(&app, &email, wrong, "INSCRIPTION").await),
        Some("BAD_USER_INPUT")
    );
    assert_eq!(
        verifier(&app, &email, &code, "INSCRIPTION").await["data"]["verifierOtp"]["ok"],
        true
    );
    assert_eq!(
        error_code(&verifier(&app, &email, &code, "INSCRIPTION").await),
        Some("BAD_USER_INPUT")
    );

    let other = adresse("expire");
    inscrire(&app, &other, &ncc()).await;
    let code = code_recu(&app, &other).await;
    app.clock.advance(Duration::minutes(11));
    let late = verifier(&app, &other, &code, "INSCRIPTION").await;
    assert_eq!(error_code(&late), Some("BAD_USER_INPUT"));
    assert_eq!(late["errors"][0]["message"], "Code invalide ou expiré.");
    // An unknown address gets the very same answer.
    let unknown = verifier(&app, &adresse("inconnue"), "123456", "INSCRIPTION").await;
    assert_eq!(unknown["errors"][0], late["errors"][0]);
}

#[tokio::test]
async fn cinq_essais_faux_tuent_le_code_meme_en_alias() {
    let app = TestApp::new().await;
    let email = adresse("alias");
    inscrire(&app, &email, &ncc()).await;
    let code = code_recu(&app, &email).await;
    let wrongs: Vec<String> = (0..5)
        .map(|i| format!("{:06}", (code.parse::<u32>().unwrap() + 1 + i) % 1_000_000))
        .collect();
    let aliases: String = wrongs
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!(r#"a{i}: verifierOtp(input: {{ email: "{email}", code: "{w}", type: INSCRIPTION }}) {{ __typename }} "#)
        })
        .collect();
    let answer = app
        .graphql(&format!("mutation {{ {aliases} }}"), json!({}), None)
        .await;
    assert_eq!(answer["errors"].as_array().unwrap().len(), 5, "{answer}");
    // The right code no longer works.
    assert_eq!(
        error_code(&verifier(&app, &email, &code, "INSCRIPTION").await),
        Some("BAD_USER_INPUT")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trente_soumissions_simultanees_du_bon_code_donnent_un_seul_succes() {
    let app = TestApp::new().await;
    let email = adresse("course");
    inscrire(&app, &email, &ncc()).await;
    let code = code_recu(&app, &email).await;
    let results = futures_util::future::join_all(
        (0..30).map(|_| verifier(&app, &email, &code, "INSCRIPTION")),
    )
    .await;
    let successes = results
        .iter()
        .filter(|r| r["data"]["verifierOtp"]["ok"] == true)
        .count();
    assert_eq!(successes, 1);
}

#[tokio::test]
async fn un_renvoi_remplace_le_code_avec_delai_et_plafond() {
    let app = TestApp::new().await;
    let email = adresse("renvoi");
    inscrire(&app, &email, &ncc()).await;
    let first = code_recu(&app, &email).await;
    let resend = "mutation($e: String!) { renvoyerOtp(email: $e, type: INSCRIPTION) }";

    // Within the cooldown: answered true, nothing new sent.
    assert_eq!(
        app.graphql(resend, json!({ "e": email }), None).await["data"]["renvoyerOtp"],
        true
    );
    assert_eq!(app.distribuer_courriels().await, 0);

    app.clock.advance(Duration::seconds(61));
    app.graphql(resend, json!({ "e": email }), None).await;
    let second = code_recu(&app, &email).await;
    if second != first {
        assert_eq!(
            error_code(&verifier(&app, &email, &first, "INSCRIPTION").await),
            Some("BAD_USER_INPUT")
        );
    }
    // Hourly cap: 5 codes an hour at most.
    for _ in 0..5 {
        app.clock.advance(Duration::seconds(61));
        app.graphql(resend, json!({ "e": email }), None).await;
    }
    let sent: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM otp_codes", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(sent, 5);
    assert_eq!(
        verifier(&app, &email, &second, "INSCRIPTION").await["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );

    let unknown = app
        .graphql(resend, json!({ "e": adresse("personne") }), None)
        .await;
    assert_eq!(unknown["data"]["renvoyerOtp"], true);
}

#[tokio::test]
async fn un_email_inconnu_et_un_mauvais_mot_de_passe_recoivent_la_meme_reponse() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let wrong_password = connexion(&app, &email, "Mauvais-Mot-2-Passe").await;
    let unknown = connexion(&app, &adresse("inconnu"), MOT_DE_PASSE).await;
    assert_eq!(wrong_password, unknown);
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));

    // Both paths verify an argon2 hash: their times are of the same order.
    let time = |email: String, password: &'static str| {
        let app = &app;
        async move {
            let start = std::time::Instant::now();
            connexion(app, &email, password).await;
            start.elapsed()
        }
    };
    let known = time(email.clone(), "Mauvais-Mot-2-Passe").await;
    let absent = time(adresse("absent"), MOT_DE_PASSE).await;
    assert!(
        absent * 4 > known && known * 4 > absent,
        "{known:?} vs {absent:?}"
    );
}

#[tokio::test]
async fn les_refus_distincts_ne_viennent_qu_apres_le_bon_mot_de_passe() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let client = app.db.client().await;
    client
        .execute(
            "UPDATE comptes_entreprises SET est_actif = false WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap();
    assert_eq!(
        error_code(&connexion(&app, &email, "Mauvais-Mot-2-Passe").await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(&connexion(&app, &email, MOT_DE_PASSE).await),
        Some("ACCOUNT_DISABLED")
    );
    client
        .execute(
            "UPDATE comptes_entreprises SET est_actif = true, statut_inscription = 'rejetee', motif_rejet_code = 'autre' WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap();
    assert_eq!(
        error_code(&connexion(&app, &email, MOT_DE_PASSE).await),
        Some("ACCOUNT_REJECTED")
    );
}

#[tokio::test]
async fn des_echecs_repetes_font_attendre_ce_client_sans_verrouiller_le_compte() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    for _ in 0..5 {
        assert_eq!(
            error_code(&connexion(&app, &email, "Mauvais-Mot-2-Passe").await),
            Some("UNAUTHENTICATED")
        );
    }
    assert_eq!(
        error_code(&connexion(&app, &email, MOT_DE_PASSE).await),
        Some("ACCOUNT_LOCKED")
    );
    let verrou: Option<chrono::DateTime<chrono::Utc>> = app
        .db
        .client()
        .await
        .query_one(
            "SELECT verrouille_jusqu_a FROM comptes_entreprises WHERE email = $1",
            &[&email],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(verrou, None, "le compte lui-même n'est pas verrouillé");
    app.clock.advance(Duration::seconds(61));
    session(&app, &email).await;
}

#[tokio::test]
async fn une_connexion_sensible_demande_un_code() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    session(&app, &email).await;

    // From another address: a code is mailed, the login is completed with it.
    let input = json!({ "input": { "email": email, "motDePasse": MOT_DE_PASSE } });
    let other = graphql_from(&app, [198, 51, 100, 7], CONNEXION, input.clone()).await;
    assert_eq!(
        other["data"]["connexion"]["__typename"], "OtpRequis",
        "{other}"
    );
    let code = code_recu(&app, &email).await;
    let done = graphql_from(
        &app,
        [198, 51, 100, 7],
        VERIFIER,
        json!({ "input": { "email": email, "code": code, "type": "CONNEXION" } }),
    )
    .await;
    assert_eq!(
        done["data"]["verifierOtp"]["__typename"], "Session",
        "{done}"
    );
    // That address is now known.
    let again = graphql_from(&app, [198, 51, 100, 7], CONNEXION, input).await;
    assert_eq!(again["data"]["connexion"]["__typename"], "Session");

    // Thirty days without a login make the next one sensitive.
    app.clock.advance(Duration::days(31));
    let dormant = connexion(&app, &email, MOT_DE_PASSE).await;
    assert_eq!(dormant["data"]["connexion"]["__typename"], "OtpRequis");
}

#[tokio::test]
async fn un_mot_de_passe_expire_ne_permet_que_son_changement() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    session(&app, &email).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE comptes_entreprises SET password_expires_at = $2, derniere_connexion = $3 WHERE email = $1",
            &[&email, &(app.clock_now() - Duration::days(1)), &app.clock_now()],
        )
        .await
        .unwrap();
    let answer = connexion(&app, &email, MOT_DE_PASSE).await;
    let restricted = &answer["data"]["connexion"];
    assert_eq!(
        restricted["__typename"], "ChangementMotDePasseRequis",
        "{answer}"
    );
    let token = restricted["session"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_eq!(
        app.graphql(MOI, json!({}), Some(&token)).await["data"]["moi"]["email"],
        email
    );
    let denied = app
        .graphql("{ migrationsAppliquees { nom } }", json!({}), Some(&token))
        .await;
    assert_eq!(error_code(&denied), Some("PASSWORD_EXPIRED"));

    let changed = changer(&app, &token, MOT_DE_PASSE, "Nouveau-Grand-Bassam-7").await;
    let fresh = changed["data"]["changerMotDePasse"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&token)).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        app.graphql(MOI, json!({}), Some(&fresh)).await["data"]["moi"]["email"],
        email
    );
    let answer = connexion(&app, &email, "Nouveau-Grand-Bassam-7").await;
    assert_eq!(
        answer["data"]["connexion"]["__typename"], "Session",
        "{answer}"
    );
}

#[tokio::test]
async fn un_jeton_de_rafraichissement_reutilise_revoque_la_session() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (access, refresh) = session(&app, &email).await;
    let first = app.graphql(RAFRAICHIR, json!({ "t": refresh }), None).await;
    let new_refresh = first["data"]["rafraichirSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let new_access = first["data"]["rafraichirSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    // The old refresh token comes back: stolen. The whole session ends.
    assert_eq!(
        error_code(&app.graphql(RAFRAICHIR, json!({ "t": refresh }), None).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(
            &app.graphql(RAFRAICHIR, json!({ "t": new_refresh }), None)
                .await
        ),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&new_access)).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&access)).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn changer_son_mot_de_passe_termine_les_autres_sessions() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (other, other_refresh) = session(&app, &email).await;
    let (mine, _) = session(&app, &email).await;
    let changed = changer(&app, &mine, MOT_DE_PASSE, "Nouveau-Grand-Bassam-7").await;
    let fresh = changed["data"]["changerMotDePasse"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&other)).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(
            &app.graphql(RAFRAICHIR, json!({ "t": other_refresh }), None)
                .await
        ),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        app.graphql(MOI, json!({}), Some(&fresh)).await["data"]["moi"]["email"],
        email
    );

    let wrong_old = changer(&app, &fresh, "Faux-Ancien-Mot-1", "Encore-Autre-Mot-8").await;
    assert_eq!(
        wrong_old["errors"][0]["extensions"]["field"],
        "input.ancienMotDePasse"
    );
}

#[tokio::test]
async fn mot_de_passe_oublie_puis_reinitialise() {
    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (old, _) = session(&app, &email).await;
    let forgot = "mutation($e: String!) { motDePasseOublie(email: $e) }";
    assert_eq!(
        app.graphql(forgot, json!({ "e": email }), None).await["data"]["motDePasseOublie"],
        true
    );
    assert_eq!(
        app.graphql(forgot, json!({ "e": adresse("nul") }), None)
            .await["data"]["motDePasseOublie"],
        true
    );
    let code = code_recu(&app, &email).await;

    // A reset code does not complete a login.
    assert_eq!(
        error_code(&verifier(&app, &email, &code, "RESET_PASSWORD").await),
        Some("BAD_USER_INPUT")
    );

    let reset =
        "mutation($i: ReinitialiserMotDePasseInput!) { reinitialiserMotDePasse(input: $i) }";
    let weak = app
        .graphql(
            reset,
            json!({ "i": { "email": email, "code": code, "nouveauMotDePasse": "faible" } }),
            None,
        )
        .await;
    assert_eq!(
        weak["errors"][0]["extensions"]["field"],
        "input.nouveauMotDePasse"
    );
    let done = app
        .graphql(reset, json!({ "i": { "email": email, "code": code, "nouveauMotDePasse": "Nouveau-Grand-Bassam-7" } }), None)
        .await;
    assert_eq!(done["data"]["reinitialiserMotDePasse"], true, "{done}");
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&old)).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        error_code(&connexion(&app, &email, MOT_DE_PASSE).await),
        Some("UNAUTHENTICATED")
    );
    let answer = connexion(&app, &email, "Nouveau-Grand-Bassam-7").await;
    assert_eq!(
        answer["data"]["connexion"]["__typename"], "Session",
        "{answer}"
    );
}

#[tokio::test]
async fn le_personnel_a_aussi_ses_codes_et_sa_connexion_sensible() {
    let app = TestApp::new().await;
    let (id, _) = app.staff(RoleUtilisateur::Editeur).await;
    let client = app.db.client().await;
    let hash = registre_dcp::domain::mot_de_passe::hash_blocking(MOT_DE_PASSE).unwrap();
    let email: String = client
        .query_one(
            "UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email",
            &[&id, &hash],
        )
        .await
        .unwrap()
        .get(0);
    let input =
        json!({ "input": { "email": email, "motDePasse": MOT_DE_PASSE, "espace": "ARTCI" } });
    // First login of this agent from here: sensitive.
    let first = app.graphql(CONNEXION, input.clone(), None).await;
    assert_eq!(
        first["data"]["connexion"]["__typename"], "OtpRequis",
        "{first}"
    );
    let code = code_recu(&app, &email).await;
    let done = app
        .graphql(VERIFIER, json!({ "input": { "email": email, "code": code, "type": "CONNEXION", "espace": "ARTCI" } }), None)
        .await;
    let token = done["data"]["verifierOtp"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.graphql(MOI, json!({}), Some(&token)).await["data"]["moi"]["role"],
        "EDITEUR"
    );
    // The company space does not know this address.
    let wrong_space = connexion(&app, &email, MOT_DE_PASSE).await;
    assert_eq!(error_code(&wrong_space), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn les_demandes_d_authentification_sont_limitees_par_adresse() {
    let app = TestApp::with_config(|c| c.comptes.rate_limit_auth_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(
            error_code(&connexion(&app, &adresse("x"), MOT_DE_PASSE).await),
            Some("UNAUTHENTICATED")
        );
    }
    assert_eq!(
        error_code(&connexion(&app, &adresse("x"), MOT_DE_PASSE).await),
        Some("RATE_LIMITED")
    );
    // Another client is not affected; the next minute is a new window.
    let other = graphql_from(
        &app,
        [198, 51, 100, 9],
        CONNEXION,
        json!({ "input": { "email": adresse("y"), "motDePasse": MOT_DE_PASSE } }),
    )
    .await;
    assert_eq!(error_code(&other), Some("UNAUTHENTICATED"));
    app.clock.advance(Duration::minutes(1));
    assert_eq!(
        error_code(&connexion(&app, &adresse("x"), MOT_DE_PASSE).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn les_jetons_forges_expires_ou_sans_signature_sont_refuses() {
    use registre_dcp::auth::TokenKeys;
    use registre_dcp::config::AuthConfig;
    use registre_dcp::models::sessions::Titulaire;

    let app = TestApp::new().await;
    let email = compte_pret(&app).await;
    let (token, _) = session(&app, &email).await;
    assert_eq!(
        app.graphql(MOI, json!({}), Some(&token)).await["data"]["moi"]["email"],
        email
    );

    // Same claims, another key.
    let claims = token.split('.').nth(1).unwrap().to_owned();
    let forged_key = TokenKeys::new(b"une-autre-cle-une-autre-cle-32oo", &AuthConfig::default());
    let forged = forged_key.issue(
        Titulaire::Compte(uuid::Uuid::new_v4()),
        uuid::Uuid::new_v4(),
        app.clock_now(),
    );
    // alg "none" with the genuine claims and no signature.
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{claims}.");
    // The genuine token with its signature cut off.
    let stripped = token.rsplit_once('.').unwrap().0.to_owned() + ".";
    for bad in [forged, unsigned, stripped, "Bearer".to_owned()] {
        let answer = app.graphql(MOI, json!({}), Some(&bad)).await;
        assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"), "{bad}");
    }
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        error_code(&app.graphql(MOI, json!({}), Some(&token)).await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn smtp_en_panne_l_inscription_reussit_et_le_code_attend_son_envoi() {
    let port = crate::support::courriels::port_ferme();
    let app =
        TestApp::with_config(|c| c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let email = adresse("panne");
    let answer = inscrire(&app, &email, &ncc()).await;
    assert!(
        answer["data"]["inscription"]["message"].is_string(),
        "{answer}"
    );
    assert_eq!(app.distribuer_courriels().await, 0);
    let pending: i64 = app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM courriels_sortants WHERE destinataire = $1 AND envoye_le IS NULL AND tentatives = 1",
            &[&email],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(pending, 1);
}

#[tokio::test]
async fn derriere_un_mandataire_de_confiance_chaque_client_a_sa_limite() {
    let app = TestApp::with_config(|c| {
        c.comptes.rate_limit_auth_per_minute = 2;
        // Requests come from CLIENT_ADDR (203.0.113.10): the load balancer.
        c.http.trusted_proxies = vec!["203.0.113.0/24".parse().unwrap()];
    })
    .await;
    let login = |client: &'static str| {
        let app = &app;
        async move {
            let request = Request::post("/graphql")
                .header("content-type", "application/json")
                .header("x-forwarded-for", format!("6.6.6.6, {client}"))
                .body(Body::from(
                    json!({ "query": CONNEXION, "variables": { "input": { "email": adresse("p"), "motDePasse": MOT_DE_PASSE } } })
                        .to_string(),
                ))
                .unwrap();
            app.send(request).await.json()
        }
    };
    for _ in 0..2 {
        assert_eq!(
            error_code(&login("198.51.100.1").await),
            Some("UNAUTHENTICATED")
        );
    }
    assert_eq!(
        error_code(&login("198.51.100.1").await),
        Some("RATE_LIMITED")
    );
    // Another client behind the same proxy is counted apart, whatever it claims on the left.
    assert_eq!(
        error_code(&login("198.51.100.2").await),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn une_adresse_est_limitee_quelle_que_soit_l_ip_et_sur_toutes_les_repliques() {
    let app = TestApp::with_config(|c| {
        c.comptes.rate_limit_auth_per_minute = 100;
        c.comptes.rate_limit_auth_per_account_per_minute = 3;
    })
    .await;
    // A second replica, served over TCP: its own pool, the same database.
    let replique = app.replique().await;
    let http = reqwest::Client::new();
    let url = format!("http://{}/graphql", replique.adresse);
    let sur_la_replique = |email: String| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            http.post(&url)
                .json(&json!({ "query": CONNEXION, "variables": { "input": { "email": email, "motDePasse": "Faux-Replique-1!" } } }))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let existante = compte_pret(&app).await;
    let inconnue = adresse("inconnue");
    for email in [&existante, &inconnue] {
        // Two tries from two addresses here, one on the other replica: three in all.
        for (i, ip) in [[198, 51, 100, 1], [198, 51, 100, 2]]
            .into_iter()
            .enumerate()
        {
            let answer = graphql_from(
                &app,
                ip,
                CONNEXION,
                json!({ "input": { "email": email, "motDePasse": format!("Faux-{i}-Mot!") } }),
            )
            .await;
            assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"), "{answer}");
        }
        let answer = sur_la_replique(email.clone()).await;
        assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"), "{answer}");
        // The fourth, from yet another address, meets the account's limit: the same answer
        // for an address with an account and one without.
        let answer = graphql_from(
            &app,
            [198, 51, 100, 3],
            CONNEXION,
            json!({ "input": { "email": email, "motDePasse": MOT_DE_PASSE } }),
        )
        .await;
        assert_eq!(error_code(&answer), Some("RATE_LIMITED"), "{answer}");
        assert_eq!(
            error_code(&sur_la_replique(email.clone()).await),
            Some("RATE_LIMITED")
        );
    }
    // The other actions that name an address count it too, each on its own.
    let email = adresse("oubli");
    for essai in 1..=4 {
        let answer = app
            .graphql(
                "mutation($e: String!) { motDePasseOublie(email: $e) }",
                json!({ "e": email }),
                None,
            )
            .await;
        if essai <= 3 {
            assert_eq!(answer["data"]["motDePasseOublie"], true, "{answer}");
        } else {
            assert_eq!(error_code(&answer), Some("RATE_LIMITED"), "{answer}");
        }
    }
    // The counters hold no address in clear.
    let cles: Vec<String> = app
        .db
        .client()
        .await
        .query("SELECT cle FROM limites_debit", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(cles.iter().any(|c| c.contains(":compte:")), "{cles:?}");
    assert!(
        !cles.iter().any(|c| c.contains('@')),
        "une adresse en clair : {cles:?}"
    );
    // The next minute is a new window, and the right password opens the account.
    app.clock.advance(Duration::minutes(1));
    let answer = graphql_from(
        &app,
        [198, 51, 100, 4],
        CONNEXION,
        json!({ "input": { "email": existante, "motDePasse": MOT_DE_PASSE } }),
    )
    .await;
    assert!(
        answer["data"]["connexion"]["__typename"].is_string(),
        "{answer}"
    );
}
