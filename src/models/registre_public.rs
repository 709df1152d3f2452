//! `registre_public` and `grappes_carte`: the public register's projection (the entities
//! conformes and published, only their public columns) and the map's clusters per zoom, both
//! kept by the SQL functions of the migration `registre_public` (`registre_public_rafraichir`
//! at every change of publication, `registre_public_reconstruire` after a bulk load).

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::stream::{BoxStream, StreamExt};
use postgis_diesel::types::Point;
use serde::Deserialize;
use uuid::Uuid;

use crate::models::entites_base::{OrdreFrancais, motif_contenant};
use crate::models::enums::{Region, SecteurActivite, StatutConformite, TypeFormalite};
use crate::schema::registre_public::{self, dsl as rp};
use crate::schema::{entites_base, entites_conformite, grappes_carte};

/// One entity as the public sees it.
#[derive(Queryable, QueryableByName, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = registre_public, check_for_backend(Pg))]
pub struct LignePublique {
    pub entite_id: Uuid,
    pub denomination: String,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub secteur_activite: SecteurActivite,
    pub region: Region,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub adresse: Option<String>,
    /// x = longitude, y = latitude (SRID 4326).
    pub geolocation: Option<Point>,
    /// `[{"finalite", "pourcentage"}]`, the largest share first.
    pub finalites: serde_json::Value,
    pub finalite_principale: Option<String>,
    /// Whether the entity has an active correspondant (CPD).
    pub a_correspondant: bool,
    pub type_formalite: Option<TypeFormalite>,
    /// The authorisation number, else the receipt's.
    pub numero: Option<String>,
    pub statut_conformite: StatutConformite,
    pub date_publication: Option<DateTime<Utc>>,
}

/// A purpose and its share, as stored in `finalites`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FinalitePublique {
    pub finalite: String,
    pub pourcentage: i32,
}

impl LignePublique {
    /// The purposes, the largest share first.
    pub fn finalites(&self) -> Vec<FinalitePublique> {
        serde_json::from_value(self.finalites.clone()).unwrap_or_default()
    }

    /// (latitude, longitude), when the entity is located.
    pub fn coordonnees(&self) -> Option<(f64, f64)> {
        self.geolocation.map(|p| (p.y, p.x))
    }
}

/// The public list's filters; each has its index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FiltrePublic {
    pub secteur: Option<SecteurActivite>,
    pub region: Option<Region>,
    /// The city, case aside.
    pub ville: Option<String>,
    /// Text of the denomination, typos tolerated: it contains the text (case aside), or a
    /// word of it is similar to the text (pg_trgm's word similarity).
    pub recherche: Option<String>,
}

type Filtree = registre_public::BoxedQuery<'static, Pg>;

fn filtree(filtre: &FiltrePublic) -> Filtree {
    let mut query = registre_public::table.into_boxed();
    if let Some(secteur) = filtre.secteur {
        query = query.filter(rp::secteur_activite.eq(secteur));
    }
    if let Some(region) = filtre.region {
        query = query.filter(rp::region.eq(region));
    }
    if let Some(ville) = &filtre.ville {
        query = query.filter(
            sql::<Bool>("lower(ville) = lower(")
                .bind::<Text, _>(ville.clone())
                .sql(")"),
        );
    }
    if let Some(texte) = &filtre.recherche {
        query = query.filter(
            rp::denomination
                .ilike(motif_contenant(texte))
                .or(sql::<Bool>("(")
                    .bind::<Text, _>(texte.clone())
                    .sql(" <% denomination)")),
        );
    }
    query
}

/// A position in the public list's order (French alphabetical, then id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub denomination: String,
    pub id: Uuid,
}

/// A page of the public list after `apres`, up to `limite` rows.
pub async fn page(
    conn: &mut AsyncPgConnection,
    filtre: &FiltrePublic,
    apres: Option<&Position>,
    limite: i64,
) -> QueryResult<Vec<LignePublique>> {
    let mut query = filtree(filtre)
        .order((OrdreFrancais(rp::denomination).asc(), rp::entite_id.asc()))
        .select(LignePublique::as_select());
    if let Some(p) = apres {
        // `>=` first: a bound the index can seek to; the rest only settles the ties.
        query = query.filter(
            OrdreFrancais(rp::denomination)
                .ge(p.denomination.clone())
                .and(
                    OrdreFrancais(rp::denomination)
                        .gt(p.denomination.clone())
                        .or(rp::entite_id.gt(p.id)),
                ),
        );
    }
    query.limit(limite).load(conn).await
}

