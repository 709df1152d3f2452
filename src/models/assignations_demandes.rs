//! `assignations_demandes`: a dossier's assignment to an agent, the proposal, the N+1's check.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{DecisionTraitement, StatutAssignation};
use crate::schema::assignations_demandes;

/// An assignment; at most one open (neither `valide` nor `annule`) per entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = assignations_demandes, check_for_backend(diesel::pg::Pg))]
pub struct Assignation {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub agent_id: Uuid,
    pub assigne_par: Uuid,
    pub date_assignation: DateTime<Utc>,
    pub echeance: NaiveDate,
    pub statut: StatutAssignation,
    pub decision_proposee: Option<DecisionTraitement>,
    pub traite_le: Option<DateTime<Utc>>,
    /// The N+1; never the agent.
    pub valide_par: Option<Uuid>,
    pub valide_le: Option<DateTime<Utc>>,
    pub commentaire_validation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The échéance the agent was last reminded of (the job's "échéance proche" mail).
    pub rappel_echeance_envoye_pour: Option<NaiveDate>,
}

use diesel::PgExpressionMethods;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::EntiteBase;
use crate::schema::{entites_base, users};
use assignations_demandes::dsl as a;

/// The partial unique index that allows one open assignation per entity.
pub const INDEX_UNE_OUVERTE: &str = "uq_assignations_demandes_une_ouverte";

/// The statuses of an open assignation (the partial unique index's complement).
pub const OUVERTES: &[StatutAssignation] = &[
    StatutAssignation::EnCours,
    StatutAssignation::TraiteAttenteValidation,
    StatutAssignation::EnRetard,
    StatutAssignation::Renvoye,
];

/// A new assignation, `en_cours`.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = assignations_demandes, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleAssignation {
    pub entite_id: Uuid,
    pub agent_id: Uuid,
    pub assigne_par: Uuid,
    pub date_assignation: DateTime<Utc>,
    pub echeance: NaiveDate,
}

/// Inserts an assignation; a second open one on the entity violates [`INDEX_UNE_OUVERTE`].
pub async fn create(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleAssignation,
) -> QueryResult<Assignation> {
    diesel::insert_into(assignations_demandes::table)
        .values(nouvelle)
        .returning(Assignation::as_returning())
        .get_result(conn)
        .await
}

/// The assignation with this id.
pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .find(id)
        .select(Assignation::as_select())
        .first(conn)
        .await
        .optional()
}

/// The assignation with this id, its row locked until the end of the transaction.
pub async fn find_by_id_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .find(id)
        .select(Assignation::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The entity's open assignation, if any.
pub async fn find_ouverte(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .filter(a::entite_id.eq(entite_id))
        .filter(a::statut.eq_any(OUVERTES))
        .select(Assignation::as_select())
        .first(conn)
        .await
        .optional()
}

/// The entity's most recent assignation, whatever its status.
pub async fn find_derniere(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .filter(a::entite_id.eq(entite_id))
        .order((
            a::date_assignation.desc(),
            a::created_at.desc(),
            a::id.desc(),
        ))
        .select(Assignation::as_select())
        .first(conn)
        .await
        .optional()
}

/// The changes of an assignation's life: `None` leaves a column as it is.
#[derive(AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = assignations_demandes, check_for_backend(diesel::pg::Pg))]
pub struct ModificationsAssignation {
    pub statut: Option<StatutAssignation>,
    pub agent_id: Option<Uuid>,
    pub assigne_par: Option<Uuid>,
    pub date_assignation: Option<DateTime<Utc>>,
    pub echeance: Option<NaiveDate>,
    pub decision_proposee: Option<Option<DecisionTraitement>>,
    pub traite_le: Option<Option<DateTime<Utc>>>,
    pub valide_par: Option<Option<Uuid>>,
    pub valide_le: Option<Option<DateTime<Utc>>>,
    pub commentaire_validation: Option<Option<String>>,
}

/// Applies `modifications` to the assignation and returns it.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    modifications: &ModificationsAssignation,
) -> QueryResult<Assignation> {
    diesel::update(assignations_demandes::table.find(id))
        .set(modifications)
        .returning(Assignation::as_returning())
        .get_result(conn)
        .await
}

