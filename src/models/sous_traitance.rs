//! `sous_traitance`: the processors an entity entrusts data to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::sous_traitance;

/// A processor of the entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = sous_traitance, check_for_backend(diesel::pg::Pg))]
pub struct SousTraitance {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub nom_sous_traitant: String,
    /// ISO 3166-1 alpha-2.
    pub pays: String,
    pub objet: Option<String>,
    pub donnees_partagees: Option<String>,
    pub contrat: bool,
    pub clauses_protection: bool,
    pub audit: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A processor as the company declares it.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = sous_traitance, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneSousTraitance {
    pub entite_id: Uuid,
    pub nom_sous_traitant: String,
    pub pays: String,
    pub objet: Option<String>,
    pub donnees_partagees: Option<String>,
    pub contrat: bool,
    pub clauses_protection: bool,
    pub audit: bool,
    pub ordre: i32,
}

liste_d_entite!(
    sous_traitance,
    SousTraitance,
    LigneSousTraitance,
    [
        nom_sous_traitant,
        pays,
        objet,
        donnees_partagees,
        contrat,
        clauses_protection,
        audit,
        ordre,
    ]
);