/// How many entities the public list holds with `filtre`.
pub async fn count(conn: &mut AsyncPgConnection, filtre: &FiltrePublic) -> QueryResult<i64> {
    filtree(filtre).count().get_result(conn).await
}

/// Every row of the public list with `filtre`, in its order, read as the consumer goes
/// (never all in memory): for the exports.
pub async fn flux<'a>(
    conn: &'a mut AsyncPgConnection,
    filtre: &FiltrePublic,
) -> QueryResult<BoxStream<'a, QueryResult<LignePublique>>> {
    let query = filtree(filtre)
        .order((OrdreFrancais(rp::denomination).asc(), rp::entite_id.asc()))
        .select(LignePublique::as_select());
    Ok(query.load_stream::<LignePublique>(conn).await?.boxed())
}

/// The public entity `id`, if it is public.
pub async fn par_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<LignePublique>> {
    registre_public::table
        .find(id)
        .select(LignePublique::as_select())
        .first(conn)
        .await
        .optional()
}

/// The public entity holding this receipt or authorisation number.
pub async fn par_numero(
    conn: &mut AsyncPgConnection,
    numero: &str,
) -> QueryResult<Option<LignePublique>> {
    registre_public::table
        .filter(rp::numero.eq(numero))
        .select(LignePublique::as_select())
        .first(conn)
        .await
        .optional()
}

/// A bounding box in degrees (WGS 84): west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cadre {
    pub ouest: f64,
    pub sud: f64,
    pub est: f64,
    pub nord: f64,
}

/// `geolocation && box`: served by the GiST index.
fn dans(
    cadre: Cadre,
) -> diesel::expression::SqlLiteral<Bool, impl diesel::query_builder::QueryFragment<Pg> + Send> {
    sql::<Bool>("geolocation && ST_MakeEnvelope(")
        .bind::<Double, _>(cadre.ouest)
        .sql(", ")
        .bind::<Double, _>(cadre.sud)
        .sql(", ")
        .bind::<Double, _>(cadre.est)
        .sql(", ")
        .bind::<Double, _>(cadre.nord)
        .sql(", 4326)::geography")
}

/// How many public entities are located inside `cadre`, counting at most `plafond + 1`.
pub async fn nombre_dans(
    conn: &mut AsyncPgConnection,
    cadre: Cadre,
    plafond: i64,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Nombre {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    // Counted in the database: no row travels, and the scan stops at `plafond + 1`.
    diesel::sql_query(
        "SELECT count(*) AS n FROM (
             SELECT 1 FROM registre_public
              WHERE geolocation && ST_MakeEnvelope($1, $2, $3, $4, 4326)::geography
              LIMIT $5
         ) dans_le_cadre",
    )
    .bind::<Double, _>(cadre.ouest)
    .bind::<Double, _>(cadre.sud)
    .bind::<Double, _>(cadre.est)
    .bind::<Double, _>(cadre.nord)
    .bind::<diesel::sql_types::BigInt, _>(plafond + 1)
    .get_result::<Nombre>(conn)
    .await
    .map(|nombre| nombre.n)
}

/// The public entities located inside `cadre`, up to `limite`, in a stable order.
pub async fn points_dans(
    conn: &mut AsyncPgConnection,
    cadre: Cadre,
    limite: i64,
) -> QueryResult<Vec<LignePublique>> {
    registre_public::table
        .filter(dans(cadre))
        .order(rp::entite_id)
        .select(LignePublique::as_select())
        .limit(limite)
        .load(conn)
        .await
}

/// A cluster of the map: how many entities, and their mean position.
#[derive(Queryable, Debug, Clone, Copy, PartialEq)]
pub struct Grappe {
    pub nombre: i32,
    pub somme_longitude: f64,
    pub somme_latitude: f64,
}

/// The side of a cluster's cell at `zoom`, in degrees (a quarter of a map tile).
pub fn taille_cellule(zoom: i16) -> f64 {
    360.0 / 2f64.powi(i32::from(zoom)) / 4.0
}

