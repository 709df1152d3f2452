//! One dossier's whole journey, step by step, from `soumis` to `publie` (complements asked
//! and given on the way), then from `expire` back to a draft; and the refusals that no step
//! may get through, each of which writes nothing.
//!
//! At every step the journey checks the history lines written (as staff and as the company
//! read them), the workflow and conformity statuses every reader sees, the mails really
//! delivered (recipient and subject) and what each role may see or do.

use std::collections::HashMap;
use std::time::{Duration as Attente, Instant};

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use registre_dcp::jobs::echeances;
use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::models::sessions::Titulaire;

use crate::support::courriels::{CourrielRecu, courriels_recus};
use crate::support::dossiers::{dossier_decide, dossier_soumis};
use crate::support::{TestApp, error_code, historique};

/// The company's account, as staff read it in the history.
const SOCIETE: &str = "Société test";
const ADMIN: (&str, &str) = ("Issa", "Traoré");
const AGENT: (&str, &str) = ("Yao", "Kouadio");
const N1: (&str, &str) = ("Fatou", "Diallo");

const ENTITE: &str = "query($id: ID!) { entite(id: $id) { id
    workflow { statut version typeFormalite numeroRecepisse numeroAutorisationArtci
      dateValidation dateExpiration datePublication }
    conformite { statutConformite }
    feedbacks { statut visibleEntreprise commentaires delaiFourniture agent { id }
      elementsManquants { rubrique libelle obligatoire fourni } }
    assignations { id statut agent { id } } } }";
const ASSIGNER: &str = "mutation($input: AssignerDemandeInput!) { assignerDemande(input: $input) {
    id statut echeance agent { id }
    entite { workflow { statut } conformite { statutConformite } } } }";
const FEEDBACK: &str = "mutation($input: AjouterFeedbackInput!) { ajouterFeedback(input: $input) {
    id statut decisionProposee
    feedback { statut visibleEntreprise commentaires
      elementsManquants { rubrique libelle obligatoire fourni } } } }";
const VALIDER_TRAITEMENT: &str = "mutation($input: ValiderTraitementInput!) {
    validerTraitement(input: $input) { id statut validePar { id }
    entite { workflow { statut } conformite { statutConformite } } } }";
const PANIER: &str = "{ panier { totalCount edges { node { id statut entite { id } } } } }";
const VALIDATIONS: &str = "{ validationsEnAttente { totalCount edges { node {
    id decisionProposee agent { id } entite { id } } } } }";
const SECURITE: &str = "mutation($input: EnregistrerSecuriteInput!) {
    enregistrerSecurite(input: $input) { workflow { statut version } } }";
const RETOUR: &str = "mutation($input: RetourFormulaireInput!) {
    retourFormulaire(input: $input) { id } }";

/// `nom(entiteId: $id)`, one of the decisions on a whole dossier.
fn decision(nom: &str) -> String {
    format!(
        "mutation($id: ID!) {{ {nom}(entiteId: $id) {{ id
            workflow {{ statut typeFormalite numeroRecepisse numeroAutorisationArtci
              dateSoumission dateValidation dateExpiration datePublication }}
            conformite {{ statutConformite }} }} }}"
    )
}

/// A history line: (objet, ancien statut, nouveau statut, acteur).
type Ligne = (String, String, String, String);

fn ligne(objet: &str, ancien: &str, nouveau: &str, acteur: &str) -> Ligne {
    (objet.into(), ancien.into(), nouveau.into(), acteur.into())
}

fn nom((prenom, nom): (&str, &str)) -> String {
    format!("{prenom} {nom}")
}

/// The data of a successful answer.
async fn ok(app: &TestApp, requete: &str, variables: Value, jeton: &str) -> Value {
    let r = app.graphql(requete, variables, Some(jeton)).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"].clone()
}

/// The code of a refused answer.
async fn refus(app: &TestApp, requete: &str, variables: Value, jeton: &str) -> String {
    let r = app.graphql(requete, variables, Some(jeton)).await;
    error_code(&r)
        .unwrap_or_else(|| panic!("refus attendu : {r}"))
        .to_owned()
}

async fn renommer(app: &TestApp, id: Uuid, (prenom, nom): (&str, &str)) {
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET prenom = $2, nom = $3 WHERE id = $1",
            &[&id, &prenom, &nom],
        )
        .await
        .unwrap();
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

