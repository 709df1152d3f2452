//! `feedbacks_verification`: an agent's verification feedback on a dossier.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutFeedback;
use crate::schema::feedbacks_verification;

/// Comments and missing items; visible to the company only once sent.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = feedbacks_verification, check_for_backend(diesel::pg::Pg))]
pub struct FeedbackVerification {
    pub id: Uuid,
    pub entite_id: Uuid,
    /// `None` for a feedback without assignment (a super_admin's "retour formulaire").
    pub assignation_id: Option<Uuid>,
    pub agent_id: Uuid,
    pub commentaires: Option<String>,
    /// A JSON array of `{rubrique, libelle, obligatoire, fourni}`.
    pub elements_manquants: serde_json::Value,
    pub delai_fourniture: Option<NaiveDate>,
    pub statut: StatutFeedback,
    pub visible_entreprise: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use feedbacks_verification::dsl as f;

/// A feedback as the agent writes it: a `brouillon`, invisible to the company.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = feedbacks_verification, check_for_backend(diesel::pg::Pg))]
#[diesel(treat_none_as_null = true)]
pub struct SaisieFeedback {
    pub entite_id: Uuid,
    pub assignation_id: Option<Uuid>,
    pub agent_id: Uuid,
    pub commentaires: Option<String>,
    pub elements_manquants: serde_json::Value,
    pub delai_fourniture: Option<NaiveDate>,
}

/// Inserts a `brouillon` feedback and returns it.
pub async fn create(
    conn: &mut AsyncPgConnection,
    saisie: &SaisieFeedback,
) -> QueryResult<FeedbackVerification> {
    diesel::insert_into(feedbacks_verification::table)
        .values(saisie)
        .returning(FeedbackVerification::as_returning())
        .get_result(conn)
        .await
}

/// Rewrites the feedback `id` with `saisie`; it stays a `brouillon`, invisible.
pub async fn remplacer_brouillon(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    saisie: &SaisieFeedback,
) -> QueryResult<FeedbackVerification> {
    diesel::update(feedbacks_verification::table.find(id))
        .set((
            saisie,
            f::statut.eq(StatutFeedback::Brouillon),
            f::visible_entreprise.eq(false),
        ))
        .returning(FeedbackVerification::as_returning())
        .get_result(conn)
        .await
}

/// The feedback of this assignation still in `brouillon` (the one its N+1 has not sent).
pub async fn find_brouillon_de(
    conn: &mut AsyncPgConnection,
    assignation_id: Uuid,
) -> QueryResult<Option<FeedbackVerification>> {
    f::feedbacks_verification
        .filter(f::assignation_id.eq(assignation_id))
        .filter(f::statut.eq(StatutFeedback::Brouillon))
        .order((f::created_at.desc(), f::id.desc()))
        .select(FeedbackVerification::as_select())
        .first(conn)
        .await
        .optional()
}

/// Sends the feedback: `envoye` and visible to the company.
pub async fn envoyer(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<FeedbackVerification> {
    diesel::update(feedbacks_verification::table.find(id))
        .set((
            f::statut.eq(StatutFeedback::Envoye),
            f::visible_entreprise.eq(true),
        ))
        .returning(FeedbackVerification::as_returning())
        .get_result(conn)
        .await
}

/// Marks the entity's sent feedbacks `traite`: the company answered them.
pub async fn marquer_traites(conn: &mut AsyncPgConnection, entite_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        f::feedbacks_verification
            .filter(f::entite_id.eq(entite_id))
            .filter(f::statut.eq(StatutFeedback::Envoye)),
    )
    .set(f::statut.eq(StatutFeedback::Traite))
    .execute(conn)
    .await
}

/// The latest feedback of this assignation, whatever its status.
pub async fn find_dernier_de(
    conn: &mut AsyncPgConnection,
    assignation_id: Uuid,
) -> QueryResult<Option<FeedbackVerification>> {
    f::feedbacks_verification
        .filter(f::assignation_id.eq(assignation_id))
        .order((f::created_at.desc(), f::id.desc()))
        .select(FeedbackVerification::as_select())
        .first(conn)
        .await
        .optional()
}

/// The feedbacks of these entities, oldest first (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<FeedbackVerification>> {
    f::feedbacks_verification
        .filter(f::entite_id.eq_any(ids))
        .order((f::entite_id, f::created_at.asc(), f::id.asc()))
        .select(FeedbackVerification::as_select())
        .load(conn)
        .await
}

/// The latest feedback of each of these assignations (one query, for a DataLoader).
pub async fn derniers_des_assignations(
    conn: &mut AsyncPgConnection,
    assignation_ids: &[Uuid],
) -> QueryResult<Vec<FeedbackVerification>> {
    f::feedbacks_verification
        .filter(f::assignation_id.eq_any(assignation_ids))
        .distinct_on(f::assignation_id)
        .order((f::assignation_id, f::created_at.desc(), f::id.desc()))
        .select(FeedbackVerification::as_select())
        .load(conn)
        .await
}