/// The clusters of `zoom` whose cell lies in `cadre` (cells on its edge included).
pub async fn grappes(
    conn: &mut AsyncPgConnection,
    zoom: i16,
    cadre: Cadre,
) -> QueryResult<Vec<Grappe>> {
    use crate::schema::grappes_carte::dsl as g;
    let taille = taille_cellule(zoom);
    let cellule = |degres: f64, origine: f64| ((degres + origine) / taille).floor() as i32;
    grappes_carte::table
        .filter(g::zoom.eq(zoom))
        .filter(g::x.between(cellule(cadre.ouest, 180.0), cellule(cadre.est, 180.0)))
        .filter(g::y.between(cellule(cadre.sud, 90.0), cellule(cadre.nord, 90.0)))
        .select((g::nombre, g::somme_longitude, g::somme_latitude))
        .load(conn)
        .await
}

/// A public entity near a point, with its distance.
#[derive(QueryableByName, Debug, Clone, PartialEq)]
pub struct Proche {
    #[diesel(embed)]
    pub ligne: LignePublique,
    /// Metres, on the spheroid (`ST_Distance` on geography).
    #[diesel(sql_type = Double)]
    pub distance_m: f64,
}

/// The public entities within `rayon_m` metres of (latitude, longitude), nearest first, with
/// their distance in metres; up to `limite`. The GiST index serves the order (`<->`, a
/// k-nearest-neighbour scan), which stops after `limite` rows.
pub async fn proches(
    conn: &mut AsyncPgConnection,
    latitude: f64,
    longitude: f64,
    rayon_m: f64,
    limite: i64,
) -> QueryResult<Vec<Proche>> {
    const POINT: &str = "ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography";
    // The nearest `limite` within the radius are the nearest `limite` of all, less those
    // beyond it: the inner query walks the GiST index in distance order (KNN `<->`) and
    // stops after `limite` rows, however many entities lie within the radius (a radius
    // filter there makes the planner read them all, then sort).
    diesel::sql_query(format!(
        "SELECT * FROM (
             SELECT registre_public.*, ST_Distance(geolocation, {POINT}) AS distance_m
               FROM registre_public
              ORDER BY geolocation <-> {POINT}
              LIMIT $4
         ) proches
          WHERE distance_m <= $3
          ORDER BY distance_m, entite_id"
    ))
    .bind::<Double, _>(longitude)
    .bind::<Double, _>(latitude)
    .bind::<Double, _>(rayon_m)
    .bind::<diesel::sql_types::BigInt, _>(limite)
    .load(conn)
    .await
}

/// Refreshes the public row of `entite_id` and the map's clusters (in the caller's
/// transaction): after any change of publication.
pub async fn rafraichir(conn: &mut AsyncPgConnection, entite_id: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT registre_public_rafraichir($1)")
        .bind::<diesel::sql_types::Uuid, _>(entite_id)
        .execute(conn)
        .await
        .map(drop)
}

/// Rebuilds the whole projection and every cluster (after a bulk load).
pub async fn reconstruire(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT registre_public_reconstruire()")
        .execute(conn)
        .await
        .map(drop)
}

/// Counts over every entity of the registry (not only the public ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statistiques {
    pub total: i64,
    pub par_statut_conformite: Vec<(StatutConformite, i64)>,
    pub par_secteur: Vec<(SecteurActivite, i64)>,
    pub par_region: Vec<(Region, i64)>,
}

/// The registry's counts, one grouped statement each.
pub async fn statistiques(conn: &mut AsyncPgConnection) -> QueryResult<Statistiques> {
    use crate::schema::entites_base::dsl as b;
    use crate::schema::entites_conformite::dsl as c;
    let par_statut_conformite: Vec<(StatutConformite, i64)> = entites_conformite::table
        .group_by(c::statut_conformite)
        .select((c::statut_conformite, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let par_secteur: Vec<(SecteurActivite, i64)> = entites_base::table
        .group_by(b::secteur_activite)
        .select((b::secteur_activite, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let par_region: Vec<(Region, i64)> = entites_base::table
        .group_by(b::region)
        .select((b::region, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let total = par_secteur.iter().map(|(_, n)| n).sum();
    Ok(Statistiques {
        total,
        par_statut_conformite,
        par_secteur,
        par_region,
    })
}
