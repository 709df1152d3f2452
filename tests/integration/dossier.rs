//! The compliance dossier as a company's web client fills it: part by part, a document, the
//! submission with its formality and score; and every refusal on the way.

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::models::enums::RoleUtilisateur;

use crate::support::courriels::attendre_courriel;
use crate::support::dossiers::{
    CONFORMITE, REGISTRE, SECURITE, SOUMETTRE, SOUS_TRAITANCE, creer, enregistrer, remplir,
    soumettre, version_de,
};
use crate::support::{TestApp, error_code};

const TELEVERSER: &str = "mutation($input: TeleverserDocumentInput!) {
    televerserDocument(input: $input) { id sha256 } }";
const RETIRER: &str =
    "mutation($id: ID!) { retirerDossier(entiteId: $id) { workflow { statut } } }";
const SUPPRIMER: &str = "mutation($id: ID!) { supprimerEntite(entiteId: $id) }";
const LIRE: &str = "query($id: ID!) { entite(id: $id) {
    workflow { statut version typeFormalite }
    conformite { scoreConformite statutConformite }
    progression { complet renseignes requis pourcentage
      parties { partie renseignes requis complete manquants { champ libelle } } }
    evaluation { typeFormalite motifsFormalite score decisionSuggeree criteres { code obtenus } } } }";

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn lire(app: &TestApp, jeton: &str, id: &str) -> Value {
    let r = app.graphql(LIRE, json!({ "id": id }), Some(jeton)).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["entite"].clone()
}

fn partie<'a>(entite: &'a Value, nom: &str) -> &'a Value {
    entite["progression"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["partie"] == nom)
        .unwrap()
}

async fn historique(app: &TestApp, id: &str) -> Vec<(String, String, String)> {
    app.db
        .client()
        .await
        .query(
            "SELECT objet::text, coalesce(ancien_statut, ''), nouveau_statut
               FROM historique_statuts WHERE entite_id = $1 ORDER BY created_at, objet",
            &[&Uuid::parse_str(id).unwrap()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test]
async fn un_dossier_rempli_partie_par_partie_se_soumet_avec_sa_formalite_et_son_score() {
    let app = TestApp::new().await;
    let (compte, jeton) = app.entreprise("approuvee").await;
    let email: String = app
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
    let id = creer(&app, &jeton).await;

    let vide = lire(&app, &jeton, &id).await;
    assert_eq!(vide["progression"]["complet"], false);
    assert_eq!(partie(&vide, "IDENTIFICATION")["complete"], false);

    let version = remplir(&app, &jeton, &id).await;
    assert_eq!(version, 6, "une version par enregistrement");

    // A document, as the web client uploads it.
    let depot = app
        .graphql_multipart(
            TELEVERSER,
            json!({ "input": { "entiteId": id, "typeDocument": "STATUTS", "fichier": null } }),
            "variables.input.fichier",
            "statuts.pdf",
            "application/pdf",
            PDF,
            Some(&jeton),
        )
        .await
        .json();
    assert!(depot["errors"].is_null(), "{depot}");

    let rempli = lire(&app, &jeton, &id).await;
    assert_eq!(rempli["progression"]["complet"], true, "{rempli}");
    assert_eq!(rempli["progression"]["pourcentage"], 100);
    // The company sees its score, not the decision suggested to the agent.
    assert_eq!(rempli["evaluation"]["score"], 70);
    assert!(rempli["evaluation"]["decisionSuggeree"].is_null());

    let r = soumettre(&app, &jeton, &id).await;
    assert!(r["errors"].is_null(), "{r}");
    let soumis = &r["data"]["soumettreDossier"];
    let aujourd_hui = app.clock_now().date_naive();
    assert_eq!(soumis["workflow"]["statut"], "SOUMIS");
    // Health data need ARTCI's prior authorisation.
    assert_eq!(
        soumis["workflow"]["typeFormalite"],
        "AUTORISATION_PREALABLE"
    );
    assert_eq!(
        soumis["workflow"]["dateLimiteDecision"],
        (aujourd_hui + Months::new(1)).to_string()
    );
    assert!(soumis["workflow"]["dateSoumission"].is_string());
    // Law 5 + correspondant 20 + register 15 + information 10 + processors 10 + policy 10;
    // neither declaration nor authorisation done yet.
    assert_eq!(
        soumis["conformite"],
        json!({ "scoreConformite": 70, "statutConformite": "DEMARCHE_EN_COURS" })
    );
    assert_eq!(
        historique(&app, &id).await,
        vec![
            (
                "conformite".into(),
                "non_conforme".into(),
                "demarche_en_cours".into()
            ),
            ("workflow".into(), "brouillon".into(), "soumis".into()),
        ]
    );

    // ARTCI's agent sees the decision the score suggests.
    let (_, agent) = app.staff(RoleUtilisateur::Lecteur).await;
    let vu = lire(&app, &agent, &id).await;
    assert_eq!(
        vu["evaluation"]["decisionSuggeree"],
        "CONFORME_SOUS_RESERVE"
    );
    assert_eq!(vu["evaluation"]["typeFormalite"], "AUTORISATION_PREALABLE");

    // The dossier is read-only for the company now.
    let apres = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": version + 1,
            "conformiteAdministrative": { "declarationArtci": true } }),
    )
    .await;
    assert_eq!(error_code(&apres), Some("CONFLICT"), "{apres}");

    // The company is told by mail, with its formality and ARTCI's deadline.
    assert!(app.distribuer_courriels().await >= 1);
    let courriel = attendre_courriel(&email).await;
    assert_eq!(courriel.sujet, "Dossier soumis : Clinique du Plateau");
    assert!(
        courriel.corps.contains("autorisation préalable"),
        "{}",
        courriel.corps
    );
}

