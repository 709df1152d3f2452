//! `rapports_activite`: the correspondant's annual activity reports, and
//! `rappels_rapport_activite`: which reminders an entity received for a year.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Date as SqlDate, Int4, Int8, Nullable, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::EntiteBase;
use crate::models::enums::StatutRapportActivite;
use crate::schema::{entites_base, rapports_activite, rapports_activite::dsl as r};

/// A report on year `annee`; per entity and year at most one `soumis` or `accepte`.
#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = rapports_activite, check_for_backend(diesel::pg::Pg))]
pub struct RapportActivite {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub annee: i32,
    pub document_id: Uuid,
    pub statut: StatutRapportActivite,
    pub depose_par_compte_id: Option<Uuid>,
    pub date_depot: DateTime<Utc>,
    pub date_examen: Option<DateTime<Utc>>,
    pub examine_par: Option<Uuid>,
    /// Required when sent back (`a_corriger`).
    pub commentaire: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The index that allows one waiting or accepted report per entity and year.
pub const INDEX_UN_SOUMIS_OU_ACCEPTE: &str = "uq_rapports_activite_un_soumis_ou_accepte";

/// The statuses that meet (or may meet) the year's obligation: filed and waiting, accepted.
pub const DEPOSES: [StatutRapportActivite; 2] = [
    StatutRapportActivite::Soumis,
    StatutRapportActivite::Accepte,
];

#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = rapports_activite)]
pub struct NouveauRapport {
    pub entite_id: Uuid,
    pub annee: i32,
    pub document_id: Uuid,
    pub depose_par_compte_id: Option<Uuid>,
    pub date_depot: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauRapport,
) -> QueryResult<RapportActivite> {
    diesel::insert_into(rapports_activite::table)
        .values(nouveau)
        .returning(RapportActivite::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<RapportActivite>> {
    rapports_activite::table
        .find(id)
        .select(RapportActivite::as_select())
        .first(conn)
        .await
        .optional()
}

/// The entity's waiting or accepted report on `annee`, if any.
pub async fn depose(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    annee: i32,
) -> QueryResult<Option<RapportActivite>> {
    rapports_activite::table
        .filter(r::entite_id.eq(entite_id))
        .filter(r::annee.eq(annee))
        .filter(r::statut.eq_any(DEPOSES))
        .select(RapportActivite::as_select())
        .first(conn)
        .await
        .optional()
}

/// ARTCI's review of a waiting report.
#[derive(AsChangeset, Debug, Clone)]
#[diesel(table_name = rapports_activite)]
pub struct Examen {
    pub statut: StatutRapportActivite,
    pub date_examen: DateTime<Utc>,
    pub examine_par: Uuid,
    pub commentaire: Option<String>,
}

/// Applies `examen` if the report still waits (`soumis`): of two reviews at once, the second
/// finds it reviewed and gets `None`.
pub async fn examiner(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    examen: &Examen,
) -> QueryResult<Option<RapportActivite>> {
    diesel::update(
        rapports_activite::table
            .find(id)
            .filter(r::statut.eq(StatutRapportActivite::Soumis)),
    )
    .set(examen)
    .returning(RapportActivite::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Whose reports a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Portee {
    /// One entity's.
    DeLEntite(Uuid),
    /// Those of the entities a company account owns.
    DuCompte(Uuid),
    /// Every entity's (staff).
    Toutes,
}

impl Portee {
    /// (entity, company account) to match, for the statements written in SQL.
    fn colonnes(self) -> (Option<Uuid>, Option<Uuid>) {
        match self {
            Self::DeLEntite(id) => (Some(id), None),
            Self::DuCompte(id) => (None, Some(id)),
            Self::Toutes => (None, None),
        }
    }
}

/// The reports of `portee` (of `annee` and `statut`, or all) with their entities, oldest
/// filing first, after the key `apres` (created_at, id), up to `limite`.
pub async fn page(
    conn: &mut AsyncPgConnection,
    portee: Portee,
    annee: Option<i32>,
    statut: Option<StatutRapportActivite>,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<(RapportActivite, EntiteBase)>> {
    let mut query = rapports_activite::table
        .inner_join(entites_base::table)
        .select((RapportActivite::as_select(), EntiteBase::as_select()))
        .into_boxed();
    match portee {
        Portee::DeLEntite(entite_id) => query = query.filter(r::entite_id.eq(entite_id)),
        Portee::DuCompte(compte_id) => {
            query = query.filter(entites_base::compte_entreprise_id.eq(compte_id));
        }
        Portee::Toutes => {}
    }
    if let Some(annee) = annee {
        query = query.filter(r::annee.eq(annee));
    }
    if let Some(statut) = statut {
        query = query.filter(r::statut.eq(statut));
    }
    if let Some((created_at, id)) = apres {
        query = query.filter(
            r::created_at
                .gt(created_at)
                .or(r::created_at.eq(created_at).and(r::id.gt(id))),
        );
    }
    query
        .order((r::created_at.asc(), r::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

pub async fn count(
    conn: &mut AsyncPgConnection,
    portee: Portee,
    annee: Option<i32>,
    statut: Option<StatutRapportActivite>,
) -> QueryResult<i64> {
    let mut query = rapports_activite::table
        .inner_join(entites_base::table)
        .into_boxed();
    match portee {
        Portee::DeLEntite(entite_id) => query = query.filter(r::entite_id.eq(entite_id)),
        Portee::DuCompte(compte_id) => {
            query = query.filter(entites_base::compte_entreprise_id.eq(compte_id));
        }
        Portee::Toutes => {}
    }
    if let Some(annee) = annee {
        query = query.filter(r::annee.eq(annee));
    }
    if let Some(statut) = statut {
        query = query.filter(r::statut.eq(statut));
    }
    query.count().get_result(conn).await
}

/// The entities bound to report on year `$1` (approved on the day of the query, and already
/// approved before 1 January of the next year, `$2`) that have no report waiting or accepted
/// for it. `w` is their `entites_workflow` row. An approval under amendment counts: the
/// approved version stays in force.
const ASSUJETTIES_SANS_RAPPORT: &str = "
    (w.statut IN ('valide', 'publie')
     OR EXISTS (SELECT 1 FROM modifications_dossier m
                WHERE m.entite_id = w.entite_id AND m.statut = 'ouverte'))
    AND ((w.date_validation AT TIME ZONE 'UTC')::date < $2
         OR EXISTS (SELECT 1 FROM versions_approuvees v
                    WHERE v.entite_id = w.entite_id AND v.date_emission < $2))
    AND NOT EXISTS (SELECT 1 FROM rapports_activite r
                    WHERE r.entite_id = w.entite_id AND r.annee = $1
                      AND r.statut IN ('soumis', 'accepte'))";

fn debut_annee_suivante(annee: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(annee + 1, 1, 1).unwrap_or(NaiveDate::MAX)
}

#[derive(QueryableByName)]
struct LigneEntite {
    #[diesel(sql_type = SqlUuid)]
    entite_id: Uuid,
}

#[derive(QueryableByName)]
struct Compte {
    #[diesel(sql_type = Int8)]
    n: i64,
}

/// The entities without a waiting or accepted report on `annee` (see
/// [`ASSUJETTIES_SANS_RAPPORT`]), of `portee`, in creation order after `apres` (the entity's
/// created_at and id), up to `limite`.
pub async fn page_sans_rapport(
    conn: &mut AsyncPgConnection,
    portee: Portee,
    annee: i32,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<EntiteBase>> {
    let (entite, compte) = portee.colonnes();
    let sql = format!(
        "SELECT e.id AS entite_id FROM entites_base e
         JOIN entites_workflow w ON w.entite_id = e.id
         WHERE {ASSUJETTIES_SANS_RAPPORT}
           AND ($3::uuid IS NULL OR e.compte_entreprise_id = $3)
           AND ($4::timestamptz IS NULL OR (e.created_at, e.id) > ($4, $5))
           AND ($7::uuid IS NULL OR e.id = $7)
         ORDER BY e.created_at, e.id
         LIMIT $6"
    );
    let (apres_t, apres_id) = apres.unzip();
    let ids: Vec<LigneEntite> = diesel::sql_query(sql)
        .bind::<Int4, _>(annee)
        .bind::<SqlDate, _>(debut_annee_suivante(annee))
        .bind::<Nullable<SqlUuid>, _>(compte)
        .bind::<Nullable<Timestamptz>, _>(apres_t)
        .bind::<Nullable<SqlUuid>, _>(apres_id)
        .bind::<Int8, _>(limite)
        .bind::<Nullable<SqlUuid>, _>(entite)
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = ids.into_iter().map(|l| l.entite_id).collect();
    let mut entites: Vec<EntiteBase> = entites_base::table
        .filter(entites_base::id.eq_any(&ids))
        .select(EntiteBase::as_select())
        .load(conn)
        .await?;
    entites.sort_by_key(|e| (e.created_at, e.id));
    Ok(entites)
}

/// How many entities [`page_sans_rapport`] lists, all pages together.
pub async fn count_sans_rapport(
    conn: &mut AsyncPgConnection,
    portee: Portee,
    annee: i32,
) -> QueryResult<i64> {
    let (entite, compte) = portee.colonnes();
    let sql = format!(
        "SELECT count(*) AS n FROM entites_base e
         JOIN entites_workflow w ON w.entite_id = e.id
         WHERE {ASSUJETTIES_SANS_RAPPORT}
           AND ($3::uuid IS NULL OR e.compte_entreprise_id = $3)
           AND ($4::uuid IS NULL OR e.id = $4)"
    );
    let ligne: Compte = diesel::sql_query(sql)
        .bind::<Int4, _>(annee)
        .bind::<SqlDate, _>(debut_annee_suivante(annee))
        .bind::<Nullable<SqlUuid>, _>(compte)
        .bind::<Nullable<SqlUuid>, _>(entite)
        .get_result(conn)
        .await?;
    Ok(ligne.n)
}

/// The mails of a year's campaign, each sent once per entity: two reminders before the
/// deadline, a late notice after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PalierRapport {
    PremierRappel,
    SecondRappel,
    AvisRetard,
}

impl PalierRapport {
    /// The marker columns this mail sets: its own and those of the earlier ones, never sent
    /// after it.
    fn colonnes(self) -> &'static [&'static str] {
        match self {
            Self::PremierRappel => &["premier_rappel_le"],
            Self::SecondRappel => &["premier_rappel_le", "second_rappel_le"],
            Self::AvisRetard => &["premier_rappel_le", "second_rappel_le", "avis_retard_le"],
        }
    }

    fn colonne(self) -> &'static str {
        self.colonnes().last().copied().unwrap_or("avis_retard_le")
    }
}

/// One entity bound to report on `annee`, without a report, not yet sent `palier`'s mail,
/// its workflow row locked until the end of the transaction; rows another transaction holds
/// are skipped (another replica is handling them).
pub async fn prochaine_a_rappeler(
    conn: &mut AsyncPgConnection,
    annee: i32,
    palier: PalierRapport,
) -> QueryResult<Option<Uuid>> {
    let sql = format!(
        "SELECT w.entite_id FROM entites_workflow w
         WHERE {ASSUJETTIES_SANS_RAPPORT}
           AND NOT EXISTS (SELECT 1 FROM rappels_rapport_activite x
                           WHERE x.entite_id = w.entite_id AND x.annee = $1
                             AND x.{} IS NOT NULL)
         ORDER BY w.entite_id
         LIMIT 1
         FOR UPDATE OF w SKIP LOCKED",
        palier.colonne()
    );
    let ligne: Option<LigneEntite> = diesel::sql_query(sql)
        .bind::<Int4, _>(annee)
        .bind::<SqlDate, _>(debut_annee_suivante(annee))
        .get_result(conn)
        .await
        .optional()?;
    Ok(ligne.map(|l| l.entite_id))
}

/// Notes that `palier`'s mail (and so the earlier ones) went to the entity for `annee`.
pub async fn noter_rappel(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    annee: i32,
    palier: PalierRapport,
    maintenant: DateTime<Utc>,
) -> QueryResult<()> {
    let colonnes = palier.colonnes();
    let mises_a_jour: Vec<String> = colonnes
        .iter()
        .map(|c| format!("{c} = coalesce(rappels_rapport_activite.{c}, $3)"))
        .collect();
    let sql = format!(
        "INSERT INTO rappels_rapport_activite (entite_id, annee, {}) VALUES ($1, $2, {})
         ON CONFLICT (entite_id, annee) DO UPDATE SET {}",
        colonnes.join(", "),
        vec!["$3"; colonnes.len()].join(", "),
        mises_a_jour.join(", ")
    );
    diesel::sql_query(sql)
        .bind::<SqlUuid, _>(entite_id)
        .bind::<Int4, _>(annee)
        .bind::<Timestamptz, _>(maintenant)
        .execute(conn)
        .await
        .map(drop)
}

/// The dashboard's follow-up counts, in one statement.
#[derive(QueryableByName, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComptesSuivi {
    /// Entities that filed at least one report on the campaign's year.
    #[diesel(sql_type = Int8)]
    pub rapports_recus: i64,
    /// Reports accepted on the campaign's year.
    #[diesel(sql_type = Int8)]
    pub rapports_acceptes: i64,
    /// Entities late with their report (0 before the deadline passed).
    #[diesel(sql_type = Int8)]
    pub rapports_en_retard: i64,
    /// Dossiers awaiting a decision past their deadline.
    #[diesel(sql_type = Int8)]
    pub delais_depasses: i64,
}

/// The counts of the campaign on `annee` (the late ones only when `deadline_passee`) and of
/// the dossiers awaiting a decision whose deadline is before `aujourd_hui`.
pub async fn compter_suivi(
    conn: &mut AsyncPgConnection,
    annee: i32,
    deadline_passee: bool,
    aujourd_hui: NaiveDate,
) -> QueryResult<ComptesSuivi> {
    let sql = format!(
        "SELECT
           (SELECT count(DISTINCT entite_id) FROM rapports_activite WHERE annee = $1)
               AS rapports_recus,
           (SELECT count(*) FROM rapports_activite WHERE annee = $1 AND statut = 'accepte')
               AS rapports_acceptes,
           CASE WHEN $3 THEN (SELECT count(*) FROM entites_workflow w
                              WHERE {ASSUJETTIES_SANS_RAPPORT})
                ELSE 0 END AS rapports_en_retard,
           (SELECT count(*) FROM entites_workflow
            WHERE statut IN ('soumis', 'en_verification', 'en_attente_complements')
              AND date_limite_decision < $4) AS delais_depasses"
    );
    diesel::sql_query(sql)
        .bind::<Int4, _>(annee)
        .bind::<SqlDate, _>(debut_annee_suivante(annee))
        .bind::<diesel::sql_types::Bool, _>(deadline_passee)
        .bind::<SqlDate, _>(aujourd_hui)
        .get_result(conn)
        .await
}
