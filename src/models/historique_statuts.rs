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