#[tokio::test]
async fn un_dossier_incomplet_est_refuse_avec_la_liste_de_ce_qui_manque() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let r = soumettre(&app, &jeton, &id).await;
    assert_eq!(error_code(&r), Some("DOSSIER_INCOMPLET"), "{r}");
    let manquants: Vec<&str> = r["errors"][0]["extensions"]["manquants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["champ"].as_str().unwrap())
        .collect();
    for attendu in [
        "adresse",
        "contact.representantNom",
        "localisation.latitude",
        "responsables",
        "traitements",
        "mesuresSecurite",
    ] {
        assert!(manquants.contains(&attendu), "{attendu} : {manquants:?}");
    }
    let entite = lire(&app, &jeton, &id).await;
    assert_eq!(entite["workflow"]["statut"], "BROUILLON");
    assert!(historique(&app, &id).await.is_empty());
}

#[tokio::test]
async fn un_compte_non_valide_prepare_son_dossier_mais_ne_le_soumet_pas() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    let r = soumettre(&app, &jeton, &id).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert_eq!(
        lire(&app, &jeton, &id).await["workflow"]["statut"],
        "BROUILLON"
    );
}

#[tokio::test]
async fn des_pourcentages_au_dela_de_100_sont_refuses_sans_rien_enregistrer() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let ok = enregistrer(
        &app,
        &jeton,
        REGISTRE,
        json!({ "entiteId": id, "version": 1,
            "finalitesCommunes": [{ "finalite": "Prospection", "baseLegale": "CONSENTEMENT", "pourcentage": 60 }] }),
    )
    .await;
    let version = version_de(&ok, "enregistrerRegistre");
    let trop = enregistrer(
        &app,
        &jeton,
        REGISTRE,
        json!({ "entiteId": id, "version": version,
            "traitements": [{ "nom": "Clients", "finalites": [
                { "finalite": "Facturation", "baseLegale": "EXECUTION_CONTRAT", "pourcentage": 41 }] }] }),
    )
    .await;
    assert_eq!(error_code(&trop), Some("BAD_USER_INPUT"), "{trop}");
    assert_eq!(
        trop["errors"][0]["extensions"]["field"],
        "input.traitements[0].finalites"
    );
    let hors_bornes = enregistrer(
        &app,
        &jeton,
        REGISTRE,
        json!({ "entiteId": id, "version": version,
            "finalitesCommunes": [{ "finalite": "Prospection", "baseLegale": "CONSENTEMENT", "pourcentage": 101 }] }),
    )
    .await;
    assert_eq!(
        hors_bornes["errors"][0]["extensions"]["field"],
        "input.finalitesCommunes[0].pourcentage"
    );
    // Nothing of the refused saves was written, the version included.
    let entite = lire(&app, &jeton, &id).await;
    assert_eq!(entite["workflow"]["version"], version);
    let n: i64 = app
        .db
        .client()
        .await
        .query_one("SELECT count(*) FROM registre_traitements", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn une_liste_enregistree_remplace_la_precedente_et_ses_elements_gardent_leur_id() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = creer(&app, &jeton).await;
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": 1, "responsables": [
            { "nom": "Kouassi", "type": "REPRESENTANT_LEGAL" },
            { "nom": "Traoré", "type": "REFERENT", "email": " Traore@Test.CI " },
            { "nom": "Diallo", "type": "DEMANDEUR_MANDATE" }] }),
    )
    .await;
    let v = version_de(&r, "enregistrerConformite");
    let liste = r["data"]["enregistrerConformite"]["responsables"]
        .as_array()
        .unwrap()
        .clone();
    let noms: Vec<&str> = liste.iter().map(|x| x["nom"].as_str().unwrap()).collect();
    assert_eq!(noms, ["Kouassi", "Traoré", "Diallo"]);
    assert_eq!(liste[1]["email"], "traore@test.ci");

    // Diallo first and renamed, Kouassi kept, Traoré dropped, a new one added.
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": v, "responsables": [
            { "id": liste[2]["id"], "nom": "Diallo Fatou", "type": "DEMANDEUR_MANDATE" },
            { "id": liste[0]["id"], "nom": "Kouassi", "type": "REPRESENTANT_LEGAL" },
            { "nom": "Coulibaly", "type": "REFERENT" }] }),
    )
    .await;
    let v = version_de(&r, "enregistrerConformite");
    let apres = r["data"]["enregistrerConformite"]["responsables"]
        .as_array()
        .unwrap();
    assert_eq!(apres.len(), 3);
    assert_eq!(apres[0]["id"], liste[2]["id"]);
    assert_eq!(apres[0]["nom"], "Diallo Fatou");
    assert_eq!(apres[1]["id"], liste[0]["id"]);
    assert!(apres.iter().all(|x| x["id"] != liste[1]["id"]));

    // An absent list is left as it is; an id that is not this entity's is refused.
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": v, "conformiteAdministrative": { "connaissanceLoi": true } }),
    )
    .await;
    let v = version_de(&r, "enregistrerConformite");
    assert_eq!(
        r["data"]["enregistrerConformite"]["responsables"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let autre = creer(&app, &jeton).await;
    let etranger = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": autre, "version": 1, "responsables": [
            { "id": liste[0]["id"], "nom": "Kouassi", "type": "REPRESENTANT_LEGAL" }] }),
    )
    .await;
    assert_eq!(error_code(&etranger), Some("BAD_USER_INPUT"));
    assert_eq!(
        etranger["errors"][0]["extensions"]["field"],
        "input.responsables[0].id"
    );

    // Two active correspondants are refused, naming the second.
    let deux = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": v, "correspondants": [
            { "nom": "Bamba", "type": "INTERNE" }, { "nom": "Cabinet", "type": "EXTERNE", "organisme": "DPO Conseil" }] }),
    )
    .await;
    assert_eq!(
        deux["errors"][0]["extensions"]["field"],
        "input.correspondants[1].estActif"
    );
}

