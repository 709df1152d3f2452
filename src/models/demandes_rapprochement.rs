//! `demandes_rapprochement`: an account's claims on entities entered by ARTCI.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutRapprochement;
use crate::schema::demandes_rapprochement;

/// A claim by a company account on an unclaimed entity; one pending per (entity, account).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = demandes_rapprochement, check_for_backend(diesel::pg::Pg))]
pub struct DemandeRapprochement {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub compte_entreprise_id: Uuid,
    pub email_demandeur: String,
    pub numero_cc: String,
    /// The proof, visible to staff only.
    pub document_preuve_id: Option<Uuid>,
    pub raison_demande: String,
    pub statut: StatutRapprochement,
    pub traite_par: Option<Uuid>,
    pub date_traitement: Option<DateTime<Utc>>,
    /// Required when the claim is rejected.
    pub commentaire_artci: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::EntiteBase;
use crate::schema::demandes_rapprochement::dsl as d;
use crate::schema::entites_base;

/// The partial unique index behind "one pending claim per (entity, account)".
pub const INDEX_UNE_EN_ATTENTE: &str = "uq_demandes_rapprochement_une_en_attente";

/// A claim to insert, `en_attente`; `id` and `updated_at` come from the database.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = demandes_rapprochement, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleDemande {
    pub entite_id: Uuid,
    pub compte_entreprise_id: Uuid,
    pub email_demandeur: String,
    pub numero_cc: String,
    pub document_preuve_id: Option<Uuid>,
    pub raison_demande: String,
    pub created_at: DateTime<Utc>,
}

/// What a decision or a cancellation changes; `None` leaves a column as it is.
#[derive(AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = demandes_rapprochement, check_for_backend(diesel::pg::Pg))]
pub struct Traitement {
    pub statut: StatutRapprochement,
    pub traite_par: Option<Uuid>,
    pub date_traitement: Option<DateTime<Utc>>,
    pub commentaire_artci: Option<String>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleDemande,
) -> QueryResult<DemandeRapprochement> {
    diesel::insert_into(demandes_rapprochement::table)
        .values(nouvelle)
        .returning(DemandeRapprochement::as_returning())
        .get_result(conn)
        .await
}

/// The claim with this id, its row locked until the end of the transaction.
pub async fn find_by_id_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<DemandeRapprochement>> {
    demandes_rapprochement::table
        .find(id)
        .select(DemandeRapprochement::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Whether `compte_id` already has a pending claim on `entite_id`.
pub async fn en_attente_existe(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    compte_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        demandes_rapprochement::table
            .filter(d::entite_id.eq(entite_id))
            .filter(d::compte_entreprise_id.eq(compte_id))
            .filter(d::statut.eq(StatutRapprochement::EnAttente)),
    ))
    .get_result(conn)
    .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    traitement: &Traitement,
) -> QueryResult<DemandeRapprochement> {
    diesel::update(demandes_rapprochement::table.find(id))
        .set(traitement)
        .returning(DemandeRapprochement::as_returning())
        .get_result(conn)
        .await
}

/// Applies `traitement` to every pending claim on `entite_id` but `sauf`, and returns them.
pub async fn update_autres_en_attente(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    sauf: Uuid,
    traitement: &Traitement,
) -> QueryResult<Vec<DemandeRapprochement>> {
    diesel::update(
        demandes_rapprochement::table
            .filter(d::entite_id.eq(entite_id))
            .filter(d::id.ne(sauf))
            .filter(d::statut.eq(StatutRapprochement::EnAttente)),
    )
    .set(traitement)
    .returning(DemandeRapprochement::as_returning())
    .get_results(conn)
    .await
}

/// The claim with this id and its entity.
pub async fn find_with_entite(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(DemandeRapprochement, EntiteBase)>> {
    demandes_rapprochement::table
        .inner_join(entites_base::table)
        .filter(d::id.eq(id))
        .select((DemandeRapprochement::as_select(), EntiteBase::as_select()))
        .first(conn)
        .await
        .optional()
}

/// Which claims a list shows: one account's, or (for staff) all, optionally of one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filtre {
    DuCompte(Uuid),
    Statut(Option<StatutRapprochement>),
}

fn filtrees(
    filtre: Filtre,
) -> demandes_rapprochement::BoxedQuery<'static, diesel::pg::Pg, demandes_rapprochement::SqlType> {
    let query = demandes_rapprochement::table.into_boxed();
    match filtre {
        Filtre::DuCompte(compte_id) => query.filter(d::compte_entreprise_id.eq(compte_id)),
        Filtre::Statut(Some(statut)) => query.filter(d::statut.eq(statut)),
        Filtre::Statut(None) => query,
    }
}

/// The claims of `filtre` with their entities, oldest first, after the key `apres`
/// (created_at, id), up to `limite`.
pub async fn page(
    conn: &mut AsyncPgConnection,
    filtre: Filtre,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<(DemandeRapprochement, EntiteBase)>> {
    let mut query = demandes_rapprochement::table
        .inner_join(entites_base::table)
        .select((DemandeRapprochement::as_select(), EntiteBase::as_select()))
        .into_boxed();
    query = match filtre {
        Filtre::DuCompte(compte_id) => query.filter(d::compte_entreprise_id.eq(compte_id)),
        Filtre::Statut(Some(statut)) => query.filter(d::statut.eq(statut)),
        Filtre::Statut(None) => query,
    };
    if let Some((created_at, id)) = apres {
        query = query.filter(
            d::created_at
                .gt(created_at)
                .or(d::created_at.eq(created_at).and(d::id.gt(id))),
        );
    }
    query
        .order((d::created_at.asc(), d::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many claims `filtre` holds.
pub async fn count(conn: &mut AsyncPgConnection, filtre: Filtre) -> QueryResult<i64> {
    filtrees(filtre).count().get_result(conn).await
}