async fn email_compte(app: &TestApp, id: Uuid) -> String {
    app.db
        .client()
        .await
        .query_one(
            "SELECT email FROM comptes_entreprises WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0)
}

/// The history as `jeton` reads it.
async fn historique(app: &TestApp, jeton: &str, id: &str) -> Vec<Ligne> {
    historique_complet(app, jeton, id)
        .await
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// The history as `jeton` reads it, each line with its comment.
async fn historique_complet(app: &TestApp, jeton: &str, id: &str) -> Vec<(Ligne, Option<String>)> {
    historique::lire(app, jeton, id)
        .await
        .iter()
        .map(|l| {
            (
                ligne(
                    l["objet"].as_str().unwrap(),
                    l["ancienStatut"].as_str().unwrap_or(""),
                    l["nouveauStatut"].as_str().unwrap(),
                    l["acteur"].as_str().unwrap(),
                ),
                l["commentaire"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The templates of the mails queued for `email`, oldest first.
async fn file_de(app: &TestApp, email: &str) -> Vec<String> {
    app.db
        .client()
        .await
        .query(
            "SELECT modele FROM courriels_sortants WHERE destinataire = $1
              ORDER BY created_at, id",
            &[&email],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The workflow status, conformity status and map flag of `id`, read from the database.
async fn etat_sql(app: &TestApp, id: &str) -> (String, String, bool) {
    let r = app
        .db
        .client()
        .await
        .query_one(
            "SELECT w.statut::text, c.statut_conformite::text, b.publie_sur_carte
             FROM entites_workflow w JOIN entites_conformite c USING (entite_id)
             JOIN entites_base b ON b.id = w.entite_id
             WHERE w.entite_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2))
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

/// Everything a refused request must leave as it was: the dossiers, their history, the
/// verification's rows, the mail queue and the number counters, row by row.
async fn empreinte(app: &TestApp) -> Vec<(&'static str, String)> {
    let client = app.db.client().await;
    let mut tables = Vec::new();
    for table in [
        "entites_base",
        "entites_workflow",
        "entites_conformite",
        "historique_statuts",
        "assignations_demandes",
        "feedbacks_verification",
        "courriels_sortants",
        "numeros_delivres",
    ] {
        let lignes: String = client
            .query_one(
                &format!(
                    "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')
                     FROM {table} t"
                ),
                &[],
            )
            .await
            .unwrap()
            .get(0);
        tables.push((table, lignes));
    }
    tables
}

/// The mails the SMTP server holds for `adresse`, waiting up to 10 s until there are `n`.
async fn attendre_courriels(adresse: &str, n: usize) -> Vec<CourrielRecu> {
    let debut = Instant::now();
    loop {
        let recus = courriels_recus(adresse);
        if recus.len() >= n || debut.elapsed() > Attente::from_secs(10) {
            return recus;
        }
        tokio::time::sleep(Attente::from_millis(100)).await;
    }
}

/// The dossier of the journey and everyone around it: its company, another company, an admin
/// who assigns, validates and publishes, an agent (editeur) and the agent's N+1 (another
/// admin). Each step adds to the history lines staff and the company expect to read.
struct Parcours {
    app: TestApp,
    entreprise: String,
    email_entreprise: String,
    autre: String,
    email_autre: String,
    admin: String,
    email_admin: String,
    agent_id: Uuid,
    agent: String,
    email_agent: String,
    n1_id: Uuid,
    n1: String,
    email_n1: String,
    entite: String,
    /// The history as staff read it, so far.
    personnel: Vec<Ligne>,
    /// The history as the company reads it, so far.
    vu_entreprise: Vec<Ligne>,
    /// How many mails each address had received before the current step.
    recus: HashMap<String, usize>,
}

impl Parcours {
    /// The company submits its dossier; nobody at ARTCI is told yet.
    async fn soumission() -> Self {
        let app = TestApp::new().await;
        let (compte_id, entreprise) = app.entreprise("approuvee").await;
        let email_entreprise = email_compte(&app, compte_id).await;
        let (autre_id, autre) = app.entreprise("approuvee").await;
        let email_autre = email_compte(&app, autre_id).await;
        let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
        let (n1_id, n1) = app.staff(RoleUtilisateur::Admin).await;
        let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
        renommer(&app, admin_id, ADMIN).await;
        renommer(&app, n1_id, N1).await;
        renommer(&app, agent_id, AGENT).await;
        app.db
            .client()
            .await
            .execute(
                "UPDATE users SET superieur_id = $2 WHERE id = $1",
                &[&agent_id, &n1_id],
            )
            .await
            .unwrap();
        let email_admin = email_agent(&app, admin_id).await;
        let email_n1 = email_agent(&app, n1_id).await;
        let email_agent = email_agent(&app, agent_id).await;
        let entite = dossier_soumis(&app, &entreprise).await;
        let mut p = Self {
            app,
            entreprise,
            email_entreprise,
            autre,
            email_autre,
            admin,
            email_admin,
            agent_id,
            agent,
            email_agent,
            n1_id,
            n1,
            email_n1,
            entite,
            personnel: Vec::new(),
            vu_entreprise: Vec::new(),
            recus: HashMap::new(),
        };
        p.etat("SOUMIS", "DEMARCHE_EN_COURS").await;
        p.historique(
            vec![
                ligne("WORKFLOW", "brouillon", "soumis", SOCIETE),
                ligne("CONFORMITE", "non_conforme", "demarche_en_cours", SOCIETE),
            ],
            vec![
                ligne("WORKFLOW", "brouillon", "soumis", "Votre entreprise"),
                ligne(
                    "CONFORMITE",
                    "non_conforme",
                    "demarche_en_cours",
                    "Votre entreprise",
                ),
            ],
        )
        .await;
        let email = p.email_entreprise.clone();
        p.courriels(&[(&email, "Dossier soumis : Clinique du Plateau")])
            .await;
        // Nothing assigned yet: nobody's basket, nobody's validations.
        p.panier_vide().await;
        p.aucune_validation().await;
        p
    }

    /// Moves the service's clock on, so that each step has its own instant (a minute: the
    /// access tokens last 15).
    fn plus_tard(&self) {
        self.app.clock.advance(Duration::minutes(1));
    }

    async fn entite_vue_par(&self, jeton: &str) -> Value {
        ok(&self.app, ENTITE, json!({ "id": self.entite }), jeton).await["entite"].clone()
    }

    /// The workflow and conformity statuses the company, the agent, its N+1 and the admin all
    /// read; another company does not even learn that the dossier exists; the map shows it
    /// exactly while it is published.
    async fn etat(&self, statut: &str, conformite: &str) {
        for (qui, jeton) in [
            ("entreprise", &self.entreprise),
            ("agent", &self.agent),
            ("n1", &self.n1),
            ("admin", &self.admin),
        ] {
            let vu = self.entite_vue_par(jeton).await;
            assert_eq!(vu["workflow"]["statut"], statut, "vu par {qui} : {vu}");
            assert_eq!(
                vu["conformite"]["statutConformite"], conformite,
                "vu par {qui} : {vu}"
            );
        }
        for requete in [ENTITE.to_owned(), historique::requete()] {
            let code = refus(
                &self.app,
                &requete,
                json!({ "id": self.entite }),
                &self.autre,
            )
            .await;
            assert_eq!(code, "NOT_FOUND", "{requete}");
        }
        assert_eq!(
            sur_la_carte(&self.app, &self.entite).await,
            statut == "PUBLIE",
            "publie_sur_carte au statut {statut}"
        );
    }

    /// The step wrote exactly these lines: `personnel` as staff read them, `entreprise` as
    /// the company reads them (ARTCI speaks as one, the assignments stay internal).
    async fn historique(&mut self, personnel: Vec<Ligne>, entreprise: Vec<Ligne>) {
        self.personnel.extend(personnel);
        self.vu_entreprise.extend(entreprise);
        for jeton in [&self.admin, &self.n1, &self.agent] {
            assert_eq!(
                historique(&self.app, jeton, &self.entite).await,
                self.personnel
            );
        }
        assert_eq!(
            historique(&self.app, &self.entreprise, &self.entite).await,
            self.vu_entreprise
        );
    }

    /// Delivers the mails the step queued and checks that the SMTP server received exactly
    /// `attendus` (recipient, subject): nobody else got anything, nothing waits in the queue.
    /// Returns the mails received, by recipient.
    async fn courriels(&mut self, attendus: &[(&str, &str)]) -> Vec<(String, CourrielRecu)> {
        let envoyes = self.app.distribuer_courriels().await;
        assert_eq!(envoyes, attendus.len(), "courriels envoyés : {attendus:?}");
        let en_attente: i64 = self
            .app
            .db
            .client()
            .await
            .query_one(
                "SELECT count(*) FROM courriels_sortants WHERE envoye_le IS NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(en_attente, 0, "courriels restés dans la file");
        let mut nouveaux = Vec::new();
        for adresse in [
            &self.email_entreprise,
            &self.email_autre,
            &self.email_admin,
            &self.email_agent,
            &self.email_n1,
        ] {
            let pour_lui: Vec<&str> = attendus
                .iter()
                .filter(|(a, _)| a == adresse)
                .map(|(_, sujet)| *sujet)
                .collect();
            let deja = self.recus.get(adresse).copied().unwrap_or(0);
            let recus = attendre_courriels(adresse, deja + pour_lui.len()).await;
            // Mails queued by one transaction leave in no particular order.
            let mut sujets: Vec<&str> = recus[deja..].iter().map(|c| c.sujet.as_str()).collect();
            let mut pour_lui = pour_lui;
            sujets.sort_unstable();
            pour_lui.sort_unstable();
            assert_eq!(sujets, pour_lui, "courriels reçus par {adresse}");
            self.recus.insert(adresse.clone(), recus.len());
            nouveaux.extend(recus[deja..].iter().map(|c| (adresse.clone(), c.clone())));
        }
        nouveaux
    }

    async fn panier(&self) -> Value {
        ok(&self.app, PANIER, json!({}), &self.agent).await["panier"].clone()
    }

    async fn panier_vide(&self) {
        assert_eq!(self.panier().await["totalCount"], 0);
    }

    async fn validations(&self) -> Value {
        ok(&self.app, VALIDATIONS, json!({}), &self.n1).await["validationsEnAttente"].clone()
    }

    async fn aucune_validation(&self) {
        assert_eq!(self.validations().await["totalCount"], 0);
    }

    /// The treated work waits for the N+1, not for its agent: the agent (an editeur) sees no
    /// validation list and may not validate its own work, which changes nothing.
    async fn attend_le_n1(&self, assignation: &str, decision: &str) {
        let v = self.validations().await;
        assert_eq!(v["totalCount"], 1, "{v}");
        let node = &v["edges"][0]["node"];
        assert_eq!(node["id"], assignation);
        assert_eq!(node["decisionProposee"], decision);
        assert_eq!(node["agent"]["id"], self.agent_id.to_string());
        assert_eq!(node["entite"]["id"], self.entite.as_str());
        assert_eq!(
            refus(&self.app, VALIDATIONS, json!({}), &self.agent).await,
            "FORBIDDEN"
        );
        let avant = empreinte(&self.app).await;
        let code = refus(
            &self.app,
            VALIDER_TRAITEMENT,
            json!({ "input": { "assignationId": assignation, "accepter": true } }),
            &self.agent,
        )
        .await;
        assert_eq!(code, "FORBIDDEN");
        assert_eq!(empreinte(&self.app).await, avant);
    }

    /// Step 1: the admin assigns the dossier to the agent: en_verification, the agent is mailed and
    /// finds it in its basket; the company only sees its dossier move.
    async fn assignation(&mut self) -> String {
        self.plus_tard();
        let data = ok(
            &self.app,
            ASSIGNER,
            json!({ "input": { "entiteId": self.entite, "agentId": self.agent_id,
                "echeance": "2026-12-03" } }),
            &self.admin,
        )
        .await;
        let a = &data["assignerDemande"];
        assert_eq!(a["statut"], "EN_COURS");
        assert_eq!(a["agent"]["id"], self.agent_id.to_string());
        assert_eq!(a["entite"]["workflow"]["statut"], "EN_VERIFICATION");
        let assignation = a["id"].as_str().unwrap().to_owned();

        self.etat("EN_VERIFICATION", "DEMARCHE_EN_COURS").await;
        self.historique(
            vec![
                ligne("WORKFLOW", "soumis", "en_verification", &nom(ADMIN)),
                ligne("ASSIGNATION", "", "en_cours", &nom(ADMIN)),
            ],
            vec![ligne("WORKFLOW", "soumis", "en_verification", "ARTCI")],
        )
        .await;
        let email = self.email_agent.clone();
        let recus = self
            .courriels(&[(&email, "Dossier à vérifier : Clinique du Plateau")])
            .await;
        assert!(
            recus[0].1.corps.contains("vous a été attribué")
                && recus[0].1.corps.contains("3 décembre 2026"),
            "{}",
            recus[0].1.corps
        );

        let panier = self.panier().await;
        assert_eq!(panier["totalCount"], 1);
        assert_eq!(panier["edges"][0]["node"]["id"], assignation.as_str());
        assert_eq!(panier["edges"][0]["node"]["statut"], "EN_COURS");
        assert_eq!(
            panier["edges"][0]["node"]["entite"]["id"],
            self.entite.as_str()
        );
        self.aucune_validation().await;
        let vu = self.entite_vue_par(&self.entreprise).await;
        assert_eq!(vu["assignations"], json!([]));
        assert_eq!(vu["feedbacks"], json!([]));
        assignation
    }

    /// Step 2: the agent asks for complements: the proposal waits for the N+1; the company sees
    /// nothing of it and nobody is mailed.
    async fn demande_de_complements(&mut self, assignation: &str) {
        self.plus_tard();
        let data = ok(
            &self.app,
            FEEDBACK,
            json!({ "input": { "assignationId": assignation,
                "commentaires": "La politique de sécurité n'est pas jointe.",
                "elementsManquants": [{ "rubrique": "Sécurité",
                    "libelle": "Politique de sécurité signée", "obligatoire": true }],
                "delaiFourniture": "2026-12-15",
                "decisionProposee": "EN_ATTENTE_COMPLEMENTS" } }),
            &self.agent,
        )
        .await;
        let a = &data["ajouterFeedback"];
        assert_eq!(a["statut"], "TRAITE_ATTENTE_VALIDATION");
        assert_eq!(a["decisionProposee"], "EN_ATTENTE_COMPLEMENTS");
        assert_eq!(a["feedback"]["statut"], "BROUILLON");
        assert_eq!(a["feedback"]["visibleEntreprise"], false);

        self.etat("EN_VERIFICATION", "DEMARCHE_EN_COURS").await;
        self.historique(
            vec![ligne(
                "ASSIGNATION",
                "en_cours",
                "traite_attente_validation",
                &nom(AGENT),
            )],
            vec![],
        )
        .await;
        self.courriels(&[]).await;

        let vu = self.entite_vue_par(&self.entreprise).await;
        assert_eq!(
            vu["feedbacks"],
            json!([]),
            "retour vu avant validation : {vu}"
        );
        let vu = self.entite_vue_par(&self.n1).await;
        assert_eq!(vu["feedbacks"].as_array().unwrap().len(), 1, "{vu}");
        assert_eq!(vu["feedbacks"][0]["statut"], "BROUILLON");
        self.attend_le_n1(assignation, "EN_ATTENTE_COMPLEMENTS")
            .await;
    }

    /// Step 3: the N+1 accepts: en_attente_complements, the company reads the feedback and its
    /// missing elements (not the agent's name) and is mailed.
    async fn complements_valides(&mut self, assignation: &str) {
        self.plus_tard();
        let data = ok(
            &self.app,
            VALIDER_TRAITEMENT,
            json!({ "input": { "assignationId": assignation, "accepter": true } }),
            &self.n1,
        )
        .await;
        let v = &data["validerTraitement"];
        assert_eq!(v["statut"], "VALIDE");
        assert_eq!(v["validePar"]["id"], self.n1_id.to_string());

        self.etat("EN_ATTENTE_COMPLEMENTS", "DEMARCHE_EN_COURS")
            .await;
        self.historique(
            vec![
                ligne(
                    "WORKFLOW",
                    "en_verification",
                    "en_attente_complements",
                    &nom(N1),
                ),
                ligne(
                    "ASSIGNATION",
                    "traite_attente_validation",
                    "valide",
                    &nom(N1),
                ),
            ],
            vec![ligne(
                "WORKFLOW",
                "en_verification",
                "en_attente_complements",
                "ARTCI",
            )],
        )
        .await;
        let email = self.email_entreprise.clone();
        let recus = self
            .courriels(&[(&email, "Compléments demandés : Clinique du Plateau")])
            .await;
        let corps = &recus[0].1.corps;
        assert!(
            corps.contains("- Sécurité : Politique de sécurité signée"),
            "{corps}"
        );
        assert!(corps.contains("15 décembre 2026"), "{corps}");
        assert!(!corps.contains(AGENT.1), "{corps}");

        let vu = self.entite_vue_par(&self.entreprise).await;
        assert_eq!(
            vu["feedbacks"],
            json!([{ "statut": "ENVOYE", "visibleEntreprise": true,
                "commentaires": "La politique de sécurité n'est pas jointe.",
                "delaiFourniture": "2026-12-15", "agent": null,
                "elementsManquants": [{ "rubrique": "Sécurité",
                    "libelle": "Politique de sécurité signée", "obligatoire": true,
                    "fourni": false }] }])
        );
        self.panier_vide().await;
        self.aucune_validation().await;
    }

    /// Step 4: the company edits its dossier and resubmits it: soumis, then at once en_verification
    /// again with a new assignment to the same agent, who is mailed.
    async fn complements_fournis(&mut self, premiere: &str) -> String {
        self.plus_tard();
        let version = self.entite_vue_par(&self.entreprise).await["workflow"]["version"]
            .as_i64()
            .unwrap();
        let data = ok(
            &self.app,
            SECURITE,
            json!({ "input": { "entiteId": self.entite, "version": version,
                "securite": { "politiqueSecurite": true, "responsableSecurite": true },
                "mesuresSecurite": [
                    { "typeMesure": "TECHNIQUE", "code": "CHIFFREMENT", "miseEnOeuvre": true },
                    { "typeMesure": "ORGANISATIONNELLE", "code": "SENSIBILISATION",
                      "miseEnOeuvre": true }] } }),
            &self.entreprise,
        )
        .await;
        assert_eq!(
            data["enregistrerSecurite"]["workflow"]["statut"],
            "EN_ATTENTE_COMPLEMENTS"
        );
        assert_eq!(
            data["enregistrerSecurite"]["workflow"]["version"],
            version + 1
        );
        // Editing writes no history and mails nobody.
        assert_eq!(
            historique(&self.app, &self.admin, &self.entite).await,
            self.personnel
        );

        let data = ok(
            &self.app,
            &decision("soumettreDossier"),
            json!({ "id": self.entite }),
            &self.entreprise,
        )
        .await;
        assert_eq!(
            data["soumettreDossier"]["workflow"]["statut"],
            "EN_VERIFICATION"
        );

        self.etat("EN_VERIFICATION", "DEMARCHE_EN_COURS").await;
        self.historique(
            vec![
                ligne("WORKFLOW", "en_attente_complements", "soumis", SOCIETE),
                ligne("WORKFLOW", "soumis", "en_verification", "Système"),
                ligne("ASSIGNATION", "", "en_cours", "Système"),
            ],
            vec![
                ligne(
                    "WORKFLOW",
                    "en_attente_complements",
                    "soumis",
                    "Votre entreprise",
                ),
                ligne("WORKFLOW", "soumis", "en_verification", "Système"),
            ],
        )
        .await;
        let (entreprise, agent) = (self.email_entreprise.clone(), self.email_agent.clone());
        let recus = self
            .courriels(&[
                (&entreprise, "Dossier soumis : Clinique du Plateau"),
                (&agent, "Dossier à vérifier : Clinique du Plateau"),
            ])
            .await;
        let (_, pour_l_agent) = recus.iter().find(|(a, _)| *a == agent).unwrap();
        assert!(
            pour_l_agent
                .corps
                .contains("a fourni les compléments demandés"),
            "{}",
            pour_l_agent.corps
        );

        let vu = self.entite_vue_par(&self.admin).await;
        let assignations = vu["assignations"].as_array().unwrap();
        assert_eq!(assignations.len(), 2, "{vu}");
        let seconde = assignations.iter().find(|a| a["id"] != premiere).unwrap();
        assert_eq!(seconde["statut"], "EN_COURS");
        assert_eq!(seconde["agent"]["id"], self.agent_id.to_string());
        let seconde = seconde["id"].as_str().unwrap().to_owned();
        let panier = self.panier().await;
        assert_eq!(panier["totalCount"], 1);
        assert_eq!(panier["edges"][0]["node"]["id"], seconde.as_str());
        self.aucune_validation().await;
        // Under verification again: read-only for the company.
        let version = self.entite_vue_par(&self.entreprise).await["workflow"]["version"].clone();
        let avant = empreinte(&self.app).await;
        let code = refus(
            &self.app,
            SECURITE,
            json!({ "input": { "entiteId": self.entite, "version": version,
                "securite": { "politiqueSecurite": false } } }),
            &self.entreprise,
        )
        .await;
        assert_eq!(code, "CONFLICT");
        assert_eq!(empreinte(&self.app).await, avant);
        seconde
    }

    /// Step 5: the agent finds it compliant: waiting for the N+1 again; the company still reads
    /// only the first feedback.
    async fn proposition_conforme(&mut self, assignation: &str) {
        self.plus_tard();
        let data = ok(
            &self.app,
            FEEDBACK,
            json!({ "input": { "assignationId": assignation,
                "commentaires": "Politique de sécurité fournie.",
                "decisionProposee": "CONFORME" } }),
            &self.agent,
        )
        .await;
        assert_eq!(
            data["ajouterFeedback"]["statut"],
            "TRAITE_ATTENTE_VALIDATION"
        );
        assert_eq!(
            data["ajouterFeedback"]["feedback"]["visibleEntreprise"],
            false
        );

        self.etat("EN_VERIFICATION", "DEMARCHE_EN_COURS").await;
        self.historique(
            vec![ligne(
                "ASSIGNATION",
                "en_cours",
                "traite_attente_validation",
                &nom(AGENT),
            )],
            vec![],
        )
        .await;
        self.courriels(&[]).await;
        let vu = self.entite_vue_par(&self.entreprise).await;
        let commentaires: Vec<&Value> = vu["feedbacks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| &f["commentaires"])
            .collect();
        assert_eq!(
            commentaires,
            [&json!("La politique de sécurité n'est pas jointe.")],
            "{vu}"
        );
        self.attend_le_n1(assignation, "CONFORME").await;
    }

    /// Step 6: the N+1 accepts: conforme, the company reads the new feedback and is mailed.
    async fn conformite_validee(&mut self, assignation: &str) {
        self.plus_tard();
        let data = ok(
            &self.app,
            VALIDER_TRAITEMENT,
            json!({ "input": { "assignationId": assignation, "accepter": true } }),
            &self.n1,
        )
        .await;
        assert_eq!(data["validerTraitement"]["statut"], "VALIDE");

        self.etat("CONFORME", "CONFORME").await;
        self.historique(
            vec![
                ligne("WORKFLOW", "en_verification", "conforme", &nom(N1)),
                ligne("CONFORMITE", "demarche_en_cours", "conforme", &nom(N1)),
                ligne(
                    "ASSIGNATION",
                    "traite_attente_validation",
                    "valide",
                    &nom(N1),
                ),
            ],
            vec![
                ligne("WORKFLOW", "en_verification", "conforme", "ARTCI"),
                ligne("CONFORMITE", "demarche_en_cours", "conforme", "ARTCI"),
            ],
        )
        .await;
        let email = self.email_entreprise.clone();
        self.courriels(&[(&email, "Dossier conforme : Clinique du Plateau")])
            .await;
        let vu = self.entite_vue_par(&self.entreprise).await;
        let feedbacks = vu["feedbacks"].as_array().unwrap();
        assert_eq!(feedbacks.len(), 2, "{vu}");
        assert!(
            feedbacks
                .iter()
                .any(|f| f["commentaires"] == "Politique de sécurité fournie."
                    && f["visibleEntreprise"] == true
                    && f["agent"].is_null()),
            "{vu}"
        );
        self.panier_vide().await;
        self.aucune_validation().await;
    }

    /// Step 7: the admin validates: valide, an authorisation number (health data), two years of
    /// approval; the company is mailed its number.
    async fn validation(&mut self) {
        self.plus_tard();
        let data = ok(
            &self.app,
            &decision("validerDossier"),
            json!({ "id": self.entite }),
            &self.admin,
        )
        .await;
        let w = &data["validerDossier"]["workflow"];
        assert_eq!(w["statut"], "VALIDE");
        assert_eq!(w["typeFormalite"], "AUTORISATION_PREALABLE");
        assert_eq!(w["numeroAutorisationArtci"], "AUT-2026-000001");
        assert!(w["numeroRecepisse"].is_null(), "{w}");
        assert_eq!(w["dateExpiration"], "2028-11-23");
        assert!(
            w["dateValidation"]
                .as_str()
                .is_some_and(|d| d.starts_with("2026-11-23T09:07")),
            "{w}"
        );

        self.etat("VALIDE", "CONFORME").await;
        self.historique(
            vec![ligne("WORKFLOW", "conforme", "valide", &nom(ADMIN))],
            vec![ligne("WORKFLOW", "conforme", "valide", "ARTCI")],
        )
        .await;
        let derniere = historique_complet(&self.app, &self.entreprise, &self.entite)
            .await
            .pop()
            .unwrap();
        assert_eq!(derniere.1.as_deref(), Some("AUT-2026-000001"));
        let email = self.email_entreprise.clone();
        let recus = self
            .courriels(&[
                (&email, "Dossier validé : Clinique du Plateau"),
                (
                    &email,
                    "Autorisation de traitement disponible : Clinique du Plateau",
                ),
            ])
            .await;
        let corps = &recus
            .iter()
            .find(|(_, c)| c.sujet.starts_with("Dossier validé"))
            .unwrap()
            .1
            .corps;
        assert!(corps.contains("\nAUT-2026-000001\n"), "{corps}");
        assert!(corps.contains("23 novembre 2028"), "{corps}");
    }

    /// Step 8: the admin publishes: publie, on the map; the company is mailed.
    async fn publication(&mut self) {
        self.plus_tard();
        let data = ok(
            &self.app,
            &decision("publierDossier"),
            json!({ "id": self.entite }),
            &self.admin,
        )
        .await;
        let w = &data["publierDossier"]["workflow"];
        assert_eq!(w["statut"], "PUBLIE");
        assert!(
            w["datePublication"]
                .as_str()
                .is_some_and(|d| d.starts_with("2026-11-23T09:08")),
            "{w}"
        );
        assert_eq!(w["numeroAutorisationArtci"], "AUT-2026-000001");

        self.etat("PUBLIE", "CONFORME").await;
        self.historique(
            vec![ligne("WORKFLOW", "valide", "publie", &nom(ADMIN))],
            vec![ligne("WORKFLOW", "valide", "publie", "ARTCI")],
        )
        .await;
        let email = self.email_entreprise.clone();
        self.courriels(&[(&email, "Dossier publié : Clinique du Plateau")])
            .await;
    }
}

#[tokio::test]
async fn un_dossier_va_de_soumis_a_publie_en_passant_par_des_complements() {
    let mut p = Parcours::soumission().await;
    let premiere = p.assignation().await;
    p.demande_de_complements(&premiere).await;
    p.complements_valides(&premiere).await;
    let seconde = p.complements_fournis(&premiere).await;
    p.proposition_conforme(&seconde).await;
    p.conformite_validee(&seconde).await;
    p.validation().await;
    p.publication().await;
    // The whole journey, read back from the database: every line in order, nothing else.
    let lignes: i64 = p
        .app
        .db
        .client()
        .await
        .query_one(
            "SELECT count(*) FROM historique_statuts WHERE entite_id = $1::text::uuid",
            &[&p.entite],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(lignes as usize, p.personnel.len());
}

/// One refused request: who, what, and the code (and field) it gets.
struct Cas {
    nom: &'static str,
    jeton: String,
    requete: String,
    variables: Value,
    code: &'static str,
    champ: Option<&'static str>,
}

fn cas(nom: &'static str, jeton: &str, requete: &str, variables: Value, code: &'static str) -> Cas {
    Cas {
        nom,
        jeton: jeton.to_owned(),
        requete: requete.to_owned(),
        variables,
        code,
        champ: None,
    }
}

impl Cas {
    /// The input field the refusal names.
    fn au_champ(self, champ: &'static str) -> Self {
        Self {
            champ: Some(champ),
            ..self
        }
    }
}

async fn assigner(app: &TestApp, admin: &str, entite: &str, agent: Uuid) -> String {
    let data = ok(
        app,
        ASSIGNER,
        json!({ "input": { "entiteId": entite, "agentId": agent, "echeance": "2026-12-03" } }),
        admin,
    )
    .await;
    data["assignerDemande"]["id"].as_str().unwrap().to_owned()
}

async fn proposer(app: &TestApp, agent: &str, assignation: &str, decision: &str) {
    ok(
        app,
        FEEDBACK,
        json!({ "input": { "assignationId": assignation, "decisionProposee": decision } }),
        agent,
    )
    .await;
}

#[tokio::test]
async fn chaque_transition_refusee_a_son_code_et_n_ecrit_rien() {
    let app = TestApp::new().await;
    let (_, entreprise) = app.entreprise("approuvee").await;
    let (_, autre) = app.entreprise("approuvee").await;
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (super_admin_id, super_admin) = app.staff(RoleUtilisateur::SuperAdmin).await;
    let (n1_id, n1) = app.staff(RoleUtilisateur::Admin).await;
    let (agent_id, agent) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, editeur) = app.staff(RoleUtilisateur::Editeur).await;
    let (_, lecteur) = app.staff(RoleUtilisateur::Lecteur).await;
    app.db
        .client()
        .await
        .execute(
            "UPDATE users SET superieur_id = $2 WHERE id = $1",
            &[&agent_id, &n1_id],
        )
        .await
        .unwrap();

    // A dossier at each stage.
    let soumis = dossier_soumis(&app, &entreprise).await;
    let en_cours = dossier_soumis(&app, &entreprise).await;
    let a_en_cours = assigner(&app, &admin, &en_cours, agent_id).await;
    let traite = dossier_soumis(&app, &entreprise).await;
    let a_traite = assigner(&app, &admin, &traite, agent_id).await;
    proposer(&app, &agent, &a_traite, "REJETE").await;
    // Treated by a super_admin, who may validate anyone's work but its own.
    let par_super_admin = dossier_soumis(&app, &entreprise).await;
    let a_super_admin = assigner(&app, &admin, &par_super_admin, super_admin_id).await;
    proposer(&app, &super_admin, &a_super_admin, "CONFORME").await;
    let conforme = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let publie = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    ok(
        &app,
        &decision("validerDossier"),
        json!({ "id": publie }),
        &admin,
    )
    .await;
    ok(
        &app,
        &decision("publierDossier"),
        json!({ "id": publie }),
        &admin,
    )
    .await;
    let rejete = dossier_decide(
        &app,
        &entreprise,
        "REJETE",
        json!({ "motif": "Finalité illicite." }),
    )
    .await;

    let id = |e: &str| json!({ "id": e });
    let assignation = |e: &str| {
        let input = json!({ "entiteId": e, "agentId": agent_id, "echeance": "2026-12-03" });
        json!({ "input": input })
    };
    let accepter = |a: &str, extra: Value| {
        let mut input = json!({ "assignationId": a, "accepter": true });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "input": input })
    };
    let valider = decision("validerDossier");
    let publier = decision("publierDossier");
    let depublier = decision("depublierDossier");
    let recommencer = decision("recommencerDossier");
    let soumettre = decision("soumettreDossier");
    let retirer = decision("retirerDossier");
    let retour = |e: &str| json!({ "input": { "entiteId": e, "motif": "Pièces illisibles." } });

    let mut table = vec![
        // Roles: a company never assigns, validates nor publishes, even its own dossier.
        cas(
            "entreprise assigne",
            &entreprise,
            ASSIGNER,
            assignation(&soumis),
            "FORBIDDEN",
        ),
        cas(
            "entreprise valide",
            &entreprise,
            &valider,
            id(&conforme),
            "FORBIDDEN",
        ),
        cas(
            "entreprise publie",
            &entreprise,
            &publier,
            id(&conforme),
            "FORBIDDEN",
        ),
        cas(
            "entreprise dépublie",
            &entreprise,
            &depublier,
            id(&publie),
            "FORBIDDEN",
        ),
        // Another company's dossier does not exist for it (what no company may ever do is
        // FORBIDDEN before the dossier is even looked up).
        cas(
            "autre entreprise publie (jamais permis)",
            &autre,
            &publier,
            id(&conforme),
            "FORBIDDEN",
        ),
        cas(
            "autre entreprise soumet",
            &autre,
            &soumettre,
            id(&soumis),
            "NOT_FOUND",
        ),
        // An editeur treats; it neither assigns, validates nor starts anew.
        cas(
            "éditeur assigne",
            &editeur,
            ASSIGNER,
            assignation(&soumis),
            "FORBIDDEN",
        ),
        cas(
            "éditeur valide",
            &editeur,
            &valider,
            id(&conforme),
            "FORBIDDEN",
        ),
        cas(
            "éditeur recommence",
            &editeur,
            &recommencer,
            id(&rejete),
            "FORBIDDEN",
        ),
        cas(
            "lecteur traite",
            &lecteur,
            FEEDBACK,
            json!({ "input": { "assignationId": a_en_cours, "decisionProposee": "CONFORME" } }),
            "FORBIDDEN",
        ),
        cas(
            "lecteur valide un traitement",
            &lecteur,
            VALIDER_TRAITEMENT,
            accepter(&a_traite, json!({ "motif": "x" })),
            "FORBIDDEN",
        ),
        // The "retour formulaire" is the super_admin's alone, and only up to publie.
        cas(
            "admin retour formulaire",
            &admin,
            RETOUR,
            retour(&soumis),
            "FORBIDDEN",
        ),
        cas(
            "retour formulaire d'un rejet",
            &super_admin,
            RETOUR,
            retour(&rejete),
            "CONFLICT",
        ),
        // Statuses.
        cas(
            "valider un soumis",
            &admin,
            &valider,
            id(&soumis),
            "CONFLICT",
        ),
        cas(
            "valider en vérification",
            &admin,
            &valider,
            id(&traite),
            "CONFLICT",
        ),
        cas(
            "valider un publié",
            &admin,
            &valider,
            id(&publie),
            "CONFLICT",
        ),
        cas(
            "publier un conforme",
            &admin,
            &publier,
            id(&conforme),
            "CONFLICT",
        ),
        cas(
            "publier un soumis",
            &admin,
            &publier,
            id(&soumis),
            "CONFLICT",
        ),
        cas(
            "dépublier un conforme",
            &admin,
            &depublier,
            id(&conforme),
            "CONFLICT",
        ),
        cas(
            "recommencer un publié",
            &entreprise,
            &recommencer,
            id(&publie),
            "CONFLICT",
        ),
        cas(
            "recommencer un conforme",
            &entreprise,
            &recommencer,
            id(&conforme),
            "CONFLICT",
        ),
        cas(
            "assigner un rejeté",
            &admin,
            ASSIGNER,
            assignation(&rejete),
            "CONFLICT",
        ),
        cas(
            "assigner un publié",
            &admin,
            ASSIGNER,
            assignation(&publie),
            "CONFLICT",
        ),
        cas(
            "retirer après assignation",
            &entreprise,
            &retirer,
            id(&en_cours),
            "CONFLICT",
        ),
        cas(
            "resoumettre en vérification",
            &entreprise,
            &soumettre,
            id(&en_cours),
            "CONFLICT",
        ),
        cas(
            "resoumettre un conforme",
            &entreprise,
            &soumettre,
            id(&conforme),
            "CONFLICT",
        ),
        // The treatment: the assigned agent only; the N+1 never validates its own work.
        cas(
            "feedback d'un autre éditeur",
            &editeur,
            FEEDBACK,
            json!({ "input": { "assignationId": a_en_cours, "decisionProposee": "CONFORME" } }),
            "FORBIDDEN",
        ),
        cas(
            "feedback du n1",
            &n1,
            FEEDBACK,
            json!({ "input": { "assignationId": a_en_cours, "decisionProposee": "CONFORME" } }),
            "FORBIDDEN",
        ),
        cas(
            "valider un traitement pas encore fait",
            &n1,
            VALIDER_TRAITEMENT,
            accepter(&a_en_cours, json!({})),
            "CONFLICT",
        ),
        cas(
            "super_admin valide son propre traitement",
            &super_admin,
            VALIDER_TRAITEMENT,
            accepter(&a_super_admin, json!({})),
            "FORBIDDEN",
        ),
        cas(
            "agent valide son propre traitement",
            &agent,
            VALIDER_TRAITEMENT,
            accepter(&a_traite, json!({ "motif": "x" })),
            "FORBIDDEN",
        ),
    ];
    // The decision's own inputs.
    let sans_motif = cas(
        "rejet sans motif",
        &n1,
        VALIDER_TRAITEMENT,
        accepter(&a_traite, json!({})),
        "BAD_USER_INPUT",
    )
    .au_champ("input.motif");
    let motif_blanc = cas(
        "rejet au motif blanc",
        &n1,
        VALIDER_TRAITEMENT,
        accepter(&a_traite, json!({ "motif": "   " })),
        "BAD_USER_INPUT",
    )
    .au_champ("input.motif");
    let sans_delai = cas(
        "sous réserve sans délai",
        &n1,
        VALIDER_TRAITEMENT,
        accepter(&a_traite, json!({ "decision": "CONFORME_SOUS_RESERVE" })),
        "BAD_USER_INPUT",
    )
    .au_champ("input.delaiMiseEnConformite");
    let retour_sans_motif = cas(
        "retour formulaire sans motif",
        &super_admin,
        RETOUR,
        json!({ "input": { "entiteId": publie, "motif": " " } }),
        "BAD_USER_INPUT",
    )
    .au_champ("input.motif");
    table.extend([sans_motif, motif_blanc, sans_delai, retour_sans_motif]);

    for c in &table {
        let avant = empreinte(&app).await;
        let r = app
            .graphql(&c.requete, c.variables.clone(), Some(&c.jeton))
            .await;
        assert_eq!(error_code(&r), Some(c.code), "{} : {r}", c.nom);
        if let Some(champ) = c.champ {
            assert_eq!(
                r["errors"][0]["extensions"]["field"], champ,
                "{} : {r}",
                c.nom
            );
        }
        assert!(
            r["data"].is_null()
                || r["data"]
                    .as_object()
                    .is_some_and(|d| d.values().all(Value::is_null)),
            "{} : {r}",
            c.nom
        );
        assert_eq!(
            empreinte(&app).await,
            avant,
            "{} a écrit quelque chose",
            c.nom
        );
    }

    // The fingerprint sees a write: the same N+1 rejects with a motif, and it changes.
    let avant = empreinte(&app).await;
    ok(
        &app,
        VALIDER_TRAITEMENT,
        accepter(&a_traite, json!({ "motif": "Finalité illicite." })),
        &n1,
    )
    .await;
    assert_ne!(empreinte(&app).await, avant);
    // And nothing refused above moved a dossier.
    for (entite, statut) in [
        (&soumis, "SOUMIS"),
        (&en_cours, "EN_VERIFICATION"),
        (&par_super_admin, "EN_VERIFICATION"),
        (&conforme, "CONFORME"),
        (&publie, "PUBLIE"),
        (&rejete, "REJETE"),
        (&traite, "REJETE"),
    ] {
        let vu = ok(&app, ENTITE, id(entite), &admin).await;
        assert_eq!(vu["entite"]["workflow"]["statut"], statut, "{vu}");
    }
}

#[tokio::test]
async fn un_agrement_expire_se_recommence_en_brouillon_avec_son_historique() {
    let app = TestApp::new().await;
    let (compte, entreprise) = app.entreprise("approuvee").await;
    let email = email_compte(&app, compte).await;
    let (admin_id, admin) = app.staff(RoleUtilisateur::Admin).await;
    let (autre_id, _) = app.entreprise("approuvee").await;
    let id = dossier_decide(&app, &entreprise, "CONFORME", json!({})).await;
    let w = ok(
        &app,
        &decision("validerDossier"),
        json!({ "id": id }),
        &admin,
    )
    .await;
    assert_eq!(
        w["validerDossier"]["workflow"]["dateExpiration"],
        "2028-11-23"
    );
    ok(
        &app,
        &decision("publierDossier"),
        json!({ "id": id }),
        &admin,
    )
    .await;
    let avant = historique_complet(&app, &entreprise, &id).await;
    assert_eq!(
        avant.last().unwrap().0,
        ligne("WORKFLOW", "valide", "publie", "ARTCI")
    );

    // On its last day the approval still holds (renewal reminders may go out); the day
    // after, the job expires it and the company is told, with that mail alone.
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 11, 23, 9, 0, 0).unwrap());
    echeances::run(&app.state).await.unwrap();
    assert_eq!(
        etat_sql(&app, &id).await,
        ("publie".into(), "conforme".into(), true)
    );
    app.distribuer_courriels().await;
    let mails_avant = file_de(&app, &email).await.len();
    attendre_courriels(&email, mails_avant).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 11, 24, 9, 0, 0).unwrap());
    echeances::run(&app.state).await.unwrap();
    assert_eq!(
        file_de(&app, &email).await[mails_avant..],
        ["agrement_expire"]
    );
    assert_eq!(
        etat_sql(&app, &id).await,
        ("expire".into(), "non_conforme".into(), false)
    );

    // Two years on, everyone logs in again.
    let entreprise = app.token_for(Titulaire::Compte(compte)).await;
    let admin = app.token_for(Titulaire::Agent(admin_id)).await;
    let autre = app.token_for(Titulaire::Compte(autre_id)).await;
    let vu = ok(&app, ENTITE, json!({ "id": id }), &entreprise).await;
    assert_eq!(vu["entite"]["workflow"]["statut"], "EXPIRE");
    assert_eq!(
        vu["entite"]["conformite"]["statutConformite"],
        "NON_CONFORME"
    );
    let expire = historique_complet(&app, &entreprise, &id).await;
    assert_eq!(expire[..avant.len()], avant[..]);
    assert_eq!(
        expire[avant.len()..]
            .iter()
            .map(|(l, _)| l.clone())
            .collect::<Vec<_>>(),
        [
            ligne("WORKFLOW", "publie", "expire", "Système"),
            ligne("CONFORMITE", "conforme", "non_conforme", "Système"),
        ]
    );
    app.distribuer_courriels().await;
    let recus = attendre_courriels(&email, mails_avant + 1).await;
    let sujets: Vec<&str> = recus[mails_avant..]
        .iter()
        .map(|c| c.sujet.as_str())
        .collect();
    assert_eq!(sujets, ["Agrément expiré : Clinique du Plateau"]);
    // Expired: not published again, not validated again.
    assert_eq!(
        refus(
            &app,
            &decision("publierDossier"),
            json!({ "id": id }),
            &admin
        )
        .await,
        "CONFLICT"
    );

    // Only its company starts anew.
    for (jeton, code) in [(&autre, "NOT_FOUND"), (&admin, "FORBIDDEN")] {
        let empreinte_avant = empreinte(&app).await;
        assert_eq!(
            refus(
                &app,
                &decision("recommencerDossier"),
                json!({ "id": id }),
                jeton
            )
            .await,
            code
        );
        assert_eq!(empreinte(&app).await, empreinte_avant);
    }
    let r = ok(
        &app,
        &decision("recommencerDossier"),
        json!({ "id": id }),
        &entreprise,
    )
    .await;
    let w = &r["recommencerDossier"]["workflow"];
    assert_eq!(w["statut"], "BROUILLON");
    for champ in [
        "typeFormalite",
        "numeroRecepisse",
        "numeroAutorisationArtci",
        "dateSoumission",
        "dateValidation",
        "dateExpiration",
        "datePublication",
    ] {
        assert!(w[champ].is_null(), "{champ} : {w}");
    }
    assert_eq!(
        r["recommencerDossier"]["conformite"]["statutConformite"],
        "NON_CONFORME"
    );
    assert_eq!(
        etat_sql(&app, &id).await,
        ("brouillon".into(), "non_conforme".into(), false)
    );

    // The history kept every line and gained the new start, the company's own.
    let apres = historique_complet(&app, &entreprise, &id).await;
    assert_eq!(apres[..expire.len()], expire[..]);
    assert_eq!(
        apres[expire.len()..]
            .iter()
            .map(|(l, _)| l.clone())
            .collect::<Vec<_>>(),
        [ligne("WORKFLOW", "expire", "brouillon", "Votre entreprise")]
    );

    // A draft again: the company edits it and submits it anew.
    let version =
        ok(&app, ENTITE, json!({ "id": id }), &entreprise).await["entite"]["workflow"]["version"]
            .as_i64()
            .unwrap();
    let data = ok(
        &app,
        SECURITE,
        json!({ "input": { "entiteId": id, "version": version,
            "securite": { "politiqueSecurite": true, "planContinuite": true } } }),
        &entreprise,
    )
    .await;
    assert_eq!(
        data["enregistrerSecurite"]["workflow"]["version"],
        version + 1
    );
    let r = ok(
        &app,
        &decision("soumettreDossier"),
        json!({ "id": id }),
        &entreprise,
    )
    .await;
    assert_eq!(r["soumettreDossier"]["workflow"]["statut"], "SOUMIS");
    assert_eq!(
        r["soumettreDossier"]["conformite"]["statutConformite"],
        "DEMARCHE_EN_COURS"
    );
    assert!(
        r["soumettreDossier"]["workflow"]["dateSoumission"]
            .as_str()
            .is_some_and(|d| d.starts_with("2028-11-24"))
    );
}
