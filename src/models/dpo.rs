//! `dpo`: the correspondants (data-protection officers) an entity designates.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{StatutDesignationDpo, TypeDpo};
use crate::schema::dpo;

/// A correspondant; at most one active per entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = dpo, check_for_backend(diesel::pg::Pg))]
pub struct Dpo {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub nom: String,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    /// The column `type`.
    pub type_: TypeDpo,
    /// Only for an external correspondant.
    pub organisme: Option<String>,
    pub date_designation: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    pub est_actif: bool,
    pub statut_designation: StatutDesignationDpo,
    /// Required when the designation is rejected.
    pub motif_rejet: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A correspondant as the company declares it. `statut_designation` and `motif_rejet` are ARTCI's
/// decision: a save never writes them (a new row starts `a_declarer`).
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = dpo, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneDpo {
    pub entite_id: Uuid,
    pub nom: String,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub type_: TypeDpo,
    pub organisme: Option<String>,
    pub date_designation: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    pub est_actif: bool,
    pub ordre: i32,
}

liste_d_entite!(
    dpo,
    Dpo,
    LigneDpo,
    [
        nom,
        prenom,
        email,
        telephone,
        type_,
        organisme,
        date_designation,
        date_fin,
        est_actif,
        ordre,
    ]
);