#[tokio::test]
async fn la_declaration_decochee_efface_son_numero_et_un_numero_sans_case_est_refuse() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let id = creer(&app, &jeton).await;
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": 1, "conformiteAdministrative": {
            "declarationArtci": true, "numeroDeclaration": "2019-0456", "dateDeclaration": "2019-03-01" } }),
    )
    .await;
    let v = version_de(&r, "enregistrerConformite");
    assert_eq!(
        r["data"]["enregistrerConformite"]["conformiteAdministrative"]["numeroDeclaration"],
        "2019-0456"
    );
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": v, "conformiteAdministrative": { "declarationArtci": false } }),
    )
    .await;
    let v = version_de(&r, "enregistrerConformite");
    let administrative = &r["data"]["enregistrerConformite"]["conformiteAdministrative"];
    assert_eq!(administrative["declarationArtci"], false);
    assert!(administrative["numeroDeclaration"].is_null());
    assert!(administrative["dateDeclaration"].is_null());
    let r = enregistrer(
        &app,
        &jeton,
        CONFORMITE,
        json!({ "entiteId": id, "version": v, "conformiteAdministrative": { "numeroDeclaration": "2019-0456" } }),
    )
    .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"],
        "input.conformiteAdministrative.numeroDeclaration"
    );
}

