//! `GET /export/registre.csv` and `GET /export/registre.xlsx`: the public register (the
//! projection `registre_public`) with the public list's filters (`secteur`, `region`, `ville`,
//! `recherche`), for anyone, without an account.
//!
//! The export is the whole filtered list by design: no row limit. What keeps it bounded is
//! memory, not size: a task owning one pooled connection reads the rows as a stream
//! (`registre_public::flux`) in one read-only repeatable-read transaction (the total in the
//! header and the rows are of the same snapshot), and hands them on in batches through a
//! bounded channel. For the CSV the HTTP body is that channel, so the client's speed paces the
//! query; for the XLSX a blocking thread writes them in `rust_xlsxwriter`'s constant-memory
//! mode to a temporary file, which is then streamed. A client that leaves (or stalls for
//! `DELAI_CLIENT`) closes the channel: the transaction is rolled back and the connection goes
//! back to the pool. `DUREE_MAX` bounds the reading as a whole. (A sheet holds at most
//! 1 048 576 rows: past that the XLSX export fails with a 500, the CSV one does not.)
//!
//! The CSV is separated by semicolons, as French-language Excel expects, and starts with a
//! UTF-8 BOM so that Excel reads the accents; a text cell that a spreadsheet would take for a
//! formula is prefixed with an apostrophe.

use std::io::{self, Seek};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use diesel_async::RunQueryDsl;
use futures_util::{StreamExt, TryStreamExt, stream};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};
use tokio_util::io::ReaderStream;

use crate::db::DbManager;
use crate::error::Code;
use crate::models::enums::{Region, SecteurActivite, StatutConformite, TypeFormalite};
use crate::models::registre_public::{self, FiltrePublic, LignePublique};
use crate::state::AppState;

/// Longest `ville` or `recherche`, in characters.
pub const TEXTE_MAX: usize = 100;
/// Rows per batch handed from the reading task to the writer.
const LIGNES_PAR_LOT: usize = 500;
/// Batches waiting in the channel: with the one being written, what an export holds in memory.
const LOTS_EN_ATTENTE: usize = 2;
/// A client that takes no batch for this long is taken for gone.
const DELAI_CLIENT: Duration = Duration::from_secs(30);
/// The reading's `statement_timeout`: the pool's is for short queries, and a streamed query
/// lasts as long as the client takes to download.
const DUREE_MAX: Duration = Duration::from_secs(15 * 60);

const TITRE: &str = "Registre public des traitements de données à caractère personnel (ARTCI)";

/// The table's columns, in order.
pub const COLONNES: [&str; 13] = [
    "Entité",
    "Forme juridique",
    "Secteur",
    "Adresse",
    "Ville",
    "Région",
    "Latitude",
    "Longitude",
    "Finalité principale",
    "CPD",
    "Autorisation ARTCI",
    "Formalité",
    "Statut",
];

/// The filter read from the query string, the reading started and its header: what both
/// formats begin with, or the answer refusing the export.
async fn commencer(state: &AppState, query: Option<&str>) -> Result<(Entete, Lots), Response> {
    let filtre = lire_filtre(query.unwrap_or("")).map_err(|refus| refus.reponse())?;
    let genere_le = state.clock.now();
    let (total, lots) = ouvrir_lecture(state, filtre.clone()).await?;
    Ok((
        Entete {
            genere_le,
            total,
            filtre,
        },
        lots,
    ))
}

pub async fn csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (entete, lots) = match commencer(&state, query.as_deref()).await {
        Ok(commencee) => commencee,
        Err(reponse) => return reponse,
    };
    let genere_le = entete.genere_le;
    let corps = stream::once(async move { entete_csv(&entete) }).chain(lots_csv(lots));
    let entetes_http = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (header::CONTENT_DISPOSITION, piece_jointe(genere_le, "csv")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (StatusCode::OK, entetes_http, Body::from_stream(corps)).into_response()
}

