//! `categories_donnees`: the categories of personal data an entity processes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::CodeCategorieDonnees;
use crate::schema::categories_donnees;

/// A category of data, for the entity or one of its processing activities (same entity).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = categories_donnees, check_for_backend(diesel::pg::Pg))]
pub struct CategorieDonnees {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub registre_traitement_id: Option<Uuid>,
    pub categorie: CodeCategorieDonnees,
    pub items: Option<String>,
    pub origine: Option<String>,
    pub est_sensible: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A category of data, attached to a processing activity or to the entity as a whole.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = categories_donnees, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneCategorie {
    pub entite_id: Uuid,
    pub registre_traitement_id: Option<Uuid>,
    pub categorie: CodeCategorieDonnees,
    pub items: Option<String>,
    pub origine: Option<String>,
    pub est_sensible: bool,
    pub ordre: i32,
}

liste_d_entite!(
    categories_donnees,
    CategorieDonnees,
    LigneCategorie,
    [
        registre_traitement_id,
        categorie,
        items,
        origine,
        est_sensible,
        ordre,
    ],
    portee = registre_traitement_id
);
