//! `registre-dcp seed`: a demo registry of N entities in every status, consistent with the
//! rules, the same for one seed, and never poured into a registry that already has data.

use chrono::NaiveDate;
use serde_json::json;

use registre_dcp::models::enums::RoleUtilisateur;
use registre_dcp::seed::{self, ErreurSeed, OptionsSeed};

use crate::support::{TestApp, TestDb};

const N: u64 = 500;

fn options(graine: u64) -> OptionsSeed {
    OptionsSeed {
        entites: N,
        graine,
        ajouter: false,
        si_vide: false,
        // The test clock's day.
        aujourd_hui: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        validite_mois: 24,
    }
}

async fn peupler(db: &TestDb, options: &OptionsSeed) -> Result<seed::Bilan, ErreurSeed> {
    seed::peupler(&mut db.conn().await, options).await
}

async fn un_nombre(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn la_base_de_demonstration_respecte_les_regles_du_registre() {
    let app = TestApp::new().await;
    let bilan = peupler(&app.db, &options(7)).await.unwrap();
    assert_eq!(bilan.entites, N);
    let c = app.db.client().await;

    assert_eq!(
        un_nombre(&c, "SELECT count(*) FROM entites_base").await,
        N as i64
    );
    for table in [
        "entites_workflow",
        "entites_conformite",
        "entites_contact",
        "entites_localisation",
        "securite_conformite",
        "conformite_administrative",
    ] {
        let n = un_nombre(&c, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(n, N as i64, "{table}");
    }

    // Every status, each with the conformity the domain maps it to.
    let statuts = c
        .query(
            "SELECT w.statut::text, c.statut_conformite::text, count(*)
               FROM entites_workflow w JOIN entites_conformite c USING (entite_id)
              GROUP BY 1, 2 ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let attendu = |s: &str| match s {
        "brouillon" | "brouillon_artci" | "expire" => "non_conforme",
        "soumis" | "en_verification" | "en_attente_complements" => "demarche_en_cours",
        "conforme_sous_reserve" => "demarche_achevee",
        "conforme" | "valide" | "publie" => "conforme",
        "rejete" => "rejete",
        autre => panic!("statut inconnu {autre}"),
    };
    let mut vus = std::collections::BTreeSet::new();
    for ligne in &statuts {
        let (w, conformite): (String, String) = (ligne.get(0), ligne.get(1));
        assert_eq!(conformite, attendu(&w), "{w}");
        vus.insert(w);
    }
    assert_eq!(vus.len(), 11, "{vus:?}");

    // What each status implies.
    let incoherents = un_nombre(
        &c,
        "SELECT count(*) FROM entites_workflow w JOIN entites_base b ON b.id = w.entite_id
          WHERE (w.statut IN ('brouillon', 'brouillon_artci')) <> (w.date_soumission IS NULL)
             OR (w.statut IN ('brouillon', 'brouillon_artci')) <> (w.type_formalite IS NULL)
             OR (w.statut = 'brouillon_artci' AND b.compte_entreprise_id IS NOT NULL)
             OR (w.statut = 'brouillon' AND b.compte_entreprise_id IS NULL)
             OR (w.statut = 'en_verification') <> (w.assigned_to IS NOT NULL)
             OR (w.statut = 'rejete') <> (w.motif_rejet IS NOT NULL)
             OR (w.statut = 'publie') <> (w.date_publication IS NOT NULL)
             OR (w.statut IN ('valide', 'publie', 'expire')) <> (w.date_validation IS NOT NULL)
             OR (w.statut IN ('valide', 'publie') AND w.date_expiration <= '2026-11-23')
             OR (w.statut = 'expire' AND w.date_expiration >= '2026-11-23')
             OR b.publie_sur_carte <> (w.statut = 'publie')",
    )
    .await;
    assert_eq!(incoherents, 0);

    // Numbers: the right kind and format, unique, for every approved dossier.
    let sans_numero = un_nombre(
        &c,
        "SELECT count(*) FROM entites_workflow
          WHERE statut IN ('valide', 'publie', 'expire')
            AND NOT ((type_formalite = 'autorisation_prealable'
                      AND numero_autorisation_artci ~ '^AUT-[0-9]{4}-[0-9]{6}$'
                      AND numero_recepisse IS NULL)
                  OR (type_formalite <> 'autorisation_prealable'
                      AND numero_recepisse ~ '^RCP-[0-9]{4}-[0-9]{6}$'
                      AND numero_autorisation_artci IS NULL)
                  -- the year of the number is the year of the validation
                  AND substr(coalesce(numero_autorisation_artci, numero_recepisse), 5, 4)
                      = extract(year FROM date_validation)::text)",
    )
    .await;
    assert_eq!(sans_numero, 0);
    let numeros = un_nombre(
        &c,
        "SELECT count(*) FROM entites_workflow
          WHERE numero_recepisse IS NOT NULL OR numero_autorisation_artci IS NOT NULL",
    )
    .await;
    let distincts = un_nombre(
        &c,
        "SELECT count(DISTINCT coalesce(numero_recepisse, numero_autorisation_artci))
           FROM entites_workflow",
    )
    .await;
    assert!(numeros > 0);
    assert_eq!(numeros, distincts);
    assert_eq!(bilan.numeros, numeros as u64);

    // Points in Côte d'Ivoire; shares of the pop-up at most 100 per entity.
    let hors_ci = un_nombre(
        &c,
        "SELECT count(*) FROM entites_localisation
          WHERE geolocation IS NULL
             OR ST_Y(geolocation::geometry) NOT BETWEEN 4.0 AND 11.0
             OR ST_X(geolocation::geometry) NOT BETWEEN -9.0 AND -2.0",
    )
    .await;
    assert_eq!(hors_ci, 0);
    let trop = un_nombre(
        &c,
        "SELECT count(*) FROM (SELECT entite_id FROM finalites_bases_legales
          GROUP BY entite_id HAVING sum(pourcentage) > 100) t",
    )
    .await;
    assert_eq!(trop, 0);
    assert!(un_nombre(&c, "SELECT count(*) FROM dpo").await > 0);
    assert!(un_nombre(&c, "SELECT count(*) FROM categories_donnees").await >= N as i64);
    assert!(un_nombre(&c, "SELECT count(*) FROM comptes_entreprises").await > 0);
    // A published dossier is in the public register when the schema has one.
    let publiees = un_nombre(
        &c,
        "SELECT count(*) FROM entites_workflow WHERE statut = 'publie'",
    )
    .await;
    let public = c
        .query_opt("SELECT to_regclass('registre_public')::text", &[])
        .await
        .unwrap()
        .and_then(|r| r.get::<_, Option<String>>(0));
    if public.is_some() {
        assert_eq!(
            un_nombre(&c, "SELECT count(*) FROM registre_public").await,
            publiees
        );
    }

    // A later validation continues the year's sequence after the seeded numbers.
    let ligne = c
        .query_one(
            "SELECT w.entite_id, w.type_formalite = 'autorisation_prealable'
               FROM entites_workflow w WHERE w.statut = 'conforme'
              ORDER BY w.entite_id LIMIT 1",
            &[],
        )
        .await
        .unwrap();
    let (entite, autorisation): (uuid::Uuid, bool) = (ligne.get(0), ligne.get(1));
    let (nature, prefixe) = if autorisation {
        ("autorisation", "AUT")
    } else {
        ("recepisse", "RCP")
    };
    let dernier_seme: i32 = c
        .query_opt(
            "SELECT dernier FROM numeros_delivres WHERE annee = 2026 AND nature = $1",
            &[&nature],
        )
        .await
        .unwrap()
        .map_or(0, |r| r.get(0));
    let plus_haut_seme: Option<String> = c
        .query_one(
            "SELECT max(coalesce(numero_recepisse, numero_autorisation_artci))
               FROM entites_workflow
              WHERE coalesce(numero_recepisse, numero_autorisation_artci) LIKE $1",
            &[&format!("{prefixe}-2026-%")],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        plus_haut_seme,
        (dernier_seme > 0).then(|| format!("{prefixe}-2026-{dernier_seme:06}"))
    );
    let (_, admin) = app.staff(RoleUtilisateur::Admin).await;
    let r = app
        .graphql(
            "mutation($id: ID!) { validerDossier(entiteId: $id) {
                workflow { numeroRecepisse numeroAutorisationArtci } } }",
            json!({ "id": entite }),
            Some(&admin),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let w = &r["data"]["validerDossier"]["workflow"];
    let numero = w["numeroRecepisse"]
        .as_str()
        .or(w["numeroAutorisationArtci"].as_str())
        .unwrap();
    assert_eq!(numero, format!("{prefixe}-2026-{:06}", dernier_seme + 1));
}

#[tokio::test]
async fn une_graine_donne_toujours_les_memes_donnees() {
    let (a, b, c) = (
        TestDb::new().await,
        TestDb::new().await,
        TestDb::new().await,
    );
    peupler(&a, &options(11)).await.unwrap();
    peupler(&b, &options(11)).await.unwrap();
    peupler(&c, &options(12)).await.unwrap();
    let sql = "SELECT b.numero_cc || ' ' || b.denomination || ' ' || w.statut::text || ' '
                      || coalesce(w.numero_recepisse, w.numero_autorisation_artci, '')
                 FROM entites_base b JOIN entites_workflow w ON w.entite_id = b.id
                ORDER BY b.id";
    let lire = async |db: &TestDb| -> Vec<String> {
        db.client()
            .await
            .query(sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let (da, db, dc) = (lire(&a).await, lire(&b).await, lire(&c).await);
    assert_eq!(da.len(), N as usize);
    assert_eq!(da, db);
    assert_ne!(da, dc);
}

#[tokio::test]
async fn une_base_qui_a_deja_des_entites_est_refusee_sauf_ajout() {
    let db = TestDb::new().await;
    let mut petit = options(3);
    petit.entites = 40;
    peupler(&db, &petit).await.unwrap();
    let refus = peupler(&db, &petit).await.unwrap_err();
    assert!(
        matches!(refus, ErreurSeed::BaseNonVide { entites: 40, .. }),
        "{refus}"
    );
    let c = db.client().await;
    assert_eq!(un_nombre(&c, "SELECT count(*) FROM entites_base").await, 40);

    // Added on purpose: new entities, new NCCs and numbers after the first run's.
    petit.ajouter = true;
    peupler(&db, &petit).await.unwrap();
    assert_eq!(un_nombre(&c, "SELECT count(*) FROM entites_base").await, 80);
    let numeros = un_nombre(
        &c,
        "SELECT count(coalesce(numero_recepisse, numero_autorisation_artci)) FROM entites_workflow",
    )
    .await;
    let distincts = un_nombre(
        &c,
        "SELECT count(DISTINCT coalesce(numero_recepisse, numero_autorisation_artci))
           FROM entites_workflow",
    )
    .await;
    assert_eq!(numeros, distincts);
}

/// Every seeded dossier past submission is complete by the very rule `soumettreDossier`
/// applies (`domain::progression`): a demo dossier could not have been submitted otherwise.
#[tokio::test]
async fn chaque_dossier_soumis_de_la_demonstration_est_complet_selon_la_regle_de_soumission() {
    use registre_dcp::domain::{contenu, progression};
    use registre_dcp::models::entites_base;

    let app = TestApp::new().await;
    let mut opts = options(3);
    opts.entites = 160;
    peupler(&app.db, &opts).await.unwrap();
    let c = app.db.client().await;
    let soumis: Vec<(uuid::Uuid, String)> = c
        .query(
            "SELECT entite_id, statut::text FROM entites_workflow
              WHERE statut NOT IN ('brouillon', 'brouillon_artci') ORDER BY entite_id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|l| (l.get(0), l.get(1)))
        .collect();
    assert!(soumis.len() > 80, "{}", soumis.len());
    let mut conn = app.db.conn().await;
    let mut incomplets = Vec::new();
    for (id, statut) in &soumis {
        let entite = entites_base::find_by_id(&mut conn, *id).await.unwrap();
        let dossier = contenu::charger_un(&mut conn, *id).await.unwrap();
        // The seed attaches no documents (their files would outweigh the registry): the
        // form's own content must be complete, the required documents taken as given.
        let pieces: Vec<_> = registre_dcp::domain::pieces::requises(&dossier)
            .into_iter()
            .map(|t| {
                (
                    t,
                    registre_dcp::models::enums::StatutVerificationDocument::Valide,
                )
            })
            .collect();
        let avancement = progression::progression(&entite, &dossier, &pieces);
        if !avancement.complete() {
            let manquants: Vec<String> = avancement.manquants().map(|e| e.champ.clone()).collect();
            incomplets.push(format!("{statut} {id}: {manquants:?}"));
        }
    }
    assert!(
        incomplets.is_empty(),
        "{} dossiers soumis sur {} incomplets :\n{}",
        incomplets.len(),
        soumis.len(),
        incomplets.join("\n")
    );
}

/// `--si-vide`: the container's one-shot seed does nothing, successfully, on a registry that
/// already holds data, and seeds an empty one.
#[tokio::test]
async fn si_vide_ne_touche_pas_une_base_deja_peuplee() {
    let app = TestApp::new().await;
    let mut opts = options(5);
    opts.entites = 20;
    opts.si_vide = true;
    let premier = peupler(&app.db, &opts).await.unwrap();
    assert!(!premier.deja_peuplee);
    assert_eq!(premier.entites, 20);
    let c = app.db.client().await;
    let avant = un_nombre(&c, "SELECT count(*) FROM entites_base").await;
    let comptes = un_nombre(&c, "SELECT count(*) FROM comptes_entreprises").await;
    let second = peupler(&app.db, &opts).await.unwrap();
    assert!(second.deja_peuplee);
    assert_eq!(second.entites, 0);
    assert!(seed::resume(&second).contains("rien n'a été ajouté"));
    assert_eq!(
        un_nombre(&c, "SELECT count(*) FROM entites_base").await,
        avant
    );
    assert_eq!(
        un_nombre(&c, "SELECT count(*) FROM comptes_entreprises").await,
        comptes
    );
    // Without it, a populated registry is still refused.
    opts.si_vide = false;
    assert!(matches!(
        peupler(&app.db, &opts).await,
        Err(ErreurSeed::BaseNonVide { .. })
    ));
}