#[tokio::test]
async fn la_formalite_suit_le_contenu_du_dossier() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("en_attente").await;
    let formalite = async |categories: Value, correspondant: bool, pays: Option<&str>| {
        let id = creer(&app, &jeton).await;
        let mut input = json!({ "entiteId": id, "version": 1,
            "traitements": [{ "nom": "Traitement", "categories": categories }] });
        let v = version_de(
            &enregistrer(&app, &jeton, REGISTRE, input.take()).await,
            "enregistrerRegistre",
        );
        let v = if correspondant {
            version_de(
                &enregistrer(
                    &app,
                    &jeton,
                    CONFORMITE,
                    json!({ "entiteId": id, "version": v,
                        "correspondants": [{ "nom": "Bamba", "type": "INTERNE" }] }),
                )
                .await,
                "enregistrerConformite",
            )
        } else {
            v
        };
        if let Some(pays) = pays {
            version_de(
                &enregistrer(
                    &app,
                    &jeton,
                    SOUS_TRAITANCE,
                    json!({ "entiteId": id, "version": v,
                        "sousTraitants": [{ "nomSousTraitant": "Prestataire", "pays": pays,
                            "contrat": true, "clausesProtection": true }] }),
                )
                .await,
                "enregistrerSousTraitance",
            );
        }
        lire(&app, &jeton, &id).await["evaluation"]["typeFormalite"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // DOMAIN's worked cases.
    assert_eq!(
        formalite(json!([{ "categorie": "SANTE" }]), true, None).await,
        "AUTORISATION_PREALABLE"
    );
    assert_eq!(
        formalite(
            json!([{ "categorie": "IDENTIFICATION" }, { "categorie": "VIE_PROFESSIONNELLE" }]),
            true,
            None
        )
        .await,
        "DISPENSE"
    );
    assert_eq!(
        formalite(json!([{ "categorie": "IDENTIFICATION" }]), false, None).await,
        "DECLARATION_PREALABLE"
    );
    assert_eq!(
        formalite(json!([{ "categorie": "IDENTIFICATION" }]), true, Some("FR")).await,
        "AUTORISATION_PREALABLE"
    );
    assert_eq!(
        formalite(
            json!([{ "categorie": "IDENTIFICATION" }]),
            false,
            Some("SN")
        )
        .await,
        "DECLARATION_PREALABLE"
    );
}

#[tokio::test]
async fn une_autre_entreprise_ou_un_lecteur_ne_touche_a_aucune_partie_du_dossier() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    let (_, intrus) = app.entreprise("approuvee").await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    let saves = [
        (
            CONFORMITE,
            json!({ "entiteId": id, "version": 6, "conformiteAdministrative": { "connaissanceLoi": false } }),
        ),
        (
            REGISTRE,
            json!({ "entiteId": id, "version": 6, "traitements": [] }),
        ),
        (
            SOUS_TRAITANCE,
            json!({ "entiteId": id, "version": 6, "sousTraitants": [] }),
        ),
        (
            SECURITE,
            json!({ "entiteId": id, "version": 6, "mesuresSecurite": [] }),
        ),
    ];
    for (requete, input) in &saves {
        let r = enregistrer(&app, &intrus, requete, input.clone()).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{requete}: {r}");
        let r = enregistrer(&app, &lecteur, requete, input.clone()).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{requete}: {r}");
    }
    for requete in [SOUMETTRE, RETIRER, SUPPRIMER, LIRE] {
        let r = app
            .graphql(requete, json!({ "id": id }), Some(&intrus))
            .await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{requete}: {r}");
    }
    let r = soumettre(&app, &lecteur, &id).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    // Untouched: the owner still reads its complete draft at version 6.
    let entite = lire(&app, &jeton, &id).await;
    assert_eq!(entite["workflow"]["version"], 6);
    assert_eq!(entite["progression"]["complet"], true);
}