pub async fn xlsx(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (entete, lots) = match commencer(&state, query.as_deref()).await {
        Ok(commencee) => commencee,
        Err(reponse) => return reponse,
    };
    let genere_le = entete.genere_le;
    // The writer gives up as soon as this handler is dropped (the client left): it watches
    // whether anyone still waits for its result.
    let (resultat, attente) = oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let classeur = ecrire_classeur(&entete, lots, &resultat);
        if let Err(e) = &classeur
            && !matches!(e, EchecClasseur::ClientParti)
        {
            tracing::error!(error = %e, "export XLSX du registre public interrompu");
        }
        let _ = resultat.send(classeur);
    });
    let (fichier, taille) = match attente.await {
        Ok(Ok(fichier)) => fichier,
        _ => return erreur_interne(),
    };
    let corps = Body::from_stream(ReaderStream::with_capacity(
        tokio::fs::File::from_std(fichier),
        64 * 1024,
    ));
    let entetes_http = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ),
        (header::CONTENT_DISPOSITION, piece_jointe(genere_le, "xlsx")),
        (header::CONTENT_LENGTH, HeaderValue::from(taille)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (StatusCode::OK, entetes_http, corps).into_response()
}

/// What the header block says.
struct Entete {
    genere_le: DateTime<Utc>,
    total: i64,
    filtre: FiltrePublic,
}

impl Entete {
    fn date(&self) -> String {
        self.genere_le.format("%d/%m/%Y %H:%M UTC").to_string()
    }
}

fn piece_jointe(genere_le: DateTime<Utc>, extension: &str) -> HeaderValue {
    let nom = format!(
        "attachment; filename=\"registre-public-{}.{extension}\"",
        genere_le.format("%Y-%m-%d")
    );
    HeaderValue::from_str(&nom).unwrap_or(HeaderValue::from_static("attachment"))
}

// ---------------------------------------------------------------------------------------
// The query string.

/// A refused parameter: `400`, in the GraphQL error shape, naming it.
#[derive(Debug)]
struct Refus {
    champ: &'static str,
    message: String,
}

impl Refus {
    fn reponse(&self) -> Response {
        let corps = json!({ "errors": [{
            "message": self.message,
            "extensions": { "code": Code::BadUserInput.as_str(), "field": self.champ },
        }] });
        reponse_json(StatusCode::BAD_REQUEST, &corps)
    }
}

fn reponse_json(status: StatusCode, corps: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        corps.to_string(),
    )
        .into_response()
}

fn indisponible() -> Response {
    reponse_json(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "errors": [{
            "message": "Le service est momentanément indisponible. Réessayez dans un instant.",
            "extensions": { "code": Code::Unavailable.as_str() },
        }] }),
    )
}

fn trop_d_exports() -> Response {
    let mut reponse = reponse_json(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "errors": [{
            "message": "Trop d'exports sont en cours. Réessayez dans un instant.",
            "extensions": { "code": Code::Unavailable.as_str() },
        }] }),
    );
    reponse
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    reponse
}

fn erreur_interne() -> Response {
    reponse_json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({ "errors": [{
            "message": "Une erreur interne est survenue.",
            "extensions": { "code": Code::Internal.as_str() },
        }] }),
    )
}

/// The filters of the query string. An empty parameter is no filter; unknown parameters are
/// ignored; a sector or region is its GraphQL name (`SANTE`) or its database label (`sante`).
fn lire_filtre(query: &str) -> Result<FiltrePublic, Refus> {
    let paires: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| Refus {
        champ: "query",
        message: "Paramètres d'URL illisibles.".into(),
    })?;
    let secteur = match parametre(&paires, "secteur")? {
        None => None,
        Some(v) => Some(
            SecteurActivite::from_label(&v.to_ascii_lowercase()).ok_or_else(|| Refus {
                champ: "secteur",
                message: "Secteur d'activité inconnu (par exemple SANTE ou BANQUE_FINANCE).".into(),
            })?,
        ),
    };
    let region = match parametre(&paires, "region")? {
        None => None,
        Some(v) => Some(
            Region::from_label(&v.to_ascii_lowercase()).ok_or_else(|| Refus {
                champ: "region",
                message: "Région inconnue (par exemple ABIDJAN ou GBEKE).".into(),
            })?,
        ),
    };
    Ok(FiltrePublic {
        secteur,
        region,
        ville: texte(&paires, "ville")?,
        recherche: texte(&paires, "recherche")?,
    })
}

/// The trimmed value of `nom`, if given and not empty; given twice is refused.
fn parametre<'a>(
    paires: &'a [(String, String)],
    nom: &'static str,
) -> Result<Option<&'a str>, Refus> {
    let mut valeurs = paires
        .iter()
        .filter(|(cle, _)| cle == nom)
        .map(|(_, valeur)| valeur.trim())
        .filter(|valeur| !valeur.is_empty());
    let valeur = valeurs.next();
    if valeurs.next().is_some() {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} est donné plusieurs fois."),
        });
    }
    Ok(valeur)
}

