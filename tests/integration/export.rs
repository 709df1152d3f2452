//! `GET /export/registre.csv` and `.xlsx`: only the public register, with the public list's
//! filters; a header naming the date, the total and the filters; a CSV that Excel and the csv
//! crate read back; a workbook that reads back; streamed, and a client that leaves gives its
//! connection back.

use std::io::Cursor;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use registre_dcp::http::export::COLONNES;

use crate::support::{CLIENT_ADDR, Reply, TestApp};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An entity with every part of its dossier, inserted straight into the tables.
struct Fiche {
    ncc: &'static str,
    denomination: &'static str,
    sigle: Option<&'static str>,
    secteur: &'static str,
    region: &'static str,
    ville: &'static str,
    statut: &'static str,
    numero: Option<&'static str>,
    correspondant: bool,
}

/// Two published entities, one validated but not published, one draft; all `conforme`.
const FICHES: [Fiche; 4] = [
    Fiche {
        ncc: "1234567A",
        denomination: "Clinique du Plateau",
        sigle: Some("CDP"),
        secteur: "sante",
        region: "abidjan",
        ville: "Abidjan",
        statut: "publie",
        numero: Some("AUT-2026-000001"),
        correspondant: true,
    },
    Fiche {
        ncc: "7654321B",
        denomination: "Banque Éburnéenne",
        sigle: None,
        secteur: "banque_finance",
        region: "gbeke",
        ville: "Bouaké",
        statut: "publie",
        numero: Some("RCP-2026-000001"),
        correspondant: false,
    },
    Fiche {
        ncc: "1111111C",
        denomination: "Pharmacie Validée",
        sigle: None,
        secteur: "sante",
        region: "abidjan",
        ville: "Abidjan",
        statut: "valide",
        numero: Some("AUT-2026-000002"),
        correspondant: true,
    },
    Fiche {
        ncc: "2222222D",
        denomination: "Laboratoire Brouillon",
        sigle: None,
        secteur: "sante",
        region: "abidjan",
        ville: "Abidjan",
        statut: "brouillon",
        numero: None,
        correspondant: false,
    },
];

/// Personal or identifying data the dossiers hold and the export must never show.
const JAMAIS: [&str; 8] = [
    "1234567A",
    "7654321B",
    "contact@exemple.ci",
    "27 20 00 00 00",
    "dpo@exemple.ci",
    "Traoré",
    "Kouassi",
    "Pharmacie",
];

async fn inserer(app: &TestApp, fiche: &Fiche) {
    app.db
        .client()
        .await
        .execute(
            "WITH b AS (
                 INSERT INTO entites_base (numero_cc, denomination, sigle, forme_juridique,
                     secteur_activite, region, ville, commune, adresse, telephone, email,
                     origine_saisie)
                 VALUES ($1, $2, $3, 'SARL', $4::text::secteur_activite, $5::text::region, $6,
                     'Plateau', 'Avenue Chardy', '+225 27 20 00 00 00', 'contact@exemple.ci',
                     'saisie_artci')
                 RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, type_formalite,
                     numero_autorisation_artci, date_validation, date_expiration,
                     date_publication)
                 SELECT id, $7::text::statut_workflow, 'autorisation_prealable', $8,
                     '2026-11-01T10:00:00Z', '2028-11-01',
                     CASE WHEN $7 = 'publie' THEN '2026-11-02T10:00:00Z'::timestamptz END
                 FROM b),
             c AS (
                 INSERT INTO entites_contact (entite_id, representant_nom,
                     representant_email)
                 SELECT id, 'Aya Kouassi', 'aya@exemple.ci' FROM b),
             l AS (
                 INSERT INTO entites_localisation (entite_id, geolocation)
                 SELECT id, ST_SetSRID(ST_MakePoint(-4.0267, 5.3364), 4326)::geography
                 FROM b),
             k AS (
                 INSERT INTO entites_conformite (entite_id, score_conformite,
                     statut_conformite)
                 SELECT id, 90, 'conforme' FROM b),
             f AS (
                 INSERT INTO finalites_bases_legales (entite_id, finalite, base_legale,
                     pourcentage)
                 SELECT id, 'Gestion des patients', 'execution_contrat', 70 FROM b),
             d AS (
                 INSERT INTO dpo (entite_id, nom, prenom, email, telephone, type)
                 SELECT id, 'Traoré', 'Moussa', 'dpo@exemple.ci', '+225 07 00 00 00 01',
                     'interne'
                 FROM b WHERE $9)
             SELECT id FROM b",
            &[
                &fiche.ncc,
                &fiche.denomination,
                &fiche.sigle,
                &fiche.secteur,
                &fiche.region,
                &fiche.ville,
                &fiche.statut,
                &fiche.numero,
                &fiche.correspondant,
            ],
        )
        .await
        .expect("insertion d'une entité de test");
}