/// Up to `limite` open assignations of `agent_id` with their entities, by échéance (the most
/// urgent first), after the key `apres` (echeance, id).
pub async fn page_du_panier(
    conn: &mut AsyncPgConnection,
    agent_id: Uuid,
    apres: Option<(NaiveDate, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<(Assignation, EntiteBase)>> {
    let mut query = assignations_demandes::table
        .filter(a::agent_id.eq(agent_id))
        .filter(a::statut.eq_any(OUVERTES))
        .inner_join(entites_base::table)
        .select((Assignation::as_select(), EntiteBase::as_select()))
        .into_boxed();
    if let Some((echeance, id)) = apres {
        query = query.filter(
            a::echeance
                .gt(echeance)
                .or(a::echeance.eq(echeance).and(a::id.gt(id))),
        );
    }
    query
        .order((a::echeance.asc(), a::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many open assignations `agent_id` has.
pub async fn count_du_panier(conn: &mut AsyncPgConnection, agent_id: Uuid) -> QueryResult<i64> {
    assignations_demandes::table
        .filter(a::agent_id.eq(agent_id))
        .filter(a::statut.eq_any(OUVERTES))
        .count()
        .get_result(conn)
        .await
}

/// The sort key of the N+1's list: the caller's own subordinates first (`autre = false`),
/// then by when the work was treated.
pub type CleValidation = (bool, DateTime<Utc>, Uuid);

/// Up to `limite` assignations treated and awaiting validation that `validateur` may
/// validate (any but its own work), with their entities and whether the agent is not one of
/// `validateur`'s subordinates; the subordinates' work first, then the oldest treated first,
/// after the key `apres`.
pub async fn page_en_attente_validation(
    conn: &mut AsyncPgConnection,
    validateur: Uuid,
    apres: Option<CleValidation>,
    limite: i64,
) -> QueryResult<Vec<(Assignation, EntiteBase, bool)>> {
    let autre = users::superieur_id.is_distinct_from(validateur);
    let traite_le = a::traite_le.assume_not_null();
    let mut query = assignations_demandes::table
        .inner_join(entites_base::table)
        .inner_join(users::table.on(users::id.eq(a::agent_id)))
        .filter(a::statut.eq(StatutAssignation::TraiteAttenteValidation))
        .filter(a::agent_id.ne(validateur))
        .select((Assignation::as_select(), EntiteBase::as_select(), autre))
        .into_boxed();
    if let Some((apres_autre, t, id)) = apres {
        let suivante_du_groupe = autre
            .eq(apres_autre)
            .and(traite_le.gt(t).or(traite_le.eq(t).and(a::id.gt(id))));
        query = if apres_autre {
            query.filter(suivante_du_groupe)
        } else {
            query.filter(suivante_du_groupe.or(autre.eq(true)))
        };
    }
    query
        .order((autre.asc(), traite_le.asc(), a::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many assignations await the validation `validateur` may give.
pub async fn count_en_attente_validation(
    conn: &mut AsyncPgConnection,
    validateur: Uuid,
) -> QueryResult<i64> {
    assignations_demandes::table
        .filter(a::statut.eq(StatutAssignation::TraiteAttenteValidation))
        .filter(a::agent_id.ne(validateur))
        .count()
        .get_result(conn)
        .await
}

/// The assignations of these entities, oldest first (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<Assignation>> {
    assignations_demandes::table
        .filter(a::entite_id.eq_any(ids))
        .order((a::entite_id, a::created_at.asc(), a::id.asc()))
        .select(Assignation::as_select())
        .load(conn)
        .await
}

/// The statuses of an assignation the agent still has to treat: those the deadline job
/// reminds and marks overdue.
pub const A_TRAITER: &[StatutAssignation] =
    &[StatutAssignation::EnCours, StatutAssignation::Renvoye];

/// One assignation still to treat whose échéance is before `aujourd_hui`, locked until the
/// end of the transaction; rows another transaction holds are skipped.
pub async fn prochaine_echue(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .filter(a::statut.eq_any(A_TRAITER))
        .filter(a::echeance.lt(aujourd_hui))
        .order(a::id)
        .select(Assignation::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// One assignation still to treat whose échéance falls in `[de, a]` and whose agent was not
/// yet reminded of that échéance, locked until the end of the transaction; rows another
/// transaction holds are skipped.
pub async fn prochaine_a_rappeler(
    conn: &mut AsyncPgConnection,
    de: NaiveDate,
    a_: NaiveDate,
) -> QueryResult<Option<Assignation>> {
    assignations_demandes::table
        .filter(a::statut.eq_any(A_TRAITER))
        .filter(a::echeance.between(de, a_))
        .filter(a::rappel_echeance_envoye_pour.is_distinct_from(a::echeance.nullable()))
        .order(a::id)
        .select(Assignation::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// Records that the agent was reminded of `echeance`.
pub async fn noter_rappel(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    echeance: NaiveDate,
) -> QueryResult<()> {
    diesel::update(assignations_demandes::table.find(id))
        .set(a::rappel_echeance_envoye_pour.eq(echeance))
        .execute(conn)
        .await
        .map(drop)
}
