//! `renouvellements`: renewal requests of an approval, and the expiry reminders.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::EntiteBase;
use crate::models::enums::StatutRenouvellement;
use crate::schema::{entites_base, renouvellements, renouvellements::dsl as r};

/// A renewal; at most one open (`en_attente` or `en_cours`) per entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = renouvellements, check_for_backend(diesel::pg::Pg))]
pub struct Renouvellement {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub date_demande: DateTime<Utc>,
    pub date_expiration_agrement: NaiveDate,
    /// Required once approved; after `date_expiration_agrement`.
    pub nouvelle_date_expiration: Option<NaiveDate>,
    pub motif: Option<String>,
    pub statut: StatutRenouvellement,
    pub traite_par: Option<Uuid>,
    pub date_traitement: Option<DateTime<Utc>>,
    /// Required when rejected.
    pub commentaire: Option<String>,
    pub rappel_3_mois_le: Option<DateTime<Utc>>,
    pub rappel_1_mois_le: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The name of the index that allows one open renewal per entity.
pub const INDEX_UN_OUVERT: &str = "uq_renouvellements_un_ouvert_par_entite";

/// The statuses of a renewal still waiting for ARTCI's decision.
pub const OUVERTS: [StatutRenouvellement; 2] = [
    StatutRenouvellement::EnAttente,
    StatutRenouvellement::EnCours,
];

/// A new renewal request.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = renouvellements)]
pub struct NouveauRenouvellement {
    pub entite_id: Uuid,
    pub date_demande: DateTime<Utc>,
    pub date_expiration_agrement: NaiveDate,
    pub motif: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauRenouvellement,
) -> QueryResult<Renouvellement> {
    diesel::insert_into(renouvellements::table)
        .values(nouveau)
        .returning(Renouvellement::as_returning())
        .get_result(conn)
        .await
}

/// The renewal, locked until the end of the transaction: two decisions on it queue, the
/// second sees the first.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<Renouvellement>> {
    renouvellements::table
        .find(id)
        .select(Renouvellement::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The entity's open renewal, if any.
pub async fn find_ouvert(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<Renouvellement>> {
    renouvellements::table
        .filter(r::entite_id.eq(entite_id))
        .filter(r::statut.eq_any(OUVERTS))
        .select(Renouvellement::as_select())
        .first(conn)
        .await
        .optional()
}

/// ARTCI's decision on a renewal.
#[derive(AsChangeset, Debug, Clone)]
#[diesel(table_name = renouvellements)]
pub struct Decision {
    pub statut: StatutRenouvellement,
    pub nouvelle_date_expiration: Option<NaiveDate>,
    pub traite_par: Option<Uuid>,
    pub date_traitement: DateTime<Utc>,
    pub commentaire: Option<String>,
}

pub async fn decider(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    decision: &Decision,
) -> QueryResult<Renouvellement> {
    diesel::update(renouvellements::table.find(id))
        .set(decision)
        .returning(Renouvellement::as_returning())
        .get_result(conn)
        .await
}

/// Which entities' renewals a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Filtre {
    /// One entity's.
    DeLEntite(Uuid),
    /// Those of the entities a company account owns.
    DuCompte(Uuid),
    /// Every entity's.
    Toutes,
}

fn filtrees(
    filtre: Filtre,
    statut: Option<StatutRenouvellement>,
) -> renouvellements::BoxedQuery<'static, diesel::pg::Pg> {
    let mut query = renouvellements::table.into_boxed();
    query = match filtre {
        Filtre::DeLEntite(entite_id) => query.filter(r::entite_id.eq(entite_id)),
        Filtre::DuCompte(compte_id) => query.filter(
            r::entite_id.eq_any(
                entites_base::table
                    .filter(entites_base::compte_entreprise_id.eq(compte_id))
                    .select(entites_base::id),
            ),
        ),
        Filtre::Toutes => query,
    };
    match statut {
        Some(statut) => query.filter(r::statut.eq(statut)),
        None => query,
    }
}

/// The renewals of `filtre` (of `statut`, or all) with their entities, oldest request first,
/// after the key `apres` (created_at, id), up to `limite`.
pub async fn page(
    conn: &mut AsyncPgConnection,
    filtre: Filtre,
    statut: Option<StatutRenouvellement>,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<(Renouvellement, EntiteBase)>> {
    let mut query = renouvellements::table
        .inner_join(entites_base::table)
        .select((Renouvellement::as_select(), EntiteBase::as_select()))
        .into_boxed();
    query = match filtre {
        Filtre::DeLEntite(entite_id) => query.filter(r::entite_id.eq(entite_id)),
        Filtre::DuCompte(compte_id) => {
            query.filter(entites_base::compte_entreprise_id.eq(compte_id))
        }
        Filtre::Toutes => query,
    };
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

/// How many renewals `filtre` holds (of `statut`, or all).
pub async fn count(
    conn: &mut AsyncPgConnection,
    filtre: Filtre,
    statut: Option<StatutRenouvellement>,
) -> QueryResult<i64> {
    filtrees(filtre, statut).count().get_result(conn).await
}
