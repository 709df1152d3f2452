//! `historique_statuts`: the append-only journal of status changes.
//!
//! The database refuses UPDATE, DELETE and TRUNCATE on it; its foreign keys are
//! `ON DELETE RESTRICT`, so an entity or an actor with history cannot be deleted.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{ActeurType, ObjetHistorique};
use crate::schema::historique_statuts;

/// One status change: of an entity's dossier, conformity, assignment, claim or renewal
/// (`entite_id` set), or of an account's sign-up (`objet = inscription`,
/// `compte_entreprise_id` set). The actor columns match `acteur_type`.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = historique_statuts, check_for_backend(diesel::pg::Pg))]
pub struct HistoriqueStatut {
    pub id: Uuid,
    pub entite_id: Option<Uuid>,
    pub compte_entreprise_id: Option<Uuid>,
    pub objet: ObjetHistorique,
    /// The assignment, claim or renewal concerned, when it is not the entity itself.
    pub objet_id: Option<Uuid>,
    pub ancien_statut: Option<String>,
    pub nouveau_statut: String,
    pub acteur_type: ActeurType,
    pub acteur_user_id: Option<Uuid>,
    pub acteur_compte_id: Option<Uuid>,
    pub commentaire: Option<String>,
    pub created_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// A journal line to append; `id` and `created_at` come from the database.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = historique_statuts, check_for_backend(diesel::pg::Pg))]
pub struct NouvelHistorique {
    pub entite_id: Option<Uuid>,
    pub compte_entreprise_id: Option<Uuid>,
    pub objet: ObjetHistorique,
    pub objet_id: Option<Uuid>,
    pub ancien_statut: Option<String>,
    pub nouveau_statut: String,
    pub acteur_type: ActeurType,
    pub acteur_user_id: Option<Uuid>,
    pub acteur_compte_id: Option<Uuid>,
    pub commentaire: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Appends a line to the journal and returns it.
pub async fn append(
    conn: &mut AsyncPgConnection,
    ligne: &NouvelHistorique,
) -> QueryResult<HistoriqueStatut> {
    diesel::insert_into(historique_statuts::table)
        .values(ligne)
        .returning(HistoriqueStatut::as_returning())
        .get_result(conn)
        .await
}

/// The sign-up history of a company account, oldest first.
pub async fn of_inscription(
    conn: &mut AsyncPgConnection,
    compte_entreprise_id: Uuid,
) -> QueryResult<Vec<HistoriqueStatut>> {
    historique_statuts::table
        .filter(historique_statuts::compte_entreprise_id.eq(compte_entreprise_id))
        .filter(historique_statuts::objet.eq(ObjetHistorique::Inscription))
        .order((
            historique_statuts::created_at.asc(),
            historique_statuts::id.asc(),
        ))
        .select(HistoriqueStatut::as_select())
        .load(conn)
        .await
}

/// Whether the entity has any history line: a dossier once submitted (or claimed) has one,
/// and its entity can no longer be deleted.
pub async fn existe_pour_entite(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        historique_statuts::table.filter(historique_statuts::entite_id.eq(entite_id)),
    ))
    .get_result(conn)
    .await
}

/// The history of an entity in the order it was written (lines of one instant by their
/// `numero`); only the lines of `objets` when given.
pub async fn of_entite(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    objets: Option<&[ObjetHistorique]>,
) -> QueryResult<Vec<HistoriqueStatut>> {
    let mut query = historique_statuts::table
        .filter(historique_statuts::entite_id.eq(entite_id))
        .select(HistoriqueStatut::as_select())
        .into_boxed();
    if let Some(objets) = objets {
        query = query.filter(historique_statuts::objet.eq_any(objets));
    }
    query
        .order((
            historique_statuts::created_at.asc(),
            historique_statuts::numero.asc(),
        ))
        .load(conn)
        .await
}