fn texte(paires: &[(String, String)], nom: &'static str) -> Result<Option<String>, Refus> {
    let Some(valeur) = parametre(paires, nom)? else {
        return Ok(None);
    };
    if valeur.chars().count() > TEXTE_MAX {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} fait au plus {TEXTE_MAX} caractères."),
        });
    }
    if valeur.chars().any(char::is_control) {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} contient des caractères de contrôle."),
        });
    }
    Ok(Some(valeur.to_owned()))
}

/// The filters in words, for the header block.
fn filtres_en_mots(filtre: &FiltrePublic) -> String {
    let mut mots = Vec::new();
    if let Some(secteur) = filtre.secteur {
        mots.push(format!("Secteur : {}", libelle_secteur(secteur)));
    }
    if let Some(region) = filtre.region {
        mots.push(format!("Région : {}", libelle_region(region)));
    }
    if let Some(ville) = &filtre.ville {
        mots.push(format!("Ville : {ville}"));
    }
    if let Some(recherche) = &filtre.recherche {
        mots.push(format!("Recherche : « {recherche} »"));
    }
    if mots.is_empty() {
        "aucun (tout le registre public)".to_owned()
    } else {
        mots.join(" ; ")
    }
}

// ---------------------------------------------------------------------------------------
// Reading: one task, one connection, one transaction.

type Connexion = bb8::PooledConnection<'static, DbManager>;

/// What the reading task hands on, in this order: the total, batches of rows, and `Fin` once
/// the transaction ended well. A channel that closes without `Fin` means a cut export.
enum Lot {
    Total(i64),
    Lignes(Vec<LignePublique>),
    Fin,
}

/// The reading failed (logged where it happened).
struct Echec;

type Lots = mpsc::Receiver<Result<Lot, Echec>>;

/// Why the reading stopped before its end.
enum Arret {
    Base(diesel::result::Error),
    ClientParti,
}

impl From<diesel::result::Error> for Arret {
    fn from(e: diesel::result::Error) -> Self {
        Arret::Base(e)
    }
}

/// Starts the reading of `filtre` and waits for its total, so that a database failure is
/// still an error status rather than a cut body.
async fn ouvrir_lecture(state: &AppState, filtre: FiltrePublic) -> Result<(i64, Lots), Response> {
    // Each export holds a connection while it reads: a few at a time, so that exports never
    // take the pool from the other requests.
    let permis = state
        .exports_en_cours
        .clone()
        .try_acquire_owned()
        .map_err(|_| trop_d_exports())?;
    let conn = state
        .pool_public
        .get_owned()
        .await
        .map_err(|_| indisponible())?;
    let (envoi, mut lots) = mpsc::channel(LOTS_EN_ATTENTE);
    tokio::spawn(async move {
        lire(conn, filtre, envoi).await;
        drop(permis);
    });
    match lots.recv().await {
        Some(Ok(Lot::Total(total))) => Ok((total, lots)),
        _ => Err(erreur_interne()),
    }
}

async fn lire(mut conn: Connexion, filtre: FiltrePublic, envoi: mpsc::Sender<Result<Lot, Echec>>) {
    let lecture = conn
        .build_transaction()
        .read_only()
        .repeatable_read()
        .run(async |conn| {
            diesel::sql_query(format!(
                "SET LOCAL statement_timeout = {}",
                DUREE_MAX.as_millis()
            ))
            .execute(conn)
            .await?;
            // Between its statements the reading waits for the client as long as
            // `DELAI_CLIENT`, which may exceed the pool's idle-in-transaction limit.
            diesel::sql_query(format!(
                "SET LOCAL idle_in_transaction_session_timeout = {}",
                (DELAI_CLIENT + Duration::from_secs(5)).as_millis()
            ))
            .execute(conn)
            .await?;
            let total = registre_public::count(conn, &filtre).await?;
            envoyer(&envoi, Lot::Total(total)).await?;
            let mut lignes = registre_public::flux(conn, &filtre).await?;
            let mut lot = Vec::with_capacity(LIGNES_PAR_LOT);
            while let Some(ligne) = lignes.try_next().await? {
                lot.push(ligne);
                if lot.len() == LIGNES_PAR_LOT {
                    let plein = std::mem::replace(&mut lot, Vec::with_capacity(LIGNES_PAR_LOT));
                    envoyer(&envoi, Lot::Lignes(plein)).await?;
                }
            }
            if !lot.is_empty() {
                envoyer(&envoi, Lot::Lignes(lot)).await?;
            }
            Ok::<(), Arret>(())
        })
        .await;
    match lecture {
        Ok(()) => {
            let _ = envoi.send(Ok(Lot::Fin)).await;
        }
        Err(Arret::ClientParti) => {}
        Err(Arret::Base(e)) => {
            tracing::error!(error = %e, "export du registre public : lecture interrompue");
            let _ = envoi.send(Err(Echec)).await;
        }
    }
}