async fn reconstruire(app: &TestApp) {
    app.db
        .client()
        .await
        .execute("SELECT registre_public_reconstruire()", &[])
        .await
        .expect("projection publique");
}

/// An application whose registry holds `FICHES`.
async fn registre() -> TestApp {
    let app = TestApp::new().await;
    for fiche in &FICHES {
        inserer(&app, fiche).await;
    }
    reconstruire(&app).await;
    app
}

async fn exporter(app: &TestApp, extension: &str, parametres: &str) -> Reply {
    app.send(
        Request::get(format!("/export/registre.{extension}{parametres}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// A CSV export read back: the header block (before the blank line), the columns, the rows.
struct Csv {
    entete: Vec<Vec<String>>,
    colonnes: Vec<String>,
    lignes: Vec<Vec<String>>,
}

impl Csv {
    fn lire(reply: &Reply) -> Self {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
        let corps = reply
            .body
            .strip_prefix(BOM)
            .expect("le CSV commence par la marque d'ordre UTF-8");
        let texte = std::str::from_utf8(corps).expect("CSV en UTF-8");
        let (entete, table) = texte
            .split_once("\r\n\r\n")
            .expect("une ligne vide sépare l'en-tête du tableau");
        let mut table = enregistrements(table).into_iter();
        Self {
            entete: enregistrements(entete),
            colonnes: table.next().expect("la ligne des colonnes"),
            lignes: table.collect(),
        }
    }

    fn valeur_entete(&self, nom: &str) -> &str {
        self.entete
            .iter()
            .find(|r| r[0] == nom)
            .map(|r| r[1].as_str())
            .unwrap_or_else(|| panic!("{nom} absent de l'en-tête : {:?}", self.entete))
    }

    fn entites(&self) -> Vec<&str> {
        self.lignes.iter().map(|l| l[0].as_str()).collect()
    }

    fn cellule(&self, ligne: usize, colonne: &str) -> &str {
        let i = self.colonnes.iter().position(|c| c == colonne).unwrap();
        &self.lignes[ligne][i]
    }
}

fn enregistrements(texte: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(texte.as_bytes())
        .records()
        .map(|r| r.expect("CSV valide").iter().map(str::to_owned).collect())
        .collect()
}

fn sans_donnee_privee(texte: &str) {
    for interdit in JAMAIS {
        assert!(
            !texte.contains(interdit),
            "{interdit} dans l'export :\n{texte}"
        );
    }
}

#[tokio::test]
async fn le_csv_ne_montre_que_les_entites_publiees_avec_leurs_colonnes_publiques() {
    let app = registre().await;
    let reply = exporter(&app, "csv", "").await;
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"registre-public-2026-11-23.csv\""
    );
    sans_donnee_privee(&reply.text());
    let csv = Csv::lire(&reply);
    assert_eq!(
        csv.entete[0],
        ["Registre public des traitements de données à caractère personnel (ARTCI)"]
    );
    assert_eq!(csv.valeur_entete("Généré le"), "23/11/2026 09:00 UTC");
    assert_eq!(csv.valeur_entete("Total"), "2");
    assert_eq!(
        csv.valeur_entete("Filtres"),
        "aucun (tout le registre public)"
    );
    assert_eq!(csv.colonnes, COLONNES);
    // The French order, accents intact; neither the validated nor the draft dossier.
    assert_eq!(
        csv.entites(),
        ["Banque Éburnéenne", "Clinique du Plateau (CDP)"]
    );
    let attendues = [
        ("Forme juridique", "SARL", "SARL"),
        ("Secteur", "Banque et finance", "Santé"),
        (
            "Adresse",
            "Avenue Chardy, Plateau",
            "Avenue Chardy, Plateau",
        ),
        ("Ville", "Bouaké", "Abidjan"),
        ("Région", "Gbêkê", "Abidjan"),
        ("Latitude", "5.3364", "5.3364"),
        ("Longitude", "-4.0267", "-4.0267"),
        (
            "Finalité principale",
            "Gestion des patients",
            "Gestion des patients",
        ),
        ("CPD", "Non", "Oui"),
        ("Autorisation ARTCI", "RCP-2026-000001", "AUT-2026-000001"),
        (
            "Formalité",
            "Autorisation préalable",
            "Autorisation préalable",
        ),
        ("Statut", "Conforme", "Conforme"),
    ];
    for (colonne, banque, clinique) in attendues {
        assert_eq!(csv.cellule(0, colonne), banque, "{colonne}");
        assert_eq!(csv.cellule(1, colonne), clinique, "{colonne}");
    }
}

#[tokio::test]
async fn chaque_filtre_change_les_lignes_le_total_et_l_en_tete() {
    let app = registre().await;
    let cas: [(&str, &[&str], &str); 7] = [
        (
            "?secteur=SANTE",
            &["Clinique du Plateau (CDP)"],
            "Secteur : Santé",
        ),
        (
            "?secteur=banque_finance",
            &["Banque Éburnéenne"],
            "Secteur : Banque et finance",
        ),
        ("?region=GBEKE", &["Banque Éburnéenne"], "Région : Gbêkê"),
        (
            "?ville=ABIDJAN",
            &["Clinique du Plateau (CDP)"],
            "Ville : ABIDJAN",
        ),
        (
            "?recherche=%20Cliniqe%20",
            &["Clinique du Plateau (CDP)"],
            "Recherche : « Cliniqe »",
        ),
        (
            "?secteur=SANTE&region=GBEKE",
            &[],
            "Secteur : Santé ; Région : Gbêkê",
        ),
        (
            "?secteur=&ville=&recherche=&autre=1",
            &["Banque Éburnéenne", "Clinique du Plateau (CDP)"],
            "aucun (tout le registre public)",
        ),
    ];
    for (parametres, entites, filtres) in cas {
        let csv = Csv::lire(&exporter(&app, "csv", parametres).await);
        assert_eq!(csv.entites(), entites, "{parametres}");
        assert_eq!(
            csv.valeur_entete("Total"),
            entites.len().to_string(),
            "{parametres}"
        );
        assert_eq!(csv.valeur_entete("Filtres"), filtres, "{parametres}");
    }
}

#[tokio::test]
async fn un_parametre_invalide_est_refuse_en_le_nommant() {
    let app = TestApp::new().await;
    let long = "x".repeat(101);
    let cas = [
        ("?secteur=PATISSERIE".to_owned(), "secteur"),
        ("?region=ATLANTIDE".to_owned(), "region"),
        ("?secteur=SANTE&secteur=ENERGIE".to_owned(), "secteur"),
        (format!("?ville={long}"), "ville"),
        (format!("?recherche={long}"), "recherche"),
        ("?recherche=a%00b".to_owned(), "recherche"),
    ];
    for extension in ["csv", "xlsx"] {
        for (parametres, champ) in &cas {
            let reply = exporter(&app, extension, parametres).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{parametres}");
            let erreur = &reply.json()["errors"][0];
            assert_eq!(
                erreur["extensions"]["code"], "BAD_USER_INPUT",
                "{parametres}"
            );
            assert_eq!(erreur["extensions"]["field"], *champ, "{parametres}");
            assert!(erreur["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}

/// The cells of the XLSX export's only sheet, as text (numbers in Rust's notation).
fn classeur(reply: &Reply) -> Vec<Vec<String>> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.content_type(), XLSX);
    assert!(reply.body.starts_with(b"PK"), "un fichier zip");
    let mut classeur: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(reply.body.to_vec())).expect("classeur XLSX lisible");
    let feuille = classeur
        .worksheet_range("Registre public")
        .expect("la feuille « Registre public »");
    assert_eq!(feuille.start(), Some((0, 0)));
    feuille
        .rows()
        .map(|rang| {
            rang.iter()
                .map(|cellule| match cellule {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    autre => panic!("cellule inattendue {autre:?}"),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn le_classeur_xlsx_se_relit_avec_l_en_tete_et_le_tableau() {
    let app = registre().await;
    let reply = exporter(&app, "xlsx", "").await;
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"registre-public-2026-11-23.xlsx\""
    );
    assert_eq!(
        reply.headers["content-length"],
        reply.body.len().to_string().as_str()
    );
    let cellules = classeur(&reply);
    sans_donnee_privee(&cellules.concat().join("\n"));
    assert_eq!(
        cellules[0][0],
        "Registre public des traitements de données à caractère personnel (ARTCI)"
    );
    assert_eq!(cellules[1][..2], ["Généré le", "23/11/2026 09:00 UTC"]);
    assert_eq!(cellules[2][..2], ["Total", "2"]);
    assert_eq!(
        cellules[3][..2],
        ["Filtres", "aucun (tout le registre public)"]
    );
    assert!(cellules[4].iter().all(String::is_empty));
    assert_eq!(cellules[5], COLONNES);
    assert_eq!(cellules.len(), 8, "{cellules:?}");
    assert_eq!(
        cellules[6],
        [
            "Banque Éburnéenne",
            "SARL",
            "Banque et finance",
            "Avenue Chardy, Plateau",
            "Bouaké",
            "Gbêkê",
            "5.3364",
            "-4.0267",
            "Gestion des patients",
            "Non",
            "RCP-2026-000001",
            "Autorisation préalable",
            "Conforme",
        ]
    );
    assert_eq!(cellules[7][0], "Clinique du Plateau (CDP)");
    assert_eq!(cellules[7][9], "Oui");

    let cellules = classeur(&exporter(&app, "xlsx", "?recherche=Cliniqe&region=abidjan").await);
    assert_eq!(cellules[2][..2], ["Total", "1"]);
    assert_eq!(cellules[3][1], "Région : Abidjan ; Recherche : « Cliniqe »");
    assert_eq!(cellules.len(), 7, "{cellules:?}");
    assert_eq!(cellules[6][0], "Clinique du Plateau (CDP)");
}

/// `nombre` published entities named `Entité 00001`…, straight into the tables.
async fn inserer_en_masse(app: &TestApp, nombre: i32) {
    app.db
        .client()
        .await
        .execute(
            "WITH b AS (
                 INSERT INTO entites_base (numero_cc, denomination, secteur_activite, region,
                     ville, adresse, origine_saisie)
                 SELECT lpad(i::text, 7, '0') || 'Z', 'Entité ' || lpad(i::text, 6, '0'),
                     'commerce_distribution', 'abidjan', 'Abidjan',
                     'Boulevard de la République, immeuble ' || i, 'saisie_artci'
                 FROM generate_series(1, $1) AS i
                 RETURNING id),
             w AS (
                 INSERT INTO entites_workflow (entite_id, statut, type_formalite,
                     date_validation, date_expiration, date_publication)
                 SELECT id, 'publie', 'declaration_prealable', '2026-11-01T10:00:00Z',
                     '2028-11-01', '2026-11-02T10:00:00Z'
                 FROM b),
             k AS (
                 INSERT INTO entites_conformite (entite_id, statut_conformite)
                 SELECT id, 'conforme' FROM b)
             SELECT count(*) FROM b",
            &[&nombre],
        )
        .await
        .expect("insertion en masse");
    reconstruire(app).await;
}

fn requete(chemin: &str) -> Request<Body> {
    let mut requete = Request::get(chemin).body(Body::empty()).unwrap();
    requete
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(CLIENT_ADDR)));
    requete
}

/// Whether every pooled connection is idle and none is inside a transaction, within 5 s.
async fn tout_est_rendu(app: &TestApp) -> bool {
    let client = app.db.client().await;
    for _ in 0..50 {
        let en_transaction: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND xact_start IS NOT NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        let pool = app.state.pool.state();
        if en_transaction == 0 && pool.idle_connections == pool.connections {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn un_gros_export_arrive_par_morceaux_et_un_client_qui_part_rend_sa_connexion() {
    let app = TestApp::new().await;
    inserer_en_masse(&app, 5000).await;
    let router = registre_dcp::http::router(
        app.state.clone(),
        registre_dcp::graphql::build(app.state.clone()),
    );

    // Read to the end: many chunks, every row.
    let reponse = router
        .clone()
        .oneshot(requete("/export/registre.csv"))
        .await
        .unwrap();
    assert_eq!(reponse.status(), StatusCode::OK);
    let mut corps = reponse.into_body();
    let (mut morceaux, mut octets) = (0, Vec::new());
    while let Some(trame) = corps.frame().await {
        if let Ok(donnees) = trame.unwrap().into_data() {
            morceaux += 1;
            octets.extend_from_slice(&donnees);
        }
    }
    assert!(morceaux > 5, "{morceaux} morceau(x) seulement");
    let csv = Csv::lire(&Reply {
        status: StatusCode::OK,
        headers: [(
            axum::http::header::CONTENT_TYPE,
            "text/csv; charset=utf-8".parse().unwrap(),
        )]
        .into_iter()
        .collect(),
        body: octets.into(),
    });
    assert_eq!(csv.valeur_entete("Total"), "5000");
    assert_eq!(csv.lignes.len(), 5000);
    assert_eq!(csv.lignes[0][0], "Entité 000001");
    assert_eq!(csv.lignes[4999][0], "Entité 005000");
    assert!(tout_est_rendu(&app).await);

    // Leave after the first rows: the reading stops and its connection is back at once.
    for chemin in ["/export/registre.csv", "/export/registre.xlsx"] {
        if chemin.ends_with(".csv") {
            let reponse = router.clone().oneshot(requete(chemin)).await;
            let mut corps = reponse.unwrap().into_body();
            for _ in 0..2 {
                corps.frame().await.unwrap().unwrap();
            }
            drop(corps);
        } else {
            // The workbook is written before the answer: leave while it is.
            let _ = tokio::time::timeout(
                Duration::from_millis(10),
                router.clone().oneshot(requete(chemin)),
            )
            .await;
        }
        assert!(
            tout_est_rendu(&app).await,
            "{chemin} : la lecture continue après le départ du client"
        );
    }
}

fn requete_de(chemin: &str, client: [u8; 4]) -> Request<Body> {
    let mut requete = Request::get(chemin).body(Body::empty()).unwrap();
    requete
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 40000))));
    requete
}

#[tokio::test]
async fn les_lecteurs_lents_ne_tiennent_ni_les_places_ni_le_pool() {
    let app = TestApp::with_config(|c| {
        c.http.export_max_concurrent = 1;
        c.http.export_max_per_client = 1;
    })
    .await;
    inserer_en_masse(&app, 3000).await;
    let router = registre_dcp::http::router(
        app.state.clone(),
        registre_dcp::graphql::build(app.state.clone()),
    );
    // Four clients that take the first bytes of their export, then read no more...
    let mut lents = Vec::new();
    for client in 1..=4u8 {
        let reponse = router
            .clone()
            .oneshot(requete_de("/export/registre.csv", [198, 51, 100, client]))
            .await
            .unwrap();
        assert_eq!(reponse.status(), StatusCode::OK, "client {client}");
        let mut corps = reponse.into_body();
        corps.frame().await.unwrap().unwrap();
        lents.push(corps);
    }
    // ...hold no database transaction and no reading slot: the file was written first.
    assert!(tout_est_rendu(&app).await);
    let autre = exporter(&app, "xlsx", "").await;
    assert_eq!(autre.status, StatusCode::OK, "{}", autre.text());
    // One client's share: its second export waits for its first to be downloaded.
    let second = router
        .clone()
        .oneshot(requete_de("/export/registre.csv", [198, 51, 100, 1]))
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.headers()["retry-after"], "30");
    let corps = axum::body::to_bytes(second.into_body(), usize::MAX)
        .await
        .unwrap();
    let corps: serde_json::Value = serde_json::from_slice(&corps).unwrap();
    assert_eq!(corps["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    let mut premier = lents.remove(0);
    while let Some(trame) = premier.frame().await {
        trame.unwrap();
    }
    drop(premier);
    let encore = router
        .clone()
        .oneshot(requete_de("/export/registre.csv", [198, 51, 100, 1]))
        .await
        .unwrap();
    assert_eq!(encore.status(), StatusCode::OK);
    // Readings at once stay bounded (here the only slot is taken): told when to come back,
    // while other requests go on.
    let _lecture = app
        .state
        .exports_en_cours
        .clone()
        .try_acquire_owned()
        .unwrap();
    let refuse = exporter(&app, "csv", "").await;
    assert_eq!(
        refuse.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refuse.text()
    );
    assert_eq!(refuse.headers["retry-after"], "30");
    assert_eq!(
        refuse.json()["errors"][0]["extensions"]["code"],
        "UNAVAILABLE"
    );
    let r = app
        .graphql("{ statistiquesPubliques { recensees } }", json!({}), None)
        .await;
    assert_eq!(r["data"]["statistiquesPubliques"]["recensees"], 3000, "{r}");
}

/// The resident memory's peak so far (`VmHWM`), in KiB.
fn pic_memoire_kio() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Run alone (`--ignored --test-threads=1`): 200 000 rows exported in both formats, and the
/// process's memory peak barely moves while the outputs weigh tens of MB.
#[tokio::test]
#[ignore = "lent ; mesure la mémoire du processus, à lancer seul"]
async fn un_export_de_200_000_lignes_garde_la_memoire_bornee() {
    let app = TestApp::new().await;
    inserer_en_masse(&app, 200_000).await;
    let router = registre_dcp::http::router(
        app.state.clone(),
        registre_dcp::graphql::build(app.state.clone()),
    );
    for chemin in ["/export/registre.csv", "/export/registre.xlsx"] {
        let avant = pic_memoire_kio();
        let reponse = router.clone().oneshot(requete(chemin)).await.unwrap();
        assert_eq!(reponse.status(), StatusCode::OK);
        let mut corps = reponse.into_body();
        let mut taille = 0;
        while let Some(trame) = corps.frame().await {
            if let Ok(donnees) = trame.unwrap().into_data() {
                taille += donnees.len();
            }
        }
        let hausse = pic_memoire_kio().saturating_sub(avant);
        eprintln!("{chemin} : {taille} octets, pic mémoire +{hausse} Kio");
        assert!(taille > 5_000_000, "{chemin} : {taille} octets");
        assert!(hausse < 32 * 1024, "{chemin} : pic mémoire +{hausse} Kio");
    }
}