#[tokio::test]
async fn une_soumission_se_retire_avant_attribution_seulement() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    let r = soumettre(&app, &jeton, &id).await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql(RETIRER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(
        r["data"]["retirerDossier"]["workflow"]["statut"], "BROUILLON",
        "{r}"
    );
    let entite = lire(&app, &jeton, &id).await;
    assert!(entite["workflow"]["typeFormalite"].is_null());
    assert_eq!(entite["conformite"]["statutConformite"], "NON_CONFORME");

    // Submitted again, then assigned by ARTCI: it can no longer be withdrawn.
    let r = soumettre(&app, &jeton, &id).await;
    assert!(r["errors"].is_null(), "{r}");
    let (agent, _) = app.staff(RoleUtilisateur::Editeur).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE entites_workflow SET assigned_to = $1 WHERE entite_id = $2",
            &[&agent, &Uuid::parse_str(&id).unwrap()],
        )
        .await
        .unwrap();
    let r = app
        .graphql(RETIRER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    // A draft is not withdrawn either.
    let brouillon = creer(&app, &jeton).await;
    let r = app
        .graphql(RETIRER, json!({ "id": brouillon }), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
}

#[tokio::test]
async fn seule_une_entite_jamais_soumise_se_supprime() {
    let app = TestApp::new().await;
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    let r = app
        .graphql(SUPPRIMER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(r["data"]["supprimerEntite"], true, "{r}");
    let r = app.graphql(LIRE, json!({ "id": id }), Some(&jeton)).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"));

    // Submitted then withdrawn: a draft again, but with a history that is kept.
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    assert!(soumettre(&app, &jeton, &id).await["errors"].is_null());
    assert!(
        app.graphql(RETIRER, json!({ "id": id }), Some(&jeton))
            .await["errors"]
            .is_null()
    );
    let r = app
        .graphql(SUPPRIMER, json!({ "id": id }), Some(&jeton))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert_eq!(
        lire(&app, &jeton, &id).await["workflow"]["statut"],
        "BROUILLON"
    );
}

#[tokio::test]
async fn une_date_limite_de_fin_de_mois_tombe_sur_la_fin_du_mois_suivant() {
    let app = TestApp::new().await;
    app.clock.set(
        NaiveDate::from_ymd_opt(2027, 1, 31)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let (_, jeton) = app.entreprise("approuvee").await;
    let id = creer(&app, &jeton).await;
    remplir(&app, &jeton, &id).await;
    let r = soumettre(&app, &jeton, &id).await;
    assert_eq!(
        r["data"]["soumettreDossier"]["workflow"]["dateLimiteDecision"], "2027-02-28",
        "{r}"
    );
}