async fn envoyer(envoi: &mpsc::Sender<Result<Lot, Echec>>, lot: Lot) -> Result<(), Arret> {
    match tokio::time::timeout(DELAI_CLIENT, envoi.send(Ok(lot))).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(Arret::ClientParti),
    }
}

// ---------------------------------------------------------------------------------------
// The rows as cells.

#[derive(Debug, Clone, PartialEq)]
enum Valeur {
    Texte(String),
    Nombre(f64),
    Vide,
}

fn texte_ou_vide(valeur: &Option<String>) -> Valeur {
    match valeur.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Valeur::Texte(v.to_owned()),
        _ => Valeur::Vide,
    }
}

/// One row's cells, in the order of `COLONNES`.
fn valeurs(ligne: &LignePublique) -> [Valeur; 13] {
    let entite = match ligne.sigle.as_deref().map(str::trim) {
        Some(sigle) if !sigle.is_empty() => format!("{} ({sigle})", ligne.denomination),
        _ => ligne.denomination.clone(),
    };
    let adresse: Vec<&str> = [&ligne.adresse, &ligne.commune]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim).filter(|v| !v.is_empty()))
        .collect();
    let (latitude, longitude) = match ligne.coordonnees() {
        Some((lat, lon)) => (Valeur::Nombre(lat), Valeur::Nombre(lon)),
        None => (Valeur::Vide, Valeur::Vide),
    };
    [
        Valeur::Texte(entite),
        texte_ou_vide(&ligne.forme_juridique),
        Valeur::Texte(libelle_secteur(ligne.secteur_activite).to_owned()),
        texte_ou_vide(&Some(adresse.join(", "))),
        texte_ou_vide(&ligne.ville),
        Valeur::Texte(libelle_region(ligne.region).to_owned()),
        latitude,
        longitude,
        texte_ou_vide(&ligne.finalite_principale),
        Valeur::Texte(if ligne.a_correspondant { "Oui" } else { "Non" }.to_owned()),
        texte_ou_vide(&ligne.numero),
        ligne.type_formalite.map_or(Valeur::Vide, |t| {
            Valeur::Texte(libelle_formalite(t).to_owned())
        }),
        Valeur::Texte(libelle_statut(ligne.statut_conformite).to_owned()),
    ]
}

// ---------------------------------------------------------------------------------------
// CSV.

const BOM: &[u8] = "\u{feff}".as_bytes();

fn ecrivain_csv() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new())
}

fn fin_csv(ecrivain: ::csv::Writer<Vec<u8>>) -> io::Result<Vec<u8>> {
    ecrivain.into_inner().map_err(|e| e.into_error())
}

/// The BOM, the header block, a blank line and the columns' row.
fn entete_csv(entete: &Entete) -> io::Result<Bytes> {
    let mut ecrivain = ecrivain_csv();
    ecrivain.write_record([TITRE])?;
    ecrivain.write_record(["Généré le", &entete.date()])?;
    ecrivain.write_record(["Total", &entete.total.to_string()])?;
    ecrivain.write_record(["Filtres", &filtres_en_mots(&entete.filtre)])?;
    let mut octets = BOM.to_vec();
    octets.extend(fin_csv(ecrivain)?);
    // By hand: the csv crate writes an empty record as `""`.
    octets.extend_from_slice(b"\r\n");
    let mut ecrivain = ecrivain_csv();
    ecrivain.write_record(COLONNES)?;
    octets.extend(fin_csv(ecrivain)?);
    Ok(Bytes::from(octets))
}

