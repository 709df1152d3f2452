//! `responsables_legaux`: the people who answer for an entity.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::TypeResponsableLegal;
use crate::schema::responsables_legaux;

/// A legal representative, mandated applicant or referent of an entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = responsables_legaux, check_for_backend(diesel::pg::Pg))]
pub struct ResponsableLegal {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub nom: String,
    pub prenom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    /// The column `type`.
    pub type_: TypeResponsableLegal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A legal representative, mandated applicant or referent as the company gives it.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = responsables_legaux, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneResponsable {
    pub entite_id: Uuid,
    pub nom: String,
    pub prenom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub type_: TypeResponsableLegal,
    pub ordre: i32,
}

liste_d_entite!(
    responsables_legaux,
    ResponsableLegal,
    LigneResponsable,
    [nom, prenom, fonction, email, telephone, type_, ordre,]
);
