//! `GET /export/registre.csv` and `GET /export/registre.xlsx`: the public register (the
//! projection `registre_public`) with the public list's filters (`secteur`, `region`, `ville`,
//! `recherche`), for anyone, without an account.
//!
//! The export is the whole filtered list by design: no row limit. What keeps it bounded is
//! memory, not size: a task owning one pooled connection reads the rows as a stream
//! (`registre_public::flux`) in one read-only repeatable-read transaction (the total in the
//! header and the rows are of the same snapshot), and hands them on in batches through a
//! bounded channel to a writer that writes the file (CSV, or XLSX in `rust_xlsxwriter`'s
//! constant-memory mode on a blocking thread) into a temporary file, which is then streamed.
//! The connection and the transaction are thus held for as long as the database takes to
//! read, never for as long as a slow client takes to download. A client that leaves while
//! the file is written closes the channel: the transaction is rolled back and the connection
//! goes back to the pool. `DUREE_MAX` bounds the reading as a whole. (A sheet holds at most
//! 1 048 576 rows: past that the XLSX export fails with a 500, the CSV one does not.)
//!
//! Exports reading at once are bounded (`EXPORT_MAX_CONCURRENT`, `503` beyond), and so are
//! one client's exports, from their start to the end of their download
//! (`EXPORT_MAX_PER_CLIENT`, `429` beyond): a few slow readers hold neither the reading slots
//! nor database transactions, and one client cannot hold the slots of everyone.
//!
//! The CSV is separated by semicolons, as French-language Excel expects, and starts with a
//! UTF-8 BOM so that Excel reads the accents; a text cell that a spreadsheet would take for a
//! formula is prefixed with an apostrophe.

use std::io::{self, Seek};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use diesel_async::RunQueryDsl;
use futures_util::{StreamExt, TryStreamExt};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};
use tokio_util::io::ReaderStream;

use crate::db::DbManager;
use crate::error::Code;
use crate::http::graphql::forwarded_client;
use crate::models::registre_public::{self, FiltrePublic, LignePublique};
use crate::places::Place;
use crate::state::AppState;

use filtre::{filtres_en_mots, lire_filtre};
use format::{EchecClasseur, ecrire_classeur, ecrire_csv};

/// Longest `ville` or `recherche`, in characters.
pub const TEXTE_MAX: usize = 100;
/// Rows per batch handed from the reading task to the writer.
const LIGNES_PAR_LOT: usize = 500;
/// Batches waiting in the channel: with the one being written, what an export holds in memory.
const LOTS_EN_ATTENTE: usize = 2;
/// A writer that takes no batch for this long is taken for gone.
const DELAI_CLIENT: Duration = Duration::from_secs(30);
/// The reading's `statement_timeout`: the pool's is for short queries, and a streamed query
/// of the whole register lasts longer.
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

/// The filter read from the query string, the client's export place and the reading started
/// with its header: what both formats begin with, or the answer refusing the export.
async fn commencer(
    state: &AppState,
    client: Option<IpAddr>,
    query: Option<&str>,
) -> Result<(Entete, Lots, Option<Place<IpAddr>>), Response> {
    let filtre = lire_filtre(query.unwrap_or("")).map_err(|refus| refus.reponse())?;
    // A client's share of the exports: a few at a time, for as long as each is downloaded.
    let place = match client {
        Some(client) => Some(
            state
                .exports_par_client
                .prendre(client)
                .ok_or_else(|| trop_d_exports_du_client(state.exports_par_client.max()))?,
        ),
        None => None,
    };
    let genere_le = state.clock.now();
    let (total, lots) = ouvrir_lecture(state, filtre.clone()).await?;
    Ok((
        Entete {
            genere_le,
            total,
            filtre,
        },
        lots,
        place,
    ))
}

/// The client's address, as `http::graphql` reads it.
fn client(
    state: &AppState,
    pair: Option<Extension<ConnectInfo<SocketAddr>>>,
    entetes: &HeaderMap,
) -> Option<IpAddr> {
    pair.map(|Extension(ConnectInfo(pair))| {
        forwarded_client(pair.ip(), entetes, &state.config.http.trusted_proxies)
    })
}

/// The file as the body, holding the client's export place until it is sent (or the client
/// leaves).
fn corps_fichier(fichier: tokio::fs::File, place: Option<Place<IpAddr>>) -> Body {
    Body::from_stream(
        ReaderStream::with_capacity(fichier, 64 * 1024).map(move |morceau| {
            let _tenue = &place;
            morceau
        }),
    )
}

pub async fn csv(
    State(state): State<AppState>,
    pair: Option<Extension<ConnectInfo<SocketAddr>>>,
    entetes: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let client = client(&state, pair, &entetes);
    let (entete, lots, place) = match commencer(&state, client, query.as_deref()).await {
        Ok(commencee) => commencee,
        Err(reponse) => return reponse,
    };
    let genere_le = entete.genere_le;
    let (fichier, taille) = match ecrire_csv(&entete, lots).await {
        Ok(fichier) => fichier,
        Err(e) => {
            tracing::error!(error = %e, "export CSV du registre public interrompu");
            return erreur_interne();
        }
    };
    let entetes_http = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (header::CONTENT_DISPOSITION, piece_jointe(genere_le, "csv")),
        (header::CONTENT_LENGTH, HeaderValue::from(taille)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (StatusCode::OK, entetes_http, corps_fichier(fichier, place)).into_response()
}

pub async fn xlsx(
    State(state): State<AppState>,
    pair: Option<Extension<ConnectInfo<SocketAddr>>>,
    entetes: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let client = client(&state, pair, &entetes);
    let (entete, lots, place) = match commencer(&state, client, query.as_deref()).await {
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
    let corps = corps_fichier(tokio::fs::File::from_std(fichier), place);
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

fn trop_d_exports_du_client(max: usize) -> Response {
    let mut reponse = reponse_json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({ "errors": [{
            "message": format!(
                "Au plus {max} exports à la fois par client (EXPORT_MAX_PER_CLIENT) : \
                 attendez la fin des précédents."
            ),
            "extensions": { "code": Code::RateLimited.as_str() },
        }] }),
    );
    reponse
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    reponse
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

mod filtre;
mod format;
mod libelles;

pub use libelles::{libelle_formalite, libelle_region, libelle_secteur, libelle_statut};