/// A text a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading apostrophe.
fn cellule_csv(valeur: &Valeur) -> String {
    match valeur {
        Valeur::Texte(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Valeur::Texte(t) => t.clone(),
        Valeur::Nombre(n) => n.to_string(),
        Valeur::Vide => String::new(),
    }
}

fn lignes_csv(lignes: &[LignePublique]) -> io::Result<Bytes> {
    let mut ecrivain = ecrivain_csv();
    for ligne in lignes {
        ecrivain.write_record(valeurs(ligne).iter().map(cellule_csv))?;
    }
    Ok(Bytes::from(fin_csv(ecrivain)?))
}

/// The batches as CSV; a reading that stops before `Fin` ends the body with an error, so
/// that the client sees a failed download rather than a shorter list.
fn lots_csv(lots: Lots) -> impl futures_util::Stream<Item = io::Result<Bytes>> + Send {
    stream::unfold(Some(lots), |etat| async move {
        let mut lots = etat?;
        match lots.recv().await {
            Some(Ok(Lot::Lignes(lignes))) => Some((lignes_csv(&lignes), Some(lots))),
            Some(Ok(Lot::Fin)) => None,
            Some(Ok(Lot::Total(_)) | Err(Echec)) | None => {
                Some((Err(io::Error::other("export interrompu")), None))
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// XLSX.

#[derive(Debug, thiserror::Error)]
enum EchecClasseur {
    #[error("le client est parti")]
    ClientParti,
    #[error("la lecture du registre a échoué")]
    Lecture,
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

type Classeur = Result<(std::fs::File, u64), EchecClasseur>;

/// Writes the workbook (on a blocking thread) into an anonymous temporary file, rewound, and
/// its size. Stops as soon as nobody waits for `resultat` any more.
fn ecrire_classeur(
    entete: &Entete,
    mut lots: Lots,
    resultat: &oneshot::Sender<Classeur>,
) -> Classeur {
    let mut classeur = Workbook::new();
    let feuille = classeur.add_worksheet_with_constant_memory()?;
    feuille.set_name("Registre public")?;
    for (colonne, largeur) in [40, 18, 24, 36, 18, 18, 11, 11, 36, 6, 20, 24, 14]
        .into_iter()
        .enumerate()
    {
        feuille.set_column_width(colonne as u16, largeur)?;
    }
    let gras = Format::new().set_bold();
    feuille.write_string_with_format(0, 0, TITRE, &gras)?;
    feuille.write_string(1, 0, "Généré le")?;
    feuille.write_string(1, 1, entete.date())?;
    feuille.write_string(2, 0, "Total")?;
    feuille.write_number(2, 1, entete.total as f64)?;
    feuille.write_string(3, 0, "Filtres")?;
    feuille.write_string(3, 1, filtres_en_mots(&entete.filtre))?;
    let rang_colonnes = 5;
    for (colonne, titre) in COLONNES.into_iter().enumerate() {
        feuille.write_string_with_format(rang_colonnes, colonne as u16, titre, &gras)?;
    }
    feuille.set_freeze_panes(rang_colonnes + 1, 0)?;
    let mut rang = rang_colonnes + 1;
    loop {
        if resultat.is_closed() {
            return Err(EchecClasseur::ClientParti);
        }
        match lots.blocking_recv() {
            Some(Ok(Lot::Lignes(lignes))) => {
                for ligne in &lignes {
                    for (colonne, valeur) in valeurs(ligne).into_iter().enumerate() {
                        let colonne = colonne as u16;
                        match valeur {
                            Valeur::Texte(t) => {
                                feuille.write_string(rang, colonne, t)?;
                            }
                            Valeur::Nombre(n) => {
                                feuille.write_number(rang, colonne, n)?;
                            }
                            Valeur::Vide => {}
                        }
                    }
                    rang += 1;
                }
            }
            Some(Ok(Lot::Fin)) => break,
            Some(Ok(Lot::Total(_)) | Err(Echec)) | None => return Err(EchecClasseur::Lecture),
        }
    }
    // The reading is over: its connection is back in the pool while the file is zipped.
    drop(lots);
    let mut fichier = tempfile::tempfile()?;
    classeur.save_to_writer(&mut fichier)?;
    fichier.rewind()?;
    let taille = fichier.metadata()?.len();
    Ok((fichier, taille))
}

// ---------------------------------------------------------------------------------------
// French labels of the public columns.

pub fn libelle_secteur(secteur: SecteurActivite) -> &'static str {
    use SecteurActivite::*;
    match secteur {
        Telecommunications => "Télécommunications",
        BanqueFinance => "Banque et finance",
        Assurance => "Assurance",
        Sante => "Santé",
        Education => "Éducation",
        CommerceDistribution => "Commerce et distribution",
        Industrie => "Industrie",
        TransportLogistique => "Transport et logistique",
        Energie => "Énergie",
        AdministrationPublique => "Administration publique",
        HotellerieRestauration => "Hôtellerie et restauration",
        Immobilier => "Immobilier",
        Agriculture => "Agriculture",
        Medias => "Médias",
        AssociationOng => "Association et ONG",
        Autre => "Autre",
    }
}

pub fn libelle_region(region: Region) -> &'static str {
    use Region::*;
    match region {
        Abidjan => "Abidjan",
        Yamoussoukro => "Yamoussoukro",
        AgnebyTiassa => "Agnéby-Tiassa",
        Bafing => "Bafing",
        Bagoue => "Bagoué",
        Belier => "Bélier",
        Bere => "Béré",
        Bounkani => "Bounkani",
        Cavally => "Cavally",
        Folon => "Folon",
        Gbeke => "Gbêkê",
        Gbokle => "Gbôklé",
        Goh => "Gôh",
        Gontougo => "Gontougo",
        GrandsPonts => "Grands-Ponts",
        Guemon => "Guémon",
        Hambol => "Hambol",
        HautSassandra => "Haut-Sassandra",
        Iffou => "Iffou",
        IndenieDjuablin => "Indénié-Djuablin",
        Kabadougou => "Kabadougou",
        LaMe => "La Mé",
        LohDjiboua => "Lôh-Djiboua",
        Marahoue => "Marahoué",
        Moronou => "Moronou",
        Nawa => "Nawa",
        NZi => "N'Zi",
        Poro => "Poro",
        SanPedro => "San-Pédro",
        SudComoe => "Sud-Comoé",
        Tchologo => "Tchologo",
        Tonkpi => "Tonkpi",
        Worodougou => "Worodougou",
    }
}

pub fn libelle_formalite(formalite: TypeFormalite) -> &'static str {
    match formalite {
        TypeFormalite::DeclarationPrealable => "Déclaration préalable",
        TypeFormalite::AutorisationPrealable => "Autorisation préalable",
        TypeFormalite::Dispense => "Dispense",
    }
}

pub fn libelle_statut(statut: StatutConformite) -> &'static str {
    match statut {
        StatutConformite::Conforme => "Conforme",
        StatutConformite::PartiellementConforme => "Partiellement conforme",
        StatutConformite::NonConforme => "Non conforme",
        StatutConformite::DemarcheAchevee => "Démarche achevée",
        StatutConformite::DemarcheEnCours => "Démarche en cours",
        StatutConformite::Rejete => "Rejeté",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_secteur_ou_une_region_se_donne_par_son_nom_graphql_ou_son_libelle() {
        let filtre = lire_filtre("secteur=BANQUE_FINANCE&region=n_zi&ville=+Bouak%C3%A9+").unwrap();
        assert_eq!(filtre.secteur, Some(SecteurActivite::BanqueFinance));
        assert_eq!(filtre.region, Some(Region::NZi));
        assert_eq!(filtre.ville.as_deref(), Some("Bouaké"));
        assert_eq!(filtre.recherche, None);
        assert_eq!(
            lire_filtre("secteur=&recherche=").unwrap(),
            FiltrePublic::default()
        );
        assert_eq!(
            lire_filtre("secteur=PATISSERIE").unwrap_err().champ,
            "secteur"
        );
        assert_eq!(lire_filtre("region=SANTE").unwrap_err().champ, "region");
        assert_eq!(lire_filtre("ville=a&ville=b").unwrap_err().champ, "ville");
        let long = "x".repeat(TEXTE_MAX + 1);
        assert_eq!(
            lire_filtre(&format!("recherche={long}")).unwrap_err().champ,
            "recherche"
        );
        assert!(lire_filtre(&format!("recherche={}", "é".repeat(TEXTE_MAX))).is_ok());
    }

    #[test]
    fn une_formule_reste_du_texte_dans_le_csv() {
        assert_eq!(
            cellule_csv(&Valeur::Texte("=HYPERLINK(\"x\")".into())),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(cellule_csv(&Valeur::Texte("Clinique".into())), "Clinique");
        assert_eq!(cellule_csv(&Valeur::Nombre(-4.0267)), "-4.0267");
    }

    #[test]
    fn les_filtres_se_disent_en_mots() {
        assert_eq!(
            filtres_en_mots(&FiltrePublic::default()),
            "aucun (tout le registre public)"
        );
        assert_eq!(
            filtres_en_mots(&FiltrePublic {
                secteur: Some(SecteurActivite::Sante),
                recherche: Some("Cliniqe".into()),
                ..FiltrePublic::default()
            }),
            "Secteur : Santé ; Recherche : « Cliniqe »"
        );
    }
}
